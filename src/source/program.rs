//! External programs the source stage runs (Tesseract, pdftoppm, pdfimages): started
//! so that they die with the process that started them, and waited for within a time
//! limit, past which they are killed.
//!
//! A worker killed by the batch parent takes its whole process group with it (see
//! `batch::worker`); these programs also ask the kernel to kill them when their parent
//! dies, for the other ways a process ends: the parent run killed (`kill -9`, Ctrl-C)
//! while its workers OCR, or a single `extract` in this process.

use std::ffi::OsStr;
use std::io;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::error::ExtractError;

/// A command for `program` with no standard input or output, which dies with the
/// thread that spawns it (Linux: `PR_SET_PDEATHSIG`). That thread must outlive the
/// program — spawn it where it is waited for, as [`wait_within`] does.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null()).stdout(Stdio::null());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let parent = std::process::id();
        // SAFETY: the closure runs in the forked child before exec and only makes
        // system calls (prctl, getppid) and builds errors without allocating.
        unsafe {
            command.pre_exec(move || {
                let signal = libc::SIGKILL as libc::c_ulong;
                if libc::prctl(libc::PR_SET_PDEATHSIG, signal, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The parent died before the request: nobody waits for this program.
                if libc::getppid() as u32 != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
                Ok(())
            });
        }
    }
    command
}

/// Waits for `child` at most `timeout`: its exit status, or `None` when it ran longer
/// (it is then killed and reaped).
pub fn wait_within(child: &mut Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    wait_until(child, || deadline)
}

/// Waits for `child` until the deadline `deadline()` gives, asked again at each look
/// (a deadline that moves as the program reports progress): its exit status, or `None`
/// when the deadline passed first (it is then killed and reaped).
pub fn wait_until(
    child: &mut Child,
    mut deadline: impl FnMut() -> Instant,
) -> io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() > deadline() {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs a poppler-utils program (`pdftoppm`, `pdfimages`, made by [`command`]) on page
/// `page` of a PDF, for `doing` ("rasterise it"), within `timeout`: its exit status;
/// `ocr_unavailable` naming the package when it cannot start, `ocr_failed` past the
/// time.
pub fn run_poppler(
    mut command: Command,
    page: u32,
    doing: &str,
    timeout: Duration,
) -> Result<ExitStatus, ExtractError> {
    let name = command.get_program().to_string_lossy().into_owned();
    let mut child = command.stderr(Stdio::null()).spawn().map_err(|e| {
        ExtractError::OcrUnavailable(format!(
            "cannot run {name} ({e}) to {doing} page {page}: install the Debian package poppler-utils"
        ))
    })?;
    wait_within(&mut child, timeout)
        .map_err(ExtractError::Io)?
        .ok_or_else(|| {
            ExtractError::OcrFailed(format!(
                "{name} took more than {:.0} s on page {page} (timeout)",
                timeout.as_secs_f64()
            ))
        })
}
