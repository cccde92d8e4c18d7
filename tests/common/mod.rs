//! Helpers shared by the test binaries that compare a report with a hand-written truth
//! (each binary uses some of them).
#![allow(dead_code)]

use audit_extract::extract_bytes;
use audit_extract::model::Report;
use serde_json::{json, Value};

/// The report of the file at `path` (the test fails, naming the file, if it cannot be
/// read or extracted).
pub fn extract(path: &str) -> Report {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    extract_bytes(path, &bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The report in the shape of a truth file: the metadata a truth holds (the
/// referential by its name; cover fields the tool inferred from the text, evidence
/// "inferred", count as absent, as the truths leave them), the context, the
/// assessments (their `code` only where the report has one) and the conclusion.
pub fn as_truth(report: &Report) -> Value {
    let full = serde_json::to_value(report).expect("report serialises");
    let m = &full["metadata"];
    let from_cover = |field: &str, absent: Value| match m[format!("{field}_evidence")].as_str() {
        Some("cover") => m[field].clone(),
        _ => absent,
    };
    let assessments: Vec<Value> = full["assessments"]
        .as_array()
        .expect("assessments")
        .iter()
        .map(|a| {
            let mut t = json!({
                "section": a["section"], "phase": a["phase"], "channel": a["channel"],
                "module": a["module"], "number": a["number"],
                "theme": a["theme"], "title": a["title"],
                "conformity": a["conformity"], "annotations": a["annotations"],
            });
            if !a["code"].is_null() {
                t["code"] = a["code"].clone();
            }
            t
        })
        .collect();
    json!({
        "metadata": {
            "referential": m["referential"]["name"],
            "department": m["department"],
            "department_code": m["department_code"],
            "city": m["city"],
            "site_type": from_cover("site_type", Value::Null),
            "audit_dates": m["audit_dates"],
            "signature_date": m["signature_date"],
            "auditors": m["auditors"],
            "audit_type": from_cover("audit_type", Value::Null),
            "modules_covered": from_cover("modules_covered", json!([])),
        },
        "context": full["context"],
        "assessments": assessments,
        "conclusion": full["conclusion"],
    })
}

/// Every field where `got` differs from `want`, with its path.
pub fn differences(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, w) in w {
                differences(
                    &format!("{path}.{key}"),
                    g.get(key).unwrap_or(&Value::Null),
                    w,
                    out,
                );
            }
            for key in g.keys().filter(|k| !w.contains_key(*k)) {
                out.push(format!("{path}.{key}: not in the truth ({})", g[key]));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                out.push(format!("{path}: {} items, truth has {}", g.len(), w.len()));
            }
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                differences(&format!("{path}[{i}]"), g, w, out);
            }
        }
        _ if got != want => out.push(format!("{path}:\n    got  {got}\n    want {want}")),
        _ => {}
    }
}

/// Every field of `want` where `got` differs, with its path; keys `want` does not hold
/// are not compared (a truth that leaves out a field the report has).
pub fn differences_in_truth(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, w) in w {
                differences_in_truth(
                    &format!("{path}.{key}"),
                    g.get(key).unwrap_or(&Value::Null),
                    w,
                    out,
                );
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                differences_in_truth(&format!("{path}[{i}]"), g, w, out);
            }
        }
        _ if got != want => out.push(format!("{path}: got {got}, want {want}")),
        _ => {}
    }
}

/// Whether Tesseract with French data can run; under CI (`CI=true`, where `.ci/run`
/// installs it) its absence fails the test instead of skipping it.
pub fn tesseract_present() -> bool {
    let ok = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("fra"));
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Tesseract with French data is missing under CI: .ci/run must install tesseract-ocr tesseract-ocr-fra"
        );
        eprintln!("skipped: tesseract (with fra) is not installed");
    }
    ok
}
