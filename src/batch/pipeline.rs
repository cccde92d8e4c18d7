//! The batch run: inputs in parallel, results written in input order.
//!
//! `jobs` threads of a rayon pool each own one worker process (or extract in
//! process). A thread claims the next input index, [`process`](super::process)es it
//! and sends the outcome to the calling thread, which marks copies (`duplicate_of`),
//! writes manifest rows and JSON Lines records strictly in input order through a
//! reorder buffer ([`Sink`]), and counts them ([`Summary`]). Memory stays bounded: a
//! thread may not claim an input more than [`WINDOW`] places ahead of the last row
//! written, and JSON Lines records waiting in the buffer are kept in memory only up
//! to [`LINE_BUDGET`] bytes — past that, the record is read back from its output file
//! when its turn comes (or, with no OUT, the thread waits for its turn).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::Instant;

use super::plan::Plan;
use super::process::{self, Job, Line, Outcome};
use super::sink::Sink;
use super::summary::Summary;
use super::worker::Worker;
use super::{Config, Progress, SetupError};

/// How far ahead of the last written row an input may be claimed.
pub const WINDOW: usize = 8192;
/// Bytes of JSON Lines records held in the reorder buffer at most.
pub const LINE_BUDGET: usize = 64 << 20;

/// Claims and turns, shared by the producing threads and the writer.
struct Schedule {
    state: Mutex<Claims>,
    turn: Condvar,
    line_bytes: AtomicUsize,
}

struct Claims {
    next_claim: usize,
    next_write: usize,
}

/// Runs a planned batch; see [`super::run`].
pub fn run(config: &Config, progress: &dyn Progress) -> Result<Summary, SetupError> {
    let started = Instant::now();
    let plan = Plan::new(config)?;
    let mut sink = Sink::open(&plan, config.jsonl.as_deref())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .thread_name(|i| format!("batch-{i}"))
        .build()
        .map_err(|e| SetupError(format!("cannot start {} threads: {e}", config.jobs)))?;
    let abort = AtomicBool::new(false);
    let job = Job {
        output: config.output.as_deref(),
        reusable: &plan.reusable,
        temp_tag: &plan.temp_tag,
        want_lines: config.jsonl.is_some(),
        max_file_size: config.max_file_size,
        review_below: config.review_below,
        abort: &abort,
    };
    let schedule = Schedule {
        state: Mutex::new(Claims {
            next_claim: 0,
            next_write: 0,
        }),
        turn: Condvar::new(),
        line_bytes: AtomicUsize::new(0),
    };
    let mut summary = Summary {
        planned: plan.inputs.len(),
        review_below: config.review_below,
        jobs: config.jobs,
        in_process: config.worker.is_none(),
        shard: config.shard,
        manifest: plan.manifest.clone(),
        warnings: plan.warnings.clone(),
        ..Summary::default()
    };
    progress.start(plan.inputs.len());
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        let (job, schedule, pool, inputs) = (&job, &schedule, &pool, &plan.inputs);
        scope.spawn(move || {
            pool.scope(|s| {
                for _ in 0..config.jobs {
                    let tx = tx.clone();
                    s.spawn(move |_| produce(config, job, schedule, inputs, progress, &tx));
                }
            });
            drop(tx);
        });
        write_in_order(rx, &mut sink, schedule, &abort, &mut summary);
    });
    progress.finish();
    let complete = summary.write_error.is_none() && summary.total == summary.planned;
    if let Err(e) = sink.close(complete) {
        summary.write_error.get_or_insert(e);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The writer: outcomes in input order to the sink, copies marked, rows counted.
fn write_in_order(
    rx: mpsc::Receiver<(usize, Outcome)>,
    sink: &mut Sink,
    schedule: &Schedule,
    abort: &AtomicBool,
    summary: &mut Summary,
) {
    let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 0usize;
    let mut first_with_hash: HashMap<String, String> = HashMap::new();
    let fail = |summary: &mut Summary, e: String| {
        if summary.write_error.is_none() {
            summary.write_error = Some(e);
            abort.store(true, Ordering::SeqCst);
        }
    };
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
            if summary.write_error.is_none() {
                if let Err(e) = sink.write(&outcome) {
                    fail(summary, e);
                }
            }
            if let Line::Memory(line) = &outcome.line {
                schedule.line_bytes.fetch_sub(line.len(), Ordering::SeqCst);
            }
            summary.add(&outcome.row, outcome.kept);
        }
        if let Err(e) = sink.flush() {
            fail(summary, e);
        }
        let mut claims = schedule.state.lock().unwrap_or_else(|e| e.into_inner());
        claims.next_write = next;
        drop(claims);
        schedule.turn.notify_all();
    }
}

/// One thread's loop: claim, process, send.
fn produce(
    config: &Config,
    job: &Job<'_>,
    schedule: &Schedule,
    inputs: &[super::inputs::Input],
    progress: &dyn Progress,
    tx: &mpsc::Sender<(usize, Outcome)>,
) {
    let mut worker = config.worker.clone().map(Worker::new);
    let n = inputs.len();
    loop {
        let index = {
            let mut claims = schedule.state.lock().unwrap_or_else(|e| e.into_inner());
            while claims.next_claim < n
                && claims.next_claim >= claims.next_write + WINDOW
                && !job.abort.load(Ordering::SeqCst)
            {
                claims = schedule
                    .turn
                    .wait(claims)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if claims.next_claim >= n || job.abort.load(Ordering::SeqCst) {
                return;
            }
            claims.next_claim += 1;
            claims.next_claim - 1
        };
        if let Some(w) = worker.as_mut() {
            w.warm_up();
        }
        let mut outcome = process::process(job, &inputs[index], worker.as_mut());
        if let Line::Memory(line) = &outcome.line {
            hold_line(job, schedule, index, line.len(), &mut outcome);
        }
        progress.advance(&outcome.row);
        if tx.send((index, outcome)).is_err() {
            return;
        }
    }
}

/// Keeps a JSON Lines record in memory if the budget allows; otherwise reads it
/// back from the output file later, or (no OUT) waits for this input's turn.
fn hold_line(job: &Job<'_>, schedule: &Schedule, index: usize, len: usize, outcome: &mut Outcome) {
    if schedule.line_bytes.load(Ordering::SeqCst) + len > LINE_BUDGET {
        if let (Some(out), Some(rel)) = (job.output, &outcome.row.output) {
            outcome.line = Line::File(out.join(rel));
            return;
        }
        let mut claims = schedule.state.lock().unwrap_or_else(|e| e.into_inner());
        while claims.next_write != index
            && schedule.line_bytes.load(Ordering::SeqCst) + len > LINE_BUDGET
            && !job.abort.load(Ordering::SeqCst)
        {
            claims = schedule
                .turn
                .wait(claims)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
    schedule.line_bytes.fetch_add(len, Ordering::SeqCst);
}
