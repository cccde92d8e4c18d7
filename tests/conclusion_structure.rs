//! Structure before wording (issue 10): the reference report's conclusion boxes are
//! found from its labels and their order, not from the phrases of its paragraphs.
//! The reference text (labels apart from their contents, as its extractor wrote
//! them) is reworded as an auditor might have written it, or loses its blank lines,
//! and must keep its nine boxes exactly as in the golden file (with the rewording).
//! A box placed by the order of the labels alone is reported as uncertain.

use audit_extract::extract_bytes;
use audit_extract::model::Conclusion;

const REFERENCE: &str = "fixtures/text/tarn-et-garonne-2022-reference.txt";
const GOLDEN: &str = "fixtures/expected/tarn-et-garonne-2022-reference.json";

fn golden_conclusion() -> Conclusion {
    let text = std::fs::read_to_string(GOLDEN).expect("golden file");
    let v: serde_json::Value = serde_json::from_str(&text).expect("golden parses");
    serde_json::from_value(v["conclusion"].clone()).expect("conclusion")
}

fn reference() -> String {
    std::fs::read_to_string(REFERENCE).expect("reference text")
}

/// Replaces each `(from, to)` once in `text` and in the golden boxes' text.
fn reword(text: &str, edits: &[(&str, &str)]) -> (String, Conclusion) {
    let mut text = text.to_owned();
    let mut want = serde_json::to_string(&golden_conclusion()).expect("serialises");
    for (from, to) in edits {
        assert!(text.contains(from), "the reference has no {from:?}");
        text = text.replacen(from, to, 1);
        // The golden text joins the same words on one line.
        let (from_joined, to_joined) = (
            from.split_whitespace().collect::<Vec<_>>().join(" "),
            to.split_whitespace().collect::<Vec<_>>().join(" "),
        );
        assert!(
            want.contains(&from_joined),
            "the golden has no {from_joined:?}"
        );
        want = want.replacen(&from_joined, &to_joined, 1);
    }
    (text, serde_json::from_str(&want).expect("conclusion"))
}

fn read(text: &str) -> audit_extract::model::Report {
    extract_bytes("reworded.txt", text.as_bytes()).expect("extracts")
}

fn assert_boxes(case: &str, got: &Conclusion, want: &Conclusion) {
    let (g, w) = (
        serde_json::to_value(got).unwrap(),
        serde_json::to_value(want).unwrap(),
    );
    for (k, wv) in w.as_object().unwrap() {
        assert_eq!(&g[k], wv, "{case}: box {k}");
    }
}

/// Rewordings of each box's cue phrases, one box at a time.
const REWORDINGS: &[(&str, &[(&str, &str)])] = &[
    (
        "strengths",
        &[(
            "révélé de nombreux points forts à capitaliser",
            "mis en lumière de nombreuses réussites à capitaliser",
        )],
    ),
    (
        "sensitive points",
        &[
            (
                "Un point sensible a été identifié",
                "Une fragilité a été relevée",
            ),
            (" Le point sensible devra", " Cette fragilité devra"),
            (
                "traitement de ce point sensible",
                "traitement de cette fragilité",
            ),
        ],
    ),
    (
        "improvement tracks",
        &[(
            "Le traitement des pistes de progrès permettra",
            "La mise en œuvre des axes d'amélioration permettra",
        )],
    ),
    (
        "comments",
        &[
            (
                "L'audit s'est déroulé dans de bonnes conditions.",
                "L'audit a été mené dans de bonnes conditions.",
            ),
            (
                "pour la réunion d'ouverture et de clôture.",
                "pour les réunions de lancement et de restitution.",
            ),
        ],
    ),
    (
        "good practices",
        &[(
            "Les bonnes pratiques sont nombreuses et transparessent dans les points forts",
            "Les pratiques exemplaires sont nombreuses et transparaissent dans les réussites",
        )],
    ),
    (
        "good practices, naming no box",
        &[(
            "Les bonnes pratiques sont nombreuses et transparessent dans les points forts sur les modules \naudités.",
            "Des pratiques exemplaires se retrouvent sur tous les sites \nvisités.",
        )],
    ),
    (
        "general",
        &[
            (
                "Les modules audités du référentiel Qual·e·Pref sont globalement bien maitrisés",
                "Le référentiel Qual·e·Pref est bien appliqué sur le périmètre de l'audit",
            ),
            (
                "Le système de management est efficace",
                "La démarche qualité est efficace",
            ),
        ],
    ),
    (
        "satisfaction results",
        &[
            (
                "Les résultats de l'enquête de satisfaction 2021 révèlent",
                "Le baromètre usagers 2021 révèle",
            ),
            (
                "lors de la prochaine enquête de satisfaction",
                "lors du prochain baromètre",
            ),
        ],
    ),
];

#[test]
fn the_reference_reads_its_nine_boxes() {
    let report = read(&reference());
    assert_boxes("reference", &report.conclusion, &golden_conclusion());
}

#[test]
fn a_reworded_box_keeps_its_place_and_is_flagged_uncertain() {
    let before = read(&reference()).quality.uncertain_boxes;
    for (case, edits) in REWORDINGS {
        let (text, want) = reword(&reference(), edits);
        let report = read(&text);
        assert_boxes(case, &report.conclusion, &want);
        assert!(
            report.quality.uncertain_boxes > before,
            "{case}: a box placed by label order alone must count as uncertain"
        );
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.code == "conclusion_reordered"
                    && d.message.contains("placed by the order of the labels")),
            "{case}: {:#?}",
            report.diagnostics
        );
    }
}

#[test]
fn without_blank_lines_the_boxes_stay() {
    let text: String = reference()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert_boxes(
        "no blank lines",
        &read(&text).conclusion,
        &golden_conclusion(),
    );
}

/// Graphic charter: with "La charte" reworded, no paragraph names the RESPECT DE LA
/// CHARTE GRAPHIQUE label. Its run of labels is [charter, general]: the general
/// paragraph is named and comes last, so the charter's content is the fresh paragraph
/// right before it, not the first fresh paragraph of the run ("Elle révèle
/// néanmoins…", which goes on with the satisfaction paragraph before it).
#[test]
fn a_reworded_charter_paragraph_keeps_its_place() {
    let (text, want) = reword(
        &reference(),
        &[(
            "La charte est appliquée",
            "L'identité visuelle de l'État est appliquée",
        )],
    );
    assert_boxes("graphic charter", &read(&text).conclusion, &want);
}

/// "Néant." in place of "Absence de non-conformité…" names no box and sits before
/// the comments paragraph, whose label comes first in its run of labels (the
/// reference's contents do not follow their labels' order there). It is the one
/// fresh paragraph its run leaves over, and FICHE(S) D'ECART(S) the one label its
/// run leaves empty: it takes it, flagged as placed against the order.
#[test]
fn a_reworded_deviations_paragraph_keeps_its_place() {
    let (text, want) = reword(
        &reference(),
        &[("Absence de non-conformité majeure ou mineure.", "Néant.")],
    );
    assert_boxes("deviations", &read(&text).conclusion, &want);
}

/// Two empty labels of one run: strengths ("de nombreuses réussites") and sensitive
/// points reworded together. The run [strengths, sensitive points, tracks] holds
/// three fresh paragraphs; the first two labels take the first two, in order, and the
/// third paragraph goes on with the sensitive points.
#[test]
fn two_reworded_boxes_of_one_run_keep_their_order() {
    let (text, want) = reword(
        &reference(),
        &[
            (
                "révélé de nombreux points forts à capitaliser",
                "révélé de nombreuses réussites à capitaliser",
            ),
            (
                "Un point sensible a été identifié",
                "Une fragilité a été relevée",
            ),
            (" Le point sensible devra", " Cette fragilité devra"),
            (
                "traitement de ce point sensible",
                "traitement de cette fragilité",
            ),
        ],
    );
    let report = read(&text);
    assert_boxes("strengths and sensitive points", &report.conclusion, &want);
    let placed = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "conclusion_reordered" && d.message.contains("no paragraph names it"))
        .count();
    assert_eq!(placed, 2, "{:#?}", report.diagnostics);
}

/// The charter and the deviations reworded in the same report: each run places its
/// own empty label.
#[test]
fn charter_and_deviations_reworded_together() {
    let (text, want) = reword(
        &reference(),
        &[
            (
                "La charte est appliquée",
                "L'identité visuelle de l'État est appliquée",
            ),
            ("Absence de non-conformité majeure ou mineure.", "Néant."),
        ],
    );
    assert_boxes("charter and deviations", &read(&text).conclusion, &want);
}

/// "Néant." moved to the end of its run, after the good practices: now the contents
/// follow the labels' order and the empty FICHE(S) D'ECART(S), last label of the
/// run, takes the last paragraph.
#[test]
fn a_deviations_paragraph_in_label_order_takes_its_label() {
    let from = "Absence de non-conformité majeure ou mineure.\n\n";
    let text = reference();
    assert!(text.contains(from));
    let text = format!("{}\nNéant.\n", text.replacen(from, "", 1));
    let mut want = golden_conclusion();
    want.deviations = Some("Néant.".into());
    let report = read(&text);
    assert_boxes("deviations last", &report.conclusion, &want);
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.code == "conclusion_reordered"
            && d.message.contains("Deviations")
            && d.message.contains("placed by the order of the labels")));
}

/// Another blank-line pattern: a blank line after every line (a double-spaced
/// export), so every line is a paragraph of its own and the part title's last line
/// ("L'AUDIT") stands apart. Sentences still tell what goes on and what starts.
#[test]
fn a_blank_line_after_every_line_keeps_the_boxes() {
    let text: String = reference()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n\n"))
        .collect();
    assert_boxes(
        "double-spaced",
        &read(&text).conclusion,
        &golden_conclusion(),
    );
}

/// Sections by structure: the part titles reworded ("2. CONTEXTE" → "2. PRÉSENTATION
/// DU SITE AUDITÉ", "3. SYNTHESE DE L'EVALUATION" → "3. ÉVALUATION DES ENGAGEMENTS",
/// the conclusion's title → "4. BILAN DE L'AUDIT"). They are numbered headings in
/// capitals, read by their number and place: the cover, context and conclusion keep
/// what the reference's own titles give them, and each such reading is said.
#[test]
fn reworded_part_titles_keep_the_parts() {
    let edits = [
        (" 2. CONTEXTE\n", " 2. PRÉSENTATION DU SITE AUDITÉ\n"),
        (
            "3. SYNTHESE DE L'EVALUATION\n",
            "3. ÉVALUATION DES ENGAGEMENTS\n",
        ),
        (
            "4. SYNTHESE DE L’EVALUATION ET CONCLUSION GENERALE DE \nL’AUDIT\n",
            "4. BILAN DE L'AUDIT\n",
        ),
    ];
    let mut text = reference();
    for (from, to) in edits {
        assert!(text.contains(from), "the reference has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    let got = read(&text);
    let want = read(&reference());
    assert_boxes(
        "reworded part titles",
        &got.conclusion,
        &golden_conclusion(),
    );
    assert_eq!(got.context, want.context);
    assert_eq!(got.metadata, want.metadata);
    assert_eq!(got.assessments.len(), want.assessments.len());
    for what in ["context", "synthesis", "conclusion"] {
        assert!(
            got.diagnostics
                .iter()
                .any(|d| d.code == "section_by_structure"
                    && d.message.contains(&format!("as the {what}"))),
            "{what}: {:#?}",
            got.diagnostics
        );
    }
    assert!(!want
        .diagnostics
        .iter()
        .any(|d| d.code == "section_by_structure"));
}
