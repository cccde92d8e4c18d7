//! QUALIPREF 2.0 (2015–2018): the ministry's internal-audit template. A cover
//! ("Rapport d'audit interne", "Référentiel : QUALIPREF 2.0", "Date(s) d'audit :",
//! "Responsable de l'évaluation :"), a contents list, §1.1 a form, §1.2 the history
//! (the context), §2 an audit plan, §3 per module and channel sub-heading one block
//! per commitment ("Engagement n°5 : title", findings under spelled-out labels, a
//! "Conformité : …" line), then §4 a recap, §5 gap sheets, §6 the closing minutes
//! (the conclusion boxes), §7 a lexicon, §8 a list of documents. Only §3 assesses:
//! the recap and sheets repeat its findings. The auditor comes from another
//! prefecture (a cross-audit): the cover's prefecture is the audited one.

use std::sync::OnceLock;

use regex::Regex;

use super::legacy::{self, Field, Form, Part};
use super::{Detection, Layout, QualEPref, Template};
use crate::model::{Assessment, Channel, ReferentialName, Theme};
use crate::recognize::lexicon::{ConclusionBox, Lexicon};
use crate::recognize::Recognized;
use crate::source::{Line, SourceDocument};
use crate::text::fold;

/// The QUALIPREF 2.0 internal-audit report.
#[derive(Debug)]
pub struct Qualipref20;

fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("QUALIPREF 2.0 pattern");
        Form {
            referential: ReferentialName::Qualipref20,
            // Numbered "N - Title" (or "N.M Title") in the template's order.
            parts: vec![
                (re(r"^(?:sommaire|table des matieres)$"), Part::Contents),
                (re(r"^1 - presentation\b"), Part::Form),
                (re(r"^1\.1 \S"), Part::Form),
                (re(r"^1\.2 \S"), Part::Context),
                (re(r"^2 - plan\b"), Part::Skip),
                (re(r"^3 - evaluation\b"), Part::Assessments),
                (re(r"^4 - recapitulatif\b"), Part::Skip),
                (re(r"^5 - fiches? d'ecart"), Part::Skip),
                (re(r"^6 - proces-verbal\b"), Part::Conclusion),
                (re(r"^[78] - \S"), Part::Skip),
            ],
            labels: &[
                ("date(s) d'audit", Field::AuditDates),
                ("dates d'audit", Field::AuditDates),
                ("date d'audit", Field::AuditDates),
                ("responsable de l'evaluation", Field::Auditor),
                ("referentiel", Field::Referential),
                ("modules concernes", Field::Modules),
                ("prefecture", Field::Organisation),
            ],
            commitment: re(r"(?i)^engagement n\s?°\s?(?P<number>\d{1,3})\s*:\s*(?P<title>.*)$"),
            module: re(r"^module (?P<module>\d{1,2})\s*[-:]"),
            channels: &[
                ("dispositions generales", None),
                ("accueil physique", Some(Channel::AccueilPhysique)),
                ("accueil telephonique", Some(Channel::Telephone)),
                ("telephone", Some(Channel::Telephone)),
                ("courriers et courriels", Some(Channel::CourriersCourriels)),
                ("site internet", Some(Channel::SiteInternet)),
                ("reseaux sociaux", Some(Channel::ReseauxSociaux)),
            ],
            verdict_labels: &["conformite"],
            table_heading: &[],
            table: false,
            boxes: &[
                ("points forts releves", Some(ConclusionBox::Strengths)),
                (
                    "points sensibles releves",
                    Some(ConclusionBox::SensitivePoints),
                ),
                (
                    "pistes de progres relevees",
                    Some(ConclusionBox::ImprovementTracks),
                ),
                ("ecarts releves", Some(ConclusionBox::Deviations)),
                ("avis de l'auditeur", Some(ConclusionBox::General)),
                ("avis de l'auditrice", Some(ConclusionBox::General)),
                ("avis de l'auditeur/auditrice", Some(ConclusionBox::General)),
                ("date et signatures", None),
                ("signatures", None),
            ],
            internal_cover: &["rapport d'audit interne"],
            origin: None,
            module_themes: &[
                (2, Theme::Titres, false),
                (3, Theme::Etrangers, false),
                (4, Theme::Collectivites, false),
                (5, Theme::Securite, false),
                (6, Theme::Pilotage, false),
                (7, Theme::CommunicationCrise, false),
                (8, Theme::Securite, false),
            ],
        }
    })
}

impl Template for Qualipref20 {
    fn name(&self) -> &'static str {
        "QUALIPREF 2.0"
    }

    fn serves(&self, referential: ReferentialName) -> bool {
        referential == ReferentialName::Qualipref20
    }

    /// The cover naming QUALIPREF 2.0 is proof; the cover title and the block
    /// headings "Engagement n°N :" are the template's.
    fn detect(&self, lines: &[Line]) -> Detection {
        let mut found = Detection::default();
        if legacy::cover_names(lines, ReferentialName::Qualipref20) {
            found.score += 100;
            found.evidence.push("cover names QUALIPREF 2.0");
        } else {
            return found;
        }
        if lines
            .iter()
            .take(30)
            .any(|l| fold(&l.text) == "rapport d'audit interne")
        {
            found.score += 10;
            found
                .evidence
                .push("cover title \"Rapport d'audit interne\"");
        }
        if lines
            .iter()
            .any(|l| form().commitment.is_match(l.text.trim()))
        {
            found.score += 10;
            found.evidence.push("block headings \"Engagement n°N :\"");
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

    fn police_module(&self) -> Option<u8> {
        Some(8)
    }

    fn theme(&self, a: &Assessment) -> Theme {
        legacy::legacy_theme(form(), a)
    }

    fn read(&self, doc: &SourceDocument) -> Option<Recognized> {
        legacy::read(&Qualipref20, form(), doc)
    }
}
