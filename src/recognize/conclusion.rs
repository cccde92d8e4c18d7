//! Conclusion boxes ("4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE L'AUDIT").
//!
//! When each label is followed by its content, content goes to the label before it.
//! When the extractor emitted labels apart from their contents (labels in runs, or
//! content before any label), each paragraph goes to the box its own words name
//! ("points forts", "pistes de progrès", "charte"…), and a paragraph that names none
//! continues the one before it.

use super::lexicon::{classify, conclusion_label, ConclusionBox, Lexicon, LineKind};
use super::Ctx;
use crate::model::{Conclusion, Severity};
use crate::source::{Line, LineOrder};
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
    let pieces = pieces(lexicon, lines);
    // A rebuilt layout reads each label cell before its content cell, so two labels
    // in a row only mean an empty box.
    let scrambled = order == LineOrder::Stream && is_scrambled(&pieces);
    let mut boxes: Vec<(ConclusionBox, Vec<&Line>)> = Vec::new();
    let mut last_label: Option<ConclusionBox> = None;
    let mut previous: Option<ConclusionBox> = None;
    for piece in &pieces {
        match piece {
            Piece::Label(b) => last_label = Some(*b),
            Piece::Paragraph(paragraph) => {
                let text = fold(&join_lines(paragraph.iter().map(|l| l.text.as_str())));
                let target = if scrambled {
                    cue_box(lexicon, &text).or(previous).or(last_label)
                } else {
                    last_label
                };
                match target {
                    Some(b) => {
                        boxes.push((b, paragraph.clone()));
                        previous = Some(b);
                    }
                    None => paragraph.iter().for_each(|line| ctx.unplaced(line)),
                }
            }
        }
    }
    let text_of = |wanted: ConclusionBox| {
        let lines: Vec<&str> = boxes
            .iter()
            .filter(|(b, _)| *b == wanted)
            .flat_map(|(_, ls)| ls.iter().map(|l| l.text.as_str()))
            .collect();
        (!lines.is_empty()).then(|| join_lines(lines))
    };
    if scrambled {
        ctx.diagnose(
            Severity::Info,
            "conclusion_reordered",
            "conclusion labels were apart from their contents: paragraphs placed by their wording"
                .into(),
            lines.first(),
        );
    }
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
        // A part title wrapped onto a line of its own ("… CONCLUSION GENERALE DE" /
        // "L'AUDIT").
        if std::mem::replace(&mut in_part_title, false)
            && lexicon
                .part_title_tails
                .contains(&fold(&line.text).as_str())
        {
            continue;
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

/// Labels in runs, or content before any label: the extractor separated them.
fn is_scrambled(pieces: &[Piece<'_>]) -> bool {
    let content_first = matches!(pieces.first(), Some(Piece::Paragraph(_)));
    let labels_in_run = pieces
        .windows(2)
        .any(|w| matches!(w, [Piece::Label(_), Piece::Label(_)]));
    content_first || labels_in_run
}

/// The box whose cue phrase comes earliest in the paragraph.
fn cue_box(lexicon: &Lexicon, folded: &str) -> Option<ConclusionBox> {
    lexicon
        .conclusion_cues
        .iter()
        .filter_map(|(cue, b)| folded.find(cue).map(|at| (at, *b)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, b)| b)
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
