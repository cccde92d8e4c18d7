//! OCR of scanned pages and garbled text layers, into the same words and rules the
//! PDF layout reads.
//!
//! Tesseract runs as an external program (as Apache Tika runs it), one process per
//! list of page images, so that its start (about 0.2 s, loading the language model)
//! is paid once per list, not per page. Pages go by chunks; the pages of a chunk are
//! first made ready in parallel on [`OcrOptions::threads`] threads: the page image
//! is the page's one image when it is one (a JPEG stream is handed over as it is; a
//! Flate or CCITT stream decoded; a JBIG2 stream written out by `pdfimages`), a
//! `pdftoppm` rendering otherwise; it is deskewed (projection profile, ±1.5°) and
//! turned half a turn when the shape of its text lines says it was scanned upside
//! down ([`orient`]). The chunk's pages are then read in `threads` Tesseract runs at
//! once (pages of one resolution per run), each page with its own wall-clock limit
//! ([`OcrOptions::page_timeout`]) from when Tesseract begins it. A page whose words
//! come out with a low confidence, and whose line shapes were not clear, is read the
//! other way too, the better reading kept. The ruled grid is found in the same image
//! as long runs of dark pixels (while Tesseract reads the pages in its own process)
//! and handed to the layout as strokes; grid cells the page reading missed are read
//! again ([`cells`]), those of a whole chunk of pages in one Tesseract run. Words become
//! glyphs spread over their boxes, on their text line's baseline, so the PDF layout
//! ([`crate::source::pdf`]) puts them in cells and lines as it does a text layer's.
//! OCR'd lines then go through [`normalize`], which undoes OCR's usual misreadings of
//! markers and codes.
//!
//! Progress (pages planned, each page read) goes to the hook of [`set_progress`]: a
//! worker process sends it to its parent, which restarts its `--timeout` wait at each
//! page and moves the progress bar. Setting `AUDIT_EXTRACT_OCR_TIMING=1` prints the
//! time of each step of each page on stderr.
//!
//! Which pages are read by OCR is [`OcrMode`]'s: `auto` (pages with no text layer but
//! an image, and pages whose text layer is [`garbled`]), `always`, `never`.

pub mod cells;
pub mod checkbox;
pub mod confidence;
pub mod garbled;
pub mod image;
pub mod normalize;
pub mod orient;
pub mod shading;
pub mod tesseract;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::ExtractError;
use image::PageImage;

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

/// Environment variable that turns on a timing log of the OCR steps on stderr (one
/// line per page: `ocr timing: page N: step ms, …`); off by default.
pub const TIMING_VAR: &str = "AUDIT_EXTRACT_OCR_TIMING";

fn timing_on() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(TIMING_VAR).is_some_and(|v| !v.is_empty() && v != "0"))
}

/// The time each step of one page took, printed when [`TIMING_VAR`] is set.
struct Steps {
    page: u32,
    last: std::time::Instant,
    steps: Vec<(&'static str, f64)>,
}

impl Steps {
    fn new(page: u32) -> Steps {
        Steps {
            page,
            last: std::time::Instant::now(),
            steps: Vec::new(),
        }
    }

    /// Ends the step `name` (time since the previous step ended).
    fn done(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        if timing_on() {
            self.steps
                .push((name, (now - self.last).as_secs_f64() * 1000.0));
        }
        self.last = now;
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        if timing_on() {
            let total: f64 = self.steps.iter().map(|s| s.1).sum();
            let list: Vec<String> = self
                .steps
                .iter()
                .map(|(n, ms)| format!("{n} {ms:.0}"))
                .collect();
            eprintln!(
                "ocr timing: page {}: {} (total {total:.0} ms)",
                self.page,
                list.join(", ")
            );
        }
    }
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

/// Under this mean word confidence (0–100) a page is also read turned half a turn,
/// unless the shape of its lines ([`orient`]) clearly says it was read the right way.
const TURN_BELOW: f32 = 60.0;
/// An [`orient::upright_score`] this far under zero, over enough lines, has the page
/// read turned half a turn first.
const TURN_SIGNAL: f32 = 0.15;
/// An [`orient::upright_score`] this far on the side of the orientation read makes a
/// low confidence no reason to read the page the other way too.
const SURE_SIGNAL: f32 = 0.2;
/// Text lines [`orient::upright_score`] needs to be taken into account.
const MIN_LINES: usize = 5;

/// What OCR tells of its progress through a document's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageEvent {
    /// This many pages of the document are going to be OCR'd.
    Planned(u32),
    /// One page (its number) is read.
    Done(u32),
    /// OCR is still going (after the second look at a chunk's grid cells).
    Beat,
    /// This many of the planned pages will not be read (the document failed).
    Abandoned(u32),
}

/// A function told of OCR's progress (from any thread).
pub type ProgressHook = std::sync::Arc<dyn Fn(PageEvent) + Send + Sync>;

static PROGRESS: RwLock<Option<ProgressHook>> = RwLock::new(None);

/// Sets the function this process's OCR tells its progress to (the worker's
/// heartbeat, the progress bar of an in-process run); `None`: nobody.
pub fn set_progress(hook: Option<ProgressHook>) {
    *PROGRESS.write().unwrap_or_else(|e| e.into_inner()) = hook;
}

/// Tells the progress hook of `event` (workers' progress reaches the parent's hook
/// through this too).
pub fn report_progress(event: PageEvent) {
    let hook = PROGRESS.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(hook) = hook {
        hook(event);
    }
}

/// A page read, before its cells' second look: what placing its words needs.
struct Read {
    page: PageBox,
    recognised: tesseract::Recognised,
    found: Vec<image::PixelRule>,
    crops: Vec<cells::Crop>,
    width: usize,
    height: usize,
    dpi: u32,
    turned: bool,
    skew: f32,
    /// Check boxes found in the image, marked as ☒/☐ words when the page is placed.
    boxes: Vec<checkbox::CheckBox>,
}

/// OCRs the given pages of a PDF (`bytes`, loaded as `doc`), in parallel. Fails with
/// `ocr_unavailable` when Tesseract cannot run, `ocr_failed` when a page fails.
///
/// Pages go by chunks: the pages of a chunk are made ready in parallel, read in as
/// many Tesseract runs at once as there are threads, then the grid cells all of them
/// need read again are read in one more run.
pub fn ocr_pages(
    doc: &lopdf::Document,
    bytes: &[u8],
    pages: &[PageBox],
    options: &OcrOptions,
) -> Result<(Vec<OcrPage>, String), ExtractError> {
    report_progress(PageEvent::Planned(pages.len() as u32));
    let done = AtomicUsize::new(0);
    let result = read_pages(doc, bytes, pages, options, &done);
    if result.is_err() {
        // Pages planned that will not be read, for the progress bar.
        let left = pages.len().saturating_sub(done.load(Ordering::Relaxed));
        if left > 0 {
            report_progress(PageEvent::Abandoned(left as u32));
        }
    }
    result
}

fn read_pages(
    doc: &lopdf::Document,
    bytes: &[u8],
    pages: &[PageBox],
    options: &OcrOptions,
    done: &AtomicUsize,
) -> Result<(Vec<OcrPage>, String), ExtractError> {
    let mut steps = Steps::new(0);
    let version = tesseract::version()?;
    steps.done("version");
    let scratch = Scratch::new()?;
    let pdf_path = scratch.0.join("in.pdf");
    let mut pdf_written = false;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.max(1))
        .build()
        .map_err(|e| ExtractError::OcrFailed(format!("cannot start OCR threads: {e}")))?;
    drop(steps);
    let chunk = (4 * options.threads).max(8);
    // Set by the first page that fails: the pages not yet begun are not read.
    let stop = AtomicBool::new(false);
    let mut out = Vec::with_capacity(pages.len());
    for part in pages.chunks(chunk) {
        let mut steps = Steps::new(0);
        // Images are taken from the document here (lopdf is read on one thread);
        // pages that are not one image are rasterised from a copy of the file.
        let sources: Vec<Source> = part
            .iter()
            .map(|p| match image::single_image(doc, p.page_id) {
                Some(i) => Source::Image(i),
                None => match oversized_image(doc, p.page_id) {
                    Some(size) => Source::Oversized(size),
                    None if bilevel_image(doc, p.page_id) => Source::Bilevel,
                    None => Source::Render,
                },
            })
            .collect();
        if !pdf_written && sources.iter().any(|s| !matches!(s, Source::Image(_))) {
            std::fs::write(&pdf_path, bytes).map_err(ExtractError::Io)?;
            pdf_written = true;
        }
        steps.done("images");
        drop(steps);
        let work: Vec<(&PageBox, Source)> = part.iter().zip(sources).collect();
        let prepared: Vec<Prepared> = pool.install(|| {
            work.into_par_iter()
                .map(|(page, source)| prepare(page, source, &pdf_path, &scratch.0, options))
                .collect::<Result<_, _>>()
        })?;
        let on_read = |number: u32| {
            report_progress(PageEvent::Done(number));
            done.fetch_add(1, Ordering::Relaxed);
        };
        // A run not begun because another failed is `None`; the failure is the
        // collect's error then.
        let read: Result<Vec<Option<Vec<Read>>>, ExtractError> = pool.install(|| {
            runs(prepared, options.threads)
                .into_par_iter()
                .map(|run| {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(None);
                    }
                    let r = read_run(run, &scratch.0, options, &on_read);
                    if r.is_err() {
                        stop.store(true, Ordering::SeqCst);
                    }
                    r.map(Some)
                })
                .collect()
        });
        let mut read: Vec<Read> = read?.into_iter().flatten().flatten().collect();
        if read.len() != part.len() {
            return Err(ExtractError::OcrFailed("pages left unread".into()));
        }
        read.sort_by_key(|r| r.page.number);
        reread_cells(&mut read, &scratch.0, options)?;
        report_progress(PageEvent::Beat);
        out.extend(read.into_iter().map(place));
    }
    Ok((out, version))
}

/// The prepared pages split into Tesseract runs: pages of one resolution together (a
/// run reads at one `--dpi`), each resolution's pages in as many runs as `threads`
/// allows (runs of consecutive pages, of near-equal lengths), in page order.
fn runs(prepared: Vec<Prepared>, threads: usize) -> Vec<Vec<Prepared>> {
    let mut dpis: Vec<u32> = prepared.iter().map(|p| p.dpi).collect();
    dpis.sort_unstable();
    dpis.dedup();
    let mut by_dpi: Vec<Vec<Prepared>> = dpis.iter().map(|_| Vec::new()).collect();
    for p in prepared {
        let i = dpis.binary_search(&p.dpi).unwrap_or(0);
        by_dpi[i].push(p);
    }
    let mut out = Vec::new();
    for pages in by_dpi {
        let n = threads.clamp(1, pages.len().max(1));
        let (each, extra) = (pages.len() / n, pages.len() % n);
        let mut pages = pages.into_iter();
        for k in 0..n {
            let run: Vec<Prepared> = pages.by_ref().take(each + usize::from(k < extra)).collect();
            if !run.is_empty() {
                out.push(run);
            }
        }
    }
    out
}

/// Where a page's image comes from.
enum Source {
    /// The page's one image, decoded from the PDF.
    Image(PageImage),
    /// The page's one image, bi-level in a form we do not decode (JBIG2, or CCITT
    /// that did not decode whole):
    /// `pdfimages` writes it out as it is.
    Bilevel,
    /// `pdftoppm` renders the page.
    Render,
    /// The page's one image claims this many pixels (width, height), more than
    /// [`image::MAX_PAGE_PIXELS`]: the page is not OCR'd.
    Oversized((usize, usize)),
}

/// The cells of the pages just read that need a second look, read in one Tesseract run
/// per resolution, their words put in place.
fn reread_cells(read: &mut [Read], dir: &Path, options: &OcrOptions) -> Result<(), ExtractError> {
    let mut steps = Steps::new(read.first().map_or(0, |r| r.page.number));
    let mut dpis: Vec<u32> = read
        .iter()
        .filter(|r| !r.crops.is_empty())
        .map(|r| r.dpi)
        .collect();
    dpis.sort_unstable();
    dpis.dedup();
    for dpi in dpis {
        let mine: Vec<usize> = (0..read.len())
            .filter(|&i| read[i].dpi == dpi && !read[i].crops.is_empty())
            .collect();
        let crops: Vec<&cells::Crop> = mine.iter().flat_map(|&i| &read[i].crops).collect();
        let name = format!("c{}-{dpi}", read[mine[0]].page.number);
        let words = cells::read(
            &crops,
            dir,
            &name,
            &options.language,
            dpi,
            options.page_timeout,
        )
        .map_err(|e| match e {
            ExtractError::OcrFailed(m) => {
                let numbers: Vec<String> = mine
                    .iter()
                    .map(|&i| read[i].page.number.to_string())
                    .collect();
                ExtractError::OcrFailed(format!("cells of pages {}: {m}", numbers.join(", ")))
            }
            other => other,
        })?;
        let mut words = words.into_iter();
        for i in mine {
            let r = &mut read[i];
            let n = r.crops.len();
            let page_words: Vec<Vec<tesseract::Word>> = words.by_ref().take(n).collect();
            let recognised = std::mem::take(&mut r.recognised);
            r.recognised = cells::apply(recognised, &r.crops, &page_words);
            r.crops = Vec::new();
        }
    }
    steps.done("cells");
    Ok(())
}

/// The page is one image XObject whose only filter is CCITTFaxDecode or JBIG2Decode.
fn bilevel_image(doc: &lopdf::Document, page_id: lopdf::ObjectId) -> bool {
    image::sole_image(doc, page_id)
        .and_then(|stream| image::filters(doc, stream))
        .is_some_and(|f| f == [b"CCITTFaxDecode".to_vec()] || f == [b"JBIG2Decode".to_vec()])
}

/// The claimed size of the page's one image, when it is over [`image::MAX_PAGE_PIXELS`].
fn oversized_image(doc: &lopdf::Document, page_id: lopdf::ObjectId) -> Option<(usize, usize)> {
    let stream = image::sole_image(doc, page_id)?;
    image::claimed_size(doc, stream).filter(|&(w, h)| !image::fits(w, h))
}

/// The image of page `page` (its only one, bi-level) as `pdfimages` decodes it to PBM;
/// `None` when it wrote no PBM (then the page is rendered instead).
fn extract_bilevel(
    pdf: &Path,
    page: u32,
    out_base: &Path,
    timeout: std::time::Duration,
) -> Result<Option<image::Grey>, ExtractError> {
    let mut command = crate::source::program::command("pdfimages");
    command
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(out_base);
    let status = crate::source::program::run_poppler(command, page, "take the image of", timeout)?;
    let mut name = out_base.file_name().unwrap_or_default().to_os_string();
    name.push("-000.pbm");
    let path = out_base.with_file_name(name);
    let bytes = std::fs::read(&path).ok().filter(|_| status.success());
    let _ = std::fs::remove_file(&path);
    Ok(bytes.and_then(|b| image::Grey::read_pbm(&b)))
}

/// Writes the image for Tesseract: PBM when it is bi-level (an eighth of the bytes,
/// and Tesseract need not threshold it), PGM otherwise.
fn write_image(grey: &image::Grey, dir: &Path, name: &str) -> Result<PathBuf, ExtractError> {
    use std::io::Write;
    if !grey.pixels.iter().all(|&p| p == 0 || p == 255) {
        let path = dir.join(format!("{name}.pgm"));
        grey.write_pgm(&path).map_err(ExtractError::Io)?;
        return Ok(path);
    }
    let path = dir.join(format!("{name}.pbm"));
    let row = grey.width.div_ceil(8);
    let mut data = vec![0u8; row * grey.height];
    for (out, r) in data
        .chunks_exact_mut(row.max(1))
        .zip(grey.pixels.chunks_exact(grey.width.max(1)))
    {
        for (byte, px) in out.iter_mut().zip(r.chunks(8)) {
            *byte = px
                .iter()
                .enumerate()
                .fold(0u8, |b, (k, &p)| b | (u8::from(p == 0) << (7 - k)));
        }
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(ExtractError::Io)?);
    write!(f, "P4\n{} {}\n", grey.width, grey.height)
        .and_then(|()| f.write_all(&data))
        .and_then(|()| f.flush())
        .map_err(ExtractError::Io)?;
    Ok(path)
}

/// Removes files of the scratch directory (page images once read), errors ignored:
/// the directory goes at the end anyway.
fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

/// Time left before `deadline`, or the page's timeout error.
fn left(deadline: Instant, n: u32, limit: Duration) -> Result<Duration, ExtractError> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            ExtractError::OcrFailed(format!(
                "page {n}: OCR took more than {:.0} s (--ocr-timeout)",
                limit.as_secs_f64()
            ))
        })
}

/// A page's image made ready for Tesseract: deskewed, turned upright, written out.
struct Prepared {
    page: PageBox,
    grey: image::Grey,
    dpi: u32,
    /// Turned half a turn by its line shapes.
    turned: bool,
    /// The line shapes say clearly that the orientation read is right: a low
    /// confidence is then no reason to read the page the other way too.
    sure: bool,
    /// Skew corrected, in degrees (0 when none was).
    skew: f32,
    /// The image file Tesseract reads.
    path: PathBuf,
}

/// Makes one page's image ready for Tesseract: taken from the PDF (or rendered),
/// enlarged when under 200 dpi, deskewed, turned upright, written out. The programs
/// run for the page's image (`pdfimages`, `pdftoppm`) share the page's time limit
/// ([`OcrOptions::page_timeout`]).
fn prepare(
    page: &PageBox,
    source: Source,
    pdf: &Path,
    dir: &Path,
    options: &OcrOptions,
) -> Result<Prepared, ExtractError> {
    let n = page.number;
    let limit = options.page_timeout;
    let deadline = Instant::now() + limit;
    let mut steps = Steps::new(n);
    let page_w = page.media[2] - page.media[0];
    let with_error = |e: ExtractError| match e {
        ExtractError::OcrFailed(m) if !m.starts_with("page ") => {
            ExtractError::OcrFailed(format!("page {n}: {m}"))
        }
        other => other,
    };
    let from_image = |grey: image::Grey, jpeg| {
        let dpi = (grey.width as f32 / (page_w / 72.0)).round().max(1.0) as u32;
        (grey, jpeg, dpi)
    };
    let render = || -> Result<_, ExtractError> {
        let (page_h, dpi) = (page.media[3] - page.media[1], options.dpi as f32);
        let side = |pt: f32| (pt.abs() / 72.0 * dpi).ceil() as usize;
        if !image::fits(side(page_w), side(page_h)) {
            return Err(ExtractError::OcrFailed(format!(
                "page {n}: {:.0} × {:.0} pt is too large to OCR (over {} million pixels at {} dpi)",
                page_w.abs(),
                page_h.abs(),
                image::MAX_PAGE_PIXELS / 1_000_000,
                options.dpi
            )));
        }
        let base = dir.join(format!("r{n}"));
        let t = left(deadline, n, limit)?;
        let grey = image::rasterise(pdf, n, options.dpi, &base, t).map_err(with_error)?;
        Ok((grey, None, options.dpi))
    };
    let (grey, jpeg, dpi) = match source {
        Source::Image(PageImage { grey, jpeg }) => from_image(grey, jpeg),
        Source::Bilevel => {
            let base = dir.join(format!("i{n}"));
            let t = left(deadline, n, limit)?;
            match extract_bilevel(pdf, n, &base, t).map_err(with_error)? {
                Some(grey) => from_image(grey, None),
                None => render()?,
            }
        }
        Source::Render => render()?,
        Source::Oversized((w, h)) => {
            return Err(ExtractError::OcrFailed(format!(
                "page {n}: its image claims {w} × {h} pixels, too large to OCR (over {} million)",
                image::MAX_PAGE_PIXELS / 1_000_000
            )))
        }
    };
    steps.done("image");
    // Low-resolution scans enlarged (to 225 dpi) before anything reads them.
    let (mut grey, jpeg, dpi) = image::for_recognition(grey, jpeg, dpi);
    steps.done("enlarge");
    let skew = image::estimate_skew(&grey);
    let straighten = skew.abs() >= 0.05;
    steps.done("skew");
    if straighten {
        grey = grey.rotate(-skew);
    }
    steps.done("deskew");
    let (signal, lines) = orient::upright_score(&grey, dpi);
    let signal = if lines >= MIN_LINES { signal } else { 0.0 };
    let turned = signal <= -TURN_SIGNAL;
    if turned {
        grey = grey.rotate_180();
    }
    steps.done("orient");
    // Shaded cells and rows lifted to paper white (ink, and so the grid, unchanged).
    let shaded = shading::whiten(&mut grey, dpi) > 0;
    steps.done("shading");
    // A JPEG untouched goes to Tesseract as it is.
    let path = match jpeg.filter(|_| !straighten && !turned && !shaded) {
        Some(bytes) => {
            let p = dir.join(format!("p{n}.jpg"));
            std::fs::write(&p, bytes).map_err(ExtractError::Io)?;
            p
        }
        None => write_image(&grey, dir, &format!("p{n}"))?,
    };
    steps.done("write");
    Ok(Prepared {
        page: *page,
        grey,
        dpi,
        turned,
        // The signal on the side of the orientation read: how sure that way is right.
        sure: if turned { -signal } else { signal } >= SURE_SIGNAL,
        skew: if straighten { skew } else { 0.0 },
        path,
    })
}

/// The ruled grid of a page image and its check boxes. Rules: horizontal ones at least
/// 20 pt long, vertical ones 8 pt (physical units). Check boxes: their sides are no
/// rules; their ☒/☐ replace what Tesseract read (in `place`, after the cells are read
/// again).
fn grid(grey: &image::Grey, dpi: u32) -> (Vec<image::PixelRule>, Vec<checkbox::CheckBox>) {
    let mut found = image::find_rules_at(grey, dpi);
    let boxes = checkbox::detect(grey, dpi);
    found.retain(|r| !checkbox::is_side(&boxes, r));
    (found, boxes)
}

/// Reads prepared pages of one resolution in one Tesseract run, their grids found
/// while Tesseract reads (`on_read` is told of each page read); pages read with a low
/// confidence, whose line shapes were not clear, are read again the other way round
/// (in one more run), the better reading kept; then the cells to read again are cut
/// out. Each page has [`OcrOptions::page_timeout`] in each run.
fn read_run(
    mut run: Vec<Prepared>,
    dir: &Path,
    options: &OcrOptions,
    on_read: &(dyn Fn(u32) + Sync),
) -> Result<Vec<Read>, ExtractError> {
    let Some(first) = run.first() else {
        return Ok(Vec::new());
    };
    let (n0, dpi) = (first.page.number, first.dpi);
    let mut steps = Steps::new(n0);
    // One Tesseract run on the images `paths` of pages `numbers`; the images are
    // removed once read.
    let start = |paths: Vec<PathBuf>, numbers: Vec<u32>, name: String| {
        let labels = numbers.iter().map(|n| format!("page {n}")).collect();
        let running = tesseract::spawn(&paths, &dir.join(name), &options.language, Some(dpi), "3")
            .map(|r| r.naming(labels));
        (running, paths, numbers)
    };
    type Started = (
        Result<tesseract::Running, ExtractError>,
        Vec<PathBuf>,
        Vec<u32>,
    );
    let finish = |(running, paths, numbers): Started, tell: bool| {
        let out = running.and_then(|r| {
            r.wait(options.page_timeout, |i| {
                if tell {
                    on_read(numbers[i]);
                }
            })
        });
        remove_all(&paths);
        out
    };
    let numbers = |which: &[usize], run: &[Prepared]| -> Vec<u32> {
        which.iter().map(|&i| run[i].page.number).collect()
    };
    let all: Vec<usize> = (0..run.len()).collect();
    let paths = run.iter().map(|p| p.path.clone()).collect();
    let started = start(paths, numbers(&all, &run), format!("p{n0}"));
    // The grids are found here while Tesseract reads the pages in its own process.
    let mut grids: Vec<_> = run.iter().map(|p| grid(&p.grey, dpi)).collect();
    steps.done("grid");
    let mut recognised = finish(started, true)?;
    steps.done("tesseract");
    let doubtful: Vec<usize> = (0..run.len())
        .filter(|&i| recognised[i].mean_conf() < TURN_BELOW && !run[i].sure)
        .collect();
    if !doubtful.is_empty() {
        let others: Vec<image::Grey> = doubtful.iter().map(|&i| run[i].grey.rotate_180()).collect();
        let mut paths = Vec::with_capacity(others.len());
        for (other, &i) in others.iter().zip(&doubtful) {
            paths.push(write_image(
                other,
                dir,
                &format!("p{}t", run[i].page.number),
            )?);
        }
        let again = finish(
            start(paths, numbers(&doubtful, &run), format!("p{n0}t")),
            false,
        )?;
        for ((i, other), again) in doubtful.into_iter().zip(others).zip(again) {
            if again.mean_conf() > recognised[i].mean_conf() + 5.0 {
                recognised[i] = again;
                run[i].grey = other;
                run[i].turned = !run[i].turned;
                grids[i] = grid(&run[i].grey, dpi);
            }
        }
        steps.done("turned");
    }
    let read = run
        .into_iter()
        .zip(recognised)
        .zip(grids)
        .map(|((p, recognised), (found, boxes))| {
            let crops = cells::crops(&p.grey, &found, &recognised, p.dpi);
            Read {
                page: p.page,
                recognised,
                found,
                crops,
                width: p.grey.width,
                height: p.grey.height,
                dpi: p.dpi,
                turned: p.turned,
                skew: p.skew,
                boxes,
            }
        })
        .collect();
    steps.done("crops");
    Ok(read)
}

/// Places a read page's words and rules in PDF user space.
fn place(read: Read) -> OcrPage {
    let Read {
        page,
        recognised,
        found,
        width,
        height,
        turned,
        skew,
        boxes,
        ..
    } = read;
    let recognised = checkbox::mark(recognised, &boxes);
    let n = page.number;
    let (page_w, page_h) = (page.media[2] - page.media[0], page.media[3] - page.media[1]);
    let px = page_w / width as f32;
    let py = page_h / height as f32;
    let to_x = |x: f32| page.media[0] + x * px;
    let to_y = |y: f32| page.media[1] + page_h - y * py;
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
    let boxes = word_lines(&recognised);
    for (i, w) in recognised.words.iter().enumerate() {
        if is_rule_debris(w, &found) {
            continue;
        }
        let text = normalize::word(&w.text);
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            continue;
        }
        let line = boxes[i];
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
    OcrPage {
        number: n,
        glyphs,
        rules,
        words,
        turned,
        skew,
    }
}

/// The text line box of each word (index = word index): its Tesseract line's, unless
/// that line holds words of two text lines or more (a line box over 1.6 times as tall
/// as its words, their middles apart by more than half a word's height): then the box
/// of the words of its own row. Tesseract sometimes takes two lines of a cell for one
/// (a skewed cell, a tall neighbour); placed on one baseline, their words would be
/// interleaved letter by letter.
fn word_lines(recognised: &tesseract::Recognised) -> Vec<tesseract::LineBox> {
    let words = &recognised.words;
    let mut out: Vec<tesseract::LineBox> = words.iter().map(|w| recognised.lines[w.line]).collect();
    // Each line's words, gathered in one pass.
    let mut by_line: Vec<Vec<usize>> = vec![Vec::new(); recognised.lines.len()];
    for (i, w) in words.iter().enumerate() {
        if let Some(list) = by_line.get_mut(w.line) {
            list.push(i);
        }
    }
    for (line, mut mine) in recognised.lines.iter().zip(by_line) {
        if mine.len() < 2 {
            continue;
        }
        let mut heights: Vec<u32> = mine.iter().map(|&i| words[i].height.max(1)).collect();
        heights.sort_unstable();
        let typical = heights[heights.len() / 2] as f32;
        if (line.height as f32) < 1.6 * typical {
            continue;
        }
        let middle = |i: usize| words[i].top as f32 + words[i].height as f32 / 2.0;
        mine.sort_by(|&a, &b| middle(a).total_cmp(&middle(b)));
        let mut rows: Vec<Vec<usize>> = Vec::new();
        for i in mine {
            match rows.last_mut() {
                Some(row) if middle(i) - middle(*row.last().unwrap_or(&i)) <= 0.5 * typical => {
                    row.push(i)
                }
                _ => rows.push(vec![i]),
            }
        }
        if rows.len() < 2 {
            continue;
        }
        for row in rows {
            let top = row.iter().map(|&i| words[i].top).min().unwrap_or(line.top);
            let bottom = row
                .iter()
                .map(|&i| words[i].top + words[i].height)
                .max()
                .unwrap_or(line.top + line.height);
            for i in row {
                out[i] = tesseract::LineBox {
                    top,
                    height: bottom.saturating_sub(top).max(1),
                };
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ccitt_pages_decode_as_pdfimages_writes_them() {
        // The black-and-white scan's pages are CCITT Group 4 images: decoded here,
        // they must be the very pixels `pdfimages` (poppler-utils, which .ci/run
        // installs) writes out for them.
        let file = Path::new("fixtures/scans/lot-et-garonne-2019-calc.300dpi-bw-upside-down.pdf");
        let doc = lopdf::Document::load(file).expect("fixture");
        let scratch = Scratch::new().expect("scratch");
        for (number, page_id) in doc.get_pages() {
            assert!(
                bilevel_image(&doc, page_id),
                "page {number} is one CCITT image"
            );
            let ours = image::single_image(&doc, page_id)
                .unwrap_or_else(|| panic!("page {number} decodes"));
            let base = scratch.0.join(format!("i{number}"));
            let theirs = extract_bilevel(file, number, &base, Duration::from_secs(60))
                .expect("pdfimages runs")
                .expect("pdfimages writes a PBM");
            assert_eq!(
                (ours.grey.width, ours.grey.height),
                (theirs.width, theirs.height)
            );
            assert!(
                ours.grey.pixels == theirs.pixels,
                "page {number}: pixels differ"
            );
        }
    }

    #[test]
    fn bilevel_images_go_to_pbm_and_back() {
        // 13 pixels a row: a partial last byte.
        let (width, height) = (13, 5);
        let pixels: Vec<u8> = (0..width * height)
            .map(|i| if i % 3 == 0 || i % 7 == 1 { 0 } else { 255 })
            .collect();
        let grey = image::Grey {
            width,
            height,
            pixels,
        };
        let dir = std::env::temp_dir().join(format!("ae-pbm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = write_image(&grey, &dir, "x").unwrap();
        assert_eq!(path.extension().unwrap(), "pbm");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"P4\n13 5\n"));
        // Bit 7 of the first byte is pixel 0 (black: 1).
        assert_eq!(bytes[8] & 0x80, 0x80);
        let back = image::Grey::read_pbm(&bytes).unwrap();
        assert_eq!((back.width, back.height), (width, height));
        assert_eq!(back.pixels, grey.pixels);
        assert!(image::Grey::read_pbm(b"P4\n0 0\n").is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
