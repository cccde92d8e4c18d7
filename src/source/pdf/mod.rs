//! PDF source: bytes → lines in visual order, with page and position.
//!
//! lopdf 0.47 loads the file (repairing broken cross-reference tables, decrypting with
//! the empty user password). Page content is not decoded through lopdf's object parser
//! (most of the time went there): `lexer` reads operators and operands straight from
//! the bytes, `content` interprets them into positioned glyphs and table rules, with
//! fonts from `font` decoded once per document, and `layout` rebuilds lines in
//! reading order: table rows cell by cell, full-width headers before the rows they head.
//! Check box form fields, whose look is not in the page content, become ☒ / ☐ glyphs
//! at their place before layout (`forms`).
//!
//! Everything runs under `catch_unwind`: a panic anywhere becomes
//! [`ExtractError::Panic`]. Form XObjects nest under a depth limit and a cycle check, so
//! a self-drawing form ends in [`ExtractError::PdfRecursion`] rather than a stack
//! overflow. Decompression is bounded per stream.

mod content;
mod font;
mod forms;
mod layout;
mod lexer;
mod rows;
mod structure;
pub mod svg;

use std::panic::{self, AssertUnwindSafe};

use lopdf::{Document, LoadOptions, Object};

use super::ocr::{self, OcrMode, OcrOptions, OcrReading};
use super::{Column, Format, GridHeading, Line, LineOrder, Position, SourceDocument, SourceNote};
use crate::error::ExtractError;

/// Upper bound on what any one stream may decompress to (object streams, page
/// content, fonts): far above real reports, low enough to stop decompression bombs.
const MAX_DECOMPRESSED: usize = 64 * 1024 * 1024;

/// Reads a PDF into lines in visual order, OCR off. `headings`: the grid headings
/// (from the report templates) by which a grid drawn without rules is found.
pub fn read(bytes: &[u8], headings: &[GridHeading]) -> Result<SourceDocument, ExtractError> {
    read_full(bytes, headings, &OcrOptions::never(), false).map(|r| r.doc)
}

/// A word on a page, as a box in PDF user space.
#[derive(Debug, Clone, PartialEq)]
pub struct WordBox {
    pub text: String,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A row band of a ruleless grid, with the lines (final numbers) read in it.
#[derive(Debug, Clone, PartialEq)]
pub struct BandView {
    pub top: f32,
    pub bottom: f32,
    /// Cut by horizontal rules rather than inferred.
    pub ruled: bool,
    /// A full-width row (header).
    pub full: bool,
    /// Numbers of the document lines read in this band (running lines dropped).
    pub lines: Vec<usize>,
}

/// How one page was read, for visual debugging (`inspect --svg`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageView {
    /// 1-based page number.
    pub number: u32,
    /// Page box (x0, y0, x1, y1), user space.
    pub media_box: [f32; 4],
    pub words: Vec<WordBox>,
    /// Thin shapes kept as table rules, as boxes (x0, y0, x1, y1).
    pub rules: Vec<[f32; 4]>,
    /// Filled rectangles (shading), as boxes.
    pub fills: Vec<[f32; 4]>,
    /// Column boundaries of a ruleless grid (x), empty when the page has none.
    pub columns: Vec<f32>,
    pub bands: Vec<BandView>,
}

/// All a reading of one PDF gives: its lines, what OCR read (when it read anything),
/// how many grid rows were inferred without rules, and (when asked) how each page was
/// read.
#[derive(Debug)]
pub struct PdfReading {
    pub doc: SourceDocument,
    pub ocr: Option<OcrReading>,
    /// Rows of ruleless grids whose band was inferred from the layout rather than cut
    /// by rules (rows with text in their first column: the rest of a row cut by a page
    /// break is not counted again).
    pub rows_without_rules: usize,
    /// One view per page when `with_views`, else empty.
    pub views: Vec<PageView>,
}

/// Reads a PDF, OCR'ing the pages `ocr` asks for (scans, garbled text layers), with
/// page views for visual debugging when `with_views`.
pub fn read_full(
    bytes: &[u8],
    headings: &[GridHeading],
    ocr: &OcrOptions,
    with_views: bool,
) -> Result<PdfReading, ExtractError> {
    match panic::catch_unwind(AssertUnwindSafe(|| {
        read_inner(bytes, headings, ocr, with_views)
    })) {
        Ok(result) => result,
        Err(payload) => Err(ExtractError::Panic(panic_message(&payload))),
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic while reading the PDF".to_owned())
}

fn read_inner(
    bytes: &[u8],
    headings: &[GridHeading],
    ocr: &OcrOptions,
    with_views: bool,
) -> Result<PdfReading, ExtractError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(4).any(|w| w == b"%PDF") {
        return Err(ExtractError::PdfCorrupt("no %PDF header".into()));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(ExtractError::PdfPasswordRequired),
        Err(lopdf::Error::Decryption(e)) => {
            return Err(ExtractError::PdfCorrupt(format!("cannot decrypt: {e}")));
        }
        Err(e) => return Err(ExtractError::PdfCorrupt(e.to_string())),
    };
    // Loaded but still encrypted: the empty user password did not open it.
    if doc.is_encrypted() {
        return Err(ExtractError::PdfPasswordRequired);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(if page_tree_present(&doc) {
            ExtractError::PdfZeroPages
        } else {
            ExtractError::PdfCorrupt("no page tree could be read".into())
        });
    }

    let mut interpreter = content::Interpreter::new(&doc, MAX_DECOMPRESSED);
    let (mut glyphs, mut images, mut broken) = (0usize, 0usize, 0usize);
    let mut contents = Vec::with_capacity(pages.len());
    let mut to_ocr: Vec<ocr::PageBox> = Vec::new();
    for (&number, &page_id) in &pages {
        let page = interpreter.page(page_id)?;
        let page_glyphs = page.glyphs.iter().filter(|g| g.ch != ' ').count() + page.rotated;
        glyphs += page_glyphs;
        images += page.images;
        broken += usize::from(page.broken);
        // OCR hook: which pages OCR reads instead of their text layer.
        let garbled = (page_glyphs > 0)
            .then(|| ocr::garbled::garbled(page.glyphs.iter().map(|g| g.ch)))
            .flatten();
        let wanted = match ocr.mode {
            OcrMode::Never => false,
            OcrMode::Always => true,
            OcrMode::Auto => (page_glyphs == 0 && page.images > 0) || garbled.is_some(),
        };
        if let (Some(why), false) = (&garbled, wanted) {
            return Err(ExtractError::PdfGarbledText(format!(
                "page {number}: {why}"
            )));
        }
        if wanted {
            to_ocr.push(ocr::PageBox {
                number,
                page_id,
                media: media_box(&doc, page_id),
            });
        }
        contents.push((number, page_id, page));
    }
    if glyphs == 0 && to_ocr.is_empty() {
        let repaired = doc.xref_recovery.is_some();
        return Err(if (broken > 0 || repaired) && images == 0 {
            ExtractError::PdfCorrupt(if repaired && broken == 0 {
                "damaged file (cross-reference rebuilt) with no readable text".to_owned()
            } else {
                format!(
                    "page content unreadable on {broken} of {} pages",
                    pages.len()
                )
            })
        } else {
            ExtractError::PdfNoTextLayer
        });
    }
    let (ocr_pages, version) = if to_ocr.is_empty() {
        (Vec::new(), String::new())
    } else {
        ocr::ocr_pages(&doc, bytes, &to_ocr, ocr)?
    };

    let mut state = layout::PageState::default();
    let mut lines = Vec::new();
    let mut confidence: Vec<Option<f32>> = Vec::new();
    let mut views: Vec<PageView> = Vec::new();
    // For each line, its page view and band (views only).
    let mut bands_of: Vec<Option<(usize, usize)>> = Vec::new();
    let mut rows_without_rules = 0usize;
    // Ruleless grids whose columns were guessed: (message, page, index of the heading's
    // first line in `lines`).
    let mut guesses: Vec<(String, u32, usize)> = Vec::new();
    for (number, page_id, mut page) in contents {
        let scanned = ocr_pages.iter().find(|p| p.number == number);
        if let Some(scan) = scanned {
            page.glyphs = scan.glyphs.iter().map(ocr_glyph).collect();
            page.rules = scan.rules.iter().map(ocr_rule).collect();
        } else {
            // After the count: form fields alone are no text layer.
            page.glyphs.extend(forms::checkbox_glyphs(&doc, page_id));
        }
        let mut debug = layout::PageDebug::default();
        let out = layout::layout_page(
            &page.glyphs,
            &page.rules,
            headings,
            &mut state,
            Some(&mut debug),
        );
        let mut guess = state.guessed.take();
        rows_without_rules += debug
            .bands
            .iter()
            .filter(|b| !b.ruled && !b.full && b.anchored)
            .count();
        if with_views {
            let boxes =
                |rs: &[content::Rule]| rs.iter().map(|r| [r.x0, r.y0, r.x1, r.y1]).collect();
            views.push(PageView {
                number,
                media_box: media_box(&doc, page_id),
                words: layout::word_boxes(&mut page.glyphs),
                rules: boxes(&page.rules),
                fills: boxes(&page.fills),
                columns: debug.bounds.clone(),
                bands: debug
                    .bands
                    .iter()
                    .map(|b| BandView {
                        top: b.top,
                        bottom: b.bottom,
                        ruled: b.ruled,
                        full: b.full,
                        lines: Vec::new(),
                    })
                    .collect(),
            });
        }
        for l in out {
            let (text, conf) = match scanned {
                Some(scan) => (
                    ocr::normalize::line(&l.text),
                    ocr::line_confidence(scan, &l.text, l.x, l.y),
                ),
                None => (l.text, None),
            };
            if text.is_empty() {
                continue;
            }
            if let Some((message, _)) =
                guess.take_if(|(_, y)| l.column != Column::Full && l.y >= *y - 0.5)
            {
                guesses.push((message, number, lines.len()));
            }
            confidence.push(conf);
            bands_of.push(l.band.map(|b| (views.len().saturating_sub(1), b)));
            lines.push(Line {
                number: lines.len() + 1,
                page: Some(number),
                text,
                position: Some(Position {
                    x: l.x,
                    y: l.y,
                    column: l.column,
                }),
            });
        }
    }
    let (lines, kept) = drop_running_lines(lines);
    if with_views {
        for (new, &old) in kept.iter().enumerate() {
            if let Some((v, b)) = bands_of[old] {
                if let Some(band) = views.get_mut(v).and_then(|v| v.bands.get_mut(b)) {
                    band.lines.push(new + 1);
                }
            }
        }
    }
    let reading = (!ocr_pages.is_empty()).then(|| {
        let words: Vec<f32> = ocr_pages
            .iter()
            .flat_map(|p| p.words.iter().map(|w| w.conf))
            .collect();
        OcrReading {
            pages: ocr_pages.iter().map(|p| p.number).collect(),
            version,
            language: ocr.language.clone(),
            line_confidence: kept.iter().map(|&old| confidence[old]).collect(),
            confidence: if words.is_empty() {
                0.0
            } else {
                words.iter().sum::<f32>() / words.len() as f32
            },
        }
    });
    Ok(PdfReading {
        doc: SourceDocument {
            format: Format::Pdf,
            pages: Some(pages.len() as u32),
            order: LineOrder::Visual,
            lines,
            notes: guesses
                .into_iter()
                .map(|(message, page, old)| SourceNote {
                    code: crate::source::layout_text::COLUMN_GUESSED,
                    message,
                    line: kept.partition_point(|&k| k < old) + 1,
                    page: Some(page),
                })
                .collect(),
        },
        ocr: reading,
        rows_without_rules,
        views,
    })
}

fn ocr_glyph(g: &ocr::OcrGlyph) -> content::Glyph {
    content::Glyph {
        x: g.x,
        y: g.y,
        w: g.w,
        size: g.size,
        ch: g.ch,
    }
}

fn ocr_rule(r: &ocr::OcrRule) -> content::Rule {
    content::Rule {
        x0: r.x0,
        y0: r.y0,
        x1: r.x1,
        y1: r.y1,
    }
}

/// The page's MediaBox (inherited from the page tree), A4 when unreadable.
fn media_box(doc: &Document, page_id: lopdf::ObjectId) -> [f32; 4] {
    let mut id = page_id;
    for _ in 0..16 {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(Object::Array(a)) = dict
            .get(b"MediaBox")
            .map(|o| content::deref(doc, Some(o)).unwrap_or(o))
        {
            let v: Vec<f32> = a
                .iter()
                .filter_map(|o| match o {
                    Object::Integer(i) => Some(*i as f32),
                    Object::Real(r) => Some(*r),
                    _ => None,
                })
                .collect();
            if v.len() == 4 {
                return [v[0], v[1], v[2], v[3]];
            }
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => break,
        }
    }
    [0.0, 0.0, 595.0, 842.0]
}

/// "… Page # / #" or "… page # sur #" (digits already masked as `#`): a page footer
/// even where it prints once (the last page, a footer moved to the end).
fn ends_with_page_number(masked: &str) -> bool {
    let lower = masked.to_lowercase();
    ["page # / #", "page #/#", "page # sur #"]
        .iter()
        .any(|tail| {
            lower.ends_with(tail)
                && (lower.len() == tail.len() || lower[..lower.len() - tail.len()].ends_with(' '))
        })
}

/// Removes running headers and footers ("Rapport d'audit … - Page 2 / 5"): a
/// full-width line, first or last of its page, that recurs (digits aside) at the same
/// height as the first or last line of another page, or that ends with a page number.
/// Lines are renumbered after.
fn drop_running_lines(lines: Vec<Line>) -> (Vec<Line>, Vec<usize>) {
    use std::collections::{HashMap, HashSet};
    type Key = (String, i32);
    let key = |l: &Line| -> Option<Key> {
        let p = l.position.filter(|p| p.column == Column::Full)?;
        // Digits aside: a run of them counts as one ("Page 9 / 10", "Page 10 / 10").
        let mut text = String::with_capacity(l.text.len());
        for c in l.text.trim().chars() {
            match c.is_ascii_digit() {
                true if text.ends_with('#') => {}
                true => text.push('#'),
                false => text.push(c),
            }
        }
        Some((text, (p.y / 2.0).round() as i32))
    };
    // Index ranges of each page's lines.
    let mut pages: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match pages.last_mut() {
            Some(r) if lines[r.start].page == l.page => r.end = i + 1,
            _ => pages.push(i..i + 1),
        }
    }
    let edges = |r: &std::ops::Range<usize>| {
        let last = (r.end - 1 > r.start).then_some(r.end - 1);
        std::iter::once(r.start).chain(last)
    };
    let mut seen: HashMap<Key, HashSet<Option<u32>>> = HashMap::new();
    for r in &pages {
        for i in edges(r) {
            if let Some(k) = key(&lines[i]) {
                seen.entry(k).or_default().insert(lines[i].page);
            }
        }
    }
    let running: HashSet<usize> = pages
        .iter()
        .flat_map(edges)
        .filter(|&i| {
            key(&lines[i]).is_some_and(|k| seen[&k].len() >= 2 || ends_with_page_number(&k.0))
        })
        .collect();
    lines
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !running.contains(i))
        .enumerate()
        .map(|(n, (i, mut l))| {
            l.number = n + 1;
            (l, i)
        })
        .unzip()
}

/// Whether the catalog has a readable page tree root (so zero pages means an empty
/// document, not a damaged one).
fn page_tree_present(doc: &Document) -> bool {
    doc.catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|o| o.as_reference().ok())
        .and_then(|id| doc.get_dictionary(id).ok())
        .is_some_and(|pages| {
            matches!(
                pages.get(b"Kids"),
                Ok(Object::Array(_)) | Ok(Object::Reference(_))
            )
        })
}

/// Lines of the given column, for tests and diagnostics.
#[cfg(test)]
fn texts_in(doc: &SourceDocument, column: Column) -> Vec<&str> {
    doc.lines
        .iter()
        .filter(|l| l.position.is_some_and(|p| p.column == column))
        .map(|l| l.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests;
