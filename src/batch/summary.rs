//! What a run did, as data: counts by status and error kind, copies, pages, the
//! slowest and the first failed inputs. The binary prints it; nothing here prints.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::inputs::Shard;
use super::manifest::{Row, Status};

/// How many of the slowest inputs are kept.
pub const SLOWEST_KEPT: usize = 5;
/// How many failed inputs are kept with their messages.
pub const FAILURES_KEPT: usize = 10;
/// How many reports to review are named (all are counted).
pub const REVIEWS_KEPT: usize = 20;

/// One failed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub kind: String,
    pub message: String,
}

/// The outcome of a batch run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs with a manifest row.
    pub total: usize,
    /// Inputs of this run (or shard) that were planned: `total` is less when the run
    /// stopped early.
    pub planned: usize,
    pub by_status: BTreeMap<Status, usize>,
    pub by_kind: BTreeMap<(Status, String), usize>,
    /// Rows kept from an earlier run (`--resume`).
    pub kept: usize,
    /// Inputs whose bytes are those of an earlier input (`duplicate_of`).
    pub duplicates: usize,
    /// Pages of the inputs extracted by this run.
    pub pages: u64,
    /// The slowest inputs extracted by this run, slowest first: (milliseconds, path).
    pub slowest: Vec<(u64, String)>,
    /// The first failed inputs, in input order.
    pub failures: Vec<Failure>,
    /// The threshold of `--review-below`.
    pub review_below: f64,
    /// Reports whose quality score is under it.
    pub to_review: usize,
    /// The first of them, in input order: (path, score).
    pub reviews: Vec<(String, f64)>,
    pub elapsed: Duration,
    pub jobs: usize,
    pub in_process: bool,
    pub shard: Option<Shard>,
    /// The manifest written, if any.
    pub manifest: Option<PathBuf>,
    /// Warnings about the inputs (a directory with no report file).
    pub warnings: Vec<String>,
    /// Why the outputs could not be written completely, if they could not.
    pub write_error: Option<String>,
}

impl Summary {
    /// Counts one input's row.
    pub fn add(&mut self, row: &Row, kept: bool) {
        self.total += 1;
        *self.by_status.entry(row.status).or_default() += 1;
        if let Some(kind) = &row.error_kind {
            *self.by_kind.entry((row.status, kind.clone())).or_default() += 1;
        }
        if row.duplicate_of.is_some() {
            self.duplicates += 1;
        }
        if let Some(q) = row.quality.filter(|q| *q < self.review_below) {
            self.to_review += 1;
            if self.reviews.len() < REVIEWS_KEPT {
                self.reviews.push((row.path.clone(), q));
            }
        }
        if kept {
            self.kept += 1;
            return;
        }
        self.pages += u64::from(row.pages.unwrap_or(0));
        if self.slowest.len() < SLOWEST_KEPT
            || self
                .slowest
                .last()
                .is_some_and(|(d, _)| row.duration_ms > *d)
        {
            self.slowest.push((row.duration_ms, row.path.clone()));
            self.slowest.sort_by_key(|(ms, _)| std::cmp::Reverse(*ms));
            self.slowest.truncate(SLOWEST_KEPT);
        }
        if row.status == Status::Failed && self.failures.len() < FAILURES_KEPT {
            self.failures.push(Failure {
                path: row.path.clone(),
                kind: row.error_kind.clone().unwrap_or_default(),
                message: row.error.clone().unwrap_or_default(),
            });
        }
    }

    /// Inputs with this status.
    pub fn count(&self, status: Status) -> usize {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    pub fn failed(&self) -> usize {
        self.count(Status::Failed)
    }

    /// Every planned input has its row, none failed, and the outputs were written.
    pub fn succeeded(&self) -> bool {
        self.failed() == 0 && self.write_error.is_none() && self.total == self.planned
    }
}
