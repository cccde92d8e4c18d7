//! The per-theme view across years: what each assessment is about ([`Theme`], given
//! by its report's template whatever the referential), counted per theme and audit
//! year, so a Marianne engagement of 2010 lines up with a Qual-e-pref commitment of
//! 2022. Assessments of reports written before themes existed have none: they are
//! counted under an unknown theme, never guessed.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::corpus::{year_of, Digest};
use super::matrix::Counts;
use super::write::TracksFile;
use crate::model::Theme;

/// The theme's id as in report JSON ("accueil_physique").
pub fn id(theme: Theme) -> &'static str {
    match theme {
        Theme::AccueilPhysique => "accueil_physique",
        Theme::Telephone => "telephone",
        Theme::Internet => "internet",
        Theme::CourrierCourriels => "courrier_courriels",
        Theme::ReseauxSociaux => "reseaux_sociaux",
        Theme::ReclamationsEcoute => "reclamations_ecoute",
        Theme::Formation => "formation",
        Theme::Pilotage => "pilotage",
        Theme::Titres => "titres",
        Theme::Etrangers => "etrangers",
        Theme::Collectivites => "collectivites",
        Theme::Securite => "securite",
        Theme::CommunicationCrise => "communication_crise",
        Theme::Autre => "autre",
    }
}

/// The theme's name, for people (French).
pub fn label(theme: Theme) -> &'static str {
    match theme {
        Theme::AccueilPhysique => "Accueil physique",
        Theme::Telephone => "Téléphone",
        Theme::Internet => "Internet",
        Theme::CourrierCourriels => "Courrier et courriels",
        Theme::ReseauxSociaux => "Réseaux sociaux",
        Theme::ReclamationsEcoute => "Réclamations et écoute",
        Theme::Formation => "Formation",
        Theme::Pilotage => "Pilotage",
        Theme::Titres => "Titres",
        Theme::Etrangers => "Étrangers",
        Theme::Collectivites => "Collectivités",
        Theme::Securite => "Sécurité",
        Theme::CommunicationCrise => "Communication de crise",
        Theme::Autre => "Autre",
    }
}

/// The id of a theme that may be unknown (empty then).
pub fn opt_id(theme: Option<Theme>) -> &'static str {
    theme.map(id).unwrap_or_default()
}

/// Themes by count, most frequent first, ties by id.
pub fn ranked(counts: &BTreeMap<Theme, usize>) -> Vec<Theme> {
    let mut themes: Vec<(Theme, usize)> = counts.iter().map(|(&t, &n)| (t, n)).collect();
    themes.sort_by(|a, b| b.1.cmp(&a.1).then(id(a.0).cmp(id(b.0))));
    themes.into_iter().map(|(t, _)| t).collect()
}

/// The order of rows: themes by id, the unknown theme last.
fn order_key(theme: Option<Theme>) -> (bool, &'static str) {
    (theme.is_none(), opt_id(theme))
}

#[derive(Default)]
struct Cell {
    audits: usize,
    counts: Counts,
    pp_track_members: usize,
    ps_track_members: usize,
}

/// The theme × year table, filled one report at a time, then with the tracks.
#[derive(Default)]
pub struct ThemeTable {
    cells: BTreeMap<(Option<Theme>, String), Cell>,
}

impl ThemeTable {
    /// Counts one report: once as an audit in each theme it has assessments in, and
    /// each of its assessments.
    pub fn add(&mut self, digest: &Digest) {
        let year = digest.report.year().unwrap_or("?").to_owned();
        let mut seen = BTreeSet::new();
        for a in &digest.assessments {
            let cell = self.cells.entry((a.theme, year.clone())).or_default();
            if seen.insert(a.theme) {
                cell.audits += 1;
            }
            cell.counts.add_assessment(a);
        }
    }

    /// Counts the members of the PP and PS tracks by their assessment's theme and
    /// their audit year.
    pub fn add_tracks(&mut self, tracks: &TracksFile) {
        for (list, improvement) in [
            (&tracks.improvement_tracks, true),
            (&tracks.sensitive_points, false),
        ] {
            for m in list.iter().flat_map(|t| &t.members) {
                let year = year_of(m.audit_date.as_deref()).unwrap_or("?").to_owned();
                let cell = self.cells.entry((m.theme, year)).or_default();
                if improvement {
                    cell.pp_track_members += 1;
                } else {
                    cell.ps_track_members += 1;
                }
            }
        }
    }

    /// The table as written to `themes.json`: by theme id (unknown last), then year.
    pub fn to_file(&self) -> ThemesFile {
        let mut rows: Vec<ThemeYear> = self
            .cells
            .iter()
            .map(|((theme, year), cell)| ThemeYear {
                theme: *theme,
                label: theme.map(label).unwrap_or_default().to_owned(),
                year: year.clone(),
                audits: cell.audits,
                counts: cell.counts,
                pp_track_members: cell.pp_track_members,
                ps_track_members: cell.ps_track_members,
            })
            .collect();
        rows.sort_by(|a, b| {
            order_key(a.theme)
                .cmp(&order_key(b.theme))
                .then(a.year.cmp(&b.year))
        });
        ThemesFile { rows }
    }
}

/// `themes.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThemesFile {
    /// One row per theme and audit year, by theme id (unknown last), then year.
    pub rows: Vec<ThemeYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ThemeYear {
    /// `None`: assessments of reports written before themes existed.
    pub theme: Option<Theme>,
    /// The theme's name in French (empty when unknown).
    pub label: String,
    /// Audit year ("?" when unknown).
    pub year: String,
    /// Audits (reports counted) with at least one assessment in this theme that year.
    pub audits: usize,
    /// Assessments by conformity code, and their PS and PP annotations.
    pub counts: Counts,
    /// Members of PP tracks (`tracks.csv`) whose assessment is in this theme that year.
    pub pp_track_members: usize,
    /// Members of PS tracks.
    pub ps_track_members: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_json_ids() {
        for t in [
            Theme::AccueilPhysique,
            Theme::Telephone,
            Theme::Internet,
            Theme::CourrierCourriels,
            Theme::ReseauxSociaux,
            Theme::ReclamationsEcoute,
            Theme::Formation,
            Theme::Pilotage,
            Theme::Titres,
            Theme::Etrangers,
            Theme::Collectivites,
            Theme::Securite,
            Theme::CommunicationCrise,
            Theme::Autre,
        ] {
            assert_eq!(serde_json::to_value(t).unwrap(), id(t));
        }
    }

    #[test]
    fn ranked_by_count_then_id() {
        let counts = BTreeMap::from([(Theme::Titres, 2), (Theme::Autre, 2), (Theme::Telephone, 3)]);
        assert_eq!(
            ranked(&counts),
            vec![Theme::Telephone, Theme::Autre, Theme::Titres]
        );
    }
}
