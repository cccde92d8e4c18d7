//! OCR in batch runs: a scan's pages do not count against the file's `--timeout` while
//! they keep coming, a hung page is stopped by `--ocr-timeout`, workers tell their
//! parent of each page read (the progress bar's pages), and `--resume` does not OCR
//! again. Tesseract is wrapped by small shell scripts (`AUDIT_EXTRACT_TESSERACT`) that
//! log its runs, or slow down or hang the reading of its page images. Tests that need Tesseract fail under CI=true when
//! it is missing (.ci/run installs it), and say they skipped otherwise.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use audit_extract::source::ocr::{self, PageEvent};

mod common;
use common::tesseract_present;

const BIN: &str = env!("CARGO_BIN_EXE_audit-extract");
const SCAN: &str = "fixtures/scans/vaucluse-2024-acroform.200dpi-grey-skewed.pdf";
const MIXED: &str = "fixtures/scans/vaucluse-2024-acroform.mixed.pdf";

/// A fresh directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ocr-batch-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes an executable shell script `dir/name` with `body` after the shebang; every
/// call is logged (its arguments, one line) to `dir/name.log`.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    let log = dir.join(format!("{name}.log"));
    std::fs::write(
        &path,
        format!("#!/bin/sh\necho \"$*\" >> '{}'\n{body}\n", log.display()),
    )
    .expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// Tesseract runs logged by a [`script`] (its `--version` calls left out).
fn runs(dir: &Path, name: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(format!("{name}.log")))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.contains("--version") && !l.starts_with("begin "))
        .map(str::to_owned)
        .collect()
}

/// Images a [`per_image`] script began, in order.
fn begun(dir: &Path, name: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(format!("{name}.log")))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("begin "))
        .map(str::to_owned)
        .collect()
}

/// A [`script`] standing for Tesseract that reads the images of the list it is given
/// one by one, as Tesseract does: for each, it logs `begin IMAGE`, tells on stderr that
/// it begins the image (`Page N : IMAGE`, Tesseract's own line), runs `before_each`
/// (shell, the image in `$img`), reads the image with the real Tesseract, and
/// writes one TSV for the list with each image's page number.
fn per_image(dir: &Path, name: &str, before_each: &str) -> PathBuf {
    let log = dir.join(format!("{name}.log"));
    let body = format!(
        r#"[ "$1" = --version ] && exec tesseract "$@"
list=$1; out=$2; shift 2
i=0
while IFS= read -r img; do
  echo "begin $img" >> '{log}'
  echo "Page $i : $img" >&2
  {before_each}
  tesseract "$img" "$out.part$i" "$@" 2>/dev/null || exit 1
  i=$((i+1))
done < "$list"
k=0
while [ $k -lt $i ]; do
  awk -v p=$((k+1)) -v k=$k 'BEGIN {{ FS = OFS = "	" }} NR == 1 {{ if (k == 0) print; next }} {{ $2 = p; print }}' "$out.part$k.tsv"
  k=$((k+1))
done > "$out.tsv""#,
        log = log.display()
    );
    script(dir, name, &body)
}

fn manifest_row(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("manifest.jsonl")).expect("manifest");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert_eq!(rows.len(), 1, "{text}");
    rows.into_iter().next().expect("one row")
}

/// Extracts [`SCAN`] into `out` with one job, the given `--timeout` and
/// `--ocr-timeout` (seconds), and `tesseract` in Tesseract's place; its exit status and
/// how long it took.
fn extract_scan(
    out: &Path,
    tesseract: &Path,
    timeout: &str,
    ocr_timeout: &str,
) -> (std::process::ExitStatus, Duration) {
    let started = Instant::now();
    let status = Command::new(BIN)
        .args(["extract", "--jobs", "1", "--timeout", timeout])
        .args(["--ocr-timeout", ocr_timeout, "-q", "-o"])
        .arg(out)
        .arg(SCAN)
        .env("AUDIT_EXTRACT_TESSERACT", tesseract)
        .status()
        .expect("run");
    (status, started.elapsed())
}

#[test]
fn a_scan_whose_pages_keep_coming_outlasts_its_timeout() {
    if !tesseract_present() {
        return;
    }
    let dir = scratch("slow");
    // Every page image takes three seconds more: four pages and a cell reading take
    // well over --timeout + --ocr-timeout (1 + 15 s) in all, each page well under
    // --ocr-timeout.
    let slow = per_image(&dir, "slow-tesseract", "sleep 3");
    let out = dir.join("out");
    let (status, took) = extract_scan(&out, &slow, "1", "15");
    let row = manifest_row(&out);
    assert_eq!(row["status"], "ok", "{row}");
    assert_eq!(status.code(), Some(0));
    // The run did outlast what one wait of --timeout + --ocr-timeout allows.
    assert!(took > Duration::from_secs(16), "{took:?}");
    assert!(begun(&dir, "slow-tesseract").len() >= 5);
}

#[test]
fn a_hung_page_fails_its_file_at_the_page_timeout() {
    if !tesseract_present() {
        return;
    }
    let dir = scratch("hung");
    // Page 2's image never gets an answer.
    let hung = per_image(
        &dir,
        "hung-tesseract",
        "case \"$img\" in */p2.*) exec sleep 60;; esac",
    );
    let out = dir.join("out");
    let (status, took) = extract_scan(&out, &hung, "120", "10");
    let row = manifest_row(&out);
    assert_eq!(row["status"], "failed", "{row}");
    assert_eq!(row["error_kind"], "ocr_failed", "{row}");
    let message = row["error"].as_str().unwrap_or_default();
    assert!(
        message.contains("page 2") && message.contains("--ocr-timeout"),
        "{message}"
    );
    assert_eq!(status.code(), Some(1));
    // Well before the hung program would have ended by itself, or --timeout, or the
    // list's four pages' worth of --ocr-timeout: page 2's own limit stopped it.
    assert!(took < Duration::from_secs(35), "{took:?}");
    // Pages after the hung one were not begun.
    let begun = begun(&dir, "hung-tesseract");
    assert!(
        begun.iter().any(|i| i.contains("/p2."))
            && !begun
                .iter()
                .any(|i| i.contains("/p3.") || i.contains("/p4.")),
        "{begun:?}"
    );
}

#[test]
fn resume_does_not_ocr_again() {
    if !tesseract_present() {
        return;
    }
    let dir = scratch("resume");
    let logged = script(&dir, "logged-tesseract", "exec tesseract \"$@\"");
    let out = dir.join("out");
    let run = |extra: &[&str]| {
        Command::new(BIN)
            .args(["extract", "--jobs", "1", "--timeout", "900", "-q"])
            .args(extra)
            .arg("-o")
            .arg(&out)
            .arg(MIXED)
            .env("AUDIT_EXTRACT_TESSERACT", &logged)
            .status()
            .expect("run")
    };
    assert_eq!(run(&[]).code(), Some(0));
    let first = runs(&dir, "logged-tesseract").len();
    assert!(first >= 1, "the scanned pages were OCR'd: {first} runs");
    let report = std::fs::read(out.join("vaucluse-2024-acroform.mixed.json")).expect("report");
    let row = manifest_row(&out);
    assert_eq!(run(&["--resume"]).code(), Some(0));
    assert_eq!(
        runs(&dir, "logged-tesseract").len(),
        first,
        "--resume ran Tesseract again"
    );
    assert_eq!(manifest_row(&out), row);
    assert_eq!(
        std::fs::read(out.join("vaucluse-2024-acroform.mixed.json")).expect("report"),
        report
    );
}

/// Page events seen by this process's progress hook while `f` runs (the hook is the
/// process's: the tests using it take this lock).
fn events_during(f: impl FnOnce()) -> Vec<PageEvent> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let seen: Arc<Mutex<Vec<PageEvent>>> = Arc::default();
    let sink = Arc::clone(&seen);
    ocr::set_progress(Some(Arc::new(move |e| {
        sink.lock().unwrap_or_else(|e| e.into_inner()).push(e)
    })));
    f();
    ocr::set_progress(None);
    let events = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    events
}

fn check_pages(events: &[PageEvent]) {
    assert_eq!(events.first(), Some(&PageEvent::Planned(2)), "{events:?}");
    let mut done: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            PageEvent::Done(n) => Some(*n),
            _ => None,
        })
        .collect();
    done.sort_unstable();
    assert_eq!(done, [3, 4], "{events:?}");
    assert!(!events.iter().any(|e| matches!(e, PageEvent::Abandoned(_))));
}

#[test]
fn ocr_tells_each_page_read_in_process() {
    if !tesseract_present() {
        return;
    }
    let bytes = std::fs::read(MIXED).expect("mixed scan");
    let options = ocr::OcrOptions::default();
    let events = events_during(|| {
        audit_extract::extract_bytes_with(MIXED, &bytes, &options).expect("report");
    });
    check_pages(&events);
}

#[test]
fn a_worker_tells_its_parent_each_page_read() {
    if !tesseract_present() {
        return;
    }
    let spec = audit_extract::batch::WorkerSpec {
        exe: PathBuf::from(BIN),
        timeout: Duration::from_secs(900),
        max_memory_mib: 0,
    };
    let events = events_during(|| {
        audit_extract::batch::extract_one(Path::new(MIXED), 1 << 30, Some(spec)).expect("report");
    });
    check_pages(&events);
}

#[test]
fn a_failed_scan_gives_back_its_planned_pages() {
    let dir = scratch("abandon");
    // A "Tesseract" that says its version and fails on every page.
    let broken = script(
        &dir,
        "broken-tesseract",
        "case \"$1\" in --version) echo 'tesseract 5.3.0'; exit 0;; esac\necho 'Error: broken' >&2\nexit 1",
    );
    let spec = audit_extract::batch::WorkerSpec {
        exe: PathBuf::from(BIN),
        timeout: Duration::from_secs(120),
        max_memory_mib: 0,
    };
    let mut failed = None;
    let events = events_during(|| {
        // The worker inherits the variable naming the broken program (set while the
        // other tests of this process that read it wait for the lock).
        std::env::set_var("AUDIT_EXTRACT_TESSERACT", &broken);
        failed = audit_extract::batch::extract_one(Path::new(MIXED), 1 << 30, Some(spec)).err();
        std::env::remove_var("AUDIT_EXTRACT_TESSERACT");
    });
    let failed = failed.expect("the scan fails");
    assert_eq!(failed.kind, "ocr_failed", "{}", failed.message);
    let planned: u32 = events
        .iter()
        .map(|e| match e {
            PageEvent::Planned(n) => *n,
            _ => 0,
        })
        .sum();
    let settled: u32 = events
        .iter()
        .map(|e| match e {
            PageEvent::Done(_) => 1,
            PageEvent::Abandoned(n) => *n,
            _ => 0,
        })
        .sum();
    assert_eq!(planned, 2, "{events:?}");
    assert_eq!(settled, planned, "{events:?}");
}

#[test]
fn tesseract_tells_when_it_begins_each_image_of_a_list() {
    if !tesseract_present() {
        return;
    }
    // Per-page progress and per-page time limits rest on this: Tesseract writes
    // `Page N : FILE` on stderr as it begins each image of a list file.
    let dir = scratch("page-lines");
    let mut list = String::new();
    for name in ["a.pgm", "b.pgm"] {
        let path = dir.join(name);
        let mut pgm = b"P5\n40 20\n255\n".to_vec();
        pgm.extend(std::iter::repeat_n(255u8, 40 * 20));
        std::fs::write(&path, pgm).expect("image");
        list.push_str(&format!("{}\n", path.display()));
    }
    std::fs::write(dir.join("pages.list"), list).expect("list");
    let out = Command::new("tesseract")
        .arg(dir.join("pages.list"))
        .arg(dir.join("out"))
        .args(["-l", "fra", "--psm", "3", "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("tesseract runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let begun: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" : "))
        .collect();
    assert_eq!(begun.len(), 2, "{stderr}");
    assert!(
        begun[0].ends_with("a.pgm") && begun[1].ends_with("b.pgm"),
        "{begun:?}"
    );
}

/// A one-page PDF: page box `media` (pt), content `content`, and XObjects `xobjects`
/// (name, stream) in its resources.
fn one_page_pdf(media: [i64; 4], content: &str, xobjects: Vec<(&str, lopdf::Stream)>) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut names = lopdf::Dictionary::new();
    for (name, stream) in xobjects {
        let id = doc.add_object(stream);
        names.set(name, Object::Reference(id));
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => media.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>(),
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => names },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![Object::Reference(page_id)],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("pdf");
    bytes
}

#[test]
fn huge_claimed_images_and_pages_fail_cleanly_within_memory() {
    if !tesseract_present() {
        return;
    }
    use lopdf::{dictionary, Stream};
    let dir = scratch("huge");
    // An A4 page whose one image claims 100,000 × 100,000 pixels (ten gigabytes of
    // grey) with a few bytes of data, and a page of 100,000 pt square drawn with a
    // line only, read with --ocr always (it has no text layer to read).
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 100_000, "Height" => 100_000,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![255; 64],
    );
    let claimed = one_page_pdf(
        [0, 0, 595, 842],
        "q 595 0 0 842 0 0 cm /Im0 Do Q",
        vec![("Im0", image)],
    );
    let vast = one_page_pdf(
        [0, 0, 100_000, 100_000],
        "0 0 m 50000 50000 l S",
        Vec::new(),
    );
    std::fs::write(dir.join("claimed.pdf"), claimed).expect("write");
    std::fs::write(dir.join("vast.pdf"), vast).expect("write");
    let out = dir.join("out");
    let status = Command::new(BIN)
        .args([
            "extract",
            "--jobs",
            "1",
            "--timeout",
            "120",
            "--max-memory",
            "2048",
        ])
        .args(["--ocr", "always", "-q", "-o"])
        .arg(&out)
        .arg(dir.join("claimed.pdf"))
        .arg(dir.join("vast.pdf"))
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(1), "both files fail");
    let text = std::fs::read_to_string(out.join("manifest.jsonl")).expect("manifest");
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    for row in &rows {
        // A clear failure of its own, fast, not a worker that ran out of memory or
        // time, nor a blank page read as no report.
        assert_eq!(row["error_kind"], "ocr_failed", "{row}");
        let message = row["error"].as_str().unwrap_or_default();
        assert!(message.contains("too large to OCR"), "{row}");
        assert!(
            row["duration_ms"].as_u64().unwrap_or(u64::MAX) < 10_000,
            "{row}"
        );
    }
}
