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
    if std::env::var_os("SHADING_MAP").is_some() {
        for r in kinds.chunks(cols) {
            let line: String = r.iter().map(|k| match k { Kind::Ink => '#', Kind::Paper => '.', Kind::Shaded => 's' }).collect();
            eprintln!("{line}");
        }
    }
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
        let (bx0, bx1) = part.iter().map(|b| b % cols).fold((cols, 0), |(a, z), x| {
            (a.min(x), z.max(x))
        });
        let (by0, by1) = part.iter().map(|b| b / cols).fold((rows, 0), |(a, z), y| {
            (a.min(y), z.max(y))
        });
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
            edges: edges.into_iter().map(|(b, side)| (to_box(b), side)).collect(),
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
        // Edges: from the region's side, each row (column) up to its first ink.
        for &((x0, y0, x1, y1), side) in &r.edges {
            let mut lift = |i: usize| {
                let p = &mut img.pixels[i];
                if *p < DARK {
                    return false;
                }
                *p = lut[usize::from(*p)];
                true
            };
            match side {
                0 => (y0..y1).for_each(|y| {
                    let _ = (x0..x1).all(|x| lift(y * w + x));
                }),
                1 => (y0..y1).for_each(|y| {
                    let _ = (x0..x1).rev().all(|x| lift(y * w + x));
                }),
                2 => (x0..x1).for_each(|x| {
                    let _ = (y0..y1).all(|y| lift(y * w + x));
                }),
                _ => (x0..x1).for_each(|x| {
                    let _ = (y0..y1).rev().all(|y| lift(y * w + x));
                }),
            }
        }
    }
    if std::env::var_os("SHADING_DEBUG").is_some() {
        for r in &regions {
            eprintln!("region {} {} {} {} level {} white {} blocks {}", r.x0, r.y0, r.x1, r.y1, r.level, r.white, r.blocks.len());
        }
        let _ = img.write_pgm(std::path::Path::new(&format!("/tmp/shading/wh-{}.pgm", regions.first().map_or(0, |r| r.y0 * 10000 + r.y1))));
    }
    regions.len()
}
