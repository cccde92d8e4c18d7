//! Which way up a page is, from the shape of its text lines, before any OCR run.
//!
//! In Latin script (French more so, with its accents) more ink rises above a line's
//! x-height band (capitals, ascenders b d f h k l t, accents) than hangs below its
//! baseline (descenders g j p q y, commas). A page scanned upside down has it the
//! other way round. The page's rules (long runs of ink, either way) and isolated specks
//! are left out; the page is cut into vertical strips (cells of a table have their own
//! baselines), each strip's text lines found as runs of inked rows, and in each line
//! the ink above its densest rows is weighed against the ink below them.
//!
//! The result ranges from −1 (all the off-band ink below: upside down) to 1; a few
//! lines of text suffice for a clear sign (measured on the scanned fixtures: 0.1–0.45
//! upright, the same negated upside down). It decides which way the first Tesseract
//! run reads the page, so that a sheet scanned upside down costs one run, not two.

use super::image::Grey;

/// Under this grey level a pixel is ink.
const DARK: u8 = 128;

/// The page's orientation signal: `(score, lines)`, score in −1..=1 (positive:
/// upright), `lines` the number of text lines it was measured on. `dpi`: the image's
/// resolution.
pub fn upright_score(img: &Grey, dpi: u32) -> (f32, usize) {
    let (w, h) = (img.width, img.height);
    if w < 8 || h < 8 {
        return (0.0, 0);
    }
    let dpi = dpi.clamp(50, 1200) as usize;
    let long = (dpi / 4).max(8);
    // Ink as 0/1 bytes, scanned a word of eight at a time where the paper is blank.
    let mut ink: Vec<u8> = img.pixels.iter().map(|&p| u8::from(p < DARK)).collect();
    // Rules out: horizontal runs of `long` pixels or more…
    for row in ink.chunks_exact_mut(w) {
        let mut x = 0;
        while x < w {
            if x + 8 <= w && row[x..x + 8] == [0; 8] {
                x += 8;
                continue;
            }
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && row[x] != 0 {
                x += 1;
            }
            if x - start >= long {
                row[start..x].fill(0);
            }
        }
    }
    // …and vertical ones (run lengths kept per column while going down the rows; a
    // row that ends no long run costs one pass without branches).
    let mut run = vec![0u32; w];
    let long32 = long as u32;
    for y in 0..=h {
        let (above, rest) = ink.split_at_mut(y * w);
        let row: &[u8] = if y < h { &rest[..w] } else { &[] };
        let ends = |x: usize| row.get(x).copied().unwrap_or(0) == 0 && run[x] >= long32;
        if y == h || run.iter().zip(row).any(|(&r, &i)| i == 0 && r >= long32) {
            for x in (0..w).filter(|&x| ends(x)) {
                for yy in y - run[x] as usize..y {
                    above[yy * w + x] = 0;
                }
            }
        }
        if y < h {
            for (r, &i) in run.iter_mut().zip(row) {
                *r = if i != 0 { *r + 1 } else { 0 };
            }
        }
    }
    let strips = 4usize.min(w / 8).max(1);
    // Strip `k` holds the columns `x` with `x * strips / w == k`.
    let bounds: Vec<usize> = (0..=strips).map(|k| (k * w).div_ceil(strips)).collect();
    let mut profiles = vec![vec![0u32; h]; strips];
    for (y, row) in ink.chunks_exact(w).enumerate() {
        for (k, profile) in profiles.iter_mut().enumerate() {
            // A pixel counts with an inked neighbour on its row: lone specks do not.
            let (a, b) = (bounds[k], bounds[k + 1]);
            let at = |x: usize| {
                u32::from(row[x] & (x > 0 && row[x - 1] != 0 || x + 1 < w && row[x + 1] != 0) as u8)
            };
            let mut n = 0u32;
            if b > a {
                // Inner columns with both neighbours on the row, without branches.
                let (lo, hi) = (a.max(1), b.min(w - 1));
                if lo < hi {
                    n += row[lo..hi]
                        .iter()
                        .zip(&row[lo - 1..hi - 1])
                        .zip(&row[lo + 1..hi + 1])
                        .map(|((&c, &l), &r)| u32::from(c & (l | r)))
                        .sum::<u32>();
                }
                n += (a..lo.min(b)).map(at).sum::<u32>();
                n += (hi.max(a)..b).filter(|&x| x >= lo).map(at).sum::<u32>();
            }
            profile[y] = n;
        }
    }
    signal_of(&profiles, h, dpi)
}

/// The signal from ink profiles down vertical strips of the page (`h` rows, `dpi`):
/// in each text line (a run of inked rows of plausible height), the ink above its
/// dense band (ascenders, capitals) against the ink below it (descenders).
fn signal_of(profiles: &[Vec<u32>], h: usize, dpi: usize) -> (f32, usize) {
    let (min_line, max_line) = ((dpi / 30).max(3), dpi / 2);
    let (mut above, mut below, mut lines) = (0u64, 0u64, 0usize);
    for profile in profiles {
        let mut y = 0;
        while y < h {
            if profile[y] <= 1 {
                y += 1;
                continue;
            }
            let start = y;
            while y < h && profile[y] > 1 {
                y += 1;
            }
            let line = &profile[start..y];
            if line.len() < min_line || line.len() > max_line {
                continue;
            }
            let max = line.iter().copied().max().unwrap_or(0);
            let dense = |c: &u32| 2 * c >= max;
            let (Some(first), Some(last)) =
                (line.iter().position(dense), line.iter().rposition(dense))
            else {
                continue;
            };
            above += line[..first].iter().map(|&c| u64::from(c)).sum::<u64>();
            below += line[last + 1..].iter().map(|&c| u64::from(c)).sum::<u64>();
            lines += 1;
        }
    }
    let total = above + below;
    if total == 0 {
        return (0.0, lines);
    }
    ((above as f64 - below as f64) as f32 / total as f32, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of "lines" of x-height blocks with ascender strokes above them and
    /// fewer descender strokes below, framed by a ruled box.
    fn page(w: usize, h: usize) -> Grey {
        let mut img = Grey {
            width: w,
            height: h,
            pixels: vec![255; w * h],
        };
        let mut dark = |x: usize, y: usize| img.pixels[y * w + x] = 0;
        for k in 0..12 {
            let base = 40 + 30 * k;
            for word in 0..10 {
                let x0 = 20 + word * 36;
                for x in x0..x0 + 24 {
                    for y in base - 8..base {
                        dark(x, y);
                    }
                }
                // Two ascenders, one descender per word.
                for y in base - 16..base - 8 {
                    dark(x0 + 2, y);
                    dark(x0 + 3, y);
                    dark(x0 + 14, y);
                    dark(x0 + 15, y);
                }
                for y in base..base + 5 {
                    dark(x0 + 20, y);
                    dark(x0 + 21, y);
                }
            }
        }
        for x in 5..w - 5 {
            dark(x, 5);
            dark(x, h - 5);
        }
        for y in 5..h - 5 {
            dark(5, y);
            dark(w - 5, y);
        }
        img
    }

    #[test]
    fn ascenders_above_say_upright_and_turned_says_the_opposite() {
        let img = page(400, 420);
        let (up, lines) = upright_score(&img, 100);
        assert!(lines >= 12, "{lines}");
        assert!(up > 0.2, "{up}");
        let (down, _) = upright_score(&img.rotate_180(), 100);
        assert!(down < -0.2, "{down}");
    }

    #[test]
    fn a_blank_page_says_nothing() {
        let img = Grey {
            width: 100,
            height: 100,
            pixels: vec![255; 10_000],
        };
        assert_eq!(upright_score(&img, 100), (0.0, 0));
    }

    /// The orientation signal's profiles as they were built (bool map, one column and
    /// one pixel at a time), scored by the same [`signal_of`]: the fast profiles must
    /// give exactly the same signal.
    fn upright_score_reference(img: &Grey, dpi: u32) -> (f32, usize) {
        let (w, h) = (img.width, img.height);
        if w < 8 || h < 8 {
            return (0.0, 0);
        }
        let dpi = dpi.clamp(50, 1200) as usize;
        let long = (dpi / 4).max(8);
        let mut ink: Vec<bool> = img.pixels.iter().map(|&p| p < DARK).collect();
        // Rules out: horizontal runs of `long` pixels or more…
        for y in 0..h {
            let row = &mut ink[y * w..(y + 1) * w];
            let mut x = 0;
            while x < w {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < w && row[x] {
                    x += 1;
                }
                if x - start >= long {
                    row[start..x].iter_mut().for_each(|p| *p = false);
                }
            }
        }
        // …and vertical ones (run lengths kept per column while going down the rows).
        let mut run = vec![0usize; w];
        for y in 0..=h {
            for x in 0..w {
                if y < h && ink[y * w + x] {
                    run[x] += 1;
                    continue;
                }
                if run[x] >= long {
                    for yy in y - run[x]..y {
                        ink[yy * w + x] = false;
                    }
                }
                run[x] = 0;
            }
        }
        let strips = 4usize.min(w / 8).max(1);
        let mut profiles = vec![vec![0u32; h]; strips];
        for y in 0..h {
            let row = &ink[y * w..(y + 1) * w];
            for x in 0..w {
                // A pixel counts with an inked neighbour on its row: lone specks do not.
                let neighbour = (x > 0 && row[x - 1]) || (x + 1 < w && row[x + 1]);
                if row[x] && neighbour {
                    profiles[x * strips / w][y] += 1;
                }
            }
        }
        signal_of(&profiles, h, dpi)
    }

    #[test]
    fn fast_signal_is_the_plain_signal() {
        let mut img = page(403, 420);
        let mut seed = 777u32;
        for p in img.pixels.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            if seed.is_multiple_of(40) {
                *p = 255 - *p;
            }
        }
        for dpi in [100u32, 150, 300] {
            for im in [img.clone(), img.rotate_180(), page(400, 420)] {
                assert_eq!(upright_score(&im, dpi), upright_score_reference(&im, dpi));
            }
        }
    }
}
