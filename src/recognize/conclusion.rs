//! Conclusion boxes ("4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE L'AUDIT").
//!
//! When each label is followed by its content, content goes to the label before it.
//! When the extractor emitted labels apart from their contents (labels in runs, or
//! content before any label), each paragraph goes to the box its own words name
//! ("points forts", "pistes de progrès", "charte"…), and a paragraph that names none
//! continues the one before it.

use super::lexicon::{classify, ConclusionBox, LineKind};
use super::Ctx;
use crate::model::{Conclusion, Severity};
use crate::source::Line;
use crate::text::{fold, join_lines};

/// Cue phrases (folded) naming each box, checked against a paragraph's words: the cue
/// found earliest in the paragraph wins.
const CUES: &[(&str, ConclusionBox)] = &[
    (
        "enquete de satisfaction",
        ConclusionBox::SatisfactionResults,
    ),
    (
        "enquetes de satisfaction",
        ConclusionBox::SatisfactionResults,
    ),
    ("charte", ConclusionBox::GraphicCharter),
    ("modules audites", ConclusionBox::General),
    ("globalement", ConclusionBox::General),
    ("systeme de management", ConclusionBox::General),
    ("points forts", ConclusionBox::Strengths),
    ("point fort", ConclusionBox::Strengths),
    ("points sensibles", ConclusionBox::SensitivePoints),
    ("point sensible", ConclusionBox::SensitivePoints),
    ("pistes de progres", ConclusionBox::ImprovementTracks),
    ("piste de progres", ConclusionBox::ImprovementTracks),
    ("non-conformite", ConclusionBox::Deviations),
    ("non conformite", ConclusionBox::Deviations),
    ("fiche d'ecart", ConclusionBox::Deviations),
    ("ecart", ConclusionBox::Deviations),
    ("bonnes pratiques", ConclusionBox::GoodPractices),
    ("bonne pratique", ConclusionBox::GoodPractices),
    ("s'est deroule", ConclusionBox::Comments),
    ("deroulement de l'audit", ConclusionBox::Comments),
    ("reunion d'ouverture", ConclusionBox::Comments),
];

enum Piece<'l> {
    Label(ConclusionBox),
    /// Lines of one paragraph (no blank line inside).
    Paragraph(Vec<&'l Line>),
}

pub fn read_conclusion(lines: &[Line], ctx: &mut Ctx) -> Conclusion {
    let pieces = pieces(lines);
    let scrambled = is_scrambled(&pieces);
    let mut boxes: Vec<(ConclusionBox, Vec<&Line>)> = Vec::new();
    let mut last_label: Option<ConclusionBox> = None;
    let mut previous: Option<ConclusionBox> = None;
    for piece in &pieces {
        match piece {
            Piece::Label(b) => last_label = Some(*b),
            Piece::Paragraph(paragraph) => {
                let text = fold(&join_lines(paragraph.iter().map(|l| l.text.as_str())));
                let target = if scrambled {
                    cue_box(&text).or(previous).or(last_label)
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

fn pieces(lines: &[Line]) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut paragraph: Vec<&Line> = Vec::new();
    let mut in_part_title = false;
    for line in lines {
        let kind = classify(&line.text, false);
        // "4. SYNTHESE … CONCLUSION GENERALE DE" wraps onto "L'AUDIT".
        if std::mem::replace(&mut in_part_title, false) && fold(&line.text) == "l'audit" {
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

/// Labels in runs, or content before any label: the extractor separated them.
fn is_scrambled(pieces: &[Piece<'_>]) -> bool {
    let content_first = matches!(pieces.first(), Some(Piece::Paragraph(_)));
    let labels_in_run = pieces
        .windows(2)
        .any(|w| matches!(w, [Piece::Label(_), Piece::Label(_)]));
    content_first || labels_in_run
}

fn cue_box(folded: &str) -> Option<ConclusionBox> {
    CUES.iter()
        .filter_map(|(cue, b)| folded.find(cue).map(|at| (at, *b)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::plain_lines as lines;

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
}
