//! The manifest: one JSON Lines row per input, in input order.
//!
//! While a run goes, rows are appended to `manifest.jsonl.partial` (flushed as they
//! are written); at the end the file is renamed to `manifest.jsonl`. A run killed at
//! any moment leaves the previous manifest untouched and at most a torn last line in
//! the partial one; `--resume` reads both and ignores lines it cannot parse.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Version of this tool, written in every row; `--resume` only trusts rows of the
/// same version.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A report was written, with no warning diagnostics.
    Ok,
    /// A report was written; it has warning (or error) diagnostics, or its quality
    /// score is under `--review-below`.
    OkWithWarnings,
    /// The input is a report (or should be) and no report could be made.
    Failed,
    /// The input is no report: neither text nor PDF (`binary`), or text/PDF in
    /// which nothing of a report was recognised (`not_a_report`), or not a regular file.
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::OkWithWarnings => "ok_with_warnings",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }

    pub fn is_ok(self) -> bool {
        matches!(self, Status::Ok | Status::OkWithWarnings)
    }
}

/// One manifest row. Field order is fixed; absent values are `null`, never omitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Input path, as given or as found by walking a directory argument.
    pub path: String,
    /// Output file relative to OUT (`null` when no report was written).
    pub output: Option<String>,
    pub status: Status,
    /// Stable error kind: an [`ExtractError`](crate::error::ExtractError) kind, or
    /// `crash` / `timeout` (worker process), `not_a_file`, `output_io`.
    pub error_kind: Option<String>,
    /// One-line message for the error.
    pub error: Option<String>,
    /// SHA-256 of the input bytes (`null` when not read: too large, unreadable).
    pub sha256: Option<String>,
    /// Size in bytes (`null` when it could not be read).
    pub size: Option<u64>,
    /// "text" or "pdf" when sniffed.
    pub format: Option<String>,
    pub pages: Option<u32>,
    /// Number of assessments in the report.
    pub assessments: Option<usize>,
    /// Number of warning (or worse) diagnostics in the report.
    pub warnings: Option<usize>,
    /// The report's quality score (0–1): under `--review-below`, the row is
    /// `ok_with_warnings` and the summary lists it for a person to check.
    #[serde(default)]
    pub quality: Option<f64>,
    /// First input (in input order) with the same bytes, when this one is a copy.
    pub duplicate_of: Option<String>,
    pub tool_version: String,
    /// Wall-clock time spent on the input (read, extract, write). The only field that
    /// differs between two runs over the same inputs.
    pub duration_ms: u64,
}

impl Row {
    pub fn new(path: String, status: Status) -> Row {
        Row {
            path,
            output: None,
            status,
            error_kind: None,
            error: None,
            sha256: None,
            size: None,
            format: None,
            pages: None,
            assessments: None,
            warnings: None,
            quality: None,
            duplicate_of: None,
            tool_version: TOOL_VERSION.to_owned(),
            duration_ms: 0,
        }
    }

    pub fn with_error(mut self, kind: &str, message: impl Into<String>) -> Row {
        self.error_kind = Some(kind.to_owned());
        self.error = Some(message.into());
        self
    }

    /// The row as one JSON Lines record, newline included.
    pub fn to_line(&self) -> String {
        let mut s = serde_json::to_string(self).expect("a manifest row always serialises");
        s.push('\n');
        s
    }
}

/// Rows of earlier runs that `--resume` may keep: successful, same tool version,
/// keyed by input path. Later lines win; unparsable lines (a torn last line) are
/// ignored.
pub fn reusable_rows(files: &[&Path]) -> HashMap<String, Row> {
    let mut rows = HashMap::new();
    for file in files {
        let Ok(f) = std::fs::File::open(file) else {
            continue;
        };
        for line in std::io::BufReader::new(f).lines() {
            let Ok(line) = line else { break };
            let Ok(row) = serde_json::from_str::<Row>(&line) else {
                continue;
            };
            if row.status.is_ok()
                && row.tool_version == TOOL_VERSION
                && row.sha256.is_some()
                && row.output.is_some()
            {
                rows.insert(row.path.clone(), row);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_keep_nulls() {
        let row = Row::new("a/x.txt".into(), Status::Failed).with_error("empty", "empty file");
        let line = row.to_line();
        assert!(line.contains("\"output\":null") && line.contains("\"status\":\"failed\""));
        assert_eq!(serde_json::from_str::<Row>(line.trim_end()).unwrap(), row);
    }

    #[test]
    fn torn_lines_are_ignored_on_resume() {
        let dir = tempfile::tempdir().unwrap();
        let mut ok = Row::new("x.txt".into(), Status::Ok);
        ok.sha256 = Some("ab".into());
        ok.output = Some("x.json".into());
        let failed = Row::new("y.txt".into(), Status::Failed);
        let torn = ok.to_line().replace("x.txt", "z.txt");
        let text = format!(
            "{}{}{}",
            ok.to_line(),
            failed.to_line(),
            &torn[..torn.len() / 2]
        );
        let path = dir.path().join("manifest.jsonl");
        std::fs::write(&path, text).unwrap();
        let rows = reusable_rows(&[&path, &dir.path().join("missing")]);
        assert_eq!(rows.keys().collect::<Vec<_>>(), ["x.txt"]);
    }
}
