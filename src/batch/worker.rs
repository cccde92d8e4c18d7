//! Fault isolation: extraction in long-lived worker processes.
//!
//! Each batch thread owns one worker: the same binary re-executed as
//! `audit-extract extract --worker-mode` (a hidden flag). The worker reads requests
//! on stdin and answers on stdout, one file at a time, for as long as it lives:
//!
//! ```text
//! request:  u32 path length | path (UTF-8) | u64 data length | data | u8 flags (1: also compact JSON)
//! response: u32 header length | header (JSON, [`Header`]) | u64 length | pretty JSON | u64 length | compact JSON
//! ```
//!
//! Integers are little-endian. While it OCRs a file's pages the worker also sends
//! progress frames before the response: `u32 0xFFFFFFFF | u8 kind | u32 value` (kind
//! 0: `value` pages are going to be OCR'd; 1: page `value` is read; 2: OCR still going,
//! after a second look at grid cells; 3: `value` planned pages will not be read). A worker that dies (abort, stack overflow,
//! signal, out of memory under `--max-memory`) or sends something unreadable fails the
//! file it held with kind `crash`; one that gives no answer within `--timeout` is killed
//! (SIGKILL) and fails its file with kind `timeout`. Once a file's OCR has begun, each
//! progress frame restarts that wait, and the wait is `--timeout` plus `--ocr-timeout`
//! (the limit of one page, which the worker enforces itself): a large scan is not
//! killed as long as its pages keep coming. Either way the next file gets a fresh
//! worker. Panics are caught inside the worker and are ordinary `panic` errors.
//!
//! ## Test trigger
//! Built only with the `test-hooks` cargo feature (which the test suite turns on, and
//! release builds do not have), `AUDIT_EXTRACT_TEST_CRASH_ON` makes a worker misbehave
//! on purpose, for tests of this machinery: a comma-separated list of `[MODE:]NAME`, where NAME matches an input
//! whose path ends with it and MODE is `abort` (default), `overflow` (stack
//! overflow), `loop` (never answers), `panic`, `oom` (allocates until the memory
//! limit), `exit` (exits with status 3) or `orphan` (starts `sleep 600`, writes its
//! process id to the file `AUDIT_EXTRACT_TEST_CHILD_PID` names, then never answers:
//! a worker stuck while a program it ran still runs). Only workers obey it, except `panic`,
//! which `--in-process` obeys too. It has no other effect.

use std::cell::Cell;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::ExtractError;
use crate::output;
use crate::source::ocr::PageEvent;

/// What the extraction of one file gave, without the JSON texts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub ok: bool,
    /// Error kind and message when not ok.
    pub kind: Option<String>,
    pub message: Option<String>,
    pub format: Option<String>,
    pub pages: Option<u32>,
    pub assessments: Option<usize>,
    /// Diagnostics of warning severity or worse.
    pub warnings: Option<usize>,
    /// The report's quality score (0–1).
    pub quality: Option<f64>,
}

/// A finished extraction: header, pretty JSON (the output file) and, when asked, the
/// compact JSON Lines record.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub header: Header,
    pub json: String,
    pub line: String,
}

impl Extracted {
    fn failure(kind: &str, message: String) -> Extracted {
        Extracted {
            header: Header {
                ok: false,
                kind: Some(kind.to_owned()),
                message: Some(message),
                ..Header::default()
            },
            ..Extracted::default()
        }
    }
}

thread_local! {
    static SILENT_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent while [`extract`] runs on this
/// thread (its panics become `panic` errors) and defers to the previous hook otherwise.
fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !SILENT_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Extracts one file's bytes, catching panics. `in_worker` enables every mode of the
/// test trigger (in-process runs obey only `panic`).
pub fn extract(path: &str, bytes: &[u8], want_line: bool, in_worker: bool) -> Extracted {
    install_quiet_panic_hook();
    SILENT_PANICS.with(|s| s.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        test_trigger(path, in_worker);
        crate::extract_bytes(path, bytes)
    }));
    SILENT_PANICS.with(|s| s.set(false));
    let result = result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        Err(ExtractError::Panic(message))
    });
    match result {
        Ok(report) => {
            let line = if want_line {
                let mut buf = Vec::with_capacity(bytes.len() * 2);
                output::write_jsonl(&report, &mut buf).expect("writing to memory cannot fail");
                String::from_utf8(buf).expect("JSON is UTF-8")
            } else {
                String::new()
            };
            let warnings = report
                .diagnostics
                .iter()
                .filter(|d| d.severity >= crate::model::Severity::Warning)
                .count();
            Extracted {
                header: Header {
                    ok: true,
                    kind: None,
                    message: None,
                    format: Some(report.source.format.clone()),
                    pages: report.source.pages,
                    assessments: Some(report.assessments.len()),
                    warnings: Some(warnings),
                    quality: Some(report.quality.score),
                },
                json: output::to_json(&report),
                line,
            }
        }
        Err(e) => Extracted::failure(e.kind(), e.to_string()),
    }
}

// ---------------------------------------------------------------------------------
// Test trigger (only with the `test-hooks` feature)

#[cfg(not(feature = "test-hooks"))]
fn test_trigger(_path: &str, _in_worker: bool) {}

#[cfg(feature = "test-hooks")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Misbehaviour {
    Abort,
    Overflow,
    Loop,
    Panic,
    Oom,
    Exit,
    Orphan,
}

#[cfg(feature = "test-hooks")]
fn triggers() -> &'static [(Misbehaviour, String)] {
    static TRIGGERS: std::sync::OnceLock<Vec<(Misbehaviour, String)>> = std::sync::OnceLock::new();
    TRIGGERS.get_or_init(|| {
        let Ok(spec) = std::env::var("AUDIT_EXTRACT_TEST_CRASH_ON") else {
            return Vec::new();
        };
        spec.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                let modes = [
                    ("abort:", Misbehaviour::Abort),
                    ("overflow:", Misbehaviour::Overflow),
                    ("loop:", Misbehaviour::Loop),
                    ("panic:", Misbehaviour::Panic),
                    ("oom:", Misbehaviour::Oom),
                    ("exit:", Misbehaviour::Exit),
                    ("orphan:", Misbehaviour::Orphan),
                ];
                modes
                    .iter()
                    .find_map(|(prefix, m)| {
                        item.strip_prefix(prefix).map(|name| (*m, name.to_owned()))
                    })
                    .unwrap_or((Misbehaviour::Abort, item.to_owned()))
            })
            .collect()
    })
}

#[cfg(feature = "test-hooks")]
fn test_trigger(path: &str, in_worker: bool) {
    let Some(&(mode, _)) = triggers()
        .iter()
        .find(|(_, name)| path.ends_with(name.as_str()))
    else {
        return;
    };
    match mode {
        Misbehaviour::Panic => panic!("test trigger: panic on {path}"),
        _ if !in_worker => {}
        Misbehaviour::Abort => std::process::abort(),
        Misbehaviour::Exit => std::process::exit(3),
        Misbehaviour::Loop => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        Misbehaviour::Orphan => {
            // Its standard streams are not the worker's pipes, as Tesseract's are not.
            let sleep = Command::new("sleep")
                .arg("600")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            if let Ok(child) = sleep {
                if let Some(file) = std::env::var_os("AUDIT_EXTRACT_TEST_CHILD_PID") {
                    let _ = std::fs::write(file, child.id().to_string());
                }
            }
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        Misbehaviour::Overflow => {
            std::hint::black_box(recurse(std::hint::black_box(1)));
        }
        Misbehaviour::Oom => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1u8; 64 << 20]);
                std::hint::black_box(&hoard);
            }
        }
    }
}

#[cfg(feature = "test-hooks")]
#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    let buf = std::hint::black_box([n; 512]);
    recurse(buf[(n % 512) as usize] + 1) + buf[0]
}

// ---------------------------------------------------------------------------------
// Worker side

/// Environment variable through which the parent tells a worker its process id, so the
/// worker can check it was not orphaned before it asked to die with its parent.
const PARENT_PID_VAR: &str = "AUDIT_EXTRACT_WORKER_PARENT";

/// Limits the address space of this process (bytes), so that runaway allocation
/// ends in an allocation failure (abort) rather than the machine's OOM killer.
#[cfg(unix)]
fn limit_memory(bytes: u64) -> Result<(), String> {
    if bytes == 0 {
        return Ok(());
    }
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } != 0 {
        return Err(format!(
            "cannot limit the worker's memory to {} MiB: {} (use --max-memory 0 for no limit)",
            bytes >> 20,
            io::Error::last_os_error()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn limit_memory(bytes: u64) -> Result<(), String> {
    if bytes == 0 {
        return Ok(());
    }
    Err("--max-memory is only enforced on Unix systems: use --max-memory 0 here".into())
}

/// Asks the kernel to kill this worker when the process that started it dies (even by
/// `kill -9`), so that a worker stuck in a loop never outlives its run. The parent may
/// have died before the request was made: then this worker was already handed to
/// another parent, and it leaves at once.
#[cfg(target_os = "linux")]
fn die_with_parent() -> Result<(), String> {
    // SAFETY: prctl(PR_SET_PDEATHSIG) takes plain integers and has no memory effects.
    let set = unsafe {
        libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0,
            0,
            0,
        )
    };
    if set != 0 {
        return Err(format!(
            "cannot ask to die with the parent process: {}",
            io::Error::last_os_error()
        ));
    }
    parent_still_there()
}

/// Elsewhere a worker whose parent died sees its stdin close and ends after the file in
/// hand; `--timeout` still bounds that file while the parent lives.
#[cfg(not(target_os = "linux"))]
fn die_with_parent() -> Result<(), String> {
    parent_still_there()
}

fn parent_still_there() -> Result<(), String> {
    let Some(expected) = std::env::var(PARENT_PID_VAR)
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        // SAFETY: getppid has no arguments and cannot fail.
        let parent = unsafe { libc::getppid() } as u32;
        if parent != expected {
            return Err(format!(
                "the process that started this worker ({expected}) is gone"
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = expected;
    Ok(())
}

/// Runs the worker loop on stdin/stdout until stdin closes. `max_memory_mib` is the
/// address-space limit in MiB (0: none).
pub fn serve(max_memory_mib: u64) -> ExitCode {
    if let Err(e) =
        die_with_parent().and_then(|()| limit_memory(max_memory_mib.saturating_mul(1 << 20)))
    {
        eprintln!("worker: {e}");
        return ExitCode::from(2);
    }
    let stdin = io::stdin();
    let mut input = BufReader::with_capacity(1 << 16, stdin.lock());
    // Shared by this loop (responses) and the OCR threads (progress frames).
    let out = Arc::new(Mutex::new(BufWriter::with_capacity(1 << 16, io::stdout())));
    let progress_out = Arc::clone(&out);
    crate::source::ocr::set_progress(Some(Arc::new(move |event| {
        let mut out = progress_out.lock().unwrap_or_else(|e| e.into_inner());
        // A parent that cannot be told will see the response (or the worker's end).
        let _ = write_progress(&mut *out, event).and_then(|()| out.flush());
    })));
    loop {
        let request = match read_request(&mut input) {
            Ok(Some(r)) => r,
            Ok(None) => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("worker: bad request: {e}");
                return ExitCode::from(2);
            }
        };
        let extracted = extract(&request.path, &request.data, request.want_line, true);
        drop(request);
        let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = write_response(&mut *out, &extracted).and_then(|()| out.flush()) {
            eprintln!("worker: cannot answer: {e}");
            return ExitCode::from(2);
        }
    }
}

struct Request {
    path: String,
    data: Vec<u8>,
    want_line: bool,
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_exact_vec(r: &mut impl Read, len: u64) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    let got = r.take(len).read_to_end(&mut v)?;
    if got as u64 != len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "truncated frame",
        ));
    }
    Ok(v)
}

fn read_string(r: &mut impl Read, len: u64) -> io::Result<String> {
    String::from_utf8(read_exact_vec(r, len)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "frame is not UTF-8"))
}

/// Reads one request; `None` at a clean end of input.
fn read_request(r: &mut impl Read) -> io::Result<Option<Request>> {
    let mut b = [0u8; 4];
    match r.read(&mut b[..1])? {
        0 => return Ok(None),
        _ => r.read_exact(&mut b[1..])?,
    }
    let path_len = u32::from_le_bytes(b);
    let path = read_string(r, u64::from(path_len))?;
    let data_len = read_u64(r)?;
    let data = read_exact_vec(r, data_len)?;
    let mut flags = [0u8; 1];
    r.read_exact(&mut flags)?;
    Ok(Some(Request {
        path,
        data,
        want_line: flags[0] & 1 != 0,
    }))
}

fn write_request(w: &mut impl Write, path: &str, data: &[u8], want_line: bool) -> io::Result<()> {
    w.write_all(&(path.len() as u32).to_le_bytes())?;
    w.write_all(path.as_bytes())?;
    w.write_all(&(data.len() as u64).to_le_bytes())?;
    w.write_all(data)?;
    w.write_all(&[u8::from(want_line)])?;
    w.flush()
}

fn write_response(w: &mut impl Write, e: &Extracted) -> io::Result<()> {
    let header = serde_json::to_vec(&e.header).map_err(io::Error::other)?;
    w.write_all(&(header.len() as u32).to_le_bytes())?;
    w.write_all(&header)?;
    w.write_all(&(e.json.len() as u64).to_le_bytes())?;
    w.write_all(e.json.as_bytes())?;
    w.write_all(&(e.line.len() as u64).to_le_bytes())?;
    w.write_all(e.line.as_bytes())
}

/// First word of a progress frame, where a response has its header length.
const PROGRESS_TAG: u32 = u32::MAX;

/// A progress frame: the tag, a kind byte (0 planned, 1 page done, 2 still going) and
/// a number (pages planned, page number, 0).
fn write_progress(w: &mut impl Write, event: PageEvent) -> io::Result<()> {
    let (kind, value) = match event {
        PageEvent::Planned(n) => (0u8, n),
        PageEvent::Done(n) => (1, n),
        PageEvent::Beat => (2, 0),
        PageEvent::Abandoned(n) => (3, n),
    };
    w.write_all(&PROGRESS_TAG.to_le_bytes())?;
    w.write_all(&[kind])?;
    w.write_all(&value.to_le_bytes())
}

/// What a worker says: progress of the file in hand, or its result.
enum Message {
    Progress(PageEvent),
    Response(Extracted),
}

fn read_message(r: &mut impl Read) -> io::Result<Message> {
    let first = read_u32(r)?;
    if first != PROGRESS_TAG {
        return read_response_after(first, r).map(Message::Response);
    }
    let mut kind = [0u8; 1];
    r.read_exact(&mut kind)?;
    let value = read_u32(r)?;
    let event = match kind[0] {
        0 => PageEvent::Planned(value),
        1 => PageEvent::Done(value),
        2 => PageEvent::Beat,
        3 => PageEvent::Abandoned(value),
        k => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("unknown progress frame {k}"),
            ))
        }
    };
    Ok(Message::Progress(event))
}

#[cfg(test)]
fn read_response(r: &mut impl Read) -> io::Result<Extracted> {
    let header_len = read_u32(r)?;
    read_response_after(header_len, r)
}

fn read_response_after(header_len: u32, r: &mut impl Read) -> io::Result<Extracted> {
    let header: Header = serde_json::from_slice(&read_exact_vec(r, u64::from(header_len))?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let json_len = read_u64(r)?;
    let json = read_string(r, json_len)?;
    let line_len = read_u64(r)?;
    let line = read_string(r, line_len)?;
    Ok(Extracted { header, json, line })
}

// ---------------------------------------------------------------------------------
// Parent side

/// How to start a worker.
#[derive(Debug, Clone)]
pub struct WorkerSpec {
    pub exe: PathBuf,
    pub timeout: Duration,
    /// Address-space limit of each worker in MiB (0: none).
    pub max_memory_mib: u64,
}

/// Last bytes a worker wrote on stderr, for crash messages.
const STDERR_TAIL: usize = 2048;

struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
    responses: Receiver<io::Result<Message>>,
    reader: JoinHandle<()>,
    stderr_reader: JoinHandle<()>,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
}

/// One worker slot: a process started on first use and started again after it dies.
pub struct Worker {
    spec: WorkerSpec,
    running: Option<Running>,
}

impl Worker {
    pub fn new(spec: WorkerSpec) -> Worker {
        Worker {
            spec,
            running: None,
        }
    }

    fn spawn(&self) -> io::Result<Running> {
        let mut command = Command::new(&self.spec.exe);
        command
            .args([
                "extract",
                "--worker-mode",
                "--max-memory",
                &self.spec.max_memory_mib.to_string(),
            ])
            .env("RUST_BACKTRACE", "0")
            .env(PARENT_PID_VAR, std::process::id().to_string())
            // The OCR flags (--ocr, its threads and timeout) reach the worker here.
            .env(
                crate::source::ocr::OPTIONS_VAR,
                crate::source::ocr::options().to_env(),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // The worker leads a process group of its own, which the programs it runs
        // (Tesseract, pdftoppm, pdfimages) join: ending the worker ends the group, so
        // none of them outlives it (see `end_group`).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let (tx, responses) = mpsc::channel();
        let reader = std::thread::Builder::new()
            .name("worker-stdout".into())
            .spawn(move || {
                let mut stdout = BufReader::with_capacity(1 << 16, stdout);
                loop {
                    let response = read_message(&mut stdout);
                    let stop = response.is_err();
                    if tx.send(response).is_err() || stop {
                        return;
                    }
                }
            })?;
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr_tail);
        let stderr_reader = std::thread::Builder::new()
            .name("worker-stderr".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stderr.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                    tail.extend_from_slice(&buf[..n]);
                    if tail.len() > STDERR_TAIL {
                        let cut = tail.len() - STDERR_TAIL;
                        tail.drain(..cut);
                    }
                }
            })?;
        Ok(Running {
            child,
            stdin: Some(stdin),
            responses,
            reader,
            stderr_reader,
            stderr_tail,
        })
    }

    /// Starts the worker process now if none is running, so that its start-up time is
    /// not counted against the next file.
    pub fn warm_up(&mut self) {
        if self.running.is_none() {
            self.running = self.spawn().ok();
        }
    }

    /// Extracts one file in the worker. Failures of the worker itself come back as
    /// `crash` or `timeout` results; the worker is restarted for the next file.
    pub fn extract(&mut self, path: &str, data: &[u8], want_line: bool) -> Extracted {
        // A worker that died between two files (killed from outside) is replaced once.
        for attempt in 0..2 {
            let mut running = match self.running.take() {
                Some(r) => r,
                None => match self.spawn() {
                    Ok(r) => r,
                    Err(e) => {
                        return Extracted::failure(
                            "crash",
                            format!("cannot start a worker process: {e}"),
                        )
                    }
                },
            };
            let stdin = running
                .stdin
                .as_mut()
                .expect("a running worker has its stdin");
            if let Err(e) = write_request(stdin, path, data, want_line) {
                let why = finish(running, false);
                if attempt == 0 {
                    continue;
                }
                return Extracted::failure(
                    "crash",
                    format!("worker process unavailable ({e}): {why}"),
                );
            }
            // The wait: --timeout for the file; once it OCRs pages, --timeout plus
            // --ocr-timeout from its last report (a page read, or OCR begun), so that
            // a long scan that keeps progressing is not killed, and a page is bounded
            // by the worker itself (--ocr-timeout).
            let ocr_timeout = crate::source::ocr::options().page_timeout;
            let mut wait = self.spec.timeout;
            let mut since = Instant::now();
            let (mut planned, mut done) = (0u32, 0u32);
            let abandon = |planned: u32, done: u32| {
                if planned > done {
                    crate::source::ocr::report_progress(PageEvent::Abandoned(planned - done));
                }
            };
            return loop {
                let left = (since + wait).saturating_duration_since(Instant::now());
                match running.responses.recv_timeout(left) {
                    Ok(Ok(Message::Progress(event))) => {
                        match event {
                            PageEvent::Planned(n) => planned += n,
                            PageEvent::Done(_) => done += 1,
                            PageEvent::Abandoned(n) => done += n,
                            PageEvent::Beat => {}
                        }
                        crate::source::ocr::report_progress(event);
                        since = Instant::now();
                        wait = self.spec.timeout + ocr_timeout;
                    }
                    Ok(Ok(Message::Response(extracted))) => {
                        abandon(planned, done);
                        self.running = Some(running);
                        break extracted;
                    }
                    Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                        abandon(planned, done);
                        let why = finish(running, false);
                        break Extracted::failure(
                            "crash",
                            format!("worker process crashed: {why}"),
                        );
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        abandon(planned, done);
                        finish(running, true);
                        let message = if planned > 0 {
                            format!(
                                "no progress within {} s (--timeout + --ocr-timeout) after {done} of {planned} OCR pages: worker process killed",
                                wait.as_secs_f64()
                            )
                        } else {
                            format!(
                                "no result within {} s: worker process killed",
                                wait.as_secs_f64()
                            )
                        };
                        break Extracted::failure("timeout", message);
                    }
                }
            };
        }
        unreachable!("the loop returns on its second attempt")
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut running) = self.running.take() {
            // Closing stdin ends the worker's loop; it exits on its own.
            drop(running.stdin.take());
            end_group(&mut running.child, false);
            let _ = running.child.wait();
            let _ = running.reader.join();
            let _ = running.stderr_reader.join();
        }
    }
}

/// Ends a worker's process group: kills the worker first when `kill`, else waits for
/// it to exit on its own; then kills what is left of its group — the programs it ran
/// (a Tesseract still reading a page when the worker crashed, timed out or was killed).
/// The worker is not reaped yet (`WNOWAIT`), so its process id still names its group
/// and cannot have been given to another process.
#[cfg(unix)]
fn end_group(child: &mut Child, kill: bool) {
    let Ok(pid) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    if kill {
        let _ = child.kill();
    }
    // SAFETY: waitid writes only into the zeroed siginfo we own; WNOWAIT leaves the
    // worker to be reaped by `Child::wait`.
    let exited = unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOWAIT,
        ) == 0
    };
    if exited {
        // SAFETY: as above; the group outlives its leader only through its members.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
}

#[cfg(not(unix))]
fn end_group(child: &mut Child, kill: bool) {
    if kill {
        let _ = child.kill();
    }
}

/// Ends a worker (killing it when `kill`), reaps it and says how it ended.
fn finish(running: Running, kill: bool) -> String {
    let Running {
        mut child,
        stdin,
        responses,
        reader,
        stderr_reader,
        stderr_tail,
    } = running;
    drop(stdin);
    end_group(&mut child, kill);
    let status = child.wait();
    drop(responses);
    let _ = reader.join();
    let _ = stderr_reader.join();
    let tail = stderr_tail
        .lock()
        .map(|t| String::from_utf8_lossy(&t).into_owned())
        .unwrap_or_default();
    let lines: Vec<&str> = tail
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note:"))
        .collect();
    const TELLING: &[&str] = &[
        "memory allocation of",
        "overflow",
        "panicked",
        "fatal",
        "error",
    ];
    let last = lines
        .iter()
        .find(|l| TELLING.iter().any(|t| l.contains(t)))
        .or(lines.last())
        .map_or_else(String::new, |l| l.chars().take(300).collect());
    let how = match status {
        Ok(s) => describe_status(s),
        Err(e) => format!("cannot wait for it: {e}"),
    };
    let mut why = how;
    if last.contains("memory allocation of") {
        why.push_str(" — out of memory (--max-memory)");
    }
    if !last.is_empty() {
        why.push_str(&format!("; its last words: {last}"));
    }
    why
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    if let Some(sig) = std::os::unix::process::ExitStatusExt::signal(&status) {
        let name = match sig {
            libc::SIGABRT => "SIGABRT",
            libc::SIGSEGV => "SIGSEGV",
            libc::SIGBUS => "SIGBUS",
            libc::SIGKILL => "SIGKILL",
            libc::SIGILL => "SIGILL",
            libc::SIGFPE => "SIGFPE",
            libc::SIGTERM => "SIGTERM",
            _ => "signal",
        };
        return format!("killed by signal {sig} ({name})");
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "ended".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut buf = Vec::new();
        write_request(&mut buf, "dir/é.txt", b"abc", true).unwrap();
        let r = read_request(&mut buf.as_slice()).unwrap().unwrap();
        assert_eq!(
            (r.path.as_str(), r.data.as_slice(), r.want_line),
            ("dir/é.txt", &b"abc"[..], true)
        );
        assert!(read_request(&mut &b""[..]).unwrap().is_none());
        let e = Extracted::failure("empty", "empty file".into());
        let mut buf = Vec::new();
        write_response(&mut buf, &e).unwrap();
        let back = read_response(&mut buf.as_slice()).unwrap();
        assert_eq!(back.header, e.header);
        assert!(read_response(&mut &buf[..buf.len() - 1]).is_err());
    }

    #[test]
    fn progress_frames_come_before_the_response() {
        let mut buf = Vec::new();
        for event in [
            PageEvent::Planned(3),
            PageEvent::Done(2),
            PageEvent::Beat,
            PageEvent::Abandoned(1),
        ] {
            write_progress(&mut buf, event).unwrap();
        }
        let e = Extracted::failure("ocr_failed", "page 1".into());
        write_response(&mut buf, &e).unwrap();
        let mut r = buf.as_slice();
        let mut seen = Vec::new();
        loop {
            match read_message(&mut r).unwrap() {
                Message::Progress(p) => seen.push(p),
                Message::Response(x) => {
                    assert_eq!(x.header, e.header);
                    break;
                }
            }
        }
        assert_eq!(
            seen,
            [
                PageEvent::Planned(3),
                PageEvent::Done(2),
                PageEvent::Beat,
                PageEvent::Abandoned(1)
            ]
        );
        assert!(r.is_empty());
    }

    #[test]
    fn in_process_extraction_catches_panics() {
        let e = extract("x.txt", b"", false, false);
        assert_eq!(e.header.kind.as_deref(), Some("empty"));
    }
}
