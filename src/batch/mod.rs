//! Batch stage: many inputs → many reports, in parallel, resumable, nothing lost.
//!
//! `audit-extract extract INPUT... --output OUT` walks the inputs ([`inputs`]), hands
//! each file to a worker process ([`worker`]) from a pool of `--jobs` threads, writes
//! each report atomically under OUT ([`fsio`]) and one [`manifest`] row per input, in
//! input order whatever the parallelism ([`pipeline`]).
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
//! * One FILE without `--output` or `--jsonl` prints its JSON to stdout, in process.
//!
//! Exit codes: 0 every input ok (warnings and skipped non-reports included), 1 some
//! input failed (or the manifest could not be written), 2 usage error.

pub mod fsio;
pub mod inputs;
pub mod manifest;
pub mod pipeline;
pub mod worker;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub use inputs::Shard;

use crate::{extract_file, output};

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
    /// and the file fails with kind "timeout".
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Files larger than this fail with kind "too_large" without being read (bytes,
    /// or with a K, M or G suffix: powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,
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

/// Runs `extract`; returns the process exit code (0 all ok, 1 some failed, 2 usage).
pub fn run(args: &ExtractArgs) -> ExitCode {
    if args.worker_mode {
        return worker::serve(args.max_memory);
    }
    if args.output.is_none() && args.jsonl.is_none() {
        return single(args);
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    if jobs == 0 {
        return usage("--jobs must be at least 1");
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return usage("--timeout must be a positive number of seconds");
    }
    if args.resume && args.output.is_none() {
        return usage("--resume needs --output OUT (it reads OUT's manifest)");
    }
    let exe = if args.in_process {
        PathBuf::new()
    } else {
        match std::env::current_exe() {
            Ok(exe) => exe,
            Err(e) => {
                return usage(&format!(
                "cannot find this program's executable to start workers ({e}); use --in-process"
            ))
            }
        }
    };
    let config = pipeline::Config {
        inputs: args.inputs.clone(),
        output: args.output.clone(),
        jsonl: args.jsonl.clone(),
        jobs,
        resume: args.resume,
        max_file_size: args.max_file_size,
        shard: args.shard,
        quiet: args.quiet,
        worker: (!args.in_process).then(|| worker::WorkerSpec {
            exe,
            timeout: Duration::from_secs_f64(args.timeout),
            max_memory_mib: args.max_memory,
        }),
    };
    pipeline::run(&config)
}

/// One file, no OUT: the JSON on stdout, a one-line error on stderr.
fn single(args: &ExtractArgs) -> ExitCode {
    let [input] = args.inputs.as_slice() else {
        return usage("several inputs need --output OUT (or --jsonl FILE)");
    };
    if input.is_dir() {
        return usage(&format!(
            "{} is a directory: give --output OUT (or --jsonl FILE)",
            input.display()
        ));
    }
    match extract_file(input) {
        Ok(report) => output::to_stdout(&output::to_json(&report)),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
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
