//! Report templates: each family of reports (Qual-e-pref's grid; later QUALIPREF 2.0's
//! blocks, QUALIPREF2's findings table, certification bodies' Marianne reports) is one
//! module implementing [`Template`], as calamine puts each spreadsheet format behind
//! one trait; [`auto`] sniffs which one a document is.
//!
//! A template holds every word and number of its reports: its [`Lexicon`] (headings,
//! labels, conclusion sections, the annotation and verdict spellings it uses), its
//! [`Layout`] (the grid heading that finds a ruleless grid, and which grid column holds
//! what), and its [`Numbering`] (module ranges, Module 1 channels). The passes of
//! `recognize` and the `checks` stage read these; they hold no template word of their
//! own. A template only describes: it never reads lines into fields.

mod legacy;
mod marianne;
mod qual_e_pref;
mod qualipref2;
mod qualipref20;
pub mod theme;
mod unknown;

pub use marianne::Marianne;
pub use qual_e_pref::QualEPref;
pub use qualipref2::Qualipref2;
pub use qualipref20::Qualipref20;
pub use unknown::Unknown;

use std::ops::RangeInclusive;

use super::lexicon::Lexicon;
use super::Recognized;
use crate::model::{Assessment, Channel, ReferentialName, Section, Theme};
use crate::source::{Column, GridHeading, Line, SourceDocument};

/// What a line's grid column holds, as a template reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The commitment: module tag, number and title.
    Commitment,
    /// The auditor's appraisal: the annotations.
    Appraisal,
    /// The conformity code.
    Conformity,
    /// A line spanning the page or the grid (headers, form, prose).
    Full,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Commitment => "commitment",
            Role::Appraisal => "appraisal",
            Role::Conformity => "conformity",
            Role::Full => "full",
        }
    }
}

/// How a template lays out its assessments.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    /// One row per commitment in a grid whose columns have these roles, left to right,
    /// under this heading (repeated at page breaks).
    Grid {
        heading: GridHeading,
        roles: &'static [Role],
    },
    /// One block per commitment ("Engagement n°5 : …", findings, a verdict line), with
    /// no grid (QUALIPREF 2.0's §3, Marianne reports).
    Blocks,
    /// One row per commitment in a ruled findings table (QUALIPREF2): commitment code
    /// and title | findings | verdict, read by cells (PDF) or line widths (text).
    Table,
}

impl Layout {
    pub fn is_grid(&self) -> bool {
        matches!(self, Layout::Grid { .. })
    }
}

/// How sure a template is that a document is one of its reports, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    /// 0: not this template's; higher is surer. Strong evidence (the cover naming the
    /// referential) scores 100 or more, wording shared with other templates less.
    pub score: u32,
    pub evidence: Vec<&'static str>,
}

/// How a referential numbers its commitments: what `checks` compares numbers against.
#[derive(Debug)]
pub struct Numbering {
    /// Commitment numbers of each module.
    pub modules: &'static [(u8, RangeInclusive<u32>)],
    pub pilotage: RangeInclusive<u32>,
    pub labellisation: RangeInclusive<u32>,
}

impl Numbering {
    /// The numbers a section (and module) may hold; `None` for a module the
    /// referential does not have.
    pub fn range(&self, section: Section, module: Option<u8>) -> Option<RangeInclusive<u32>> {
        match section {
            Section::Module => self
                .modules
                .iter()
                .find(|(m, _)| Some(*m) == module)
                .map(|(_, r)| r.clone()),
            Section::Pilotage => Some(self.pilotage.clone()),
            Section::Labellisation => Some(self.labellisation.clone()),
        }
    }
}

/// One family of reports.
pub trait Template: Sync + std::fmt::Debug {
    /// The name messages give ("Qual-e-pref").
    fn name(&self) -> &'static str;
    /// Whether this template reads reports against this referential.
    fn serves(&self, referential: ReferentialName) -> bool;
    /// How much the document looks like one of this template's reports.
    fn detect(&self, lines: &[Line]) -> Detection;
    fn lexicon(&self) -> &'static Lexicon;
    fn layout(&self) -> Layout;
    /// The numbering checks hold reports to; `None` (the default) when it is not
    /// known: the numbers a report prints are kept, not held to ranges.
    fn numbering(&self) -> Option<&'static Numbering> {
        None
    }
    /// The channel a commitment belongs to by its number, when the referential groups
    /// commitments by channel (Qual-e-pref's Module 1); by default channels come from
    /// the report's own headings, not from numbers.
    fn channel(&self, _module: Option<u8>, _number: u32) -> Option<Channel> {
        None
    }
    /// The module only the préfecture de police holds, if any (none by default).
    fn police_module(&self) -> Option<u8> {
        None
    }
    /// What an assessment read with this template is about: by structure (phase,
    /// channel heading, module), the title's words as evidence.
    fn theme(&self, assessment: &Assessment) -> Theme;

    /// Reads the whole document, for templates whose reports are not Qual-e-pref's
    /// grid (blocks, findings tables): `None` lets recognition's grid passes read it.
    fn read(&self, _doc: &SourceDocument) -> Option<Recognized> {
        None
    }

    /// What a line of this column holds: its role in the grid, or `Full`.
    fn role(&self, column: Column) -> Role {
        match (self.layout(), column) {
            (Layout::Grid { roles, .. }, Column::Cell { index, of })
                if usize::from(of) == roles.len() =>
            {
                roles[usize::from(index)]
            }
            _ => Role::Full,
        }
    }
}

/// Every template, surest first when two score alike.
const TEMPLATES: &[&dyn Template] = &[&QualEPref, &Qualipref20, &Qualipref2, &Marianne];

/// The template a document is read with: the best detection; Qual-e-pref when none
/// claims it (what every report was read as before templates).
pub fn auto(lines: &[Line]) -> &'static dyn Template {
    let mut best: Option<(u32, &'static dyn Template)> = None;
    for &t in TEMPLATES {
        let score = t.detect(lines).score;
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, t));
        }
    }
    best.map_or(&QualEPref, |(_, t)| t)
}

/// The template of a report whose cover names its referential: the one read with if
/// it serves that referential, else the grid template that does, else [`Unknown`]
/// (read like the reading template, with no numbering to check). A grid is read by
/// grid templates only: a QUALIPREF 2.0 report filled into a grid is read as
/// [`Unknown`].
pub fn for_referential(
    read_with: &'static dyn Template,
    named: Option<ReferentialName>,
) -> &'static dyn Template {
    match named {
        None => read_with,
        Some(name) if read_with.serves(name) => read_with,
        Some(name) => TEMPLATES
            .iter()
            .copied()
            .find(|t| t.serves(name) && t.layout().is_grid())
            .unwrap_or(&Unknown),
    }
}

/// The grid headings of every template, for the PDF layout to find ruleless grids by
/// (the template is not known before the layout is).
pub fn grid_headings() -> &'static [GridHeading] {
    static HEADINGS: std::sync::OnceLock<Vec<GridHeading>> = std::sync::OnceLock::new();
    HEADINGS.get_or_init(|| {
        TEMPLATES
            .iter()
            .filter_map(|t| match t.layout() {
                Layout::Grid { heading, .. } => Some(heading),
                Layout::Blocks | Layout::Table => None,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::plain_lines;

    #[test]
    fn the_cover_names_the_referential_later_mentions_are_history() {
        let lines = plain_lines(&[
            "1. PAGE DE GARDE",
            "Référentiel de labellisation qual·e·pref du 19/12/2018",
            "Engagée avec les référentiels Marianne et Qualipref 2.0, la préfecture…",
        ]);
        let found = QualEPref.detect(&lines);
        assert!(found.score >= 100, "{found:?}");
        assert_eq!(auto(&lines).name(), "Qual-e-pref");
        let other = plain_lines(&["Référentiel : QUALIPREF 2.0", "Engagements de service"]);
        assert_eq!(QualEPref.detect(&other).score, 0);
        assert_eq!(auto(&other).name(), "QUALIPREF 2.0");
        let marianne = plain_lines(&[
            "RAPPORT D'AUDIT – Labellisation selon le",
            "référentiel Marianne",
            "INFORMATIONS GENERALES",
        ]);
        assert_eq!(auto(&marianne).name(), "Marianne");
        let coded = plain_lines(&["Référentiel : QUALIPREF2 (octobre 2012)", "E1"]);
        assert_eq!(auto(&coded).name(), "QUALIPREF2");
        // Nothing claims it: read as Qual-e-pref, as before templates.
        let afnor = plain_lines(&["Référentiel : QUALIPREF", "Engagements de service"]);
        assert_eq!(auto(&afnor).name(), "Qual-e-pref");
    }

    #[test]
    fn a_referential_without_template_is_read_alike_but_not_numbered() {
        let t = for_referential(&QualEPref, Some(ReferentialName::QualiprefAfnor));
        assert!(t.numbering().is_none());
        assert_eq!(t.channel(Some(1), 9), Some(Channel::Telephone));
        // A QUALIPREF 2.0 report filled into a grid is read by the grid passes.
        let grid = for_referential(&QualEPref, Some(ReferentialName::Qualipref20));
        assert!(grid.numbering().is_none());
        assert_eq!(grid.name(), "unknown template");
        let same = for_referential(&QualEPref, Some(ReferentialName::QualEPref));
        assert!(same.numbering().is_some());
        assert!(for_referential(&QualEPref, None).numbering().is_some());
        assert_eq!(
            QualEPref.role(Column::Cell { index: 2, of: 3 }),
            Role::Conformity
        );
        assert_eq!(QualEPref.role(Column::Cell { index: 1, of: 2 }), Role::Full);
    }
}
