//! Layout-mode text dumps (`pdftotext -layout` and the like): the columns of a table
//! stand side by side on each line, padded with spaces. The columns are found from
//! the characters alone. Each line is cut into fragments at runs of two spaces or
//! more; where many fragments start at (nearly) the same character column, a column
//! starts there (the gutter of spaces before it is aligned over many lines). A
//! layout dump does not keep columns exactly aligned from one table row to the next
//! (a cell's text may start a few characters right of the row above), so a column
//! is a *cluster* of nearby starts, and a fragment belongs to the last column whose
//! cluster starts at or before it; two clusters a few characters apart that never
//! meet on one line are one column. Two cells may be one space apart; such a line is
//! cut at that space only when the line above or below (passing over a lone verdict
//! code) has a cell of a column further right starting there, give or take the drift
//! — or exactly there when the dump shifted that row's cell left of its column, as
//! it does for a wide cell. Each fragment becomes a line of its own with a neutral
//! [`Column::Cell`] (which cell from the left, of how many), exactly what the PDF
//! reader gives, so that recognition reads both the same way. A line whose text runs
//! across a column start (a full-width header, a prose paragraph) is
//! [`Column::Full`].
//!
//! Columns are measured per page: each page of a dump may place them differently.
//! The running header and footer (the first or last line of most pages, set apart by
//! a blank line, or a title beside other lines from page to page) are dropped; the
//! grid heading a page repeats is kept.
//!
//! A dump keeps a grid's lines in the page's top-to-bottom order, which is the rows'
//! order when each row's cells start at its top. Where the cells are centred in their
//! rows or sit at their bottoms (voted per page from where the verdict codes stand
//! against the titles, as the PDF reader votes), a row's findings may start above its
//! title, level with the row before: the page's lines are then put row by row, cell by
//! cell (bottom: rows end with their code line; centred: runs of each column centred
//! on the codes), the grid heading (found by the templates' heading words) and
//! full-width lines staying in place.
//!
//! A cut that is a guess (one space between two cells and no neighbour's cell starting
//! at that character column, or text running across a column's start) is noted in
//! [`SourceDocument::notes`] (`layout_column_guessed`).

use super::{Column, GridHeading, Line, LineOrder, Position, SourceDocument, SourceNote};

/// Share of the text lines that must hold a wide inner gap (three spaces or more)
/// for the text to be read as a layout dump: one in `GAPPED_SHARE`.
const GAPPED_SHARE: usize = 5;
/// Steps the centred rows' programme may take on one section (items² × rows): far
/// above any report's page, a bound against a pathological dump.
const MAX_ASSIGN_STEPS: usize = 20_000_000;
/// Fragment starts needed to make a column: two, as a page may hold only two rows
/// (the last of a grid) and a verdict column few codes; a lone start is no column.
const MIN_STARTS: usize = 2;
/// No column starts this close to the margin: that is an indent (a wrapped label's
/// second line), with no room for a column on its left.
const MIN_COLUMN_START: usize = 6;
/// Starts at most this many characters apart (chained) belong to one column.
const DRIFT: usize = 3;
/// Clusters at most this many characters apart that never meet on one line are one
/// column.
const MERGE_GAP: usize = 8;

/// Whether decoded text lines look like a layout dump: many lines hold two blocks of
/// text separated by a wide run of spaces.
pub fn looks_like_layout(lines: &[Line]) -> bool {
    let text: Vec<&str> = lines
        .iter()
        .map(|l| l.text.trim_end())
        .filter(|t| !t.trim().is_empty())
        .collect();
    if text.len() < 10 || text.iter().any(|t| t.contains('\t')) {
        return false;
    }
    let gapped = text
        .iter()
        .filter(|t| t.trim_start().contains("   "))
        .count();
    gapped * GAPPED_SHARE >= text.len()
}

/// Turns the plain lines of a layout dump into positioned lines in visual order: each
/// line is cut at its region's column starts; fragments keep the line's number and
/// page.
pub fn position_columns(doc: SourceDocument) -> SourceDocument {
    position_columns_with(doc, &[])
}

/// [`position_columns`], knowing the grid headings of the report templates: a grid's
/// heading lines stay where they are when its rows are put in order.
pub fn position_columns_with(doc: SourceDocument, headings: &[GridHeading]) -> SourceDocument {
    let SourceDocument {
        format,
        pages,
        lines,
        ..
    } = doc;
    let lines = drop_running_lines(lines);
    let mut out = Vec::with_capacity(lines.len());
    let mut notes = Vec::new();
    let mut align = None;
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = (start..lines.len())
            .find(|&i| lines[i].page != page)
            .unwrap_or(lines.len());
        let mut page = Vec::new();
        position_page(&lines[start..end], &mut page, &mut notes);
        out.extend(order_page(&page, &mut align, headings));
        start = end;
    }
    SourceDocument {
        format,
        pages,
        order: LineOrder::Visual,
        lines: out,
        notes,
    }
}

/// Blanks the running header and footer lines: the first or last text line of a
/// page whose text, digits aside, is such a line on at least half the pages (and two
/// at least), set apart from the body by a blank line on one of them or, a title,
/// beside other body lines from page to page, as the PDF reader drops them.
fn drop_running_lines(mut lines: Vec<Line>) -> Vec<Line> {
    let mask = |t: &str| -> String {
        let mut out = String::new();
        for c in t.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
            if !c.is_ascii_digit() {
                out.push(c);
            } else if !out.ends_with('#') {
                out.push('#');
            }
        }
        out
    };
    struct Edge {
        index: usize,
        masked: String,
        /// A blank line (or nothing) sets it apart from the page's body.
        apart: bool,
        /// The body line next to it, masked.
        inner: String,
        /// One run of text (a title), no row of cells.
        single: bool,
    }
    let mut edges: Vec<Edge> = Vec::new();
    let mut pages = 0;
    let mut start = 0;
    while start < lines.len() {
        let page = lines[start].page;
        let end = (start..lines.len())
            .find(|&i| lines[i].page != page)
            .unwrap_or(lines.len());
        pages += 1;
        let text: Vec<usize> = (start..end)
            .filter(|&i| !lines[i].text.trim().is_empty())
            .collect();
        // Set apart from the page's body by a blank line (or nothing): a table's
        // heading repeated at the top of each page is followed by its rows at once,
        // and stays, as the PDF reader keeps it.
        let apart = |i: Option<usize>| {
            i.is_none_or(|i| !(start..end).contains(&i) || lines[i].text.trim().is_empty())
        };
        let inner = |k: Option<usize>| {
            k.and_then(|k| text.get(k))
                .map_or(String::new(), |&i| mask(&lines[i].text))
        };
        let edge = |index: usize, apart: bool, inner: String| Edge {
            index,
            masked: mask(&lines[index].text),
            apart,
            inner,
            single: !lines[index].text.trim().contains("  "),
        };
        if let (Some(&first), Some(&last)) = (text.first(), text.last()) {
            edges.push(edge(first, apart(Some(first + 1)), inner(Some(1))));
            if last != first {
                let before = inner(text.len().checked_sub(2));
                edges.push(edge(last, apart(last.checked_sub(1)), before));
            }
        }
        start = end;
    }
    // A running line recurs on half the pages at least (two at least), and shows it is
    // no part of the body: a blank line sets it apart on some page, or, a single run of
    // text (a title, no row of cells), the body line next to it differs from one page
    // to another (the first line of a grid heading wrapped at page tops is followed by
    // its second line every time).
    let running: Vec<usize> = edges
        .iter()
        .filter(|e| {
            let same: Vec<&Edge> = edges.iter().filter(|o| o.masked == e.masked).collect();
            let apart = same.iter().any(|o| o.apart);
            let varied = e.single && same.iter().any(|o| o.inner != same[0].inner);
            same.len() >= 2 && same.len() * 2 >= pages && (apart || varied)
        })
        .map(|e| e.index)
        .collect();
    for i in running {
        lines[i].text.clear();
    }
    lines
}

/// A line's characters and its fragments: `(first column, last column)` of each run
/// of text between gaps of two spaces or more.
struct Cut {
    chars: Vec<char>,
    fragments: Vec<(usize, usize)>,
    /// The fragments, split where a column starts one space after text.
    pieces: Vec<(usize, usize)>,
    /// For each piece, the column it was split into when a neighbour's cell showed
    /// where that column's text starts on these lines (left of the column's usual
    /// start: a dump shifts a row's wide cell to the left).
    placed: Vec<Option<usize>>,
    /// For each piece, whether the cut before it is a guess: no neighbour's cell
    /// starts exactly there (see [`split_at_single_space`]).
    unsure: Vec<bool>,
}

fn cut(line: &Line) -> Cut {
    let chars: Vec<char> = line.text.trim_end().chars().collect();
    let mut fragments = Vec::new();
    let mut x = 0;
    while x < chars.len() {
        if chars[x].is_whitespace() {
            x += 1;
            continue;
        }
        let first = x;
        let mut last = x;
        while x < chars.len() {
            if !chars[x].is_whitespace() {
                last = x;
                x += 1;
            } else if chars.get(x + 1).is_some_and(|c| !c.is_whitespace()) {
                x += 1; // one space inside a fragment
            } else {
                break;
            }
        }
        fragments.push((first, last));
    }
    Cut {
        chars,
        placed: vec![None; fragments.len()],
        unsure: vec![false; fragments.len()],
        pieces: fragments.clone(),
        fragments,
    }
}

/// Column starts as `(min, max)` clusters of fragment starts, left to right. Starts
/// counted: every fragment after a gap, and an indented line's first fragment.
fn columns(cuts: &[Cut]) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = cuts
        .iter()
        .flat_map(|c| c.fragments.iter().map(|&(first, _)| first))
        .filter(|&first| first >= MIN_COLUMN_START)
        .collect();
    starts.sort_unstable();
    let mut clusters: Vec<(usize, usize, usize)> = Vec::new();
    for x in starts {
        match clusters.last_mut() {
            Some((_, max, count)) if x <= *max + DRIFT => {
                *max = x;
                *count += 1;
            }
            _ => clusters.push((x, x, 1)),
        }
    }
    // A lone start a few characters left of a column's cluster, never on a line with
    // one of its starts, is a cell of that column the dump shifted left (a row whose
    // title runs wide): it widens the cluster rather than being dropped.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (k, &(min, max, count)) in clusters.iter().enumerate() {
        if count >= MIN_STARTS {
            kept.push((min, max));
            continue;
        }
        let Some(&(next_min, next_max, next_count)) = clusters.get(k + 1) else {
            continue;
        };
        let starts_in = |c: &Cut, (lo, hi): (usize, usize)| {
            c.fragments.iter().any(|&(f, _)| (lo..=hi).contains(&f))
        };
        let apart = !cuts
            .iter()
            .any(|c| starts_in(c, (min, max)) && starts_in(c, (next_min, next_max)));
        if next_count >= MIN_STARTS && next_min <= max + MERGE_GAP && apart {
            kept.push((min, max));
        }
    }
    merge_drifting(kept, cuts)
}

/// Two clusters a few characters apart that never start fragments on the same line
/// are one column whose rows a dump shifted (a row with a wide cell starts it a few
/// characters left): they are merged.
fn merge_drifting(clusters: Vec<(usize, usize)>, cuts: &[Cut]) -> Vec<(usize, usize)> {
    let starts_in = |c: &Cut, (min, max): (usize, usize)| {
        c.fragments.iter().any(|&(f, _)| (min..=max).contains(&f))
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    for cluster in clusters {
        match out.last_mut() {
            Some(last)
                if cluster.0 <= last.1 + MERGE_GAP
                    && !cuts
                        .iter()
                        .any(|c| starts_in(c, *last) && starts_in(c, cluster)) =>
            {
                last.1 = cluster.1;
            }
            _ => out.push(cluster),
        }
    }
    out
}

/// The lines above and below line `i` that may show where its cells start: the next
/// ones, passing over a line that holds only the last column's text (a verdict code
/// centred in its row, between two lines of the same cells).
fn neighbours<'c>(cuts: &'c [Cut], i: usize, cols: &[(usize, usize)]) -> [Option<&'c Cut>; 2] {
    let code_only = |c: &Cut| {
        cols.last().is_some_and(|&(min, _)| {
            !c.fragments.is_empty() && c.fragments.iter().all(|&(f, _)| f + DRIFT >= min)
        })
    };
    let above = i.checked_sub(1).and_then(|j| match cuts.get(j) {
        Some(c) if code_only(c) => j.checked_sub(1).and_then(|k| cuts.get(k)),
        other => other,
    });
    let below = match cuts.get(i + 1) {
        Some(c) if code_only(c) => cuts.get(i + 2),
        other => other,
    };
    [above, below]
}

fn position_page(lines: &[Line], out: &mut Vec<Line>, notes: &mut Vec<SourceNote>) {
    let mut cuts: Vec<Cut> = lines.iter().map(cut).collect();
    let cols = columns(&cuts);
    // A split confirmed by a neighbour may confirm the next line's: a few passes.
    for _ in 0..3 {
        for i in 0..cuts.len() {
            let neighbours = neighbours(&cuts, i, &cols);
            let c = &cuts[i];
            // A fragment is split only where the piece after the cut sits in a column
            // left of the next fragment's.
            let mut pieces = Vec::new();
            let mut placed = Vec::new();
            let mut unsure = Vec::new();
            for (k, &fragment) in c.fragments.iter().enumerate() {
                let next = c.fragments.get(k + 1).map(|&(f, _)| column_of(f, &cols));
                let split = split_at_single_space(c, fragment, None, neighbours, &cols);
                let fits = split.last().is_some_and(|&(piece, column, _)| {
                    let column = column.unwrap_or_else(|| column_of(piece.0, &cols));
                    next.is_none_or(|n| column < n)
                });
                // A fragment running across two column start clusters or more is
                // full-width text (prose, a header) unless it is cut into cells
                // wholly: every cut confirmed by a neighbour's cell starting at the
                // very character column, no piece still across a cluster.
                let across = cols
                    .iter()
                    .filter(|&&(min, max)| fragment.0 < min && fragment.1 > max)
                    .count();
                let fits = fits
                    && (across < 2
                        || split
                            .iter()
                            .all(|&(piece, _, guess)| !guess && !crosses(piece, &cols)));
                if split.len() > 1 && fits {
                    for (piece, column, guess) in split {
                        pieces.push(piece);
                        placed.push(column);
                        unsure.push(guess);
                    }
                } else {
                    pieces.push(fragment);
                    placed.push(None);
                    unsure.push(false);
                }
            }
            cuts[i].pieces = pieces;
            cuts[i].placed = placed;
            cuts[i].unsure = unsure;
        }
    }
    for (i, (line, c)) in lines.iter().zip(&cuts).enumerate() {
        let y = (lines.len() - i) as f32;
        if let Some(message) = guessed(c, &cols) {
            notes.push(SourceNote {
                code: COLUMN_GUESSED,
                message,
                line: line.number,
                page: line.page,
            });
        }
        emit(line, c, &cols, y, out);
    }
}

/// The code of the note on a line whose cut into columns is a guess.
pub const COLUMN_GUESSED: &str = "layout_column_guessed";

/// Why a line's cut into columns is a guess, if it is: cut where only one space parts
/// two cells and no neighbour's cell starts at that very character column (the cut
/// found from a neighbour's cell a few characters off, the capitals or a column's
/// start cluster), or a piece of a line of several cells whose text runs across a
/// column's start from well left of it (placed in the column where it ends). A line
/// of one piece across the table is full-width text, no guess.
fn guessed(c: &Cut, cols: &[(usize, usize)]) -> Option<String> {
    let text = |(first, last): (usize, usize)| -> String {
        c.chars[first..=last]
            .iter()
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let unsure = (1..c.pieces.len()).find(|&k| c.unsure[k]);
    if let Some(k) = unsure {
        return Some(format!(
            "layout dump: columns cut at a single space no neighbour's cell confirms, \
             between \"{}\" and \"{}\"",
            text(c.pieces[k - 1]),
            text(c.pieces[k])
        ));
    }
    // Runs across a column's start from further than a cell shifted left (or a
    // heading centred over a narrow column) starts.
    let overrun = |&(first, last): &(usize, usize)| {
        cols.iter()
            .any(|&(min, max)| first + MERGE_GAP < min && last > max)
    };
    if c.pieces.len() > 1 {
        if let Some(&piece) = c.pieces.iter().find(|p| overrun(p)) {
            return Some(format!(
                "layout dump: \"{}\" runs across a column's start, read in the column where \
                 it ends",
                text(piece)
            ));
        }
    }
    None
}

/// The column a fragment starting at `x` belongs to: the last whose cluster starts at
/// or before it (0: left of every column start).
fn column_of(x: usize, cols: &[(usize, usize)]) -> usize {
    cols.iter().take_while(|&&(min, _)| min <= x).count()
}

/// The column of each piece of a line as [`emit`] gives it; `None` for a line of one
/// piece across a column start (full width).
fn piece_columns(c: &Cut, cols: &[(usize, usize)]) -> Vec<Option<usize>> {
    if c.pieces.len() == 1 && crosses(c.pieces[0], cols) {
        return vec![None];
    }
    c.pieces
        .iter()
        .zip(&c.placed)
        .map(|(&piece, &placed)| {
            Some(placed.unwrap_or_else(|| {
                if crosses(piece, cols) {
                    column_of(piece.1, cols)
                } else {
                    column_of(piece.0, cols)
                }
            }))
        })
        .collect()
}

/// Whether a piece runs across a column's start cluster.
fn crosses((first, last): (usize, usize), cols: &[(usize, usize)]) -> bool {
    cols.iter().any(|&(min, max)| first < min && last > max)
}

/// Splits a fragment at a single space where a cell of a column starts: the line above
/// or below has a piece of that column (right of the fragment's own) starting within
/// `DRIFT` characters of the word after that space (the closest such word is taken).
/// That piece starts in the column's start cluster or, in a row whose cell a dump
/// shifted left, left of it (it runs across the cluster, after a wide gap). The text
/// before the cut never reaches the cell start the neighbour shows (cells do not
/// overlap: a dump shifts the right cell left of its start, never the left one into
/// it). Each piece after a cut comes with the column that confirmed it.
///
/// Capitals are never split, a line in capitals across the table being a header; but a
/// fragment whose first words are capitals and whose rest is not, running across the
/// next column's start, where the neighbours' cells of its own column are capitals
/// too (a column of labels in capitals), is cut where the capitals end, however close
/// to the column start the text after them runs: case is the evidence there.
fn split_at_single_space(
    c: &Cut,
    (first, last): (usize, usize),
    own: Option<usize>,
    neighbours: [Option<&Cut>; 2],
    cols: &[(usize, usize)],
) -> Vec<((usize, usize), Option<usize>, bool)> {
    let text: String = c.chars[first..=last].iter().collect();
    if is_capitals(&text) {
        return vec![((first, last), None, false)];
    }
    let own = own.unwrap_or_else(|| column_of(first, cols));
    // Cell starts of the neighbours, with their columns. A neighbour's cell starting
    // in its column's start cluster lets a word start within `DRIFT` of it, when the
    // fragment runs across the whole cluster (no title of the left column does).
    // Elsewhere a word must start exactly where the neighbour's cell does (the lines
    // of one cell start at one character column), and that cell be trusted: the
    // neighbour shows it after a wide gap (one of its fragments), or, shifted left,
    // the text after the cut runs across the whole cluster.
    let starts: Vec<(usize, usize, usize)> = neighbours
        .iter()
        .flatten()
        .flat_map(|n| {
            n.pieces
                .iter()
                .zip(piece_columns(n, cols))
                .filter_map(|(&(f, _), column)| {
                    let after_gap = n.fragments.iter().any(|&(g, _)| g == f);
                    Some((f, column?, after_gap))
                })
        })
        .filter(|&(_, column, _)| column > own)
        .filter_map(|(f, column, after_gap)| {
            let (min, max) = *cols.get(column - 1)?;
            let shifted = f < min;
            if (min..=max).contains(&f) && first < min && last > max {
                Some((f, column, DRIFT))
            } else if f > first + 1 && f <= last && (after_gap || (shifted && last > max)) {
                Some((f, column, 0))
            } else {
                None
            }
        })
        .collect();
    let word_starts = || (first + 2..=last).filter(|&x| c.chars[x - 1] == ' ' && c.chars[x] != ' ');
    // The cut and its column, and whether it is a guess: only a neighbour's cell
    // starting at the very character column confirms a cut.
    let best = capitals_end(c, (first, last), own, neighbours, cols)
        .map(|(x, column)| (x, column, true))
        .or_else(|| {
            word_starts()
                .filter_map(|x| {
                    starts
                        .iter()
                        .filter(|&&(f, _, slack)| f.abs_diff(x) <= slack && x <= f + 1)
                        .map(|&(f, column, _)| (f.abs_diff(x), x, column))
                        .min()
                })
                .min()
                .map(|(diff, x, column)| (x, column, diff > 0))
        })
        .or_else(|| {
            inside_cluster(c, (first, last), own, neighbours, cols)
                .or_else(|| shifted_pair(c, (first, last), own, neighbours, cols))
                .map(|(x, column)| (x, column, true))
        });
    match best {
        Some((x, column, guess)) => {
            let mut pieces = vec![((first, x - 2), None, false)];
            let rest = split_at_single_space(c, (x, last), Some(column), neighbours, cols);
            let mut rest = rest.into_iter();
            if let Some((piece, further, _)) = rest.next() {
                pieces.push((piece, further.or(Some(column)), guess));
            }
            pieces.extend(rest);
            pieces
        }
        None => vec![((first, last), None, false)],
    }
}

/// Where the capitals that open a fragment end, when the rest holds lower case and
/// starts near the start cluster of a column right of the fragment's own (at most
/// `MERGE_GAP` characters left of it, or inside it), the fragment running across that
/// cluster, and a neighbour holds capitals in the fragment's own column: the word
/// after the capitals and that column.
fn capitals_end(
    c: &Cut,
    (first, last): (usize, usize),
    own: usize,
    neighbours: [Option<&Cut>; 2],
    cols: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let words: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut x = first;
        while x <= last {
            let start = x;
            while x <= last && c.chars[x] != ' ' {
                x += 1;
            }
            out.push((start, x - 1));
            x += 1;
        }
        out
    };
    let word = |(a, b): (usize, usize)| c.chars[a..=b].iter().collect::<String>();
    let caps = words.iter().take_while(|&&w| is_capitals(&word(w))).count();
    let &(x, _) = words.get(caps).filter(|_| caps > 0)?;
    let rest: String = c.chars[x..=last].iter().collect();
    if !rest.chars().any(char::is_lowercase) {
        return None;
    }
    let labels_beside = neighbours.iter().flatten().any(|n| {
        n.pieces
            .iter()
            .zip(piece_columns(n, cols))
            .any(|(&(f, l), column)| {
                column == Some(own) && is_capitals(&n.chars[f..=l].iter().collect::<String>())
            })
    });
    if !labels_beside {
        return None;
    }
    cols.iter()
        .enumerate()
        .map(|(k, &cluster)| (k + 1, cluster))
        .find(|&(column, (min, max))| {
            column > own && x + MERGE_GAP >= min && x <= max && first < min && last > max
        })
        .map(|(column, _)| (x, column))
}

/// Failing a neighbour's cell start to align with: a word after one space starting
/// inside a column's start cluster, on a fragment running across that whole cluster
/// (no title of the left column does), beside a neighbour holding a cell of that
/// column (a dump may start one line of a cell a few characters off the others).
fn inside_cluster(
    c: &Cut,
    (first, last): (usize, usize),
    own: usize,
    neighbours: [Option<&Cut>; 2],
    cols: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let beside = |column: usize| {
        neighbours
            .iter()
            .flatten()
            .any(|n| !n.fragments.is_empty() && piece_columns(n, cols).contains(&Some(column)))
    };
    cols.iter().enumerate().find_map(|(k, &(min, max))| {
        let column = k + 1;
        if column <= own || first >= min || last <= max || !beside(column) {
            return None;
        }
        (min..=max)
            .find(|&x| x > first + 1 && c.chars[x - 1] == ' ' && c.chars[x] != ' ')
            .map(|x| (x, column))
    })
}

/// Failing all else: two lines of one row whose right cell a dump shifted a few
/// characters left of its column's start cluster, each running its left cell into it
/// with one space ("courtois dans le respect Note : …" over "mutuel quel que soit le
/// boucle …"). The lines confirm each other: each has a word after one space within
/// `DRIFT` left of the cluster, at most one character apart, both running across the
/// cluster; and the line's other neighbour holds only text ending before the cluster
/// (the left cell, narrow there), which full-width prose never does. A guess.
fn shifted_pair(
    c: &Cut,
    (first, last): (usize, usize),
    own: usize,
    neighbours: [Option<&Cut>; 2],
    cols: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let shifted_starts = |n: &Cut, min: usize, max: usize| -> Vec<usize> {
        n.fragments
            .iter()
            .filter(|&&(f, l)| f < min && l > max)
            .flat_map(|&(f, l)| {
                (f + 2..=l).filter(|&x| {
                    x < min && x + DRIFT >= min && n.chars[x - 1] == ' ' && n.chars[x] != ' '
                })
            })
            .collect()
    };
    let narrow = |n: Option<&Cut>, min: usize| {
        n.is_some_and(|n| !n.fragments.is_empty() && n.fragments.iter().all(|&(_, l)| l < min))
    };
    let column = own + 1;
    let &(min, max) = cols.get(column - 1)?;
    if first >= min || last <= max {
        return None;
    }
    let own_starts = shifted_starts(c, min, max);
    for (k, partner) in neighbours.iter().enumerate() {
        let Some(partner) = partner else { continue };
        if !narrow(neighbours[1 - k], min) {
            continue;
        }
        let theirs = shifted_starts(partner, min, max);
        let confirmed = own_starts
            .iter()
            .copied()
            .filter(|&x| theirs.iter().any(|&y| y.abs_diff(x) <= 1))
            .max();
        if let Some(x) = confirmed {
            return Some((x, column));
        }
    }
    None
}

/// `y`: the line's height on its page, counted in lines from the bottom.
fn emit(line: &Line, c: &Cut, cols: &[(usize, usize)], y: f32, out: &mut Vec<Line>) {
    let positioned = |x: usize, text: String, column: Column| Line {
        number: line.number,
        page: line.page,
        text,
        position: Some(Position {
            x: x as f32,
            y,
            column,
        }),
    };
    if c.fragments.is_empty() {
        out.push(Line {
            text: String::new(),
            ..line.clone()
        });
        return;
    }
    let text_of = |(first, last): (usize, usize)| -> String {
        c.chars[first..=last]
            .iter()
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let pieces = &c.pieces;
    // A line of one piece running across a column start is a full-width line (a
    // header, prose). On a line of several pieces, a piece across a column start
    // (a heading centred over its cell) belongs to the column where it ends.
    if cols.is_empty() || (pieces.len() == 1 && crosses(pieces[0], cols)) {
        let (first, _) = c.fragments[0];
        let (_, last) = c.fragments[c.fragments.len() - 1];
        return out.push(positioned(first, text_of((first, last)), Column::Full));
    }
    let of = u8::try_from(cols.len() + 1).unwrap_or(u8::MAX);
    // Fragments of one column on one line are one cell line.
    let mut cells: Vec<(usize, usize, String)> = Vec::new();
    for (&(first, last), index) in pieces.iter().zip(piece_columns(c, cols)) {
        let index = index.unwrap_or(0);
        match cells.last_mut() {
            Some((i, _, text)) if *i == index => {
                text.push(' ');
                text.push_str(&text_of((first, last)));
            }
            _ => cells.push((index, first, text_of((first, last)))),
        }
    }
    let alone_left = cells.len() == 1 && cells[0].0 == 0;
    for (index, x, text) in cells {
        let index = u8::try_from(index).unwrap_or(u8::MAX);
        // A line alone in the first column, in capitals, is a header spanning the
        // table (a channel or phase heading), as its cell would be in the document.
        let column = if alone_left && is_capitals(&text) {
            Column::Full
        } else {
            Column::Cell { index, of }
        };
        out.push(positioned(x, text, column));
    }
}

/// Letters, all capitals, at least two of them.
fn is_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !text.chars().any(char::is_lowercase)
}

/// How a grid's cells sit in their rows, voted per page from where the verdict codes
/// stand against the paragraphs of the column before them, and carried to the pages
/// that do not show it (as the PDF reader does for grids without rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Top,
    Middle,
    Bottom,
}

/// The output lines of one dump line, and what they hold.
struct Row<'a> {
    lines: &'a [Line],
}

impl Row<'_> {
    fn cells(&self) -> impl Iterator<Item = (u8, u8, &Line)> {
        self.lines.iter().filter_map(|l| match l.position?.column {
            Column::Cell { index, of } => Some((index, of, l)),
            Column::Full => None,
        })
    }
    fn full(&self) -> bool {
        self.lines
            .iter()
            .any(|l| l.position.is_some_and(|p| p.column == Column::Full))
    }
    fn has(&self, index: u8) -> bool {
        self.cells().any(|(i, _, _)| i == index)
    }
    /// Text of the given column on this line.
    fn text(&self, index: u8) -> Option<&str> {
        self.cells()
            .find(|&(i, _, _)| i == index)
            .map(|(_, _, l)| l.text.as_str())
    }
}

/// Whether a text starts a sentence: its first letter or digit is no lower-case letter.
fn starts_fresh(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase())
}

/// Whether a text ends a sentence (closing quotes and brackets aside).
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['»', '"', ')', ' ']);
    t.ends_with(['.', '!', '?', '…', ':'])
}

/// Paragraphs of one column: runs of its lines (indices into `rows`), a new one where
/// a line starts a sentence after a line that ended one, or after a gap of two lines
/// holding none of the column's text (a code alone between two lines of a cell is no
/// gap).
fn paragraphs(rows: &[Row], index: u8, last: u8) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut previous: Option<usize> = None;
    for (i, row) in rows.iter().enumerate() {
        let Some(text) = row.text(index) else {
            continue;
        };
        let fresh = match previous {
            None => true,
            Some(p) => {
                let between = (p + 1..i).filter(|&j| {
                    !rows[j].cells().all(|(k, _, _)| k == last) || rows[j].lines.is_empty()
                });
                between.count() > 1
                    || (starts_fresh(text) && rows[p].text(index).is_some_and(ends_sentence))
            }
        };
        if fresh {
            out.push(vec![i]);
        } else if let Some(p) = out.last_mut() {
            p.push(i);
        }
        previous = Some(i);
    }
    out
}

/// Votes of one page, from where each verdict code stands against the text of the
/// first column (a row's title, wrapped): level with a title's first line, the next
/// line starting afresh too (the tag, then the numbered title), votes top; with the
/// title begun above it and going on below it in lower case, middle; with a title's
/// last line or no title beside it, the next line starting afresh in every column
/// (a new row), bottom. Two votes, three times those of any other alignment, decide.
fn vote(rows: &[Row], of: u8, headings: &[GridHeading]) -> Option<Align> {
    let last = of - 1;
    let code_only = |r: &Row| r.cells().all(|(i, _, _)| i == last);
    // The next line with text, passing over lines holding only a code.
    let next = |k: usize| (k + 1..rows.len()).find(|&j| !code_only(&rows[j]) || rows[j].full());
    let previous = |k: usize| {
        (0..k)
            .rev()
            .find(|&j| !code_only(&rows[j]) || rows[j].full())
    };
    let fresh_title = |j: Option<usize>| j.and_then(|j| rows[j].text(0)).map(starts_fresh);
    let mut votes = [0usize; 3];
    for (k, row) in rows.iter().enumerate() {
        if !row.has(last) || row.full() || heading_line(row, of, headings) {
            continue;
        }
        let here = row.text(0).map(starts_fresh);
        let after = next(k);
        let after_title = fresh_title(after);
        let after_fresh = after.is_none_or(|j| {
            rows[j].full() || rows[j].cells().all(|(_, _, l)| starts_fresh(&l.text))
        });
        let before_title = match here {
            Some(_) => here,
            None => fresh_title(previous(k)),
        };
        if here == Some(true) && after_title == Some(true) {
            votes[0] += 1;
        } else if before_title.is_some() && here != Some(true) && after_title == Some(false) {
            votes[1] += 1;
        } else if here != Some(true) && after_fresh && after_title != Some(false) {
            votes[2] += 1;
        }
    }
    let best = (0..3).max_by_key(|&i| (votes[i], std::cmp::Reverse(i)))?;
    let second = (0..3).filter(|&i| i != best).map(|i| votes[i]).max()?;
    (votes[best] >= 2 && votes[best] >= 3 * second).then_some(match best {
        0 => Align::Top,
        1 => Align::Middle,
        _ => Align::Bottom,
    })
}

/// Whether a dump line is part of a grid heading: its first cell starts as the
/// heading's first cell does, or its last cell as the heading's last.
fn heading_line(row: &Row, of: u8, headings: &[GridHeading]) -> bool {
    let starts = |text: &str, cell: Option<&&[&str]>| {
        let text = text.to_lowercase();
        cell.is_some_and(|c| c.iter().any(|s| text.starts_with(&s.to_lowercase())))
    };
    headings.iter().any(|h| {
        row.text(0).is_some_and(|t| starts(t, h.cells.first()))
            || row.text(of - 1).is_some_and(|t| starts(t, h.cells.last()))
    })
}

/// Whether every cell of a dump line starts as the heading's cell of its column does
/// (a heading cell's wrapped part, "Commentaires" under "Appréciation de l'auditeur").
fn heading_part(row: &Row, headings: &[GridHeading]) -> bool {
    row.cells().next().is_some()
        && row.cells().all(|(index, _, l)| {
            let text = l.text.to_lowercase();
            headings.iter().any(|h| {
                h.cells
                    .get(index as usize)
                    .is_some_and(|c| c.iter().any(|s| text.starts_with(&s.to_lowercase())))
            })
        })
}

/// Orders one page's lines row by row, cell by cell, for grids whose cells are centred
/// in their rows or sit at their bottoms (a row's findings may then start above its
/// first column's text, level with the row before). Top-aligned grids, and text
/// without codes, keep the dump's order, which is already the rows' order.
fn order_rows(rows: &[Row], align: &mut Option<Align>, headings: &[GridHeading]) -> Vec<Line> {
    let of = rows
        .iter()
        .flat_map(|r| r.cells())
        .map(|(_, of, _)| of)
        .max()
        .unwrap_or(0);
    let in_order = || rows.iter().flat_map(|r| r.lines.iter().cloned()).collect();
    if of < 3 {
        return in_order();
    }
    if let Some(a) = vote(rows, of, headings) {
        *align = Some(a);
    }
    let Some(a @ (Align::Middle | Align::Bottom)) = *align else {
        return in_order();
    };
    // Sections between full-width lines and grid headings, which stay in place.
    // A heading's wrapped part stands right after or before a heading line.
    let heading_at = |i: usize| heading_line(&rows[i], of, headings);
    let separator_at = |i: usize| {
        rows[i].full()
            || heading_at(i)
            || (heading_part(&rows[i], headings)
                && ((i > 0 && heading_at(i - 1)) || (i + 1 < rows.len() && heading_at(i + 1))))
    };
    let blank = |r: &Row| r.lines.iter().all(|l| l.text.trim().is_empty());
    let mut parts: Vec<(std::ops::Range<usize>, Option<Vec<Group>>)> = Vec::new();
    let mut start = 0;
    let mut page_top = true;
    while start < rows.len() {
        if separator_at(start) {
            page_top &= !rows[start].full();
            parts.push((start..start + 1, None));
            start += 1;
            continue;
        }
        let end = (start..rows.len())
            .find(|&i| separator_at(i))
            .unwrap_or(rows.len());
        let section = &rows[start..end];
        let groups = match a {
            Align::Bottom => bottom_rows(section, of),
            _ => middle_rows(section, of, page_top),
        };
        page_top &= section.iter().all(blank);
        parts.push((start..end, groups));
        start = end;
    }
    // Codes centred in their rows do not make findings centred: where most rows'
    // findings start level with their first column's first line, the dump's order is
    // the rows' order already.
    if a == Align::Middle {
        let (mut level, mut apart) = (0, 0);
        for groups in parts.iter().filter_map(|p| p.1.as_ref()) {
            for g in groups.iter().skip(1) {
                match (g[0].first(), g[1].first()) {
                    (Some(a), Some(b)) if a == b => level += 1,
                    (Some(_), Some(_)) => apart += 1,
                    _ => {}
                }
            }
        }
        if apart <= level {
            return in_order();
        }
    }
    let mut out = Vec::new();
    for (range, groups) in parts {
        let section = &rows[range];
        match groups {
            Some(groups) => {
                for group in groups {
                    for (index, lines) in group.iter().enumerate() {
                        for &i in lines {
                            out.extend(
                                section[i]
                                    .cells()
                                    .filter(|c| usize::from(c.0) == index)
                                    .map(|c| c.2.clone()),
                            );
                        }
                    }
                }
                out.extend(
                    section
                        .iter()
                        .filter(|r| blank(r))
                        .flat_map(|r| r.lines.iter().cloned()),
                );
            }
            None => out.extend(section.iter().flat_map(|r| r.lines.iter().cloned())),
        }
    }
    out
}

/// One row's lines per column (indices into the section).
type Group = Vec<Vec<usize>>;

/// Bottom-aligned rows end with their code line; lines after a section's last code
/// (a row a page break cuts) keep their order.
fn bottom_rows(section: &[Row], of: u8) -> Option<Vec<Group>> {
    let last = of - 1;
    let codes: Vec<usize> = (0..section.len())
        .filter(|&i| section[i].has(last))
        .collect();
    let &final_code = codes.last()?;
    // Each line's row: the rows end at the codes; the rest, in the dump's order, line
    // by line.
    let row_of = |i: usize| match codes.iter().position(|&k| k >= i) {
        Some(r) => r,
        None => codes.len() + (i - final_code - 1),
    };
    let count = codes.len() + (section.len() - final_code - 1);
    let mut groups: Vec<Group> = vec![vec![Vec::new(); of as usize]; count];
    for (i, row) in section.iter().enumerate() {
        for (index, _, _) in row.cells() {
            groups[row_of(i)][index as usize].push(i);
        }
    }
    Some(groups)
}

/// Centred rows: each code line is the centre of its row. The first column's lines
/// are cut into one run per code, each centred on its code (a cut before a line
/// starting in lower case, a title's next line, costs); the other columns'
/// paragraphs go, in order, to the rows they are centred on, or none. At the top of a
/// page, lines may go before the first row: the rest of a row a page break cut.
fn middle_rows(section: &[Row], of: u8, page_top: bool) -> Option<Vec<Group>> {
    let last = of - 1;
    let codes: Vec<usize> = (0..section.len())
        .filter(|&i| section[i].has(last))
        .collect();
    if codes.is_empty() {
        return None;
    }
    let slots = codes.len() + 1;
    let mut groups: Vec<Group> = vec![vec![Vec::new(); of as usize]; slots];
    for &k in &codes {
        let slot = codes.iter().position(|&c| c == k)? + 1;
        groups[slot][last as usize].push(k);
    }
    for index in 0..last {
        let items: Vec<Vec<usize>> = if index == 0 {
            (0..section.len())
                .filter(|&i| section[i].has(0))
                .map(|i| vec![i])
                .collect()
        } else {
            paragraphs(section, index, last)
        };
        let assigned = assign(section, &items, &codes, index == 0, page_top, index)?;
        for (item, slot) in items.iter().zip(assigned) {
            groups[slot][index as usize].extend(item);
        }
    }
    Some(groups)
}

/// Assigns items (runs of lines of one column, in order) to slots in order: slot 0
/// before the first row (page top only), slot `s` the row of code `s - 1`. Least total
/// distance of each slot's run's centre from its code; in the first column every row
/// gets a run and a run starting in lower case, continuing a title, costs.
fn assign(
    section: &[Row],
    items: &[Vec<usize>],
    codes: &[usize],
    anchors: bool,
    page_top: bool,
    index: u8,
) -> Option<Vec<usize>> {
    let n = items.len();
    let slots = codes.len() + 1;
    let inf = f64::INFINITY;
    let lower = |j: usize| {
        section[items[j][0]]
            .text(index)
            .is_some_and(|t| !starts_fresh(t))
    };
    let cost = |from: usize, to: usize, s: usize| -> f64 {
        let (a, b) = (
            items[from][0],
            *items[to - 1].last().unwrap_or(&items[from][0]),
        );
        // A row's cell never reaches another row's code line (its centre).
        let inside = codes.partition_point(|&k| k < a)..codes.partition_point(|&k| k <= b);
        if !(inside.is_empty() || (inside.len() == 1 && inside.start + 1 == s)) {
            return inf;
        }
        let mut c = if s == 0 {
            if !page_top {
                return inf;
            }
            if lower(from) {
                0.0
            } else {
                0.5
            }
        } else {
            ((a + b) as f64 / 2.0 - codes[s - 1] as f64).abs()
        };
        if s > 0 && lower(from) && (from > 0 || page_top) {
            c += 2.0;
        }
        c
    };
    // A page too large for the programme (no such grid page exists) keeps its order.
    if n.saturating_mul(n).saturating_mul(slots) > MAX_ASSIGN_STEPS {
        return None;
    }
    // best[j][s]: least cost of items[..j], the last run in slot s.
    let mut best = vec![vec![inf; slots]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); slots]; n + 1];
    best[0][0] = 0.0;
    for to in 1..=n {
        for from in 0..to {
            // The least of best[from][p] over the slots p before s, as s grows.
            let mut before_s = (inf, 0usize);
            for s in 0..slots {
                // The run before this one: none (from 0, slot 0 then); in the first
                // column, the row just before (every row has its run); elsewhere any
                // slot before (rows left without a run).
                let before = if from == 0 {
                    (!anchors || s <= 1).then_some((best[0][0], 0))
                } else if anchors {
                    s.checked_sub(1).map(|p| (best[from][p], p))
                } else {
                    Some(before_s)
                };
                if best[from][s] < before_s.0 {
                    before_s = (best[from][s], s);
                }
                let Some((v, p)) = before.filter(|(v, _)| v.is_finite()) else {
                    continue;
                };
                let c = cost(from, to, s);
                if c.is_finite() && v + c < best[to][s] {
                    best[to][s] = v + c;
                    back[to][s] = (from, p);
                }
            }
        }
    }
    let end = if anchors { Some(slots - 1) } else { None };
    let mut s = match end {
        Some(s) if best[n][s].is_finite() => s,
        Some(_) => return None,
        None => (0..slots)
            .filter(|&s| best[n][s].is_finite())
            .min_by(|&x, &y| best[n][x].total_cmp(&best[n][y]))?,
    };
    let mut out = vec![0; n];
    let mut to = n;
    while to > 0 {
        let (from, p) = back[to][s];
        out[from..to].fill(s);
        to = from;
        s = p;
    }
    Some(out)
}

/// Puts one page's positioned lines in row order (see [`order_rows`]); the lines of
/// one dump line are consecutive and share its number.
fn order_page(page: &[Line], align: &mut Option<Align>, headings: &[GridHeading]) -> Vec<Line> {
    let mut rows = Vec::new();
    let mut start = 0;
    while start < page.len() {
        let end = (start..page.len())
            .find(|&i| page[i].number != page[start].number)
            .unwrap_or(page.len());
        rows.push(Row {
            lines: &page[start..end],
        });
        start = end;
    }
    order_rows(&rows, align, headings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::split_lines;

    fn columns(text: &str) -> Vec<(String, String)> {
        position_columns(split_lines(text))
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| (l.position.unwrap().column.to_string(), l.text.clone()))
            .collect()
    }

    #[test]
    fn gutters_aligned_over_many_lines_cut_lines_into_cells() {
        let text = "\
MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS ET LES AUTRES
Module 1            PF : Un accueil                      C
1. Un titre sur     chaleureux et des
plusieurs lignes    agents formés.
Module 1            Note : Rien.                         NC min
2. Un autre titre   Note : Les agents
long de trois li    sont formés.
gnes                Une autre ligne.
ACCUEIL PHYSIQUE
Module 1            PP : Revoir.                         C
3. Titre court      Suite du texte.
";
        let got = columns(text);
        assert_eq!(got[0].0, "full");
        assert_eq!(got[1], ("1/3".into(), "Module 1".into()));
        assert_eq!(got[2], ("2/3".into(), "PF : Un accueil".into()));
        assert_eq!(got[3], ("3/3".into(), "C".into()));
        assert!(got.contains(&("3/3".into(), "NC min".into())));
        assert!(got.contains(&("full".into(), "ACCUEIL PHYSIQUE".into())));
        assert!(got.contains(&("1/3".into(), "gnes".into())));
    }

    #[test]
    fn a_cell_shifted_left_one_space_after_a_title_is_cut_where_its_neighbour_starts() {
        // Row "22.": its finding starts at column 32, left of the others (at 36), one
        // space after the title on the second line; the first line shows it after a
        // wide gap. A title whose last word ends near a column is not cut.
        let text = "\
Module 2                            Note : Fiches pratiques disponibles au PAN.       C
21. Nous vous informons sur les     Une autre ligne de la note.
démarches de demande de titres
Module 2                        PF : Tutoriels imprimés pour les démarches les plus
22. Nous vous accompagnons dans certificat d'immatriculation).                        C
démarches en ligne sur les titres
Module 2                            Note : Le délai de traitement n'est pas suivi.    NC min
23. Nous traitons vos demandes      Suite de la note.
dans un délai annoncé et de
Module 2                            Note : Référent fraude désigné.                   C
24. Nous luttons contre la fraude   Deux sessions en 2019.
";
        let got = columns(text);
        assert!(got.contains(&("1/3".into(), "22. Nous vous accompagnons dans".into())));
        assert!(got.contains(&("2/3".into(), "certificat d'immatriculation).".into())));
        assert!(got.contains(&("1/3".into(), "dans un délai annoncé et de".into())));
    }

    #[test]
    fn two_lines_shifted_alike_confirm_each_others_cut() {
        // Row "2.": its note starts two characters left of the column (at 27), one
        // space after the title, on two lines in a row; the title's lines around them
        // end before the column. A paragraph across the table (after a blank line),
        // its lines wide above and below, is never cut so.
        let text = "\
Module 1                   PF : Accueil bienveillant au guichet.                     C
1. Nous vous informons     Note : Registre tenu.
sur nos services
Module 1                   PF : Accueil constaté au guichet.
2. Un accueil attentif et
                                                                                     C
courtois dans le respect Note : Registre disponible à l'accueil ;
mutuel quel que soit le boucle magnétique portative.
canal
Module 1                   Note : Enquête réalisée.                                  C
3. A votre écoute pour     Suite de la note.

Une phrase de prose qui court sur toute la largeur de la page sans colonnes.
Une seconde ligne de la même prose dans la page, elle aussi sans colonnes.
Et une troisième qui court encore sur toute la largeur de la page, large.
";
        let got = columns(text);
        assert!(got.contains(&("1/3".into(), "courtois dans le respect".into())));
        assert!(got.contains(&(
            "2/3".into(),
            "Note : Registre disponible à l'accueil ;".into()
        )));
        assert!(got.contains(&("1/3".into(), "mutuel quel que soit le".into())));
        assert!(got.contains(&("2/3".into(), "boucle magnétique portative.".into())));
        let prose = "Une seconde ligne de la même prose dans la page, elle aussi sans colonnes.";
        assert!(got.contains(&("full".into(), prose.into())), "{got:?}");
    }

    #[test]
    fn prose_right_after_a_grid_row_stays_whole() {
        // A conclusion paragraph that follows the grid's last row with no blank line:
        // its words fall by chance near the column starts of the row above, but its
        // lines run across every column (as wide as the table); they are prose, not
        // cells. Cut, the first line would confirm the second's cut, and so on.
        let text = "\
Module 1                   PF : Accueil bienveillant au guichet.                     C
1. Nous vous informons     Note : Registre tenu.
Module 1                   PF : Accueil constaté au guichet.                         C
2. Un accueil attentif     Note : Registre disponible.
Module 1                   Note : Enquête réalisée.                                  C
3. A votre écoute pour     Suite de la note.
Au terme de cet audit les auditeurs relèvent une organisation solide et des agents très
engagés dans la démarche ; les pistes de progrès portent surtout sur le suivi précis des
réclamations et sur la mesure de la satisfaction des usagers au guichet et au téléphone.
";
        let got = columns(text);
        for line in text.lines().skip(6) {
            assert!(
                got.contains(&("full".into(), line.into())),
                "{line:?}: {got:?}"
            );
        }
    }

    #[test]
    fn starts_a_few_characters_apart_never_on_one_line_are_one_column() {
        let mut text = String::new();
        for i in 0..4 {
            text.push_str(&format!(
                "Module 1                             Note : constat {i} du premier groupe.   C\n"
            ));
        }
        for i in 0..4 {
            text.push_str(&format!(
                "Module 1                         Note : constat {i} du second groupe.      C\n"
            ));
        }
        let got = columns(&text);
        assert!(got.iter().all(|(c, _)| c.ends_with("/3")), "{got:?}");
        assert!(got.contains(&("2/3".into(), "Note : constat 0 du second groupe.".into())));
    }

    #[test]
    fn a_running_footer_goes_and_a_repeated_grid_heading_stays() {
        let page = "\
                      Appréciation de l'auditeur
Engagements de service                                   Conformité
                      Commentaires
Module 1              Note : Rien à signaler.            C
1. Un titre           Suite.
Module 1              PF : Accueil.                      C
2. Un autre titre     Suite.

              Rapport d'audit - Page 1 / 2
";
        let text = format!("{page}\u{c}{}", page.replace("Page 1", "Page 2"));
        let got = columns(&text);
        assert!(!got.iter().any(|(_, t)| t.contains("Rapport d'audit")));
        assert_eq!(
            got.iter()
                .filter(|(_, t)| t == "Appréciation de l'auditeur")
                .count(),
            2
        );
    }

    fn notes(text: &str) -> Vec<(usize, String)> {
        position_columns(split_lines(text))
            .notes
            .into_iter()
            .map(|n| (n.line, n.message))
            .collect()
    }

    #[test]
    fn capitals_opening_a_label_line_end_where_its_content_starts_one_space_after() {
        // A column of labels in capitals; one label runs up to one space before its
        // content, which starts left of the content column (at 30, not 34). The cut
        // goes where the capitals end, not in the content column's start cluster.
        let text = "\
POINTS FORTS                      Un bureau réorganisé et impliqué dans la démarche.
POINTS SENSIBLES                  La formation des nouveaux agents du pôle armes.
LES BONNES PRATIQUES              Le guide du détenteur d'armes et ses annexes.
LES RESULTATS DES ENQUETES DE 89 % de satisfaits en 2023 (640 réponses).
SATISFACTION DES USAGERS
FICHE(S) D'ECART(S)               Trois non-conformités mineures constatées.
CONCLUSION GENERALE DE            L'extension du label est proposée au comité.
";
        let got = columns(text);
        assert!(got.contains(&("1/2".into(), "LES RESULTATS DES ENQUETES DE".into())));
        assert!(got.contains(&(
            "2/2".into(),
            "89 % de satisfaits en 2023 (640 réponses).".into()
        )));
        let notes = notes(text);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, 4);
        assert!(notes[0].1.contains("single space"), "{notes:?}");
    }

    #[test]
    fn a_title_never_reaches_the_start_of_the_cell_beside_it() {
        // Row 40: its note's second line starts two characters left of the first (a
        // dump shifts the cell left of a long title); the cut before "les" would leave
        // "sur" in the title, reaching the note's start.
        let text = "\
Module 5                     Note : Les agents instructeurs sont formés.                 C
39. Nous traitons vos        Suite de la note sur les délais.
demandes dans un délai       Une autre ligne de la note.
Module 5                     Note : Les trois agents ont suivi la formation SIA (système C
40. Nos agents sont formés sur les armes) en 2021.
à l'instruction des demandes
Module 5                     Note : Rien à signaler.                                      C
41. Un dernier titre         Fin.
";
        let got = columns(text);
        assert!(got.contains(&("1/3".into(), "40. Nos agents sont formés".into())));
        assert!(got.contains(&("2/3".into(), "sur les armes) en 2021.".into())));
        // Two characters off the neighbour's cell start: a guess, said.
        assert_eq!(notes(text).iter().map(|n| n.0).collect::<Vec<_>>(), vec![5]);
    }

    #[test]
    fn cells_cut_in_gutters_or_where_a_neighbour_starts_are_no_guess() {
        let text = "\
Module 2                            Note : Fiches pratiques disponibles au PAN.       C
21. Nous vous informons sur les     Une autre ligne de la note.
démarches de demande de titres
Module 2                        PF : Tutoriels imprimés pour les démarches les plus
22. Nous vous accompagnons dans certificat d'immatriculation).                        C
démarches en ligne sur les titres
Module 2                            Note : Le délai de traitement n'est pas suivi.    NC min
23. Nous traitons vos demandes      Suite de la note.
";
        assert_eq!(notes(text), Vec::new());
    }

    #[test]
    fn a_page_title_followed_by_other_lines_on_each_page_goes() {
        // "Grille d'audit" heads three pages, followed by the grid heading, a cell's
        // rest and a blank line: a running title, dropped; the grid heading stays.
        let rows = "\
Module 1              Note : Rien à signaler.            C
1. Un titre           Suite.
Module 1              PF : Accueil.                      C
2. Un autre titre     Suite.
";
        let heading = "\
Engagements de service                                   Conformité
";
        let text = format!(
            "             Grille d'audit\n{heading}{rows}\u{c}             Grille d'audit\n\
             {rows}\u{c}             Grille d'audit\n\n{heading}{rows}"
        );
        let got = columns(&text);
        assert!(!got.iter().any(|(_, t)| t.contains("Grille")), "{got:?}");
        assert_eq!(
            got.iter()
                .filter(|(_, t)| t.starts_with("Engagements"))
                .count(),
            2
        );
    }

    const HEADING: GridHeading = GridHeading {
        cells: &[
            &["Engagements de service"],
            &["Appr", "Commentaires"],
            &["Conformit"],
        ],
    };

    /// The texts in the order the positioned lines come.
    fn ordered(text: &str) -> Vec<String> {
        position_columns_with(split_lines(text), &[HEADING])
            .lines
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| l.text.clone())
            .collect()
    }

    fn at(got: &[String], text: &str) -> usize {
        got.iter()
            .position(|t| t == text)
            .unwrap_or_else(|| panic!("{text:?} not in {got:?}"))
    }

    #[test]
    fn bottom_aligned_rows_end_with_their_code_and_the_next_row_starts_after_it() {
        // Calc rows: each code on its row's last line; row 3's finding starts one line
        // above its tag, level with the end of row 2.
        let text = "\
Engagements de service      Appréciation de l'auditeur              Conformité
Module 1
1. Un titre sur deux        PF : Un accueil chaleureux.
lignes                      Note : Les agents sont formés.           C
Module 1
2. Un autre titre sur       Note : Rien à signaler.
trois lignes bien
remplies                                                             C
                            PS : Aucune enquête de satisfaction n'a
Module 1                    été réalisée depuis 2018.
3. Un troisième titre       PP : Mettre en place une enquête en
qui continue                ligne.                                   NC min
Module 1
4. Titre court sur          Note : Cf. Pilotage.
deux lignes                                                          C
";
        let got = ordered(text);
        let ps = at(&got, "PS : Aucune enquête de satisfaction n'a");
        assert!(at(&got, "3. Un troisième titre") < ps, "{got:?}");
        assert!(
            at(&got, "remplies") < ps && at(&got, "Module 1") < ps,
            "{got:?}"
        );
        assert!(ps < at(&got, "NC min"), "{got:?}");
    }

    #[test]
    fn centred_rows_take_the_findings_centred_on_their_codes() {
        // Cells centred in rows without rules: row 2's findings, longer than its
        // title, start above its tag, right after row 1's finding.
        let text = "\
Engagements de service      Appréciation de l'auditeur – Commentaires      Conformité
Module 1
1. Un titre sur             Note : Le guide a été mis à jour en mars
                                                                           C
plusieurs lignes            pour le nouveau bâtiment.
de texte
                            PF : Tableau de bord trimestriel de la
                            satisfaction, affiché dans les salles.
                            PP : Ajouter une question sur le
Module 1                    téléphone.
2. A votre écoute pour      Note : Enquête continue sur tablette de         C
progresser                  janvier à juin.
                            Les réclamations sont suivies dans un
                            tableau unique.
                            Le bilan est publié sur le site
                            internet.
Module 1
4. Nous formons nos         Note : Cf. Pilotage.
                                                                           C
agents pour améliorer
la qualité de service
";
        let got = ordered(text);
        let pf = at(&got, "PF : Tableau de bord trimestriel de la");
        let tag2 = got
            .iter()
            .enumerate()
            .filter(|(_, t)| *t == "Module 1")
            .map(|(i, _)| i)
            .nth(1)
            .expect("second tag");
        assert!(at(&got, "de texte") < pf, "{got:?}");
        assert!(
            tag2 < pf && at(&got, "2. A votre écoute pour") < pf,
            "{got:?}"
        );
        assert!(at(&got, "pour le nouveau bâtiment.") < tag2, "{got:?}");
        assert!(
            at(&got, "internet.") < at(&got, "4. Nous formons nos"),
            "{got:?}"
        );
    }

    #[test]
    fn prose_has_no_gutter_and_tabs_are_no_layout() {
        let prose = "Le département compte environ 332 000 habitants répartis sur 319\n\
communes. La préfecture est située à Agen ; le département compte trois\n\
sous-préfectures (Marmande, Nérac et Villeneuve-sur-Lot) et une forte\n\
population agricole. La préfecture était labellisée Qualipref 2.0 depuis\n\
2016. Elle s'engage pour la première fois dans la labellisation, sur les\n\
modules 1 et 2. Environ 45 agents sont concernés par la démarche qualité.\n";
        assert!(columns(prose).iter().all(|(c, _)| c == "full"));
        let tabs = split_lines(&"Module 1\t1. Titre\tC\n".repeat(12));
        assert!(!looks_like_layout(&tabs.lines));
    }
}
