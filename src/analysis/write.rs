//! Writers of the analysis files: CSV (RFC 4180, UTF-8, comma-separated, header row;
//! lists inside a cell joined with ";") and JSON (pretty, final newline). Each file
//! has one writer; columns are documented in [`super`].

use std::io::{self, Write};
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tracks::Track;
use super::Analysis;

/// `tracks.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TracksFile {
    pub parameters: TrackParameters,
    /// PP groups of two members or more, ranked.
    pub improvement_tracks: Vec<Track>,
    /// PS groups of two members or more, ranked.
    pub sensitive_points: Vec<Track>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrackParameters {
    /// "cosine" (TF-IDF) or "jaccard".
    pub similarity: String,
    pub threshold: f64,
    /// Minimum cosine between the centroids of two groups for them to merge.
    pub cohesion: f64,
    /// Minimum cosine of what two texts (or groups) are about, actions aside.
    pub about: f64,
    pub bands: usize,
    pub rows: usize,
    /// "built-in", or the `--lexicon` file laid over it.
    pub lexicon: String,
    /// Concepts in the lexicon used.
    pub concepts: usize,
    pub reports: usize,
    pub pp_annotations: usize,
    pub ps_annotations: usize,
    /// The `--vectors` file of the semantic second opinion, if any.
    #[serde(default)]
    pub vectors: Option<String>,
}

pub const REPORTS_COLUMNS: &[&str] = &[
    "file",
    "source_path",
    "department_code",
    "department",
    "city",
    "site_type",
    "referential",
    "audit_type",
    "audit_origin",
    "audit_dates",
    "signature_date",
    "year",
    "assessments",
    "c",
    "na",
    "nc_min",
    "nc_maj",
    "unrated",
    "pf",
    "ps",
    "pp",
    "pv",
    "note",
    "sha256",
    "copies",
];
pub const COMMITMENTS_COLUMNS: &[&str] = &[
    "commitment",
    "section",
    "module",
    "number",
    "title",
    "scope",
    "scope_key",
    "scope_label",
    "assessments",
    "c",
    "na",
    "nc_min",
    "nc_maj",
    "unrated",
    "nc_rate",
    "ps",
    "pp",
    "theme",
];
pub const TRACKS_COLUMNS: &[&str] = &[
    "kind",
    "track",
    "rank",
    "size",
    "department_count",
    "years",
    "commitments",
    "actions",
    "objects",
    "representative",
    "report",
    "file",
    "department_code",
    "department",
    "audit_date",
    "assessment",
    "annotation",
    "commitment",
    "text",
    "themes",
];
pub const PERSISTENT_COLUMNS: &[&str] = &[
    "kind",
    "track",
    "department_code",
    "department",
    "commitment",
    "section",
    "module",
    "number",
    "title",
    "first_date",
    "first_report",
    "first_assessment",
    "first_text",
    "second_date",
    "second_report",
    "second_assessment",
    "second_text",
    "representative",
];

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.3}")).unwrap_or_default()
}

fn csv_file(
    path: &Path,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_path(path)?;
    w.write_record(header)?;
    for row in rows {
        debug_assert_eq!(row.len(), header.len());
        w.write_record(&row)?;
    }
    w.flush()
}

fn json_file(path: &Path, value: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer_pretty(&mut w, value).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

pub fn reports_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let rows = a.sorted_reports().into_iter().map(|r| {
        let i = &r.info;
        let n = |v: u32| v.to_string();
        vec![
            i.file.clone(),
            i.source_path.clone(),
            opt(&i.department.code),
            opt(&i.department.name),
            opt(&i.city),
            opt(&i.site_type),
            opt(&i.referential),
            opt(&i.audit_type),
            opt(&i.audit_origin),
            i.audit_dates.join(";"),
            opt(&i.signature_date),
            i.year().unwrap_or_default().to_owned(),
            n(r.counts.assessments),
            n(r.counts.c),
            n(r.counts.na),
            n(r.counts.nc_min),
            n(r.counts.nc_maj),
            n(r.counts.unrated),
            n(r.kinds.pf),
            n(r.kinds.ps),
            n(r.kinds.pp),
            n(r.kinds.pv),
            n(r.kinds.note),
            opt(&i.sha256),
            r.copies.to_string(),
        ]
    });
    csv_file(path, REPORTS_COLUMNS, rows)
}

pub fn commitments_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let file = a.matrix.to_file();
    let mut rows = Vec::new();
    for c in &file.commitments {
        let scopes = std::iter::once(("all", String::new(), String::new(), &c.overall))
            .chain(
                c.by_year
                    .iter()
                    .map(|(y, n)| ("year", y.clone(), y.clone(), n)),
            )
            .chain(c.by_department.iter().map(|(d, n)| {
                (
                    "department",
                    d.clone(),
                    file.departments.get(d).cloned().unwrap_or_default(),
                    n,
                )
            }));
        for (scope, key, label, n) in scopes {
            rows.push(vec![
                c.code.clone(),
                c.section.clone(),
                c.module.map(|m| m.to_string()).unwrap_or_default(),
                c.number.to_string(),
                c.title.clone(),
                scope.to_owned(),
                key,
                label,
                n.assessments.to_string(),
                n.c.to_string(),
                n.na.to_string(),
                n.nc_min.to_string(),
                n.nc_maj.to_string(),
                n.unrated.to_string(),
                rate(n.nc_rate()),
                n.ps.to_string(),
                n.pp.to_string(),
                super::themes::opt_id(c.theme).to_owned(),
            ]);
        }
    }
    csv_file(path, COMMITMENTS_COLUMNS, rows.into_iter())
}

pub fn commitments_json(a: &Analysis, path: &Path) -> io::Result<()> {
    json_file(path, &a.matrix.to_file())
}

pub fn tracks_json(a: &Analysis, path: &Path) -> io::Result<()> {
    json_file(path, &a.tracks)
}

pub fn tracks_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let rows = a
        .tracks
        .improvement_tracks
        .iter()
        .chain(&a.tracks.sensitive_points)
        .flat_map(|t| {
            let years = t.years.join(";");
            let commitments = t
                .commitments
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(";");
            let actions = t.actions.join(";");
            let objects = t.objects.join(";");
            let themes = t
                .themes
                .iter()
                .map(|&th| super::themes::id(th))
                .collect::<Vec<_>>()
                .join(";");
            t.members.iter().map(move |m| {
                vec![
                    t.kind.clone(),
                    t.id.clone(),
                    t.rank.to_string(),
                    t.size.to_string(),
                    t.department_count.to_string(),
                    years.clone(),
                    commitments.clone(),
                    actions.clone(),
                    objects.clone(),
                    t.representative.clone(),
                    m.report.clone(),
                    m.file.clone(),
                    opt(&m.department_code),
                    opt(&m.department),
                    opt(&m.audit_date),
                    m.assessment.clone(),
                    m.annotation.to_string(),
                    m.commitment.clone(),
                    m.text.clone(),
                    themes.clone(),
                ]
            })
        });
    csv_file(path, TRACKS_COLUMNS, rows)
}

/// Written from the tracks it points into, without making each row's strings: a
/// large corpus has hundreds of thousands of persistent pairs.
pub fn persistent_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(io::BufWriter::new(std::fs::File::create(path)?));
    w.write_record(PERSISTENT_COLUMNS)?;
    for p in &a.persistent {
        let list = if p.improvement {
            &a.tracks.improvement_tracks
        } else {
            &a.tracks.sensitive_points
        };
        let t = &list[p.track as usize];
        let (first, second) = (&t.members[p.first as usize], &t.members[p.second as usize]);
        let c = p.commitment;
        let module = c.module.map(|m| m.to_string()).unwrap_or_default();
        let number = c.number.to_string();
        let code = c.code();
        let record: [&str; 18] = [
            &t.kind,
            &t.id,
            first.department_code.as_deref().unwrap_or_default(),
            first.department.as_deref().unwrap_or_default(),
            &code,
            c.section_name(),
            &module,
            &number,
            a.matrix.title(&c).unwrap_or_default(),
            first.audit_date.as_deref().unwrap_or_default(),
            &first.report,
            &first.assessment,
            &first.text,
            second.audit_date.as_deref().unwrap_or_default(),
            &second.report,
            &second.assessment,
            &second.text,
            &t.representative,
        ];
        w.write_record(record)?;
    }
    w.flush()
}

pub const DUPLICATES_COLUMNS: &[&str] = &[
    "file",
    "source_path",
    "reason",
    "similarity",
    "kept_file",
    "kept_source_path",
    "department_code",
    "department",
    "referential",
    "audit_dates",
];

/// Reports not counted: the same source bytes read twice (`same_source`), then
/// copies of an audit already counted (`same_audit`), each with the report kept.
pub fn duplicates_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let same_source = a.read.duplicates.iter().map(|(file, first)| {
        let mut row = vec![String::new(); DUPLICATES_COLUMNS.len()];
        row[0] = file.clone();
        row[2] = "same_source".into();
        row[4] = first.clone();
        row
    });
    let same_audit = a.duplicates.iter().map(|d| {
        vec![
            d.copy.file.clone(),
            d.copy.source_path.clone(),
            "same_audit".into(),
            d.similarity.map(|s| format!("{s:.3}")).unwrap_or_default(),
            d.kept.file.clone(),
            d.kept.source_path.clone(),
            opt(&d.copy.department.code),
            opt(&d.copy.department.name),
            opt(&d.copy.referential),
            d.copy.audit_dates.join(";"),
        ]
    });
    csv_file(path, DUPLICATES_COLUMNS, same_source.chain(same_audit))
}

pub const THEMES_COLUMNS: &[&str] = &[
    "theme",
    "theme_label",
    "year",
    "audits",
    "assessments",
    "c",
    "na",
    "nc_min",
    "nc_maj",
    "unrated",
    "nc_rate",
    "ps",
    "pp",
    "pp_track_members",
    "ps_track_members",
];

/// One row per theme and audit year, by theme id (unknown theme last), then year.
pub fn themes_csv(a: &Analysis, path: &Path) -> io::Result<()> {
    let rows = a.themes.to_file().rows.into_iter().map(|r| {
        let n = &r.counts;
        vec![
            super::themes::opt_id(r.theme).to_owned(),
            r.label,
            r.year,
            r.audits.to_string(),
            n.assessments.to_string(),
            n.c.to_string(),
            n.na.to_string(),
            n.nc_min.to_string(),
            n.nc_maj.to_string(),
            n.unrated.to_string(),
            rate(n.nc_rate()),
            n.ps.to_string(),
            n.pp.to_string(),
            r.pp_track_members.to_string(),
            r.ps_track_members.to_string(),
        ]
    });
    csv_file(path, THEMES_COLUMNS, rows)
}

pub fn themes_json(a: &Analysis, path: &Path) -> io::Result<()> {
    json_file(path, &a.themes.to_file())
}
