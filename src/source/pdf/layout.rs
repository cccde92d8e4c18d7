//! Layout: glyphs and rules of one page → lines in reading order.
//!
//! 1. Rules are split into horizontal and vertical segments, collinear pieces merged.
//! 2. Segments that touch form a table; its distinct x and y positions give a grid of
//!    column and row bands, and grid cells not separated by a rule are merged, so a
//!    full-width header row is one cell and a row-spanning cell stays whole.
//! 3. Every glyph goes to the cell it sits in, or to the text outside tables.
//! 4. In each cell (and outside), glyphs on one baseline form a line; gaps wider than a
//!    quarter of the font size, or space glyphs, separate words.
//! 5. Reading order: tables and outside lines top to bottom; within a table, by row,
//!    then cell by cell from the left, all lines of a cell before the next cell.
//!
//! Each cell of a table row of several cells is a `Column::Cell` by its index from the
//! left; rows of one cell and text outside tables are `Column::Full`. Which column
//! holds what is the report template's to say, not this module's.
//!
//! Pages whose grid has no rules fall back to the columns of its heading row, found
//! by the headings the caller passes (the templates' words, never this module's):
//! see [`heading_columns`]; when none names the page's heading row, by the grid's
//! structure ([`super::structure`]), which the reading notes as a guess.

use crate::source::{Column, GridHeading};

use super::content::{Glyph, Rule};
use super::rows;

/// Snapping distance for rule positions, in points.
const SNAP: f32 = 2.0;

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OutLine {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub column: Column,
    /// Index of the ruleless-grid row band in the page's [`PageDebug::bands`].
    pub band: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct HSeg {
    y: f32,
    x0: f32,
    x1: f32,
}

#[derive(Debug, Clone, Copy)]
struct VSeg {
    x: f32,
    y0: f32,
    y1: f32,
}

/// A table found from its rules.
#[derive(Debug)]
struct Table {
    /// Column boundaries, ascending.
    xs: Vec<f32>,
    /// Row boundaries, descending (top first).
    ys: Vec<f32>,
    /// For each grid cell `row * ncols + col`, the merged cell it belongs to.
    cell_of: Vec<usize>,
    /// Merged cells: `(first row, first col, last row, last col)`.
    cells: Vec<(usize, usize, usize, usize)>,
}

impl Table {
    fn ncols(&self) -> usize {
        self.xs.len() - 1
    }

    fn top(&self) -> f32 {
        self.ys[0]
    }

    fn contains(&self, x: f32, y: f32) -> bool {
        x >= self.xs[0] - 0.5
            && x <= self.xs[self.xs.len() - 1] + 0.5
            && y <= self.ys[0] + 0.5
            && y >= self.ys[self.ys.len() - 1] - 0.5
    }

    /// The merged cell containing a point inside the table.
    fn cell_at(&self, x: f32, y: f32) -> usize {
        let col = self.xs[1..self.xs.len() - 1]
            .iter()
            .take_while(|b| x > **b)
            .count();
        let row = self.ys[1..self.ys.len() - 1]
            .iter()
            .take_while(|b| y < **b)
            .count();
        self.cell_of[row * self.ncols() + col]
    }

    /// The column of a merged cell: its index among the cells of its first row.
    fn column_of(&self, cell: usize) -> Column {
        let (r0, c0, _, _) = self.cells[cell];
        let mut in_row: Vec<usize> = (0..self.ncols())
            .map(|c| self.cell_of[r0 * self.ncols() + c])
            .collect();
        in_row.dedup();
        let of = u8::try_from(in_row.len()).unwrap_or(u8::MAX);
        match in_row.iter().position(|&k| self.cells[k].1 == c0) {
            Some(index) if of > 1 => Column::Cell {
                index: u8::try_from(index).unwrap_or(u8::MAX),
                of,
            },
            _ => Column::Full,
        }
    }
}

/// Lays out one page. `headings`: the grid headings that find a ruleless grid.
pub(super) fn layout_page(
    glyphs: &[Glyph],
    rules: &[Rule],
    headings: &[GridHeading],
    state: &mut PageState,
    debug: Option<&mut PageDebug>,
) -> Vec<OutLine> {
    let tables = find_tables(rules);
    // Region of each glyph: `None` outside tables, else (table, cell).
    let mut outside: Vec<Glyph> = Vec::new();
    let mut in_cells: Vec<Vec<Vec<Glyph>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.cells.len()])
        .collect();
    for g in glyphs {
        let (cx, cy) = (g.x + g.w * 0.5, g.y + g.size * 0.3);
        match tables.iter().position(|t| t.contains(cx, cy)) {
            Some(t) => {
                let cell = tables[t].cell_at(cx, cy);
                in_cells[t][cell].push(*g);
            }
            None => outside.push(*g),
        }
    }

    // Units in reading order: each table as a whole, and each outside line.
    enum Unit {
        Table(usize),
        Line(OutLine),
    }
    let mut units: Vec<(f32, Unit)> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if in_cells[i].iter().any(|c| !c.is_empty()) {
            units.push((t.top(), Unit::Table(i)));
        }
    }
    if !tables.is_empty() {
        state.bands = None;
    }
    state.guessed = None;
    if let Some(bands) = heading_columns(&mut outside, headings) {
        state.bands = Some(bands);
    } else if let Some(bands) = structure_columns(&outside, state) {
        state.bands = Some(bands);
    } else if let Some(b) = &mut state.bands {
        b.header_y = f32::INFINITY;
    }
    let hrules = grid_rules(rules, state.bands.as_ref());
    let mut ended = false;
    let outside_lines = match &state.bands {
        Some(bands) if !outside.is_empty() => band_lines(
            &outside,
            bands,
            &hrules,
            &mut state.align,
            &mut ended,
            debug,
        ),
        _ => text_lines(&mut outside)
            .into_iter()
            .map(|l| (l, Column::Full))
            .collect(),
    };
    if ended {
        state.bands = None;
    }
    for (l, column) in outside_lines {
        let top = l.top;
        units.push((
            top,
            Unit::Line(OutLine {
                text: l.text,
                x: l.x,
                y: l.y,
                column,
                band: l.band,
            }),
        ));
    }
    units.sort_by(|a, b| b.0.total_cmp(&a.0));

    let mut out = Vec::new();
    for (_, unit) in units {
        match unit {
            Unit::Line(l) => out.push(l),
            Unit::Table(i) => {
                let t = &tables[i];
                let mut order: Vec<usize> = (0..t.cells.len()).collect();
                order.sort_by_key(|&c| (t.cells[c].0, t.cells[c].1));
                for c in order {
                    let glyphs = &mut in_cells[i][c];
                    if glyphs.is_empty() {
                        continue;
                    }
                    let column = t.column_of(c);
                    for l in text_lines(glyphs) {
                        out.push(OutLine {
                            text: l.text,
                            x: l.x,
                            y: l.y,
                            column,
                            band: None,
                        });
                    }
                }
            }
        }
    }
    out
}

/// A line of text before it is placed in the stream.
#[derive(Debug, Clone)]
pub(super) struct TextLine {
    pub text: String,
    pub x: f32,
    pub y: f32,
    /// Top of the line (baseline + ascent), for ordering against tables.
    pub top: f32,
    pub size: f32,
    /// The row band of a ruleless grid the line was given to (see [`PageDebug`]).
    pub band: Option<usize>,
}

/// Word boxes of a page (for `inspect --svg`): text, x0, y0 (below the baseline),
/// x1, y1.
pub(super) fn word_boxes(glyphs: &mut [Glyph]) -> Vec<super::WordBox> {
    let mut out = Vec::new();
    for r in line_groups(glyphs) {
        let line = &glyphs[r];
        let mut cur: Option<super::WordBox> = None;
        let mut prev: Option<Glyph> = None;
        for g in line {
            let split = g.ch == ' '
                || prev.is_some_and(|p| g.x - (p.x + p.w) > 0.25 * g.size.max(p.size).max(1.0));
            if split {
                out.extend(cur.take());
            }
            if g.ch != ' ' {
                let w = cur.get_or_insert(super::WordBox {
                    text: String::new(),
                    x0: g.x,
                    y0: g.y - 0.2 * g.size,
                    x1: g.x + g.w,
                    y1: g.y + 0.8 * g.size,
                });
                w.text.push(g.ch);
                w.x1 = w.x1.max(g.x + g.w);
                w.y0 = w.y0.min(g.y - 0.2 * g.size);
                w.y1 = w.y1.max(g.y + 0.8 * g.size);
            }
            prev = Some(*g);
        }
        out.extend(cur);
    }
    out
}

/// Groups glyphs into lines (one baseline) and words; lines top to bottom.
fn text_lines(glyphs: &mut [Glyph]) -> Vec<TextLine> {
    line_groups(glyphs)
        .into_iter()
        .filter_map(|r| words(&glyphs[r]))
        .collect()
}

/// Sorts glyphs into lines: returns the range of each line (top to bottom), whose
/// glyphs are sorted left to right.
pub(super) fn line_groups(glyphs: &mut [Glyph]) -> Vec<std::ops::Range<usize>> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups = Vec::new();
    let mut start = 0;
    while start < glyphs.len() {
        let first = glyphs[start];
        let mut end = start + 1;
        let mut size = first.size;
        while end < glyphs.len() {
            let g = glyphs[end];
            let prev = glyphs[end - 1];
            let s = size.max(g.size).max(1.0);
            if prev.y - g.y <= 0.5 * s && first.y - g.y <= 0.8 * s {
                size = size.max(g.size);
                end += 1;
            } else {
                break;
            }
        }
        glyphs[start..end].sort_by(|a, b| a.x.total_cmp(&b.x));
        groups.push(start..end);
        start = end;
    }
    groups
}

/// Joins the glyphs of one line (sorted by x) into text with single spaces.
pub(super) fn words(line: &[Glyph]) -> Option<TextLine> {
    let mut text = String::new();
    let mut first: Option<Glyph> = None;
    let mut prev: Option<Glyph> = None;
    let mut space = false;
    let mut size: f32 = 0.0;
    for g in line {
        if g.ch == ' ' {
            space = true;
            continue;
        }
        if let Some(p) = prev {
            // The same glyph drawn twice (fake bold, shadow): keep one.
            if p.ch == g.ch && (g.x - p.x).abs() < 0.15 * g.size.max(1.0) {
                continue;
            }
            let gap = g.x - (p.x + p.w);
            if space || gap > 0.25 * g.size.max(p.size).max(1.0) {
                text.push(' ');
            }
        }
        space = false;
        text.push(g.ch);
        size = size.max(g.size);
        first.get_or_insert(*g);
        prev = Some(*g);
    }
    let first = first?;
    prev?;
    Some(TextLine {
        text,
        x: first.x,
        y: first.y,
        top: first.y + 0.8 * size,
        size,
        band: None,
    })
}

/// Column boundaries of a ruleless grid (one fewer than its columns, ascending), and
/// the baseline of its header row (+∞ on a page that continues the grid of an earlier
/// page without repeating the header).
#[derive(Debug, Clone)]
pub(super) struct GridBands {
    bounds: Vec<f32>,
    /// Left edge of each column's heading (where left-aligned cell text starts); for a
    /// grid found by structure, where its text starts again (a centred column: its
    /// heading's left).
    lefts: Vec<f32>,
    header_y: f32,
    /// Columns whose cells are centred (found by structure; empty: none).
    centred: Vec<bool>,
}

/// What layout carries from one page to the next.
#[derive(Debug, Default)]
pub(super) struct PageState {
    /// The bands of a ruleless grid, kept for pages that do not repeat its header.
    bands: Option<GridBands>,
    /// How the ruleless grid's cells sit in their rows, once a page showed it.
    align: Option<rows::Align>,
    /// A ruleless grid whose columns this page's layout guessed by structure (no
    /// template heading named them): what was guessed, and the heading's baseline.
    pub(super) guessed: Option<(String, f32)>,
}

/// How one page was laid out, for `inspect --svg`.
#[derive(Debug, Clone, Default)]
pub struct PageDebug {
    /// Column boundaries of a ruleless grid (x, ascending), empty when none.
    pub bounds: Vec<f32>,
    /// Row bands of a ruleless grid, top to bottom.
    pub bands: Vec<rows::Band>,
}

/// Ruleless grid: when the page's outside text has the heading row of one of the
/// `headings` (each cell a piece of line starting with one of its words, left to
/// right, on nearby baselines), the column boundaries are the emptiest vertical
/// strips between the heading cells; lines below the heading are cut there, and a
/// line that runs across the first boundary with an ordinary word gap is a full-width
/// header. Rows start at full-width lines and where the first column resumes after a
/// vertical gap; within a row, cells are read left to right.
fn heading_columns(glyphs: &mut [Glyph], headings: &[GridHeading]) -> Option<GridBands> {
    // Cheap test first: the first words of the first and last cells must be on the page.
    let has = |word: &str| {
        let w: Vec<char> = word.chars().collect();
        glyphs
            .windows(w.len())
            .any(|win| win.iter().zip(&w).all(|(g, c)| g.ch == *c))
    };
    let first_word = |cell: &[&str]| cell.iter().any(|s| has(s.split(' ').next().unwrap_or(s)));
    let candidates: Vec<&GridHeading> = headings
        .iter()
        .filter(|h| h.cells.len() >= 2)
        .filter(|h| first_word(h.cells[0]) && first_word(h.cells[h.cells.len() - 1]))
        .collect();
    if glyphs.len() < 30 || candidates.is_empty() {
        return None;
    }
    // The heading cells are pieces of lines, maybe close together ("… de service
    // Appréciation …") and maybe wrapped ("Appréciation de l'auditeur" / "Commentaires").
    let lines: Vec<Located> = line_groups(glyphs)
        .into_iter()
        .filter_map(|r| located(&glyphs[r]))
        .collect();
    let (header_y, cells) = candidates.iter().find_map(|h| heading_cells(&lines, h))?;
    let below: Vec<Glyph> = glyphs
        .iter()
        .copied()
        .filter(|g| g.y <= header_y + 0.5 * g.size.max(1.0))
        .collect();
    let bounds = cells
        .windows(2)
        .map(|w| gutter(&below, w[0].1, w[1].0))
        .collect();
    let lefts = cells.iter().map(|c| c.0).collect();
    Some(GridBands {
        bounds,
        lefts,
        header_y,
        centred: Vec::new(),
    })
}

/// Ruleless grid found by its structure when no template heading names it (see
/// [`super::structure`]). A grid already carried from an earlier page is only
/// re-headed by a row with its columns (its heading repeated at the page top); a new
/// grid leaves the guess in `state.guessed`.
fn structure_columns(glyphs: &[Glyph], state: &mut PageState) -> Option<GridBands> {
    let found = super::structure::find(glyphs)?;
    if let Some(old) = &state.bands {
        let same = old.lefts.len() == found.lefts.len()
            && old
                .lefts
                .iter()
                .zip(&found.lefts)
                .all(|(a, b)| (a - b).abs() <= 3.0);
        if !same {
            return None;
        }
    } else {
        let at: Vec<String> = found.bounds.iter().map(|b| format!("{b:.0}")).collect();
        state.guessed = Some((
            format!(
                "PDF grid drawn without rules, its columns guessed by structure: heading \
                 row \"{}\" (no template heading), recurring column starts below it, \
                 codes in column {}; column bounds at x = {}",
                found.cells.join(" | "),
                found.codes + 1,
                at.join(", ")
            ),
            found.header_y,
        ));
    }
    Some(GridBands {
        bounds: found.bounds,
        lefts: found.lefts,
        header_y: found.header_y,
        centred: found.centred,
    })
}

/// A line's text with the x extent of each of its characters.
struct Located {
    text: String,
    /// Per character of `text` (spaces take the next glyph's left).
    xs: Vec<(f32, f32)>,
    y: f32,
    size: f32,
}

/// A line (glyphs sorted by x) with its characters' positions, words spaced as
/// [`words`] spaces them.
fn located(line: &[Glyph]) -> Option<Located> {
    let mut text = String::new();
    let mut xs: Vec<(f32, f32)> = Vec::new();
    let mut prev: Option<Glyph> = None;
    let mut space = false;
    let mut size: f32 = 0.0;
    for g in line {
        if g.ch == ' ' {
            space = true;
            continue;
        }
        if let Some(p) = prev {
            if p.ch == g.ch && (g.x - p.x).abs() < 0.15 * g.size.max(1.0) {
                continue;
            }
            if space || g.x - (p.x + p.w) > 0.25 * g.size.max(p.size).max(1.0) {
                text.push(' ');
                xs.push((g.x, g.x));
            }
        }
        space = false;
        text.push(g.ch);
        xs.push((g.x, g.x + g.w));
        size = size.max(g.size);
        prev = Some(*g);
    }
    let first = line.iter().find(|g| g.ch != ' ')?;
    Some(Located {
        text,
        xs,
        y: first.y,
        size,
    })
}

/// Where a line has a word sequence starting with one of `starts`: (left, right) of
/// the matched characters, at word starts only.
fn occurrences(line: &Located, starts: &[&str]) -> Vec<(f32, f32)> {
    let mut found = Vec::new();
    for s in starts.iter().filter(|s| !s.is_empty()) {
        for (at, m) in line.text.match_indices(s) {
            if at > 0 && !line.text[..at].ends_with(' ') {
                continue;
            }
            let first = line.text[..at].chars().count();
            let last = first + m.chars().count() - 1;
            if let (Some(a), Some(b)) = (line.xs.get(first), line.xs.get(last)) {
                found.push((a.0, b.1));
            }
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found
}

/// The heading's cells among the lines: the lowest baseline of the row, and each
/// cell's left and right x (of its matched words).
fn heading_cells(lines: &[Located], heading: &GridHeading) -> Option<(f32, Vec<(f32, f32)>)> {
    let (first_cell, rest) = heading.cells.split_first()?;
    let (last_cell, middle) = rest.split_last()?;
    for first in lines {
        for f in occurrences(first, first_cell) {
            let near: Vec<&Located> = lines
                .iter()
                .filter(|l| (l.y - first.y).abs() <= 3.0 * first.size.max(1.0))
                .collect();
            let find = |cell: &[&str], left: f32, right: f32| -> Option<((f32, f32), f32)> {
                near.iter().find_map(|l| {
                    occurrences(l, cell)
                        .into_iter()
                        .find(|o| o.0 > left && o.1 < right)
                        .map(|o| (o, l.y))
                })
            };
            let Some((last, last_y)) = find(last_cell, f.1, f32::INFINITY) else {
                continue;
            };
            let mut found = vec![(f, first.y)];
            let mut ok = true;
            for cell in middle {
                let left = found[found.len() - 1].0 .1;
                match find(cell, left, last.0) {
                    Some(o) => found.push(o),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            found.push((last, last_y));
            let y = found.iter().map(|c| c.1).fold(f32::MIN, f32::max);
            return Some((y, found.iter().map(|c| c.0).collect()));
        }
    }
    None
}

/// Lays out the outside text of a page along ruleless grid bands: lines below the
/// heading are cut into the columns (a line running across a boundary with a word
/// gap, its next word not at the column's left edge, is full-width), then
/// [`rows::segment`] orders them row by row. `hrules`: y of horizontal rules across
/// the grid. A label | value table after the grid (text of the first column beside
/// text that does not start at the second column's edge) ends the grid: from there
/// on, lines are plain full-width text, on this page and the next.
fn band_lines(
    glyphs: &[Glyph],
    bands: &GridBands,
    hrules: &[f32],
    align: &mut Option<rows::Align>,
    ended: &mut bool,
    debug: Option<&mut PageDebug>,
) -> Vec<(TextLine, Column)> {
    let GridBands {
        bounds,
        lefts,
        header_y,
        centred,
    } = bands;
    // A centred second column (codes): its cells' text is off its heading's edge by
    // design, not a running header.
    let centred_second = centred.get(1).copied().unwrap_or(false);
    let header_y = *header_y;
    let ncols = bounds.len() + 1;
    let (mut above, mut below): (Vec<Glyph>, Vec<Glyph>) = glyphs
        .iter()
        .partition(|g| g.y > header_y + 0.5 * g.size.max(1.0));
    let at_left = |k: usize, x: f32| lefts.get(k).is_some_and(|l| (x - l).abs() <= 1.0);

    let mut full: Vec<TextLine> = Vec::new();
    let mut cols: Vec<Vec<TextLine>> = vec![Vec::new(); ncols];
    let mut after: Vec<Glyph> = Vec::new();
    let mut value_left = 0.0;
    let groups = line_groups(&mut below);
    // Text starting inside the second column but off its edge, at one x on three
    // lines or more: the values of a label | value table (the grid is over from the
    // first of them). Centred running headers and footers are once a page.
    let off_x: Vec<Option<f32>> = groups
        .iter()
        .map(|r| {
            let inked: Vec<&Glyph> = below[r.clone()].iter().filter(|g| g.ch != ' ').collect();
            if !centred.is_empty() {
                return structure_off(&inked, bounds, lefts, centred);
            }
            let first = inked.first()?;
            let start = if first.x + first.w * 0.5 >= bounds[0] {
                Some(*first)
            } else {
                inked
                    .windows(2)
                    .find(|w| {
                        w[0].x + w[0].w * 0.5 < bounds[0]
                            && w[1].x + w[1].w * 0.5 >= bounds[0]
                            && w[1].x - (w[0].x + w[0].w) > 1.0 * w[1].size.max(1.0)
                    })
                    .map(|w| w[1])
            }?;
            (bounds.get(1).is_none_or(|b| start.x < *b) && !at_left(1, start.x)).then_some(start.x)
        })
        .collect();
    let table_from = (ncols >= 3)
        .then(|| {
            off_x.iter().position(|x| {
                x.is_some_and(|x| {
                    off_x
                        .iter()
                        .filter(|o| o.is_some_and(|o| (o - x).abs() <= 1.0))
                        .count()
                        >= 3
                })
            })
        })
        .flatten();
    for (n, range) in groups.iter().enumerate() {
        let line = &below[range.clone()];
        if table_from == Some(n) {
            *ended = true;
            value_left = off_x[n].unwrap_or(0.0);
            for r in &groups[n..] {
                after.extend_from_slice(&below[r.clone()]);
            }
            break;
        }
        let crosses = line.windows(2).any(|w| {
            let (p, g) = (w[0], w[1]);
            bounds.iter().enumerate().any(|(k, b)| {
                let gap = g.x - (p.x + p.w);
                p.x + p.w * 0.5 < *b
                    && g.x + g.w * 0.5 >= *b
                    && gap < 1.0 * g.size.max(1.0)
                    && (gap < 0.15 * g.size.max(1.0) || !at_left(k + 1, g.x))
            })
        });
        if crosses {
            full.extend(words(line));
            continue;
        }
        // Glyphs are sorted by x: each boundary cuts the line once.
        let mut from = 0;
        let mut pieces: Vec<(usize, TextLine)> = Vec::new();
        for k in 0..ncols {
            let to = match bounds.get(k) {
                Some(b) => from + line[from..].partition_point(|g| g.x + g.w * 0.5 < *b),
                None => line.len(),
            };
            if let Some(w) = words(&line[from..to]) {
                pieces.push((k, w));
            }
            from = to;
        }
        // Text alone off the second column's edge: centred text (a running header
        // or footer), read full-width.
        let off = pieces
            .iter()
            .find(|(k, _)| *k == 1)
            .is_some_and(|(_, l)| !at_left(1, l.x));
        if off && ncols >= 3 && !centred_second && !pieces.iter().any(|(k, _)| *k == 0) {
            full.extend(words(line));
            continue;
        }
        // A grid found by structure knows where each left-aligned column's text
        // starts: a line alone in such a column (not the first) and off that start
        // is not cell text either (a running footer, a signature placed right).
        let stray = match pieces.as_slice() {
            [(k, l)] => *k >= 1 && centred.get(*k) == Some(&false) && !at_left(*k, l.x),
            _ => false,
        };
        if stray {
            full.extend(words(line));
            continue;
        }
        for (k, w) in pieces {
            cols[k].push(w);
        }
    }
    // The heading row itself (on the page that shows it), wrapped cells included:
    // first, cell by cell.
    let mut heading: Vec<(TextLine, Column)> = Vec::new();
    if header_y.is_finite() {
        let pitch = rows::pitch(&cols);
        for (k, col) in cols.iter_mut().enumerate() {
            let (head, rest): (Vec<TextLine>, Vec<TextLine>) = std::mem::take(col)
                .into_iter()
                .partition(|l| l.y >= header_y - 1.3 * pitch);
            *col = rest;
            let column = Column::Cell {
                index: u8::try_from(k).unwrap_or(u8::MAX),
                of: u8::try_from(ncols).unwrap_or(u8::MAX),
            };
            heading.extend(head.into_iter().map(|l| (l, column)));
        }
        // One top for the row, so that sorting by top keeps it whole and in order.
        let top = heading.iter().map(|(l, _)| l.top).fold(f32::MIN, f32::max);
        for (l, _) in &mut heading {
            l.top = top;
        }
    }
    let seg = rows::segment(full, cols, hrules, align);

    let mut result: Vec<(TextLine, Column)> = text_lines(&mut above)
        .into_iter()
        .map(|l| (l, Column::Full))
        .collect();
    result.extend(heading);
    // Ordering against tables and other text uses the line's top: keep rows in
    // their order (tops never rise).
    let mut last_top = f32::INFINITY;
    let mut band_tops: Vec<f32> = Vec::with_capacity(seg.bands.len());
    for b in &seg.bands {
        last_top = b.top.min(last_top - 0.001);
        band_tops.push(last_top);
    }
    if let Some(d) = debug {
        d.bounds = bounds.clone();
        d.bands = seg.bands.clone();
    }
    for (mut l, column, band) in seg.lines {
        l.top = band_tops[band];
        l.band = Some(band);
        result.push((l, column));
    }
    if !after.is_empty() {
        let mut align = *align;
        result.extend(label_value_lines(
            &mut after, value_left, hrules, &mut align,
        ));
    }
    result
}

/// For a grid found by structure: where a line's text starts off every column's
/// start (its first glyph off the first column's, else the first glyph after a gap
/// of a font size), as a label | value table's values do; in a centred column (codes)
/// only text that runs on across the column's right boundary counts.
fn structure_off(inked: &[&Glyph], bounds: &[f32], lefts: &[f32], centred: &[bool]) -> Option<f32> {
    let at_left = |x: f32| lefts.iter().any(|l| (x - l).abs() <= 1.0);
    let first = inked.first()?;
    let from = if at_left(first.x) {
        1 + inked
            .windows(2)
            .position(|w| w[1].x - (w[0].x + w[0].w) > 1.0 * w[1].size.max(1.0))?
    } else {
        0
    };
    let start = inked[from];
    if at_left(start.x) {
        return None;
    }
    let k = bounds
        .iter()
        .filter(|b| start.x + start.w * 0.5 >= **b)
        .count();
    if centred.get(k) == Some(&true) {
        let next = bounds.get(k).copied().unwrap_or(f32::INFINITY);
        let across = inked[from..]
            .windows(2)
            .take_while(|w| w[1].x - (w[0].x + w[0].w) < 1.0 * w[1].size.max(1.0));
        if !across.last().is_some_and(|w| w[1].x + w[1].w * 0.5 >= next) {
            return None;
        }
    }
    Some(start.x)
}

/// A label | value table without rules (what follows a ruleless grid: the
/// conclusion boxes): two columns cut where the values start, rows as in the grid.
fn label_value_lines(
    glyphs: &mut [Glyph],
    left: f32,
    hrules: &[f32],
    align: &mut Option<rows::Align>,
) -> Vec<(TextLine, Column)> {
    let mut full: Vec<TextLine> = Vec::new();
    let mut cols: Vec<Vec<TextLine>> = vec![Vec::new(), Vec::new()];
    for range in line_groups(glyphs) {
        let line = &glyphs[range];
        let at = line.partition_point(|g| g.x + g.w * 0.5 < left);
        let clean = at == 0 && (line[0].x - left).abs() <= 1.0
            || at == line.len()
            || (line[at].x - left).abs() <= 1.0
                && line[..at]
                    .iter()
                    .rev()
                    .find(|g| g.ch != ' ')
                    .is_none_or(|p| line[at].x - (p.x + p.w) > 0.15 * line[at].size.max(1.0));
        if !clean {
            full.extend(words(line));
            continue;
        }
        cols[0].extend(words(&line[..at]));
        cols[1].extend(words(&line[at..]));
    }
    let seg = rows::segment(full, cols, hrules, align);
    let mut last_top = f32::INFINITY;
    let tops: Vec<f32> = seg
        .bands
        .iter()
        .map(|b| {
            last_top = b.top.min(last_top - 0.001);
            last_top
        })
        .collect();
    seg.lines
        .into_iter()
        .map(|(mut l, column, band)| {
            l.top = tops[band];
            (l, column)
        })
        .collect()
}

/// The x between `from` and `to` crossed by the fewest glyphs (the rightmost such x),
/// at one-point resolution.
pub(super) fn gutter(glyphs: &[Glyph], from: f32, to: f32) -> f32 {
    if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
        return to;
    }
    let steps = ((to - from).ceil() as usize).clamp(1, 2000);
    let mut diff = vec![0i32; steps + 2];
    for g in glyphs.iter().filter(|g| g.ch != ' ') {
        let lo = ((g.x - from).max(0.0).ceil()) as usize;
        let hi = ((g.x + g.w - from).floor().min(steps as f32)) as isize;
        if g.x + g.w <= from || g.x >= to || hi < lo as isize {
            continue;
        }
        diff[lo] += 1;
        diff[hi as usize + 1] -= 1;
    }
    let mut best = (i32::MAX, to);
    let mut count = 0;
    for (k, d) in diff.iter().take(steps + 1).enumerate() {
        count += d;
        if count <= best.0 {
            best = (count, from + k as f32);
        }
    }
    best.1.min(to)
}

/// The y of horizontal rules that span most of a ruleless grid (from its first
/// boundary to its last): row separators drawn without vertical rules.
fn grid_rules(rules: &[Rule], bands: Option<&GridBands>) -> Vec<f32> {
    let Some(b) = bands else {
        return Vec::new();
    };
    let (Some(first), Some(last)) = (b.bounds.first(), b.bounds.last()) else {
        return Vec::new();
    };
    let mut ys: Vec<f32> = rules
        .iter()
        .filter(|r| r.y1 - r.y0 <= 3.0 && r.x0 <= first - 5.0 && r.x1 >= last + 5.0)
        .map(|r| (r.y0 + r.y1) / 2.0)
        .collect();
    ys.sort_by(|a, b| b.total_cmp(a));
    ys.dedup_by(|a, b| (*a - *b).abs() <= SNAP);
    ys
}

/// Finds tables: groups of touching horizontal and vertical rules.
fn find_tables(rules: &[Rule]) -> Vec<Table> {
    let mut hs: Vec<HSeg> = Vec::new();
    let mut vs: Vec<VSeg> = Vec::new();
    for r in rules {
        let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
        if w >= h {
            if w >= 3.0 {
                hs.push(HSeg {
                    y: (r.y0 + r.y1) / 2.0,
                    x0: r.x0,
                    x1: r.x1,
                });
            }
        } else if h >= 3.0 {
            vs.push(VSeg {
                x: (r.x0 + r.x1) / 2.0,
                y0: r.y0,
                y1: r.y1,
            });
        }
    }
    if vs.is_empty() && hs.len() < 2 {
        return Vec::new();
    }
    let hs = merge_h(hs);
    let vs = merge_v(vs);

    // Connected components over "touches" (union-find: horizontals first, then verticals).
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let tol = SNAP + 0.5;
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.x >= h.x0 - tol && v.x <= h.x1 + tol && h.y >= v.y0 - tol && h.y <= v.y1 + tol {
                union(&mut parent, i, hs.len() + j);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        match groups.iter_mut().find(|(r, _)| *r == root) {
            Some((_, members)) => members.push(i),
            None => groups.push((root, vec![i])),
        }
    }
    let mut tables = Vec::new();
    for (_, members) in groups {
        let gh: Vec<HSeg> = members
            .iter()
            .filter(|&&i| i < hs.len())
            .map(|&i| hs[i])
            .collect();
        let gv: Vec<VSeg> = members
            .iter()
            .filter(|&&i| i >= hs.len())
            .map(|&i| vs[i - hs.len()])
            .collect();
        // A lone line (underline, separator) is no table.
        if gv.is_empty() || (gh.is_empty() && gv.len() < 2) {
            continue;
        }
        // Frames without inner vertical rules are boxes around text, not tables: their
        // text is laid out with the page's (where a ruleless grid is recognised).
        if let Some(t) = build_table(&gh, &gv) {
            if t.cells.iter().any(|c| c.3 - c.1 + 1 < t.ncols()) {
                tables.push(t);
            }
        }
    }
    tables
}

fn build_table(hs: &[HSeg], vs: &[VSeg]) -> Option<Table> {
    let mut xs: Vec<f32> = vs.iter().map(|v| v.x).collect();
    let mut ys: Vec<f32> = hs.iter().map(|h| h.y).collect();
    for h in hs {
        xs.push(h.x0);
        xs.push(h.x1);
    }
    for v in vs {
        ys.push(v.y0);
        ys.push(v.y1);
    }
    let xs = snap_sorted(xs);
    let mut ys = snap_sorted(ys);
    ys.reverse();
    if xs.len() < 2 || ys.len() < 2 {
        return None;
    }
    let (width, height) = (xs[xs.len() - 1] - xs[0], ys[0] - ys[ys.len() - 1]);
    // Checkbox squares and other small drawings are not tables.
    if width < 20.0 || height < 8.0 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    let covers = |lo: f32, hi: f32, a: f32, b: f32| (hi.min(b) - lo.max(a)) >= 0.5 * (b - a);
    for r in 0..nr {
        let (ylo, yhi) = (ys[r + 1], ys[r]);
        for c in 0..nc {
            // Border to the right of (r, c).
            if c + 1 < nc {
                let x = xs[c + 1];
                let ruled = vs
                    .iter()
                    .any(|v| (v.x - x).abs() <= SNAP + 0.5 && covers(v.y0, v.y1, ylo, yhi));
                if !ruled {
                    union(&mut parent, r * nc + c, r * nc + c + 1);
                }
            }
            // Border below (r, c).
            if r + 1 < nr {
                let y = ys[r + 1];
                let ruled = hs
                    .iter()
                    .any(|h| (h.y - y).abs() <= SNAP + 0.5 && covers(h.x0, h.x1, xs[c], xs[c + 1]));
                if !ruled {
                    union(&mut parent, r * nc + c, (r + 1) * nc + c);
                }
            }
        }
    }
    let mut cell_of = vec![usize::MAX; nr * nc];
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut root_cell: Vec<usize> = vec![usize::MAX; nr * nc];
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, r * nc + c);
            if root_cell[root] == usize::MAX {
                root_cell[root] = cells.len();
                cells.push((r, c, r, c));
            }
            let k = root_cell[root];
            let cell = &mut cells[k];
            cell.0 = cell.0.min(r);
            cell.1 = cell.1.min(c);
            cell.2 = cell.2.max(r);
            cell.3 = cell.3.max(c);
            cell_of[r * nc + c] = k;
        }
    }
    Some(Table {
        xs,
        ys,
        cell_of,
        cells,
    })
}

/// Sorts positions and merges those closer than [`SNAP`] (keeping their mean).
fn snap_sorted(mut v: Vec<f32>) -> Vec<f32> {
    v.retain(|x| x.is_finite());
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in v {
        if let Some(&last) = group.last() {
            if x - last > SNAP {
                out.push(group.iter().sum::<f32>() / group.len() as f32);
                group.clear();
            }
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

fn merge_h(mut hs: Vec<HSeg>) -> Vec<HSeg> {
    hs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<HSeg>> = Vec::new();
    for h in hs {
        match rows.last_mut() {
            Some(row) if (h.y - row[0].y).abs() <= SNAP => row.push(h),
            _ => rows.push(vec![h]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cur = row[0];
        for h in &row[1..] {
            if h.x0 <= cur.x1 + SNAP {
                cur.x1 = cur.x1.max(h.x1);
            } else {
                out.push(cur);
                cur = *h;
            }
        }
        out.push(cur);
    }
    out
}

fn merge_v(mut vs: Vec<VSeg>) -> Vec<VSeg> {
    vs.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y0.total_cmp(&b.y0)));
    let mut cols: Vec<Vec<VSeg>> = Vec::new();
    for v in vs {
        match cols.last_mut() {
            Some(col) if (v.x - col[0].x).abs() <= SNAP => col.push(v),
            _ => cols.push(vec![v]),
        }
    }
    let mut out = Vec::new();
    for mut col in cols {
        col.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let mut cur = col[0];
        for v in &col[1..] {
            if v.y0 <= cur.y1 + SNAP {
                cur.y1 = cur.y1.max(v.y1);
            } else {
                out.push(cur);
                cur = *v;
            }
        }
        out.push(cur);
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::source::pdf::tests::{FIRST, HEADINGS, SECOND, THIRD};

    fn text(s: &str, x: f32, y: f32) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                x: x + 6.0 * i as f32,
                y,
                w: 6.0,
                size: 12.0,
                ch,
            })
            .collect()
    }

    fn hrule(y: f32, x0: f32, x1: f32) -> Rule {
        Rule {
            x0,
            y0: y - 0.25,
            x1,
            y1: y + 0.25,
        }
    }

    fn vrule(x: f32, y0: f32, y1: f32) -> Rule {
        Rule {
            x0: x - 0.25,
            y0,
            x1: x + 0.25,
            y1,
        }
    }

    #[test]
    fn grid_rows_read_cell_by_cell_with_full_width_header() {
        // Table 0..300 wide; full-width row 700..680, grid row 680..620 with three cells.
        let rules = vec![
            hrule(700.0, 0.0, 300.0),
            hrule(680.0, 0.0, 300.0),
            hrule(620.0, 0.0, 300.0),
            vrule(0.0, 620.0, 700.0),
            vrule(300.0, 620.0, 700.0),
            vrule(100.0, 620.0, 680.0),
            vrule(250.0, 620.0, 680.0),
        ];
        let mut glyphs = Vec::new();
        glyphs.extend(text("C", 260.0, 665.0));
        glyphs.extend(text("Note : a", 105.0, 665.0));
        glyphs.extend(text("Module 1", 5.0, 665.0));
        glyphs.extend(text("suite", 105.0, 650.0));
        glyphs.extend(text("1. Titre", 5.0, 650.0));
        glyphs.extend(text("HEADER", 5.0, 685.0));
        glyphs.extend(text("Avant", 5.0, 720.0));
        let out = layout_page(&glyphs, &rules, HEADINGS, &mut PageState::default(), None);
        let got: Vec<(&str, Column)> = out.iter().map(|l| (l.text.as_str(), l.column)).collect();
        assert_eq!(
            got,
            vec![
                ("Avant", Column::Full),
                ("HEADER", Column::Full),
                ("Module 1", FIRST),
                ("1. Titre", FIRST),
                ("Note : a", SECOND),
                ("suite", SECOND),
                ("C", THIRD),
            ]
        );
    }

    #[test]
    fn ruleless_grid_uses_the_header_columns_and_carries_them_to_the_next_page() {
        // A frame with row separators but no inner vertical rules: a box, so the header
        // row gives the columns.
        let rules = vec![
            hrule(800.0, 0.0, 500.0),
            hrule(770.0, 0.0, 500.0),
            hrule(600.0, 0.0, 500.0),
            vrule(0.0, 600.0, 800.0),
            vrule(500.0, 600.0, 800.0),
        ];
        let mut glyphs = Vec::new();
        glyphs.extend(text("Engagements de service", 5.0, 785.0));
        glyphs.extend(text("Appréciation de l'auditeur", 200.0, 790.0));
        glyphs.extend(text("Commentaires", 200.0, 778.0));
        glyphs.extend(text("Conformité", 430.0, 785.0));
        glyphs.extend(text(
            "MODULE 1 - OBLIGATOIRE : RELATION GENERALE",
            5.0,
            755.0,
        ));
        glyphs.extend(text("Module 1", 5.0, 730.0));
        glyphs.extend(text("Note : premier", 200.0, 730.0));
        glyphs.extend(text("C", 440.0, 730.0));
        glyphs.extend(text("1. Titre long", 5.0, 716.0));
        glyphs.extend(text("suite de la note", 200.0, 716.0));
        glyphs.extend(text("Module 1", 5.0, 680.0));
        glyphs.extend(text("NA", 440.0, 680.0));
        glyphs.extend(text("2. Autre", 5.0, 666.0));
        let mut state = PageState::default();
        let out = layout_page(&glyphs, &rules, HEADINGS, &mut state, None);
        let got: Vec<(&str, Column)> = out.iter().map(|l| (l.text.as_str(), l.column)).collect();
        assert_eq!(
            got,
            vec![
                ("Engagements de service", FIRST),
                ("Appréciation de l'auditeur", SECOND),
                ("Commentaires", SECOND),
                ("Conformité", THIRD),
                ("MODULE 1 - OBLIGATOIRE : RELATION GENERALE", Column::Full),
                ("Module 1", FIRST),
                ("1. Titre long", FIRST),
                ("Note : premier", SECOND),
                ("suite de la note", SECOND),
                ("C", THIRD),
                ("Module 1", FIRST),
                ("2. Autre", FIRST),
                ("NA", THIRD),
            ]
        );
        // Next page: no header, same bands.
        let mut next = Vec::new();
        next.extend(text("Module 1", 5.0, 780.0));
        next.extend(text("Note : ailleurs", 200.0, 780.0));
        next.extend(text("C", 440.0, 780.0));
        next.extend(text("3. Encore", 5.0, 766.0));
        let out = layout_page(&next, &[], HEADINGS, &mut state, None);
        let got: Vec<(&str, Column)> = out.iter().map(|l| (l.text.as_str(), l.column)).collect();
        assert_eq!(
            got,
            vec![
                ("Module 1", FIRST),
                ("3. Encore", FIRST),
                ("Note : ailleurs", SECOND),
                ("C", THIRD),
            ]
        );
    }

    #[test]
    fn words_split_on_gaps_and_spaces() {
        let mut g = text("ab", 0.0, 0.0);
        g.extend(text("cd", 20.0, 0.0));
        let l = text_lines(&mut g);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].text, "ab cd");
    }

    #[test]
    fn superscript_stays_on_its_line() {
        let mut g = text("1", 0.0, 100.0);
        g.push(Glyph {
            x: 6.0,
            y: 104.0,
            w: 4.0,
            size: 7.0,
            ch: 'e',
        });
        g.extend(text("r", 10.0, 100.0));
        g.extend(text("next", 0.0, 86.0));
        let l = text_lines(&mut g);
        assert_eq!(
            l.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            vec!["1er", "next"]
        );
    }
}
