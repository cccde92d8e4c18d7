//! The text form of a report, as a user runs it: the reference report against its
//! golden JSON, the tricky cases of the reference one by one, other encodings, and
//! arbitrary text.

use audit_extract::model::{AnnotationKind, Conformity, Phase, Report, Section};
use audit_extract::{extract_bytes, output};

const REFERENCE: &str = "fixtures/text/tarn-et-garonne-2022-reference.txt";

fn reference_bytes() -> Vec<u8> {
    std::fs::read(REFERENCE).expect("reference fixture")
}

fn reference() -> Report {
    extract_bytes(REFERENCE, &reference_bytes()).expect("the reference report extracts")
}

fn find<'r>(report: &'r Report, id: &str) -> &'r audit_extract::model::Assessment {
    report
        .assessments
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no assessment {id}"))
}

#[test]
fn reference_matches_its_golden_json() {
    let expected = std::fs::read_to_string("fixtures/expected/tarn-et-garonne-2022-reference.json")
        .expect("golden file");
    let actual = output::to_json(&reference());
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(0);
        panic!(
            "output differs from the golden file at line {}:\n  got:      {}\n  expected: {}",
            line + 1,
            actual.lines().nth(line).unwrap_or(""),
            expected.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(output::to_json(&reference()), output::to_json(&reference()));
}

#[test]
fn a_code_ending_a_text_line() {
    let r = reference();
    let a = find(&r, "on_site.m1.4");
    assert_eq!(a.conformity, Some(Conformity::Conforme));
    assert_eq!(a.annotations[0].text, "Cf. Pilotage.");
    let a = find(&r, "on_site.m4.37");
    assert_eq!(a.conformity, Some(Conformity::NotApplicable));
    assert_eq!(
        a.annotations[0].text,
        "Les RDV des autorités sont gérés par le secrétariat de la Secrétaire Générale."
    );
    let a = find(&r, "remote_internet.m1.3");
    assert_eq!(
        (a.title.as_str(), a.conformity),
        ("A votre écoute pour progresser", Some(Conformity::Conforme))
    );
}

#[test]
fn a_title_over_several_lines_and_a_quoted_number() {
    let r = reference();
    assert_eq!(
        find(&r, "on_site.m1.1").title,
        "Nous vous informons sur les conditions de fonctionnement de nos services"
    );
    let a = find(&r, "on_site.m1.9");
    assert_eq!(
        a.title,
        "Nous vous informons de la mise à disposition d’un serveur vocal interactif national « 34 00 » dédié aux démarches sur les titres (hors étrangers)"
    );
    assert_eq!(
        find(&r, "on_site.labellisation.2").title,
        "Audits internes ou auto-évaluations"
    );
}

#[test]
fn blank_lines_inside_one_annotation() {
    let r = reference();
    let a = find(&r, "on_site.m1.3");
    let kinds: Vec<_> = a.annotations.iter().map(|n| n.kind).collect();
    use AnnotationKind::*;
    assert_eq!(
        kinds,
        [ImprovementTrack, ImprovementTrack, ImprovementTrack, Note]
    );
    assert_eq!(
        a.annotations[0].text,
        "Etudier la possibilité de revoir les questions et le support d'enquêtes (il y a trop de questions et toutes ne permettent pas d'analyse pertinente de la satisfaction et de la qualité de service rendu à l'usager)."
    );
    assert!(a.annotations[3]
        .text
        .ends_with("Le bilan des réclamations sur le site internet date de 2019."));
}

#[test]
fn ppng_is_not_a_marker() {
    let r = reference();
    assert!(r
        .context
        .as_deref()
        .unwrap()
        .contains("Après avoir intégré les modifications liées au PPNG en 2017"));
    assert!(r
        .assessments
        .iter()
        .flat_map(|a| &a.annotations)
        .all(|n| !n.text.starts_with("NG")));
}

#[test]
fn page_headers_inside_an_annotation_are_dropped() {
    let r = reference();
    // Rows 5 and 6 of module 1 sit on both sides of a double page heading.
    let a = find(&r, "on_site.m1.5");
    assert!(a
        .annotations
        .last()
        .unwrap()
        .text
        .ends_with("mobilisés pour l'accueil du public."));
    let all_text: String = r
        .assessments
        .iter()
        .flat_map(|a| a.annotations.iter().map(|n| n.text.clone()))
        .collect();
    assert!(!all_text.contains("Engagements de service"));
    assert!(!all_text.contains("Commentaires Conformité"));
}

#[test]
fn remote_phase_headers_that_trail_their_rows() {
    let r = reference();
    let phases = |phase: Phase| -> Vec<(Option<u8>, u32)> {
        r.assessments
            .iter()
            .filter(|a| a.phase == phase && a.section == Section::Module)
            .map(|a| (a.module, a.number))
            .collect()
    };
    let m = |module: u8, n: u32| (Some(module), n);
    assert_eq!(
        phases(Phase::RemoteInternet),
        vec![
            m(1, 1),
            m(1, 3),
            m(1, 10),
            m(1, 11),
            m(1, 12),
            m(1, 13),
            m(1, 14),
            m(6, 42),
            m(6, 43),
            m(6, 46)
        ]
    );
    assert_eq!(
        phases(Phase::RemoteTelephone),
        vec![m(1, 1), m(1, 2), m(1, 8), m(1, 10)]
    );
    assert_eq!(phases(Phase::RemoteEmail), vec![m(1, 16), m(1, 17)]);
    assert_eq!(
        r.assessments
            .iter()
            .filter(|a| a.phase == Phase::OnSite)
            .count(),
        37
    );
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.code != "duplicate_assessment"));
}

#[test]
fn conclusion_labels_apart_from_their_contents() {
    let c = reference().conclusion;
    assert!(c
        .satisfaction_results
        .as_deref()
        .unwrap()
        .starts_with("Les résultats de l'enquête de satisfaction 2021"));
    assert_eq!(
        c.graphic_charter.as_deref(),
        Some("La charte est appliquée conformément aux attentes du référentiel.")
    );
    assert!(c.general.as_deref().unwrap().starts_with(
        "Les modules audités du référentiel Qual·e·Pref sont globalement bien maitrisés"
    ));
    assert!(c
        .strengths
        .as_deref()
        .unwrap()
        .starts_with("L'audit externe a révélé de nombreux points forts"));
    assert!(c
        .sensitive_points
        .as_deref()
        .unwrap()
        .ends_with("pourrait être important."));
    assert!(c
        .improvement_tracks
        .as_deref()
        .unwrap()
        .starts_with("Le traitement des pistes de progrès"));
    assert_eq!(
        c.deviations.as_deref(),
        Some("Absence de non-conformité majeure ou mineure.")
    );
    assert!(c
        .comments
        .as_deref()
        .unwrap()
        .starts_with("L'audit s'est déroulé dans de bonnes conditions."));
    assert!(c
        .good_practices
        .as_deref()
        .unwrap()
        .starts_with("Les bonnes pratiques sont nombreuses"));
}

#[test]
fn the_context_slip_is_reported_not_changed() {
    let r = reference();
    assert!(r
        .context
        .as_deref()
        .unwrap()
        .contains("la Préfecture de Corrèze a poursuivi"));
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "context_names_other_prefecture")
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("Corrèze"));
}

#[test]
fn windows_1252_with_crlf_gives_the_same_assessments() {
    // "≥" is the one character of the reference that Windows-1252 lacks.
    let utf8 = String::from_utf8(reference_bytes())
        .unwrap()
        .replace('≥', ">=");
    let crlf = utf8.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
    assert!(!unmappable, "the adapted reference fits in Windows-1252");
    let legacy = extract_bytes("legacy.txt", &bytes).unwrap();
    let modern = extract_bytes("modern.txt", utf8.as_bytes()).unwrap();
    assert_eq!(legacy.source.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(legacy.assessments, modern.assessments);
    assert_eq!(legacy.conclusion, modern.conclusion);
    assert_eq!(legacy.assessments.len(), 53);
}

#[test]
fn utf16_and_bom_and_form_feeds_give_the_same_assessments() {
    let text = String::from_utf8(reference_bytes()).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        extract_bytes("u16.txt", &utf16).unwrap().assessments,
        reference().assessments
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(
        text.replace(" Engagements de service", "\u{c} Engagements de service")
            .as_bytes(),
    );
    let paged = extract_bytes("paged.txt", &bom).unwrap();
    assert!(paged.source.pages.unwrap() > 1);
    let strip = |r: &Report| {
        r.assessments
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    a.title.clone(),
                    a.annotations.clone(),
                    a.conformity,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&paged), strip(&reference()));
}

#[test]
fn naming_a_department_or_a_referential_does_not_make_a_report() {
    let letter = "Préfecture de Tarn-et-Garonne\nMontauban, le 3 mars 2022\n\
                  Référentiel Qual-e-pref : calendrier de l'audit de suivi.\nCordialement.\n";
    let err = extract_bytes("letter.txt", letter.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), "not_a_report", "{err}");
}

#[test]
fn a_cover_alone_is_not_a_report() {
    // A blank template or a letter quoting the form: no assessment, no conclusion.
    let cover = "1. PAGE DE GARDE\nDEPARTEMENT : Tarn-et-Garonne\nVILLE : Montauban\n\
                 DATE(S) DE L'AUDIT : 05/07/2022\n";
    let err = extract_bytes("cover.txt", cover.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), "not_a_report", "{err}");
}

#[test]
fn markup_is_refused_not_read_with_its_tags() {
    let html = "<!DOCTYPE html>\n<html><head><title>Rapport</title></head><body>\n\
                <p>DEPARTEMENT : Tarn-et-Garonne</p><p>Les PISTES DE PROGRES</p>\n\
                <p>Module 1</p><p>1. Nous vous informons</p><p>C</p></body></html>\n";
    let err = extract_bytes("page.html", html.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), "not_a_report", "{err}");
    assert!(err.to_string().contains("HTML page"), "{err}");
    let fodt = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document>\
                <text:p>Module 1</text:p></office:document>\n";
    let err = extract_bytes("report.fodt", fodt.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("XML document"), "{err}");
    // Text that merely mentions a tag is still text.
    assert_eq!(
        audit_extract::sniff("Module 1 <important>\n1. Titre\n".as_bytes()).ok(),
        Some(audit_extract::source::Format::Text)
    );
}

#[test]
fn a_file_named_pdf_whose_bytes_are_no_pdf_is_a_damaged_pdf() {
    for bytes in [
        &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
        b"Module 1\n1. Titre\nC\n",
    ] {
        let err = extract_bytes("scan.PDF", bytes).unwrap_err();
        assert_eq!(err.kind(), "pdf_corrupt", "{err}");
    }
}

#[test]
fn an_impossible_cover_date_is_null_with_a_diagnostic() {
    let original = String::from_utf8(reference_bytes()).expect("UTF-8");
    let text = original.replacen("05/07/2022", "31/02/2022", 1);
    assert_ne!(text, original, "the reference cover has the audit date");
    let report = extract_bytes("x.txt", text.as_bytes()).expect("a report");
    assert!(!report
        .metadata
        .audit_dates
        .iter()
        .any(|d| d.contains("02-31")));
    assert!(
        report.metadata.audit_dates.is_empty(),
        "{:?}",
        report.metadata.audit_dates
    );
    // The other date stays the signature's: the impossible one still counts as written.
    assert_eq!(
        report.metadata.signature_date.as_deref(),
        Some("2022-07-08")
    );
    let found = report
        .diagnostics
        .iter()
        .find(|d| d.code == "impossible_date")
        .expect("an impossible_date diagnostic");
    assert!(found.message.contains("31/02/2022"), "{}", found.message);
}

#[test]
fn a_layout_mode_export_is_flagged_not_silently_misread() {
    let layout = "\
DEPARTEMENT            TARN ET GARONNE
VILLE                  Montauban
Engagements de service       Appréciation de l'auditeur            Conformité
MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS
Module 1                     Note : Les affichages sont à jour,
1. Nous vous informons sur   la charte graphique est respectée.         C
les conditions de            PP : Publier le bilan.
fonctionnement de nos
services
";
    let report = extract_bytes("layout.txt", layout.as_bytes()).expect("a report");
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "side_by_side_columns"),
        "{:?}",
        report.diagnostics
    );
    assert!(!reference()
        .diagnostics
        .iter()
        .any(|d| d.code == "side_by_side_columns"));
}

/// Issue 9's text-form artifact: a page break cuts commitment 6's title; the code,
/// printed at the top of its cell, comes out glued to the first fragment ("… d'accueil
/// et  C"), then the repeated grid heading, then the title's rest and the appraisal.
#[test]
fn a_title_cut_by_a_page_break_with_its_code_glued_reads_whole() {
    let original = String::from_utf8(reference_bytes()).expect("UTF-8");
    let whole = "6. Nous veillons au confort de nos \nespaces d'accueil et d'attente\n\n PF : \
                 Espace d'attente dédié aux enfants.\n \nNote : L'espace d'attente est propre \
                 et climatisé. Il permet l'accès à \ndifférents services (photomaton, \
                 copieur, machine à monnaie).\n\nC\n";
    let cut = "6. Nous veillons au confort de nos \nespaces d'accueil et  C\n\
               Engagements de service\n\nAppréciation de l'auditeur\n\nCommentaires Conformité\n\
               d'attente\n\n PF : Espace d'attente dédié aux enfants.\n \nNote : L'espace \
               d'attente est propre et climatisé. Il permet l'accès à \ndifférents services \
               (photomaton, copieur, machine à monnaie).\n\n";
    assert!(original.contains(whole), "the reference holds commitment 6");
    let text = original.replacen(whole, cut, 1);
    let report = extract_bytes("cut.txt", text.as_bytes()).expect("a report");
    let reference = reference();
    let row = find(&report, "on_site.m1.6");
    assert_eq!(
        row.title,
        "Nous veillons au confort de nos espaces d'accueil et d'attente"
    );
    assert_eq!(row.conformity, Some(Conformity::Conforme));
    assert_eq!(
        row.annotations,
        find(&reference, "on_site.m1.6").annotations
    );
    // Nothing else moved, and nothing is doubtful that was not before.
    let ids = |r: &Report| {
        r.assessments
            .iter()
            .map(|a| (a.id.clone(), a.title.clone(), a.conformity))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&report), ids(&reference));
    assert_eq!(report.quality, reference.quality);
    // A title that merely ends on a page break, with no code glued, stays as it was.
    let plain_cut = "6. Nous veillons au confort de nos \nespaces d'accueil et d'attente\n\
                     Engagements de service\n\nAppréciation de l'auditeur\n\nCommentaires \
                     Conformité\n PF : Espace d'attente dédié aux enfants.\n \nNote : L'espace \
                     d'attente est propre et climatisé. Il permet l'accès à \ndifférents \
                     services (photomaton, copieur, machine à monnaie).\n\nC\n";
    let text = original.replacen(whole, plain_cut, 1);
    let report = extract_bytes("plain.txt", text.as_bytes()).expect("a report");
    assert_eq!(ids(&report), ids(&reference));
}
