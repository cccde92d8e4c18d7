//! A ruleless grid found by its structure, when no template heading names its heading
//! row (a borderless Word table or a spreadsheet export under reworded headings).
//!
//! Evidence, all of it position and form (no word of any template or document):
//! 1. **A heading row**: a block of lines on nearby baselines (a wrapped cell may sit
//!    above and below its neighbours) whose pieces, parted by wide gaps, are short (at
//!    most five words, no digit, no code, no " : ") and fall into three to five
//!    separate cells, one line at least holding two of them.
//! 2. **Columns below it**: cut at the emptiest vertical strip between neighbouring
//!    heading cells (as [`super::layout`] does for a heading the templates name), the
//!    lines below seldom run across a cut, and in every column the pieces start again
//!    at one x (left-aligned text) or centre again on one x (centred cells): recurring
//!    column starts.
//! 3. **A column of codes**: one column whose pieces are mostly code-shaped (one to
//!    three capitals, maybe a short second word: "C", "NA", "NC min") and repeat.
//!
//! The caller says the columns were guessed (a diagnostic), since the heading's words
//! named nothing.

use super::content::Glyph;
use super::layout::{gutter, line_groups, words};

/// A grid found by structure: column boundaries, each column's left edge (where its
/// text starts again, or its heading's left when centred),
/// the heading's top baseline, which columns are centred, the heading cells' text.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub bounds: Vec<f32>,
    pub lefts: Vec<f32>,
    pub header_y: f32,
    pub centred: Vec<bool>,
    pub cells: Vec<String>,
    /// The column of codes.
    pub codes: usize,
}

/// How many heading blocks a page may have checked against its lines (each check
/// reads the whole page; a page of many short lines stays linear).
const MAX_CHECKED: usize = 16;

/// A piece of a line: its text and x extent.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    x0: f32,
    x1: f32,
    y: f32,
}

/// A line cut at gaps wider than `gap` font sizes (baseline, font size, pieces).
fn pieces(line: &[Glyph], gap: f32) -> (f32, f32, Vec<Piece>) {
    let inked: Vec<&Glyph> = line.iter().filter(|g| g.ch != ' ').collect();
    let size = inked.iter().map(|g| g.size).fold(1.0f32, f32::max);
    let y = inked.first().map_or(0.0, |g| g.y);
    let mut out: Vec<Piece> = Vec::new();
    let mut from = 0;
    for k in 1..=inked.len() {
        let cut = k == inked.len() || {
            let (p, g) = (inked[k - 1], inked[k]);
            g.x - (p.x + p.w) > gap * g.size.max(p.size).max(1.0)
        };
        if cut && from < k {
            let part: Vec<Glyph> = line
                .iter()
                .filter(|g| g.x >= inked[from].x && g.x <= inked[k - 1].x)
                .copied()
                .collect();
            if let Some(w) = words(&part) {
                out.push(Piece {
                    text: w.text,
                    x0: inked[from].x,
                    x1: inked[k - 1].x + inked[k - 1].w,
                    y,
                });
            }
            from = k;
        }
    }
    (y, size, out)
}

/// The shape of a conformity code: one to three capitals (a slash allowed), maybe a
/// second word of two or three letters ("NC min"); seven characters at most.
pub(super) fn code_shaped(text: &str) -> bool {
    let parts: Vec<&str> = text.split(' ').collect();
    if parts.len() > 2 || text.chars().count() > 7 {
        return false;
    }
    let first = parts[0];
    let n = first.chars().count();
    (1..=3).contains(&n)
        && first.chars().all(|c| c.is_uppercase() || c == '/')
        && first.chars().any(char::is_alphabetic)
        && parts.get(1).is_none_or(|w| {
            (2..=3).contains(&w.chars().count()) && w.chars().all(char::is_alphabetic)
        })
}

/// A heading cell's text: short, no digit, no code, no " : ".
fn heading_like(text: &str) -> bool {
    text.split(' ').count() <= 5
        && text.chars().count() <= 40
        && text.chars().any(char::is_alphabetic)
        && !text.chars().any(|c| c.is_ascii_digit())
        && !text.contains(" : ")
        && !text.ends_with(':')
        && !code_shaped(text)
}

/// The grid of a page's text outside tables, found by structure (see the module
/// documentation), or `None`.
pub(super) fn find(glyphs: &[Glyph]) -> Option<Found> {
    if glyphs.len() < 30 {
        return None;
    }
    let mut glyphs = glyphs.to_vec();
    let groups = line_groups(&mut glyphs);
    let lines: Vec<(f32, f32, Vec<Piece>)> = groups
        .iter()
        .map(|r| pieces(&glyphs[r.clone()], 1.0))
        .collect();
    // Heading blocks checked against the lines below them: a bounded number a page.
    let mut checked = 0;
    for start in 0..lines.len() {
        if checked == MAX_CHECKED {
            break;
        }
        // The heading block: consecutive lines on nearby baselines, all heading-like.
        let mut end = start;
        while end < lines.len()
            && !lines[end].2.is_empty()
            && lines[end].2.iter().all(|p| heading_like(&p.text))
            && (end == start || lines[end - 1].0 - lines[end].0 <= 1.4 * lines[end].1)
        {
            end += 1;
        }
        if end == start || !lines[start..end].iter().any(|l| l.2.len() >= 2) {
            continue;
        }
        // Cells: the block's pieces joined where their x extents overlap.
        let mut all: Vec<&Piece> = lines[start..end].iter().flat_map(|l| &l.2).collect();
        all.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cells: Vec<(f32, f32, Vec<&Piece>)> = Vec::new();
        for p in all {
            match cells.last_mut() {
                Some(c) if p.x0 <= c.1 => {
                    c.1 = c.1.max(p.x1);
                    c.2.push(p);
                }
                _ => cells.push((p.x0, p.x1, vec![p])),
            }
        }
        if !(3..=5).contains(&cells.len()) {
            continue;
        }
        // As for a heading the templates name: the row's top baseline (the layout takes
        // the lines just under it, a wrapped cell's, as the heading row too).
        let header_y = lines[start].0;
        checked += 1;
        if let Some(found) = check(&glyphs, &groups[end..], header_y, &cells) {
            return Some(found);
        }
    }
    None
}

/// The columns under a heading block, if the lines below have the grid's structure.
fn check(
    glyphs: &[Glyph],
    below_groups: &[std::ops::Range<usize>],
    header_y: f32,
    cells: &[(f32, f32, Vec<&Piece>)],
) -> Option<Found> {
    let below: Vec<Glyph> = glyphs
        .iter()
        .copied()
        .filter(|g| g.y <= header_y + 0.5 * g.size.max(1.0))
        .collect();
    let bounds: Vec<f32> = cells
        .windows(2)
        .map(|w| gutter(&below, w[0].1, w[1].0))
        .collect();
    let ncols = cells.len();
    // Each line below cut at the bounds; lines running across a bound set aside.
    let mut crossing = 0usize;
    let mut body = 0usize;
    let mut multi = 0usize;
    let mut cols: Vec<Vec<Piece>> = vec![Vec::new(); ncols];
    for r in below_groups {
        let line: Vec<Glyph> = glyphs[r.clone()]
            .iter()
            .filter(|g| g.ch != ' ')
            .copied()
            .collect();
        if line.is_empty() {
            continue;
        }
        body += 1;
        let across = line.iter().any(|g| {
            bounds
                .iter()
                .any(|b| g.x < *b - 0.5 && g.x + g.w > *b + 0.5)
        }) || line.windows(2).any(|w| {
            bounds.iter().any(|b| {
                w[0].x + w[0].w * 0.5 < *b
                    && w[1].x + w[1].w * 0.5 >= *b
                    && w[1].x - (w[0].x + w[0].w) < 0.5 * w[1].size.max(1.0)
            })
        });
        if across {
            crossing += 1;
            continue;
        }
        let mut from = 0;
        let mut n = 0;
        for (k, col) in cols.iter_mut().enumerate() {
            let to = match bounds.get(k) {
                Some(b) => from + line[from..].partition_point(|g| g.x + g.w * 0.5 < *b),
                None => line.len(),
            };
            if to > from {
                if let Some(w) = words(&line[from..to]) {
                    col.push(Piece {
                        text: w.text,
                        x0: line[from].x,
                        x1: line[to - 1].x + line[to - 1].w,
                        y: w.y,
                    });
                    n += 1;
                }
            }
            from = to;
        }
        if n >= 2 {
            multi += 1;
        }
    }
    if body < 8 || multi < 4 || crossing * 10 > body * 4 {
        return None;
    }
    // Recurring starts (or centres) in every column: how many pieces share the most
    // shared x, and that x (the leftmost of the most shared).
    let mode = |xs: &[f32], tol: f32| -> (usize, f32) {
        xs.iter()
            .map(|x| (xs.iter().filter(|y| (*y - x).abs() <= tol).count(), *x))
            .fold((0, 0.0), |best, c| {
                if c.0 > best.0 || c.0 == best.0 && c.1 < best.1 {
                    c
                } else {
                    best
                }
            })
    };
    let mut centred = Vec::with_capacity(ncols);
    let mut lefts = Vec::with_capacity(ncols);
    for (col, cell) in cols.iter().zip(cells) {
        let starts: Vec<f32> = col.iter().map(|p| p.x0).collect();
        let mids: Vec<f32> = col.iter().map(|p| (p.x0 + p.x1) * 0.5).collect();
        let ((s, at), (m, _)) = (mode(&starts, 1.0), mode(&mids, 1.5));
        if s.max(m) < 3 || 2 * s.max(m) < col.len() {
            return None;
        }
        // Pieces of one width (all "C") centre and start alike: centred, as codes.
        centred.push(m >= s);
        // Where left-aligned text starts (the heading may be centred over it).
        lefts.push(if m >= s { cell.0 } else { at });
    }
    // A column of codes: mostly code-shaped pieces, repeated.
    let codes = cols.iter().position(|col| {
        let shaped: Vec<&str> = col
            .iter()
            .filter(|p| code_shaped(&p.text))
            .map(|p| p.text.as_str())
            .collect();
        let mut distinct = shaped.clone();
        distinct.sort_unstable();
        distinct.dedup();
        shaped.len() >= 3 && shaped.len() * 10 >= col.len() * 7 && distinct.len() < shaped.len()
    })?;
    let text = |c: &(f32, f32, Vec<&Piece>)| -> String {
        let mut ps = c.2.clone();
        ps.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
        ps.iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(Found {
        bounds,
        lefts,
        header_y,
        centred,
        cells: cells.iter().map(text).collect(),
        codes,
    })
}

#[cfg(test)]
mod tests {
    use super::code_shaped;

    #[test]
    fn codes_are_known_by_their_shape() {
        for c in ["C", "NA", "N/A", "NC min", "NC Maj", "PF", "XYZ ab"] {
            assert!(code_shaped(c), "{c}");
        }
        for t in ["Conforme", "Note", "C'est", "NC minimum", "1", "ABCD", "nc"] {
            assert!(!code_shaped(t), "{t}");
        }
    }
}
