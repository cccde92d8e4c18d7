//! Shaded regions of a page image (a form's grey label cells, a grey header row),
//! lifted to paper white before Tesseract reads the page.
//!
//! Tesseract binarises a shaded cell's scanner noise into specks that join its letters
//! to the cell's rules ("RÉERENNEE" for "REFERENTIEL"); whitening the whole page mends
//! those cells but changes how everything else reads. So only the regions whose
//! background is shaded are changed, found by the image's structure, never by words:
//!
//! * the page is cut into blocks of [`BLOCK_MM`]; one pass over the pixels counts,
//!   per block, its background pixels (not ink: [`KNEE`] or lighter), their sum and
//!   sum of squares, and how many of them are paper-like (within [`PAPER_BAND`] of the
//!   paper's level, the most common light level);
//! * a block is *shaded* when it is mostly background, its background clearly darker
//!   than paper ([`MIN_DEPTH`]) but much lighter than ink ([`MIN_SHADE`]), and hardly
//!   any of it paper-like (text on paper always leaves paper between its letters);
//! * shaded blocks joined side by side make a region, kept when it is large (a cell
//!   or a row: [`MIN_WIDTH_MM`] by [`MIN_HEIGHT_MM`]) and of one grey (its blocks'
//!   levels spread little, [`MAX_SPREAD`]): photos and textures are no shading;
//! * the region, with the blocks around it (the letters inside it, its edges along
//!   the rules), is mapped level by level: its background and lighter to 255, a
//!   linear ramp between [`KNEE`] and the background's noise floor, ink under
//!   [`KNEE`] left as it is.
//!
//! Ink is never changed: the ink map every other reader uses (rules, check boxes,
//! line shapes: levels under [`DARK`]) is the same before and after, so the ruled
//! grid found from the whitened image is the grid of the original. A page with no
//! shaded region is left untouched, byte for byte.

use super::image::{mm_to_px, Grey, DARK};

/// Side of the blocks the page is cut into, in millimetres.
const BLOCK_MM: f32 = 1.25;
/// Levels under this are ink or its edges: never changed, never background.
const KNEE: u8 = DARK + 32;
/// Shading is at least this many levels darker than paper.
const MIN_DEPTH: u32 = 12;
/// Shading is lighter than this. Darker greys (a header row's 25 % grey, a photo, a
/// fill) are left: Tesseract reads them as they are, and lifting them to white moves
/// its page-wide threshold enough to change how other lines read (measured on the
/// Vaucluse scans: a note away from any shading lost with 176).
const MIN_SHADE: u32 = 200;
/// A block is background when at least this share (%) of its pixels are.
const BACKGROUND_SHARE: u32 = 50;
/// At most this share (%) of a shaded block's background is paper-like.
const PAPER_SHARE: u32 = 15;
/// Paper-like: at most this many levels under the paper's level.
const PAPER_BAND: u8 = 8;
/// A region is at least this wide…
const MIN_WIDTH_MM: f32 = 10.0;
/// …and this tall (a table row of small print).
const MIN_HEIGHT_MM: f32 = 2.5;
/// Standard deviation (levels) of its blocks' background levels over which a region
/// is no uniform shading.
const MAX_SPREAD: f32 = 8.0;

/// A shaded region: the box of its shaded blocks, in pixels (`x1`, `y1` excluded),
/// its background level and the level from which it is made white.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
    pub level: u8,
    pub white: u8,
    /// The boxes changed (the region's blocks and those around it), in pixels
    /// (`x0, y0, x1, y1`, ends excluded); no two regions share one.
    blocks: Vec<(usize, usize, usize, usize)>,
    /// Paper boxes beside it, with the side the region is on (0 left: the box is
    /// right of the region, 1 right, 2 above, 3 below): whitened from that side up to
    /// their first ink pixel.
    edges: Vec<((usize, usize, usize, usize), usize)>,
}

/// The four neighbours of block `b`: right of it, left, below, above (in that order
/// `b` is on their left, right, upper, lower side: [`Region::edges`]' sides).
fn neighbours(b: usize, cols: usize, rows: usize) -> [Option<usize>; 4] {
    let (bx, by) = (b % cols, b / cols);
    [
        (bx + 1 < cols).then(|| b + 1),
        (bx > 0).then(|| b - 1),
        (by + 1 < rows).then(|| b + cols),
        (by > 0).then(|| b - cols),
    ]
}

/// One block's counts.
#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    pixels: u32,
    background: u32,
    sum: u32,
    sum2: u64,
    paper: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Mostly ink, or background darker than shading with no paper in it (letters
    /// and their edges, fills, photos): may lie inside a region.
    Ink,
    /// Background of the paper's level (or not shading).
    Paper,
    Shaded,
}

/// The levels of every fourth row: how many pixels have each.
fn histogram(img: &Grey) -> [u32; 256] {
    let mut histogram = [0u32; 256];
    for row in img.pixels.chunks_exact(img.width.max(1)).step_by(4) {
        for &p in row {
            histogram[usize::from(p)] += 1;
        }
    }
    histogram
}

/// The shaded regions of `img` (at `dpi`).
pub fn find(img: &Grey, dpi: u32) -> Vec<Region> {
    let (w, h) = (img.width, img.height);
    if w == 0 || h == 0 || img.pixels.len() != w * h {
        return Vec::new();
    }
    // The paper: the most common light level.
    let histogram = histogram(img);
    let paper = (usize::from(DARK)..256)
        .max_by_key(|&v| (histogram[v], v))
        .unwrap_or(255) as u8;
    if u32::from(paper) < MIN_SHADE + MIN_DEPTH {
        return Vec::new();
    }
    let paper_cut = paper.saturating_sub(PAPER_BAND);
    // Too few pixels of shading's levels for one region (a black and white page):
    // nothing more to look at.
    let min_w = mm_to_px(MIN_WIDTH_MM, dpi);
    let min_h = mm_to_px(MIN_HEIGHT_MM, dpi);
    let shades: u32 = histogram[MIN_SHADE as usize..usize::from(paper_cut)]
        .iter()
        .sum();
    if (shades as f32) < min_w * min_h / 4.0 / 2.0 {
        return Vec::new();
    }
    let size = mm_to_px(BLOCK_MM, dpi).round().max(4.0) as usize;
    let (cols, rows) = (w.div_ceil(size), h.div_ceil(size));
    let mut stats = vec![Stat::default(); cols * rows];
    // Every other row, summed per column over a row of blocks (a loop over whole
    // rows, which the compiler vectorises), then per block.
    let mut background = vec![0u32; w];
    let mut sum = vec![0u32; w];
    let mut sum2 = vec![0u32; w];
    let mut light = vec![0u32; w];
    for by in 0..rows {
        background.fill(0);
        sum.fill(0);
        sum2.fill(0);
        light.fill(0);
        let (y0, y1) = (by * size, ((by + 1) * size).min(h));
        let mut counted = 0u32;
        for row in img.pixels[y0 * w..y1 * w].chunks_exact(w).step_by(2) {
            counted += 1;
            for ((((&p, n), s), s2), l) in row
                .iter()
                .zip(&mut background)
                .zip(&mut sum)
                .zip(&mut sum2)
                .zip(&mut light)
            {
                let bg = u32::from(p >= KNEE);
                let v = u32::from(p) * bg;
                *n += bg;
                *s += v;
                *s2 += v * v;
                *l += u32::from(p >= paper_cut);
            }
        }
        let line = &mut stats[by * cols..(by + 1) * cols];
        for (bx, st) in line.iter_mut().enumerate() {
            let xs = bx * size..((bx + 1) * size).min(w);
            st.pixels = counted * xs.len() as u32;
            st.background = background[xs.clone()].iter().sum();
            st.sum = sum[xs.clone()].iter().sum();
            st.sum2 = sum2[xs.clone()].iter().map(|&v| u64::from(v)).sum();
            st.paper = light[xs].iter().sum();
        }
    }
    let kinds: Vec<Kind> = stats
        .iter()
        .map(|s| {
            if s.background * 100 < s.pixels * BACKGROUND_SHARE || s.background == 0 {
                return Kind::Ink;
            }
            let mean = s.sum / s.background;
            if s.paper * 100 > s.background * PAPER_SHARE {
                Kind::Paper
            } else if mean + MIN_DEPTH <= u32::from(paper) && mean >= MIN_SHADE {
                Kind::Shaded
            } else {
                // Letters' edges darken it under shading (or a dark fill).
                Kind::Ink
            }
        })
        .collect();
    if !kinds.contains(&Kind::Shaded) {
        return Vec::new();
    }
    let mut seen = vec![false; kinds.len()];
    // Blocks given to a region (whitened once, by one region's levels).
    let mut taken = vec![false; kinds.len()];
    let mut out = Vec::new();
    for start in 0..kinds.len() {
        if kinds[start] != Kind::Shaded || seen[start] {
            continue;
        }
        // The shaded blocks joined to `start` side by side.
        seen[start] = true;
        let mut part = vec![start];
        let mut i = 0;
        while i < part.len() {
            let b = part[i];
            i += 1;
            let (bx, by) = (b % cols, b / cols);
            let mut visit = |n: usize| {
                if kinds[n] == Kind::Shaded && !seen[n] {
                    seen[n] = true;
                    part.push(n);
                }
            };
            if bx > 0 {
                visit(b - 1);
            }
            if bx + 1 < cols {
                visit(b + 1);
            }
            if by > 0 {
                visit(b - cols);
            }
            if by + 1 < rows {
                visit(b + cols);
            }
        }
        let (bx0, bx1) = part
            .iter()
            .map(|b| b % cols)
            .fold((cols, 0), |(a, z), x| (a.min(x), z.max(x)));
        let (by0, by1) = part
            .iter()
            .map(|b| b / cols)
            .fold((rows, 0), |(a, z), y| (a.min(y), z.max(y)));
        let (x0, y0) = (bx0 * size, by0 * size);
        let (x1, y1) = (((bx1 + 1) * size).min(w), ((by1 + 1) * size).min(h));
        if ((x1 - x0) as f32) < min_w || ((y1 - y0) as f32) < min_h {
            continue;
        }
        // One grey: the blocks' levels spread little.
        let means: Vec<f32> = part
            .iter()
            .map(|&b| stats[b].sum as f32 / stats[b].background as f32)
            .collect();
        let avg = means.iter().sum::<f32>() / means.len() as f32;
        let spread =
            (means.iter().map(|m| (m - avg).powi(2)).sum::<f32>() / means.len() as f32).sqrt();
        if spread > MAX_SPREAD {
            continue;
        }
        // The background's level and noise, over all its pixels.
        let (n, sum, sum2) = part.iter().fold((0u64, 0u64, 0u64), |(n, s, s2), &b| {
            let st = stats[b];
            (
                n + u64::from(st.background),
                s + u64::from(st.sum),
                s2 + st.sum2,
            )
        });
        let level = sum as f64 / n as f64;
        let sd = (sum2 as f64 / n as f64 - level * level).max(0.0).sqrt();
        let white = (level - (3.0 * sd).max(10.0))
            .round()
            .clamp(f64::from(KNEE) + 16.0, 254.0) as u8;
        // The region's letters: blocks that are not paper (ink, or background darker
        // than shading: letters' edges) reached from its shaded blocks in two steps.
        let mut blocks = part.clone();
        for &b in &part {
            taken[b] = true;
        }
        let mut from = 0;
        for _ in 0..2 {
            let end = blocks.len();
            for i in from..end {
                for n in neighbours(blocks[i], cols, rows).into_iter().flatten() {
                    if !taken[n] && kinds[n] != Kind::Paper {
                        taken[n] = true;
                        blocks.push(n);
                    }
                }
            }
            from = end;
        }
        // Its edges: paper blocks beside it, whitened from its side up to the first
        // ink (the rule that bounds the cell, or a letter beyond it).
        let mut edges = Vec::new();
        for &b in &blocks {
            for (side, n) in neighbours(b, cols, rows).into_iter().enumerate() {
                if let Some(n) = n.filter(|&n| !taken[n] && kinds[n] == Kind::Paper) {
                    taken[n] = true;
                    edges.push((n, side));
                }
            }
        }
        blocks.sort_unstable();
        edges.sort_unstable();
        let to_box = |b: usize| {
            let (bx, by) = (b % cols, b / cols);
            let (x0, y0) = (bx * size, by * size);
            (x0, y0, (x0 + size).min(w), (y0 + size).min(h))
        };
        out.push(Region {
            x0,
            y0,
            x1,
            y1,
            level: level.round() as u8,
            white,
            blocks: blocks.into_iter().map(to_box).collect(),
            edges: edges
                .into_iter()
                .map(|(b, side)| (to_box(b), side))
                .collect(),
        });
    }
    out
}

/// Whitens the shaded regions of `img` (see the module): returns how many there were
/// (0: the image is unchanged).
pub fn whiten(img: &mut Grey, dpi: u32) -> usize {
    let regions = find(img, dpi);
    let w = img.width;
    for r in &regions {
        let (knee, white) = (u32::from(KNEE), u32::from(r.white));
        let lut: Vec<u8> = (0..256u32)
            .map(|v| match v {
                v if v < knee => v as u8,
                v if v >= white => 255,
                v => (knee + (v - knee) * (255 - knee) / (white - knee)) as u8,
            })
            .collect();
        for &(x0, y0, x1, y1) in &r.blocks {
            for row in img.pixels[y0 * w..y1 * w].chunks_exact_mut(w) {
                for p in &mut row[x0..x1] {
                    *p = lut[usize::from(*p)];
                }
            }
        }
        // Edges: each row (column) from half a block inside the region up to its
        // first ink (a rule there: the edge block lies beyond the cell, left as it is).
        let h = img.height;
        for &((x0, y0, x1, y1), side) in &r.edges {
            let reach = (x1 - x0).max(y1 - y0) / 2;
            let pixels = &mut img.pixels;
            let mut walk = |line: &mut dyn Iterator<Item = (usize, bool)>| {
                for (i, edge) in line {
                    if pixels[i] < DARK {
                        break;
                    }
                    if edge {
                        pixels[i] = lut[usize::from(pixels[i])];
                    }
                }
            };
            match side {
                0 => (y0..y1).for_each(|y| {
                    let inside = (x0.saturating_sub(reach)..x0).map(|x| (y * w + x, false));
                    walk(&mut inside.chain((x0..x1).map(|x| (y * w + x, true))));
                }),
                1 => (y0..y1).for_each(|y| {
                    let inside = (x1..(x1 + reach).min(w)).rev().map(|x| (y * w + x, false));
                    walk(&mut inside.chain((x0..x1).rev().map(|x| (y * w + x, true))));
                }),
                2 => (x0..x1).for_each(|x| {
                    let inside = (y0.saturating_sub(reach)..y0).map(|y| (y * w + x, false));
                    walk(&mut inside.chain((y0..y1).map(|y| (y * w + x, true))));
                }),
                _ => (x0..x1).for_each(|x| {
                    let inside = (y1..(y1 + reach).min(h)).rev().map(|y| (y * w + x, false));
                    walk(&mut inside.chain((y0..y1).rev().map(|y| (y * w + x, true))));
                }),
            }
        }
    }
    regions.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::ocr::image::find_rules_at;

    const DPI: u32 = 200;

    /// A page of `w` × `h` at `level`, with deterministic noise of ±`noise` levels and
    /// about 2 ‰ of dark specks (a scan's).
    fn page(w: usize, h: usize, level: u8, noise: u32) -> Grey {
        let mut img = Grey {
            width: w,
            height: h,
            pixels: vec![level; w * h],
        };
        add_noise(&mut img, 0, 0, w, h, noise);
        img
    }

    fn add_noise(img: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize, noise: u32) {
        let mut s = 0x2545_f491_u32 ^ (x0 as u32 * 31 + y0 as u32);
        for y in y0..y1 {
            for x in x0..x1 {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                let p = &mut img.pixels[y * img.width + x];
                let v = i64::from(*p) + i64::from(s % (2 * noise + 1)) - i64::from(noise);
                *p = if s % 1000 < 2 {
                    90
                } else {
                    v.clamp(0, 255) as u8
                };
            }
        }
    }

    fn fill(img: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize, level: u8) {
        for y in y0..y1 {
            img.pixels[y * img.width + x0..y * img.width + x1].fill(level);
        }
    }

    /// A box of 3-pixel black rules.
    fn frame(img: &mut Grey, x0: usize, y0: usize, x1: usize, y1: usize) {
        fill(img, x0, y0, x1, y0 + 3, 10);
        fill(img, x0, y1 - 3, x1, y1, 10);
        fill(img, x0, y0, x0 + 3, y1, 10);
        fill(img, x1 - 3, y0, x1, y1, 10);
    }

    /// A line of "letters" (strokes 3 pixels wide, 22 tall, with grey edges) from
    /// `x0` to `x1`, top at `y`.
    fn letters(img: &mut Grey, x0: usize, x1: usize, y: usize) {
        for x in (x0..x1).step_by(11) {
            fill(img, x, y, x + 3, y + 22, 15);
            fill(img, x + 3, y, x + 4, y + 22, 150);
            fill(img, x + 4, y + 8, x + 8, y + 11, 15);
        }
    }

    /// Two cells side by side, the left one shaded (`shade`), both with a line of
    /// letters.
    fn form(shade: u8, noise: u32) -> Grey {
        let mut img = page(900, 400, 250, noise);
        fill(&mut img, 40, 100, 400, 200, shade);
        add_noise(&mut img, 40, 100, 400, 200, noise);
        frame(&mut img, 40, 100, 400, 200);
        frame(&mut img, 397, 100, 860, 200);
        letters(&mut img, 60, 300, 140);
        letters(&mut img, 430, 800, 140);
        img
    }

    #[test]
    fn a_grey_cell_with_black_text_becomes_white_with_black_text() {
        let before = form(226, 8);
        let mut img = before.clone();
        assert_eq!(whiten(&mut img, DPI), 1);
        let w = img.width;
        // Inside the cell (within its rules): the background is white, the ink is
        // the same.
        let mut grey_left = 0;
        for y in 104..196 {
            for x in 44..396 {
                let (a, b) = (before.pixels[y * w + x], img.pixels[y * w + x]);
                if a < DARK {
                    assert_eq!(a, b, "ink at {x},{y}");
                } else if b < 240 && a >= 200 {
                    grey_left += 1;
                }
            }
        }
        assert!(grey_left < 20, "{grey_left} grey pixels left in the cell");
        // Nothing beyond the cell's rules changes.
        for y in 0..img.height {
            for x in 0..w {
                let inside = (43..397).contains(&x) && (103..197).contains(&y);
                if !inside {
                    assert_eq!(before.pixels[y * w + x], img.pixels[y * w + x], "{x},{y}");
                }
            }
        }
        // The grid is the same.
        assert_eq!(find_rules_at(&before, DPI), find_rules_at(&img, DPI));
    }

    #[test]
    fn shading_is_found_through_heavy_noise_and_at_300_dpi() {
        let mut img = form(215, 14);
        let regions = find(&img, DPI);
        assert_eq!(regions.len(), 1, "{regions:?}");
        let r = &regions[0];
        assert!(
            r.x0 <= 50 && r.x1 >= 390 && r.y0 <= 110 && r.y1 >= 190,
            "{r:?}"
        );
        assert!((205..=225).contains(&r.level), "{r:?}");
        // The same cell at 300 dpi (scaled up).
        let big = img.resize(img.width * 3 / 2, img.height * 3 / 2);
        assert_eq!(find(&big, 300).len(), 1);
        assert_eq!(whiten(&mut img, DPI), 1);
    }

    #[test]
    fn a_grey_rectangle_without_rules_is_whitened_to_its_edges() {
        let mut img = page(700, 300, 250, 6);
        fill(&mut img, 53, 67, 611, 161, 222);
        add_noise(&mut img, 53, 67, 611, 161, 6);
        letters(&mut img, 80, 560, 100);
        assert_eq!(whiten(&mut img, DPI), 1);
        let w = img.width;
        let grey = (67..161)
            .flat_map(|y| (53..611).map(move |x| (x, y)))
            .filter(|&(x, y)| (200..240).contains(&img.pixels[y * w + x]))
            .count();
        // What is left: its corners' few pixels in blocks diagonal to it (0.2 %).
        assert!(grey < 105, "{grey} grey pixels left");
    }

    #[test]
    fn a_page_with_no_shading_is_unchanged() {
        let before = form(250, 8);
        let mut img = before.clone();
        assert_eq!(whiten(&mut img, DPI), 0);
        assert_eq!(img.pixels, before.pixels);
        // Black and white.
        let mut bw = form(255, 0);
        bw.pixels
            .iter_mut()
            .for_each(|p| *p = if *p < DARK { 0 } else { 255 });
        let copy = bw.clone();
        assert_eq!(whiten(&mut bw, DPI), 0);
        assert_eq!(bw.pixels, copy.pixels);
    }

    #[test]
    fn dark_fills_photos_ink_and_small_patches_are_not_shading() {
        let mut img = page(900, 700, 250, 6);
        // A black area, a dark grey one, a "photo" (levels all over), large.
        fill(&mut img, 40, 40, 300, 300, 20);
        add_noise(&mut img, 40, 40, 300, 300, 6);
        fill(&mut img, 320, 40, 600, 300, 120);
        add_noise(&mut img, 320, 40, 600, 300, 10);
        for y in 320..650 {
            for x in 40..600 {
                let v = 100 + ((x * 7 + y * 13) % 140) as u8;
                img.pixels[y * 900 + x] = v;
            }
        }
        // Dense text on paper, and a light grey patch smaller than a cell (3 × 2 mm).
        for y in (40..600).step_by(30) {
            letters(&mut img, 620, 880, y);
        }
        fill(&mut img, 620, 640, 644, 656, 225);
        let before = img.clone();
        assert!(find(&img, DPI).is_empty(), "{:?}", find(&img, DPI));
        assert_eq!(whiten(&mut img, DPI), 0);
        assert_eq!(img.pixels, before.pixels);
    }

    #[test]
    fn empty_and_odd_images_are_no_trouble() {
        let mut empty = Grey {
            width: 0,
            height: 0,
            pixels: Vec::new(),
        };
        assert_eq!(whiten(&mut empty, DPI), 0);
        let mut thin = page(3, 1000, 230, 2);
        assert_eq!(whiten(&mut thin, DPI), 0);
    }
}
