//! Bulk ingestion as a user runs it: `audit-extract extract INPUT... --output OUT`.
//!
//! Every test drives the built binary on inputs made in a temporary directory: the
//! reference report (and variants of it), the PDF fixtures when present, bad files,
//! and files on which a worker is told to misbehave through the test-only variable
//! `AUDIT_EXTRACT_TEST_CRASH_ON` (see `audit_extract::batch::worker`).
//!
//! Manifests are compared without `duration_ms`, the one field that differs between
//! two runs over the same inputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const REFERENCE: &str = "fixtures/text/tarn-et-garonne-2022-reference.txt";
const GOOD_PDF: &str = "fixtures/pdf/tarn-et-garonne-2022.pdf";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_audit-extract"));
    c.env_remove("AUDIT_EXTRACT_TEST_CRASH_ON");
    c
}

fn run(args: &[&str], crash_on: Option<&str>) -> Output {
    let mut c = bin();
    c.args(args);
    if let Some(spec) = crash_on {
        c.env("AUDIT_EXTRACT_TEST_CRASH_ON", spec);
    }
    c.output().expect("run the binary")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn reference() -> String {
    std::fs::read_to_string(REFERENCE).expect("reference fixture")
}

/// The reference with its population changed: same structure, other bytes.
fn variant(i: usize) -> String {
    reference().replace("266 000 habitants", &format!("{} habitants", 100_000 + i))
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A directory of `n` distinct text reports in a few subdirectories.
fn corpus(dir: &Path, n: usize) {
    for i in 0..n {
        write(&dir.join(format!("d{}/r{i:04}.txt", i % 4)), variant(i));
    }
}

fn manifest(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a manifest line is JSON"))
        .collect()
}

fn without_duration(rows: &[Value]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("duration_ms");
            r
        })
        .collect()
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(bytes) = std::fs::read(&path) {
                // (A file renamed away while a run goes on is skipped.)
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn json_outputs(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "json"))
        .collect()
}

fn schema_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&audit_extract::output::json_schema()).unwrap();
    jsonschema::validator_for(&schema).expect("the report schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, report: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what} does not validate: {errors:?}");
}

fn row<'m>(rows: &'m [Value], suffix: &str) -> &'m Value {
    rows.iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no manifest row for {suffix}"))
}

/// Copies a committed fixture; a missing one fails the test (it is part of the repo).
fn copy_fixture(from: &str, to: &Path) {
    let bytes = std::fs::read(from).unwrap_or_else(|e| panic!("fixture {from}: {e}"));
    write(to, bytes);
}

#[test]
fn a_mixed_directory_gives_one_right_row_per_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let out = tmp.path().join("out");
    write(&input.join("good/a.txt"), reference());
    write(&input.join("good/sub/b.txt"), variant(1));
    write(&input.join("z-dup/a-copy.txt"), reference());
    write(&input.join("bad/empty.txt"), b"");
    write(
        &input.join("bad/image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    write(
        &input.join("bad/letter.txt"),
        "Bonjour,\nVoici une lettre sans rapport avec un audit.\n",
    );
    write(&input.join("bad/crash.txt"), variant(2));
    write(&input.join("bad/overflow.txt"), variant(3));
    write(&input.join("bad/panic.txt"), variant(4));
    // `a.pdf` beside `a.txt`: both would write good/a.json.
    copy_fixture(GOOD_PDF, &input.join("good/a.pdf"));
    // Files that cannot be reports take no output name from a report beside them.
    copy_fixture(GOOD_PDF, &input.join("other/x.pdf"));
    write(
        &input.join("other/x.fodt"),
        "<?xml version=\"1.0\"?>\n<office:document><text:p>Module 1</text:p></office:document>\n",
    );
    write(
        &input.join("other/x.html"),
        "<!DOCTYPE html>\n<html><body><p>DEPARTEMENT : Tarn-et-Garonne</p></body></html>\n",
    );
    write(
        &input.join("other/x.docx"),
        b"PK\x03\x04 an office document",
    );
    // Named .pdf, bytes of an image: a damaged report, not a stray file.
    write(
        &input.join("bad/scan.pdf"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    copy_fixture(
        "fixtures/bad/truncated.pdf",
        &input.join("bad/truncated.pdf"),
    );
    copy_fixture(
        "fixtures/bad/encrypted-user-password.pdf",
        &input.join("bad/encrypted.pdf"),
    );
    let inputs = tree(&input).len();
    // A second argument with nothing that could be a report in it.
    let no_reports = tmp.path().join("no-reports");
    write(
        &no_reports.join("photo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );

    let o = run(
        &[
            "extract",
            s(&input),
            s(&no_reports),
            "--output",
            s(&out),
            "--jobs",
            "2",
        ],
        Some("crash.txt,overflow:overflow.txt,panic:panic.txt"),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "some inputs failed: {stderr}");
    assert!(o.stdout.is_empty());
    assert!(
        stderr.contains("inputs in") && stderr.contains("failed"),
        "summary: {stderr}"
    );

    assert!(
        stderr.contains(&format!(
            "warning: no PDF or text file found under {}",
            no_reports.display()
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&format!("found under {}\n", input.display())),
        "{stderr}"
    );
    // a-copy.txt, other/x.pdf (= good/a.pdf) and bad/scan.pdf (= bad/image.txt).
    assert!(stderr.contains("copies: 3 inputs"), "{stderr}");
    let rows = manifest(&out.join("manifest.jsonl"));
    assert_eq!(rows.len(), inputs + 1, "one row per input");
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(paths, sorted, "rows in input order");
    for r in &rows {
        assert_eq!(r["tool_version"], env!("CARGO_PKG_VERSION"));
    }

    let status = |suffix: &str| {
        (
            row(&rows, suffix)["status"].as_str().unwrap(),
            row(&rows, suffix)["error_kind"].as_str(),
        )
    };
    let ok = |suffix: &str| {
        let st = status(suffix).0;
        assert!(st == "ok" || st == "ok_with_warnings", "{suffix}: {st}");
    };
    ok("good/a.txt");
    ok("good/sub/b.txt");
    ok("z-dup/a-copy.txt");
    assert_eq!(status("bad/empty.txt"), ("failed", Some("empty")));
    assert_eq!(status("bad/image.txt"), ("skipped", Some("binary")));
    assert_eq!(status("bad/letter.txt"), ("skipped", Some("not_a_report")));
    assert_eq!(status("bad/crash.txt"), ("failed", Some("crash")));
    assert_eq!(status("bad/overflow.txt"), ("failed", Some("crash")));
    assert!(
        row(&rows, "bad/overflow.txt")["error"]
            .as_str()
            .unwrap()
            .contains("overflow"),
        "the worker's last words name the overflow"
    );
    assert_eq!(status("bad/panic.txt"), ("failed", Some("panic")));
    assert_eq!(status("bad/truncated.pdf").0, "failed");
    assert_eq!(
        status("bad/encrypted.pdf"),
        ("failed", Some("pdf_password_required"))
    );
    assert_eq!(status("bad/scan.pdf"), ("failed", Some("pdf_corrupt")));
    assert_eq!(status("other/x.fodt"), ("skipped", Some("not_a_report")));
    assert_eq!(status("other/x.html"), ("skipped", Some("not_a_report")));
    assert_eq!(status("other/x.docx"), ("skipped", Some("binary")));
    assert_eq!(status("no-reports/photo.png"), ("skipped", Some("binary")));
    ok("other/x.pdf");
    assert_eq!(row(&rows, "other/x.pdf")["output"], "other/x.json");

    // The duplicate is kept and says of what.
    let dup = row(&rows, "z-dup/a-copy.txt");
    assert_eq!(dup["sha256"], row(&rows, "good/a.txt")["sha256"]);
    assert!(dup["duplicate_of"]
        .as_str()
        .unwrap()
        .ends_with("good/a.txt"));
    assert_eq!(dup["output"], "z-dup/a-copy.json");

    // Colliding outputs are both kept, named deterministically.
    ok("good/a.pdf");
    assert_eq!(row(&rows, "good/a.pdf")["output"], "good/a.pdf.json");
    assert_eq!(row(&rows, "good/a.txt")["output"], "good/a.txt.json");
    assert_eq!(row(&rows, "good/sub/b.txt")["output"], "good/sub/b.json");

    // Exactly the ok rows have outputs, and every output validates.
    let validator = schema_validator();
    let outputs = json_outputs(&out);
    let with_output: Vec<&Value> = rows.iter().filter(|r| !r["output"].is_null()).collect();
    assert_eq!(outputs.len(), with_output.len());
    for r in with_output {
        assert!(r["status"].as_str().unwrap().starts_with("ok"));
        let bytes = &outputs[Path::new(r["output"].as_str().unwrap())];
        let report: Value = serde_json::from_slice(bytes).unwrap();
        assert_valid(&validator, r["output"].as_str().unwrap(), &report);
        assert_eq!(report["source"]["path"], r["path"]);
        assert_eq!(report["source"]["sha256"], r["sha256"]);
        assert_eq!(
            report["assessments"].as_array().unwrap().len() as u64,
            r["assessments"].as_u64().unwrap()
        );
    }
    assert!(
        tree(&out)
            .keys()
            .all(|p| !p.to_string_lossy().ends_with(".tmp")),
        "no temporary file left"
    );
}

#[test]
fn jobs_do_not_change_a_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 40);
    write(&input.join("d0/empty.txt"), b"");
    write(&input.join("d1/crash.txt"), variant(99));
    copy_fixture(GOOD_PDF, &input.join("d2/report.pdf"));
    let mut manifests = Vec::new();
    let mut trees = Vec::new();
    let mut lines = Vec::new();
    for jobs in ["1", "2", "3"] {
        let out = tmp.path().join(format!("out{jobs}"));
        let jsonl = tmp.path().join(format!("all{jobs}.jsonl"));
        let o = run(
            &[
                "extract",
                s(&input),
                "-o",
                s(&out),
                "--jobs",
                jobs,
                "--jsonl",
                s(&jsonl),
                "--quiet",
            ],
            Some("crash.txt"),
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(
            o.stderr.is_empty(),
            "--quiet: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        manifests.push(without_duration(&manifest(&out.join("manifest.jsonl"))));
        trees.push(json_outputs(&out));
        lines.push(std::fs::read(&jsonl).unwrap());
    }
    assert_eq!(manifests[0], manifests[1], "manifest, --jobs 1 vs 2");
    assert_eq!(manifests[0], manifests[2], "manifest, --jobs 1 vs 3");
    assert_eq!(trees[0], trees[1], "outputs, --jobs 1 vs 2");
    assert_eq!(trees[0], trees[2], "outputs, --jobs 1 vs 3");
    assert_eq!(lines[0], lines[1], "JSON Lines, --jobs 1 vs 2");

    // JSON Lines: one record per report, in manifest order, each the output compacted.
    let validator = schema_validator();
    let records: Vec<Value> = String::from_utf8(lines[0].clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ok_rows: Vec<&Value> = manifests[0]
        .iter()
        .filter(|r| !r["output"].is_null())
        .collect();
    assert_eq!(records.len(), ok_rows.len());
    for (record, r) in records.iter().zip(ok_rows) {
        assert_eq!(record["source"]["path"], r["path"]);
        let file: Value =
            serde_json::from_slice(&trees[0][Path::new(r["output"].as_str().unwrap())]).unwrap();
        assert_eq!(record, &file);
        assert_valid(&validator, "a JSON Lines record", record);
    }
}

#[test]
fn jsonl_to_stdout_without_output_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 5);
    let o = run(&["extract", s(&input), "--jsonl", "-", "-q"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let paths: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["source"]["path"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(paths.len(), 5);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn a_run_killed_at_any_moment_resumes_to_the_same_result() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 160);
    // A file that never finishes keeps the first run busy until it is killed.
    write(&input.join("d1/r0081-loop.txt"), variant(1000));
    const LOOP: &str = "loop:r0081-loop.txt";
    let trigger = Some(LOOP);
    let out = tmp.path().join("out");
    let args = |out: &Path| -> Vec<String> {
        [
            "extract",
            s(&input),
            "-o",
            s(out),
            "--jobs",
            "2",
            "--timeout",
            "3",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect()
    };

    let mut child = bin()
        .args(args(&out))
        .env("AUDIT_EXTRACT_TEST_CRASH_ON", LOOP)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while json_outputs(&out).len() < 40 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !out.join("manifest.jsonl").exists(),
        "the manifest takes its name only at the end"
    );
    let partial = json_outputs(&out);
    assert!(
        !partial.is_empty() && partial.len() < 161,
        "killed mid-way ({} outputs)",
        partial.len()
    );
    for (path, bytes) in &partial {
        serde_json::from_slice::<Value>(bytes)
            .unwrap_or_else(|e| panic!("{} is partial: {e}", path.display()));
    }

    let o = run(
        &args(&out)
            .iter()
            .map(String::as_str)
            .chain(["--resume"])
            .collect::<Vec<_>>(),
        trigger,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("kept from the previous run"),
        "some rows were kept: {stderr}"
    );

    let clean = tmp.path().join("clean");
    let o = run(
        &args(&clean).iter().map(String::as_str).collect::<Vec<_>>(),
        trigger,
    );
    assert_eq!(o.status.code(), Some(1));
    let resumed_rows = without_duration(&manifest(&out.join("manifest.jsonl")));
    assert_eq!(
        resumed_rows,
        without_duration(&manifest(&clean.join("manifest.jsonl")))
    );
    assert_eq!(json_outputs(&out), json_outputs(&clean));
    assert_eq!(
        row(&resumed_rows, "r0081-loop.txt")["error_kind"],
        "timeout"
    );
    assert!(tree(&out)
        .keys()
        .all(|p| !p.to_string_lossy().ends_with(".tmp")
            && !p.to_string_lossy().ends_with(".partial")));

    // Resuming a finished run keeps every ok row as it was, durations included.
    let before = manifest(&out.join("manifest.jsonl"));
    let o = run(
        &[
            "extract",
            s(&input),
            "-o",
            s(&out),
            "--resume",
            "--timeout",
            "3",
        ],
        trigger,
    );
    assert_eq!(o.status.code(), Some(1));
    let after = manifest(&out.join("manifest.jsonl"));
    for (b, a) in before.iter().zip(&after) {
        if b["status"].as_str().unwrap().starts_with("ok") {
            assert_eq!(a, b);
        }
    }
}

#[test]
fn a_looping_file_times_out_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 6);
    write(&input.join("d0/loop.txt"), variant(50));
    write(&input.join("d0/oom.txt"), variant(51));
    let out = tmp.path().join("out");
    let started = Instant::now();
    let o = run(
        &[
            "extract",
            s(&input),
            "-o",
            s(&out),
            "--jobs",
            "2",
            "--timeout",
            "3",
            "--max-memory",
            "256",
        ],
        Some("loop:loop.txt,oom:oom.txt"),
    );
    // A hang guard, not a speed test: without the 3 s timeout the looping worker would
    // never answer and the run would never end; 120 s leaves room for a loaded machine.
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "the timeout is enforced"
    );
    assert_eq!(o.status.code(), Some(1));
    let rows = manifest(&out.join("manifest.jsonl"));
    assert_eq!(rows.len(), 8);
    assert_eq!(row(&rows, "loop.txt")["error_kind"], "timeout");
    assert_eq!(row(&rows, "oom.txt")["error_kind"], "crash");
    assert!(
        row(&rows, "oom.txt")["error"]
            .as_str()
            .unwrap()
            .contains("out of memory"),
        "{}",
        row(&rows, "oom.txt")["error"]
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r["status"].as_str().unwrap().starts_with("ok"))
            .count(),
        6
    );
}

/// Whether process `pid` still runs (a zombie, dead but not yet reaped by whoever
/// inherited it, counts as gone).
fn process_runs(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(") ")?.1.chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

/// A worker killed past `--timeout` takes the programs it started with it (a
/// Tesseract reading a page, in real runs): they belong to the worker's process group,
/// which is killed as a whole.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_worker_leaves_no_program_running() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("stuck.txt");
    write(&input, variant(60));
    let pid_file = tmp.path().join("child.pid");
    let out = tmp.path().join("out");
    let o = bin()
        .args(["extract", s(&input), "-o", s(&out), "--jobs", "1"])
        .args(["--timeout", "2", "-q"])
        .env("AUDIT_EXTRACT_TEST_CRASH_ON", "orphan:stuck.txt")
        .env("AUDIT_EXTRACT_TEST_CHILD_PID", &pid_file)
        .output()
        .expect("run the binary");
    assert_eq!(o.status.code(), Some(1));
    let rows = manifest(&out.join("manifest.jsonl"));
    assert_eq!(row(&rows, "stuck.txt")["error_kind"], "timeout");
    let pid = std::fs::read_to_string(&pid_file).expect("the stuck worker started a program");
    // SIGKILL is delivered at once, but give the kernel a moment to tear it down.
    let deadline = Instant::now() + Duration::from_secs(10);
    while process_runs(pid.trim()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !process_runs(pid.trim()),
        "the program the killed worker started (pid {pid}) still runs"
    );
}

/// A run killed while it OCRs (`kill -9` of the command, in worker processes or
/// `--in-process`) takes its Tesseract with it: programs started for OCR die with their
/// parent. A stand-in for Tesseract that writes its process id and sleeps shows it.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_while_it_ocrs_leaves_no_tesseract_running() {
    use std::os::unix::fs::PermissionsExt;
    for mode in [&[][..], &["--in-process"][..]] {
        let tmp = tempfile::tempdir().unwrap();
        let pid_file = tmp.path().join("tesseract.pid");
        let fake = tmp.path().join("tesseract");
        let script = format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'tesseract 5.3.0'; exit 0; fi\necho $$ > '{}'\nexec sleep 600\n",
            pid_file.display()
        );
        write(&fake, script);
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut run = bin()
            .args(["extract", "--jobs", "1", "-q", "-o"])
            .arg(tmp.path().join("out"))
            .args(mode)
            .arg("fixtures/scans/vaucluse-2024-acroform.200dpi-grey-skewed.pdf")
            .env("AUDIT_EXTRACT_TESSERACT", &fake)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run the binary");
        let deadline = Instant::now() + Duration::from_secs(120);
        let pid = loop {
            match std::fs::read_to_string(&pid_file) {
                Ok(pid) if !pid.trim().is_empty() => break pid.trim().to_owned(),
                _ if Instant::now() > deadline => {
                    let _ = run.kill();
                    panic!("{mode:?}: the stand-in Tesseract never started");
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        run.kill().expect("kill the run");
        run.wait().expect("reap the run");
        let deadline = Instant::now() + Duration::from_secs(10);
        while process_runs(&pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let still = process_runs(&pid);
        if still {
            let _ = Command::new("kill").args(["-9", &pid]).status();
        }
        assert!(
            !still,
            "{mode:?}: Tesseract (pid {pid}) outlived the killed run"
        );
    }
}

#[test]
fn shards_concatenate_into_the_whole_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    corpus(&input, 10);
    let whole = tmp.path().join("whole");
    assert_eq!(
        run(&["extract", s(&input), "-o", s(&whole), "-q"], None)
            .status
            .code(),
        Some(0)
    );
    let sharded = tmp.path().join("sharded");
    let mut rows = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let o = run(
            &[
                "extract",
                s(&input),
                "-o",
                s(&sharded),
                "--shard",
                &shard,
                "-q",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0));
        rows.extend(manifest(
            &sharded.join(format!("manifest.shard-{k}-of-3.jsonl")),
        ));
    }
    assert_eq!(
        without_duration(&rows),
        without_duration(&manifest(&whole.join("manifest.jsonl")))
    );
    assert_eq!(json_outputs(&sharded), json_outputs(&whole));
}

#[test]
fn single_file_usage_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    // One file, no --output: its JSON on stdout.
    let o = run(&["extract", REFERENCE], None);
    assert_eq!(o.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_valid(&schema_validator(), "stdout", &report);
    // Usage errors: 2.
    let dir = tmp.path().to_str().unwrap();
    assert_eq!(
        run(&["extract", dir], None).status.code(),
        Some(2),
        "a directory needs --output"
    );
    assert_eq!(
        run(&["extract", REFERENCE, REFERENCE], None).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["extract", REFERENCE, "-o", dir, "--jobs", "0"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["extract", REFERENCE, "-o", dir, "--shard", "4/3"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["extract", REFERENCE, "--jsonl", "-", "--resume"], None)
            .status
            .code(),
        Some(2)
    );
    // All ok: 0, and the in-process mode gives the same bytes.
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    assert_eq!(
        run(&["extract", REFERENCE, "-o", s(&a), "-q"], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(
            &["extract", REFERENCE, "-o", s(&b), "-q", "--in-process"],
            None
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(json_outputs(&a), json_outputs(&b));
    // Too large: failed without being read.
    let o = run(
        &[
            "extract",
            REFERENCE,
            "-o",
            s(&a),
            "-q",
            "--max-file-size",
            "1K",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let rows = manifest(&a.join("manifest.jsonl"));
    assert_eq!(
        (rows[0]["error_kind"].as_str(), rows[0]["sha256"].is_null()),
        (Some("too_large"), true)
    );
    assert!(
        json_outputs(&a).is_empty(),
        "a failed input leaves no stale output"
    );
}

#[test]
fn a_single_file_has_the_protection_of_a_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let looping = tmp.path().join("loop.txt");
    write(&looping, variant(60));
    let started = Instant::now();
    let o = run(
        &["extract", s(&looping), "--timeout", "2"],
        Some("loop:loop.txt"),
    );
    // Hang guard (see a_looping_file_times_out_and_the_run_goes_on).
    assert!(started.elapsed() < Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(o.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("loop.txt")
            && stderr.contains("no result within 2 s"),
        "{stderr}"
    );
    // A crash of the extraction (here: abort) fails the file, not the process.
    let crashing = tmp.path().join("abort.txt");
    write(&crashing, variant(61));
    let o = run(&["extract", s(&crashing)], Some("abort.txt"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("worker process crashed"), "{stderr}");
    // The size limit applies before reading.
    let o = run(&["extract", REFERENCE, "--max-file-size", "1K"], None);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("file too large"), "{stderr}");
}

#[test]
fn doubtful_readings_are_flagged_for_review() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    // The reference without its authoring slip (no warning diagnostic left)…
    let clean = reference().replace("Préfecture de Corrèze", "Préfecture de Tarn-et-Garonne");
    write(&input.join("clean.txt"), &clean);
    // …and the same with its "Note :" markers lost: a note that opens its row becomes a
    // text without a marker (an info diagnostic, no warning), so only the quality
    // score tells.
    write(&input.join("unmarked.txt"), clean.replace("Note : ", ""));
    let out = tmp.path().join("out");
    let o = run(&["extract", s(&input), "-o", s(&out)], None);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let rows = manifest(&out.join("manifest.jsonl"));
    let quality = |suffix: &str| row(&rows, suffix)["quality"].as_f64().unwrap();
    assert!(quality("clean.txt") > 0.9, "{}", quality("clean.txt"));
    assert!(quality("unmarked.txt") < 0.9, "{}", quality("unmarked.txt"));
    assert_eq!(row(&rows, "unmarked.txt")["warnings"], 0);
    assert_eq!(row(&rows, "unmarked.txt")["status"], "ok_with_warnings");
    assert_eq!(row(&rows, "clean.txt")["status"], "ok");
    assert!(
        stderr.contains("to review: 1 reports") && stderr.contains("unmarked.txt ("),
        "{stderr}"
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("unmarked.json")).unwrap()).unwrap();
    let q = &report["quality"];
    let unmarked = q["texts_without_marker"].as_u64().unwrap();
    assert!(unmarked >= 10, "{q}");
    // score = assessments / (assessments + doubtful places)
    let assessments = report["assessments"].as_array().unwrap().len() as f64;
    let doubtful = [
        "rows_without_code",
        "texts_without_marker",
        "unplaced_texts",
        "uncertain_boxes",
    ]
    .iter()
    .map(|k| q[*k].as_u64().unwrap() as f64)
    .sum::<f64>();
    let expected = (1000.0 * assessments / (assessments + doubtful)).round() / 1000.0;
    assert_eq!(q["score"].as_f64(), Some(expected), "{q}");
    assert_eq!(q["score"], row(&rows, "unmarked.txt")["quality"]);
    // The threshold is the user's: at 0.5 the same report is plainly ok.
    let out2 = tmp.path().join("out2");
    run(
        &[
            "extract",
            s(&input),
            "-o",
            s(&out2),
            "--review-below",
            "0.5",
        ],
        None,
    );
    let rows = manifest(&out2.join("manifest.jsonl"));
    assert_eq!(row(&rows, "unmarked.txt")["status"], "ok");
    // A threshold outside 0–1 is a usage error.
    let o = run(
        &["extract", s(&input), "-o", s(&out2), "--review-below", "2"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}
