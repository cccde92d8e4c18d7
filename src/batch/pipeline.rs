//! The batch run: inputs in parallel, results written in input order.
//!
//! `jobs` threads of a rayon pool each own one worker process (or extract in
//! process). A thread claims the next input index, processes it (read, sniff, hash,
//! extract, write the report atomically) and sends the outcome to the main thread,
//! which writes manifest rows and JSON Lines records strictly in input order through
//! a reorder buffer. Memory stays bounded: a thread may not claim an input more than
//! [`WINDOW`] places ahead of the last row written, and JSON Lines records waiting in
//! the buffer are kept in memory only up to [`LINE_BUDGET`] bytes — past that, the
//! record is read back from its output file when its turn comes (or, with no OUT,
//! the thread waits for its turn).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::fsio;
use super::inputs::{self, Input, Shard};
use super::manifest::{self, Row, Status};
use super::worker::{self, Worker, WorkerSpec};
use crate::error::ExtractError;
use crate::model::Report;
use crate::output;

/// How far ahead of the last written row an input may be claimed.
pub const WINDOW: usize = 8192;
/// Bytes of JSON Lines records held in the reorder buffer at most.
pub const LINE_BUDGET: usize = 64 << 20;

/// A batch run, as the flags ask it.
#[derive(Debug, Clone)]
pub struct Config {
    pub inputs: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub jsonl: Option<PathBuf>,
    pub jobs: usize,
    pub resume: bool,
    pub max_file_size: u64,
    pub shard: Option<Shard>,
    pub quiet: bool,
    /// Worker processes; `None` extracts in process.
    pub worker: Option<WorkerSpec>,
}

/// The JSON Lines record of an outcome, if any.
enum Line {
    None,
    Memory(String),
    /// Read back from the output file when written.
    File(PathBuf),
}

struct Outcome {
    row: Row,
    line: Line,
    /// Kept from an earlier run (`--resume`).
    kept: bool,
}

/// State shared between the threads and the writer.
struct Shared<'a> {
    inputs: &'a [Input],
    config: &'a Config,
    output: Option<&'a Path>,
    reusable: HashMap<String, Row>,
    temp_tag: String,
    want_lines: bool,
    sched: Mutex<Sched>,
    turn: Condvar,
    line_bytes: AtomicUsize,
    abort: AtomicBool,
    failed: AtomicUsize,
    progress: Option<ProgressBar>,
}

struct Sched {
    next_claim: usize,
    next_write: usize,
}

/// File names of one run in OUT.
fn manifest_name(shard: Option<Shard>) -> String {
    match shard {
        Some(s) => format!("manifest.{}.jsonl", s.tag()),
        None => "manifest.jsonl".to_owned(),
    }
}

fn partial_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    path.with_file_name(name)
}

pub fn run(config: &Config) -> ExitCode {
    let started = Instant::now();
    let output = config.output.as_deref();
    if let Some(out) = output {
        if let Err(e) = std::fs::create_dir_all(out) {
            eprintln!(
                "error: {}: cannot create output directory: {e}",
                out.display()
            );
            return ExitCode::from(2);
        }
    }
    let temp_tag = config.shard.map_or_else(|| "tmp".to_owned(), |s| s.tag());
    let all = inputs::discover(&config.inputs, output);
    let range = config.shard.map_or(0..all.len(), |s| s.range(all.len()));
    let inputs = &all[range];

    let manifest_path = output.map(|o| o.join(manifest_name(config.shard)));
    let reusable = match (&manifest_path, config.resume) {
        (Some(m), true) => manifest::reusable_rows(&[m.as_path(), partial_of(m).as_path()]),
        _ => HashMap::new(),
    };
    if let Some(out) = output {
        fsio::sweep_temporaries(out, &temp_tag);
    }
    let mut manifest_out = match &manifest_path {
        Some(m) => match File::create(partial_of(m)) {
            Ok(f) => Some(BufWriter::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!(
                    "error: {}: cannot write the manifest: {e}",
                    partial_of(m).display()
                );
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let jsonl_temp = config
        .jsonl
        .as_deref()
        .filter(|p| *p != Path::new("-"))
        .map(|p| fsio::temporary_for(p, &temp_tag));
    let mut jsonl_out: Option<BufWriter<Box<dyn Write>>> = match (&config.jsonl, &jsonl_temp) {
        (None, _) => None,
        (Some(_), None) => Some(BufWriter::with_capacity(1 << 16, Box::new(io::stdout()))),
        (Some(_), Some(tmp)) => match File::create(tmp) {
            Ok(f) => Some(BufWriter::with_capacity(1 << 16, Box::new(f))),
            Err(e) => {
                eprintln!("error: {}: cannot write JSON Lines: {e}", tmp.display());
                return ExitCode::from(2);
            }
        },
    };

    let progress = (!config.quiet && io::stderr().is_terminal()).then(|| {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
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
        bar
    });
    let shared = Shared {
        inputs,
        config,
        output,
        reusable,
        temp_tag,
        want_lines: config.jsonl.is_some(),
        sched: Mutex::new(Sched {
            next_claim: 0,
            next_write: 0,
        }),
        turn: Condvar::new(),
        line_bytes: AtomicUsize::new(0),
        abort: AtomicBool::new(false),
        failed: AtomicUsize::new(0),
        progress,
    };

    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .thread_name(|i| format!("batch-{i}"))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: cannot start {} threads: {e}", config.jobs);
            return ExitCode::from(2);
        }
    };
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut stats = Stats::default();
    let mut write_error: Option<String> = None;
    std::thread::scope(|scope| {
        let shared = &shared;
        let pool = &pool;
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..config.jobs {
                    let tx = tx.clone();
                    s.spawn(move |_| produce(shared, &tx));
                }
            });
            drop(tx);
        });
        // The writer: rows in input order.
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut next = 0usize;
        let mut first_with_hash: HashMap<String, String> = HashMap::new();
        for (index, outcome) in rx {
            pending.insert(index, outcome);
            while let Some(mut outcome) = pending.remove(&next) {
                next += 1;
                if let Some(sha) = &outcome.row.sha256 {
                    match first_with_hash.get(sha) {
                        Some(first) => outcome.row.duplicate_of = Some(first.clone()),
                        None => {
                            outcome.row.duplicate_of = None;
                            first_with_hash.insert(sha.clone(), outcome.row.path.clone());
                        }
                    }
                }
                if write_error.is_none() {
                    if let Err(e) =
                        write_outcome(shared, &outcome, manifest_out.as_mut(), jsonl_out.as_mut())
                    {
                        write_error = Some(e);
                        shared.abort.store(true, Ordering::SeqCst);
                    }
                }
                stats.add(&outcome);
            }
            for w in [
                manifest_out.as_mut().map(|w| w as &mut dyn Write),
                jsonl_out.as_mut().map(|w| w as &mut dyn Write),
            ]
            .into_iter()
            .flatten()
            {
                if let Err(e) = w.flush() {
                    if write_error.is_none() {
                        write_error = Some(format!("cannot write: {e}"));
                        shared.abort.store(true, Ordering::SeqCst);
                    }
                }
            }
            let mut sched = shared.sched.lock().unwrap_or_else(|e| e.into_inner());
            sched.next_write = next;
            drop(sched);
            shared.turn.notify_all();
        }
    });
    if let Some(bar) = &shared.progress {
        bar.finish_and_clear();
    }

    // Close the files: the manifest and JSON Lines take their final names only when
    // every row is in.
    let complete = write_error.is_none() && stats.total == inputs.len();
    if let (Some(m), Some(w)) = (&manifest_path, manifest_out.take()) {
        let flushed = w
            .into_inner()
            .map_err(|e| e.into_error().to_string())
            .and_then(|f| f.sync_all().map_err(|e| e.to_string()));
        match flushed {
            Ok(()) if complete => {
                if let Err(e) = std::fs::rename(partial_of(m), m) {
                    write_error
                        .get_or_insert(format!("{}: cannot rename the manifest: {e}", m.display()));
                }
            }
            Ok(()) => {}
            Err(e) => {
                write_error
                    .get_or_insert(format!("{}: cannot write the manifest: {e}", m.display()));
            }
        }
    }
    if let Some(w) = jsonl_out.take() {
        match w.into_inner() {
            Ok(mut inner) => {
                let _ = inner.flush();
                drop(inner);
                if let (Some(tmp), Some(dest), true) = (&jsonl_temp, &config.jsonl, complete) {
                    if let Err(e) = std::fs::rename(tmp, dest) {
                        write_error.get_or_insert(format!(
                            "{}: cannot rename JSON Lines: {e}",
                            dest.display()
                        ));
                    }
                }
            }
            Err(e) => {
                write_error.get_or_insert(format!("cannot write JSON Lines: {}", e.into_error()));
            }
        }
    }

    if !config.quiet {
        stats.print(started.elapsed(), config, manifest_path.as_deref());
    }
    if let Some(e) = write_error {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    ExitCode::from(u8::from(stats.failed() > 0))
}

/// One thread's loop: claim, process, send.
fn produce(shared: &Shared<'_>, tx: &mpsc::Sender<(usize, Outcome)>) {
    let mut worker = shared.config.worker.clone().map(Worker::new);
    let n = shared.inputs.len();
    loop {
        let index = {
            let mut sched = shared.sched.lock().unwrap_or_else(|e| e.into_inner());
            while sched.next_claim < n
                && sched.next_claim >= sched.next_write + WINDOW
                && !shared.abort.load(Ordering::SeqCst)
            {
                sched = shared.turn.wait(sched).unwrap_or_else(|e| e.into_inner());
            }
            if sched.next_claim >= n || shared.abort.load(Ordering::SeqCst) {
                return;
            }
            sched.next_claim += 1;
            sched.next_claim - 1
        };
        if let Some(w) = worker.as_mut() {
            w.warm_up();
        }
        let mut outcome = process(shared, &shared.inputs[index], worker.as_mut());
        if let Line::Memory(line) = &outcome.line {
            hold_line(shared, index, line.len(), &mut outcome);
        }
        if let Some(bar) = &shared.progress {
            bar.inc(1);
            if outcome.row.status == Status::Failed {
                let failed = shared.failed.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(format!("{failed} failed"));
            }
        }
        if tx.send((index, outcome)).is_err() {
            return;
        }
    }
}

/// Keeps a JSON Lines record in memory if the budget allows; otherwise reads it
/// back from the output file later, or (no OUT) waits for this input's turn.
fn hold_line(shared: &Shared<'_>, index: usize, len: usize, outcome: &mut Outcome) {
    if shared.line_bytes.load(Ordering::SeqCst) + len > LINE_BUDGET {
        if let (Some(out), Some(rel)) = (shared.output, &outcome.row.output) {
            outcome.line = Line::File(out.join(rel));
            return;
        }
        let mut sched = shared.sched.lock().unwrap_or_else(|e| e.into_inner());
        while sched.next_write != index
            && shared.line_bytes.load(Ordering::SeqCst) + len > LINE_BUDGET
            && !shared.abort.load(Ordering::SeqCst)
        {
            sched = shared.turn.wait(sched).unwrap_or_else(|e| e.into_inner());
        }
    }
    shared.line_bytes.fetch_add(len, Ordering::SeqCst);
}

fn write_outcome(
    shared: &Shared<'_>,
    outcome: &Outcome,
    manifest_out: Option<&mut BufWriter<File>>,
    jsonl_out: Option<&mut BufWriter<Box<dyn Write>>>,
) -> Result<(), String> {
    if let Some(w) = manifest_out {
        w.write_all(outcome.row.to_line().as_bytes())
            .map_err(|e| format!("cannot write the manifest: {e}"))?;
    }
    match &outcome.line {
        Line::None => {}
        Line::Memory(line) => {
            shared.line_bytes.fetch_sub(line.len(), Ordering::SeqCst);
            if let Some(w) = jsonl_out {
                w.write_all(line.as_bytes())
                    .map_err(|e| format!("cannot write JSON Lines: {e}"))?;
            }
        }
        Line::File(path) => {
            if let Some(w) = jsonl_out {
                let report: Report = std::fs::read(path)
                    .map_err(|e| e.to_string())
                    .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
                    .map_err(|e| {
                        format!(
                            "{}: cannot read back the report for JSON Lines: {e}",
                            path.display()
                        )
                    })?;
                output::write_jsonl(&report, w)
                    .map_err(|e| format!("cannot write JSON Lines: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Everything that happens to one input.
fn process(shared: &Shared<'_>, input: &Input, worker: Option<&mut Worker>) -> Outcome {
    let started = Instant::now();
    let path = input.display();
    let rel_output = input.output.to_string_lossy().into_owned();
    let dest = shared.output.map(|o| o.join(&input.output));
    let done = |mut row: Row, line: Line| {
        if !row.status.is_ok() {
            // No stale report from an earlier run may contradict this row.
            if let Some(dest) = &dest {
                let _ = std::fs::remove_file(dest);
            }
        }
        row.duration_ms = started.elapsed().as_millis() as u64;
        Outcome {
            row,
            line,
            kept: false,
        }
    };
    let failed = |kind: &str, message: String| {
        Row::new(path.clone(), Status::Failed).with_error(kind, message)
    };

    if let Some(message) = &input.walk_error {
        return done(
            failed(
                "io",
                ExtractError::Io(io::Error::other(message.clone())).to_string(),
            ),
            Line::None,
        );
    }
    let meta = match std::fs::metadata(&input.path) {
        Ok(m) => m,
        Err(e) => return done(failed("io", ExtractError::Io(e).to_string()), Line::None),
    };
    if !meta.is_file() {
        let row =
            Row::new(path.clone(), Status::Skipped).with_error("not_a_file", "not a regular file");
        return done(row, Line::None);
    }
    let limit = shared.config.max_file_size;
    if meta.len() > limit {
        let mut row = failed(
            "too_large",
            ExtractError::TooLarge {
                size: meta.len(),
                limit,
            }
            .to_string(),
        );
        row.size = Some(meta.len());
        return done(row, Line::None);
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => return done(failed("io", ExtractError::Io(e).to_string()), Line::None),
    };
    let mut row = Row::new(path.clone(), Status::Failed);
    row.size = Some(bytes.len() as u64);
    row.sha256 = Some(crate::sha256_hex(&bytes));
    match crate::sniff(&bytes) {
        Ok(format) => row.format = Some(format.to_string()),
        Err(e) => {
            row.status = status_of_error(e.kind());
            return done(row.with_error(e.kind(), e.to_string()), Line::None);
        }
    }
    if let (Some(previous), Some(dest)) = (shared.reusable.get(&path), &dest) {
        if previous.sha256 == row.sha256
            && previous.output.as_deref() == Some(rel_output.as_str())
            && dest.is_file()
        {
            let line = if shared.want_lines {
                Line::File(dest.clone())
            } else {
                Line::None
            };
            return Outcome {
                row: previous.clone(),
                line,
                kept: true,
            };
        }
    }
    if shared.abort.load(Ordering::SeqCst) {
        return done(
            row.with_error("aborted", "run stopped before this file"),
            Line::None,
        );
    }
    let extracted = match worker {
        Some(w) => w.extract(&path, &bytes, shared.want_lines),
        None => worker::extract(&path, &bytes, shared.want_lines, false),
    };
    drop(bytes);
    let header = extracted.header;
    if !header.ok {
        let kind = header.kind.unwrap_or_else(|| "crash".to_owned());
        row.status = status_of_error(&kind);
        let message = header.message.unwrap_or_default();
        return done(row.with_error(&kind, message), Line::None);
    }
    if let Some(dest) = &dest {
        if let Err(e) = fsio::write_atomic(dest, extracted.json.as_bytes(), &shared.temp_tag) {
            return done(
                row.with_error("output_io", format!("cannot write {}: {e}", dest.display())),
                Line::None,
            );
        }
        row.output = Some(rel_output);
    }
    row.format = header.format.or(row.format);
    row.pages = header.pages;
    row.assessments = header.assessments;
    row.warnings = header.warnings;
    row.status = if header.warnings.unwrap_or(0) > 0 {
        Status::OkWithWarnings
    } else {
        Status::Ok
    };
    let line = if shared.want_lines {
        Line::Memory(extracted.line)
    } else {
        Line::None
    };
    done(row, line)
}

/// Inputs that are no report are skipped; every other error fails the input.
fn status_of_error(kind: &str) -> Status {
    match kind {
        "binary" | "not_a_report" => Status::Skipped,
        _ => Status::Failed,
    }
}

/// Counts for the final summary.
#[derive(Default)]
struct Stats {
    total: usize,
    by_status: BTreeMap<Status, usize>,
    by_kind: BTreeMap<(Status, String), usize>,
    kept: usize,
    pages: u64,
    /// The slowest inputs, slowest first.
    slowest: Vec<(u64, String)>,
    /// The first failed inputs, for the summary.
    failures: Vec<(String, String, String)>,
}

const SLOWEST_SHOWN: usize = 5;
const FAILURES_SHOWN: usize = 10;

impl Stats {
    fn add(&mut self, outcome: &Outcome) {
        let row = &outcome.row;
        self.total += 1;
        *self.by_status.entry(row.status).or_default() += 1;
        if let Some(kind) = &row.error_kind {
            *self.by_kind.entry((row.status, kind.clone())).or_default() += 1;
        }
        if outcome.kept {
            self.kept += 1;
            return;
        }
        self.pages += u64::from(row.pages.unwrap_or(0));
        if self.slowest.len() < SLOWEST_SHOWN
            || self
                .slowest
                .last()
                .is_some_and(|(d, _)| row.duration_ms > *d)
        {
            self.slowest.push((row.duration_ms, row.path.clone()));
            self.slowest.sort_by_key(|(ms, _)| std::cmp::Reverse(*ms));
            self.slowest.truncate(SLOWEST_SHOWN);
        }
        if row.status == Status::Failed && self.failures.len() < FAILURES_SHOWN {
            self.failures.push((
                row.path.clone(),
                row.error_kind.clone().unwrap_or_default(),
                row.error.clone().unwrap_or_default(),
            ));
        }
    }

    fn failed(&self) -> usize {
        self.by_status.get(&Status::Failed).copied().unwrap_or(0)
    }

    fn print(&self, elapsed: Duration, config: &Config, manifest: Option<&Path>) {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let processed = self.total - self.kept;
        let mut out = String::new();
        let shard = config
            .shard
            .map_or_else(String::new, |s| format!(", shard {}/{}", s.index, s.count));
        let mode = if config.worker.is_some() {
            "worker processes"
        } else {
            "in process"
        };
        out.push_str(&format!(
            "{} inputs in {:.2} s: {:.0} inputs/s, {:.0} pages/s ({} jobs, {mode}{shard})\n",
            self.total,
            secs,
            processed as f64 / secs,
            self.pages as f64 / secs,
            config.jobs
        ));
        let counts: Vec<String> = [
            Status::Ok,
            Status::OkWithWarnings,
            Status::Failed,
            Status::Skipped,
        ]
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.as_str(),
                self.by_status.get(s).copied().unwrap_or(0)
            )
        })
        .collect();
        out.push_str(&format!("  {}", counts.join(", ")));
        if self.kept > 0 {
            out.push_str(&format!(" ({} kept from the previous run)", self.kept));
        }
        out.push('\n');
        for status in [Status::Failed, Status::Skipped] {
            let kinds: Vec<String> = self
                .by_kind
                .iter()
                .filter(|((s, _), _)| *s == status)
                .map(|((_, k), n)| format!("{k} {n}"))
                .collect();
            if !kinds.is_empty() {
                out.push_str(&format!("  {}: {}\n", status.as_str(), kinds.join(", ")));
            }
        }
        for (path, kind, message) in &self.failures {
            out.push_str(&format!("  failed: {path}: {kind}: {message}\n"));
        }
        if self.failed() > self.failures.len() {
            out.push_str(&format!(
                "  … and {} more failed (see the manifest)\n",
                self.failed() - self.failures.len()
            ));
        }
        if !self.slowest.is_empty() {
            let slow: Vec<String> = self
                .slowest
                .iter()
                .map(|(ms, p)| format!("{p} ({:.2} s)", *ms as f64 / 1000.0))
                .collect();
            out.push_str(&format!("  slowest: {}\n", slow.join(", ")));
        }
        if let Some(m) = manifest {
            out.push_str(&format!("  manifest: {}\n", m.display()));
        }
        eprint!("{out}");
    }
}
