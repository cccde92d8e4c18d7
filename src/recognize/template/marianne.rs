//! Marianne certification reports (2008–2019), as certification bodies write them:
//! a cover ("RAPPORT D'AUDIT – Labellisation selon le référentiel Marianne", the
//! body's name), the "INFORMATIONS GENERALES" form (organisation, audit type, start
//! and end dates, referential, audit team), "Présentation de l'organisation" (the
//! context), "RAPPORT DE SYNTHESE" (the conclusion boxes), then "CARACTERISTIQUES
//! LABELLISEES": "Rubrique N" and its sentence (module N), then per engagement
//! "Engagement n°N", its title, findings and an evaluation word (satisfait / écart
//! mineur / écart majeur / non applicable) — in blocks, or one table per rubric.
//! Every such report is an external audit. The referential's edition (2008, 2016,
//! 2019) is the one the form names.

use std::sync::OnceLock;

use regex::Regex;

use super::legacy::{self, Field, Form, Part};
use super::{Detection, Layout, QualEPref, Template};
use crate::model::{Assessment, ReferentialName, Theme};
use crate::recognize::lexicon::{ConclusionBox, Lexicon};
use crate::recognize::Recognized;
use crate::source::{Line, SourceDocument};
use crate::text::fold;

/// A certification body's Marianne report.
#[derive(Debug)]
pub struct Marianne;

fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("Marianne pattern");
        Form {
            referential: ReferentialName::Marianne2008,
            parts: vec![
                (re(r"^informations generales$"), Part::Form),
                (re(r"^presentation de l'organis"), Part::Context),
                (re(r"^rapport de synthese$"), Part::Conclusion),
                (re(r"^caracteristiques labellisees$"), Part::Assessments),
            ],
            labels: &[
                ("nom de l'organisation", Field::Organisation),
                ("organisation auditee", Field::Organisation),
                ("organisme audite", Field::Organisation),
                ("date de debut d'audit", Field::AuditDates),
                ("date de fin d'audit", Field::AuditDates),
                ("dates d'audit", Field::AuditDates),
                ("date de l'audit", Field::AuditDates),
                ("date d'audit", Field::AuditDates),
                ("referentiel", Field::Referential),
                ("responsable d'audit", Field::Auditor),
                ("autres membres de l'equipe", Field::Auditors),
                ("type d'audit", Field::AuditType),
            ],
            commitment: re(
                r"(?i)^engagement n\s?°\s?(?P<number>\d{1,2})\s*(?::\s*(?P<title>.*))?$",
            ),
            module: re(r"^rubrique (?P<module>\d{1,2})$"),
            channels: &[],
            verdict_labels: &["evaluation"],
            table_heading: &[
                "engagement constats evaluation",
                "engagement",
                "constats",
                "evaluation",
            ],
            // Blocks, or one table per rubric: told per document by the heading row.
            table: false,
            boxes: &[
                ("conclusion", Some(ConclusionBox::General)),
                ("points forts", Some(ConclusionBox::Strengths)),
                ("points sensibles", Some(ConclusionBox::SensitivePoints)),
                ("ecarts", Some(ConclusionBox::Deviations)),
                (
                    "pistes d'amelioration",
                    Some(ConclusionBox::ImprovementTracks),
                ),
                (
                    "opportunites d'amelioration",
                    Some(ConclusionBox::ImprovementTracks),
                ),
            ],
            internal_cover: &[],
            origin: Some("external"),
            // Rubric 6 "Organisation": steering, training named in a title aside.
            module_themes: &[(6, Theme::Pilotage, true)],
        }
    })
}

impl Template for Marianne {
    fn name(&self) -> &'static str {
        "Marianne"
    }

    fn serves(&self, referential: ReferentialName) -> bool {
        matches!(
            referential,
            ReferentialName::Marianne2008
                | ReferentialName::Marianne2016
                | ReferentialName::Marianne2019
        )
    }

    /// The cover naming the Marianne referential, with the certification body's
    /// "INFORMATIONS GENERALES" form or its labelled characteristics.
    fn detect(&self, lines: &[Line]) -> Detection {
        let mut found = Detection::default();
        if !legacy::cover_names(lines, ReferentialName::Marianne2008) {
            return found;
        }
        found.score += 100;
        found.evidence.push("cover names the Marianne referential");
        for l in lines {
            let f = fold(&l.text);
            if f == "informations generales" || f == "caracteristiques labellisees" {
                found.score += 10;
                found.evidence.push("certification body's parts");
                break;
            }
        }
        found
    }

    /// Only recognition's grid passes read a lexicon, and this template reads its
    /// reports itself ([`Template::read`]): Qual-e-pref's, for the common words.
    fn lexicon(&self) -> &'static Lexicon {
        QualEPref.lexicon()
    }

    fn layout(&self) -> Layout {
        Layout::Blocks
    }

    fn theme(&self, a: &Assessment) -> Theme {
        legacy::legacy_theme(form(), a)
    }

    fn read(&self, doc: &SourceDocument) -> Option<Recognized> {
        legacy::read(&Marianne, form(), doc)
    }
}
