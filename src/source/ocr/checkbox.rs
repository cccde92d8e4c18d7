//! Check boxes on scanned pages. A text layer gives them as glyphs (☒/☐, a font's or
//! an AcroForm field's), which the cover reader reads; a scan has only their ink,
//! which Tesseract reads as junk ("O", "[]", "®", "X" glued to the label). So the
//! page image is searched for small squares — four dark sides, 1.8 to 7 mm, standing
//! alone (no rule runs on past a corner) — and each one found is decided ticked or
//! empty by the share of dark pixels inside it (a cross, a tick, a fill, against a
//! few specks of noise). Its sides are taken out of the page's rules, and what
//! Tesseract read over it is replaced by a ☒ or ☐ word on the line of its label, so
//! the cover reader reads a scan as it reads a text layer.
//!
//! Cost: one pass over the image's rows looking for dark runs of a box's width, then
//! a few checks per candidate (a few milliseconds for an A4 page at 300 dpi).

use super::image::{mm_to_px, Grey, PixelRule, DARK};
use super::tesseract::{LineBox, Recognised, Word};

/// Smallest and largest side of a check box, in millimetres (a font's ☐ at 9 pt is
/// about 2 mm; boxes printed on forms are 3 to 6 mm).
const MIN_SIDE_MM: f32 = 1.8;
const MAX_SIDE_MM: f32 = 7.0;

/// Share of a side's pixels that must be dark.
const SIDE_COVER: f32 = 0.85;

/// Share of dark pixels inside a box over which it is ticked (an empty box's noise
/// stays under 1 %; a cross of two strokes covers 20 % and more).
const TICKED_ABOVE: f32 = 0.08;

/// Largest dark share of the line just inside a side (a cross's two strokes reach
/// the corners: about a fifth).
const HOLLOW_BELOW: f32 = 0.45;

/// A check box found in the image, in pixels (inclusive box, origin top-left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckBox {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
    pub checked: bool,
    /// Share of dark pixels inside the box.
    pub ink: f32,
}

impl CheckBox {
    /// The glyph the text layer would have.
    pub fn glyph(&self) -> &'static str {
        if self.checked {
            "☒"
        } else {
            "☐"
        }
    }
}

struct Ink<'a>(&'a Grey);

impl Ink<'_> {
    fn dark(&self, x: usize, y: usize) -> bool {
        x < self.0.width && y < self.0.height && self.0.pixels[y * self.0.width + x] < DARK
    }

    /// Dark share of row `y` over `x0..=x1`, a pixel counting as dark when it or a
    /// pixel within `slack` rows is (a side a pixel off level).
    fn row_cover(&self, y: usize, x0: usize, x1: usize, slack: usize) -> f32 {
        if x1 < x0 {
            return 0.0;
        }
        let n = (x0..=x1)
            .filter(|&x| (y.saturating_sub(slack)..=y + slack).any(|yy| self.dark(x, yy)))
            .count();
        n as f32 / (x1 - x0 + 1) as f32
    }

    fn col_cover(&self, x: usize, y0: usize, y1: usize, slack: usize) -> f32 {
        if y1 < y0 {
            return 0.0;
        }
        let n = (y0..=y1)
            .filter(|&y| (x.saturating_sub(slack)..=x + slack).any(|xx| self.dark(xx, y)))
            .count();
        n as f32 / (y1 - y0 + 1) as f32
    }

    fn share(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> f32 {
        if x1 < x0 || y1 < y0 {
            return 0.0;
        }
        let mut n = 0usize;
        for y in y0..=y1 {
            n += (x0..=x1).filter(|&x| self.dark(x, y)).count();
        }
        n as f32 / ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32
    }
}

/// The check boxes of a page image of `dpi`.
pub fn detect(img: &Grey, dpi: u32) -> Vec<CheckBox> {
    let ink = Ink(img);
    let min = mm_to_px(MIN_SIDE_MM, dpi).round().max(6.0) as usize;
    let max = mm_to_px(MAX_SIDE_MM, dpi).round() as usize;
    let mut found: Vec<CheckBox> = Vec::new();
    let w = img.width;
    for y in 1..img.height.saturating_sub(min) {
        // Ink on this row or the next: a side left a pixel off level by the residual
        // skew (or a nearest-pixel deskew's step) still runs on.
        let (row, next) = (
            &img.pixels[y * w..(y + 1) * w],
            &img.pixels[(y + 1) * w..(y + 2) * w],
        );
        let dark = |x: usize| row[x] < DARK || next[x] < DARK;
        let mut x = 0;
        while x < w {
            if !dark(x) {
                x += 1;
                continue;
            }
            // A run of ink, a one-pixel gap bridged (noise).
            let start = x;
            let mut end = x;
            while x < w && (dark(x) || (x + 1 < w && dark(x + 1))) {
                if dark(x) {
                    end = x;
                }
                x += 1;
            }
            let len = end - start + 1;
            if len < min || len > max {
                continue;
            }
            // The top side's first row: the row above is not the same run.
            if ink.row_cover(y - 1, start, end, 0) > 0.5 {
                continue;
            }
            if found
                .iter()
                .any(|b| start <= b.x1 && end >= b.x0 && y <= b.y1 + 1 && y + 1 >= b.y0)
            {
                continue;
            }
            if let Some(b) = square_from_top(&ink, start, end, y) {
                found.push(b);
            }
        }
    }
    found
}

/// The box whose top side is the run `x0..=x1` on row `y`, if there is one.
fn square_from_top(ink: &Ink<'_>, x0: usize, x1: usize, y: usize) -> Option<CheckBox> {
    let side = x1 - x0 + 1;
    let slack = 1;
    // Bottom side: the lowest row, within a square's height ±20 %, covered like a side.
    let lo = y + side * 4 / 5;
    let hi = y + side * 6 / 5;
    let y1 = (lo..=hi)
        .rev()
        .find(|&yy| ink.row_cover(yy, x0, x1, slack) >= SIDE_COVER)?;
    // Left and right sides, the whole height.
    if ink.col_cover(x0, y, y1, slack) < SIDE_COVER || ink.col_cover(x1, y, y1, slack) < SIDE_COVER
    {
        return None;
    }
    // Alone: no rule runs on outside it (a table's cell, a grid crossing), its sides
    // do not go on past the corners.
    let gap = 2;
    let out = |cover: f32| cover < 0.35;
    if x0 < gap || y < gap {
        return None;
    }
    if !(out(ink.row_cover(y - gap, x0.saturating_sub(gap), x1 + gap, 0))
        && out(ink.row_cover(y1 + gap, x0.saturating_sub(gap), x1 + gap, 0))
        && out(ink.col_cover(x0 - gap, y, y1, 0))
        && out(ink.col_cover(x1 + gap, y, y1, 0)))
    {
        return None;
    }
    // Thin sides: each side's thickness, the thinner of two places a quarter from
    // its ends (a cross crosses one of them at most), at most a sixth of the side —
    // a bold letter's stem and bars ("B", "D") are thicker.
    let run = |mut x: isize, mut y: isize, dx: isize, dy: isize| {
        let dark = |x: isize, y: isize| x >= 0 && y >= 0 && ink.dark(x as usize, y as usize);
        if !dark(x, y) {
            x += dx;
            y += dy;
        }
        let mut n = 0usize;
        while n < side && dark(x, y) {
            n += 1;
            x += dx;
            y += dy;
        }
        n
    };
    let (l, r, t, b) = (x0 as isize, x1 as isize, y as isize, y1 as isize);
    let (q, h) = ((side / 4) as isize, ((y1 - y + 1) / 4) as isize);
    let sides = [
        run(l, t + h, 1, 0).min(run(l, b - h, 1, 0)),
        run(r, t + h, -1, 0).min(run(r, b - h, -1, 0)),
        run(l + q, t, 0, 1).min(run(r - q, t, 0, 1)),
        run(l + q, b, 0, -1).min(run(r - q, b, 0, -1)),
    ];
    let thick = sides.iter().copied().max().unwrap_or(1).max(1);
    if thick > (side / 6).max(3) {
        return None;
    }
    // Hollow: just inside each side the paper shows, but where a mark crosses (a
    // bold letter — "B", "D" — has its stem and bowls there).
    let ring = thick + 1;
    let (ix0, ix1) = (x0 + ring, x1.checked_sub(ring)?);
    let (iy0, iy1) = (y + ring, y1.checked_sub(ring)?);
    if ix1 <= ix0 || iy1 <= iy0 {
        return None;
    }
    let inner = [
        ink.row_cover(iy0, ix0, ix1, 0),
        ink.row_cover(iy1, ix0, ix1, 0),
        ink.col_cover(ix0, iy0, iy1, 0),
        ink.col_cover(ix1, iy0, iy1, 0),
    ];
    if inner.iter().any(|&c| c > HOLLOW_BELOW) {
        return None;
    }
    // Inside: clear of the sides (and of a pixel of their blur) by a sixth of the side.
    let inset = (thick + 1).max(side / 6);
    let inner = ink.share(
        x0 + inset,
        y + inset,
        x1.saturating_sub(inset),
        y1.saturating_sub(inset),
    );
    Some(CheckBox {
        x0,
        y0: y,
        x1,
        y1,
        checked: inner > TICKED_ABOVE,
        ink: inner,
    })
}

/// The rule is a side of one of the boxes.
pub fn is_side(boxes: &[CheckBox], r: &PixelRule) -> bool {
    boxes
        .iter()
        .any(|b| r.x0 + 3 >= b.x0 && r.x1 <= b.x1 + 3 && r.y0 + 3 >= b.y0 && r.y1 <= b.y1 + 3)
}

/// The reading with each box's glyph in it: words Tesseract made of a box dropped
/// (or, glued to a label, cut of their first or last letters), a ☒ or ☐ word put on
/// the line of the words beside it.
pub fn mark(mut page: Recognised, boxes: &[CheckBox]) -> Recognised {
    for b in boxes {
        let (bx0, bx1) = (b.x0 as u32, b.x1 as u32);
        let (by0, by1) = (b.y0 as u32, b.y1 as u32);
        let bh = by1 - by0 + 1;
        let mut removed_line = None;
        let mut kept = Vec::with_capacity(page.words.len());
        for mut w in std::mem::take(&mut page.words) {
            let (l, r) = (w.left, w.left + w.width);
            let (t, btm) = (w.top, w.top + w.height);
            let v_overlap = btm.min(by1 + 1).saturating_sub(t.max(by0));
            let h_overlap = r.min(bx1 + 1).saturating_sub(l.max(bx0));
            if v_overlap * 3 < bh || h_overlap == 0 {
                kept.push(w);
                continue;
            }
            if h_overlap * 2 >= w.width.max(1) {
                removed_line.get_or_insert(w.line);
                continue;
            }
            // Glued to a label: take off the letters over the box.
            let n = w.text.chars().count() as u32;
            if n < 2 {
                kept.push(w);
                continue;
            }
            // (The box is a letter's width or more: whole letters only, rounded down.)
            let cut = (h_overlap * n / w.width.max(1)).clamp(1, n - 1) as usize;
            if l < bx0 {
                let keep = n as usize - cut;
                w.text = w.text.chars().take(keep).collect();
                w.width = bx0.saturating_sub(l).max(1);
            } else {
                w.text = w.text.chars().skip(cut).collect();
                w.width = r.saturating_sub(bx1 + 1).max(1);
                w.left = bx1 + 1;
            }
            removed_line.get_or_insert(w.line);
            kept.push(w);
        }
        page.words = kept;
        // The line of the nearest word level with the box, else of what Tesseract
        // read over it, else a line of its own.
        let mid = (by0 + by1) / 2;
        let beside = page
            .words
            .iter()
            .filter(|w| w.top <= mid && w.top + w.height >= mid)
            .min_by_key(|w| {
                let d = if w.left > bx1 {
                    w.left - bx1
                } else {
                    bx0.saturating_sub(w.left + w.width)
                };
                (d, w.left)
            })
            .map(|w| w.line);
        let line = match beside.or(removed_line) {
            Some(l) => l,
            None => {
                // Baseline (0.8 of the line box) on the box's bottom side.
                page.lines.push(LineBox {
                    top: by0,
                    height: bh + bh / 4,
                });
                page.lines.len() - 1
            }
        };
        let at = page
            .words
            .iter()
            .position(|w| w.line == line && w.left > bx0)
            .unwrap_or(page.words.len());
        page.words.insert(
            at,
            Word {
                text: b.glyph().to_owned(),
                left: bx0,
                top: by0,
                width: bx1 - bx0 + 1,
                height: bh,
                conf: 90.0,
                line,
            },
        );
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ocr::image::tests::blank;

    fn fill(img: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize, v: u8) {
        for y in y0..=y1 {
            for x in x0..=x1 {
                img.pixels[y * img.width + x] = v;
            }
        }
    }

    /// A box of side `s` and stroke `t` with its top-left corner at (x, y).
    fn square(img: &mut Grey, x: usize, y: usize, s: usize, t: usize) {
        fill(img, x, y, x + s - 1, y + t - 1, 0);
        fill(img, x, y + s - t, x + s - 1, y + s - 1, 0);
        fill(img, x, y, x + t - 1, y + s - 1, 0);
        fill(img, x + s - t, y, x + s - 1, y + s - 1, 0);
    }

    fn cross(img: &mut Grey, x: usize, y: usize, s: usize, t: usize) {
        for i in 0..s {
            for k in 0..t {
                let (a, b) = (x + i, y + (i + k).min(s - 1));
                img.pixels[b * img.width + a] = 20;
                let c = x + s - 1 - i;
                img.pixels[b * img.width + c] = 20;
            }
        }
    }

    /// Deterministic specks of noise (a scan's), about `per_mille` ‰ of pixels.
    fn speckle(img: &mut Grey, per_mille: u32) {
        let mut s = 0x2545_f491_u32;
        for p in img.pixels.iter_mut() {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            if s % 1000 < per_mille {
                *p = 60;
            }
        }
    }

    #[test]
    fn empty_and_ticked_boxes_are_found_at_300_dpi() {
        // 4 mm boxes at 300 dpi: 47 px, strokes of 3 px.
        let mut img = blank(600, 300);
        square(&mut img, 50, 100, 47, 3);
        square(&mut img, 200, 100, 47, 3);
        cross(&mut img, 200, 100, 47, 3);
        square(&mut img, 350, 100, 47, 3);
        fill(&mut img, 360, 110, 386, 136, 0); // filled
        speckle(&mut img, 3);
        let boxes = detect(&img, 300);
        assert_eq!(boxes.len(), 3, "{boxes:?}");
        assert!(!boxes[0].checked, "{boxes:?}");
        assert!(boxes[1].checked && boxes[2].checked, "{boxes:?}");
        // Sides found within a pixel (a side a pixel off level is still taken).
        let b = boxes[0];
        assert_eq!((b.x0, b.x1), (50, 96), "{b:?}");
        assert!(
            (99..=100).contains(&b.y0) && (146..=147).contains(&b.y1),
            "{b:?}"
        );
    }

    #[test]
    fn a_fonts_small_box_at_150_dpi_is_found() {
        // A ☐ glyph of 11 pt type: about 2.3 mm, 14 px at 150 dpi, one-pixel strokes.
        let mut img = blank(200, 80);
        square(&mut img, 20, 30, 14, 1);
        square(&mut img, 80, 30, 14, 1);
        cross(&mut img, 80, 30, 14, 1);
        let boxes = detect(&img, 150);
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert!(!boxes[0].checked && boxes[1].checked, "{boxes:?}");
    }

    #[test]
    fn cells_of_a_table_letters_and_rules_are_no_boxes() {
        let mut img = blank(800, 400);
        // A grid of 4 mm cells (300 dpi): its rules run on past each cell's corners.
        for k in 0..5 {
            fill(&mut img, 50, 50 + 47 * k, 50 + 47 * 4, 52 + 47 * k, 0);
            fill(&mut img, 50 + 47 * k, 50, 52 + 47 * k, 50 + 47 * 4, 0);
        }
        // A long rule and a square too large (2 cm).
        fill(&mut img, 300, 30, 780, 32, 0);
        square(&mut img, 400, 100, 236, 3);
        // An "L" and a "U": three sides at most.
        fill(&mut img, 300, 300, 303, 350, 0);
        fill(&mut img, 300, 347, 340, 350, 0);
        fill(&mut img, 360, 300, 363, 350, 0);
        fill(&mut img, 397, 300, 400, 350, 0);
        fill(&mut img, 360, 347, 400, 350, 0);
        let boxes = detect(&img, 300);
        assert!(boxes.is_empty(), "{boxes:?}");
    }

    #[test]
    fn a_bold_letter_is_no_box() {
        // A bold "B" at 200 dpi, as scanned: top, bottom, stem and bowls all dark.
        let b = [
            "........................",
            ".....#############......",
            ".....##############.....",
            ".....##############.....",
            ".....####......#####....",
            ".....####......#####....",
            ".....####......#####....",
            ".....####.....#####.....",
            ".....#############......",
            ".....#############......",
            ".....###############....",
            ".....####.......#####...",
            ".....####........####...",
            ".....####........####...",
            ".....####.......#####...",
            ".....###############....",
            ".....###############....",
            ".....##############.....",
            "........................",
        ];
        let mut img = blank(24, b.len());
        for (y, row) in b.iter().enumerate() {
            for (x, c) in row.chars().enumerate() {
                if c == '#' {
                    img.pixels[y * 24 + x] = 0;
                }
            }
        }
        let boxes = detect(&img, 200);
        assert!(boxes.is_empty(), "{boxes:?}");
    }

    #[test]
    fn marks_replace_what_tesseract_read_over_the_boxes() {
        let word = |text: &str, left, width, line| Word {
            text: text.into(),
            left,
            top: 100,
            width,
            height: 40,
            conf: 80.0,
            line,
        };
        let page = Recognised {
            lines: vec![LineBox {
                top: 95,
                height: 50,
            }],
            words: vec![
                word("O", 50, 45, 0),
                word("Module", 110, 150, 0),
                word("1", 270, 20, 0),
                // A box glued to its label: "®Préfecture".
                word("®Préfecture", 400, 300, 0),
            ],
        };
        let boxes = [
            CheckBox {
                x0: 50,
                y0: 100,
                x1: 96,
                y1: 146,
                checked: false,
                ink: 0.0,
            },
            CheckBox {
                x0: 400,
                y0: 100,
                x1: 446,
                y1: 146,
                checked: true,
                ink: 0.3,
            },
        ];
        let marked = mark(page, &boxes);
        let texts: Vec<&str> = marked.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["☐", "Module", "1", "☒", "Préfecture"]);
        assert!(marked.words.iter().all(|w| w.line == 0));
        let pref = &marked.words[4];
        assert_eq!(pref.left, 447);
    }

    #[test]
    fn box_sides_are_no_rules() {
        let b = CheckBox {
            x0: 50,
            y0: 100,
            x1: 96,
            y1: 146,
            checked: false,
            ink: 0.0,
        };
        let side = PixelRule {
            x0: 50,
            y0: 100,
            x1: 52,
            y1: 146,
        };
        let rule = PixelRule {
            x0: 50,
            y0: 100,
            x1: 52,
            y1: 400,
        };
        assert!(is_side(&[b], &side));
        assert!(!is_side(&[b], &rule));
    }
}
