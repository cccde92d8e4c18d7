//! Other text forms of Qual-e-pref reports (issue 10): `pdftotext -layout` dumps and
//! Word "save as text" exports, in UTF-8 and Windows-1252/CRLF, against their
//! hand-written truths (`fixtures/legacy/`), and the layout dumps of the PDF fixtures
//! (`fixtures/layout/`, made by `scripts/fixtures/make-layout-dumps.sh`, committed so
//! that no poppler is needed) against what the PDF itself reads as.
//!
//! Every truth field is compared, the assessments' `theme` and `code` included (a key
//! the truth omits is not compared: Qual-e-pref truths have no `code`).

mod common;
use audit_extract::model::Report;
use common::{differences_in_truth, extract};
use serde_json::{json, Value};

/// The report in the shape of a truth file ([`common::as_truth`]), with the
/// referential as the report gives it (name and label as written) and the audit's
/// origin, which these truths hold.
fn as_truth(report: &Report) -> Value {
    let full = serde_json::to_value(report).expect("report serialises");
    let mut truth = common::as_truth(report);
    let m = &full["metadata"];
    truth["metadata"]["referential"] = m["referential"].clone();
    truth["metadata"]["audit_origin"] = m.get("audit_origin").cloned().unwrap_or(Value::Null);
    truth
}

fn comparable_truth(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("truth parses")
}

fn check_against_truth(text: &str, truth: &str) {
    let got = as_truth(&extract(text));
    let want = comparable_truth(truth);
    let mut diffs = Vec::new();
    differences_in_truth("", &got, &want, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{text}: {} differences from {truth}:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

const LEGACY: &str = "fixtures/legacy";

#[test]
fn haute_garonne_layout_dump_reads_as_its_truth_in_both_encodings() {
    let name = "haute-garonne-2021-pagebreaks.layout";
    check_against_truth(
        &format!("{LEGACY}/{name}.txt"),
        &format!("{LEGACY}/{name}.truth.json"),
    );
    check_against_truth(
        &format!("{LEGACY}/{name}.cp1252.txt"),
        &format!("{LEGACY}/{name}.cp1252.truth.json"),
    );
}

/// A Word export joining a row's cells with tabs: the cover's "REFERENTIEL<tab>value"
/// gives the value alone.
#[test]
fn doubs_word_tabs_reads_as_its_truth_in_both_encodings() {
    let name = "doubs-2021-word-tabs";
    let truth = format!("{LEGACY}/{name}.truth.json");
    check_against_truth(&format!("{LEGACY}/{name}.txt"), &truth);
    check_against_truth(&format!("{LEGACY}/{name}.cp1252.txt"), &truth);
}

/// The Calc grid of lot-et-garonne, whose row M2 22 has its finding shifted left to
/// one space after the title (a dump shifts a wide cell), and Manche's Word export,
/// whose paragraphs carry words cut at line ends ("pré-" / "fecture") beside compounds
/// ("rendez-" / "vous", "Cherbourg-en-" / "Cotentin").
#[test]
fn lot_et_garonne_layout_and_manche_word_paragraphs_read_as_their_truths() {
    for (text, truth) in [
        (
            "lot-et-garonne-2019-calc.layout.txt",
            "lot-et-garonne-2019-calc.layout.truth.json",
        ),
        (
            "lot-et-garonne-2019-calc.layout.cp1252.txt",
            "lot-et-garonne-2019-calc.layout.cp1252.truth.json",
        ),
        (
            "manche-2020-word-paragraphs.txt",
            "manche-2020-word-paragraphs.truth.json",
        ),
        (
            "manche-2020-word-paragraphs.cp1252.txt",
            "manche-2020-word-paragraphs.cp1252.truth.json",
        ),
    ] {
        check_against_truth(&format!("{LEGACY}/{text}"), &format!("{LEGACY}/{truth}"));
    }
}

/// What a report reads as, minus its source: assessments (without ids and
/// provenance, which count text lines differently), conclusion.
fn reading(report: &Report) -> Value {
    let t = as_truth(report);
    json!({ "assessments": t["assessments"], "conclusion": t["conclusion"] })
}

fn dump_reads_as_its_pdf(name: &str) {
    let dump = format!("fixtures/layout/pdf--{name}.layout.txt");
    let pdf = format!("fixtures/pdf/{name}.pdf");
    same_reading(&dump, &pdf, reading);
}

/// The differences between what a dump and its PDF read as, seen through `view`.
fn same_reading(dump: &str, pdf: &str, view: fn(&Report) -> Value) {
    let (got, want) = (view(&extract(dump)), view(&extract(pdf)));
    let mut diffs = Vec::new();
    differences_in_truth("", &got, &want, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{dump} vs {pdf}: {} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

fn assessments_only(report: &Report) -> Value {
    as_truth(report)["assessments"].clone()
}

#[test]
fn layout_dumps_give_the_same_assessments_and_conclusion_as_their_pdfs() {
    dump_reads_as_its_pdf("haute-garonne-2021-pagebreaks");
}

/// Calc's grid over two pages with a row whose finding the dump shifted left
/// (lot-et-garonne), a page whose findings start four characters left of the others
/// and a last grid page of two rows (tarn-et-garonne), AcroForm boxes (vaucluse).
#[test]
fn every_pdf_fixture_dump_reads_as_its_pdf() {
    for name in [
        "lot-et-garonne-2019-calc",
        "tarn-et-garonne-2022",
        "vaucluse-2024-acroform",
    ] {
        dump_reads_as_its_pdf(name);
    }
}

/// These dumps give their PDF's assessments; their conclusions are checked in
/// `conclusion_boxes_of_side_by_side_dumps` (somme's in `style_dumps_read_as_their_pdfs`).
#[test]
fn dumps_give_the_same_assessments_as_their_pdfs() {
    same_reading(
        "fixtures/layout/pdf--correze-2023-checkboxes.layout.txt",
        "fixtures/pdf/correze-2023-checkboxes.pdf",
        assessments_only,
    );
    for name in [
        "pyrenees-atlantiques-2021-shaded-header",
        "somme-2024-hrules-only",
    ] {
        same_reading(
            &format!("fixtures/layout/styles--{name}.layout.txt"),
            &format!("fixtures/styles/{name}.pdf"),
            assessments_only,
        );
    }
}

/// A conclusion label wrapped over more lines than its content ("LES RESULTATS DES" /
/// "ENQUETES DE SATISFACTION" / "DES USAGERS" beside one line) keeps that content:
/// leaving a label empty while a content line stands level with it costs in
/// `conclusion::side_by_side_boxes`.
#[test]
fn conclusion_boxes_of_side_by_side_dumps() {
    dump_reads_as_its_pdf("correze-2023-checkboxes");
    same_reading(
        "fixtures/layout/styles--pyrenees-atlantiques-2021-shaded-header.layout.txt",
        "fixtures/styles/pyrenees-atlantiques-2021-shaded-header.pdf",
        reading,
    );
}

/// The grids of the style fixtures: cells centred in rows without rules, a row's
/// findings starting above its title (cote-d-or); cells at the bottom of Calc rows,
/// a page title "Grille d'audit" over each page (isere); a title one space from a
/// finding shifted two characters left (finistere: "formés sur les armes)"); a
/// conclusion label in capitals one space from its content ("LES RESULTATS DES
/// ENQUETES DE 89 % de satisfaits", somme) and labels at the top of their cells
/// (finistere). The Chromium print is read in tests of its own.
#[test]
fn style_dumps_read_as_their_pdfs() {
    for name in [
        "cote-d-or-2023-borderless-middle",
        "finistere-2022-borderless-top",
        "isere-2020-calc-bottom",
        "somme-2024-hrules-only",
    ] {
        same_reading(
            &format!("fixtures/layout/styles--{name}.layout.txt"),
            &format!("fixtures/styles/{name}.pdf"),
            reading,
        );
    }
}

/// A dump line cut into columns where only one space parts a label in capitals from
/// its content, no neighbour's cell starting there, says so (`layout_column_guessed`,
/// naming the line) and counts in the quality; a dump whose cuts all fall in gutters
/// or where a neighbour's cell starts says nothing.
#[test]
fn guessed_column_cuts_are_diagnosed_and_counted() {
    let path = "fixtures/layout/styles--somme-2024-hrules-only.layout.txt";
    let report = extract(path);
    let guessed: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "layout_column_guessed")
        .collect();
    let line = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("LES RESULTATS DES ENQUETES DE 89 %"))
        .expect("the line")
        + 1;
    assert!(
        guessed.iter().any(
            |d| d.provenance.as_ref().is_some_and(|p| p.line_start == line)
                && d.message.contains("89 %")
        ),
        "{guessed:?}"
    );
    assert_eq!(report.quality.columns_guessed, guessed.len());
    let n = report.assessments.len() as f64;
    let doubtful = (report.quality.rows_without_code
        + report.quality.texts_without_marker
        + report.quality.unplaced_texts
        + report.quality.uncertain_boxes
        + guessed.len()) as f64;
    assert_eq!(
        report.quality.score,
        (1000.0 * n / (n + doubtful)).round() / 1000.0
    );

    let clean =
        extract("fixtures/layout/styles--pyrenees-atlantiques-2021-shaded-header.layout.txt");
    let noted: Vec<_> = clean
        .diagnostics
        .iter()
        .filter(|d| d.code == "layout_column_guessed")
        .collect();
    assert!(noted.is_empty(), "{noted:?}");
    assert_eq!(clean.quality.columns_guessed, 0);
    // A PDF reads no dump: never such a diagnostic.
    let pdf = extract("fixtures/styles/somme-2024-hrules-only.pdf");
    assert!(!pdf
        .diagnostics
        .iter()
        .any(|d| d.code == "layout_column_guessed"));
}

#[test]
fn the_dumps_are_those_of_the_bundled_pdfs() {
    // Each committed dump names a PDF fixture that exists, and every PDF fixture has one.
    let mut pdfs: Vec<String> = Vec::new();
    for dir in ["fixtures/pdf", "fixtures/styles"] {
        for entry in std::fs::read_dir(dir).expect("fixture dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "pdf") {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                let short = &dir["fixtures/".len()..];
                pdfs.push(format!("{short}--{stem}.layout.txt"));
            }
        }
    }
    pdfs.sort();
    let mut dumps: Vec<String> = std::fs::read_dir("fixtures/layout")
        .expect("fixtures/layout")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".layout.txt"))
        .collect();
    dumps.sort();
    assert_eq!(dumps, pdfs, "rerun scripts/fixtures/make-layout-dumps.sh");
}
