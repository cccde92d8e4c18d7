//! The words auditors write for annotation kinds and conformity verdicts, across
//! referentials: one table of spellings each ([`ANNOTATIONS`], [`CONFORMITIES`]), and
//! the recognisers built from them (markers at the start of a line or after a title, a
//! code alone on a line or ending one). A template picks which spellings its reports
//! use; no recogniser lists spellings of its own.

use regex::Regex;

use crate::model::{AnnotationKind, Conformity};

/// How a spelling is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// An abbreviation written as is, case included ("PF", "C", "NA", "Note").
    Exact,
    /// An abbreviation in any case; a space may be left out, a final "." is optional
    /// ("NC Maj", "NC min.", "NCmaj").
    Abbreviation,
    /// Words in any case and accents; a space may be left out, a hyphen may be a space
    /// ("Non-conformité mineure", "non conformite mineure").
    Words,
}

/// Where a spelling is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// In reports of every referential, Qual-e-pref's included.
    Common,
    /// Only in older templates and certification-body reports (QUALIPREF, Marianne):
    /// in a Qual-e-pref report these words are prose.
    Legacy,
}

/// One way of writing a value.
#[derive(Debug, Clone, Copy)]
pub struct Spelling<T> {
    pub value: T,
    pub text: &'static str,
    pub form: Form,
    pub usage: Usage,
}

const fn s<T>(value: T, text: &'static str, form: Form, usage: Usage) -> Spelling<T> {
    Spelling {
        value,
        text,
        form,
        usage,
    }
}

use AnnotationKind::{ImprovementTrack, Note, SensitivePoint, StrongPoint, VigilancePoint};
use Conformity::{Conforme, MajorNonConformity, MinorNonConformity, NotApplicable};
use Form::{Abbreviation, Exact, Words};
use Usage::{Common, Legacy};

/// Annotation labels (docs: "Vocabulary across referentials"). "PV" alone often means
/// procès-verbal: as a marker it needs its colon like every other.
pub const ANNOTATIONS: &[Spelling<AnnotationKind>] = &[
    s(StrongPoint, "PF", Exact, Common),
    s(StrongPoint, "point fort", Words, Common),
    s(StrongPoint, "points forts", Words, Common),
    s(SensitivePoint, "PS", Exact, Common),
    s(SensitivePoint, "point sensible", Words, Common),
    s(SensitivePoint, "points sensibles", Words, Common),
    s(ImprovementTrack, "PP", Exact, Common),
    s(ImprovementTrack, "piste de progrès", Words, Common),
    s(ImprovementTrack, "pistes de progrès", Words, Common),
    s(ImprovementTrack, "piste d'amélioration", Words, Legacy),
    s(ImprovementTrack, "pistes d'amélioration", Words, Legacy),
    s(
        ImprovementTrack,
        "opportunité d'amélioration",
        Words,
        Legacy,
    ),
    s(
        ImprovementTrack,
        "opportunités d'amélioration",
        Words,
        Legacy,
    ),
    s(VigilancePoint, "PV", Exact, Common),
    s(VigilancePoint, "point de vigilance", Words, Common),
    s(VigilancePoint, "points de vigilance", Words, Common),
    s(Note, "Note", Exact, Common),
    s(Note, "NOTE", Exact, Common),
    s(Note, "constat", Words, Legacy),
    s(Note, "remarque", Words, Legacy),
    s(Note, "observation", Words, Legacy),
    s(Note, "commentaire", Words, Legacy),
    // The description of a certification body's écart ("Écart mineur : …"): the
    // verdict says the severity; the model has no kind for a gap's description.
    s(Note, "écart mineur", Words, Legacy),
    s(Note, "écart majeur", Words, Legacy),
];

/// Conformity verdicts (docs: "Vocabulary across referentials"). "C" and "NA" are
/// matched case and all: "c" and "na" are too often something else.
pub const CONFORMITIES: &[Spelling<Conformity>] = &[
    s(Conforme, "C", Exact, Common),
    s(Conforme, "Conforme", Words, Common),
    s(Conforme, "Satisfaisant", Words, Legacy),
    s(Conforme, "Satisfait", Words, Legacy),
    s(NotApplicable, "NA", Exact, Common),
    s(NotApplicable, "N/A", Exact, Common),
    s(NotApplicable, "N.A.", Exact, Common),
    s(NotApplicable, "Non applicable", Words, Common),
    s(NotApplicable, "Non concerné", Words, Legacy),
    s(NotApplicable, "Sans objet", Words, Legacy),
    s(MajorNonConformity, "NC Maj", Abbreviation, Common),
    s(MajorNonConformity, "NC majeure", Abbreviation, Common),
    s(MajorNonConformity, "Non-conformité majeure", Words, Common),
    s(MajorNonConformity, "Écart majeur", Words, Legacy),
    s(MinorNonConformity, "NC min", Abbreviation, Common),
    s(MinorNonConformity, "NC mineure", Abbreviation, Common),
    s(MinorNonConformity, "Non-conformité mineure", Words, Common),
    s(MinorNonConformity, "Non conforme mineur", Words, Legacy),
    s(MinorNonConformity, "Écart mineur", Words, Legacy),
    s(MajorNonConformity, "Non conforme majeur", Words, Legacy),
    s(
        MajorNonConformity,
        "Non conforme (écart majeur)",
        Words,
        Legacy,
    ),
    s(
        MinorNonConformity,
        "Non conforme (écart mineur)",
        Words,
        Legacy,
    ),
    // QUALIPREF2 tables print no severity: an internal audit's bare "Non conforme" is
    // read as minor (fixtures/legacy/README.md, open question 1).
    s(MinorNonConformity, "Non conforme", Words, Legacy),
];

/// The recognisers of one template, built from the spellings of the usages it accepts.
#[derive(Debug)]
pub struct Vocabulary {
    annotations: Vec<Spelling<AnnotationKind>>,
    conformities: Vec<Spelling<Conformity>>,
    /// First bytes a marker can start with: most lines are rejected on it.
    marker_first_bytes: [bool; 256],
    /// Longer lines are no code alone (a cheap test before matching).
    longest_code: usize,
    /// An abbreviated marker inside a line ("1. Responsabilités  Note : …").
    inline_marker: Regex,
}

impl Vocabulary {
    pub fn new(usages: &[Usage]) -> Vocabulary {
        let annotations: Vec<_> = pick(ANNOTATIONS, usages);
        let conformities: Vec<_> = pick(CONFORMITIES, usages);
        let mut marker_first_bytes = [false; 256];
        for a in &annotations {
            let first = a.text.as_bytes()[0];
            marker_first_bytes[usize::from(first)] = true;
            if a.form != Exact {
                marker_first_bytes[usize::from(first.to_ascii_lowercase())] = true;
                marker_first_bytes[usize::from(first.to_ascii_uppercase())] = true;
            }
        }
        // Accents may be written or not: a spelled-out code is at most twice its bytes.
        let longest_code = conformities.iter().map(|c| 2 * c.text.len() + 1).max();
        // Spelled-out words inside a line are prose: only abbreviations count there.
        let abbreviations: Vec<String> = annotations
            .iter()
            .filter(|a| a.form == Exact)
            .map(|a| regex::escape(a.text))
            .collect();
        let inline_marker =
            Regex::new(&format!(r"\s(?:{})\s*:", abbreviations.join("|"))).expect("marker pattern");
        Vocabulary {
            annotations,
            conformities,
            marker_first_bytes,
            longest_code: longest_code.unwrap_or(0),
            inline_marker,
        }
    }

    /// An annotation marker at the start of a line: "PF :", "PS:", "Note :", or spelt
    /// out ("Point fort :"). Returns the kind and the text after the colon. "PPNG" is
    /// not one: a marker is always followed by a colon.
    pub fn marker<'t>(&self, text: &'t str) -> Option<(AnnotationKind, &'t str)> {
        let text = text.trim_start_matches([' ', '\t']);
        if !self.marker_first_bytes[usize::from(*text.as_bytes().first()?)] {
            return None;
        }
        self.annotations.iter().find_map(|a| {
            let after = &text[matched_len(text, a)?..];
            let rest = after.trim_start_matches([' ', '\t']).strip_prefix(':')?;
            Some((a.value, rest.trim_start_matches([' ', '\t'])))
        })
    }

    /// Where an abbreviated marker starts inside a line (title and first annotation
    /// on one line): byte offset of the marker.
    pub fn inline_marker_start(&self, text: &str) -> Option<usize> {
        self.inline_marker.find(text).map(|m| m.start() + 1)
    }

    /// A conformity code and nothing else on the line (spaces aside).
    pub fn whole_code(&self, text: &str) -> Option<Conformity> {
        let text = text.trim_matches([' ', '\t']);
        if text.len() > self.longest_code {
            return None;
        }
        self.conformities
            .iter()
            .find(|c| matched_len(text, c) == Some(text.len()))
            .map(|c| c.value)
    }

    /// A spelled-out verdict ending a table row's text after a sentence ("… délai
    /// prévisible. Conforme"): a text layer puts the verdict cell after the last line
    /// of the findings cell. The text before it and the code.
    pub fn trailing_words_code<'t>(&self, text: &'t str) -> Option<(&'t str, Conformity)> {
        let trimmed = text.trim_end();
        let starts: Vec<usize> = trimmed
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace() && trimmed[..i].ends_with(|p: char| p.is_whitespace())
            })
            .map(|(i, _)| i)
            .collect();
        // The longest verdict first ("Non conforme mineur" before "mineur").
        starts.iter().rev().take(4).rev().find_map(|&at| {
            let before = trimmed[..at].trim_end();
            let code = self.whole_code(&trimmed[at..])?;
            before.ends_with(['.', ';', ')']).then_some((before, code))
        })
    }

    /// An abbreviated code ending a text line after a space ("Note : Cf. Pilotage. C"):
    /// the text before it and the code. Spelled-out words ending a line are prose.
    pub fn trailing_code<'t>(&self, text: &'t str) -> Option<(&'t str, Conformity)> {
        let trimmed = text.trim_end();
        // The code is the last word or the last two ("NC maj"); the longer first.
        let mut starts: Vec<usize> = trimmed
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace() && trimmed[..i].ends_with(|p: char| p.is_whitespace())
            })
            .map(|(i, _)| i)
            .collect();
        starts.reverse();
        starts.truncate(2);
        starts.into_iter().rev().find_map(|at| {
            let before = trimmed[..at].trim_end();
            let code = self
                .conformities
                .iter()
                .filter(|c| c.form != Words)
                .find(|c| matched_len(&trimmed[at..], c) == Some(trimmed.len() - at))?;
            (!before.is_empty()).then_some((before, code.value))
        })
    }
}

fn pick<T: Copy>(table: &[Spelling<T>], usages: &[Usage]) -> Vec<Spelling<T>> {
    table
        .iter()
        .filter(|s| usages.contains(&s.usage))
        .copied()
        .collect()
}

/// How many bytes of `text`'s start the spelling covers, under the rules of its form.
fn matched_len<T>(text: &str, spelling: &Spelling<T>) -> Option<usize> {
    if spelling.form == Exact {
        return text
            .starts_with(spelling.text)
            .then_some(spelling.text.len());
    }
    let mut at = 0;
    let spaces = |from: usize| {
        text[from..]
            .find(|c: char| c != ' ' && c != '\t')
            .map_or(text.len(), |k| from + k)
    };
    for want in spelling.text.chars() {
        match want {
            ' ' => at = spaces(at),
            // "Non-conformité" is also written "Non conformité".
            '-' if spelling.form == Words && !text[at..].starts_with('-') => {
                let after = spaces(at);
                if after == at {
                    return None;
                }
                at = after;
            }
            _ => {
                let got = text[at..].chars().next()?;
                if !same_letter(got, want) {
                    return None;
                }
                at += got.len_utf8();
            }
        }
    }
    if spelling.form == Abbreviation && text[at..].starts_with('.') {
        at += 1;
    }
    Some(at)
}

/// Equal once case and accents are set aside.
fn same_letter(a: char, b: char) -> bool {
    a == b || crate::text::fold_char(a) == crate::text::fold_char(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qual_e_pref() -> Vocabulary {
        Vocabulary::new(&[Usage::Common])
    }

    #[test]
    fn codes_in_their_spellings() {
        let v = qual_e_pref();
        for (s, c) in [
            ("C", Conforme),
            (" NA ", NotApplicable),
            ("N/A", NotApplicable),
            ("NC Maj", MajorNonConformity),
            ("NC min.", MinorNonConformity),
            ("NC Min.", MinorNonConformity),
            ("NCmaj", MajorNonConformity),
            ("Non-conformité mineure", MinorNonConformity),
            ("non conformite majeure", MajorNonConformity),
            ("Conforme", Conforme),
        ] {
            assert_eq!(v.whole_code(s), Some(c), "{s}");
        }
        for s in ["Commentaires", "CA", "c", "C.", "Sans objet"] {
            assert_eq!(v.whole_code(s), None, "{s}");
        }
        let legacy = Vocabulary::new(&[Usage::Common, Usage::Legacy]);
        assert_eq!(legacy.whole_code("Sans objet"), Some(NotApplicable));
        assert_eq!(legacy.whole_code("Écart mineur"), Some(MinorNonConformity));
    }

    #[test]
    fn a_code_ending_a_text_line() {
        let v = qual_e_pref();
        assert_eq!(
            v.trailing_code("Note : Cf. Pilotage. C"),
            Some(("Note : Cf. Pilotage.", Conforme))
        );
        assert_eq!(
            v.trailing_code("Secrétaire Générale. NA"),
            Some(("Secrétaire Générale.", NotApplicable))
        );
        assert_eq!(
            v.trailing_code("la réponse. NC Maj"),
            Some(("la réponse.", MajorNonConformity))
        );
        assert_eq!(
            v.trailing_code("3. A votre écoute pour progresser C"),
            Some(("3. A votre écoute pour progresser", Conforme))
        );
        assert_eq!(v.trailing_code("le standard."), None);
        assert_eq!(v.trailing_code("PNC"), None);
        assert_eq!(v.trailing_code("il est conforme"), None);
    }

    #[test]
    fn markers_need_their_colon() {
        let v = qual_e_pref();
        assert_eq!(
            v.marker(" PP : Mettre à jour"),
            Some((ImprovementTrack, "Mettre à jour"))
        );
        assert_eq!(v.marker("Note : ").map(|m| m.0), Some(Note));
        assert_eq!(
            v.marker("Piste de progrès : x").map(|m| m.0),
            Some(ImprovementTrack)
        );
        assert_eq!(v.marker("Points forts: x"), Some((StrongPoint, "x")));
        assert_eq!(v.marker("PPNG : plan"), None);
        assert_eq!(
            v.marker("Après avoir intégré les modifications liées au PPNG"),
            None
        );
        assert_eq!(v.marker("FB : 8 000 abonnés"), None);
        assert_eq!(v.marker("Remarque : x"), None);
        let legacy = Vocabulary::new(&[Usage::Common, Usage::Legacy]);
        assert_eq!(legacy.marker("Remarque : x"), Some((Note, "x")));
        assert_eq!(
            legacy.marker("Piste d'amélioration : y"),
            Some((ImprovementTrack, "y"))
        );
    }

    #[test]
    fn inline_marker_after_a_title() {
        let v = qual_e_pref();
        let line = "1. Responsabilités  Note : La lettre";
        assert_eq!(
            &line[v.inline_marker_start(line).unwrap()..],
            "Note : La lettre"
        );
        assert_eq!(v.inline_marker_start("Après le PPNG : rien"), None);
        assert_eq!(v.inline_marker_start("des points forts : rien"), None);
    }
}
