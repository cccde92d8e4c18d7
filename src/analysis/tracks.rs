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
pub fn build(
    kind: &str,
    mentions: &[Mention],
    grouping: &Grouping,
    reports: &[ReportInfo],
    matrix: &Matrix,
) -> (Vec<Track>, Vec<Persistent>) {
    let mut groups: Vec<&Group> = grouping
        .groups
        .iter()
        .filter(|g| g.members.len() >= 2)
        .collect();
    let department_count = |g: &Group| {
        g.members
            .iter()
            .map(|&m| &reports[mentions[m].report].department)
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
        let track = track(
            kind,
            id,
            i + 1,
            departments,
            group,
            mentions,
            reports,
            matrix,
        );
        persistent.extend(persistence(&track, group, mentions, reports, matrix));
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
    mentions: &[Mention],
    reports: &[ReportInfo],
    matrix: &Matrix,
) -> Track {
    let mut departments = BTreeSet::new();
    let mut years = BTreeSet::new();
    let mut commitments: BTreeMap<CommitmentKey, usize> = BTreeMap::new();
    let mut members: Vec<(Option<&str>, String, usize, Member)> =
        Vec::with_capacity(group.members.len());
    for &m in &group.members {
        let mention = &mentions[m];
        let report = &reports[mention.report];
        if report.department.is_known() {
            departments.insert(DepartmentRef {
                code: report.department.code.clone(),
                name: report.department.name.clone(),
            });
        }
        if let Some(y) = report.year() {
            years.insert(y.to_owned());
        }
        *commitments.entry(mention.commitment).or_default() += 1;
        let member = Member {
            report: report.source_path.clone(),
            file: report.file.clone(),
            department_code: report.department.code.clone(),
            department: report.department.name.clone(),
            audit_date: report.date().map(str::to_owned),
            assessment: mention.assessment.clone(),
            annotation: mention.annotation,
            commitment: mention.commitment.code(),
            text: mention.text.clone(),
        };
        members.push((report.date(), report.department.key(), m, member));
    }
    members.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
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
    Track {
        id,
        kind: kind.to_owned(),
        rank,
        representative: mentions[group.representative].text.clone(),
        actions: group.actions.clone(),
        objects: group.objects.clone(),
        size: group.members.len(),
        department_count,
        departments: departments.into_iter().collect(),
        years: years.into_iter().collect(),
        commitments,
        members: members.into_iter().map(|(_, _, _, m)| m).collect(),
    }
}

/// Pairs of consecutive audit dates at which the track was raised for the same
/// department and commitment. Members of unknown department or date are left out.
fn persistence(
    track: &Track,
    group: &Group,
    mentions: &[Mention],
    reports: &[ReportInfo],
    matrix: &Matrix,
) -> Vec<Persistent> {
    // (department, commitment) → date → first mention at that date.
    let mut places: BTreeMap<(String, CommitmentKey), BTreeMap<&str, usize>> = BTreeMap::new();
    for &m in &group.members {
        let report = &reports[mentions[m].report];
        let Some(date) = report.date() else { continue };
        if !report.department.is_known() {
            continue;
        }
        let dates = places
            .entry((report.department.key(), mentions[m].commitment))
            .or_default();
        dates.entry(date).or_insert(m);
    }
    let occurrence = |date: &str, m: usize| {
        let report = &reports[mentions[m].report];
        Occurrence {
            date: date.to_owned(),
            report: report.source_path.clone(),
            file: report.file.clone(),
            assessment: mentions[m].assessment.clone(),
            text: mentions[m].text.clone(),
        }
    };
    let mut found = Vec::new();
    for ((_, commitment), dates) in places {
        let dates: Vec<(&str, usize)> = dates.into_iter().collect();
        for pair in dates.windows(2) {
            let ((d1, m1), (d2, m2)) = (pair[0], pair[1]);
            found.push(Persistent {
                kind: track.kind.clone(),
                track: track.id.clone(),
                representative: track.representative.clone(),
                department: reports[mentions[m1].report].department.clone(),
                commitment,
                title: matrix.title(&commitment).unwrap_or_default().to_owned(),
                first: occurrence(d1, m1),
                second: occurrence(d2, m2),
            });
        }
    }
    found
}
