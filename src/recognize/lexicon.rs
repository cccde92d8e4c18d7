//! First pass: what each line is, on its own, in the words of the report's template
//! (a [`Lexicon`], filled by `template::*`; this module holds no template word).
//! Headers and labels are matched on folded text, markers and codes through the
//! template's [`Vocabulary`]. Nothing here looks at the lines around: placing lines in
//! blocks is the job of the later passes.

use regex::Regex;

use super::cover::CoverField;
use super::vocabulary::Vocabulary;
use crate::model::{AnnotationKind, Channel, Conformity, Phase};
use crate::text::{collapse_whitespace, fold};

/// The words of one template's reports, as the recognition passes read them. Phrases
/// are folded (see [`fold`]).
#[derive(Debug)]
pub struct Lexicon {
    /// Annotation markers and conformity codes.
    pub vocabulary: Vocabulary,
    /// Lines that are the grid heading, repeated at page breaks, whole or in part.
    pub grid_headings: &'static [&'static str],
    /// The grid heading on one line: it starts with the first phrase and holds the second.
    pub grid_heading_row: (&'static str, &'static str),
    /// Words of the grid heading a rebuilt layout puts on lines of their own.
    pub heading_words: &'static [&'static str],
    /// Numbered part titles, with one named group per part: `cover`, `context`,
    /// `conclusion`, `synthesis`.
    pub part_title: Regex,
    /// Last lines of a part title that wraps in its cell.
    pub part_title_tails: &'static [&'static str],
    /// "Module 1" alone: the commitment cell's first line; group 1 is the module.
    pub module_tag: Regex,
    /// A module header spanning the grid; group 1 is the module.
    pub module_header: Regex,
    /// A numbered commitment or item: group 1 the number, group 2 the title's start.
    pub item_start: Regex,
    pub phases: PhaseWords,
    pub channels: &'static [(&'static str, Channel)],
    /// Starts of the quality-policy section header.
    pub pilotage: &'static [&'static str],
    /// Starts of the labelling-process section header.
    pub labellisation: &'static [&'static str],
    /// Conclusion box labels, whole (a bullet, "les " and a final colon aside).
    pub conclusion_labels: &'static [(&'static str, ConclusionBox)],
    /// Phrases naming a box inside its paragraph, for conclusions whose labels came
    /// apart from their contents.
    pub conclusion_cues: &'static [(&'static str, ConclusionBox)],
    /// Starts of form labels and legend lines printed in the context part.
    pub context_boilerplate: &'static [&'static str],
    /// Labels of the cover form, longest first where one starts another.
    pub cover_labels: &'static [(&'static str, CoverField)],
}

/// Headers of the audit's phases.
#[derive(Debug)]
pub struct PhaseWords {
    /// Starts of a remote-phase header; what follows names the phase.
    pub remote: &'static [&'static str],
    pub remote_phases: &'static [(&'static str, Phase)],
    pub on_site: &'static [&'static str],
    /// A line that heads the e-mail phase alone when the report has remote-phase
    /// headers, and is the Module 1 channel otherwise.
    pub lone_email: &'static str,
}

/// The box of the conclusion a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConclusionBox {
    General,
    Strengths,
    SensitivePoints,
    ImprovementTracks,
    Comments,
    GoodPractices,
    SatisfactionResults,
    GraphicCharter,
    Deviations,
}

/// What one line is, judged alone.
#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    Blank,
    /// The repeated grid heading ("Engagements de service", "Appréciation de l'auditeur"…).
    PageHeader,
    /// A numbered part of the report ("2. CONTEXTE", "4. SYNTHESE … CONCLUSION …").
    PartTitle(Part),
    /// "MODULE 4 - RELATIONS AVEC LES COLLECTIVITES TERRITORIALES", "MODULE N°6 : …".
    ModuleHeader(u8),
    /// "Module 1" alone: the commitment cell's first line.
    ModuleTag(u8),
    ChannelHeader(Channel),
    /// "AUDIT A DISTANCE : Internet", or "COURRIELS" alone (see [`classify`]).
    PhaseHeader(Phase),
    PilotageHeader,
    LabellisationHeader,
    /// "12. Nous vous délivrons…": a number and the start of a title.
    ItemStart {
        number: u32,
        rest: String,
    },
    /// "PP : …" at the start of a line.
    Marker {
        kind: AnnotationKind,
        rest: String,
    },
    /// A line that is only a conformity code.
    Code(Conformity),
    ConclusionLabel(ConclusionBox),
    /// A list bullet from a symbol font ("v") with nothing else.
    Bullet,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Cover,
    Context,
    Synthesis,
    Conclusion,
}

/// Classifies one line. `courriels_is_phase` says whether a lone "COURRIELS" heads a
/// remote phase (the report has remote-audit headers) rather than the Module 1 channel.
pub fn classify(lexicon: &Lexicon, line: &str, courriels_is_phase: bool) -> LineKind {
    let text = collapse_whitespace(line);
    if text.is_empty() {
        return LineKind::Blank;
    }
    let v = &lexicon.vocabulary;
    if let Some(code) = v.whole_code(&text) {
        return LineKind::Code(code);
    }
    if let Some((kind, rest)) = v.marker(&text) {
        return LineKind::Marker {
            kind,
            rest: rest.to_owned(),
        };
    }
    let folded = fold(&text);
    if text == "v" || text == "\u{f076}" || text == "•" {
        return LineKind::Bullet;
    }
    if is_grid_heading(lexicon, &folded) {
        return LineKind::PageHeader;
    }
    if let Some(part) = part_title(lexicon, &folded) {
        return LineKind::PartTitle(part);
    }
    if let Some(caps) = lexicon.module_tag.captures(&folded) {
        if let Ok(n) = caps[1].parse() {
            return LineKind::ModuleTag(n);
        }
    }
    if let Some(caps) = lexicon.module_header.captures(&folded) {
        if let Ok(n) = caps[1].parse() {
            return LineKind::ModuleHeader(n);
        }
    }
    if let Some(phase) = phase_header(&lexicon.phases, &folded, courriels_is_phase) {
        return LineKind::PhaseHeader(phase);
    }
    if let Some(&(_, channel)) = lexicon.channels.iter().find(|(w, _)| *w == folded) {
        return LineKind::ChannelHeader(channel);
    }
    if lexicon.pilotage.iter().any(|p| folded.starts_with(p)) {
        return LineKind::PilotageHeader;
    }
    if lexicon.labellisation.iter().any(|p| folded.starts_with(p)) {
        return LineKind::LabellisationHeader;
    }
    if let Some(b) = conclusion_label(lexicon, &folded) {
        return LineKind::ConclusionLabel(b);
    }
    if let Some(caps) = lexicon.item_start.captures(&text) {
        if let Ok(number) = caps[1].parse() {
            return LineKind::ItemStart {
                number,
                rest: caps[2].to_owned(),
            };
        }
    }
    LineKind::Text
}

/// True when the folded text is a remote-audit header, which makes a lone
/// "COURRIELS" a phase header rather than a channel.
pub fn mentions_remote_audit(lexicon: &Lexicon, folded: &str) -> bool {
    lexicon.phases.remote.iter().any(|r| folded.starts_with(r))
}

fn is_grid_heading(lexicon: &Lexicon, folded: &str) -> bool {
    let (starts, holds) = lexicon.grid_heading_row;
    lexicon.grid_headings.contains(&folded)
        || (folded.starts_with(starts) && folded.contains(holds))
}

fn part_title(lexicon: &Lexicon, folded: &str) -> Option<Part> {
    let caps = lexicon.part_title.captures(folded)?;
    [
        ("cover", Part::Cover),
        ("context", Part::Context),
        ("conclusion", Part::Conclusion),
        ("synthesis", Part::Synthesis),
    ]
    .into_iter()
    .find(|(group, _)| caps.name(group).is_some())
    .map(|(_, part)| part)
}

fn phase_header(words: &PhaseWords, folded: &str, courriels_is_phase: bool) -> Option<Phase> {
    if let Some(rest) = words.remote.iter().find_map(|r| folded.strip_prefix(r)) {
        let rest = rest.trim_start_matches([' ', ':', '-']);
        return words
            .remote_phases
            .iter()
            .find(|(w, _)| rest.starts_with(w))
            .map(|&(_, phase)| phase);
    }
    if words.on_site.contains(&folded) {
        return Some(Phase::OnSite);
    }
    (courriels_is_phase && folded == words.lone_email).then_some(Phase::RemoteEmail)
}

/// The conclusion box a label names; a leading bullet or checkbox is ignored.
pub fn conclusion_label(lexicon: &Lexicon, folded: &str) -> Option<ConclusionBox> {
    // Box labels may carry a bullet: "❖", "➢", "•", or "v" where a Wingdings "❖"
    // lost its font.
    let label = folded.strip_prefix("v ").unwrap_or(folded);
    let label = label
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(')
        .trim_end_matches([' ', ':']);
    let label = label.strip_prefix("les ").unwrap_or(label);
    lexicon
        .conclusion_labels
        .iter()
        .find(|(l, _)| *l == label)
        .map(|&(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::super::template::{QualEPref, Template};
    use super::*;

    fn classify(line: &str, courriels_is_phase: bool) -> LineKind {
        super::classify(QualEPref.lexicon(), line, courriels_is_phase)
    }

    #[test]
    fn markers_need_their_colon() {
        assert!(matches!(
            classify(" PP : Mettre à jour", false),
            LineKind::Marker {
                kind: AnnotationKind::ImprovementTrack,
                ..
            }
        ));
        assert_eq!(classify("PPNG : plan", false), LineKind::Text);
        assert_eq!(
            classify("Après avoir intégré les modifications liées au PPNG", false),
            LineKind::Text
        );
        assert_eq!(classify("FB : 8 000 abonnés", false), LineKind::Text);
    }

    #[test]
    fn headers_and_tags() {
        assert_eq!(classify("Module 1", false), LineKind::ModuleTag(1));
        assert_eq!(
            classify(
                " MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS",
                false
            ),
            LineKind::ModuleHeader(1)
        );
        assert_eq!(
            classify(
                "  MODULE N°6 : COORDINATION DES POLITIQUES PUBLIQUES",
                false
            ),
            LineKind::ModuleHeader(6)
        );
        assert_eq!(
            classify("AUDIT A DISTANCE : Téléphone (standard, SVI, SART)", false),
            LineKind::PhaseHeader(Phase::RemoteTelephone)
        );
        assert_eq!(
            classify("COURRIELS", true),
            LineKind::PhaseHeader(Phase::RemoteEmail)
        );
        assert_eq!(
            classify("COURRIERS ET COURRIELS", true),
            LineKind::ChannelHeader(Channel::CourriersCourriels)
        );
        assert_eq!(
            classify("Commentaires Conformité", false),
            LineKind::PageHeader
        );
        assert_eq!(
            classify(" 2. CONTEXTE", false),
            LineKind::PartTitle(Part::Context)
        );
        assert_eq!(
            classify(
                "4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE L'AUDIT",
                false
            ),
            LineKind::PartTitle(Part::Conclusion)
        );
        assert_eq!(
            classify("v RESPECT DE LA CHARTE GRAPHIQUE", false),
            LineKind::ConclusionLabel(ConclusionBox::GraphicCharter)
        );
        assert_eq!(
            classify("FICHE(S) D'ECART(S)", false),
            LineKind::ConclusionLabel(ConclusionBox::Deviations)
        );
        assert_eq!(
            classify("COMMENTAIRES", false),
            LineKind::ConclusionLabel(ConclusionBox::Comments)
        );
        assert_eq!(
            classify(
                "LES RESULTATS DES ENQUETES DE SATISFACTION DES USAGERS",
                false
            ),
            LineKind::ConclusionLabel(ConclusionBox::SatisfactionResults)
        );
        assert_eq!(
            classify("NC Min.", false),
            LineKind::Code(Conformity::MinorNonConformity)
        );
        assert!(matches!(
            classify("12. Nous vous délivrons une ", false),
            LineKind::ItemStart { number: 12, .. }
        ));
    }
}
