//! Grid, module and channel headings found by structure, the template's words as
//! evidence (issue 10, "structure before wording"): reports that reword them
//! (`fixtures/headings/`, truths written from their descriptions before any run) read
//! as their truths and say which headings were guessed; the reference fixtures, whose
//! headings the template's words name, guess none; the Chromium print's layout dump,
//! whose repeated heading wraps its first and second cells, reads its whole grid.
//!
//! Every truth field is compared, `theme` included (a key the truth omits is not).

mod common;
use audit_extract::model::Report;
use common::{as_truth, differences_in_truth, extract};
use serde_json::{json, Value};

fn codes(report: &Report, code: &str) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}

const GUESSES: [&str; 4] = [
    "grid_heading_guessed",
    "module_heading_guessed",
    "channel_heading_guessed",
    "grid_columns_by_content",
];

/// Reads `input` against its truth; returns the report for further checks.
fn reads_as_its_truth(input: &str, truth: &str) -> Report {
    let report = extract(input);
    let text = std::fs::read_to_string(truth).unwrap_or_else(|e| panic!("{truth}: {e}"));
    let want: Value = serde_json::from_str(&text).expect("truth parses");
    let mut diffs = Vec::new();
    differences_in_truth("", &as_truth(&report), &want, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{input}: {} differences from {truth}:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    report
}

/// Every guessed heading is one diagnostic, counted in the quality.
fn guesses_are_counted(report: &Report) {
    let guessed: usize = GUESSES.iter().map(|c| codes(report, c).len()).sum();
    assert_eq!(report.quality.guessed_headings, guessed);
    assert!(report.quality.score < 1.0, "{:?}", report.quality);
}

/// A ruled LibreOffice grid headed "Engagement" | "Constats de l'auditeur" | "Cotation"
/// on each page, "MODULE I : …" / "MODULE IV : …" module headings, reworded channel
/// headings, no "Module N" line in the cells.
#[test]
fn reworded_headings_of_a_pdf_grid_are_found_by_structure() {
    let report = reads_as_its_truth(
        "fixtures/headings/haute-vienne-2022-reworded.pdf",
        "fixtures/headings/haute-vienne-2022-reworded.truth.json",
    );
    let grid = codes(&report, "grid_heading_guessed");
    assert_eq!(grid.len(), 1, "{grid:?}");
    assert!(
        grid[0].contains("Engagement | Constats de l'auditeur | Cotation"),
        "{grid:?}"
    );
    // Module I, module IV, and module I again heading the remote phase's rows.
    let modules = codes(&report, "module_heading_guessed");
    assert_eq!(modules.len(), 3, "{modules:?}");
    assert!(modules[0].contains("module 1") && modules[1].contains("module 4"));
    // Five channel headings: telephone and internet by their words, the others by the
    // number of the row after them.
    let channels = codes(&report, "channel_heading_guessed");
    assert_eq!(channels.len(), 5, "{channels:?}");
    assert_eq!(
        channels
            .iter()
            .filter(|m| m.contains("channel words"))
            .count(),
        3,
        "{channels:?}"
    );
    guesses_are_counted(&report);
}

/// A text in stream order (no pages) whose three-line heading "Engagements" /
/// "Observations de l'auditeur" / "Évaluation" stands above the grid and comes back
/// at each page break; module 1 headed "1 – RELATION …", module 6 by its name alone.
#[test]
fn reworded_headings_of_a_text_report_are_found_by_structure() {
    let report = reads_as_its_truth(
        "fixtures/headings/savoie-2021-reworded.txt",
        "fixtures/headings/savoie-2021-reworded.truth.json",
    );
    let grid = codes(&report, "grid_heading_guessed");
    assert_eq!(grid.len(), 1, "{grid:?}");
    assert!(grid[0].contains("Engagements | Observations de l'auditeur | Évaluation"));
    let modules = codes(&report, "module_heading_guessed");
    assert_eq!(modules.len(), 3, "{modules:?}");
    assert!(
        modules[1].contains("COORDINATION DES POLITIQUES PUBLIQUES")
            && modules[1].contains("module 6"),
        "{modules:?}"
    );
    assert_eq!(codes(&report, "channel_heading_guessed").len(), 5);
    guesses_are_counted(&report);
}

/// A ruled grid printing the rating second and the findings third, under "Engagement
/// de service" | "Niveau" | "Observations": the columns' roles come from their content
/// (the column of codes is the rating), and the report says so.
#[test]
fn columns_in_another_order_take_their_roles_from_their_content() {
    let report = reads_as_its_truth(
        "fixtures/headings/gers-2023-columns.pdf",
        "fixtures/headings/gers-2023-columns.truth.json",
    );
    let columns = codes(&report, "grid_columns_by_content");
    assert_eq!(columns.len(), 1, "{columns:?}");
    assert!(
        columns[0].contains("commitment | conformity | appraisal"),
        "{columns:?}"
    );
    assert_eq!(codes(&report, "grid_heading_guessed").len(), 1);
    // "Module 1 – Accueil …" and the channels are the template's words.
    assert!(codes(&report, "module_heading_guessed").is_empty());
    assert!(codes(&report, "channel_heading_guessed").is_empty());
    guesses_are_counted(&report);
}

/// Reports whose headings the template's words name guess none.
#[test]
fn headings_named_by_the_template_are_not_guessed() {
    for path in [
        "fixtures/pdf/tarn-et-garonne-2022.pdf",
        "fixtures/pdf/correze-2023-chromium.pdf",
        "fixtures/pdf/haute-garonne-2021-pagebreaks.pdf",
        "fixtures/text/tarn-et-garonne-2022-reference.txt",
        "fixtures/layout/pdf--correze-2023-chromium.layout.txt",
        "fixtures/styles/isere-2020-calc-bottom.pdf",
    ] {
        let report = extract(path);
        for code in GUESSES {
            assert!(
                codes(&report, code).is_empty(),
                "{path}: {code}: {:?}",
                codes(&report, code)
            );
        }
        assert_eq!(report.quality.guessed_headings, 0, "{path}");
    }
}

fn reading(report: &Report) -> Value {
    let t = as_truth(report);
    json!({ "assessments": t["assessments"], "conclusion": t["conclusion"] })
}

fn dump_differences() -> Vec<String> {
    let dump = extract("fixtures/layout/pdf--correze-2023-chromium.layout.txt");
    let pdf = extract("fixtures/pdf/correze-2023-chromium.pdf");
    assert_eq!(pdf.assessments.len(), 41);
    let mut diffs = Vec::new();
    differences_in_truth("", &reading(&dump), &reading(&pdf), &mut diffs);
    diffs
}

/// The Chromium print's `pdftotext -layout` dump: the heading repeated at each page
/// top wraps its first cell ("Engagements de" / "service") and its second
/// ("Appréciation de l'auditeur" / "Commentaires"), and the dump sometimes misses the
/// cell of "Conformité". The grid goes on past it: all 41 assessments of the PDF, in
/// order, with the PDF's fields and its conclusion. Row M1 2's title runs into its
/// Note with one space on two lines ("courtois dans le respect Note : …" over "mutuel
/// quel que soit le boucle …"), the Note shifted two characters left of its column:
/// the two lines confirm each other's cut (`layout_text::shifted_pair`), said as a
/// guess; the conclusion's "RESPECT DE LA CHARTE Conforme." is cut where the
/// capitals end.
#[test]
fn chromium_dump_reads_as_its_pdf() {
    let diffs = dump_differences();
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// Grids drawn without any rule or fill (borderless Word tables) under reworded
/// headings that no template names: the PDF layout finds their columns by structure
/// (a heading row of short pieces, recurring column starts below it, a column of
/// codes), reads them as their truths and says the columns were guessed, once.
fn columns_guessed_once(report: &Report, heading: &str, codes_in: usize) {
    let guessed = codes(report, "layout_column_guessed");
    assert_eq!(guessed.len(), 1, "{guessed:?}");
    assert!(guessed[0].contains(heading), "{guessed:?}");
    assert!(
        guessed[0].contains(&format!("codes in column {codes_in}")),
        "{guessed:?}"
    );
    assert_eq!(report.quality.columns_guessed, 1);
    assert!(report.quality.score < 1.0, "{:?}", report.quality);
}

/// Heading "Engagements du référentiel" (wrapped, centred beside the others) | "Ce
/// qu'a relevé l'auditrice" | "Résultat", repeated at each page top; codes centred in
/// the last column; a remote e-mail phase; the conclusion a borderless label | value
/// table after the grid.
#[test]
fn a_borderless_grid_under_a_reworded_heading_is_found_by_structure() {
    let report = reads_as_its_truth(
        "fixtures/headings/cantal-2024-borderless.pdf",
        "fixtures/headings/cantal-2024-borderless.truth.json",
    );
    columns_guessed_once(
        &report,
        "Engagements du référentiel | Ce qu'a relevé l'auditrice | Résultat",
        3,
    );
}

/// Heading "Exigence du label" | "Statut" | "Remarques" / "de l'audit": the codes
/// stand second, centred in a narrow column, the findings third; the columns' roles
/// then come from their content.
#[test]
fn a_borderless_grid_with_its_codes_second_is_found_by_structure() {
    let report = reads_as_its_truth(
        "fixtures/headings/meuse-2020-borderless.pdf",
        "fixtures/headings/meuse-2020-borderless.truth.json",
    );
    columns_guessed_once(
        &report,
        "Exigence du label | Statut | Remarques de l'audit",
        2,
    );
    let roles = codes(&report, "grid_columns_by_content");
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert!(
        roles[0].contains("commitment | conformity | appraisal"),
        "{roles:?}"
    );
}

/// Grids that rules or a template heading find are not guessed by structure.
#[test]
fn grids_found_otherwise_are_not_guessed_by_structure() {
    for path in [
        "fixtures/pdf/tarn-et-garonne-2022.pdf",
        "fixtures/headings/haute-vienne-2022-reworded.pdf",
        "fixtures/headings/gers-2023-columns.pdf",
        "fixtures/styles/isere-2020-calc-bottom.pdf",
        "fixtures/styles/finistere-2022-borderless-top.pdf",
        "fixtures/styles/cote-d-or-2023-borderless-middle.pdf",
    ] {
        let report = extract(path);
        assert!(
            codes(&report, "layout_column_guessed").is_empty(),
            "{path}: {:?}",
            codes(&report, "layout_column_guessed")
        );
        assert_eq!(report.quality.columns_guessed, 0, "{path}");
    }
}
