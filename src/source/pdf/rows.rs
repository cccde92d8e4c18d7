//! Rows of a grid drawn without rules between its rows.
//!
//! Input: the lines of one page below a ruleless grid's heading, each already cut into
//! its column (or full-width when it runs across a column boundary), and the
//! horizontal rules of the page (y positions that span the grid). Output: the same
//! lines in reading order, row by row and cell by cell, with each row's band.
//!
//! Evidence, strongest first:
//! 1. **Rules.** Horizontal rules across the grid cut rows where they are.
//! 2. **Full-width lines** (module, channel, phase headers) are rows of their own and
//!    end the rows above them. A line of the first column with nothing level with it
//!    in the other columns, alone in its column or in capitals only, is such a
//!    header too.
//! 3. **Vertical alignment of the cells**, inferred per page (and carried over to pages
//!    that do not show it) from where the single code of the last column sits
//!    against the blocks of the first two columns: level with their first lines (top),
//!    with their middles (centred) or with their last lines (bottom).
//!    - top: a row starts with each block of the first column (the commitment
//!      anchor: its tag and numbered title);
//!    - bottom: a row ends with each block of the last column (spreadsheet exports
//!      whose commitment spans one sheet row per paragraph end at the code's row);
//!    - centred: each block of the first column is a row's centre; the blocks of the
//!      other columns go to the rows whose centres they are centred on (a dynamic
//!      programme over the order of blocks).
//! 4. **Whitespace**: a block is a run of lines of one column whose baselines are
//!    closer than 1.3 line pitches; rows are never cut inside a block.
//!
//! Text above the first row of a page's first section belongs to the row that a page
//! break cut (it is emitted first, so the reader appends it to that row).
//!
//! The module knows no words: which lines are anchors or codes is said by position
//! only.

use crate::source::Column;

use super::layout::TextLine;

/// How the cells of a ruleless grid sit in their rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Top,
    Middle,
    Bottom,
}

/// One row's extent on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Top and bottom, PDF user space (top > bottom).
    pub top: f32,
    pub bottom: f32,
    /// Cut by rules (`true`) or inferred from the layout (`false`).
    pub ruled: bool,
    /// A full-width row (header), not a grid row.
    pub full: bool,
    /// The row has text in its first column (a row of its own, not the rest of a row
    /// cut by a page break).
    pub anchored: bool,
}

/// Lines in reading order, with their column and the index of their band.
pub(super) struct Segmented {
    pub lines: Vec<(TextLine, Column, usize)>,
    pub bands: Vec<Band>,
}

/// A run of lines of one column (indices into that column, top to bottom).
#[derive(Debug, Clone, Copy)]
struct Block {
    first: usize,
    last: usize,
    /// First and last baselines.
    y0: f32,
    y1: f32,
}

impl Block {
    fn centre(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

fn blocks(lines: &[TextLine], pitch: f32) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match out.last_mut() {
            Some(b) if b.y1 - l.y <= 1.3 * pitch => {
                b.last = i;
                b.y1 = l.y;
            }
            _ => out.push(Block {
                first: i,
                last: i,
                y0: l.y,
                y1: l.y,
            }),
        }
    }
    out
}

/// The line pitch: the lower quartile of distances between consecutive baselines
/// within columns (blocks of two lines have as many gaps between rows as inside).
pub(super) fn pitch(cols: &[Vec<TextLine>]) -> f32 {
    let mut diffs: Vec<f32> = cols
        .iter()
        .flat_map(|c| {
            let size = c.iter().map(|l| l.size).fold(1.0, f32::max);
            c.windows(2)
                .map(|w| w[0].y - w[1].y)
                .filter(move |d| *d > 0.0 && *d < 3.0 * size)
        })
        .collect();
    diffs.sort_by(f32::total_cmp);
    diffs.get(diffs.len() / 4).copied().unwrap_or(12.0)
}

/// Votes for an alignment: blocks of the last column (codes, values) level with the
/// first lines, the middles or the last lines of the blocks beside them (pairs of
/// equal extent say nothing).
fn vote(cols: &[Vec<TextLine>], pitch: f32) -> Option<Align> {
    let ncols = cols.len();
    if ncols < 2 {
        return None;
    }
    let mut votes = [0usize; 3];
    let tol = 0.3 * pitch;
    let others: Vec<Block> = cols[..ncols - 1]
        .iter()
        .flat_map(|c| blocks(c, pitch))
        .collect();
    for a in blocks(&cols[ncols - 1], pitch) {
        for b in &others {
            let overlap = a.y1 <= b.y0 + tol && b.y1 <= a.y0 + tol;
            let same = (a.y0 - b.y0).abs() < tol && (a.y1 - b.y1).abs() < tol;
            if !overlap || same {
                continue;
            }
            if (a.y0 - b.y0).abs() < tol {
                votes[0] += 1;
            } else if (a.centre() - b.centre()).abs() < tol {
                votes[1] += 1;
            } else if (a.y1 - b.y1).abs() < tol {
                votes[2] += 1;
            }
        }
    }
    let best = (0..3).max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))?;
    let second = (0..3)
        .filter(|&i| i != best)
        .map(|i| votes[i])
        .max()
        .unwrap_or(0);
    (votes[best] >= 2 && votes[best] >= 2 * second).then_some(match best {
        0 => Align::Top,
        1 => Align::Middle,
        _ => Align::Bottom,
    })
}

/// Orders the grid lines of one page into rows. `full`: full-width lines; `cols`:
/// each column's lines (top to bottom); `rules`: y of horizontal rules spanning the
/// grid; `align`: the alignment inferred on earlier pages, updated from this one.
pub(super) fn segment(
    full: Vec<TextLine>,
    mut cols: Vec<Vec<TextLine>>,
    rules: &[f32],
    align: &mut Option<Align>,
) -> Segmented {
    let ncols = cols.len();
    for c in &mut cols {
        c.sort_by(|a, b| b.y.total_cmp(&a.y));
    }
    let pitch = pitch(&cols);
    let mut full = full;
    // A lone line of the first column with nothing level with it: a header row.
    if ncols >= 3 {
        let others: Vec<f32> = cols[1..].iter().flatten().map(|l| l.y).collect();
        let first = std::mem::take(&mut cols[0]);
        for (i, l) in first.iter().enumerate() {
            let near_own = |j: usize| (first[j].y - l.y).abs() <= 1.3 * pitch;
            let alone = (i == 0 || !near_own(i - 1)) && (i + 1 == first.len() || !near_own(i + 1));
            let level = others.iter().any(|y| (y - l.y).abs() < 1.2 * pitch);
            // Capitals only: a header set apart by its case, however close.
            let caps = l.text.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !l.text.chars().any(char::is_lowercase);
            if (alone || caps) && !level {
                full.push(l.clone());
            } else {
                cols[0].push(l.clone());
            }
        }
    }
    full.sort_by(|a, b| b.y.total_cmp(&a.y));
    if let Some(a) = vote(&cols, pitch) {
        *align = Some(a);
    }
    let align = align.unwrap_or(Align::Top);
    if std::env::var_os("ROWS_DEBUG").is_some() {
        eprintln!(
            "segment: {ncols} cols, align {align:?}, pitch {pitch}, full {}",
            full.len()
        );
    }

    // Sections: the cell lines between two full-width lines.
    let section_of = |l: &TextLine| full.iter().filter(|f| f.y > l.y).count();
    let mut sections: Vec<Vec<Vec<TextLine>>> = vec![vec![Vec::new(); ncols]; full.len() + 1];
    for (k, col) in cols.into_iter().enumerate() {
        for l in col {
            let s = section_of(&l);
            sections[s][k].push(l);
        }
    }
    let mut out = Segmented {
        lines: Vec::new(),
        bands: Vec::new(),
    };
    let mut full = full.into_iter();
    for (s, section) in sections.into_iter().enumerate() {
        let rows = rows_of(&section, rules, align, pitch, s == 0);
        for (row, ruled) in rows {
            if row.is_empty() {
                continue;
            }
            let band = out.bands.len();
            let top = row.iter().map(|(l, _)| l.top).fold(f32::MIN, f32::max);
            let bottom = row
                .iter()
                .map(|(l, _)| l.y - 0.25 * l.size)
                .fold(f32::MAX, f32::min);
            out.bands.push(Band {
                top,
                bottom,
                ruled,
                full: false,
                anchored: row.iter().any(|(_, k)| *k == 0),
            });
            for (l, k) in row {
                out.lines.push((l, cell(k, ncols), band));
            }
        }
        if let Some(f) = full.next() {
            out.bands.push(Band {
                top: f.top,
                bottom: f.y - 0.25 * f.size,
                ruled: false,
                full: true,
                anchored: false,
            });
            out.lines.push((f, Column::Full, out.bands.len() - 1));
        }
    }
    out
}

fn cell(k: usize, ncols: usize) -> Column {
    Column::Cell {
        index: u8::try_from(k).unwrap_or(u8::MAX),
        of: u8::try_from(ncols).unwrap_or(u8::MAX),
    }
}

type Row = Vec<(TextLine, usize)>;

/// The rows of one section, top to bottom, each with its lines cell by cell, and
/// whether rules cut it.
fn rows_of(
    cols: &[Vec<TextLine>],
    rules: &[f32],
    align: Align,
    pitch: f32,
    page_top: bool,
) -> Vec<(Row, bool)> {
    let ncols = cols.len();
    let all = cols.iter().flatten();
    let (Some(hi), Some(lo)) = (
        all.clone().map(|l| l.top).reduce(f32::max),
        all.map(|l| l.y).reduce(f32::min),
    ) else {
        return Vec::new();
    };
    // Row index of every line, per column.
    let mut index: Vec<Vec<usize>> = cols.iter().map(|c| vec![0; c.len()]).collect();
    let cuts: Vec<f32> = rules
        .iter()
        .copied()
        .filter(|y| *y < hi && *y > lo)
        .collect();
    let ruled = !cuts.is_empty();
    if ruled {
        for (k, col) in cols.iter().enumerate() {
            for (i, l) in col.iter().enumerate() {
                index[k][i] = cuts.iter().filter(|c| **c > l.y + 0.3 * l.size).count();
            }
        }
    } else {
        match align {
            Align::Top | Align::Bottom => {
                // Top: rows start at the first column's blocks; bottom: they end at
                // the last column's lines.
                let (marks, starts): (Vec<f32>, bool) = if align == Align::Top {
                    let b = blocks(&cols[0], pitch);
                    (b.iter().map(|b| b.y0).collect(), true)
                } else {
                    // Also where a first-column block ends level with a line of the
                    // last column (blocks of the last column may run together).
                    let last = &cols[ncols - 1];
                    let mut marks: Vec<f32> = blocks(last, pitch).iter().map(|b| b.y1).collect();
                    marks.extend(
                        blocks(&cols[0], pitch)
                            .iter()
                            .map(|b| b.y1)
                            .filter(|y| last.iter().any(|l| (l.y - y).abs() < 0.3 * l.size)),
                    );
                    marks.sort_by(|a, b| b.total_cmp(a));
                    marks.dedup_by(|a, b| (*a - *b).abs() < 1.0);
                    (marks, false)
                };
                for (k, col) in cols.iter().enumerate() {
                    for (i, l) in col.iter().enumerate() {
                        let tol = 0.3 * l.size.max(1.0);
                        index[k][i] = if starts {
                            marks.iter().filter(|m| **m >= l.y - tol).count()
                        } else {
                            marks.iter().filter(|m| **m > l.y + tol).count()
                        };
                    }
                }
            }
            Align::Middle => middle(cols, pitch, page_top, &mut index),
        }
    }
    let nrows = index.iter().flatten().copied().max().unwrap_or(0) + 1;
    let mut rows: Vec<(Row, bool)> = vec![(Vec::new(), ruled); nrows];
    for (k, col) in cols.iter().enumerate() {
        for (i, l) in col.iter().enumerate() {
            rows[index[k][i]].0.push((l.clone(), k));
        }
    }
    rows
}

/// Centred cells: the first column's blocks are the rows' centres (row 0 is text
/// cut from the previous page, when `page_top`); the other columns' blocks go, in
/// order, to the rows they are centred on.
fn middle(cols: &[Vec<TextLine>], pitch: f32, page_top: bool, index: &mut [Vec<usize>]) {
    let anchors = blocks(&cols[0], pitch);
    for (n, b) in anchors.iter().enumerate() {
        index[0][b.first..=b.last].fill(n + 1);
    }
    if anchors.is_empty() {
        return;
    }
    let centres: Vec<f32> = anchors.iter().map(Block::centre).collect();
    for (k, col) in cols.iter().enumerate().skip(1) {
        let items = blocks(col, pitch);
        let n = items.len();
        let slots = anchors.len() + 1;
        // best[j][s]: least cost of items[..j] with item j-1 in slot s.
        let inf = f32::INFINITY;
        // A cell never reaches into another row's anchor; a cell of several blocks
        // does not even reach level with one (each block would be that row's).
        let overlaps = |from: usize, to: usize, s: usize| {
            let (hi, lo) = (items[from].y0, items[to - 1].y1);
            let m = if to - from > 1 { -0.3 } else { 0.3 } * pitch;
            anchors
                .iter()
                .enumerate()
                .any(|(j, a)| j + 1 != s && a.y1 < hi - m && a.y0 > lo + m)
        };
        let cost = |from: usize, to: usize, s: usize| -> f32 {
            if overlaps(from, to, s) {
                return inf;
            }
            if s == 0 {
                return if page_top { pitch } else { inf };
            }
            let mid = (items[from].y0 + items[to - 1].y1) / 2.0;
            (mid - centres[s - 1]).abs()
        };
        let mut best = vec![vec![inf; slots]; n + 1];
        let mut back = vec![vec![(0usize, 0usize); slots]; n + 1];
        for to in 1..=n {
            for s in 0..slots {
                for from in 0..to {
                    let c = cost(from, to, s);
                    if !c.is_finite() {
                        continue;
                    }
                    let before = if from == 0 {
                        Some((0.0, 0))
                    } else {
                        (0..s)
                            .map(|p| (best[from][p], p))
                            .filter(|(v, _)| v.is_finite())
                            .min_by(|a, b| a.0.total_cmp(&b.0))
                    };
                    if let Some((v, p)) = before {
                        if v + c < best[to][s] {
                            best[to][s] = v + c;
                            back[to][s] = (from, p);
                        }
                    }
                }
            }
        }
        let Some((mut s, _)) = best[n]
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .min_by(|a, b| a.1.total_cmp(b.1))
        else {
            continue;
        };
        let mut to = n;
        while to > 0 {
            let (from, p) = back[to][s];
            for item in &items[from..to] {
                index[k][item.first..=item.last].fill(s);
            }
            to = from;
            s = p;
        }
    }
}
