//! `audit-extract score GOLD OUT` as a user runs it: hand-made gold/output pairs whose
//! scores were counted by hand, every committed fixture against its truth, unpaired
//! files and unreadable ones.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .args(args)
        .output()
        .expect("run the binary")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write");
}

/// `score --json` on GOLD and OUT; the parsed report (the run must succeed).
fn score_json(gold: &Path, out: &Path) -> Value {
    let run = run(&["score", s(gold), s(out), "--json", "--per-file"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("score --json prints JSON")
}

/// TP, FP, FN of one field at one level.
fn counts(report: &Value, level: &str, field: &str) -> (u64, u64, u64) {
    let c = &report["scores"][level]["fields"][field];
    let n = |k: &str| c[k].as_u64().unwrap_or(0);
    (n("tp"), n("fp"), n("fn"))
}

fn micro(report: &Value, level: &str) -> (u64, u64, u64) {
    let c = &report["scores"][level]["micro"];
    let n = |k: &str| c[k].as_u64().expect("count");
    (n("tp"), n("fp"), n("fn"))
}

fn assessment(phase: &str, module: Option<u8>, number: u32, title: &str, code: &str) -> Value {
    json!({
        "phase": phase, "section": if module.is_some() { "module" } else { "pilotage" },
        "module": module, "number": number, "channel": null,
        "title": title, "conformity": code, "annotations": [],
    })
}

fn annotations(a: &mut Value, list: &[(&str, &str)]) {
    a["annotations"] = list
        .iter()
        .map(|(kind, text)| json!({"kind": kind, "text": text}))
        .collect();
}

/// A truth file in the shape of `fixtures/pdf/*.truth.json`: three assessments.
fn hand_gold() -> Value {
    let mut a1 = assessment("on_site", Some(1), 1, "Nous traitons vos réclamations", "C");
    annotations(
        &mut a1,
        &[
            ("PP", "Mettre à jour le bilan des réclamations."),
            ("NOTE", "Registre tenu à l'accueil."),
        ],
    );
    let mut a2 = assessment("on_site", Some(1), 2, "Un accueil attentif", "NC_MIN");
    annotations(&mut a2, &[("PS", "Délais de réponse trop longs.")]);
    let mut a3 = assessment("remote_internet", Some(1), 11, "Un site à jour", "C");
    a3["channel"] = json!("site_internet");
    annotations(&mut a3, &[("PF", "Site clair.")]);
    json!({
        "metadata": {
            "referential": "qual-e-pref", "department": "Corrèze", "city": "Tulle",
            "site_type": null, "audit_type": null, "auditors": ["Anne MARTIN"],
        },
        "context": "La préfecture accueille les usagers.",
        "assessments": [a1, a2, a3],
        "conclusion": { "general": "Label maintenu.", "comments": null },
    })
}

/// What a tool might have extracted from it, in the report shape: one annotation
/// missed, one wrong code, one assessment missed and one invented, a title and the
/// context differing only by a line-end hyphen and whitespace, a wrong city, an
/// inferred site type the truth does not state, a cover audit type it does not have.
fn hand_output() -> Value {
    let mut a1 = assessment(
        "on_site",
        Some(1),
        1,
        "Nous traitons vos récla- mations",
        "C",
    );
    annotations(
        &mut a1,
        &[("PP", "Mettre à jour le bilan des réclamations.")],
    );
    let mut a2 = assessment("on_site", Some(1), 2, "Un accueil attentif", "C");
    annotations(&mut a2, &[("PS", "Délais de réponse trop longs.")]);
    let mut invented = assessment("on_site", None, 1, "Revue de direction", "C");
    annotations(&mut invented, &[("NOTE", "Revue annuelle.")]);
    json!({
        "schema_version": "1",
        "metadata": {
            "referential": {"name": "qual-e-pref", "label": "Référentiel qual-e-pref"},
            "department": "Corrèze", "city": "Brive-la-Gaillarde",
            "site_type": "prefecture", "site_type_evidence": "inferred",
            "audit_type": "suivi", "audit_type_evidence": "cover",
            "auditors": ["Anne MARTIN"],
        },
        "context": "La préfecture  accueille les\nusagers.",
        "assessments": [a1, a2, invented],
        "conclusion": { "general": "Label maintenu.", "comments": "Rien.", "strengths": "Accueil." },
        "diagnostics": [],
    })
}

#[test]
fn hand_counted_pair_scores_what_was_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (gold, out) = (dir.path().join("gold"), dir.path().join("out"));
    write(&gold.join("x.truth.json"), &hand_gold());
    write(&out.join("x.json"), &hand_output());
    let report = score_json(&gold, &out);
    let soft = |field| counts(&report, "soft", field);
    assert_eq!(soft("assessments"), (2, 1, 1));
    assert_eq!(soft("phase.on_site"), (2, 1, 0));
    assert_eq!(soft("phase.remote_internet"), (0, 0, 1));
    assert_eq!(soft("title"), (2, 1, 1), "hyphenation only: same title");
    assert_eq!(soft("conformity"), (1, 2, 2));
    assert_eq!(soft("channel"), (0, 0, 1));
    assert_eq!(soft("annotation.PP"), (1, 0, 0));
    assert_eq!(soft("annotation.PS"), (1, 0, 0));
    assert_eq!(soft("annotation.PF"), (0, 0, 1));
    assert_eq!(soft("annotation.NOTE"), (0, 1, 1));
    assert_eq!(soft("metadata.referential"), (1, 0, 0));
    assert_eq!(soft("metadata.department"), (1, 0, 0));
    assert_eq!(soft("metadata.city"), (0, 1, 1));
    assert_eq!(
        soft("metadata.site_type"),
        (0, 0, 0),
        "inferred, not stated"
    );
    assert_eq!(
        soft("metadata.audit_type"),
        (0, 1, 0),
        "claimed from the cover"
    );
    assert_eq!(soft("metadata.auditors"), (1, 0, 0));
    assert_eq!(soft("context"), (1, 0, 0));
    assert_eq!(soft("conclusion.general"), (1, 0, 0));
    assert_eq!(soft("conclusion.comments"), (0, 1, 0));
    assert_eq!(soft("conclusion.strengths"), (0, 0, 0), "not in the truth");
    assert_eq!(micro(&report, "soft"), (12, 8, 8));
    // Exactly, the hyphenated title and the re-spaced context are wrong.
    assert_eq!(counts(&report, "exact", "title"), (1, 2, 2));
    assert_eq!(counts(&report, "exact", "context"), (0, 1, 1));
    assert_eq!(micro(&report, "exact"), (10, 10, 10));
    let f1 = report["scores"]["soft"]["micro"]["f1"]
        .as_f64()
        .expect("f1");
    assert!((f1 - 24.0 / 40.0).abs() < 1e-4, "{f1}");

    // The table says the same, and --per-file names what the file loses.
    let table = run(&["score", s(&gold), s(&out), "--per-file"]);
    assert_eq!(table.status.code(), Some(0));
    let table = String::from_utf8(table.stdout).expect("UTF-8");
    let row = |field: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(field))
            .unwrap_or_else(|| panic!("no row {field} in\n{table}"))
            .split_whitespace()
            .skip(1)
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(row("conformity"), "1 2 2");
    assert_eq!(row("annotation.NOTE"), "0 1 1");
    assert!(table.contains("annotation.NOTE (FP 1, FN 1)"), "{table}");
}

fn truth_counts(truth: &Value) -> (u64, u64) {
    let assessments = truth["assessments"].as_array().expect("assessments");
    let annotations = assessments
        .iter()
        .map(|a| a["annotations"].as_array().expect("annotations").len() as u64)
        .sum();
    (assessments.len() as u64, annotations)
}

/// A perfect score on every field, at the strictest level, covering everything the
/// truth holds.
fn assert_perfect(report: &Value, truths: &[&Path]) {
    for level in ["exact", "soft"] {
        let (tp, fp, fn_) = micro(report, level);
        assert_eq!((fp, fn_), (0, 0), "{level}: {report:#}");
        assert!(tp > 0);
    }
    let (mut assessments, mut annotations) = (0, 0);
    for truth in truths {
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(truth).expect("truth")).expect("JSON");
        let (a, n) = truth_counts(&truth);
        assessments += a;
        annotations += n;
    }
    assert_eq!(counts(report, "exact", "assessments").0, assessments);
    let groups = &report["scores"]["exact"]["groups"];
    assert_eq!(groups["annotation"]["tp"].as_u64(), Some(annotations));
    assert_eq!(report["scores"]["exact"]["micro"]["f1"].as_f64(), Some(1.0));
}

#[test]
fn every_committed_fixture_scores_one_against_its_truth() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("pdf");
    let extract = run(&["extract", "fixtures/pdf", "-o", s(&out), "-q"]);
    assert!(extract.status.success(), "{extract:?}");
    let report = score_json(Path::new("fixtures/pdf"), &out);
    let mut truths: Vec<_> = std::fs::read_dir("fixtures/pdf")
        .expect("fixtures/pdf")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".truth.json"))
        .collect();
    truths.sort();
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), truths.len());
    assert!(files.iter().all(|f| f["output"].is_string()), "{files:#?}");
    assert_perfect(
        &report,
        &truths.iter().map(|p| p.as_path()).collect::<Vec<_>>(),
    );

    // The Chromium print of the Corrèze report reads as the LibreOffice one's truth.
    let chromium = dir.path().join("chromium.json");
    let extract = run(&["extract", "fixtures/pdf/correze-2023-chromium.pdf"]);
    assert!(extract.status.success(), "{extract:?}");
    std::fs::write(&chromium, &extract.stdout).expect("write");
    let truth = Path::new("fixtures/pdf/correze-2023-checkboxes.truth.json");
    assert_perfect(&score_json(truth, &chromium), &[truth]);

    // The reference text against its reviewed golden JSON (a whole report as gold).
    let text = dir.path().join("text");
    let extract = run(&["extract", "fixtures/text", "-o", s(&text), "-q"]);
    assert!(extract.status.success(), "{extract:?}");
    let golden = Path::new("fixtures/expected/tarn-et-garonne-2022-reference.json");
    let report = score_json(golden, &text.join("tarn-et-garonne-2022-reference.json"));
    assert_perfect(&report, &[golden]);
    assert_eq!(counts(&report, "exact", "metadata.audit_origin"), (1, 0, 0));
}

#[test]
fn unpaired_files_are_reported_and_a_gold_without_output_is_all_missed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (gold, out) = (dir.path().join("gold"), dir.path().join("out"));
    write(&gold.join("a.truth.json"), &hand_gold());
    write(&gold.join("b.expected.json"), &hand_gold());
    write(&gold.join("c.truth.json"), &hand_gold());
    write(&out.join("a.json"), &hand_gold());
    write(&out.join("other.json"), &hand_output());
    // No c.json beside a.json: c pairs by file name with the one c.json deeper down.
    write(&out.join("deep/er/c.pdf.json"), &hand_gold());
    let report = score_json(&gold, &out);
    let files = report["files"].as_array().expect("files");
    fn name(v: &Value) -> Option<&str> {
        v.as_str().and_then(|p| p.rsplit('/').next())
    }
    let paired: Vec<(&str, Option<&str>)> = files
        .iter()
        .map(|f| (name(&f["gold"]).expect("gold"), name(&f["output"])))
        .collect();
    assert_eq!(
        paired,
        [
            ("a.truth.json", Some("a.json")),
            ("b.expected.json", None),
            ("c.truth.json", Some("c.pdf.json")),
        ]
    );
    let unpaired = report["unpaired_outputs"].as_array().expect("unpaired");
    assert_eq!(unpaired.len(), 1);
    assert!(unpaired[0].as_str().expect("path").ends_with("other.json"));
    // a and c are perfect, b is all missed: 3 assessments found twice, missed once.
    assert_eq!(counts(&report, "soft", "assessments"), (6, 0, 3));
    assert_eq!(counts(&report, "soft", "annotation.PP"), (2, 0, 1));
    let b = &files[1]["scores"]["soft"]["micro"];
    assert_eq!((b["tp"].as_u64(), b["fp"].as_u64()), (Some(0), Some(0)));
    assert_eq!(b["recall"].as_f64(), Some(0.0));

    let table = run(&["score", s(&gold), s(&out)]);
    assert_eq!(table.status.code(), Some(0));
    let table = String::from_utf8(table.stdout).expect("UTF-8");
    assert!(
        table.contains(&format!(
            "gold without output (all missed): {}",
            s(&gold.join("b.expected.json"))
        )),
        "{table}"
    );
    assert!(
        table.contains(&format!(
            "output without gold (not scored): {}",
            s(&out.join("other.json"))
        )),
        "{table}"
    );
}

/// Exit code 2 and one line on stderr that names the file.
fn assert_refused(args: &[&str], names: &str) {
    let run = run(args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(names),
        "{stderr}"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn bad_json_missing_paths_and_empty_gold_are_usage_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (gold, out) = (dir.path().join("gold"), dir.path().join("out"));
    write(&gold.join("a.truth.json"), &hand_gold());
    std::fs::create_dir_all(&out).expect("mkdir");
    let bad = out.join("a.json");
    std::fs::write(&bad, "{ \"metadata\": ").expect("write");
    assert_refused(
        &["score", s(&gold), s(&out)],
        &format!("{}: not valid JSON", s(&bad)),
    );
    std::fs::write(&bad, "[1, 2]").expect("write");
    assert_refused(
        &["score", s(&gold), s(&out)],
        &format!("{}: not a JSON object", s(&bad)),
    );
    let missing = dir.path().join("nowhere");
    assert_refused(&["score", s(&missing), s(&out)], s(&missing));
    assert_refused(&["score", s(&gold), s(&missing)], s(&missing));
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    assert_refused(
        &["score", s(&empty), s(&out)],
        &format!("{}: no .json file", s(&empty)),
    );
    // A flag it does not know is a usage error too (clap's own message).
    assert_eq!(
        run(&["score", s(&gold), s(&out), "--nope"]).status.code(),
        Some(2)
    );
}
