//! First pass: what each line is, on its own. Markers and conformity codes are parsed
//! with nom; headers and labels are matched on folded text. Nothing here looks at the
//! lines around: placing lines in blocks is the job of the later passes.

use std::sync::OnceLock;

use nom::branch::alt;
use nom::bytes::complete::{tag, tag_no_case};
use nom::character::complete::{space0, space1};
use nom::combinator::{all_consuming, opt, rest, value};
use nom::{IResult, Parser};
use regex::Regex;

use crate::model::{AnnotationKind, Channel, Conformity, Phase};
use crate::text::{collapse_whitespace, fold};

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
pub fn classify(line: &str, courriels_is_phase: bool) -> LineKind {
    let text = collapse_whitespace(line);
    if text.is_empty() {
        return LineKind::Blank;
    }
    // Cheap guards first: every line comes here, few are codes or markers. The
    // longest code ("Non-conformité majeure.") is 25 bytes; markers start with P or N.
    if text.len() <= 32 {
        if let Ok((_, code)) = whole_code(&text) {
            return LineKind::Code(code);
        }
    }
    let may_be_marker = matches!(text.as_bytes()[0], b'P' | b'p' | b'N' | b'n');
    if let Some(Ok((_, (kind, rest)))) = may_be_marker.then(|| marker(&text)) {
        return LineKind::Marker {
            kind,
            rest: rest.to_owned(),
        };
    }
    let folded = fold(&text);
    if text == "v" || text == "\u{f076}" || text == "•" {
        return LineKind::Bullet;
    }
    if is_page_header(&folded) {
        return LineKind::PageHeader;
    }
    if let Some(part) = part_title(&folded) {
        return LineKind::PartTitle(part);
    }
    if let Some(caps) = regexes().module_tag.captures(&folded) {
        if let Ok(n) = caps[1].parse() {
            return LineKind::ModuleTag(n);
        }
    }
    if let Some(caps) = regexes().module_header.captures(&folded) {
        if let Ok(n) = caps[1].parse() {
            return LineKind::ModuleHeader(n);
        }
    }
    if let Some(phase) = phase_header(&folded, courriels_is_phase) {
        return LineKind::PhaseHeader(phase);
    }
    if let Some(channel) = channel_header(&folded) {
        return LineKind::ChannelHeader(channel);
    }
    if folded.starts_with("pilotage de la politique qualite") {
        return LineKind::PilotageHeader;
    }
    if folded.starts_with("demarche de labellisation")
        || folded.starts_with("demarche de labelisation")
    {
        return LineKind::LabellisationHeader;
    }
    if let Some(b) = conclusion_label(&folded) {
        return LineKind::ConclusionLabel(b);
    }
    if let Some(caps) = regexes().item_start.captures(&text) {
        if let Ok(number) = caps[1].parse() {
            return LineKind::ItemStart {
                number,
                rest: caps[2].to_owned(),
            };
        }
    }
    LineKind::Text
}

/// True when the folded text mentions remote-audit phases, which makes a lone
/// "COURRIELS" a phase header rather than a channel.
pub fn mentions_remote_audit(folded: &str) -> bool {
    folded.starts_with("audit a distance")
}

fn is_page_header(folded: &str) -> bool {
    matches!(
        folded,
        "engagements de service"
            | "appreciation de l'auditeur"
            | "commentaires conformite"
            | "conformite"
            | "appreciation de l'auditeur - commentaires"
            | "appreciation de l'auditeur commentaires"
    ) || (folded.starts_with("engagements de service") && folded.contains("appreciation"))
}

fn part_title(folded: &str) -> Option<Part> {
    let caps = regexes().part_title.captures(folded)?;
    let name = caps.get(1)?.as_str();
    Some(if name.starts_with("page de garde") {
        Part::Cover
    } else if name.starts_with("contexte") {
        Part::Context
    } else if name.contains("conclusion") {
        Part::Conclusion
    } else {
        Part::Synthesis
    })
}

fn phase_header(folded: &str, courriels_is_phase: bool) -> Option<Phase> {
    if let Some(rest) = folded
        .strip_prefix("audit a distance")
        .or_else(|| folded.strip_prefix("audits a distance"))
    {
        let rest = rest.trim_start_matches([' ', ':', '-']);
        return Some(
            if rest.starts_with("internet") || rest.starts_with("site") {
                Phase::RemoteInternet
            } else if rest.starts_with("telephone") {
                Phase::RemoteTelephone
            } else if rest.starts_with("courriel")
                || rest.starts_with("mail")
                || rest.starts_with("e-mail")
            {
                Phase::RemoteEmail
            } else {
                return None;
            },
        );
    }
    if matches!(folded, "audit sur site" | "audit sur place") {
        return Some(Phase::OnSite);
    }
    (courriels_is_phase && folded == "courriels").then_some(Phase::RemoteEmail)
}

fn channel_header(folded: &str) -> Option<Channel> {
    Some(match folded {
        "accueil physique" => Channel::AccueilPhysique,
        "telephone" | "accueil telephonique" => Channel::Telephone,
        "site internet" | "internet" => Channel::SiteInternet,
        "courriers et courriels" | "courriels et courriers" | "courriels" | "courriers" => {
            Channel::CourriersCourriels
        }
        "reseau sociaux" | "reseaux sociaux" | "reseaux sociaux (facebook, twitter...)" => {
            Channel::ReseauxSociaux
        }
        _ => return None,
    })
}

/// The conclusion box a label names; a leading bullet or checkbox is ignored.
pub fn conclusion_label(folded: &str) -> Option<ConclusionBox> {
    // Box labels may carry a bullet: "❖", "➢", "•", or "v" where a Wingdings "❖"
    // lost its font.
    let label = folded.strip_prefix("v ").unwrap_or(folded);
    let label = label
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(')
        .trim_end_matches([' ', ':']);
    let label = label.strip_prefix("les ").unwrap_or(label);
    Some(match label {
        "points forts" => ConclusionBox::Strengths,
        "points sensibles" => ConclusionBox::SensitivePoints,
        "pistes de progres" => ConclusionBox::ImprovementTracks,
        "commentaires" => ConclusionBox::Comments,
        "bonnes pratiques" => ConclusionBox::GoodPractices,
        "respect de la charte graphique" | "charte graphique" => ConclusionBox::GraphicCharter,
        "conclusion generale de l'audit" | "conclusion generale" => ConclusionBox::General,
        l if matches!(
            l.strip_prefix("resultats des enquetes de satisfaction"),
            Some("" | " des usagers" | " usagers")
        ) =>
        {
            ConclusionBox::SatisfactionResults
        }
        "fiche(s) d'ecart(s)"
        | "fiche(s) d'ecart"
        | "fiches d'ecart"
        | "fiches d'ecarts"
        | "fiche d'ecart" => ConclusionBox::Deviations,
        _ => return None,
    })
}

/// A conformity code and nothing else on the line.
pub fn whole_code(text: &str) -> IResult<&str, Conformity> {
    all_consuming((space0, conformity, space0))
        .map(|(_, c, _)| c)
        .parse(text)
}

/// A conformity code ending a text line after a space ("Note : Cf. Pilotage. C"):
/// returns the text before it and the code.
pub fn trailing_code(text: &str) -> Option<(&str, Conformity)> {
    let trimmed = text.trim_end();
    let caps = regexes().trailing_code.captures(trimmed)?;
    let code_start = caps.get(1)?.start();
    let (_, code) = whole_code(&trimmed[code_start..]).ok()?;
    Some((trimmed[..code_start].trim_end(), code))
}

/// A conformity code as reports spell it: "C", "NA", "N/A", "NC Maj", "NC min.",
/// "Non-conformité mineure", "Conforme", "Non applicable".
pub fn conformity(input: &str) -> IResult<&str, Conformity> {
    let non_conformite = || {
        (
            tag_no_case("non"),
            alt((tag("-"), space1)),
            alt((tag_no_case("conformité"), tag_no_case("conformite"))),
            space1,
        )
    };
    alt((
        value(
            Conformity::MajorNonConformity,
            (
                tag_no_case("NC"),
                space0,
                alt((tag_no_case("majeure"), tag_no_case("maj"))),
                opt(tag(".")),
            ),
        ),
        value(
            Conformity::MinorNonConformity,
            (
                tag_no_case("NC"),
                space0,
                alt((tag_no_case("mineure"), tag_no_case("min"))),
                opt(tag(".")),
            ),
        ),
        value(
            Conformity::MajorNonConformity,
            (non_conformite(), tag_no_case("majeure")),
        ),
        value(
            Conformity::MinorNonConformity,
            (non_conformite(), tag_no_case("mineure")),
        ),
        value(
            Conformity::NotApplicable,
            alt((
                tag_no_case("non applicable"),
                tag("N/A"),
                tag("N.A."),
                tag("NA"),
            )),
        ),
        value(
            Conformity::Conforme,
            alt((tag_no_case("conforme"), tag("C"))),
        ),
    ))
    .parse(input)
}

/// An annotation marker at the start of a line: "PF :", "PS:", "PP :", "PV :",
/// "Note :", or spelt out ("Point fort :", "Pistes de progrès :"). "PPNG" is not one:
/// a marker is always followed by a colon.
pub fn marker(text: &str) -> IResult<&str, (AnnotationKind, &str)> {
    let plural = || opt(tag_no_case("s"));
    let kind = alt((
        value(
            AnnotationKind::StrongPoint,
            alt((
                tag("PF"),
                tag_no_case("point fort"),
                tag_no_case("points forts"),
            )),
        ),
        value(
            AnnotationKind::SensitivePoint,
            alt((
                tag("PS"),
                tag_no_case("point sensible"),
                tag_no_case("points sensibles"),
            )),
        ),
        value(
            AnnotationKind::ImprovementTrack,
            alt((
                tag("PP"),
                (tag_no_case("piste"), plural(), tag_no_case(" de progrès")).map(|_| ""),
            )),
        ),
        value(
            AnnotationKind::VigilancePoint,
            alt((
                tag("PV"),
                tag_no_case("point de vigilance"),
                tag_no_case("points de vigilance"),
            )),
        ),
        value(AnnotationKind::Note, alt((tag("Note"), tag("NOTE")))),
    ));
    (space0, kind, space0, tag(":"), space0, rest)
        .map(|(_, k, _, _, _, r)| (k, r))
        .parse(text)
}

/// Where a marker starts inside a line (title and first annotation on one line:
/// "1. Responsabilités  Note : La lettre…"): byte offset of the marker.
pub fn inline_marker_start(text: &str) -> Option<usize> {
    regexes().inline_marker.find(text).map(|m| m.start() + 1)
}

struct Regexes {
    module_tag: Regex,
    module_header: Regex,
    item_start: Regex,
    part_title: Regex,
    trailing_code: Regex,
    inline_marker: Regex,
}

fn regexes() -> &'static Regexes {
    static CELL: OnceLock<Regexes> = OnceLock::new();
    CELL.get_or_init(|| Regexes {
        module_tag: Regex::new(r"^module (\d{1,2})$").unwrap(),
        module_header: Regex::new(r"^module (?:n ?° ?|no ?)?(\d)\s*(?:-|:)\s*\S").unwrap(),
        item_start: Regex::new(r"^(\d{1,2})\s?\.\s*(\S.*)$").unwrap(),
        part_title: Regex::new(r"^\d\s?\.\s*(page de garde|contexte|synthese de l'evaluation.*)$")
            .unwrap(),
        trailing_code: Regex::new(r"\S\s+(C|NA|N/A|NC\s?(?i:maj|min)\.?)$").unwrap(),
        inline_marker: Regex::new(r"\s(?:PF|PS|PP|PV|Note)\s*:").unwrap(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_their_spellings() {
        for (s, c) in [
            ("C", Conformity::Conforme),
            (" NA ", Conformity::NotApplicable),
            ("N/A", Conformity::NotApplicable),
            ("NC Maj", Conformity::MajorNonConformity),
            ("NC min.", Conformity::MinorNonConformity),
            ("NC Min.", Conformity::MinorNonConformity),
            ("Non-conformité mineure", Conformity::MinorNonConformity),
            ("Conforme", Conformity::Conforme),
        ] {
            assert_eq!(whole_code(s).map(|r| r.1), Ok(c), "{s}");
        }
        assert!(whole_code("Commentaires").is_err());
        assert!(whole_code("CA").is_err());
    }

    #[test]
    fn a_code_ending_a_text_line() {
        assert_eq!(
            trailing_code("Note : Cf. Pilotage. C"),
            Some(("Note : Cf. Pilotage.", Conformity::Conforme))
        );
        assert_eq!(
            trailing_code("Secrétaire Générale. NA"),
            Some(("Secrétaire Générale.", Conformity::NotApplicable))
        );
        assert_eq!(
            trailing_code("3. A votre écoute pour progresser C"),
            Some(("3. A votre écoute pour progresser", Conformity::Conforme))
        );
        assert_eq!(trailing_code("le standard."), None);
        assert_eq!(trailing_code("PNC"), None);
    }

    #[test]
    fn markers_need_their_colon() {
        assert_eq!(
            marker(" PP : Mettre à jour").map(|r| r.1),
            Ok((AnnotationKind::ImprovementTrack, "Mettre à jour"))
        );
        assert_eq!(marker("Note : ").map(|r| r.1 .0), Ok(AnnotationKind::Note));
        assert_eq!(
            marker("Piste de progrès : x").map(|r| r.1 .0),
            Ok(AnnotationKind::ImprovementTrack)
        );
        assert!(marker("PPNG : plan").is_err());
        assert!(marker("Après avoir intégré les modifications liées au PPNG").is_err());
        assert!(marker("FB : 8 000 abonnés").is_err());
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
        assert!(matches!(
            classify("12. Nous vous délivrons une ", false),
            LineKind::ItemStart { number: 12, .. }
        ));
    }

    #[test]
    fn inline_marker_after_a_title() {
        let line = "1. Responsabilités  Note : La lettre";
        assert_eq!(
            &line[inline_marker_start(line).unwrap()..],
            "Note : La lettre"
        );
        assert_eq!(inline_marker_start("Après le PPNG : rien"), None);
    }
}
