//! Conclusion boxes ("4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE L'AUDIT").
//!
//! Structure first, wording as evidence:
//! - When each label is followed by its content, content goes to the label before it
//!   (a run of labels means empty boxes). A Word export's "LABEL<tab>content" line is
//!   a label cell and a content cell.
//! - When labels and contents stand side by side on the same text lines (a
//!   layout-mode dump: label cells vertically centred on their contents), content is
//!   cut into sentences and each box takes the sentences around its label: the
//!   assignment keeps the boxes in label order and puts each box's content centred on
//!   its label; a sentence naming another box than its label's counts against.
//! - When the extractor emitted labels apart from their contents (labels in runs
//!   followed by paragraphs that name other boxes, or content before any label), each
//!   paragraph that names a box (its label's words, or the template's cues) goes
//!   there; a paragraph cut from a sentence that names another box starts a new
//!   one; a paragraph that continues a sentence goes on with the one before. A label
//!   still empty takes a paragraph of its run that starts afresh without naming a
//!   box, by the order of the labels: its content lies between the contents of the
//!   labels around it, right after the label before it when that one has content in
//!   the run, else right before the label after it (the paragraphs between go on with
//!   the box before them). A label left empty then takes a fresh paragraph its run
//!   leaves over, against the order; a fresh paragraph right after its run's labels
//!   with no label of its run left takes an earlier, then a later run's.
//!   Each such box is an uncertain mapping: a `conclusion_reordered` diagnostic names
//!   it, and it counts in the report's quality.

use super::lexicon::{classify, conclusion_label, ConclusionBox, Lexicon, LineKind, Part};
use super::Ctx;
use crate::model::{Conclusion, Severity};
use crate::source::{Column, Line, LineOrder};
use crate::text::{fold, join_lines};

enum Piece<'l> {
    Label(ConclusionBox),
    /// Lines of one paragraph (no blank line inside).
    Paragraph(Vec<&'l Line>),
}

pub fn read_conclusion(
    lexicon: &Lexicon,
    lines: &[Line],
    order: LineOrder,
    ctx: &mut Ctx,
) -> Conclusion {
    let (owned, lines) = split_tab_labels(lexicon, lines);
    let lines: &[Line] = owned.as_deref().unwrap_or(lines);
    let boxes = if side_by_side(lines) {
        side_by_side_boxes(lexicon, lines, ctx)
    } else {
        stream_boxes(lexicon, lines, order, ctx)
    };
    let text_of = |wanted: ConclusionBox| {
        let lines: Vec<&str> = boxes
            .iter()
            .filter(|(b, _)| *b == wanted)
            .flat_map(|(_, ls)| ls.iter().map(|l| l.text.as_str()))
            .collect();
        (!lines.is_empty()).then(|| join_lines(lines))
    };
    Conclusion {
        general: text_of(ConclusionBox::General),
        strengths: text_of(ConclusionBox::Strengths),
        sensitive_points: text_of(ConclusionBox::SensitivePoints),
        improvement_tracks: text_of(ConclusionBox::ImprovementTracks),
        comments: text_of(ConclusionBox::Comments),
        good_practices: text_of(ConclusionBox::GoodPractices),
        satisfaction_results: text_of(ConclusionBox::SatisfactionResults),
        graphic_charter: text_of(ConclusionBox::GraphicCharter),
        deviations: text_of(ConclusionBox::Deviations),
    }
}

/// "POINTS FORTS<tab>Accueil chaleureux." (a Word table saved as text, cells joined
/// by tabs): the label cell and the content cell become two lines. `None` when no
/// line is so made.
fn split_tab_labels<'l>(lexicon: &Lexicon, lines: &'l [Line]) -> (Option<Vec<Line>>, &'l [Line]) {
    let splits = |l: &Line| {
        let (head, rest) = l.text.split_once('\t')?;
        conclusion_label(lexicon, &fold(head))?;
        Some((head.to_owned(), rest.trim().to_owned()))
    };
    if !lines.iter().any(|l| splits(l).is_some()) {
        return (None, lines);
    }
    let mut out = Vec::with_capacity(lines.len() + 9);
    for line in lines {
        match splits(line) {
            Some((head, rest)) => {
                out.push(Line {
                    text: head,
                    ..line.clone()
                });
                if !rest.is_empty() {
                    out.push(Line {
                        text: rest,
                        ..line.clone()
                    });
                }
            }
            None => out.push(line.clone()),
        }
    }
    (Some(out), lines)
}

type Boxes<'l> = Vec<(ConclusionBox, Vec<&'l Line>)>;

fn is_content_cell(line: &Line) -> bool {
    matches!(
        line.position.map(|p| p.column),
        Some(Column::Cell { index, .. }) if index > 0
    )
}

/// Labels and contents side by side on the same text lines: some content cell shares
/// its line number with a line left of it.
fn side_by_side(lines: &[Line]) -> bool {
    lines.windows(2).any(|w| {
        w[0].number == w[1].number
            && !w[0].text.trim().is_empty()
            && !is_content_cell(&w[0])
            && is_content_cell(&w[1])
    })
}

/// A label left of the contents, over its physical lines.
struct SideLabel {
    label: ConclusionBox,
    top: usize,
    bottom: usize,
}

/// Layout-mode dump: labels on the left, contents on the right, each label centred
/// on its box's content. See the module documentation.
fn side_by_side_boxes<'l>(lexicon: &Lexicon, lines: &'l [Line], ctx: &mut Ctx) -> Boxes<'l> {
    let left: Vec<&Line> = lines
        .iter()
        .filter(|l| !is_content_cell(l) && !l.text.trim().is_empty())
        .collect();
    let content: Vec<&Line> = lines.iter().filter(|l| is_content_cell(l)).collect();
    // Labels: left lines, joined with the next ones (a label wrapped in its cell).
    let mut labels: Vec<SideLabel> = Vec::new();
    let mut i = 0;
    let mut unplaced: Vec<&Line> = Vec::new();
    while i < left.len() {
        let found = (1..=4.min(left.len() - i)).rev().find_map(|n| {
            let run = &left[i..i + n];
            let close = run.windows(2).all(|w| w[1].number <= w[0].number + 2);
            let joined = fold(&join_lines(run.iter().map(|l| l.text.as_str())));
            close
                .then(|| conclusion_label(lexicon, &joined))
                .flatten()
                .map(|b| (b, n))
        });
        match found {
            Some((label, n)) => {
                labels.push(SideLabel {
                    label,
                    top: left[i].number,
                    bottom: left[i + n - 1].number,
                });
                i += n;
            }
            None => {
                let kind = classify(lexicon, &left[i].text, false);
                let title_tail = lexicon
                    .part_title_tails
                    .contains(&fold(&left[i].text).as_str());
                if !matches!(kind, LineKind::PartTitle(_) | LineKind::PageHeader) && !title_tail {
                    unplaced.push(left[i]);
                }
                i += 1;
            }
        }
    }
    unplaced.iter().for_each(|l| ctx.unplaced(l));
    if labels.is_empty() {
        content.iter().for_each(|l| ctx.unplaced(l));
        return Vec::new();
    }
    // Sentences: runs of content lines up to a line ending a sentence, or a blank line.
    let mut chunks: Vec<Vec<&Line>> = Vec::new();
    let mut current: Vec<&Line> = Vec::new();
    for line in &content {
        if let Some(last) = current.last() {
            if line.number > last.number + 2 {
                chunks.push(std::mem::take(&mut current));
            }
        }
        current.push(line);
        if ends_sentence(&line.text) {
            chunks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    let evidence: Vec<Option<ConclusionBox>> = chunks
        .iter()
        .map(|c| {
            named_box(
                lexicon,
                &fold(&join_lines(c.iter().map(|l| l.text.as_str()))),
            )
        })
        .collect();
    // cost[i][j0][j1]: label i takes chunks j0..j1, in order; best split by dynamic
    // programming over (labels, chunks).
    let (k, m) = (labels.len(), chunks.len());
    // A content line level with a label's own rows sits in that label's cell: leaving
    // the label empty while such a line goes elsewhere costs as much as a named box
    // against it (a label wrapped over more lines than its content keeps the content).
    let level_with = |i: usize| {
        let label = &labels[i];
        content
            .iter()
            .any(|l| l.number >= label.top && l.number <= label.bottom)
    };
    let top = labels_at_top(&labels, &chunks);
    let box_cost = |i: usize, from: usize, to: usize| -> f64 {
        if from == to {
            return if level_with(i) { 3.0 } else { 0.0 };
        }
        let numbers: Vec<f64> = chunks[from..to]
            .iter()
            .flatten()
            .map(|l| l.number as f64)
            .collect();
        let label = &labels[i];
        // Labels at the top of their cells: a box's content starts level with its
        // label; centred ones: its content is centred on its label.
        let (centre, label_centre) = if top {
            (numbers[0], label.top as f64)
        } else {
            let centre = numbers.iter().sum::<f64>() / numbers.len() as f64;
            (centre, (label.top + label.bottom) as f64 / 2.0)
        };
        let against = evidence[from..to]
            .iter()
            .filter(|e| e.is_some_and(|b| b != label.label))
            .count();
        // A box's content never runs past another label's line.
        let (first, last) = (numbers[0] as usize, numbers[numbers.len() - 1] as usize);
        let crossed = labels
            .iter()
            .enumerate()
            .filter(|&(o, other)| o != i && other.top > first && other.top < last)
            .count();
        (centre - label_centre).abs() + 3.0 * against as f64 + 10.0 * crossed as f64
    };
    let mut best = vec![vec![f64::INFINITY; m + 1]; k + 1];
    let mut from = vec![vec![0usize; m + 1]; k + 1];
    best[0][0] = 0.0;
    for i in 1..=k {
        for j in 0..=m {
            for j0 in 0..=j {
                let c = best[i - 1][j0] + box_cost(i - 1, j0, j);
                if c < best[i][j] {
                    best[i][j] = c;
                    from[i][j] = j0;
                }
            }
        }
    }
    let mut spans = vec![(0, 0); k];
    let mut j = m;
    for i in (1..=k).rev() {
        spans[i - 1] = (from[i][j], j);
        j = from[i][j];
    }
    let mut boxes = Vec::new();
    for (i, (label, &(a, b))) in labels.iter().zip(&spans).enumerate() {
        let lines: Vec<&Line> = chunks[a..b].iter().flatten().copied().collect();
        if lines.is_empty() {
            continue;
        }
        if box_cost(i, a, b) > 2.0 {
            ctx.diagnose(
                Severity::Info,
                "conclusion_reordered",
                format!(
                    "conclusion box {:?}: its content stands away from its label",
                    label.label
                ),
                lines.first().copied(),
            );
        }
        boxes.push((label.label, lines));
    }
    boxes
}

/// Whether the labels sit at the top of their cells rather than centred on their
/// contents, voted as the PDF reader votes a grid's alignment: a label whose first line
/// is level with the first line of a sentence that runs on below the label's last line
/// votes top; a label beside a sentence begun above its first line and running on to
/// it or below votes centred (a label and content of equal extent, an empty label
/// between two boxes, say nothing). Top needs two votes and none against.
fn labels_at_top(labels: &[SideLabel], chunks: &[Vec<&Line>]) -> bool {
    let (mut top, mut centred) = (0, 0);
    for label in labels {
        let starting = chunks
            .iter()
            .find(|c| c.first().is_some_and(|l| l.number == label.top));
        let across = chunks.iter().any(|c| {
            c.first().is_some_and(|l| l.number < label.top)
                && c.last().is_some_and(|l| l.number >= label.top)
        });
        match starting {
            Some(c) if c.last().is_some_and(|l| l.number > label.bottom) => top += 1,
            _ if across => centred += 1,
            _ => {}
        }
    }
    top >= 2 && centred == 0
}

/// A line that ends a sentence: its last character (closing quotes and brackets
/// aside) is a full stop, an exclamation or question mark, or an ellipsis.
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches(['»', '"', ')', ' ']);
    t.ends_with(['.', '!', '?', '…'])
}

/// A line that starts a sentence: its first letter or digit is no lower-case letter.
fn starts_sentence(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase())
}

/// Stream text: labels followed by their contents, or labels apart from contents.
fn stream_boxes<'l>(
    lexicon: &Lexicon,
    lines: &'l [Line],
    order: LineOrder,
    ctx: &mut Ctx,
) -> Boxes<'l> {
    let pieces = pieces(lexicon, lines);
    // A rebuilt layout reads each label cell before its content cell, so two labels
    // in a row only mean an empty box.
    let scrambled = order == LineOrder::Stream && is_scrambled(lexicon, &pieces);
    if scrambled {
        ctx.diagnose(
            Severity::Info,
            "conclusion_reordered",
            "conclusion labels were apart from their contents: paragraphs placed by their wording"
                .into(),
            lines.first(),
        );
        return scrambled_boxes(lexicon, &pieces, ctx);
    }
    let mut boxes: Boxes = Vec::new();
    let mut last_label: Option<ConclusionBox> = None;
    for piece in &pieces {
        match piece {
            Piece::Label(b) => last_label = Some(*b),
            Piece::Paragraph(paragraph) => match last_label {
                Some(b) => boxes.push((b, paragraph.clone())),
                None => paragraph.iter().for_each(|line| ctx.unplaced(line)),
            },
        }
    }
    boxes
}

/// One paragraph (or part of one) of a scrambled conclusion.
struct Unit<'l> {
    lines: Vec<&'l Line>,
    /// Index of the run of labels it follows (`None`: before any label).
    block: Option<usize>,
    evidence: Option<ConclusionBox>,
    /// Continues the sentence of the unit before it.
    continues: bool,
    /// Comes right after its block's labels.
    starts_block: bool,
}

fn scrambled_boxes<'l>(lexicon: &Lexicon, pieces: &[Piece<'l>], ctx: &mut Ctx) -> Boxes<'l> {
    // Runs of labels (blocks) and the units after each.
    let mut blocks: Vec<Vec<ConclusionBox>> = Vec::new();
    let mut units: Vec<Unit<'l>> = Vec::new();
    let mut after_label = false;
    for piece in pieces {
        match piece {
            Piece::Label(b) => {
                if !after_label {
                    blocks.push(Vec::new());
                }
                if let Some(block) = blocks.last_mut() {
                    block.push(*b);
                }
                after_label = true;
            }
            Piece::Paragraph(paragraph) => {
                let starts_block = std::mem::replace(&mut after_label, false);
                let block = blocks.len().checked_sub(1);
                let first = paragraph.first().map_or("", |l| l.text.as_str());
                let continues = units.last().is_some_and(|u: &Unit| {
                    u.block == block
                        && !(ends_sentence(u.lines.last().map_or("", |l| l.text.as_str()))
                            && starts_sentence(first))
                });
                for (n, (lines, evidence)) in cut_at_named_boxes(lexicon, paragraph)
                    .into_iter()
                    .enumerate()
                {
                    units.push(Unit {
                        lines,
                        block,
                        evidence,
                        continues: n == 0 && continues,
                        starts_block: n == 0 && starts_block,
                    });
                }
            }
        }
    }
    // A box named in several blocks: the naming in the block of its own label holds
    // (else the first); elsewhere the name is no evidence.
    let label_block = |b: ConclusionBox| blocks.iter().position(|bl| bl.contains(&b));
    let mut kept: Vec<Option<ConclusionBox>> = units.iter().map(|u| u.evidence).collect();
    for (i, unit) in units.iter().enumerate() {
        let Some(b) = unit.evidence else { continue };
        let blocks_naming: Vec<Option<usize>> = units
            .iter()
            .filter(|u| u.evidence == Some(b))
            .map(|u| u.block)
            .collect();
        if blocks_naming.iter().all(|bl| *bl == unit.block) {
            continue;
        }
        let holder = label_block(b)
            .filter(|lb| blocks_naming.contains(&Some(*lb)))
            .map(Some)
            .unwrap_or(blocks_naming[0]);
        if unit.block != holder {
            kept[i] = None;
        }
    }
    let named: Vec<ConclusionBox> = kept.iter().flatten().copied().collect();
    // Labels still empty, in document order, with their block.
    let mut free: Vec<(usize, ConclusionBox)> = blocks
        .iter()
        .enumerate()
        .flat_map(|(i, bl)| bl.iter().map(move |b| (i, *b)))
        .filter(|(_, b)| !named.contains(b))
        .collect();
    let plan = plan_free_labels(&blocks, &units, &kept, &mut free);
    let mut boxes: Boxes = Vec::new();
    let mut previous: Option<ConclusionBox> = None;
    for (i, (unit, evidence)) in units.iter().zip(&kept).enumerate() {
        let planned = plan[i].map(|(b, why)| (b, why.to_owned()));
        let target = match evidence {
            Some(b) => Some(*b),
            None if unit.continues => previous,
            None => {
                // A fresh start naming no box that no label of its own run was
                // planned for: right after its own run's labels, the first empty
                // label of an earlier run, else of a later one; further down, it
                // goes on with the box before it.
                let cross = || {
                    unit.starts_block.then_some(())?;
                    let at = free
                        .iter()
                        .position(|(bl, _)| unit.block.is_some_and(|ub| *bl < ub))
                        .or_else(|| (!free.is_empty()).then_some(0))?;
                    Some((free.remove(at).1, BY_ORDER.to_owned()))
                };
                match planned.or_else(cross) {
                    Some((b, why)) => {
                        ctx.diagnose(
                            Severity::Info,
                            "conclusion_reordered",
                            format!(
                                "conclusion box {b:?}: no paragraph names it; the paragraph \
                                 starting here {why}"
                            ),
                            unit.lines.first().copied(),
                        );
                        Some(b)
                    }
                    None => previous,
                }
            }
        };
        match target {
            Some(b) => {
                boxes.push((b, unit.lines.clone()));
                previous = Some(b);
            }
            None => unit.lines.iter().for_each(|l| ctx.unplaced(l)),
        }
    }
    boxes
}

/// Why a paragraph naming no box was given an empty label (completes "the paragraph
/// starting here …").
const BY_ORDER: &str = "was placed by the order of the labels";
const LEFT_OVER: &str = "is the one its run of labels left over, placed there against the \
                         order of the labels";

/// Which paragraph each empty label of a run takes, by structure: the contents of a
/// run follow its labels' order and a box's content is contiguous, so an empty
/// label's content comes after the contents of the labels before it in its run.
/// Where the label right before it has content in the run, it starts at the first
/// fresh paragraph after that; where only the label right after it has, it is the
/// last fresh paragraph before that content (the paragraphs in between go on with
/// the box before them). An empty label left with no such paragraph takes a fresh
/// paragraph its run still has, whatever the order (the reference's last run gives
/// its deviations before its comments): uncertain, and said so. Labels planned are
/// taken out of `free`.
fn plan_free_labels(
    blocks: &[Vec<ConclusionBox>],
    units: &[Unit<'_>],
    kept: &[Option<ConclusionBox>],
    free: &mut Vec<(usize, ConclusionBox)>,
) -> Vec<Option<(ConclusionBox, &'static str)>> {
    let mut plan: Vec<Option<(ConclusionBox, &'static str)>> = vec![None; units.len()];
    let fresh = |i: usize| kept[i].is_none() && !units[i].continues;
    for (block, labels) in blocks.iter().enumerate() {
        let members: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].block == Some(block))
            .collect();
        let rank = |b: ConclusionBox| labels.iter().position(|l| *l == b);
        let ranked = |i: usize| kept[i].and_then(rank);
        let is_free = |free: &[(usize, ConclusionBox)], b: ConclusionBox| {
            free.iter().any(|&(bl, x)| bl == block && x == b)
        };
        let mut after: Option<usize> = None;
        for (r, &b) in labels.iter().enumerate() {
            if !is_free(free, b) {
                continue;
            }
            let lower = members
                .iter()
                .copied()
                .filter(|&i| ranked(i).is_some_and(|x| x < r))
                .max()
                .max(after);
            let candidates: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| fresh(i) && plan[i].is_none() && lower.is_none_or(|l| i > l))
                .collect();
            // Where the content of the label `x` of the run starts in it, if it has.
            let content_at = |x: usize| {
                members.iter().copied().find(|&i| {
                    ranked(i) == Some(x) || plan[i].is_some_and(|(p, _)| rank(p) == Some(x))
                })
            };
            let before_here = r > 0 && content_at(r - 1).is_some();
            let next_at = (r + 1 < labels.len()).then(|| content_at(r + 1)).flatten();
            let pick = match next_at {
                // Right before the next label's content: the last fresh paragraph
                // before it that has content before it in the run, for the
                // paragraphs in between to go on with.
                Some(next) if !before_here => candidates
                    .iter()
                    .rev()
                    .filter(|&&c| c < next)
                    .find(|&&c| members.iter().any(|&i| i < c && kept[i].is_some()))
                    .or(candidates.first()),
                _ => candidates.first(),
            };
            if let Some(&at) = pick {
                plan[at] = Some((b, BY_ORDER));
                after = Some(at);
                free.retain(|&(bl, x)| !(bl == block && x == b));
            }
        }
        // Labels left empty, fresh paragraphs left over: one each, in order.
        let mut left: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| fresh(i) && plan[i].is_none())
            .collect();
        for &b in labels {
            if left.is_empty() {
                break;
            }
            if is_free(free, b) {
                let at = left.remove(0);
                plan[at] = Some((b, LEFT_OVER));
                free.retain(|&(bl, x)| !(bl == block && x == b));
            }
        }
    }
    plan
}

/// A paragraph cut before each sentence that names another box than the sentences
/// before it (an export that lost its blank lines runs several boxes together).
fn cut_at_named_boxes<'l>(
    lexicon: &Lexicon,
    paragraph: &[&'l Line],
) -> Vec<(Vec<&'l Line>, Option<ConclusionBox>)> {
    let mut sentences: Vec<Vec<&Line>> = Vec::new();
    let mut current: Vec<&Line> = Vec::new();
    for (i, line) in paragraph.iter().enumerate() {
        let new_sentence = current
            .last()
            .is_some_and(|l| ends_sentence(&l.text) && starts_sentence(&line.text));
        if new_sentence && i > 0 {
            sentences.push(std::mem::take(&mut current));
        }
        current.push(line);
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    let mut out: Vec<(Vec<&Line>, Option<ConclusionBox>)> = Vec::new();
    for sentence in sentences {
        let named = named_box(
            lexicon,
            &fold(&join_lines(sentence.iter().map(|l| l.text.as_str()))),
        );
        match out.last_mut() {
            Some((lines, evidence)) if named.is_none() || named == *evidence => {
                lines.extend(sentence);
            }
            Some((lines, evidence)) if evidence.is_none() => {
                lines.extend(sentence);
                *evidence = named;
            }
            _ => out.push((sentence, named)),
        }
    }
    out
}

fn pieces<'l>(lexicon: &Lexicon, lines: &'l [Line]) -> Vec<Piece<'l>> {
    let mut pieces = Vec::new();
    let mut paragraph: Vec<&Line> = Vec::new();
    let mut in_part_title = false;
    let mut skip = 0;
    for (i, line) in lines.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let mut kind = classify(lexicon, &line.text, false);
        if let Some((b, extra)) = wrapped_label(lexicon, &lines[i..]) {
            kind = LineKind::ConclusionLabel(b);
            skip = extra;
        }
        // A part title in other words: a numbered heading in capitals is no box's
        // content.
        if matches!(kind, LineKind::Text | LineKind::ItemStart { .. })
            && super::numbered_heading(&line.text).is_some()
        {
            kind = LineKind::PartTitle(Part::Conclusion);
        }
        // A part title wrapped onto a line of its own ("… CONCLUSION GENERALE DE" /
        // "L'AUDIT"), blank lines between or not.
        if in_part_title && kind != LineKind::Blank {
            in_part_title = false;
            if lexicon
                .part_title_tails
                .contains(&fold(&line.text).as_str())
            {
                continue;
            }
        }
        match kind {
            LineKind::Blank
            | LineKind::Bullet
            | LineKind::PageHeader
            | LineKind::PartTitle(_)
            | LineKind::ConclusionLabel(_) => {
                if !paragraph.is_empty() {
                    pieces.push(Piece::Paragraph(std::mem::take(&mut paragraph)));
                }
                match kind {
                    LineKind::ConclusionLabel(b) => pieces.push(Piece::Label(b)),
                    LineKind::PartTitle(_) => in_part_title = true,
                    _ => {}
                }
            }
            _ => paragraph.push(line),
        }
    }
    if !paragraph.is_empty() {
        pieces.push(Piece::Paragraph(paragraph));
    }
    pieces
}

/// A box label wrapped in its narrow cell ("LES RESULTATS DES" / "ENQUETES DE
/// SATISFACTION" / "DES USAGERS"), up to four lines: the label and how many more lines it takes. Only
/// upper-case lines join, so a label never swallows its content.
fn wrapped_label(lexicon: &Lexicon, lines: &[Line]) -> Option<(ConclusionBox, usize)> {
    let upper = |l: &Line| {
        l.text.chars().any(char::is_alphabetic) && !l.text.chars().any(char::is_lowercase)
    };
    let run = lines.iter().take(4).take_while(|l| upper(l)).count();
    (2..=run).rev().find_map(|n| {
        let joined = fold(&join_lines(lines[..n].iter().map(|l| l.text.as_str())));
        conclusion_label(lexicon, &joined).map(|b| (b, n - 1))
    })
}

/// Content before any label, or a run of labels followed by a paragraph that names a
/// box other than the run's last label: the extractor separated labels from contents.
fn is_scrambled(lexicon: &Lexicon, pieces: &[Piece<'_>]) -> bool {
    let content_first = matches!(pieces.first(), Some(Piece::Paragraph(_)));
    let run_then_other = pieces.windows(3).any(|w| match w {
        [Piece::Label(_), Piece::Label(last), Piece::Paragraph(p)] => {
            let text = fold(&join_lines(p.iter().map(|l| l.text.as_str())));
            named_box(lexicon, &text).is_some_and(|b| b != *last)
        }
        _ => false,
    });
    content_first || run_then_other
}

/// Folded text with "(s)" and punctuation dropped, elisions apart ("l' enquete") and
/// each word's plural "s" taken off, between spaces: "points forts" and "point fort"
/// read alike.
fn singular(folded: &str) -> String {
    let mut out = String::from(" ");
    let spaced: String = folded
        .replace("(s)", "")
        .chars()
        .flat_map(|c| match c {
            '\'' => ['\'', ' '],
            c if c.is_alphanumeric() || c == '-' => [c, '\u{0}'],
            _ => [' ', '\u{0}'],
        })
        .filter(|&c| c != '\u{0}')
        .collect();
    for word in spaced.split_whitespace() {
        let word = match word.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 => stem,
            _ => word,
        };
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// The box a paragraph names: the words of a box label ("points forts", "pistes de
/// progrès", "fiche d'écart", singular or plural) or one of the template's cues,
/// whichever comes first in the paragraph.
fn named_box(lexicon: &Lexicon, folded: &str) -> Option<ConclusionBox> {
    let text = singular(folded);
    lexicon
        .conclusion_labels
        .iter()
        .chain(lexicon.conclusion_cues)
        .filter_map(|(phrase, b)| {
            let phrase = singular(phrase);
            text.find(&phrase)
                .map(|at| (at, std::cmp::Reverse(phrase.len()), *b))
        })
        .min_by_key(|(at, len, _)| (*at, *len))
        .map(|(_, _, b)| b)
}

#[cfg(test)]
mod tests {
    use super::super::template::{QualEPref, Template};
    use super::*;
    use crate::source::text::plain_lines as lines;

    fn read_conclusion(lines: &[Line], order: LineOrder, ctx: &mut Ctx) -> Conclusion {
        super::read_conclusion(QualEPref.lexicon(), lines, order, ctx)
    }

    #[test]
    fn labels_followed_by_contents_are_positional() {
        let mut ctx = Ctx::default();
        let c = read_conclusion(
            &lines(&[
                "POINTS FORTS",
                "Accueil chaleureux.",
                "COMMENTAIRES",
                "Les bonnes pratiques abondent.",
            ]),
            LineOrder::Stream,
            &mut ctx,
        );
        assert_eq!(c.strengths.as_deref(), Some("Accueil chaleureux."));
        assert_eq!(
            c.comments.as_deref(),
            Some("Les bonnes pratiques abondent.")
        );
        assert!(c.good_practices.is_none());
    }

    #[test]
    fn labels_apart_from_contents_go_by_wording() {
        let mut ctx = Ctx::default();
        let c = read_conclusion(
            &lines(&[
                "POINTS FORTS",
                "POINTS SENSIBLES",
                "",
                "L'audit externe a révélé de nombreux points forts.",
                "",
                "Un point sensible a été identifié : X.",
                "",
                " Le point sensible devra être traité.",
                "",
                "Suite sans indice.",
                "COMMENTAIRES",
                "LES BONNES PRATIQUES",
                "Les bonnes pratiques sont nombreuses dans les points forts.",
            ]),
            LineOrder::Stream,
            &mut ctx,
        );
        assert_eq!(
            c.strengths.as_deref(),
            Some("L'audit externe a révélé de nombreux points forts.")
        );
        assert_eq!(c.sensitive_points.as_deref(), Some("Un point sensible a été identifié : X. Le point sensible devra être traité. Suite sans indice."));
        assert_eq!(
            c.good_practices.as_deref(),
            Some("Les bonnes pratiques sont nombreuses dans les points forts.")
        );
    }

    #[test]
    fn wrapped_labels_join_and_empty_boxes_stay_empty_in_a_rebuilt_layout() {
        let mut ctx = Ctx::default();
        let c = read_conclusion(
            &lines(&[
                "➢ POINTS FORTS",
                "Accueil chaleureux.",
                "COMMENTAIRES",
                "LES BONNES PRATIQUES",
                "Tutoriels imprimés.",
                "❖ LES RESULTATS DES",
                "ENQUETES DE",
                "SATISFACTION DES",
                "USAGERS",
                "91 % de satisfaits.",
                "FICHE(S) D'ECART(S)",
                "NEANT",
                "CONCLUSION GENERALE DE",
                "L’AUDIT",
                "Label maintenu.",
            ]),
            LineOrder::Visual,
            &mut ctx,
        );
        assert_eq!(c.strengths.as_deref(), Some("Accueil chaleureux."));
        assert_eq!(c.comments, None);
        assert_eq!(c.good_practices.as_deref(), Some("Tutoriels imprimés."));
        assert_eq!(
            c.satisfaction_results.as_deref(),
            Some("91 % de satisfaits.")
        );
        assert_eq!(c.deviations.as_deref(), Some("NEANT"));
        assert_eq!(c.general.as_deref(), Some("Label maintenu."));
    }
}
