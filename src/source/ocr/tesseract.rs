//! Tesseract as an external program, the way Apache Tika runs it: one process per
//! page image, words with boxes and confidences asked as TSV, a wall-clock limit per
//! page (the process is killed past it), one OpenMP thread per process (pages run in
//! parallel instead).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::error::ExtractError;

/// Environment variable naming the Tesseract program (default `tesseract` on PATH).
pub const TESSERACT_VAR: &str = "AUDIT_EXTRACT_TESSERACT";

/// The Debian packages OCR needs, named in `ocr_unavailable` errors.
pub const PACKAGES: &str = "tesseract-ocr tesseract-ocr-fra";

/// The Tesseract program to run.
pub fn program() -> PathBuf {
    std::env::var_os(TESSERACT_VAR)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("tesseract"), PathBuf::from)
}

/// Tesseract's version ("5.3.0"), asked once per process; `Err` when it cannot run.
pub fn version() -> Result<String, ExtractError> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new(program())
                .arg("--version")
                .stdin(Stdio::null())
                .output()
                .map_err(|e| unavailable(&e))?;
            // Tesseract 4 printed its version on stderr, 5 on stdout.
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            text.lines()
                .find_map(|l| l.trim().strip_prefix("tesseract "))
                .map(|v| v.trim().trim_start_matches('v').to_owned())
                .ok_or_else(|| format!("{} --version printed no version", program().display()))
        })
        .clone()
        .map_err(ExtractError::OcrUnavailable)
}

fn unavailable(e: &io::Error) -> String {
    format!(
        "cannot run {} ({e}): install the Debian packages {PACKAGES}",
        program().display()
    )
}

/// One recognised word, in image pixels (origin top-left).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub text: String,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// Tesseract's confidence, 0–100.
    pub conf: f32,
    /// Index of the text line the word belongs to (block, paragraph, line).
    pub line: usize,
}

/// A text line's box, in image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    pub top: u32,
    pub height: u32,
}

/// What Tesseract read on one image.
#[derive(Debug, Clone, Default)]
pub struct Recognised {
    pub words: Vec<Word>,
    pub lines: Vec<LineBox>,
}

impl Recognised {
    /// Mean word confidence (0–100), 0 without words.
    pub fn mean_conf(&self) -> f32 {
        if self.words.is_empty() {
            return 0.0;
        }
        self.words.iter().map(|w| w.conf).sum::<f32>() / self.words.len() as f32
    }
}

/// Runs Tesseract on `image`; its TSV goes to `out_base`.tsv. `dpi`: the image's
/// resolution, when known (JPEG files may not say it).
pub fn recognise(
    image: &Path,
    out_base: &Path,
    language: &str,
    dpi: Option<u32>,
    timeout: Duration,
) -> Result<Recognised, ExtractError> {
    recognise_as(image, out_base, language, dpi, timeout, "3")
}

/// [`recognise`] with Tesseract's page segmentation mode `psm` ("3": a page, "6": a
/// uniform block of text).
pub fn recognise_as(
    image: &Path,
    out_base: &Path,
    language: &str,
    dpi: Option<u32>,
    timeout: Duration,
    psm: &str,
) -> Result<Recognised, ExtractError> {
    spawn(image, out_base, language, dpi, psm)?.wait(timeout)
}

/// Tesseract running on one image: [`Running::wait`] for its words. Dropped
/// unwaited, the process is killed. Keep it on the thread that started it: the
/// process dies with that thread (`source::program::command`).
pub struct Running {
    child: Option<std::process::Child>,
    started: Instant,
    out_base: PathBuf,
    language: String,
}

/// Starts Tesseract on `image` (TSV to `out_base`.tsv) and returns at once, so that the
/// caller can work on the page while it reads.
pub fn spawn(
    image: &Path,
    out_base: &Path,
    language: &str,
    dpi: Option<u32>,
    psm: &str,
) -> Result<Running, ExtractError> {
    let stderr_path = out_base.with_extension("err");
    let stderr = File::create(&stderr_path).map_err(ExtractError::Io)?;
    let mut command = crate::source::program::command(program());
    command
        .arg(image)
        .arg(out_base)
        .args(["-l", language, "--psm", psm]);
    if let Some(dpi) = dpi {
        command.args(["--dpi", &dpi.to_string()]);
    }
    let child = command
        .arg("tsv")
        .env("OMP_THREAD_LIMIT", "1")
        .stderr(stderr)
        .spawn()
        .map_err(|e| ExtractError::OcrUnavailable(unavailable(&e)))?;
    Ok(Running {
        child: Some(child),
        started: Instant::now(),
        out_base: out_base.to_owned(),
        language: language.to_owned(),
    })
}

impl Running {
    /// Waits for the words, `timeout` from now at most (then the process is killed).
    pub fn wait(mut self, timeout: Duration) -> Result<Recognised, ExtractError> {
        let Some(mut child) = self.child.take() else {
            return Err(ExtractError::OcrFailed("tesseract was not started".into()));
        };
        let status = crate::source::program::wait_within(&mut child, timeout)
            .map_err(ExtractError::Io)?
            .ok_or_else(|| {
                ExtractError::OcrFailed(format!(
                    "tesseract still ran after {:.1} s, the time left to this page (timeout: --ocr-timeout)",
                    self.started.elapsed().as_secs_f64()
                ))
            })?;
        let (out_base, language) = (&self.out_base, &self.language);
        let stderr_path = out_base.with_extension("err");
        let tsv_path = out_base.with_extension("tsv");
        if !status.success() {
            let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            if err.contains("Failed loading language") || err.contains("Could not initialize") {
                return Err(ExtractError::OcrUnavailable(format!(
                    "Tesseract has no '{language}' data: install the Debian packages {PACKAGES}"
                )));
            }
            return Err(ExtractError::OcrFailed(format!(
                "tesseract exited with {status}: {}",
                last.trim()
            )));
        }
        let tsv = std::fs::read_to_string(&tsv_path)
            .map_err(|e| ExtractError::OcrFailed(format!("tesseract wrote no TSV ({e})")))?;
        Ok(parse_tsv(&tsv))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Parses Tesseract's TSV: `level page block par line word left top width height conf
/// text`; level 4 rows are lines, level 5 rows words.
pub fn parse_tsv(tsv: &str) -> Recognised {
    let mut out = Recognised::default();
    let mut current: Option<(u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 11 {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<i64>().ok();
        let (Some(level), Some(block), Some(par), Some(line)) = (num(0), num(2), num(3), num(4))
        else {
            continue;
        };
        let (left, top, width, height) = (
            num(6).unwrap_or(0).max(0) as u32,
            num(7).unwrap_or(0).max(0) as u32,
            num(8).unwrap_or(0).max(0) as u32,
            num(9).unwrap_or(0).max(0) as u32,
        );
        let key = (block as u32, par as u32, line as u32);
        match level {
            4 => {
                out.lines.push(LineBox { top, height });
                current = Some(key);
            }
            5 => {
                let text = f.get(11).map_or("", |t| t.trim());
                let conf: f32 = f[10].trim().parse().unwrap_or(-1.0);
                if text.is_empty() || conf < 0.0 || current != Some(key) || out.lines.is_empty() {
                    continue;
                }
                out.words.push(Word {
                    text: text.to_owned(),
                    left,
                    top,
                    width,
                    height,
                    conf,
                    line: out.lines.len() - 1,
                });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_belong_to_their_lines() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t\n\
            4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t\n\
            5\t1\t1\t1\t1\t1\t10\t20\t100\t30\t96.5\tPF\n\
            5\t1\t1\t1\t1\t2\t120\t22\t60\t28\t91\t:\n\
            4\t1\t1\t1\t2\t0\t10\t60\t300\t30\t-1\t\n\
            5\t1\t1\t1\t2\t1\t10\t60\t100\t30\t88\tAccueil\n\
            5\t1\t1\t1\t2\t2\t10\t60\t100\t30\t95\t \n";
        let r = parse_tsv(tsv);
        assert_eq!(r.lines.len(), 2);
        let texts: Vec<(&str, usize)> = r.words.iter().map(|w| (w.text.as_str(), w.line)).collect();
        assert_eq!(texts, [("PF", 0), (":", 0), ("Accueil", 1)]);
        assert!((r.mean_conf() - (96.5 + 91.0 + 88.0) / 3.0).abs() < 1e-3);
    }
}
