//! Batch stage: many inputs → many reports, in parallel, resumable, nothing lost.
//!
//! `audit-extract extract INPUT... --output OUT` plans the run ([`plan`]: inputs from
//! [`inputs`], shard, resume), hands each file ([`process`]) to a worker process
//! ([`worker`]) from a pool of `--jobs` threads, writes each report atomically under
//! OUT ([`fsio`]) and one [`manifest`] row per input ([`sink`]), in input order
//! whatever the parallelism ([`pipeline`]), and counts what happened ([`summary`]).
//!
//! * **Statuses**: `ok`, `ok_with_warnings` (a report with warning diagnostics),
//!   `failed` (an input that is or should be a report, and gave none: empty, too
//!   large, unreadable, encrypted, scanned, corrupt, panic, `crash`, `timeout`…) and
//!   `skipped` (no report: kind `binary` for files neither text nor PDF,
//!   `not_a_report` for text or PDF with nothing of a report in it).
//! * **Resume**: `--resume` keeps the rows of OUT's manifest (and of the `.partial`
//!   one a killed run left) that are ok, of the same tool version, path, SHA-256 and
//!   output name, whose output file exists; everything else is done again.
//! * **Shards**: `--shard K/N` takes the K-th of N contiguous slices of the sorted
//!   input list (output names are computed on the whole list first, so they do not
//!   depend on sharding). Each shard writes `OUT/manifest.shard-K-of-N.jsonl` (K
//!   zero-padded to the width of N) and may share OUT with the others; concatenated
//!   in shard order (`cat OUT/manifest.shard-*-of-N.jsonl`), they are the manifest an
//!   unsharded run writes. Every shard must see the same inputs (same paths).
//! * One file alone ([`extract_one`]) gets the same protection: size limit, worker
//!   process (or `catch_unwind`), timeout.
//!
//! The library returns values ([`Summary`]); flags, progress bars, printing and exit
//! codes belong to the binary.

pub mod fsio;
pub mod inputs;
pub mod manifest;
pub mod pipeline;
pub mod plan;
pub mod process;
pub mod sink;
pub mod summary;
pub mod worker;

use std::path::{Path, PathBuf};

pub use inputs::Shard;
pub use manifest::{Row, Status};
pub use summary::Summary;
pub use worker::WorkerSpec;

/// Why one file gave no report: its error kind (as in a manifest row) and message.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct InputError {
    pub path: PathBuf,
    pub kind: String,
    pub message: String,
}

/// A batch run, as the flags ask it.
#[derive(Debug, Clone)]
pub struct Config {
    /// Files and directories (walked recursively).
    pub inputs: Vec<PathBuf>,
    /// OUT: one JSON file per input and the manifest.
    pub output: Option<PathBuf>,
    /// JSON Lines of every report ("-": stdout).
    pub jsonl: Option<PathBuf>,
    /// Threads, each with its worker process.
    pub jobs: usize,
    /// Keep the ok rows of OUT's manifest whose input has not changed.
    pub resume: bool,
    /// Files larger than this fail as `too_large`, unread.
    pub max_file_size: u64,
    /// Reports whose quality score is under this are `ok_with_warnings` and listed in
    /// the summary for review.
    pub review_below: f64,
    pub shard: Option<Shard>,
    /// Worker processes; `None` extracts in process (panics still caught).
    pub worker: Option<WorkerSpec>,
}

/// The run could not start (or its outputs could not be opened): nothing was done.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// Told of a run's progress, from any of its threads.
pub trait Progress: Sync {
    /// The run has `total` inputs.
    fn start(&self, _total: usize) {}
    /// One more input is done (rows come in completion order, not input order).
    fn advance(&self, _row: &Row) {}
    /// Every input is done.
    fn finish(&self) {}
}

/// Default of `--review-below`: a report with one doubtful place for every nine
/// assessments, or more, is worth a look.
pub const DEFAULT_REVIEW_BELOW: f64 = 0.9;

/// A run nobody watches.
pub struct Silent;

impl Progress for Silent {}

/// Runs a batch: every input gets one manifest row, whatever happens to the others.
/// Returns what was done; an `Err` means the run could not start.
pub fn run(config: &Config, progress: &dyn Progress) -> Result<Summary, SetupError> {
    pipeline::run(config, progress)
}

/// Extracts one file with the protection of a batch run: at most `max_file_size`
/// bytes are read, and the extraction runs in a worker process (killed past its
/// timeout, its memory limited) or, with no worker, behind `catch_unwind`. Returns the
/// report's JSON, as a batch run would write it.
pub fn extract_one(
    path: &Path,
    max_file_size: u64,
    worker: Option<WorkerSpec>,
) -> Result<String, InputError> {
    let error = |kind: &str, message: String| InputError {
        path: path.to_owned(),
        kind: kind.to_owned(),
        message,
    };
    let bytes =
        process::read_limited(path, max_file_size).map_err(|e| error(e.kind(), e.to_string()))?;
    let mut worker = worker.map(worker::Worker::new);
    let extracted = process::extract(&path.to_string_lossy(), &bytes, worker.as_mut(), false);
    if extracted.header.ok {
        return Ok(extracted.json);
    }
    let header = extracted.header;
    Err(error(
        header.kind.as_deref().unwrap_or("crash"),
        header.message.unwrap_or_default(),
    ))
}
