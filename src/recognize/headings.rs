//! Headings of the grid found by structure, the template's words as evidence (issue 10,
//! "structure before wording").
//!
//! - The **grid heading row** ("Engagements de service" | "Appréciation de l'auditeur" |
//!   "Conformité", or a prefecture's own "Engagement" | "Constats de l'auditeur" |
//!   "Cotation"), repeated at each page top of the grid: a run of short lines (one short
//!   text per cell, no digit, no code, no marker) whose sequence comes back at the top of
//!   several pages (or, in a text without pages, several times, its first time right
//!   above the grid's first rows). Cells that wrap ("Engagements de" / "service") are
//!   part of the sequence. Where the template's words name one of its lines, the row is
//!   the template's; otherwise a `grid_heading_guessed` diagnostic says it was taken by
//!   its place.
//! - **Module and channel headings**: short full-width lines between rows, numbered
//!   ("MODULE I : …", "1 – RELATION …") or in capitals, followed by commitment rows. A
//!   numbered one is a module heading; one in capitals heads a module when the numbers of
//!   the rows after it leave the current module for another (by the template's
//!   numbering), else a channel (by the template's channel words found in it, else by the
//!   channel the numbering gives the next row). Each says so in a
//!   `module_heading_guessed` / `channel_heading_guessed` diagnostic.
//!
//! Lines the template's words already classify are left as they are.

use std::collections::HashMap;

use super::lexicon::{LineKind, Part};
use super::template::{Role, Template};
use super::Ctx;
use crate::model::{Channel, Severity};
use crate::source::{Column, Line};
use crate::text::{collapse_whitespace, fold};

/// At most this many lines in one heading row (wrapped cells included).
const MAX_HEADING_LINES: usize = 8;

/// A line that may be a cell (or a wrapped piece of a cell) of the grid heading row:
/// short, a few words, no digit, not a sentence's end, not spanning the page.
fn heading_like(line: &Line, kind: &LineKind) -> bool {
    if !matches!(
        kind,
        LineKind::Text | LineKind::PageHeader | LineKind::ConclusionLabel(_)
    ) {
        return false;
    }
    let t = line.text.trim();
    let words = t.split_whitespace().count();
    // A line spanning the grid is a heading of rows, unless it is one or two words (a
    // layout dump may miss the cell of a short heading title: "Conformité").
    let spans = line.position.is_some_and(|p| p.column == Column::Full);
    (1..=if spans { 2 } else { 6 }).contains(&words)
        && t.chars().count() <= 48
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with(['.', ',', ';', ':'])
        && t.chars().any(char::is_alphabetic)
}

fn starts_with_capital(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// What identifies a heading line across pages: its cell and its folded text.
fn key(line: &Line) -> (Option<u8>, String) {
    let column = line.position.and_then(|p| match p.column {
        Column::Cell { index, .. } => Some(index),
        Column::Full => None,
    });
    (column, fold(&collapse_whitespace(&line.text)))
}

/// Runs of heading-like lines (blank lines inside skipped), each on one page.
fn runs(lines: &[Line], kinds: &[LineKind]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for (i, (line, kind)) in lines.iter().zip(kinds).enumerate() {
        if *kind == LineKind::Blank {
            continue;
        }
        let same_page = current
            .last()
            .is_none_or(|&last| lines[last].page == line.page);
        if heading_like(line, kind) && same_page {
            current.push(i);
            continue;
        }
        if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        if heading_like(line, kind) {
            current.push(i);
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The significant line before `i` (blank lines skipped).
fn previous_significant(kinds: &[LineKind], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| kinds[j] != LineKind::Blank)
}

/// Non-blank lines of `i`'s page before it.
fn lines_above_on_page(lines: &[Line], kinds: &[LineKind], i: usize) -> usize {
    (0..i)
        .rev()
        .take_while(|&j| lines[j].page == lines[i].page)
        .filter(|&j| kinds[j] != LineKind::Blank)
        .count()
}

/// Rows start right after `end` (blank lines and repeated headings aside; on a rebuilt
/// layout, other cells' lines level with the row's first): a "Module N" tag, a numbered
/// line in the commitment cell (or unpositioned), a module, channel, phase or section
/// heading, or a line shaped like one.
fn rows_follow(template: &dyn Template, lines: &[Line], kinds: &[LineKind], end: usize) -> bool {
    for j in end + 1..lines.len().min(end + 12) {
        let role = lines[j]
            .position
            .map(|p| template.role(p.column))
            .filter(|r| *r != Role::Full);
        match &kinds[j] {
            LineKind::Blank | LineKind::Bullet | LineKind::PageHeader => continue,
            LineKind::ModuleTag(_)
            | LineKind::ModuleHeader(_)
            | LineKind::ChannelHeader(_)
            | LineKind::PhaseHeader(_)
            | LineKind::PilotageHeader
            | LineKind::LabellisationHeader => return true,
            LineKind::ItemStart { .. } if role.is_none_or(|r| r == Role::Commitment) => {
                return true
            }
            LineKind::Text if role.is_none() => return heading_shape(&lines[j].text).is_some(),
            _ if role.is_some_and(|r| r != Role::Commitment) => continue,
            _ => return false,
        }
    }
    false
}

/// Marks the grid heading rows. First, by the template's words: lines the lexicon
/// names, and the pieces of a cell wrapped over several lines of one column in the same
/// run ("Engagements de" / "service", "Appréciation de l'auditeur" / "Commentaires").
/// Then by structure: the sequence of short lines that comes back at page tops.
pub(crate) fn mark_grid_headings(
    template: &dyn Template,
    lines: &[Line],
    kinds: &mut [LineKind],
    ctx: &mut Ctx,
) {
    let runs = runs(lines, kinds);
    for run in &runs {
        mark_wrapped_in_run(template, lines, kinds, run);
    }
    mark_repeated_heading(template, lines, kinds, &runs, ctx);
}

/// In a run holding a line the template's words name as the heading, consecutive lines
/// of one column that together read as a heading are one (the cell wrapped).
fn mark_wrapped_in_run(
    template: &dyn Template,
    lines: &[Line],
    kinds: &mut [LineKind],
    run: &[usize],
) {
    let lexicon = template.lexicon();
    if !run.iter().any(|&i| kinds[i] == LineKind::PageHeader) {
        // Cheap test first: a heading's first four letters start one of the lines.
        let may_start = run.iter().any(|&i| {
            let head = fold(lines[i].text.trim_start());
            let head = head.get(..4).unwrap_or("");
            head.len() == 4 && lexicon.grid_headings.iter().any(|h| h.starts_with(head))
        });
        if !may_start {
            return;
        }
    }
    let column = |i: usize| lines[i].position.map(|p| p.column);
    for (k, &first) in run.iter().enumerate() {
        let same: Vec<usize> = run[k..]
            .iter()
            .copied()
            .filter(|&j| column(j) == column(first))
            .take(4)
            .collect();
        let mut joined = String::new();
        for (n, &j) in same.iter().enumerate() {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(lines[j].text.trim());
            if n > 0 && lexicon.grid_headings.contains(&fold(&joined).as_str()) {
                for &m in &same[..=n] {
                    kinds[m] = LineKind::PageHeader;
                }
            }
        }
    }
}

/// The heading row found by its place: the longest sequence of short lines (starting
/// with a capital) that the most runs share, taken when its occurrences stand at page
/// tops (paged input) or, without pages, when its first one stands right above rows.
fn mark_repeated_heading(
    template: &dyn Template,
    lines: &[Line],
    kinds: &mut [LineKind],
    runs: &[Vec<usize>],
    ctx: &mut Ctx,
) {
    type Key = Vec<(Option<u8>, String)>;
    /// How many runs hold a window, and its occurrences as (run, start).
    type Found = (usize, Vec<(usize, usize)>);
    let mut windows: HashMap<Key, Found> = HashMap::new();
    let keys: HashMap<usize, (Option<u8>, String)> = runs
        .iter()
        .flatten()
        .map(|&i| (i, key(&lines[i])))
        .collect();
    for (r, run) in runs.iter().enumerate() {
        for s in 0..run.len() {
            let first = run[s];
            if !starts_with_capital(&lines[first].text) {
                continue;
            }
            // A title's next line is no heading.
            if previous_significant(kinds, first)
                .is_some_and(|p| matches!(kinds[p], LineKind::ItemStart { .. }))
            {
                continue;
            }
            for len in 2..=MAX_HEADING_LINES.min(run.len() - s) {
                let key: Key = run[s..s + len].iter().map(|&i| keys[&i].clone()).collect();
                let entry = windows.entry(key).or_default();
                if entry.1.last().is_none_or(|&(last, _)| last != r) {
                    entry.0 += 1;
                }
                entry.1.push((r, s));
            }
        }
    }
    let paged = lines.iter().all(|l| l.page.is_some());
    let accepted = |occurrences: &[(usize, usize)]| -> bool {
        let starts: Vec<usize> = occurrences.iter().map(|&(r, s)| runs[r][s]).collect();
        if paged {
            // One per page, each but the first at its page's top.
            let mut pages: Vec<Option<u32>> = starts.iter().map(|&i| lines[i].page).collect();
            pages.dedup();
            pages.len() == starts.len()
                && starts[1..]
                    .iter()
                    .all(|&i| lines_above_on_page(lines, kinds, i) <= 2)
        } else {
            true
        }
    };
    let mut candidates: Vec<(&Key, &Found)> = windows
        .iter()
        .filter(|(_, (count, occ))| *count >= 2 && accepted(occ))
        .collect();
    // Most runs first, then longest, then earliest: deterministic.
    candidates.sort_by(|a, b| {
        (b.1 .0, b.0.len())
            .cmp(&(a.1 .0, a.0.len()))
            .then_with(|| a.1 .1[0].cmp(&b.1 .1[0]))
    });
    let Some((key, (_, occurrences))) = candidates.first() else {
        return;
    };
    let len = key.len();
    // The first occurrence heads the grid: rows follow it (on paged input, the page
    // tops already say so).
    let (r0, s0) = occurrences[0];
    if !paged && !rows_follow(template, lines, kinds, runs[r0][s0 + len - 1]) {
        return;
    }
    let marked: Vec<usize> = occurrences
        .iter()
        .flat_map(|&(r, s)| runs[r][s..s + len].iter().copied())
        .collect();
    let by_words = marked.iter().any(|&i| kinds[i] == LineKind::PageHeader);
    for &i in &marked {
        kinds[i] = LineKind::PageHeader;
    }
    if !by_words {
        let first = runs[r0][s0];
        let texts: Vec<&str> = runs[r0][s0..s0 + len]
            .iter()
            .map(|&i| lines[i].text.trim())
            .collect();
        ctx.diagnose(
            Severity::Info,
            "grid_heading_guessed",
            format!(
                "grid heading {:?} found by its place (short lines repeated {} times above \
                 the rows), not by the template's words: check the columns",
                texts.join(" | "),
                occurrences.len()
            ),
            Some(&lines[first]),
        );
    }
}

/// How a heading line between rows is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The word "module" and a number: "MODULE I : …", "Module 4 Relations …".
    Module(u8),
    /// A number and capitals: "1 – RELATION …", "IV. …".
    Numbered(u8),
    /// Words in capitals only.
    Capitals,
}

/// A roman numeral from I to XX, folded (lower case).
fn roman(s: &str) -> Option<u8> {
    const ROMANS: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    ROMANS
        .iter()
        .position(|r| *r == s)
        .and_then(|p| u8::try_from(p + 1).ok())
}

fn number_word(s: &str) -> Option<u8> {
    if !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    roman(s)
}

/// The shape of a line that may head a module or channel: short, not a sentence.
fn heading_shape(text: &str) -> Option<Shape> {
    let text = collapse_whitespace(text);
    let words = text.split_whitespace().count();
    if !(1..=16).contains(&words) || text.chars().count() > 110 || text.ends_with(['.', ';', ',']) {
        return None;
    }
    let folded = fold(&text);
    let capitals = |s: &str| {
        let letters = s.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 8 && !s.chars().any(char::is_lowercase) && s.split_whitespace().count() >= 2
    };
    // "module" and its number, then anything.
    if let Some(rest) = folded.strip_prefix("module") {
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("n°")
            .or_else(|| rest.strip_prefix("no "))
            .unwrap_or(rest)
            .trim_start();
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(end);
        let after = after.trim_start();
        if let Some(n) = number_word(number) {
            // "Module 1" alone is a row's tag; "MODULE IV" alone a heading.
            let alone = after.is_empty() && roman(number).is_some();
            if alone
                || (!after.is_empty()
                    && (after.starts_with(['-', ':', '.', ')', '(']) || words > 2))
            {
                return Some(Shape::Module(n));
            }
        }
        return None;
    }
    // "1 – RELATION …", "IV. RELATIONS …", "II) …": a number, a separator, capitals.
    let end = folded
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(folded.len());
    let (number, after) = folded.split_at(end);
    if let Some(n) = number_word(number) {
        let after = after.trim_start();
        if let Some(rest) = after.strip_prefix(['-', ':', '.', ')']) {
            // The capitals are judged on the written text, past the number.
            let written = text
                .split_once(['-', '–', '—', ':', '.', ')'])
                .map_or("", |(_, r)| r);
            if !rest.trim().is_empty() && capitals(written) {
                return Some(Shape::Numbered(n));
            }
        }
        return None;
    }
    capitals(&text).then_some(Shape::Capitals)
}

/// The commitment row after a heading: its "Module N" tag and its number, if one
/// starts within the next few significant lines.
fn next_row(
    template: &dyn Template,
    lines: &[Line],
    kinds: &[LineKind],
    at: usize,
) -> Option<(Option<u8>, u32)> {
    let mut tag = None;
    let mut seen = 0;
    for j in at + 1..lines.len() {
        match &kinds[j] {
            LineKind::Blank | LineKind::Bullet | LineKind::PageHeader => continue,
            LineKind::ModuleTag(m) => tag = Some(*m),
            LineKind::ItemStart { number, .. } => {
                let role = lines[j]
                    .position
                    .map(|p| template.role(p.column))
                    .filter(|r| *r != Role::Full);
                if role.is_none_or(|r| r == Role::Commitment) {
                    return Some((tag, *number));
                }
            }
            LineKind::Text | LineKind::Marker { .. } | LineKind::Code(_)
                if lines[j].position.is_some_and(|p| p.column != Column::Full) => {}
            _ => return None,
        }
        seen += 1;
        if seen >= 5 {
            return None;
        }
    }
    None
}

/// The Module 1 channel a heading names by the template's channel words (a phrase of
/// its lexicon found in it as whole words, the longest).
fn channel_by_words(template: &dyn Template, folded: &str) -> Option<Channel> {
    let padded = format!(" {} ", folded.replace(['\'', '(', ')', ','], " "));
    template
        .lexicon()
        .channels
        .iter()
        .filter(|(phrase, _)| padded.contains(&format!(" {phrase} ")))
        .max_by_key(|(phrase, _)| phrase.len())
        .map(|&(_, c)| c)
}

/// Marks module and channel headings the template's words did not name (see the
/// module documentation).
pub(crate) fn mark_structural_headings(
    template: &dyn Template,
    lines: &[Line],
    kinds: &mut [LineKind],
    ctx: &mut Ctx,
) {
    let numbering = template.numbering();
    let known_module = |m: u8| match numbering {
        Some(n) => n.modules.iter().any(|(k, _)| *k == m),
        None => (1..=20).contains(&m),
    };
    // The module the rows are in so far; `None` out of modules (pilotage, labelling).
    let mut module: Option<u8> = None;
    let mut in_modules = false;
    // A grid heading row seen: the grid has started.
    let mut grid_started = false;
    for i in 0..lines.len() {
        match kinds[i] {
            LineKind::PageHeader => {
                grid_started = true;
                continue;
            }
            // The conclusion: no more rows.
            LineKind::PartTitle(Part::Conclusion) if grid_started || in_modules => break,
            LineKind::ModuleHeader(m) | LineKind::ModuleTag(m) => {
                grid_started = true;
                module = Some(m);
                in_modules = true;
                continue;
            }
            LineKind::PilotageHeader | LineKind::LabellisationHeader => {
                grid_started = true;
                module = None;
                in_modules = false;
                continue;
            }
            LineKind::Text => {}
            _ => continue,
        }
        let line = &lines[i];
        if line.position.is_some_and(|p| p.column != Column::Full) {
            continue;
        }
        let Some(shape) = heading_shape(&line.text) else {
            continue;
        };
        // Before the grid (cover, context), only "Module N …" may head a module: a
        // context's section in capitals followed by a numbered list is no module.
        if !grid_started && !matches!(shape, Shape::Module(_)) {
            continue;
        }
        let Some((tag, number)) = next_row(template, lines, kinds, i) else {
            continue;
        };
        let text = line.text.trim();
        let mut module_heading = |kinds: &mut [LineKind], m: u8, how: &str| {
            kinds[i] = LineKind::ModuleHeader(m);
            ctx.diagnose(
                Severity::Info,
                "module_heading_guessed",
                format!(
                    "{text:?} read as the heading of module {m} by {how}, not by the \
                     template's words"
                ),
                Some(line),
            );
        };
        match shape {
            Shape::Module(m) | Shape::Numbered(m) if known_module(m) => {
                module_heading(kinds, m, "its number and the rows after it");
                module = Some(m);
                in_modules = true;
            }
            Shape::Module(_) | Shape::Numbered(_) => {}
            Shape::Capitals => {
                // The module of the rows after it: their tag, else the numbering's only
                // module holding their number.
                let of_number: Vec<u8> = numbering
                    .map(|n| {
                        n.modules
                            .iter()
                            .filter(|(_, r)| r.contains(&number))
                            .map(|(m, _)| *m)
                            .collect()
                    })
                    .unwrap_or_default();
                let continues = match (tag, module) {
                    (Some(t), Some(m)) => t == m,
                    (Some(_), None) => false,
                    (None, Some(m)) => in_modules && of_number.contains(&m),
                    (None, None) => false,
                };
                if continues {
                    let by_words = channel_by_words(template, &fold(text));
                    let channel = by_words.or_else(|| template.channel(module, number));
                    if let Some(c) = channel {
                        kinds[i] = LineKind::ChannelHeader(c);
                        let how = if by_words.is_some() {
                            "the channel words in it"
                        } else {
                            "the number of the row after it"
                        };
                        ctx.diagnose(
                            Severity::Info,
                            "channel_heading_guessed",
                            format!(
                                "{text:?} read as the heading of channel {c:?} by {how}, not \
                                 by the template's words"
                            ),
                            Some(line),
                        );
                    }
                    continue;
                }
                // Out of modules (pilotage, labelling), a small number is an item of
                // that section, not a module's row.
                if !in_modules && module.is_none() && number <= 9 && i > 0 {
                    let after_sections = kinds[..i].iter().any(|k| {
                        matches!(k, LineKind::PilotageHeader | LineKind::LabellisationHeader)
                    });
                    if after_sections {
                        continue;
                    }
                }
                let m = tag.or(match of_number.as_slice() {
                    [m] => Some(*m),
                    _ => None,
                });
                if let Some(m) = m.filter(|m| known_module(*m)) {
                    module_heading(kinds, m, "its place above the rows of that module");
                    module = Some(m);
                    in_modules = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::classify;
    use super::super::template::QualEPref;
    use super::*;
    use crate::source::text::plain_lines;

    fn kinds(lines: &[Line]) -> Vec<LineKind> {
        lines
            .iter()
            .map(|l| classify(QualEPref.lexicon(), &l.text, false))
            .collect()
    }

    #[test]
    fn shapes_of_module_headings() {
        assert_eq!(
            heading_shape("MODULE I : RELATIONS AVEC LES USAGERS"),
            Some(Shape::Module(1))
        );
        assert_eq!(
            heading_shape("Module 4 – Relations avec les collectivités"),
            Some(Shape::Module(4))
        );
        assert_eq!(
            heading_shape("1 – RELATION GÉNÉRALE AVEC LES USAGERS"),
            Some(Shape::Numbered(1))
        );
        assert_eq!(
            heading_shape("COORDINATION DES POLITIQUES PUBLIQUES"),
            Some(Shape::Capitals)
        );
        assert_eq!(
            heading_shape("1 – Relation générale avec les usagers"),
            None
        );
        assert_eq!(heading_shape("Nous vous informons sur les"), None);
        assert_eq!(heading_shape("CNI"), None);
        assert_eq!(heading_shape("Module 1"), None);
    }

    #[test]
    fn a_reworded_heading_repeated_above_rows_is_the_grid_heading() {
        let lines = plain_lines(&[
            "PF : Points Forts   PS : Points Sensibles",
            "Engagement",
            "Constats de l'auditeur",
            "Cotation",
            "MODULE I : RELATIONS AVEC LES USAGERS",
            "1. Nous vous informons",
            "C",
            "Engagement",
            "Constats de l'auditeur",
            "Cotation",
            "2. Un accueil attentif",
            "C",
        ]);
        let mut k = kinds(&lines);
        let mut ctx = Ctx::default();
        mark_grid_headings(&QualEPref, &lines, &mut k, &mut ctx);
        mark_structural_headings(&QualEPref, &lines, &mut k, &mut ctx);
        for i in [1, 2, 3, 7, 8, 9] {
            assert_eq!(k[i], LineKind::PageHeader, "line {i}");
        }
        assert_eq!(k[4], LineKind::ModuleHeader(1));
        let codes: Vec<&str> = ctx.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["grid_heading_guessed", "module_heading_guessed"]);
    }

    #[test]
    fn repeated_title_lines_are_no_heading() {
        // The same commitment assessed twice (on site, then remotely), its title
        // wrapped alike: not above the rows, after a numbered line.
        let lines = plain_lines(&[
            "MODULE 1 - RELATION GENERALE AVEC LES USAGERS",
            "8. Un Serveur Vocal",
            "Interactif local",
            "Vous informe",
            "C",
            "AUDIT A DISTANCE : Téléphone",
            "8. Un Serveur Vocal",
            "Interactif local",
            "Vous informe",
            "C",
        ]);
        let mut k = kinds(&lines);
        let before = k.clone();
        let mut ctx = Ctx::default();
        mark_grid_headings(&QualEPref, &lines, &mut k, &mut ctx);
        assert_eq!(k, before);
        assert!(ctx.diagnostics.is_empty());
    }

    #[test]
    fn capitals_between_rows_head_a_channel_or_a_module_by_the_numbers() {
        let lines = plain_lines(&[
            "HISTORIQUE DE LA DEMARCHE QUALITE",
            "1. Labellisation en 2019",
            "Engagements de service",
            "1 – RELATION GÉNÉRALE AVEC LES USAGERS",
            "4. Nous formons nos agents",
            "C",
            "JOINDRE LES SERVICES PAR TÉLÉPHONE",
            "8. Un Serveur Vocal",
            "C",
            "CORRESPONDANCE ÉCRITE DES USAGERS",
            "16. Nos courriers",
            "C",
            "COORDINATION DES POLITIQUES PUBLIQUES",
            "41. Un interlocuteur identifié",
            "C",
        ]);
        let mut k = kinds(&lines);
        let mut ctx = Ctx::default();
        mark_structural_headings(&QualEPref, &lines, &mut k, &mut ctx);
        // Before the grid heading, a context's section in capitals heads no module.
        assert_eq!(k[0], LineKind::Text);
        assert_eq!(k[3], LineKind::ModuleHeader(1));
        assert_eq!(k[6], LineKind::ChannelHeader(Channel::Telephone));
        assert_eq!(k[9], LineKind::ChannelHeader(Channel::CourriersCourriels));
        assert_eq!(k[12], LineKind::ModuleHeader(6));
    }
}
