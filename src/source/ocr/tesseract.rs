//! Tesseract as an external program, the way Apache Tika runs it: words with boxes and
//! confidences asked as TSV, one OpenMP thread per process (pages run in parallel
//! instead), a wall-clock limit per page (the process is killed past it).
//!
//! One process reads a list of page images ([`spawn`]): Tesseract's start (loading
//! the language model, about 0.2 s) is paid once per list instead of once per page.
//! Tesseract writes `Page N : FILE` on stderr as it begins each image of a list; that
//! line is the page's progress ([`Running::wait`] tells of each page read) and starts
//! the page's own time limit.

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

/// Tesseract running on a list of images: [`Running::wait`] for their words. Dropped
/// unwaited, the process is killed. Keep it on the thread that started it: the
/// process dies with that thread (`source::program::command`).
pub struct Running {
    child: Option<std::process::Child>,
    images: usize,
    /// What each image is, for errors ("page 3"); none: errors name no image.
    labels: Vec<String>,
    out_base: PathBuf,
    language: String,
}

/// Starts Tesseract on `images` (listed in `out_base`.list; one TSV, `out_base`.tsv,
/// a page each) and returns at once, so that the caller can work on the pages while
/// they are read. All images are read at one resolution, `dpi`.
pub fn spawn(
    images: &[PathBuf],
    out_base: &Path,
    language: &str,
    dpi: Option<u32>,
    psm: &str,
) -> Result<Running, ExtractError> {
    let list_path = out_base.with_extension("list");
    let mut list = String::new();
    for image in images {
        let path = image.to_string_lossy();
        if path.contains('\n') {
            return Err(ExtractError::OcrFailed(format!(
                "image path {path:?} has a line break: it cannot be listed for tesseract"
            )));
        }
        list.push_str(&path);
        list.push('\n');
    }
    std::fs::write(&list_path, list).map_err(ExtractError::Io)?;
    let stderr_path = out_base.with_extension("err");
    let stderr = File::create(&stderr_path).map_err(ExtractError::Io)?;
    let mut command = crate::source::program::command(program());
    command
        .arg(&list_path)
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
        images: images.len(),
        labels: Vec::new(),
        out_base: out_base.to_owned(),
        language: language.to_owned(),
    })
}

/// How far Tesseract is through its list, from the `Page N : FILE` lines it writes on
/// stderr as it begins each image.
struct Progress {
    stderr: Option<File>,
    /// Bytes of stderr after the last complete line read.
    partial: Vec<u8>,
    /// Images begun.
    begun: usize,
    /// When the image being read was begun (the run's start before the first).
    since: Instant,
}

impl Progress {
    /// Reads what stderr gained; the number of images begun.
    fn update(&mut self) -> usize {
        use std::io::Read;
        let Some(file) = self.stderr.as_mut() else {
            return self.begun;
        };
        let mut buf = [0u8; 4096];
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 {
                break;
            }
            self.partial.extend_from_slice(&buf[..n]);
        }
        while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            if line.starts_with(b"Page ") && line.windows(3).any(|w| w == b" : ") {
                self.begun += 1;
                self.since = Instant::now();
            }
        }
        self.begun
    }
}

impl Running {
    /// Names the images in errors (`labels[i]`: what image `i` is, "page 3").
    pub fn naming(mut self, labels: Vec<String>) -> Running {
        self.labels = labels;
        self
    }

    /// "LABEL: " of the image `begun` images into the list are at, "" when unnamed.
    fn at(&self, begun: usize) -> String {
        let i = begun.saturating_sub(1);
        self.labels
            .get(i)
            .filter(|_| begun > 0 || self.images == 1)
            .map_or_else(String::new, |l| format!("{l}: "))
    }

    /// Waits for the words of every image, in list order. Each image has `timeout`
    /// from when Tesseract begins it (a Tesseract that does not tell when it begins
    /// an image has `timeout` per image for the whole list); past it the process is
    /// killed. `on_read(i)` is called as image `i` is read.
    pub fn wait(
        mut self,
        timeout: Duration,
        mut on_read: impl FnMut(usize),
    ) -> Result<Vec<Recognised>, ExtractError> {
        let Some(mut child) = self.child.take() else {
            return Err(ExtractError::OcrFailed("tesseract was not started".into()));
        };
        let (out_base, language) = (&self.out_base, &self.language);
        let stderr_path = out_base.with_extension("err");
        let started = Instant::now();
        let mut progress = Progress {
            stderr: File::open(&stderr_path).ok(),
            partial: Vec::new(),
            begun: 0,
            since: started,
        };
        let images = self.images;
        let mut told = 0;
        let status = crate::source::program::wait_until(&mut child, || {
            let begun = progress.update();
            // Images before the one being read are read.
            while told + 1 < begun.min(images + 1) {
                on_read(told);
                told += 1;
            }
            if begun == 0 {
                started + timeout * images.max(1) as u32
            } else {
                progress.since + timeout
            }
        })
        .map_err(ExtractError::Io)?;
        let Some(status) = status else {
            return Err(ExtractError::OcrFailed(format!(
                "{}tesseract still ran after {:.1} s (timeout per page: --ocr-timeout)",
                self.at(progress.begun),
                started.elapsed().as_secs_f64()
            )));
        };
        let _ = std::fs::remove_file(out_base.with_extension("list"));
        if !status.success() {
            let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            if err.contains("Failed loading language") || err.contains("Could not initialize") {
                return Err(ExtractError::OcrUnavailable(format!(
                    "Tesseract has no '{language}' data: install the Debian packages {PACKAGES}"
                )));
            }
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            return Err(ExtractError::OcrFailed(format!(
                "{}tesseract exited with {status}: {}",
                self.at(progress.update()),
                last.trim()
            )));
        }
        let tsv = std::fs::read_to_string(out_base.with_extension("tsv"))
            .map_err(|e| ExtractError::OcrFailed(format!("tesseract wrote no TSV ({e})")))?;
        let pages = parse_tsv_pages(&tsv, images);
        if pages.len() != images {
            return Err(ExtractError::OcrFailed(format!(
                "tesseract read {} of {images} images",
                pages.len()
            )));
        }
        while told < images {
            on_read(told);
            told += 1;
        }
        Ok(pages)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(self.out_base.with_extension("list"));
    }
}

/// Splits the TSV of a list of `images` images by its `page_num` column (1 for the
/// first image): one reading per image, in order; as many as the TSV has pages (its
/// level 1 rows), so fewer than `images` when Tesseract stopped early.
pub fn parse_tsv_pages(tsv: &str, images: usize) -> Vec<Recognised> {
    let mut rows: Vec<Vec<&str>> = vec![Vec::new(); images];
    let mut pages = 0usize;
    for row in tsv.lines().skip(1) {
        let mut f = row.splitn(3, '\t');
        let (Some(level), Some(page)) = (f.next(), f.next()) else {
            continue;
        };
        let Ok(page) = page.trim().parse::<usize>() else {
            continue;
        };
        if page == 0 || page > images {
            continue;
        }
        if level.trim() == "1" {
            pages = pages.max(page);
        }
        rows[page - 1].push(row);
    }
    rows.truncate(pages);
    rows.into_iter()
        .map(|r| parse_rows(r.into_iter()))
        .collect()
}

/// Parses Tesseract's TSV: `level page block par line word left top width height conf
/// text`; level 4 rows are lines, level 5 rows words.
pub fn parse_tsv(tsv: &str) -> Recognised {
    parse_rows(tsv.lines().skip(1))
}

/// [`parse_tsv`] of the rows after the header.
fn parse_rows<'a>(rows: impl Iterator<Item = &'a str>) -> Recognised {
    let mut out = Recognised::default();
    let mut current: Option<(u32, u32, u32)> = None;
    for row in rows {
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

    #[test]
    fn a_list_tsv_splits_by_page() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t\n\
            4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t\n\
            5\t1\t1\t1\t1\t1\t10\t20\t100\t30\t96\tPF\n\
            1\t2\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t\n\
            1\t3\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t\n\
            4\t3\t1\t1\t1\t0\t10\t60\t300\t30\t-1\t\n\
            5\t3\t1\t1\t1\t1\t10\t60\t100\t30\t88\tAccueil\n";
        let pages = parse_tsv_pages(tsv, 3);
        let texts: Vec<Vec<&str>> = pages
            .iter()
            .map(|p| p.words.iter().map(|w| w.text.as_str()).collect())
            .collect();
        // The blank second image is a page of its own, without words.
        assert_eq!(texts, [vec!["PF"], vec![], vec!["Accueil"]]);
        // A TSV that stops early gives only the pages it has.
        assert_eq!(parse_tsv_pages(tsv, 4).len(), 3);
    }

    #[test]
    fn stderr_page_lines_count_images_begun() {
        let path = std::env::temp_dir().join(format!("ae-progress-{}", std::process::id()));
        std::fs::write(
            &path,
            "Error in findFileFormatStream: truncated file\nPage 0 : a.pgm\nPage 1 : b",
        )
        .unwrap();
        let mut progress = Progress {
            stderr: File::open(&path).ok(),
            partial: Vec::new(),
            begun: 0,
            since: Instant::now(),
        };
        // The second line is not whole yet.
        assert_eq!(progress.update(), 1);
        std::fs::write(&path, "Error in findFileFormatStream: truncated file\nPage 0 : a.pgm\nPage 1 : b.pgm\nPage 2 : c.pgm\n").unwrap();
        assert_eq!(progress.update(), 3);
        std::fs::remove_file(&path).unwrap();
    }
}
