//! OCR of scanned pages and garbled text layers, into the same words and rules the
//! PDF layout reads.
//!
//! Tesseract runs as an external program, one process per page (as Apache Tika runs
//! it), with a wall-clock limit per page, pages of one report in parallel on
//! [`OcrOptions::threads`] threads. The page image is the page's one image when it is
//! one (a JPEG stream is handed over as it is; a Flate stream decoded), a `pdftoppm`
//! rendering otherwise. Before recognition the image is deskewed (projection profile,
//! ±1.5°); a page whose words come out with a low confidence is read again turned
//! half a turn (a sheet scanned upside down), the better reading kept. The ruled grid
//! is found in the same image as long runs of dark pixels and handed to the layout as
//! strokes; words become glyphs spread over their boxes, on their text line's
//! baseline, so the PDF layout ([`crate::source::pdf`]) puts them in cells and lines
//! as it does a text layer's. OCR'd lines then go through [`normalize`], which undoes
//! OCR's usual misreadings of markers and codes.
//!
//! Which pages are read by OCR is [`OcrMode`]'s: `auto` (pages with no text layer but
//! an image, and pages whose text layer is [`garbled`]), `always`, `never`.

pub mod cells;
pub mod checkbox;
pub mod confidence;
pub mod garbled;
pub mod image;
pub mod normalize;
pub mod tesseract;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

use rayon::prelude::*;

use crate::error::ExtractError;
use image::{Grey, PageImage};

/// Which pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Pages with no text layer (scans) and pages whose text layer is garbled.
    #[default]
    Auto,
    /// Every page, whatever its text layer.
    Always,
    /// None: a scan is `pdf_no_text_layer`, a garbled layer `pdf_garbled_text`.
    Never,
}

impl FromStr for OcrMode {
    type Err = String;
    fn from_str(s: &str) -> Result<OcrMode, String> {
        match s {
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            "never" => Ok(OcrMode::Never),
            _ => Err(format!("OCR mode {s:?}: use auto, always or never")),
        }
    }
}

impl std::fmt::Display for OcrMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OcrMode::Auto => "auto",
            OcrMode::Always => "always",
            OcrMode::Never => "never",
        })
    }
}

/// How OCR runs.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrOptions {
    pub mode: OcrMode,
    /// Pages of one report OCR'd at once.
    pub threads: usize,
    /// Wall-clock limit of Tesseract (and of `pdftoppm`) on one page.
    pub page_timeout: Duration,
    /// Tesseract language data.
    pub language: String,
    /// Resolution at which pages that are not one image are rasterised.
    pub dpi: u32,
}

impl Default for OcrOptions {
    fn default() -> OcrOptions {
        OcrOptions {
            mode: OcrMode::Auto,
            threads: 1,
            page_timeout: Duration::from_secs(60),
            language: "fra".into(),
            dpi: 300,
        }
    }
}

impl OcrOptions {
    /// OCR off: what [`crate::source::pdf::read`] does.
    pub fn never() -> OcrOptions {
        OcrOptions {
            mode: OcrMode::Never,
            ..OcrOptions::default()
        }
    }

    /// The options as one environment value (`mode,threads,timeout_ms`), for worker
    /// processes.
    pub fn to_env(&self) -> String {
        format!(
            "{},{},{}",
            self.mode,
            self.threads,
            self.page_timeout.as_millis()
        )
    }

    /// Parses [`OcrOptions::to_env`]'s form.
    pub fn from_env(s: &str) -> Option<OcrOptions> {
        let mut it = s.split(',');
        let mode = it.next()?.parse().ok()?;
        let threads = it.next()?.parse::<usize>().ok()?.max(1);
        let ms = it.next()?.parse().ok()?;
        Some(OcrOptions {
            mode,
            threads,
            page_timeout: Duration::from_millis(ms),
            ..OcrOptions::default()
        })
    }
}

/// Environment variable carrying the options to worker processes.
pub const OPTIONS_VAR: &str = "AUDIT_EXTRACT_OCR";

static OPTIONS: RwLock<Option<OcrOptions>> = RwLock::new(None);

/// Sets the options [`crate::extract_bytes`] uses in this process (the CLI's flags).
pub fn set_options(options: OcrOptions) {
    *OPTIONS.write().unwrap_or_else(|e| e.into_inner()) = Some(options);
}

/// The options of this process: as set, else from [`OPTIONS_VAR`], else the default.
pub fn options() -> OcrOptions {
    if let Some(o) = OPTIONS.read().unwrap_or_else(|e| e.into_inner()).clone() {
        return o;
    }
    std::env::var(OPTIONS_VAR)
        .ok()
        .and_then(|v| OcrOptions::from_env(&v))
        .unwrap_or_default()
}

/// A page to OCR: its number and box in PDF user space.
#[derive(Debug, Clone, Copy)]
pub struct PageBox {
    pub number: u32,
    pub page_id: lopdf::ObjectId,
    /// MediaBox `[x0, y0, x1, y1]`.
    pub media: [f32; 4],
}

/// One glyph for the layout, in PDF user space (as `pdf::content::Glyph`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrGlyph {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub size: f32,
    pub ch: char,
}

/// A rule for the layout, in PDF user space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrRule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A word as placed on the page, with its confidence (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedWord {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub size: f32,
    pub conf: f32,
}

/// What OCR read on one page.
#[derive(Debug, Clone)]
pub struct OcrPage {
    pub number: u32,
    pub glyphs: Vec<OcrGlyph>,
    pub rules: Vec<OcrRule>,
    pub words: Vec<PlacedWord>,
    /// The page was read turned half a turn.
    pub turned: bool,
    /// Skew corrected, in degrees.
    pub skew: f32,
}

/// What OCR contributed to one document: pages, engine, and each line's confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrReading {
    pub pages: Vec<u32>,
    pub version: String,
    pub language: String,
    /// Mean word confidence (0–1) of each line of the document (index = line number
    /// − 1), `None` for lines of the text layer.
    pub line_confidence: Vec<Option<f32>>,
    /// Mean word confidence (0–1) of all OCR'd words.
    pub confidence: f32,
}

/// A directory of this process's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, ExtractError> {
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "audit-extract-ocr-{}-{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(ExtractError::Io)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Under this mean word confidence (0–100) a page is also read turned half a turn.
const TURN_BELOW: f32 = 60.0;

/// OCRs the given pages of a PDF (`bytes`, loaded as `doc`), in parallel. Fails with
/// `ocr_unavailable` when Tesseract cannot run, `ocr_failed` when a page fails.
pub fn ocr_pages(
    doc: &lopdf::Document,
    bytes: &[u8],
    pages: &[PageBox],
    options: &OcrOptions,
) -> Result<(Vec<OcrPage>, String), ExtractError> {
    let version = tesseract::version()?;
    let scratch = Scratch::new()?;
    // Images are taken from the document here (lopdf is read on one thread); pages
    // that are not one image are rasterised from a copy of the file.
    let images: Vec<Option<PageImage>> = pages
        .iter()
        .map(|p| image::single_image(doc, p.page_id))
        .collect();
    let pdf_path = scratch.0.join("in.pdf");
    if images.iter().any(Option::is_none) {
        std::fs::write(&pdf_path, bytes).map_err(ExtractError::Io)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|e| ExtractError::OcrFailed(format!("cannot start OCR threads: {e}")))?;
    let work: Vec<(&PageBox, Option<PageImage>)> = pages.iter().zip(images).collect();
    let results: Vec<Result<OcrPage, ExtractError>> = pool.install(|| {
        work.into_par_iter()
            .map(|(page, image)| ocr_page(page, image, &pdf_path, &scratch.0, options))
            .collect()
    });
    let pages = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((pages, version))
}

fn ocr_page(
    page: &PageBox,
    image: Option<PageImage>,
    pdf: &Path,
    dir: &Path,
    options: &OcrOptions,
) -> Result<OcrPage, ExtractError> {
    let n = page.number;
    let (page_w, page_h) = (page.media[2] - page.media[0], page.media[3] - page.media[1]);
    let (grey, jpeg, dpi) = match image {
        Some(PageImage { grey, jpeg }) => {
            let dpi = (grey.width as f32 / (page_w / 72.0)).round() as u32;
            (grey, jpeg, dpi)
        }
        None => {
            let base = dir.join(format!("r{n}"));
            let grey = image::rasterise(pdf, n, options.dpi, &base, options.page_timeout)?;
            (grey, None, options.dpi)
        }
    };
    let with_error = |e: ExtractError| match e {
        ExtractError::OcrFailed(m) => ExtractError::OcrFailed(format!("page {n}: {m}")),
        other => other,
    };
    // Low-resolution scans enlarged to 300 dpi before anything reads them.
    let (mut grey, jpeg, dpi) = image::for_recognition(grey, jpeg, dpi);
    let skew = image::estimate_skew(&grey);
    let straighten = skew.abs() >= 0.05;
    if straighten {
        grey = grey.rotate(-skew);
    }
    let run = |grey: &Grey, name: &str, jpeg: Option<&[u8]>| -> Result<_, ExtractError> {
        let path = match jpeg {
            Some(bytes) => {
                let p = dir.join(format!("{name}.jpg"));
                std::fs::write(&p, bytes).map_err(ExtractError::Io)?;
                p
            }
            None => {
                let p = dir.join(format!("{name}.pgm"));
                grey.write_pgm(&p).map_err(ExtractError::Io)?;
                p
            }
        };
        let out = tesseract::recognise(
            &path,
            &dir.join(name),
            &options.language,
            Some(dpi),
            options.page_timeout,
        )
        .map_err(with_error);
        let _ = std::fs::remove_file(&path);
        out
    };
    let as_is = if straighten { None } else { jpeg.as_deref() };
    let mut recognised = run(&grey, &format!("p{n}"), as_is)?;
    let mut turned = false;
    if recognised.mean_conf() < TURN_BELOW {
        let upside = grey.rotate_180();
        let again = run(&upside, &format!("p{n}t"), None)?;
        if again.mean_conf() > recognised.mean_conf() + 5.0 {
            recognised = again;
            grey = upside;
            turned = true;
        }
    }
    let px = page_w / grey.width as f32;
    let py = page_h / grey.height as f32;
    let to_x = |x: f32| page.media[0] + x * px;
    let to_y = |y: f32| page.media[1] + page_h - y * py;
    // Rules: horizontal ones at least 20 pt long, vertical ones 8 pt (physical units).
    let mut found = image::find_rules_at(&grey, dpi);
    // Check boxes: their sides are no rules; their ☒/☐ replace what Tesseract read.
    let boxes = checkbox::detect(&grey, dpi);
    found.retain(|r| !checkbox::is_side(&boxes, r));
    let recognised = cells::reread(
        &grey,
        &found,
        recognised,
        dir,
        &format!("c{n}"),
        &options.language,
        dpi,
        options.page_timeout,
    )
    .map_err(with_error)?;
    let recognised = checkbox::mark(recognised, &boxes);
    let rules: Vec<OcrRule> = found
        .iter()
        .map(|r| OcrRule {
            x0: to_x(r.x0 as f32),
            x1: to_x(r.x1 as f32 + 1.0),
            y0: to_y(r.y1 as f32 + 1.0),
            y1: to_y(r.y0 as f32),
        })
        .collect();
    let mut glyphs = Vec::new();
    let mut words = Vec::new();
    for w in &recognised.words {
        if is_rule_debris(w, &found) {
            continue;
        }
        let text = normalize::word(&w.text);
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            continue;
        }
        let line = recognised.lines[w.line];
        let line_h = line.height.max(1) as f32 * py;
        let size = line_h.clamp(4.0, 40.0);
        // Baseline: a fifth of the line box above its bottom (descenders).
        let y = to_y(line.top as f32 + 0.8 * line.height as f32);
        let (x0, x1) = (to_x(w.left as f32), to_x((w.left + w.width) as f32));
        let cw = (x1 - x0) / chars.len() as f32;
        for (i, &ch) in chars.iter().enumerate() {
            glyphs.push(OcrGlyph {
                x: x0 + i as f32 * cw,
                y,
                w: cw,
                size,
                ch,
            });
        }
        glyphs.push(OcrGlyph {
            x: x1,
            y,
            w: 0.0,
            size,
            ch: ' ',
        });
        words.push(PlacedWord {
            text,
            x0,
            x1,
            y,
            size,
            conf: w.conf / 100.0,
        });
    }
    Ok(OcrPage {
        number: n,
        glyphs,
        rules,
        words,
        turned,
        skew: if straighten { skew } else { 0.0 },
    })
}

/// A "word" Tesseract made of a rule: bars, brackets or dashes lying on one.
fn is_rule_debris(w: &tesseract::Word, rules: &[image::PixelRule]) -> bool {
    let bars = w.text.chars().all(|c| "|[]!lI1/\\".contains(c));
    let dashes = w.text.chars().all(|c| "_-—–=~.,'".contains(c));
    if !(bars || dashes) {
        return false;
    }
    let (l, r) = (w.left as usize, (w.left + w.width) as usize);
    let (t, b) = (w.top as usize, (w.top + w.height) as usize);
    rules.iter().any(|rule| {
        let vertical = rule.y1 - rule.y0 > rule.x1 - rule.x0;
        if bars && vertical {
            rule.x0 <= r + 2 && rule.x1 + 2 >= l && rule.y0 <= b && rule.y1 >= t
        } else if dashes && !vertical {
            rule.y0 <= b + 2 && rule.y1 + 2 >= t && rule.x0 <= r && rule.x1 >= l
        } else {
            false
        }
    })
}

/// Mean confidence of the OCR'd words making up a laid-out line: words of the page
/// on its baseline (within half a line), from its left end, whose text is one of the
/// line's words.
pub fn line_confidence(page: &OcrPage, text: &str, x: f32, y: f32) -> Option<f32> {
    let mut wanted: Vec<&str> = text.split_whitespace().collect();
    let mut sum = 0.0;
    let mut n = 0usize;
    for w in &page.words {
        if (w.y - y).abs() > 0.5 * w.size || w.x1 < x - 1.0 {
            continue;
        }
        if let Some(i) = wanted.iter().position(|t| *t == w.text) {
            wanted.swap_remove(i);
            sum += w.conf;
            n += 1;
        }
    }
    (n > 0).then(|| sum / n as f32)
}
