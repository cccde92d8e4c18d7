//! `audit-extract extract`: flags, the progress bar, the summary and the exit code.
//! The work itself is the library's ([`audit_extract::batch`]).
//!
//! Exit codes: 0 every input ok (warnings and skipped non-reports included), 1 some
//! input failed (or the outputs could not be written), 2 usage error.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use audit_extract::batch::{self, Row, Shard, Status, Summary, WorkerSpec};
use audit_extract::output;
use audit_extract::source::ocr;

/// Flags of `audit-extract extract`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExtractArgs {
    /// Report files or directories (PDF or text, recognised from their bytes).
    /// Directories are walked recursively.
    #[arg(required_unless_present = "worker_mode")]
    pub inputs: Vec<PathBuf>,
    /// Directory to write one JSON file per input (mirroring paths relative to each
    /// directory argument: DIR/a/b/x.pdf → OUT/a/b/x.json) and OUT/manifest.jsonl,
    /// one row per input.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Also stream every report as one JSON Lines record to FILE ("-": stdout), in
    /// input order.
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,
    /// Files processed in parallel [default: number of cores].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Skip inputs that already have an ok row (same path, SHA-256, output and tool
    /// version) in OUT's manifest and whose output exists; keep those rows.
    #[arg(long)]
    pub resume: bool,
    /// Wall-clock limit per file, in seconds; the worker process is killed past it
    /// and the file fails with kind "timeout". OCR'd pages do not count against it:
    /// once a file's OCR begins, each page read restarts the clock, and the wait for
    /// the next page (or the result) is --timeout + --ocr-timeout.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Files larger than this fail with kind "too_large" without being read (bytes,
    /// or with a K, M or G suffix: powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Reports whose quality score (0–1, `quality.score` in the JSON) is under this
    /// are `ok_with_warnings` and listed in the summary, for a person to check.
    #[arg(long, value_name = "SCORE", default_value_t = batch::DEFAULT_REVIEW_BELOW)]
    pub review_below: f64,
    /// Address-space limit of each worker process, in MiB (0: none); a file that
    /// needs more fails with kind "crash" (out of memory).
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    pub max_memory: u64,
    /// Process only the K-th of N slices of the sorted inputs (1 ≤ K ≤ N): contiguous
    /// slices, so the shard manifests (OUT/manifest.shard-K-of-N.jsonl) concatenated
    /// in shard order equal the manifest of an unsharded run.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Extract in this process instead of worker processes: faster to start, panics
    /// still caught, but no protection from crashes, stack overflows or endless
    /// loops (--timeout and --max-memory do not apply).
    #[arg(long)]
    pub in_process: bool,
    /// No progress bar and no summary (errors that stop the run are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Which PDF pages are read by OCR (Tesseract): auto = pages with no text layer
    /// (scans) or a garbled one; always; never (a scan is then "pdf_no_text_layer",
    /// a garbled text layer "pdf_garbled_text").
    #[arg(long, value_name = "MODE", default_value = "auto", value_parser = ["auto", "always", "never"])]
    pub ocr: String,
    /// Wall-clock limit of OCR on one page, in seconds: for its image (extraction or
    /// rendering), then for Tesseract's reading of it, from when Tesseract begins the
    /// page (and again for a reading turned half a turn); past it the file fails with
    /// kind "ocr_failed". The second look at grid cells, one Tesseract run per chunk
    /// of pages, has the same limit.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub ocr_timeout: f64,
    /// Internal: serve extraction requests on stdin/stdout (see `batch::worker`).
    #[arg(long, hide = true)]
    pub worker_mode: bool,
}

/// Parses "123", "64K", "100M", "2G" (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("size {s:?} is not a number with an optional K, M or G suffix"))?;
    let factor: u64 = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches(['B', 'I'])
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("size {s:?}: unknown unit {unit:?} (use K, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("size {s:?} is too large"))
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Runs `extract`; returns the process exit code.
pub fn run(args: &ExtractArgs) -> ExitCode {
    if args.worker_mode {
        return batch::worker::serve(args.max_memory);
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return usage("--timeout must be a positive number of seconds");
    }
    if !(0.0..=1.0).contains(&args.review_below) {
        return usage("--review-below must be a score between 0 and 1");
    }
    if !(args.ocr_timeout.is_finite() && args.ocr_timeout > 0.0) {
        return usage("--ocr-timeout must be a positive number of seconds");
    }
    // Pages of one report are OCR'd in parallel within --jobs: all of them for a
    // single file, one per worker when files run in parallel.
    let single_file = args.inputs.len() == 1 && args.inputs[0].is_file();
    let jobs_or_cores = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    ocr::set_options(ocr::OcrOptions {
        mode: args.ocr.parse().unwrap_or_default(),
        threads: if single_file { jobs_or_cores.max(1) } else { 1 },
        page_timeout: Duration::from_secs_f64(args.ocr_timeout),
        ..ocr::OcrOptions::default()
    });
    let worker = if args.in_process {
        None
    } else {
        match std::env::current_exe() {
            Ok(exe) => Some(WorkerSpec {
                exe,
                timeout: Duration::from_secs_f64(args.timeout),
                max_memory_mib: args.max_memory,
            }),
            Err(e) => {
                return usage(&format!(
                    "cannot find this program's executable to start workers ({e}); use --in-process"
                ))
            }
        }
    };
    if args.output.is_none() && args.jsonl.is_none() {
        return single(args, worker);
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if jobs == 0 {
        return usage("--jobs must be at least 1");
    }
    if args.resume && args.output.is_none() {
        return usage("--resume needs --output OUT (it reads OUT's manifest)");
    }
    let config = batch::Config {
        inputs: args.inputs.clone(),
        output: args.output.clone(),
        jsonl: args.jsonl.clone(),
        jobs,
        resume: args.resume,
        max_file_size: args.max_file_size,
        review_below: args.review_below,
        shard: args.shard,
        worker,
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(Bar::new);
    let summary = match &bar {
        Some(bar) => batch::run(&config, bar),
        None => batch::run(&config, &batch::Silent),
    };
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for warning in &summary.warnings {
        eprintln!("{warning}");
    }
    if !args.quiet {
        eprint!("{}", describe(&summary));
    }
    if let Some(e) = &summary.write_error {
        eprintln!("error: {e}");
    }
    ExitCode::from(u8::from(!summary.succeeded()))
}

/// One file, no OUT: the JSON on stdout, a one-line error on stderr.
fn single(args: &ExtractArgs, worker: Option<WorkerSpec>) -> ExitCode {
    let [input] = args.inputs.as_slice() else {
        return usage("several inputs need --output OUT (or --jsonl FILE)");
    };
    if input.is_dir() {
        return usage(&format!(
            "{} is a directory: give --output OUT (or --jsonl FILE)",
            input.display()
        ));
    }
    match batch::extract_one(input, args.max_file_size, worker) {
        Ok(json) => output::to_stdout(&json),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The progress bar on a terminal: done/total, rate, ETA, failures so far; a second
/// bar for OCR'd pages, shown once a file has pages to OCR, whose length grows by each
/// file's pages to OCR once known and which advances as each page is read (pages of
/// text-layer PDFs are not counted: they take no time worth showing).
struct Bar {
    multi: MultiProgress,
    bar: ProgressBar,
    pages: Arc<OnceLock<ProgressBar>>,
    failed: std::sync::atomic::AtomicUsize,
}

impl Bar {
    fn new() -> Bar {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let bar = multi.add(ProgressBar::new(0));
        bar.set_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} {rate} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
            .progress_chars("=> "),
        );
        let pages: Arc<OnceLock<ProgressBar>> = Arc::default();
        let (hook_multi, hook_pages) = (multi.clone(), Arc::clone(&pages));
        ocr::set_progress(Some(Arc::new(move |event| {
            let pages = hook_pages.get_or_init(|| {
                let bar = hook_multi.add(ProgressBar::new(0));
                bar.set_style(
                    ProgressStyle::with_template("OCR pages [{wide_bar}] {pos}/{len} ETA {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar
            });
            match event {
                ocr::PageEvent::Planned(n) => pages.inc_length(u64::from(n)),
                ocr::PageEvent::Done(_) => pages.inc(1),
                ocr::PageEvent::Abandoned(n) => pages.dec_length(u64::from(n)),
                ocr::PageEvent::Beat => {}
            }
        })));
        Bar {
            multi,
            bar,
            pages,
            failed: Default::default(),
        }
    }
}

impl batch::Progress for Bar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn advance(&self, row: &Row) {
        self.bar.inc(1);
        if row.status == Status::Failed {
            let failed = self
                .failed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            self.bar.set_message(format!("{failed} failed"));
        }
    }

    fn finish(&self) {
        ocr::set_progress(None);
        if let Some(pages) = self.pages.get() {
            pages.finish_and_clear();
        }
        self.bar.finish_and_clear();
        let _ = self.multi.clear();
    }
}

/// The final summary, several lines, for stderr.
pub fn describe(s: &Summary) -> String {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let processed = s.total - s.kept;
    let mut out = String::new();
    let shard = s
        .shard
        .map_or_else(String::new, |s| format!(", shard {}/{}", s.index, s.count));
    let mode = if s.in_process {
        "in process"
    } else {
        "worker processes"
    };
    let _ = writeln!(
        out,
        "{} inputs in {secs:.2} s: {:.0} inputs/s, {:.0} pages/s ({} jobs, {mode}{shard})",
        s.total,
        processed as f64 / secs,
        s.pages as f64 / secs,
        s.jobs
    );
    let counts: Vec<String> = [
        Status::Ok,
        Status::OkWithWarnings,
        Status::Failed,
        Status::Skipped,
    ]
    .iter()
    .map(|status| format!("{} {}", status.as_str(), s.count(*status)))
    .collect();
    out.push_str(&format!("  {}", counts.join(", ")));
    if s.kept > 0 {
        out.push_str(&format!(" ({} kept from the previous run)", s.kept));
    }
    out.push('\n');
    if s.duplicates > 0 {
        let _ = writeln!(
            out,
            "  copies: {} inputs have the same bytes as an earlier input (duplicate_of in the manifest)",
            s.duplicates
        );
    }
    for status in [Status::Failed, Status::Skipped] {
        let kinds: Vec<String> = s
            .by_kind
            .iter()
            .filter(|((st, _), _)| *st == status)
            .map(|((_, k), n)| format!("{k} {n}"))
            .collect();
        if !kinds.is_empty() {
            let _ = writeln!(out, "  {}: {}", status.as_str(), kinds.join(", "));
        }
    }
    for f in &s.failures {
        let _ = writeln!(out, "  failed: {}: {}: {}", f.path, f.kind, f.message);
    }
    if s.failed() > s.failures.len() {
        let _ = writeln!(
            out,
            "  … and {} more failed (see the manifest)",
            s.failed() - s.failures.len()
        );
    }
    if s.to_review > 0 {
        let named: Vec<String> = s
            .reviews
            .iter()
            .map(|(p, q)| format!("{p} ({q:.3})"))
            .collect();
        let more = s.to_review - s.reviews.len();
        let _ = writeln!(
            out,
            "  to review: {} reports read with doubt (quality under {}): {}{}",
            s.to_review,
            s.review_below,
            named.join(", "),
            if more > 0 {
                format!(" … and {more} more (see quality in the manifest)")
            } else {
                String::new()
            }
        );
    }
    if s.total < s.planned {
        let _ = writeln!(
            out,
            "  stopped early: {} of {} inputs have a row",
            s.total, s.planned
        );
    }
    if !s.slowest.is_empty() {
        let slow: Vec<String> = s
            .slowest
            .iter()
            .map(|(ms, p)| format!("{p} ({:.2} s)", *ms as f64 / 1000.0))
            .collect();
        let _ = writeln!(out, "  slowest: {}", slow.join(", "));
    }
    if let Some(m) = &s.manifest {
        let _ = writeln!(out, "  manifest: {}", m.display());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("100M"), Ok(100 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert!(parse_size("ten").is_err() && parse_size("5T").is_err());
    }
}
