//! One input, start to finish: read it (within `--max-file-size`), sniff and hash it,
//! keep an earlier run's result (`--resume`) or extract it (in a worker process, or in
//! this process behind `catch_unwind`), and write its report atomically. The result
//! is an [`Outcome`]: its manifest row and JSON Lines record. Nothing here schedules,
//! orders or counts inputs.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::fsio;
use super::inputs::Input;
use super::manifest::{Row, Status};
use super::worker::{self, Extracted, Worker};
use crate::error::ExtractError;

/// The JSON Lines record of an outcome, if any.
pub enum Line {
    None,
    Memory(String),
    /// Read back from the output file when its turn comes.
    File(PathBuf),
}

pub struct Outcome {
    pub row: Row,
    pub line: Line,
    /// Kept from an earlier run (`--resume`).
    pub kept: bool,
}

/// What every input of a run shares.
pub struct Job<'a> {
    pub output: Option<&'a Path>,
    pub reusable: &'a HashMap<String, Row>,
    pub temp_tag: &'a str,
    pub want_lines: bool,
    pub max_file_size: u64,
    /// Reports whose quality score is under this are `ok_with_warnings`.
    pub review_below: f64,
    /// Set when the run stops early (an output could not be written).
    pub abort: &'a AtomicBool,
}

/// Reads a file that must not exceed `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ExtractError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ExtractError::Io(io::Error::other("not a regular file")));
    }
    if meta.len() > limit {
        return Err(ExtractError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(std::fs::read(path)?)
}

/// Extracts bytes in the worker when there is one, else in this process (panics caught).
pub fn extract(
    path: &str,
    bytes: &[u8],
    worker: Option<&mut Worker>,
    want_line: bool,
) -> Extracted {
    match worker {
        Some(w) => w.extract(path, bytes, want_line),
        None => worker::extract(path, bytes, want_line, false),
    }
}

/// Everything that happens to one input.
pub fn process(job: &Job<'_>, input: &Input, worker: Option<&mut Worker>) -> Outcome {
    let started = Instant::now();
    let path = input.display();
    let rel_output = input.output.to_string_lossy().into_owned();
    let dest = job.output.map(|o| o.join(&input.output));
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
        let e = ExtractError::Io(io::Error::other(message.clone()));
        return done(failed("io", e.to_string()), Line::None);
    }
    match std::fs::metadata(&input.path) {
        Ok(m) if !m.is_file() => {
            let row = Row::new(path.clone(), Status::Skipped)
                .with_error("not_a_file", "not a regular file");
            return done(row, Line::None);
        }
        Ok(_) => {}
        Err(e) => return done(failed("io", ExtractError::Io(e).to_string()), Line::None),
    }
    let bytes = match read_limited(&input.path, job.max_file_size) {
        Ok(b) => b,
        Err(e) => {
            let mut row = failed(e.kind(), e.to_string());
            if let ExtractError::TooLarge { size, .. } = e {
                row.size = Some(size);
            }
            return done(row, Line::None);
        }
    };
    let mut row = Row::new(path.clone(), Status::Failed);
    row.size = Some(bytes.len() as u64);
    row.sha256 = Some(crate::sha256_hex(&bytes));
    match crate::sniff_named(&path, &bytes) {
        Ok(format) => row.format = Some(format.to_string()),
        Err(e) => {
            row.status = status_of_error(e.kind());
            return done(row.with_error(e.kind(), e.to_string()), Line::None);
        }
    }
    if let (Some(previous), Some(dest)) = (job.reusable.get(&path), &dest) {
        if previous.sha256 == row.sha256
            && previous.output.as_deref() == Some(rel_output.as_str())
            && dest.is_file()
        {
            let line = if job.want_lines {
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
    if job.abort.load(Ordering::SeqCst) {
        return done(
            row.with_error("aborted", "run stopped before this file"),
            Line::None,
        );
    }
    let extracted = extract(&path, &bytes, worker, job.want_lines);
    drop(bytes);
    let header = extracted.header;
    if !header.ok {
        let kind = header.kind.unwrap_or_else(|| "crash".to_owned());
        row.status = status_of_error(&kind);
        let message = header.message.unwrap_or_default();
        return done(row.with_error(&kind, message), Line::None);
    }
    if let Some(dest) = &dest {
        if let Err(e) = fsio::write_atomic(dest, extracted.json.as_bytes(), job.temp_tag) {
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
    row.quality = header.quality;
    let doubtful = header.quality.is_some_and(|q| q < job.review_below);
    row.status = if header.warnings.unwrap_or(0) > 0 || doubtful {
        Status::OkWithWarnings
    } else {
        Status::Ok
    };
    let line = if job.want_lines {
        Line::Memory(extracted.line)
    } else {
        Line::None
    };
    done(row, line)
}

/// Inputs that are no report are skipped; every other error fails the input.
pub fn status_of_error(kind: &str) -> Status {
    match kind {
        "binary" | "not_a_report" => Status::Skipped,
        _ => Status::Failed,
    }
}
