//! Reports on the templates before Qual-e-pref (QUALIPREF 2.0 blocks, QUALIPREF2
//! findings tables, Marianne certification reports), each as the PDF LibreOffice
//! exported and as its `pdftotext -raw` text layer, against the truth written from
//! its description before any tool read it (`fixtures/legacy/README.md`). Every field
//! of the truth is compared: metadata, context, assessments (code and theme
//! included), conclusion. Also: Qual-e-pref reports are still read as Qual-e-pref,
//! their themes by the referential's structure.

mod common;
use audit_extract::{extract_bytes, model::Report};
use common::{differences, extract};
use serde_json::{json, Value};

/// Legacy-template fixtures (`fixtures/legacy/<name>.{txt,pdf,truth.json}`).
const LEGACY: &[&str] = &[
    "puy-de-dome-2016-qualipref20",
    "vienne-2017-qualipref20",
    "gard-2014-qualipref2",
    "loire-atlantique-2013-qualipref2",
    "bas-rhin-2009-marianne",
    "herault-2015-marianne",
];

/// The report in the shape of a legacy truth (`code` only where the report has one,
/// so a code the truth does not hold shows as a difference).
fn as_truth(report: &Report) -> Value {
    let full = serde_json::to_value(report).expect("report serialises");
    let m = &full["metadata"];
    let assessments: Vec<Value> = full["assessments"]
        .as_array()
        .expect("assessments")
        .iter()
        .map(|a| {
            let mut v = json!({
                "section": a["section"],
                "phase": a["phase"],
                "channel": a["channel"],
                "module": a["module"],
                "number": a["number"],
                "theme": a["theme"],
                "title": a["title"],
                "conformity": a["conformity"],
                "annotations": a["annotations"],
            });
            if let Some(code) = a.get("code") {
                v["code"] = code.clone();
            }
            v
        })
        .collect();
    let mut truth = json!({
        "metadata": {
            "referential": m["referential"],
            "department": m["department"],
            "department_code": m["department_code"],
            "city": m["city"],
            "site_type": m["site_type"],
            "audit_dates": m["audit_dates"],
            "signature_date": m["signature_date"],
            "auditors": m["auditors"],
            "audit_type": m["audit_type"],
            "audit_origin": m["audit_origin"],
            "modules_covered": m["modules_covered"],
        },
        "context": full["context"],
        "assessments": assessments,
        "conclusion": full["conclusion"],
    });
    // The sites' address only where the report has one (Marianne's form), so an
    // address the truth does not hold shows as a difference.
    if let Some(address) = m.get("address") {
        truth["metadata"]["address"] = address.clone();
    }
    truth
}

fn truth(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The differences of one legacy fixture in one form (`txt` or `pdf`).
fn legacy_differences(name: &str, ext: &str) -> Vec<String> {
    let report = extract(&format!("fixtures/legacy/{name}.{ext}"));
    let want = truth(&format!("fixtures/legacy/{name}.truth.json"));
    let mut diffs = Vec::new();
    differences("", &as_truth(&report), &want, &mut diffs);
    diffs
}

fn check_all(ext: &str) {
    let mut failures = Vec::new();
    for name in LEGACY {
        let diffs = legacy_differences(name, ext);
        if !diffs.is_empty() {
            failures.push(format!(
                "{name}.{ext}: {} differences\n  {}",
                diffs.len(),
                diffs.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn legacy_text_layers_read_as_their_truths() {
    check_all("txt");
}

#[test]
fn legacy_pdfs_read_as_their_truths() {
    check_all("pdf");
}

#[test]
fn each_legacy_report_is_read_with_its_own_template() {
    for (name, referential) in [
        ("puy-de-dome-2016-qualipref20", "qualipref-2.0"),
        ("vienne-2017-qualipref20", "qualipref-2.0"),
        ("gard-2014-qualipref2", "qualipref2"),
        ("loire-atlantique-2013-qualipref2", "qualipref2"),
        ("bas-rhin-2009-marianne", "marianne-2008"),
        ("herault-2015-marianne", "marianne-2008"),
    ] {
        for ext in ["txt", "pdf"] {
            let report = extract(&format!("fixtures/legacy/{name}.{ext}"));
            let got = serde_json::to_value(&report.metadata.referential).expect("serialises");
            assert_eq!(got["name"], referential, "{name}.{ext}");
            // Recaps, gap sheets and closing minutes repeat findings: no assessment
            // may come twice.
            let mut ids: Vec<&str> = report.assessments.iter().map(|a| a.id.as_str()).collect();
            ids.sort_unstable();
            let before = ids.len();
            ids.dedup();
            assert_eq!(ids.len(), before, "{name}.{ext}: repeated assessments");
            // Sub-items of one commitment (E3.1, E3.2) are no duplicates.
            assert!(
                report
                    .diagnostics
                    .iter()
                    .all(|d| d.code != "duplicate_assessment"),
                "{name}.{ext}: {:?}",
                report.diagnostics
            );
        }
    }
}

/// Qual-e-pref reports: still read as Qual-e-pref, and their themes follow the
/// referential's structure as their truths say (the full comparison of every field is
/// `tests/pdf_input.rs` and `tests/text_input.rs`).
#[test]
fn qual_e_pref_reports_keep_their_reading_and_gain_themes() {
    for name in [
        "tarn-et-garonne-2022",
        "haute-garonne-2021-pagebreaks",
        "lot-et-garonne-2019-calc",
        "correze-2023-checkboxes",
        "vaucluse-2024-acroform",
    ] {
        let report = extract(&format!("fixtures/pdf/{name}.pdf"));
        let want = truth(&format!("fixtures/pdf/{name}.truth.json"));
        let want = want["assessments"].as_array().expect("assessments");
        assert_eq!(report.assessments.len(), want.len(), "{name}");
        for (a, w) in report.assessments.iter().zip(want) {
            let got = serde_json::to_value(a).expect("serialises");
            assert_eq!(got["theme"], w["theme"], "{name} {}", a.id);
            assert_eq!(got["number"], w["number"], "{name} {}", a.id);
            assert!(got.get("code").is_none(), "{name} {}: no code", a.id);
        }
    }
    let golden = truth("fixtures/expected/tarn-et-garonne-2022-reference.json");
    let report = extract("fixtures/text/tarn-et-garonne-2022-reference.txt");
    let got = serde_json::to_value(&report).expect("serialises");
    assert_eq!(got["assessments"], golden["assessments"]);
}

/// A QUALIPREF 2.0 report whose content was filled into a Qual-e-pref grid holds no
/// "Engagement n°N :" block: it is read by the grid passes, as before templates, and
/// not held to Qual-e-pref's numbering.
#[test]
fn a_legacy_referential_in_a_grid_is_still_read() {
    let text = "\
Référentiel : QUALIPREF 2.0
Engagements de service
Appréciation de l'auditeur
Conformité
Module 1
1. Nous vous informons sur nos horaires
Note : Les affichages sont à jour.
C
";
    let report = extract_bytes("grid.txt", text.as_bytes()).expect("a report");
    assert_eq!(report.assessments.len(), 1, "{:?}", report.diagnostics);
    let name = serde_json::to_value(&report.metadata.referential).expect("serialises");
    assert_eq!(name["name"], "qualipref-2.0");
    assert_eq!(
        report.assessments[0].theme,
        Some(audit_extract::model::Theme::Autre)
    );
}
