//! Accuracy on reports the tool has never seen: the corpus generator
//! (`examples/generate_corpus.rs`, the one the benchmarks run) writes seeded reports in
//! text and PDF form with their truth; the library extracts them and `score` compares
//! every field with the truth. Measured at 100 % (exact text matching) for both forms,
//! so the test asserts exactly that and prints what each file loses when it is not.

use std::path::Path;

use audit_extract::score::{self, Matching};
use serde_json::Value;

// The example's command line (`main`, its flags, `write`) is not used here.
#[allow(dead_code)]
#[path = "../examples/generate_corpus.rs"]
mod generate_corpus;

const SEED: u64 = 20240601;
const REPORTS: usize = 30;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// Writes the corpus under `dir` (`text/`, `pdf/`, `expected/`) and returns the truths.
fn generate(dir: &Path) -> Vec<Value> {
    (0..REPORTS)
        .map(|index| {
            let report = generate_corpus::generate_report(SEED, index, true);
            let name = &report.name;
            write(&dir.join(format!("text/{name}.txt")), &report.text);
            write(
                &dir.join(format!("pdf/{name}.pdf")),
                report.pdf.as_deref().expect("asked for a PDF"),
            );
            write(
                &dir.join(format!("expected/{name}.expected.json")),
                report.expected_json.as_bytes(),
            );
            serde_json::from_str(&report.expected_json).expect("expected JSON")
        })
        .collect()
}

/// Extracts every file of `inputs` with the library into `out/NAME.json`.
fn extract_all(inputs: &Path, out: &Path) {
    let mut files: Vec<_> = std::fs::read_dir(inputs)
        .expect("inputs")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for file in files {
        let report = audit_extract::extract_file(&file).unwrap_or_else(|e| panic!("{e}"));
        let stem = file.file_stem().expect("stem").to_string_lossy();
        write(
            &out.join(format!("{stem}.json")),
            audit_extract::output::to_json(&report).as_bytes(),
        );
    }
}

/// What the truths hold, to check that everything was scored.
fn totals(truths: &[Value]) -> (u64, u64) {
    let assessments = truths
        .iter()
        .flat_map(|t| t["assessments"].as_array().expect("list"));
    let annotations = assessments
        .clone()
        .map(|a| a["annotations"].as_array().expect("annotations").len() as u64)
        .sum();
    (assessments.count() as u64, annotations)
}

/// Score fields holding one value per report, with their JSON pointer in a truth.
fn value_fields() -> Vec<(String, String)> {
    let metadata = [
        "referential/name",
        "department",
        "department_code",
        "city",
        "site_type",
        "audit_dates",
        "signature_date",
        "auditors",
        "audit_type",
        "audit_origin",
        "modules_covered",
    ];
    let boxes = [
        "general",
        "strengths",
        "sensitive_points",
        "improvement_tracks",
        "comments",
        "good_practices",
        "satisfaction_results",
        "graphic_charter",
        "deviations",
    ];
    let metadata = metadata.iter().map(|f| {
        let name = f.trim_end_matches("/name");
        (format!("metadata.{name}"), format!("/metadata/{f}"))
    });
    let boxes = boxes
        .iter()
        .map(|b| (format!("conclusion.{b}"), format!("/conclusion/{b}")));
    let context = std::iter::once(("context".to_owned(), "/context".to_owned()));
    metadata.chain(context).chain(boxes).collect()
}

/// A value the truth states (not null, not empty).
fn stated(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

#[test]
fn generated_reports_are_extracted_exactly_in_text_and_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let truths = generate(dir.path());
    // The corpus varies its layout; a corpus that stopped doing so would prove little.
    for flag in [
        "cover_checkboxes",
        "form_feeds",
        "trailing_phase_headers",
        "scrambled_conclusion",
        "crlf",
    ] {
        let set: Vec<bool> = truths
            .iter()
            .map(|t| t["layout"][flag].as_bool().expect(flag))
            .collect();
        assert!(
            set.contains(&true) && set.contains(&false),
            "{flag}: {set:?}"
        );
    }
    let (assessments, annotations) = totals(&truths);
    for form in ["text", "pdf"] {
        let out = dir.path().join(format!("out-{form}"));
        extract_all(&dir.path().join(form), &out);
        let evaluation = score::evaluate(&dir.path().join("expected"), &out).expect("scores");
        assert_eq!(evaluation.files.len(), REPORTS, "{form}");
        assert!(
            evaluation.files.iter().all(|f| f.output.is_some()),
            "{form}"
        );
        assert!(evaluation.unpaired_outputs.is_empty(), "{form}");
        let exact = evaluation.at(Matching::Exact);
        let micro = exact.micro("");
        assert!(
            micro.fp == 0 && micro.fn_ == 0,
            "{form}: not every value was extracted exactly\n{}",
            score::render_table(&evaluation, true)
        );
        // Everything the truth holds was scored.
        assert_eq!(exact.get("assessments").tp, assessments, "{form}");
        assert_eq!(exact.micro("annotation.").tp, annotations, "{form}");
        for field in ["title", "conformity"] {
            assert_eq!(exact.get(field).tp, assessments, "{form} {field}");
        }
        for (field, path) in value_fields() {
            let stated = truths.iter().filter(|t| stated(t.pointer(&path))).count();
            assert_eq!(exact.get(&field).tp, stated as u64, "{form} {field}");
        }
    }
}

#[test]
fn the_generator_gives_the_same_bytes_for_the_same_seed() {
    let a = generate_corpus::generate_report(SEED, 7, true);
    let b = generate_corpus::generate_report(SEED, 7, true);
    assert_eq!(
        (a.text, a.pdf, a.expected_json),
        (b.text, b.pdf, b.expected_json)
    );
    let other = generate_corpus::generate_report(SEED + 1, 7, false);
    assert!(other.pdf.is_none());
}
