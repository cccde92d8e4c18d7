//! A second look at grid cells Tesseract's page segmentation got wrong: a cell holding
//! a single short word (a conformity code, "C") is often dropped as noise or read with
//! the language model's help as a longer word ("Les" for "C", in a box one letter
//! wide). Such cells, found from the ruled grid, are cut out ([`crops`]), stacked on
//! one strip image with white space between them — the crops of all the pages OCR'd
//! together — and read again in one Tesseract run as a uniform block of text
//! (`--psm 6`, [`read`]); their words replace what the page reading had ([`apply`]).

use std::path::Path;
use std::time::Duration;

use crate::error::ExtractError;

use super::image::{Grey, PixelRule};
use super::tesseract::{self, LineBox, Recognised, Word};

/// A box in pixels, `x0 <= x1`, `y0 <= y1` (inclusive), origin top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// Cells of the ruled grid: rectangles bounded on all four sides by rules.
fn cells(rules: &[PixelRule]) -> Vec<Rect> {
    let hs: Vec<&PixelRule> = rules.iter().filter(|r| r.x1 - r.x0 > r.y1 - r.y0).collect();
    let vs: Vec<&PixelRule> = rules
        .iter()
        .filter(|r| r.x1 - r.x0 <= r.y1 - r.y0)
        .collect();
    let cluster = |mut v: Vec<usize>| {
        v.sort_unstable();
        let mut out: Vec<usize> = Vec::new();
        for x in v {
            if out.last().is_none_or(|&l| x > l + 6) {
                out.push(x);
            }
        }
        out
    };
    let ys = cluster(hs.iter().map(|r| (r.y0 + r.y1) / 2).collect());
    let xs = cluster(vs.iter().map(|r| (r.x0 + r.x1) / 2).collect());
    let tol = 8;
    let h_covers = |y: usize, x0: usize, x1: usize| {
        hs.iter()
            .any(|r| r.y0 <= y + tol && r.y1 + tol >= y && r.x0 <= x0 + tol && r.x1 + tol >= x1)
    };
    let v_covers = |x: usize, y0: usize, y1: usize| {
        vs.iter()
            .any(|r| r.x0 <= x + tol && r.x1 + tol >= x && r.y0 <= y0 + tol && r.y1 + tol >= y1)
    };
    let mut out = Vec::new();
    for yw in ys.windows(2) {
        for xw in xs.windows(2) {
            let (x0, x1, y0, y1) = (xw[0], xw[1], yw[0], yw[1]);
            if x1 - x0 < 12 || y1 - y0 < 12 {
                continue;
            }
            if h_covers(y0, x0, x1)
                && h_covers(y1, x0, x1)
                && v_covers(x0, y0, y1)
                && v_covers(x1, y0, y1)
            {
                out.push(Rect { x0, y0, x1, y1 });
            }
        }
    }
    out
}

/// The box of the ink inside `r`, `margin` pixels in from its rules, if any.
fn ink_box(img: &Grey, r: Rect, margin: usize) -> Option<Rect> {
    let (x0, x1) = (r.x0 + margin, r.x1.checked_sub(margin)?);
    let (y0, y1) = (r.y0 + margin, r.y1.checked_sub(margin)?);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut b: Option<Rect> = None;
    let mut n = 0usize;
    for y in y0..=y1.min(img.height - 1) {
        for x in x0..=x1.min(img.width - 1) {
            if img.pixels[y * img.width + x] < 128 {
                n += 1;
                let e = b.get_or_insert(Rect {
                    x0: x,
                    y0: y,
                    x1: x,
                    y1: y,
                });
                e.x0 = e.x0.min(x);
                e.x1 = e.x1.max(x);
                e.y0 = e.y0.min(y);
                e.y1 = e.y1.max(y);
            }
        }
    }
    // A few specks are noise, not a word.
    b.filter(|b| n >= 12 && b.y1 - b.y0 >= 5)
}

fn overlaps(w: &Word, r: Rect) -> bool {
    let (l, t) = (w.left as usize, w.top as usize);
    let (rr, b) = (l + w.width as usize, t + w.height as usize);
    l <= r.x1 && rr >= r.x0 && t <= r.y1 && b >= r.y0
}

/// A word drawn narrower than its letters could be: Tesseract's language model read
/// one glyph as several letters.
fn squeezed(w: &Word) -> bool {
    let n = w.text.chars().count();
    n >= 2 && (w.width as f32) < 0.45 * n as f32 * w.height as f32
}

/// A piece of a page to read again: its ink box on the page and its pixels.
#[derive(Debug, Clone)]
pub struct Crop {
    rect: Rect,
    grey: Grey,
}

/// The cells of the grid that hold ink but no word, and the cells whose words are all
/// squeezed, cut out of the page (short contents only), plus squeezed short words
/// outside any cell.
pub fn crops(img: &Grey, rules: &[PixelRule], page: &Recognised, dpi: u32) -> Vec<Crop> {
    let margin = (dpi as usize / 25).max(5);
    let mut rects: Vec<Rect> = Vec::new();
    for cell in cells(rules) {
        let inner = Rect {
            x0: cell.x0 + margin,
            y0: cell.y0 + margin,
            x1: cell.x1.saturating_sub(margin),
            y1: cell.y1.saturating_sub(margin),
        };
        // Words that count: letters or digits, read with some confidence, not
        // squeezed (specks of noise and rule debris do not).
        let read = page.words.iter().any(|w| {
            overlaps(w, inner)
                && w.conf >= 40.0
                && w.text.chars().any(char::is_alphanumeric)
                && !squeezed(w)
        });
        if read {
            continue;
        }
        // Only short contents: a cell of text Tesseract missed wholly is left alone.
        if let Some(ink) = ink_box(img, cell, margin) {
            let max_w = dpi as usize; // an inch
            if ink.x1 - ink.x0 <= max_w && ink.y1 - ink.y0 <= dpi as usize / 3 {
                rects.push(ink);
            }
        }
    }
    // Squeezed short words outside any found cell (a row cut by the page's end).
    for w in page
        .words
        .iter()
        .filter(|w| squeezed(w) && w.text.chars().count() <= 4)
    {
        let r = Rect {
            x0: w.left as usize,
            y0: w.top as usize,
            x1: (w.left + w.width) as usize,
            y1: (w.top + w.height) as usize,
        };
        let near =
            |c: &Rect| c.x0 <= r.x1 + 4 && c.x1 + 4 >= r.x0 && c.y0 <= r.y1 + 4 && c.y1 + 4 >= r.y0;
        if rects.iter().any(near) {
            continue;
        }
        let grown = Rect {
            x0: r.x0.saturating_sub(2),
            y0: r.y0.saturating_sub(2),
            x1: (r.x1 + 2).min(img.width - 1),
            y1: (r.y1 + 2).min(img.height - 1),
        };
        if let Some(ink) = ink_box(img, grown, 0) {
            rects.push(ink);
        }
    }
    rects
        .into_iter()
        .map(|c| {
            let width = c.x1 - c.x0 + 1;
            let mut pixels = Vec::with_capacity(width * (c.y1 - c.y0 + 1));
            for y in c.y0..=c.y1 {
                pixels.extend_from_slice(&img.pixels[y * img.width + c.x0..=y * img.width + c.x1]);
            }
            Crop {
                rect: c,
                grey: Grey {
                    width,
                    height: c.y1 - c.y0 + 1,
                    pixels,
                },
            }
        })
        .collect()
}

/// Strips taller than this are cut in several Tesseract runs.
const MAX_STRIP_HEIGHT: usize = 30_000;

/// Reads crops (of one page or several, all at `dpi`) again: stacked one under the
/// other on strip images with white between them, the strips read in one Tesseract
/// run as uniform blocks of text (`--psm 6`), so that a chunk of pages' re-reading
/// costs one Tesseract start, not one per page. Returns each crop's words, placed in
/// the crop (origin its top-left corner).
pub fn read(
    crops: &[&Crop],
    dir: &Path,
    name: &str,
    language: &str,
    dpi: u32,
    timeout: Duration,
) -> Result<Vec<Vec<Word>>, ExtractError> {
    let pad = (dpi as usize / 10).max(10);
    // Each strip: its crops (a range of `crops`) and where each crop's top is on it.
    let mut strips: Vec<(std::ops::Range<usize>, Vec<usize>)> = Vec::new();
    let mut paths = Vec::new();
    let mut start = 0;
    while start < crops.len() {
        // The crops of this strip: as many as fit under the height limit (one at least).
        let mut end = start;
        let mut height = pad;
        while end < crops.len()
            && (end == start || height + crops[end].grey.height + pad <= MAX_STRIP_HEIGHT)
        {
            height += crops[end].grey.height + pad;
            end += 1;
        }
        let group = &crops[start..end];
        let width = group.iter().map(|c| c.grey.width).max().unwrap_or(1) + 2 * pad;
        let mut tops = Vec::with_capacity(group.len());
        let mut strip = Grey {
            width,
            height,
            pixels: vec![255; width * height],
        };
        let mut top = pad;
        for c in group {
            tops.push(top);
            for y in 0..c.grey.height {
                let src = &c.grey.pixels[y * c.grey.width..(y + 1) * c.grey.width];
                let dst = (top + y) * width + pad;
                strip.pixels[dst..dst + src.len()].copy_from_slice(src);
            }
            top += c.grey.height + pad;
        }
        let path = dir.join(format!("{name}-{}.pgm", strips.len()));
        let written = strip.write_pgm(&path).map_err(ExtractError::Io);
        paths.push(path);
        if let Err(e) = written {
            super::remove_all(&paths);
            return Err(e);
        }
        strips.push((start..end, tops));
        start = end;
    }
    if strips.is_empty() {
        return Ok(Vec::new());
    }
    let again = tesseract::spawn(&paths, &dir.join(name), language, Some(dpi), "6")
        .and_then(|running| running.wait(timeout, |_| {}));
    super::remove_all(&paths);
    let mut out: Vec<Vec<Word>> = Vec::with_capacity(crops.len());
    for ((range, tops), again) in strips.into_iter().zip(again?) {
        for (c, &top) in crops[range].iter().zip(&tops) {
            let bottom = top + c.grey.height - 1;
            let mine = again
                .words
                .iter()
                .filter(|w| {
                    let mid = w.top as usize + w.height as usize / 2;
                    mid >= top && mid <= bottom
                })
                .map(|w| Word {
                    left: (w.left as usize).saturating_sub(pad) as u32,
                    top: (w.top as usize).saturating_sub(top) as u32,
                    ..w.clone()
                })
                .collect();
            out.push(mine);
        }
    }
    Ok(out)
}

/// The page's words with the crops' new readings in place of what the page reading
/// had there (`words[i]`: crop `i`'s words, as [`read`] gives them).
pub fn apply(mut page: Recognised, crops: &[Crop], words: &[Vec<Word>]) -> Recognised {
    for (crop, mine) in crops.iter().zip(words) {
        if mine.is_empty() {
            continue;
        }
        let c = crop.rect;
        let cell = Rect {
            x0: c.x0.saturating_sub(2),
            y0: c.y0.saturating_sub(2),
            x1: c.x1 + 2,
            y1: c.y1 + 2,
        };
        page.words.retain(|w| !overlaps(w, cell));
        page.lines.push(LineBox {
            top: c.y0 as u32,
            height: (c.y1 - c.y0 + 1) as u32,
        });
        let line = page.lines.len() - 1;
        for w in mine {
            page.words.push(Word {
                text: w.text.clone(),
                left: c.x0 as u32 + w.left,
                top: c.y0 as u32 + w.top,
                width: w.width,
                height: w.height,
                conf: w.conf,
                line,
            });
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_of_rules_gives_its_cells() {
        let h = |y, x0, x1| PixelRule {
            x0,
            y0: y,
            x1,
            y1: y + 1,
        };
        let v = |x, y0, y1| PixelRule {
            x0: x,
            y0,
            x1: x + 1,
            y1,
        };
        let rules = [
            h(10, 10, 300),
            h(60, 10, 300),
            h(110, 10, 300),
            v(10, 10, 110),
            v(200, 10, 110),
            v(300, 10, 110),
        ];
        let found = cells(&rules);
        assert_eq!(found.len(), 4, "{found:?}");
    }

    #[test]
    fn squeezed_words_are_one_glyph_read_as_several() {
        let w = |text: &str, width| Word {
            text: text.into(),
            left: 0,
            top: 0,
            width,
            height: 17,
            conf: 77.0,
            line: 0,
        };
        assert!(squeezed(&w("[es", 17)));
        assert!(!squeezed(&w("Les", 40)));
        assert!(!squeezed(&w("C", 16)));
    }
}
