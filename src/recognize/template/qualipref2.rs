//! QUALIPREF2 (referential of October 2012): internal-audit reports with a findings
//! table — commitment (its code "E3" or sub-item "E19.1" in bold, then the title) |
//! the auditor's findings ("PF :", "PS :", "PP :", "Remarque :" paragraphs) | the
//! verdict word — under full-width module rows, the heading row repeated on each
//! page; before it a cover, the context and the method; after it the conclusion as
//! headed paragraphs. Parts are numbered "1." or "I –".

use std::sync::OnceLock;

use regex::Regex;

use super::legacy::{self, Field, Form, Part};
use super::{Detection, Layout, QualEPref, Template};
use crate::model::{Assessment, ReferentialName, Theme};
use crate::recognize::lexicon::{ConclusionBox, Lexicon};
use crate::recognize::Recognized;
use crate::source::{Line, SourceDocument};

/// The QUALIPREF2 findings-table report.
#[derive(Debug)]
pub struct Qualipref2;

fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("QUALIPREF2 pattern");
        let numbered = r"^(?:\d{1,2}\.|[ivx]{1,4} -) ";
        Form {
            referential: ReferentialName::Qualipref2,
            parts: vec![
                (
                    re(&format!("{numbered}(?:contexte|presentation)")),
                    Part::Context,
                ),
                (
                    re(&format!("{numbered}(?:constats|evaluation)")),
                    Part::Assessments,
                ),
                (
                    re(&format!("{numbered}(?:conclusion|synthese)")),
                    Part::Conclusion,
                ),
                (re(&format!(r"{numbered}\p{{L}}")), Part::Skip),
            ],
            labels: &[
                ("referentiel", Field::Referential),
                ("dates de l'audit", Field::AuditDates),
                ("date de l'audit", Field::AuditDates),
                ("date(s) de l'audit", Field::AuditDates),
                ("date du rapport", Field::SignatureDate),
                ("modules audites", Field::Modules),
                ("perimetre", Field::Modules),
                ("auditeurs", Field::Auditors),
                ("auditeur", Field::Auditor),
                ("sous-prefecture", Field::Organisation),
                ("prefecture", Field::Organisation),
            ],
            // The code as written is the assessment's code; its integer part the number.
            commitment: re(r"^(?P<code>E(?P<number>\d{1,3})(?:\.(?P<sub>\d{1,2}))?)$"),
            module: re(r"^module (?P<module>\d{1,2})\s*[-:]"),
            channels: &[],
            verdict_labels: &[],
            table_heading: &[
                "engagement constats de l'auditeur evaluation",
                "engagements appreciation de l'auditeur evaluation",
                "engagement appreciation de l'auditeur evaluation",
                "engagements constats de l'auditeur evaluation",
                "engagement",
                "engagements",
                "constats de l'auditeur",
                "appreciation de l'auditeur",
                "evaluation",
            ],
            table: true,
            boxes: &[
                ("points forts", Some(ConclusionBox::Strengths)),
                ("points sensibles", Some(ConclusionBox::SensitivePoints)),
                ("pistes de progres", Some(ConclusionBox::ImprovementTracks)),
                ("non-conformites", Some(ConclusionBox::Deviations)),
                ("ecarts", Some(ConclusionBox::Deviations)),
                ("conclusion", Some(ConclusionBox::General)),
                ("conclusion de l'auditeur", Some(ConclusionBox::General)),
                ("conclusion des auditeurs", Some(ConclusionBox::General)),
                ("signatures", None),
            ],
            internal_cover: &["audit interne"],
            origin: None,
            // Module 1 "Accueil général" by title; 2–3 titles, 4 local authorities.
            module_themes: &[
                (2, Theme::Titres, false),
                (3, Theme::Titres, false),
                (4, Theme::Collectivites, false),
            ],
        }
    })
}

impl Template for Qualipref2 {
    fn name(&self) -> &'static str {
        "QUALIPREF2"
    }

    fn serves(&self, referential: ReferentialName) -> bool {
        referential == ReferentialName::Qualipref2
    }

    /// The cover naming QUALIPREF2 is proof; rows coded "E…" are the table's.
    fn detect(&self, lines: &[Line]) -> Detection {
        let mut found = Detection::default();
        if !legacy::cover_names(lines, ReferentialName::Qualipref2) {
            return found;
        }
        found.score += 100;
        found.evidence.push("cover names QUALIPREF2");
        if lines
            .iter()
            .any(|l| form().commitment.is_match(l.text.trim()))
        {
            found.score += 10;
            found.evidence.push("rows coded \"E…\"");
        }
        found
    }

    /// Only recognition's grid passes read a lexicon, and this template reads its
    /// reports itself ([`Template::read`]): Qual-e-pref's, for the common words.
    fn lexicon(&self) -> &'static Lexicon {
        QualEPref.lexicon()
    }

    fn layout(&self) -> Layout {
        Layout::Table
    }

    fn theme(&self, a: &Assessment) -> Theme {
        legacy::legacy_theme(form(), a)
    }

    fn read(&self, doc: &SourceDocument) -> Option<Recognized> {
        legacy::read(&Qualipref2, form(), doc)
    }
}
