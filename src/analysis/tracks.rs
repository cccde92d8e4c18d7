//! Recurring and persistent tracks: turns the groups of PP (or PS) texts made by
//! [`super::grouping`] into ranked tracks with their departments, years, commitments
//! and members, and finds the persistent ones — the same track raised for the same
//! department and commitment in audits of different dates.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::corpus::{Department, ReportInfo};
use super::grouping::{Group, Grouping};
use super::matrix::{CommitmentKey, Matrix};
use super::write::TracksFile;
use crate::model::Theme;

/// One PP or PS annotation kept for grouping.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index of the report in the corpus.
    pub report: usize,
    pub assessment: String,
    /// Index of the annotation among the assessment's annotations.
    pub annotation: usize,
    pub commitment: CommitmentKey,
    pub text: String,
    /// Theme of the assessment (`None` in reports written before themes existed).
    pub theme: Option<Theme>,
}

/// A group of annotations that say the same thing, as written to `tracks.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Track {
    /// "PP-001": kind and rank.
    pub id: String,
    /// "PP" or "PS".
    pub kind: String,
    /// 1 = raised in the most departments (ties: the most members).
    pub rank: usize,
    /// The member nearest the group's centroid.
    pub representative: String,
    /// Why the members are one track: the actions at least half of them ask
    /// (concept labels of the lexicon), most shared first.
    pub actions: Vec<String>,
    /// And the objects (what, who, where) at least half of them name.
    pub objects: Vec<String>,
    /// Number of members (annotations).
    pub size: usize,
    /// Number of distinct known departments.
    pub department_count: usize,
    pub departments: Vec<DepartmentRef>,
    /// Distinct audit years, ascending.
    pub years: Vec<String>,
    /// Commitments the members were written under, most members first.
    pub commitments: Vec<CommitmentRef>,
    /// Every member, by audit date, department, report.
    pub members: Vec<Member>,
    /// Themes of its members' assessments, most members first, ties by id (members
    /// without a theme are not counted).
    #[serde(default)]
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct DepartmentRef {
    pub code: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CommitmentRef {
    /// "m1.8", "pilotage.3", "labellisation.1".
    pub code: String,
    pub section: String,
    pub module: Option<u8>,
    pub number: u32,
    /// The commitment's most frequent title in the corpus.
    pub title: String,
    /// Members written under it.
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Member {
    /// `source.path` of the report.
    pub report: String,
    /// The JSON the report was read from (`file:line` for JSON Lines).
    pub file: String,
    pub department_code: Option<String>,
    pub department: Option<String>,
    pub audit_date: Option<String>,
    /// Assessment id ("on_site.m1.8").
    pub assessment: String,
    /// Index of the annotation in the assessment.
    pub annotation: usize,
    /// Commitment code ("m1.8").
    pub commitment: String,
    pub text: String,
    /// Theme of the assessment (absent in reports written before themes existed).
    #[serde(default)]
    pub theme: Option<Theme>,
}

/// A track raised again for the same department and commitment at a later audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Persistent {
    pub kind: String,
    pub track: String,
    pub representative: String,
    pub department: Department,
    pub commitment: CommitmentKey,
    pub title: String,
    pub first: Occurrence,
    pub second: Occurrence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub date: String,
    pub report: String,
    pub file: String,
    pub assessment: String,
    pub text: String,
}

/// Ranked tracks (groups of two members or more) of one kind, and the persistent ones.
/// The texts of the mentions put in a track move into its members (left empty).
pub fn build(
    kind: &str,
    mentions: &mut [Mention],
    grouping: &Grouping,
    reports: &[ReportInfo],
    matrix: &Matrix,
) -> (Vec<Track>, Vec<PersistentRef>) {
    let mut groups: Vec<&Group> = grouping
        .groups
        .iter()
        .filter(|g| g.members.len() >= 2)
        .collect();
    // Distinct reports first: a group of a large corpus has many members per report.
    let department_count = |g: &Group| {
        let mut seen: Vec<usize> = g.members.iter().map(|&m| mentions[m].report).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.iter()
            .map(|&r| &reports[r].department)
            .filter(|d| d.is_known())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let mut keyed: Vec<(usize, &Group)> =
        groups.drain(..).map(|g| (department_count(g), g)).collect();
    keyed.sort_by(|(da, a), (db, b)| {
        db.cmp(da)
            .then(b.members.len().cmp(&a.members.len()))
            .then(
                mentions[a.representative]
                    .text
                    .cmp(&mentions[b.representative].text),
            )
            .then(a.members[0].cmp(&b.members[0]))
    });
    let width = keyed.len().to_string().len().max(3);
    let mut tracks = Vec::with_capacity(keyed.len());
    let mut persistent = Vec::new();
    for (i, (departments, group)) in keyed.into_iter().enumerate() {
        let id = format!("{kind}-{:0width$}", i + 1);
        let (track, keys) = track(
            kind,
            id,
            i + 1,
            departments,
            group,
            mentions,
            reports,
            matrix,
        );
        persistent.extend(persistence(&track, &keys, kind == "PP", i as u32));
        tracks.push(track);
    }
    (tracks, persistent)
}

#[allow(clippy::too_many_arguments)]
fn track(
    kind: &str,
    id: String,
    rank: usize,
    department_count: usize,
    group: &Group,
    mentions: &mut [Mention],
    reports: &[ReportInfo],
    matrix: &Matrix,
) -> (Track, Vec<CommitmentKey>) {
    let representative = mentions[group.representative].text.clone();
    // Reports first (a track of a large corpus has many members per report), then
    // members built once, in their output order: sorting small keys, not members.
    let mut seen_reports: BTreeSet<usize> = BTreeSet::new();
    let mut commitments: BTreeMap<CommitmentKey, usize> = BTreeMap::new();
    for &m in &group.members {
        seen_reports.insert(mentions[m].report);
        *commitments.entry(mentions[m].commitment).or_default() += 1;
    }
    let mut departments = BTreeSet::new();
    let mut years = BTreeSet::new();
    for &r in &seen_reports {
        let report = &reports[r];
        if report.department.is_known() {
            departments.insert(DepartmentRef {
                code: report.department.code.clone(),
                name: report.department.name.clone(),
            });
        }
        if let Some(y) = report.year() {
            years.insert(y.to_owned());
        }
    }
    let department_keys: BTreeMap<usize, String> = seen_reports
        .iter()
        .map(|&r| (r, reports[r].department.key()))
        .collect();
    let mut order: Vec<(Option<&str>, &str, usize)> = group
        .members
        .iter()
        .map(|&m| {
            let r = mentions[m].report;
            (reports[r].date(), department_keys[&r].as_str(), m)
        })
        .collect();
    order.sort_unstable();
    let members: Vec<Member> = order
        .iter()
        .map(|&(date, _, m)| {
            let mention = &mut mentions[m];
            let report = &reports[mention.report];
            Member {
                report: report.source_path.clone(),
                file: report.file.clone(),
                department_code: report.department.code.clone(),
                department: report.department.name.clone(),
                audit_date: date.map(str::to_owned),
                assessment: mention.assessment.clone(),
                annotation: mention.annotation,
                commitment: mention.commitment.code(),
                text: std::mem::take(&mut mention.text),
                theme: mention.theme,
            }
        })
        .collect();
    let keys: Vec<CommitmentKey> = order
        .iter()
        .map(|&(_, _, m)| mentions[m].commitment)
        .collect();
    let mut commitments: Vec<CommitmentRef> = commitments
        .into_iter()
        .map(|(key, count)| CommitmentRef {
            code: key.code(),
            section: key.section_name().to_owned(),
            module: key.module,
            number: key.number,
            title: matrix.title(&key).unwrap_or_default().to_owned(),
            count,
        })
        .collect();
    commitments.sort_by_key(|c| std::cmp::Reverse(c.count));
    let mut themes: BTreeMap<Theme, usize> = BTreeMap::new();
    for m in &members {
        if let Some(t) = m.theme {
            *themes.entry(t).or_default() += 1;
        }
    }
    let track = Track {
        id,
        kind: kind.to_owned(),
        rank,
        representative,
        actions: group.actions.clone(),
        objects: group.objects.clone(),
        size: group.members.len(),
        department_count,
        departments: departments.into_iter().collect(),
        years: years.into_iter().collect(),
        commitments,
        members,
        themes: super::themes::ranked(&themes),
    };
    (track, keys)
}

/// A persistent track as found: indices into the tracks, kept small because a large
/// corpus has hundreds of thousands of them; [`PersistentRef::resolve`] makes the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersistentRef {
    /// True for a PP track, false for a PS one.
    pub improvement: bool,
    /// Index of the track in its kind's list.
    pub track: u32,
    pub commitment: CommitmentKey,
    /// Members (indices into the track's members) at the earlier and the later audit.
    pub first: u32,
    pub second: u32,
}

impl PersistentRef {
    /// The full row, from the tracks it points into.
    pub fn resolve(&self, tracks: &TracksFile, matrix: &Matrix) -> Persistent {
        let list = if self.improvement {
            &tracks.improvement_tracks
        } else {
            &tracks.sensitive_points
        };
        let track = &list[self.track as usize];
        let occurrence = |m: u32| {
            let m = &track.members[m as usize];
            Occurrence {
                date: m.audit_date.clone().unwrap_or_default(),
                report: m.report.clone(),
                file: m.file.clone(),
                assessment: m.assessment.clone(),
                text: m.text.clone(),
            }
        };
        let first = &track.members[self.first as usize];
        Persistent {
            kind: track.kind.clone(),
            track: track.id.clone(),
            representative: track.representative.clone(),
            department: Department {
                code: first.department_code.clone(),
                name: first.department.clone(),
            },
            commitment: self.commitment,
            title: matrix
                .title(&self.commitment)
                .unwrap_or_default()
                .to_owned(),
            first: occurrence(self.first),
            second: occurrence(self.second),
        }
    }

    /// Output order: department, commitment, first date, track.
    pub fn sort_key<'t>(
        &self,
        tracks: &'t TracksFile,
    ) -> (String, CommitmentKey, &'t str, bool, u32) {
        let list = if self.improvement {
            &tracks.improvement_tracks
        } else {
            &tracks.sensitive_points
        };
        let first = &list[self.track as usize].members[self.first as usize];
        let department = first
            .department_code
            .clone()
            .or_else(|| first.department.clone())
            .unwrap_or_else(|| "?".into());
        (
            department,
            self.commitment,
            first.audit_date.as_deref().unwrap_or_default(),
            !self.improvement,
            self.track,
        )
    }
}

/// Pairs of consecutive audit dates at which the track was raised for the same
/// department and commitment, as indices into `track.members` (sorted by date,
/// department, annotation). Members of unknown department or date are left out.
fn persistence(
    track: &Track,
    keys: &[CommitmentKey],
    improvement: bool,
    index: u32,
) -> Vec<PersistentRef> {
    // (department, commitment) → date → first member at that date.
    let mut places: BTreeMap<(&str, CommitmentKey), BTreeMap<&str, u32>> = BTreeMap::new();
    for (i, m) in track.members.iter().enumerate() {
        let Some(date) = m.audit_date.as_deref() else {
            continue;
        };
        let Some(department) = m.department_code.as_deref().or(m.department.as_deref()) else {
            continue;
        };
        places
            .entry((department, keys[i]))
            .or_default()
            .entry(date)
            .or_insert(i as u32);
    }
    let mut found = Vec::new();
    for ((_, commitment), dates) in places {
        let members: Vec<u32> = dates.into_values().collect();
        for pair in members.windows(2) {
            found.push(PersistentRef {
                improvement,
                track: index,
                commitment,
                first: pair[0],
                second: pair[1],
            });
        }
    }
    found
}
