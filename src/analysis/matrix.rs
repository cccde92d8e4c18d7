//! The conformity matrix: per commitment (section, module, number), counts of
//! conformity codes and of PS/PP annotations over all reports, per year and per
//! department. Counts are of assessments: a commitment assessed on site and again
//! remotely counts twice. Also the per-report counts of the corpus index.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::corpus::{AssessmentDigest, Digest};
use crate::model::{AnnotationKind, Conformity, Section, Theme};

/// A commitment of the referential, as reports number it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitmentKey {
    pub section: Section,
    pub module: Option<u8>,
    pub number: u32,
}

impl CommitmentKey {
    pub fn of(a: &AssessmentDigest) -> CommitmentKey {
        CommitmentKey {
            section: a.section,
            module: a.module,
            number: a.number,
        }
    }

    /// "m1.8", "pilotage.3", "labellisation.1": the commitment part of assessment ids.
    pub fn code(&self) -> String {
        match (self.section, self.module) {
            (Section::Module, Some(m)) => format!("m{m}.{}", self.number),
            (Section::Module, None) => format!("module.{}", self.number),
            (Section::Pilotage, _) => format!("pilotage.{}", self.number),
            (Section::Labellisation, _) => format!("labellisation.{}", self.number),
        }
    }

    pub fn section_name(&self) -> &'static str {
        match self.section {
            Section::Module => "module",
            Section::Pilotage => "pilotage",
            Section::Labellisation => "labellisation",
        }
    }
}

/// Counts of assessments by conformity code, and of their PS and PP annotations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    pub assessments: u32,
    pub c: u32,
    pub na: u32,
    pub nc_min: u32,
    pub nc_maj: u32,
    /// Assessments without a conformity code.
    pub unrated: u32,
    pub ps: u32,
    pub pp: u32,
}

impl Counts {
    pub fn add_assessment(&mut self, a: &AssessmentDigest) {
        self.assessments += 1;
        match a.conformity {
            Some(Conformity::Conforme) => self.c += 1,
            Some(Conformity::NotApplicable) => self.na += 1,
            Some(Conformity::MinorNonConformity) => self.nc_min += 1,
            Some(Conformity::MajorNonConformity) => self.nc_maj += 1,
            None => self.unrated += 1,
        }
        for kind in &a.kinds {
            match kind {
                AnnotationKind::SensitivePoint => self.ps += 1,
                AnnotationKind::ImprovementTrack => self.pp += 1,
                _ => {}
            }
        }
    }

    pub fn add(&mut self, o: &Counts) {
        self.assessments += o.assessments;
        self.c += o.c;
        self.na += o.na;
        self.nc_min += o.nc_min;
        self.nc_maj += o.nc_maj;
        self.unrated += o.unrated;
        self.ps += o.ps;
        self.pp += o.pp;
    }

    /// Share of non-conformities (minor or major) among assessments rated C or NC.
    pub fn nc_rate(&self) -> Option<f64> {
        let rated = self.c + self.nc_min + self.nc_maj;
        (rated > 0).then(|| f64::from(self.nc_min + self.nc_maj) / f64::from(rated))
    }
}

/// Counts of one report's annotations by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub pf: u32,
    pub ps: u32,
    pub pp: u32,
    pub pv: u32,
    pub note: u32,
}

/// The counts of one report, for the corpus index.
pub fn report_counts(digest: &Digest) -> (Counts, KindCounts) {
    let mut counts = Counts::default();
    let mut kinds = KindCounts::default();
    for a in &digest.assessments {
        counts.add_assessment(a);
        for kind in &a.kinds {
            match kind {
                AnnotationKind::StrongPoint => kinds.pf += 1,
                AnnotationKind::SensitivePoint => kinds.ps += 1,
                AnnotationKind::ImprovementTrack => kinds.pp += 1,
                AnnotationKind::VigilancePoint => kinds.pv += 1,
                AnnotationKind::Note => kinds.note += 1,
            }
        }
    }
    (counts, kinds)
}

/// Row of the matrix being filled.
#[derive(Default)]
struct Row {
    titles: HashMap<String, u32>,
    /// Themes of its assessments (those that have one).
    themes: BTreeMap<Theme, usize>,
    overall: Counts,
    by_year: BTreeMap<String, Counts>,
    by_department: BTreeMap<String, Counts>,
}

/// The matrix, filled one report at a time.
#[derive(Default)]
pub struct Matrix {
    rows: BTreeMap<CommitmentKey, Row>,
    /// Department key → name, for labels.
    departments: BTreeMap<String, String>,
}

impl Matrix {
    pub fn add(&mut self, digest: &Digest) {
        let year = digest.report.year().unwrap_or("?").to_owned();
        let department = &digest.report.department;
        let dep_key = department.key();
        self.departments
            .entry(dep_key.clone())
            .or_insert_with(|| department.name.clone().unwrap_or_else(|| dep_key.clone()));
        for a in &digest.assessments {
            let row = self.rows.entry(CommitmentKey::of(a)).or_default();
            *row.titles.entry(a.title.clone()).or_default() += 1;
            if let Some(theme) = a.theme {
                *row.themes.entry(theme).or_default() += 1;
            }
            let mut one = Counts::default();
            one.add_assessment(a);
            row.overall.add(&one);
            row.by_year.entry(year.clone()).or_default().add(&one);
            row.by_department
                .entry(dep_key.clone())
                .or_default()
                .add(&one);
        }
    }

    /// The most frequent title of a commitment (ties: the first in alphabetical order).
    pub fn title(&self, key: &CommitmentKey) -> Option<&str> {
        let row = self.rows.get(key)?;
        row.titles
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(t, _)| t.as_str())
    }

    /// The most frequent theme of a commitment's assessments (ties: the first by id);
    /// `None` when none of them has one.
    pub fn theme(&self, key: &CommitmentKey) -> Option<Theme> {
        super::themes::ranked(&self.rows.get(key)?.themes)
            .first()
            .copied()
    }

    /// The matrix as written to `commitments.json`.
    pub fn to_file(&self) -> CommitmentsFile {
        let commitments = self
            .rows
            .iter()
            .map(|(key, row)| CommitmentStats {
                code: key.code(),
                section: key.section_name().to_owned(),
                module: key.module,
                number: key.number,
                title: self.title(key).unwrap_or_default().to_owned(),
                overall: row.overall,
                by_year: row.by_year.clone(),
                by_department: row.by_department.clone(),
                theme: self.theme(key),
            })
            .collect();
        CommitmentsFile {
            departments: self.departments.clone(),
            commitments,
        }
    }
}

/// `commitments.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentsFile {
    /// Department key (official code, else the name as written) → name.
    pub departments: BTreeMap<String, String>,
    /// Ordered by section (module, pilotage, labellisation), module, number.
    pub commitments: Vec<CommitmentStats>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentStats {
    /// "m1.8", "pilotage.3", "labellisation.1".
    pub code: String,
    /// "module", "pilotage" or "labellisation".
    pub section: String,
    pub module: Option<u8>,
    pub number: u32,
    /// The most frequent title.
    pub title: String,
    pub overall: Counts,
    /// Year of the audit ("?" when unknown) → counts.
    pub by_year: BTreeMap<String, Counts>,
    /// Department key → counts.
    pub by_department: BTreeMap<String, Counts>,
    /// The most frequent theme of its assessments (ties: the first by id); `None`
    /// when none has one (reports written before themes existed).
    #[serde(default)]
    pub theme: Option<Theme>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_rates() {
        let key = CommitmentKey {
            section: Section::Module,
            module: Some(1),
            number: 8,
        };
        assert_eq!(key.code(), "m1.8");
        assert_eq!(
            CommitmentKey {
                section: Section::Pilotage,
                module: None,
                number: 3
            }
            .code(),
            "pilotage.3"
        );
        let counts = Counts {
            c: 3,
            nc_min: 1,
            na: 5,
            ..Counts::default()
        };
        assert_eq!(counts.nc_rate(), Some(0.25));
        assert_eq!(Counts::default().nc_rate(), None);
    }
}
