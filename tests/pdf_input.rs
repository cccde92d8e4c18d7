//! The PDF form of a report, as a user runs it: each LibreOffice fixture against its
//! hand-written truth, and the PDF of the reference report against the reference text.
//!
//! The truth files (`fixtures/pdf/*.truth.json`) are written from the hand-made report
//! descriptions in `scripts/fixtures/reports/`, never from an extraction (see
//! `fixtures/pdf/README.md`). They hold what the report states: the cover fields as
//! ticked or written, every assessment, the context and the conclusion boxes.

mod common;
use audit_extract::model::Report;
use common::{as_truth, differences, extract};
use serde_json::Value;

/// PDF fixture and the truth it must read as (the Chromium print of the Corrèze report
/// says what the LibreOffice export says).
const FIXTURES: &[(&str, &str)] = &[
    ("tarn-et-garonne-2022", "tarn-et-garonne-2022"),
    ("lot-et-garonne-2019-calc", "lot-et-garonne-2019-calc"),
    ("correze-2023-checkboxes", "correze-2023-checkboxes"),
    ("correze-2023-chromium", "correze-2023-checkboxes"),
    (
        "haute-garonne-2021-pagebreaks",
        "haute-garonne-2021-pagebreaks",
    ),
    ("vaucluse-2024-acroform", "vaucluse-2024-acroform"),
];

#[test]
fn every_pdf_fixture_reads_as_its_truth() {
    let mut failures = Vec::new();
    for (name, truth) in FIXTURES {
        let report = extract(&format!("fixtures/pdf/{name}.pdf"));
        let truth: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("fixtures/pdf/{truth}.truth.json")).expect("truth"),
        )
        .expect("truth is JSON");
        let mut diffs = Vec::new();
        differences("", &as_truth(&report), &truth, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!(
                "{name}: {} differences\n  {}",
                diffs.len(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn inferred_cover_fields_are_never_claimed_as_ticked() {
    // The reference recreation has every box unticked: the tool may infer, not claim.
    let report = extract("fixtures/pdf/tarn-et-garonne-2022.pdf");
    let m = serde_json::to_value(&report.metadata).expect("metadata");
    for field in ["site_type", "audit_type", "modules_covered"] {
        assert_ne!(m[format!("{field}_evidence")], "cover", "{field}");
    }
    // The Corrèze fixture has ticked boxes: read from the cover.
    let report = extract("fixtures/pdf/correze-2023-checkboxes.pdf");
    let m = serde_json::to_value(&report.metadata).expect("metadata");
    for field in ["site_type", "audit_type", "modules_covered"] {
        assert_eq!(m[format!("{field}_evidence")], "cover", "{field}");
    }
}

#[test]
fn reference_pdf_reads_as_the_reference_text() {
    let pdf = extract("fixtures/pdf/tarn-et-garonne-2022.pdf");
    let text = extract("fixtures/text/tarn-et-garonne-2022-reference.txt");
    // Same ids, places, titles, codes and annotations, in the same order.
    let shape = |r: &Report| -> Vec<Value> {
        r.assessments
            .iter()
            .map(|a| {
                let mut v = serde_json::to_value(a).expect("assessment");
                v.as_object_mut().expect("object").remove("provenance");
                v
            })
            .collect()
    };
    let (p, t) = (shape(&pdf), shape(&text));
    assert_eq!(p.len(), t.len(), "assessment count");
    for (p, t) in p.iter().zip(&t) {
        assert_eq!(p, t);
    }
    assert_eq!(pdf.conclusion, text.conclusion);
    assert_eq!(pdf.metadata.department_code, text.metadata.department_code);
    assert_eq!(pdf.metadata.audit_dates, text.metadata.audit_dates);
}

#[test]
fn running_headers_and_footers_stay_out_of_the_text() {
    for name in ["lot-et-garonne-2019-calc", "haute-garonne-2021-pagebreaks"] {
        let json = serde_json::to_string(&extract(&format!("fixtures/pdf/{name}.pdf")))
            .expect("serialises");
        assert!(!json.contains(" / 5\""), "{name}");
        assert!(!json.contains("Page 2 /"), "{name}");
    }
}

/// The table styles without a ruled grid (`fixtures/styles/`, issue 9) that read as
/// their truths in every field.
const STYLES: &[&str] = &[
    "finistere-2022-borderless-top",
    "cote-d-or-2023-borderless-middle",
    "isere-2020-calc-bottom",
    "somme-2024-hrules-only",
    "pyrenees-atlantiques-2021-shaded-header",
];

fn style_differences(name: &str) -> Vec<String> {
    let report = extract(&format!("fixtures/styles/{name}.pdf"));
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("fixtures/styles/{name}.truth.json")).expect("truth"),
    )
    .expect("truth is JSON");
    let got = as_truth(&report);
    let mut diffs = Vec::new();
    differences("", &got, &truth, &mut diffs);
    diffs
}

#[test]
fn every_ruleless_table_style_reads_as_its_truth() {
    let mut failures = Vec::new();
    for name in STYLES {
        let diffs = style_differences(name);
        if !diffs.is_empty() {
            failures.push(format!(
                "{name}: {} differences\n  {}",
                diffs.len(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
