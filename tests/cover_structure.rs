//! Structure before wording (issue 10), on the cover: the reference report
//! (`fixtures/text/tarn-et-garonne-2022-reference.txt`) with its cover page written
//! in other ways an auditor's form might be: other spellings of the labels, in
//! capitals or not, fields in another order, "label : value" on one line, a label
//! line then its value line, "label | value" table rows, tab-joined cells, labels
//! that name no field of the metadata. The expected values were written from reading
//! each cover below, before the tool ran on them.

use audit_extract::extract_bytes;
use audit_extract::model::{ReferentialName, Report};

const REFERENCE: &str = "fixtures/text/tarn-et-garonne-2022-reference.txt";

/// The reference report with its cover (everything before " 2. CONTEXTE") replaced.
fn with_cover(cover: &str) -> Report {
    let text = std::fs::read_to_string(REFERENCE).expect("reference text");
    let at = text.find(" 2. CONTEXTE").expect("the context title");
    let text = format!("{cover}\n{}", &text[at..]);
    extract_bytes("cover-variant.txt", text.as_bytes()).expect("extracts")
}

/// The fields every variant below states: the reference's own values.
fn assert_reference_fields(case: &str, r: &Report) {
    let m = &r.metadata;
    assert_eq!(m.audit_dates, vec!["2022-07-05"], "{case}: audit dates");
    assert_eq!(
        m.signature_date.as_deref(),
        Some("2022-07-08"),
        "{case}: signature"
    );
    assert_eq!(m.auditors, vec!["Aurélie ROUMEGOUX"], "{case}: auditors");
    assert_eq!(
        m.department.as_deref(),
        Some("Tarn-et-Garonne"),
        "{case}: department"
    );
    assert_eq!(m.department_code.as_deref(), Some("82"), "{case}: code");
    assert_eq!(m.city.as_deref(), Some("Montauban"), "{case}: city");
}

fn has_diagnostic(r: &Report, code: &str, words: &[&str]) -> bool {
    r.diagnostics
        .iter()
        .any(|d| d.code == code && words.iter().all(|w| d.message.contains(w)))
}

#[test]
fn label_colon_value_lines_in_another_order_with_other_labels() {
    let r = with_cover(
        "1. PAGE DE GARDE
PÉRIODE DE L'AUDIT : 05/07/2022
ÉQUIPE D'AUDIT : Aurélie ROUMEGOUX
VILLE : Montauban
DÉPARTEMENT : Tarn-et-Garonne
Référentiel : Référentiel de labellisation qual·e·pref du 19/12/2018 mis à jour le 4 février 2019
Date de signature du rapport : 08/07/2022
",
    );
    assert_reference_fields("label : value", &r);
    let referential = r.metadata.referential.as_ref().expect("referential");
    assert_eq!(referential.name, ReferentialName::QualEPref);
    assert_eq!(referential.date.as_deref(), Some("2018-12-19"));
    assert_eq!(referential.updated.as_deref(), Some("2019-02-04"));
    // Labels the template does not spell so are read by their words, and said so.
    for label in [
        "PÉRIODE DE L'AUDIT",
        "ÉQUIPE D'AUDIT",
        "Date de signature du rapport",
    ] {
        assert!(
            has_diagnostic(&r, "cover_label_guessed", &[label]),
            "{label}: {:#?}",
            r.diagnostics
        );
    }
    // "VILLE" and "DÉPARTEMENT" are the template's own labels: no guess.
    assert!(!has_diagnostic(&r, "cover_label_guessed", &["VILLE"]));
}

/// The audit's date also in words, under its label.
#[test]
fn a_label_line_then_its_value_line_in_another_order() {
    let r = with_cover(
        "1. PAGE DE GARDE
Date et signature de l'auditeur
08/07/2022
Auditeur(s)
Aurélie ROUMEGOUX
Ville
Montauban
Audit réalisé le
5 juillet 2022
Département
TARN ET GARONNE
",
    );
    assert_reference_fields("label line, value line", &r);
    assert!(
        has_diagnostic(
            &r,
            "cover_label_guessed",
            &["Audit réalisé le", "audit_dates"]
        ),
        "{:#?}",
        r.diagnostics
    );
}

/// The signature's date alone, under its label: it is the signature, not an audit
/// date (read by their look, a lone date would be the audit's).
#[test]
fn a_lone_labelled_date_keeps_its_label() {
    let r = with_cover(
        "1. PAGE DE GARDE
NOM AUDITEUR
Aurélie ROUMEGOUX
DATE ET SIGNATURE DE L'AUDITEUR
08/07/2022
DEPARTEMENT
Tarn-et-Garonne
VILLE
Montauban
",
    );
    let m = &r.metadata;
    assert_eq!(m.signature_date.as_deref(), Some("2022-07-08"));
    assert!(
        !m.audit_dates.iter().any(|d| d == "2022-07-08"),
        "{:?}",
        m.audit_dates
    );
    assert_eq!(m.auditors, vec!["Aurélie ROUMEGOUX"]);
    assert_eq!(m.city.as_deref(), Some("Montauban"));
}

#[test]
fn label_value_table_rows() {
    let r = with_cover(
        "1. PAGE DE GARDE
| VILLE | Montauban |
| DATE(S) DE L'AUDIT | 05/07/2022 |
| ÉQUIPE D'AUDIT | Aurélie ROUMEGOUX |
| DÉPARTEMENT | TARN ET GARONNE |
| DATE ET SIGNATURE DE L'AUDITEUR | 08/07/2022 |
| REFERENTIEL | Référentiel de labellisation qual·e·pref du 19/12/2018 mis à jour le 4 février 2019 |
",
    );
    assert_reference_fields("table rows", &r);
    let referential = r.metadata.referential.as_ref().expect("referential");
    assert_eq!(referential.name, ReferentialName::QualEPref);
    assert_eq!(
        referential.label,
        "Référentiel de labellisation qual·e·pref du 19/12/2018 mis à jour le 4 février 2019"
    );
}

#[test]
fn tab_joined_cells_with_other_labels() {
    let r = with_cover(
        "1. PAGE DE GARDE
Équipe d'audit\tAurélie ROUMEGOUX
Date de signature\t08/07/2022
Département\tTarn-et-Garonne
Commune\tMontauban
Dates de l'audit\t05/07/2022
",
    );
    assert_reference_fields("tab-joined cells", &r);
    assert!(has_diagnostic(
        &r,
        "cover_label_guessed",
        &["Commune", "city"]
    ));
}

/// Labels that name no field of the metadata: their values are not read by their
/// look (a prefect's name is no auditor, a steering committee's date is no
/// signature), and a diagnostic names them.
#[test]
fn labels_naming_no_field_are_left_out_and_said() {
    let r = with_cover(
        "1. PAGE DE GARDE
DEPARTEMENT : TARN ET GARONNE
VILLE : Montauban
Préfet : Chantal MAUCHET
DATE(S) DE L'AUDIT : 05/07/2022
NOM AUDITEUR : Aurélie ROUMEGOUX
DATE ET SIGNATURE DE L'AUDITEUR : 08/07/2022
Date du comité de pilotage : 15/09/2022
",
    );
    assert_reference_fields("unknown labels", &r);
    assert!(
        has_diagnostic(&r, "cover_unknown_label", &["Préfet", "Chantal MAUCHET"]),
        "{:#?}",
        r.diagnostics
    );
    assert!(has_diagnostic(
        &r,
        "cover_unknown_label",
        &["Date du comité de pilotage"]
    ));
}

/// The reference's own cover (labels apart from their values, as its extractor
/// wrote them) keeps its reading, with the template's own labels: nothing guessed.
#[test]
fn the_reference_cover_keeps_its_reading() {
    let text = std::fs::read_to_string(REFERENCE).expect("reference text");
    let r = extract_bytes("reference.txt", text.as_bytes()).expect("extracts");
    assert_reference_fields("reference", &r);
    assert!(
        !r.diagnostics.iter().any(|d| d.code.starts_with("cover_")),
        "{:#?}",
        r.diagnostics
    );
}
