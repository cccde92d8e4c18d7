//! Reading the corpus: finds the report JSONs behind each input (a directory walked
//! recursively, a JSON Lines file, a manifest written by `extract`, a report JSON),
//! reads them one at a time into the small [`Digest`] the analysis needs, and skips
//! what is not a readable report of this schema version with a warning naming the
//! file. It never keeps a whole report, and nothing here is fatal.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::departments;
use crate::model::{AnnotationKind, Conformity, Section, Theme, SCHEMA_VERSION};

/// What the analysis keeps of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub report: ReportInfo,
    pub assessments: Vec<AssessmentDigest>,
}

/// The facts about one report that outlive its reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInfo {
    /// Where the report was read: a file, `file:line` for JSON Lines.
    pub file: String,
    /// `source.path` of the report: the document it was extracted from.
    pub source_path: String,
    pub sha256: Option<String>,
    pub department: Department,
    pub city: Option<String>,
    pub site_type: Option<String>,
    /// Referential name ("qual-e-pref", ...).
    pub referential: Option<String>,
    pub audit_type: Option<String>,
    pub audit_origin: Option<String>,
    /// Audit dates, ISO 8601, ascending.
    pub audit_dates: Vec<String>,
    pub signature_date: Option<String>,
    /// Diagnostics of warning severity or worse raised when it was extracted.
    pub warnings: usize,
    /// `quality.score` of the report (absent in reports written before it existed).
    pub quality: Option<f64>,
}

impl ReportInfo {
    /// The date of the audit: its first audit date, else the signature date.
    pub fn date(&self) -> Option<&str> {
        self.audit_dates
            .first()
            .or(self.signature_date.as_ref())
            .map(String::as_str)
    }

    /// The year of [`ReportInfo::date`].
    pub fn year(&self) -> Option<&str> {
        year_of(self.date())
    }
}

/// The year of an ISO 8601 date: its first four characters, when they are digits.
pub fn year_of(date: Option<&str>) -> Option<&str> {
    date.and_then(|d| d.get(..4))
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()))
}

/// A department as the report names it, resolved against the official table when
/// possible.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Department {
    pub code: Option<String>,
    pub name: Option<String>,
}

impl Department {
    fn resolve(code: Option<String>, name: Option<String>) -> Department {
        let official = code
            .as_deref()
            .and_then(departments::lookup)
            .or_else(|| name.as_deref().and_then(departments::lookup));
        match official {
            Some(d) => Department {
                code: Some(d.code.to_owned()),
                name: Some(d.name.to_owned()),
            },
            None => Department { code, name },
        }
    }

    /// The key departments are counted under: the code, else the name, else "?".
    pub fn key(&self) -> String {
        self.code
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| "?".into())
    }

    pub fn is_known(&self) -> bool {
        self.code.is_some() || self.name.is_some()
    }

    /// "Tarn-et-Garonne (82)", for people.
    pub fn label(&self) -> String {
        match (&self.name, &self.code) {
            (Some(n), Some(c)) => format!("{n} ({c})"),
            (Some(n), None) => n.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => "?".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentDigest {
    pub id: String,
    pub section: Section,
    pub module: Option<u8>,
    pub number: u32,
    pub title: String,
    pub conformity: Option<Conformity>,
    /// Every annotation's kind, in order.
    pub kinds: Vec<AnnotationKind>,
    /// PP and PS annotations: (index among the assessment's annotations, kind, text).
    pub tracks: Vec<(usize, AnnotationKind, String)>,
    /// The assessment's theme; `None` in reports written before themes existed.
    pub theme: Option<Theme>,
}

/// Counters of one read, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSummary {
    pub reports: usize,
    /// Inputs (files or lines) that were no readable report, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Reports whose source bytes (SHA-256) were already read, with the first file.
    pub duplicates: Vec<(String, String)>,
    /// Manifest rows whose input was not extracted (failed, skipped).
    pub not_extracted: usize,
}

/// Reads every report behind the inputs, in order (directories in path order),
/// calling `sink` for each. Warnings go to stderr as they happen.
pub fn read(inputs: &[PathBuf], mut sink: impl FnMut(Digest)) -> ReadSummary {
    let mut reader = Reader {
        summary: ReadSummary::default(),
        seen: HashMap::new(),
        sink: &mut sink,
    };
    for input in inputs {
        reader.input(input);
    }
    reader.summary
}

struct Reader<'s> {
    summary: ReadSummary,
    /// SHA-256 of the sources read → file first read.
    seen: HashMap<String, String>,
    sink: &'s mut dyn FnMut(Digest),
}

impl Reader<'_> {
    fn input(&mut self, path: &Path) {
        if path.is_dir() {
            self.directory(path);
        } else if path.is_file() {
            match kind_of(path) {
                FileKind::Manifest => self.manifest(path),
                FileKind::Lines => self.lines(path),
                FileKind::Report => self.report_file(path),
            }
        } else {
            self.skip(
                path.display().to_string(),
                "no such file or directory".into(),
            );
        }
    }

    /// Report JSONs and JSON Lines under a directory, manifests excepted: they list
    /// the same reports again.
    fn directory(&mut self, dir: &Path) {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e.path().unwrap_or(dir).display().to_string();
                    self.skip(at, format!("cannot walk: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            if !entry.file_type().is_file() {
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            match ext.as_str() {
                "json" => self.report_file(path),
                "jsonl" | "ndjson" if !is_manifest_name(path) => self.lines(path),
                _ => {}
            }
        }
    }

    fn report_file(&mut self, path: &Path) {
        let file = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => self.report_bytes(file, &bytes),
            Err(e) => self.skip(file, format!("cannot read: {e}")),
        }
    }

    fn lines(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let reader = match File::open(path) {
            Ok(f) => BufReader::new(f),
            Err(e) => return self.skip(shown, format!("cannot read: {e}")),
        };
        for (i, line) in reader.split(b'\n').enumerate() {
            let at = format!("{shown}:{}", i + 1);
            match line {
                Ok(line) if line.iter().all(u8::is_ascii_whitespace) => {}
                Ok(line) => self.report_bytes(at, &line),
                Err(e) => return self.skip(at, format!("cannot read: {e}")),
            }
        }
    }

    /// A manifest of `extract`: the reports of its successful rows, read from their
    /// `output` path, relative to the manifest's directory.
    fn manifest(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let base = path.parent().unwrap_or(Path::new(""));
        let reader = match File::open(path) {
            Ok(f) => BufReader::new(f),
            Err(e) => return self.skip(shown, format!("cannot read: {e}")),
        };
        for (i, line) in reader.split(b'\n').enumerate() {
            let at = format!("{shown}:{}", i + 1);
            let line = match line {
                Ok(l) if l.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(l) => l,
                Err(e) => return self.skip(at, format!("cannot read: {e}")),
            };
            match serde_json::from_slice::<ManifestRow>(&line) {
                Ok(row) if row.status == "ok" || row.status == "ok_with_warnings" => {
                    match row.output {
                        Some(output) => self.report_file(&base.join(output)),
                        None => self.skip(at, "manifest row without an output".into()),
                    }
                }
                Ok(_) => self.summary.not_extracted += 1,
                Err(e) => self.skip(at, format!("not a manifest row: {e}")),
            }
        }
    }

    fn report_bytes(&mut self, file: String, bytes: &[u8]) {
        match parse_report(file, bytes) {
            Ok(digest) => {
                let report = &digest.report;
                if let Some(sha) = &report.sha256 {
                    if let Some(first) = self.seen.get(sha) {
                        eprintln!("warning: {}: skipped: same source as {first}", report.file);
                        self.summary
                            .duplicates
                            .push((report.file.clone(), first.clone()));
                        return;
                    }
                    self.seen.insert(sha.clone(), report.file.clone());
                }
                self.summary.reports += 1;
                (self.sink)(digest);
            }
            Err((file, reason)) => self.skip(file, reason),
        }
    }

    fn skip(&mut self, file: String, reason: String) {
        eprintln!("warning: {file}: skipped: {reason}");
        self.summary.skipped.push((file, reason));
    }
}

enum FileKind {
    Report,
    Lines,
    Manifest,
}

fn is_manifest_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("manifest") && n.ends_with(".jsonl"))
}

/// A manifest by its name or its first row; JSON Lines when the first non-blank line
/// is a whole JSON object by itself (a pretty-printed report's first line is a lone
/// `{`); else one report.
fn kind_of(path: &Path) -> FileKind {
    if is_manifest_name(path) {
        return FileKind::Manifest;
    }
    let first = File::open(path).ok().and_then(|f| {
        BufReader::new(f)
            .lines()
            .map_while(Result::ok)
            .find(|l| !l.trim().is_empty())
    });
    match first
        .and_then(|l| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&l).ok())
    {
        Some(o)
            if o.contains_key("status")
                && o.contains_key("tool_version")
                && !o.contains_key("schema_version") =>
        {
            FileKind::Manifest
        }
        Some(_) => FileKind::Lines,
        None => FileKind::Report,
    }
}

#[derive(Deserialize)]
struct ManifestRow {
    status: String,
    output: Option<String>,
}

/// Parses one report; on failure, the file and the reason it is skipped.
fn parse_report(file: String, bytes: &[u8]) -> Result<Digest, (String, String)> {
    let lean: LeanReport = match serde_json::from_slice(bytes) {
        Ok(r) => r,
        Err(e) => {
            let reason = match serde_json::from_slice::<VersionOnly>(bytes) {
                Ok(VersionOnly {
                    schema_version: Some(v),
                }) if v != serde_json::Value::String(SCHEMA_VERSION.into()) => {
                    format!("schema_version {v}, this tool reads \"{SCHEMA_VERSION}\"")
                }
                Ok(VersionOnly {
                    schema_version: Some(_),
                }) => format!("not a valid report: {e}"),
                Ok(VersionOnly {
                    schema_version: None,
                }) => format!("not a report: {e}"),
                Err(_) => format!("not JSON: {e}"),
            };
            return Err((file, reason));
        }
    };
    if lean.schema_version != SCHEMA_VERSION {
        return Err((
            file,
            format!(
                "schema_version \"{}\", this tool reads \"{SCHEMA_VERSION}\"",
                lean.schema_version
            ),
        ));
    }
    Ok(lean.into_digest(file))
}

#[derive(Deserialize)]
struct VersionOnly {
    schema_version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct LeanReport {
    schema_version: String,
    source: LeanSource,
    metadata: LeanMetadata,
    assessments: Vec<LeanAssessment>,
    #[serde(default)]
    diagnostics: Vec<LeanDiagnostic>,
    #[serde(default)]
    quality: Option<LeanQuality>,
}

#[derive(Deserialize)]
struct LeanQuality {
    score: f64,
}

#[derive(Deserialize)]
struct LeanDiagnostic {
    severity: crate::model::Severity,
}

#[derive(Deserialize)]
struct LeanSource {
    path: String,
    #[serde(default)]
    sha256: Option<String>,
}

#[derive(Deserialize)]
struct LeanMetadata {
    #[serde(default)]
    referential: Option<LeanReferential>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    department_code: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    site_type: Option<String>,
    #[serde(default)]
    audit_dates: Vec<String>,
    #[serde(default)]
    signature_date: Option<String>,
    #[serde(default)]
    audit_type: Option<String>,
    #[serde(default)]
    audit_origin: Option<String>,
}

#[derive(Deserialize)]
struct LeanReferential {
    name: String,
}

#[derive(Deserialize)]
struct LeanAssessment {
    id: String,
    section: Section,
    module: Option<u8>,
    number: u32,
    title: String,
    conformity: Option<Conformity>,
    annotations: Vec<LeanAnnotation>,
    #[serde(default)]
    theme: Option<Theme>,
}

#[derive(Deserialize)]
struct LeanAnnotation {
    kind: AnnotationKind,
    text: String,
}

impl LeanReport {
    fn into_digest(self, file: String) -> Digest {
        let m = self.metadata;
        let assessments = self
            .assessments
            .into_iter()
            .map(|a| {
                let kinds = a.annotations.iter().map(|n| n.kind).collect();
                let tracks = a
                    .annotations
                    .into_iter()
                    .enumerate()
                    .filter(|(_, n)| {
                        matches!(
                            n.kind,
                            AnnotationKind::ImprovementTrack | AnnotationKind::SensitivePoint
                        )
                    })
                    .map(|(i, n)| (i, n.kind, n.text))
                    .collect();
                AssessmentDigest {
                    id: a.id,
                    section: a.section,
                    module: a.module,
                    number: a.number,
                    title: a.title,
                    conformity: a.conformity,
                    kinds,
                    tracks,
                    theme: a.theme,
                }
            })
            .collect();
        let mut audit_dates = m.audit_dates;
        audit_dates.sort();
        let report = ReportInfo {
            file,
            source_path: self.source.path,
            sha256: self.source.sha256,
            department: Department::resolve(m.department_code, m.department),
            city: m.city,
            site_type: m.site_type,
            referential: m.referential.map(|r| r.name),
            audit_type: m.audit_type,
            audit_origin: m.audit_origin,
            audit_dates,
            signature_date: m.signature_date,
            warnings: self
                .diagnostics
                .iter()
                .filter(|d| d.severity >= crate::model::Severity::Warning)
                .count(),
            quality: self.quality.map(|q| q.score),
        };
        Digest {
            report,
            assessments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"schema_version":"1","source":{"path":"a.txt","sha256":"x"},
        "metadata":{"department":"CORREZE","audit_dates":["2023-03-14"]},
        "assessments":[{"id":"on_site.m1.8","section":"module","module":1,"number":8,"title":"T","conformity":"NC_MIN",
        "annotations":[{"kind":"PP","text":"p"},{"kind":"NOTE","text":"n"}]}]}"#;

    #[test]
    fn reads_what_analysis_needs() {
        let d = parse_report("a.json".into(), MINIMAL.as_bytes()).unwrap();
        assert_eq!(
            d.report.department,
            Department {
                code: Some("19".into()),
                name: Some("Corrèze".into())
            }
        );
        assert_eq!(d.report.year(), Some("2023"));
        assert_eq!(
            d.assessments[0].tracks,
            vec![(0, AnnotationKind::ImprovementTrack, "p".to_owned())]
        );
        assert_eq!(d.assessments[0].kinds.len(), 2);
        assert_eq!(
            d.assessments[0].theme, None,
            "no theme in the report: none guessed"
        );
        let themed = MINIMAL.replace(r#""title":"T","#, r#""title":"T","theme":"telephone","#);
        let d = parse_report("a.json".into(), themed.as_bytes()).unwrap();
        assert_eq!(d.assessments[0].theme, Some(Theme::Telephone));
    }

    #[test]
    fn says_why_it_skips() {
        let (_, reason) = parse_report("x".into(), br#"{"hello":"world"}"#).unwrap_err();
        assert!(reason.starts_with("not a report"), "{reason}");
        let v2 = MINIMAL.replace(r#""schema_version":"1""#, r#""schema_version":"2""#);
        let (_, reason) = parse_report("x".into(), v2.as_bytes()).unwrap_err();
        assert!(reason.contains("schema_version \"2\""), "{reason}");
        let (_, reason) =
            parse_report("x".into(), br#"{"schema_version":"2","other":[]}"#).unwrap_err();
        assert!(reason.contains("schema_version \"2\""), "{reason}");
        let (_, reason) = parse_report("x".into(), b"{oops").unwrap_err();
        assert!(reason.starts_with("not JSON"), "{reason}");
    }
}
