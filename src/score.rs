//! Scoring: measures extraction quality field by field against gold files, as GROBID's
//! end-to-end evaluation does — true positives, false positives and false negatives
//! per field, then precision, recall and F1 with micro and macro averages.
//!
//! It only compares JSON values that already exist (gold files written by hand or by
//! the corpus generator, reports written by `extract`); it must not extract, repair or
//! judge anything, and it never fails a run on a low score: a score is a measurement.
//!
//! # Pairing files
//!
//! GOLD and OUT are each a JSON file or a directory of them (walked recursively, every
//! `*.json`). Two single files are paired with each other. Otherwise each file gets a
//! key: its path relative to the directory given, without `.json` and then without one
//! of `.truth`, `.expected`, `.pdf`, `.txt` — so `a/x.truth.json`, `a/x.expected.json`
//! and `a/x.json` in GOLD all pair with `a/x.json` (or `a/x.pdf.json`) in OUT. A gold
//! whose relative key has no output is then paired by file name alone (`x`) when
//! exactly one output left has that name. A gold without output is scored as all
//! missed (its recall suffers); an output without gold is listed, not scored.
//!
//! # What is scored
//!
//! Gold files may be partial: a field the gold omits is not scored. A gold value that
//! is null, empty text or an empty list says "nothing here": an output value there is
//! a false positive. A wrong value is both a false positive and a false negative.
//!
//! - `assessments`: matched by identity (phase, section, module, number, code; the k-th
//!   repeat of one identity in the gold matches the k-th in the output), with the
//!   breakdown `phase.*`. Then per assessment `title`, `conformity`, `channel`, `theme`; the
//!   fields of an unmatched gold assessment are missed, those of an unmatched output
//!   assessment are false positives.
//! - `annotation.PF` … `annotation.NOTE`: within matched assessments, paired by kind
//!   and text (in order, closest level of matching first).
//! - `metadata.*`: the referential's name and each cover field as a whole (a list
//!   such as `auditors` is right only when all its items are). Truth files record what
//!   the cover states (`fixtures/pdf/*.truth.json` leave an unticked box null): when
//!   the gold has nothing for `site_type`, `audit_type` or `modules_covered` and the
//!   output marks its value `inferred`, the value is not scored.
//! - `context` and `conclusion.*` (each box).
//!
//! Texts are compared at three levels ([`Matching`]); `soft` is the headline one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::text::collapse_whitespace;

/// Normalised Levenshtein similarity from which two texts match at level `similar`.
pub const SIMILARITY_THRESHOLD: f64 = 0.9;

/// How close two texts must be to be the same value. Codes and other non-text values
/// are always compared exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matching {
    /// Same characters.
    Exact,
    /// Same after [`soft_form`]: whitespace, hyphenated line ends, typographic quotes
    /// and ligatures do not count; case and accents do.
    Soft,
    /// Soft forms at least [`SIMILARITY_THRESHOLD`] similar (normalised Levenshtein).
    Similar,
}

impl Matching {
    /// Every level, strictest first.
    pub const ALL: [Matching; 3] = [Matching::Exact, Matching::Soft, Matching::Similar];

    pub fn name(self) -> &'static str {
        match self {
            Matching::Exact => "exact",
            Matching::Soft => "soft",
            Matching::Similar => "similar",
        }
    }

    /// True when `gold` and `out` are the same text at this level.
    pub fn same_text(self, gold: &str, out: &str) -> bool {
        if gold == out {
            return true;
        }
        match self {
            Matching::Exact => false,
            Matching::Soft => soft_form(gold) == soft_form(out),
            Matching::Similar => {
                let (g, o) = (soft_form(gold), soft_form(out));
                g == o || similarity(&g, &o) >= SIMILARITY_THRESHOLD
            }
        }
    }

    /// This level and the stricter ones, strictest first: pairing tries closer
    /// matches before looser ones, so a loose match never takes an exact one's place.
    fn passes(self) -> &'static [Matching] {
        let end = Matching::ALL.iter().position(|m| *m == self).unwrap_or(0);
        &Matching::ALL[..=end]
    }
}

/// The form texts are compared in at level `soft`: compatibility-normalised (NFKC:
/// ligatures "ﬁ" → "fi", non-breaking spaces → spaces), typographic apostrophes and
/// quotes made straight, soft hyphens dropped, whitespace collapsed, and a hyphen
/// between two letters ignored, with or without a space after it — "récla- mations",
/// "récla-mations" and "réclamations" are one word (a line-end hyphen does not say
/// whether it belongs to the word, so "auto-évaluations" equals "autoévaluations").
pub fn soft_form(text: &str) -> String {
    let mapped: String = text
        .nfkc()
        .filter(|c| *c != '\u{ad}')
        .map(|c| match c {
            '’' | '‘' | '‛' | 'ʼ' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' => '"',
            '‐' | '‑' => '-',
            _ => c,
        })
        .collect();
    let chars: Vec<char> = collapse_whitespace(&mapped).chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-' && i > 0 && chars[i - 1].is_alphabetic() {
            let next = if chars.get(i + 1) == Some(&' ') {
                i + 2
            } else {
                i + 1
            };
            if chars.get(next).is_some_and(|c| c.is_alphabetic()) {
                i = next;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// 1 − Levenshtein distance / length of the longer text, over characters.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    // Below the threshold on lengths alone: no need for the quadratic part.
    if (a.len().abs_diff(b.len()) as f64) > (1.0 - SIMILARITY_THRESHOLD) * longest as f64 {
        return 1.0 - a.len().abs_diff(b.len()) as f64 / longest as f64;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    1.0 - previous[b.len()] as f64 / longest as f64
}

// ---------------------------------------------------------------------------------
// Counts.

/// True positives, false positives and false negatives of one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn is_zero(self) -> bool {
        self.tp + self.fp + self.fn_ == 0
    }

    /// TP / (TP + FP); none when nothing was output.
    pub fn precision(self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// TP / (TP + FN); none when nothing was expected.
    pub fn recall(self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; none when
    /// there is nothing to count.
    pub fn f1(self) -> Option<f64> {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Fields in display order. `phase.*` rows break `assessments` down and stay out of
/// the averages.
const ASSESSMENT_FIELDS: [&str; 4] = ["title", "conformity", "channel", "theme"];
const PHASES: [&str; 4] = [
    "on_site",
    "remote_internet",
    "remote_telephone",
    "remote_email",
];
const ANNOTATION_KINDS: [&str; 5] = ["PF", "PS", "PP", "PV", "NOTE"];
const METADATA_FIELDS: [&str; 11] = [
    "referential",
    "department",
    "department_code",
    "city",
    "site_type",
    "audit_dates",
    "signature_date",
    "auditors",
    "audit_type",
    "audit_origin",
    "modules_covered",
];
/// Cover fields the tool may infer when the cover does not state them.
const INFERABLE: [&str; 3] = ["site_type", "audit_type", "modules_covered"];
const CONCLUSION_BOXES: [&str; 9] = [
    "general",
    "strengths",
    "sensitive_points",
    "improvement_tracks",
    "comments",
    "good_practices",
    "satisfaction_results",
    "graphic_charter",
    "deviations",
];

/// Counts per field, in display order (unexpected phases or kinds come last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    rows: Vec<(String, Counts)>,
}

impl Default for Tally {
    fn default() -> Tally {
        let names = std::iter::once("assessments".to_owned())
            .chain(PHASES.iter().map(|p| format!("phase.{p}")))
            .chain(ASSESSMENT_FIELDS.iter().map(|f| (*f).to_owned()))
            .chain(ANNOTATION_KINDS.iter().map(|k| format!("annotation.{k}")))
            .chain(METADATA_FIELDS.iter().map(|f| format!("metadata.{f}")))
            .chain(std::iter::once("context".to_owned()))
            .chain(CONCLUSION_BOXES.iter().map(|b| format!("conclusion.{b}")));
        Tally {
            rows: names.map(|n| (n, Counts::default())).collect(),
        }
    }
}

impl Tally {
    fn entry(&mut self, field: &str) -> &mut Counts {
        let at = match self.rows.iter().position(|(name, _)| name == field) {
            Some(at) => at,
            None => {
                self.rows.push((field.to_owned(), Counts::default()));
                self.rows.len() - 1
            }
        };
        &mut self.rows[at].1
    }

    fn tp(&mut self, field: &str) {
        self.entry(field).tp += 1;
    }

    fn fp(&mut self, field: &str) {
        self.entry(field).fp += 1;
    }

    fn fn_(&mut self, field: &str) {
        self.entry(field).fn_ += 1;
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Tally) {
        for (field, counts) in &other.rows {
            self.entry(field).add(*counts);
        }
    }

    /// Fields that were scored at least once, in display order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, Counts)> {
        self.rows
            .iter()
            .filter(|(_, c)| !c.is_zero())
            .map(|(n, c)| (n.as_str(), *c))
    }

    /// Counts of one field (zero when never scored).
    pub fn get(&self, field: &str) -> Counts {
        self.rows
            .iter()
            .find(|(n, _)| n == field)
            .map_or_else(Counts::default, |(_, c)| *c)
    }

    /// Sum over the fields whose name starts with `prefix` ("" for every field),
    /// the `phase.*` breakdown excepted.
    pub fn micro(&self, prefix: &str) -> Counts {
        let mut sum = Counts::default();
        for (name, counts) in self.fields() {
            if name.starts_with(prefix) && !name.starts_with("phase.") {
                sum.add(counts);
            }
        }
        sum
    }

    /// Mean F1 of the scored fields, the `phase.*` breakdown excepted.
    pub fn macro_f1(&self) -> Option<f64> {
        let f1s: Vec<f64> = self
            .fields()
            .filter(|(name, _)| !name.starts_with("phase."))
            .filter_map(|(_, c)| c.f1())
            .collect();
        (!f1s.is_empty()).then(|| f1s.iter().sum::<f64>() / f1s.len() as f64)
    }
}

// ---------------------------------------------------------------------------------
// One gold document against one output.

/// Scores one output against its gold; `None` when the gold has no output (every
/// expected value is missed).
pub fn score_document(gold: &Value, output: Option<&Value>, matching: Matching) -> Tally {
    let out = output.unwrap_or(&Value::Null);
    let mut tally = Tally::default();
    if let Some(assessments) = gold.get("assessments").and_then(Value::as_array) {
        let outputs = out["assessments"].as_array().map_or(&[][..], Vec::as_slice);
        score_assessments(&mut tally, assessments, outputs, matching);
    }
    if let Some(metadata) = gold.get("metadata") {
        score_metadata(&mut tally, metadata, &out["metadata"], matching);
    }
    if let Some(context) = gold.get("context") {
        score_value(&mut tally, "context", context, &out["context"], matching);
    }
    if let Some(conclusion) = gold.get("conclusion") {
        for name in CONCLUSION_BOXES {
            if let Some(g) = conclusion.get(name) {
                let field = format!("conclusion.{name}");
                score_value(&mut tally, &field, g, &out["conclusion"][name], matching);
            }
        }
    }
    tally
}

fn score_metadata(tally: &mut Tally, gold: &Value, out: &Value, matching: Matching) {
    for name in METADATA_FIELDS {
        let Some(g) = gold.get(name) else { continue };
        let field = format!("metadata.{name}");
        if name == "referential" {
            let (g, o) = (referential_name(g), referential_name(&out[name]));
            score_value(tally, &field, g, o, matching);
            continue;
        }
        let inferred = out[format!("{name}_evidence")] == "inferred";
        if INFERABLE.contains(&name) && is_empty(g) && inferred {
            continue;
        }
        score_value(tally, &field, g, &out[name], matching);
    }
}

/// The referential is a name in truth files and an object with a `name` in reports.
fn referential_name(v: &Value) -> &Value {
    v.get("name").unwrap_or(v)
}

/// One value: TP when equal, FP and FN when different, FN when missing, FP when the
/// gold has nothing there.
fn score_value(tally: &mut Tally, field: &str, gold: &Value, out: &Value, matching: Matching) {
    match (is_empty(gold), is_empty(out)) {
        (true, true) => {}
        (true, false) => tally.fp(field),
        (false, true) => tally.fn_(field),
        (false, false) if same_value(gold, out, matching) => tally.tp(field),
        (false, false) => {
            tally.fp(field);
            tally.fn_(field);
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

fn same_value(gold: &Value, out: &Value, matching: Matching) -> bool {
    match (gold, out) {
        (Value::String(g), Value::String(o)) => matching.same_text(g, o),
        (Value::Array(g), Value::Array(o)) => {
            g.len() == o.len() && g.iter().zip(o).all(|(g, o)| same_value(g, o, matching))
        }
        _ => gold == out,
    }
}

/// Identity of an assessment: phase, section, module, number and, for referentials
/// with sub-items (QUALIPREF2's "E3.1", "E3.2" under commitment 3), the code as
/// written (null elsewhere, on both sides).
fn identity(a: &Value) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        a["phase"], a["section"], a["module"], a["number"], a["code"]
    )
}

/// For each item, its identity and how many items before it share that identity.
fn occurrences(items: &[Value]) -> Vec<(String, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    items
        .iter()
        .map(|a| {
            let id = identity(a);
            let n = seen.entry(id.clone()).or_default();
            *n += 1;
            (id, *n - 1)
        })
        .collect()
}

fn phase_field(a: &Value) -> String {
    format!("phase.{}", a["phase"].as_str().unwrap_or("unknown"))
}

fn score_assessments(tally: &mut Tally, gold: &[Value], out: &[Value], matching: Matching) {
    let out_ids: HashMap<(String, usize), usize> = occurrences(out)
        .into_iter()
        .enumerate()
        .map(|(i, key)| (key, i))
        .collect();
    // Which fields the gold scores: those its assessments carry (all when it has none).
    let scored = |field: &str| gold.is_empty() || gold.iter().any(|a| a.get(field).is_some());
    let mut matched = vec![false; out.len()];
    for (g, key) in gold.iter().zip(occurrences(gold)) {
        let o = out_ids.get(&key).map(|&i| {
            matched[i] = true;
            &out[i]
        });
        if o.is_some() {
            tally.tp("assessments");
            tally.tp(&phase_field(g));
        } else {
            tally.fn_("assessments");
            tally.fn_(&phase_field(g));
        }
        let o = o.unwrap_or(&Value::Null);
        for field in ASSESSMENT_FIELDS {
            if let Some(gv) = g.get(field) {
                score_value(tally, field, gv, &o[field], matching);
            }
        }
        if let Some(annotations) = g.get("annotations").and_then(Value::as_array) {
            let found = o["annotations"].as_array().map_or(&[][..], Vec::as_slice);
            score_annotations(tally, annotations, found, matching);
        }
    }
    for o in out
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(o, _)| o)
    {
        tally.fp("assessments");
        tally.fp(&phase_field(o));
        for field in ASSESSMENT_FIELDS.into_iter().filter(|f| scored(f)) {
            score_value(tally, field, &Value::Null, &o[field], matching);
        }
        if scored("annotations") {
            let found = o["annotations"].as_array().map_or(&[][..], Vec::as_slice);
            score_annotations(tally, &[], found, matching);
        }
    }
}

fn kind_field(a: &Value) -> String {
    format!("annotation.{}", a["kind"].as_str().unwrap_or("unknown"))
}

/// Pairs annotations of one kind by text, closest level first, each gold annotation
/// with the first free output annotation that matches it.
fn score_annotations(tally: &mut Tally, gold: &[Value], out: &[Value], matching: Matching) {
    let text = |a: &Value| a["text"].as_str().unwrap_or_default().to_owned();
    let mut gold_free = vec![true; gold.len()];
    let mut out_free = vec![true; out.len()];
    for &pass in matching.passes() {
        for (gi, g) in gold.iter().enumerate() {
            if !gold_free[gi] {
                continue;
            }
            let hit = out.iter().enumerate().position(|(oi, o)| {
                out_free[oi] && o["kind"] == g["kind"] && pass.same_text(&text(g), &text(o))
            });
            if let Some(oi) = hit {
                gold_free[gi] = false;
                out_free[oi] = false;
                tally.tp(&kind_field(g));
            }
        }
    }
    for g in gold.iter().zip(&gold_free).filter(|(_, f)| **f) {
        tally.fn_(&kind_field(g.0));
    }
    for o in out.iter().zip(&out_free).filter(|(_, f)| **f) {
        tally.fp(&kind_field(o.0));
    }
}

// ---------------------------------------------------------------------------------
// Files: pairing, reading, scoring a whole set.

/// Why a set of files could not be scored. Each message names the file.
#[derive(Debug, Error)]
pub enum ScoreError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not valid JSON: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: not a JSON object (expected a report or a truth file)", path.display())]
    NotAnObject { path: PathBuf },
    #[error("{}: no .json file to score", path.display())]
    NoGold { path: PathBuf },
}

/// Gold files, each with its output when one was found, and outputs nobody claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub pairs: Vec<(PathBuf, Option<PathBuf>)>,
    pub unpaired_outputs: Vec<PathBuf>,
}

/// A JSON file found under a path given, with its pairing keys.
struct Listed {
    path: PathBuf,
    /// Relative path without `.json` and one of `.truth`, `.expected`, `.pdf`, `.txt`.
    key: String,
    /// The same for the file name alone.
    name_key: String,
}

fn pairing_key(relative: &str) -> String {
    let stem = relative.strip_suffix(".json").unwrap_or(relative);
    [".truth", ".expected", ".pdf", ".txt"]
        .iter()
        .find_map(|suffix| stem.strip_suffix(suffix))
        .unwrap_or(stem)
        .to_owned()
}

/// The `*.json` files of a file or directory, sorted by path.
fn list(root: &Path) -> Result<Vec<Listed>, ScoreError> {
    let read_error = |path: &Path, source| ScoreError::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(root).map_err(|e| read_error(root, e))?;
    let entry = |path: PathBuf, relative: &Path| {
        let relative = relative.to_string_lossy().replace('\\', "/");
        let name = relative.rsplit('/').next().unwrap_or(&relative).to_owned();
        Listed {
            key: pairing_key(&relative),
            name_key: pairing_key(&name),
            path,
        }
    };
    if !meta.is_dir() {
        let name = Path::new(root.file_name().unwrap_or(root.as_os_str()));
        return Ok(vec![entry(root.to_owned(), name)]);
    }
    let mut found = Vec::new();
    for item in walkdir::WalkDir::new(root).sort_by_file_name() {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(root).to_owned();
            read_error(&path, e.into())
        })?;
        let is_json = item.path().extension().is_some_and(|x| x == "json");
        if item.file_type().is_file() && is_json {
            let relative = item.path().strip_prefix(root).unwrap_or(item.path());
            found.push(entry(item.path().to_owned(), relative));
        }
    }
    Ok(found)
}

/// Pairs gold files with output files (rule in the module documentation).
pub fn pair(gold: &Path, out: &Path) -> Result<Pairing, ScoreError> {
    let golds = list(gold)?;
    if golds.is_empty() {
        return Err(ScoreError::NoGold {
            path: gold.to_owned(),
        });
    }
    let outs = list(out)?;
    let both_files = !gold.is_dir() && !out.is_dir();
    let mut used = vec![false; outs.len()];
    let mut chosen: Vec<Option<usize>> = golds
        .iter()
        .map(|g| {
            let i = if both_files {
                Some(0)
            } else {
                outs.iter().position(|o| o.key == g.key)
            };
            if let Some(i) = i {
                used[i] = true;
            }
            i
        })
        .collect();
    // Second chance by file name, only where it is unambiguous.
    for (gi, g) in golds.iter().enumerate() {
        if chosen[gi].is_some() || golds.iter().filter(|x| x.name_key == g.name_key).count() > 1 {
            continue;
        }
        let free: Vec<usize> = (0..outs.len())
            .filter(|&i| !used[i] && outs[i].name_key == g.name_key)
            .collect();
        if let [i] = free[..] {
            used[i] = true;
            chosen[gi] = Some(i);
        }
    }
    Ok(Pairing {
        pairs: golds
            .iter()
            .zip(chosen)
            .map(|(g, o)| (g.path.clone(), o.map(|i| outs[i].path.clone())))
            .collect(),
        unpaired_outputs: outs
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(o, _)| o.path.clone())
            .collect(),
    })
}

/// Reads one JSON object.
pub fn read_json(path: &Path) -> Result<Value, ScoreError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScoreError::Read {
        path: path.to_owned(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|source| ScoreError::Json {
        path: path.to_owned(),
        source,
    })?;
    if !value.is_object() {
        return Err(ScoreError::NotAnObject {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

/// The scores of one gold file, at each level of [`Matching::ALL`].
#[derive(Debug, Clone, PartialEq)]
pub struct FileScore {
    pub gold: PathBuf,
    pub output: Option<PathBuf>,
    pub by_level: [Tally; 3],
}

/// Scores of a whole set: per file, in total, and the outputs without gold.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub files: Vec<FileScore>,
    pub unpaired_outputs: Vec<PathBuf>,
    pub total: [Tally; 3],
}

impl Evaluation {
    /// The total at one level.
    pub fn at(&self, matching: Matching) -> &Tally {
        &self.total[level_index(matching)]
    }
}

fn level_index(matching: Matching) -> usize {
    Matching::ALL
        .iter()
        .position(|m| *m == matching)
        .unwrap_or(0)
}

/// Pairs, reads and scores GOLD against OUT (each a file or a directory). Every file
/// is read before anything is scored: an unreadable or invalid file is an error.
pub fn evaluate(gold: &Path, out: &Path) -> Result<Evaluation, ScoreError> {
    let pairing = pair(gold, out)?;
    let mut files = Vec::with_capacity(pairing.pairs.len());
    for (gold_path, out_path) in &pairing.pairs {
        let g = read_json(gold_path)?;
        let o = out_path.as_deref().map(read_json).transpose()?;
        files.push(FileScore {
            gold: gold_path.clone(),
            output: out_path.clone(),
            by_level: Matching::ALL.map(|m| score_document(&g, o.as_ref(), m)),
        });
    }
    let mut total: [Tally; 3] = Default::default();
    for file in &files {
        for (sum, tally) in total.iter_mut().zip(&file.by_level) {
            sum.merge(tally);
        }
    }
    Ok(Evaluation {
        files,
        unpaired_outputs: pairing.unpaired_outputs,
        total,
    })
}

// ---------------------------------------------------------------------------------
// Printing: a table for people, JSON for programs. Both are deterministic.

/// Groups summed in the averages block: label and field-name prefix.
const GROUPS: [(&str, &str); 4] = [
    ("annotations (all kinds)", "annotation."),
    ("metadata (all fields)", "metadata."),
    ("conclusion (all boxes)", "conclusion."),
    ("micro average", ""),
];

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_owned(), |r| format!("{r:.3}"))
}

fn table_row(out: &mut String, label: &str, c: Counts) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{label:<34} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6}",
        c.tp,
        c.fp,
        c.fn_,
        fmt_ratio(c.precision()),
        fmt_ratio(c.recall()),
        fmt_ratio(c.f1())
    );
}

/// The fields where a tally loses something, as "field (FP n, FN m)".
fn losses(tally: &Tally) -> Vec<String> {
    tally
        .fields()
        .filter(|(name, c)| !name.starts_with("phase.") && c.fp + c.fn_ > 0)
        .map(|(name, c)| format!("{name} (FP {}, FN {})", c.fp, c.fn_))
        .collect()
}

/// The readable report: one row per scored field at level `soft`, group and micro
/// averages, the macro average, the micro F1 at every level, unpaired files, and
/// with `per_file` what each file loses.
pub fn render_table(ev: &Evaluation, per_file: bool) -> String {
    use std::fmt::Write as _;
    let soft = ev.at(Matching::Soft);
    let mut out = String::new();
    let paired = ev.files.iter().filter(|f| f.output.is_some()).count();
    let _ = writeln!(
        out,
        "{} gold files, {paired} with an output; texts matched soft (whitespace, hyphenation, quotes, ligatures ignored)\n",
        ev.files.len()
    );
    let _ = writeln!(
        out,
        "{:<34} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6}",
        "field", "TP", "FP", "FN", "precision", "recall", "F1"
    );
    for (name, counts) in soft.fields() {
        let label = match name.strip_prefix("phase.") {
            Some(phase) => format!("  assessments, {phase}"),
            None => name.to_owned(),
        };
        table_row(&mut out, &label, counts);
    }
    out.push('\n');
    for (label, prefix) in GROUPS {
        let counts = soft.micro(prefix);
        if !counts.is_zero() {
            table_row(&mut out, label, counts);
        }
    }
    let _ = writeln!(
        out,
        "{:<34} {:>44}",
        "macro average F1",
        fmt_ratio(soft.macro_f1())
    );
    let levels: Vec<String> = Matching::ALL
        .iter()
        .map(|&m| format!("{} {}", m.name(), fmt_ratio(ev.at(m).micro("").f1())))
        .collect();
    let _ = writeln!(
        out,
        "\nmicro F1 by text matching: {} (similar: Levenshtein ≥ {SIMILARITY_THRESHOLD})",
        levels.join(", ")
    );
    for f in ev.files.iter().filter(|f| f.output.is_none()) {
        let _ = writeln!(
            out,
            "gold without output (all missed): {}",
            f.gold.display()
        );
    }
    for o in &ev.unpaired_outputs {
        let _ = writeln!(out, "output without gold (not scored): {}", o.display());
    }
    if per_file {
        out.push_str("\nper file (soft):\n");
        for f in &ev.files {
            let tally = &f.by_level[level_index(Matching::Soft)];
            let lost = losses(tally);
            let _ = writeln!(
                out,
                "{} → {}: F1 {}{}{}",
                f.gold.display(),
                f.output
                    .as_ref()
                    .map_or_else(|| "(no output)".to_owned(), |o| o.display().to_string()),
                fmt_ratio(tally.micro("").f1()),
                if lost.is_empty() { "" } else { "; loses " },
                lost.join(", ")
            );
        }
    }
    out
}

/// Rounded to 4 decimals, so the JSON reads well and does not depend on float noise.
fn json_ratio(r: Option<f64>) -> Value {
    r.map_or(Value::Null, |r| json!((r * 10_000.0).round() / 10_000.0))
}

fn json_counts(c: Counts) -> Value {
    json!({
        "tp": c.tp, "fp": c.fp, "fn": c.fn_,
        "precision": json_ratio(c.precision()),
        "recall": json_ratio(c.recall()),
        "f1": json_ratio(c.f1()),
    })
}

fn json_tally(tally: &Tally) -> Value {
    let fields: serde_json::Map<String, Value> = tally
        .fields()
        .map(|(name, c)| (name.to_owned(), json_counts(c)))
        .collect();
    let groups: serde_json::Map<String, Value> = GROUPS
        .iter()
        .filter(|(_, prefix)| !prefix.is_empty())
        .map(|(_, prefix)| {
            (
                prefix.trim_end_matches('.').to_owned(),
                json_counts(tally.micro(prefix)),
            )
        })
        .collect();
    json!({
        "fields": fields,
        "groups": groups,
        "micro": json_counts(tally.micro("")),
        "macro_f1": json_ratio(tally.macro_f1()),
    })
}

fn json_levels(tallies: &[Tally; 3]) -> Value {
    Matching::ALL
        .iter()
        .zip(tallies)
        .map(|(m, t)| (m.name().to_owned(), json_tally(t)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The machine-readable report: totals at every level (`exact`, `soft`, `similar`),
/// the files paired, unpaired outputs, and with `per_file` each file's scores.
pub fn render_json(ev: &Evaluation, per_file: bool) -> String {
    let path = |p: &Path| p.display().to_string();
    let files: Vec<Value> = ev
        .files
        .iter()
        .map(|f| {
            let mut v = json!({ "gold": path(&f.gold), "output": f.output.as_deref().map(path) });
            if per_file {
                v["scores"] = json_levels(&f.by_level);
            }
            v
        })
        .collect();
    let report = json!({
        "similarity_threshold": SIMILARITY_THRESHOLD,
        "files": files,
        "unpaired_outputs": ev.unpaired_outputs.iter().map(|p| path(p)).collect::<Vec<_>>(),
        "scores": json_levels(&ev.total),
    });
    let mut s = serde_json::to_string_pretty(&report).expect("a score always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_form_ignores_layout_but_not_words_case_or_accents() {
        let same = [
            ("réclamations", "récla- mations"),
            ("réclamations", "récla-mations"),
            ("auto-évaluations", "auto- évaluations"),
            ("l'accueil  du\npublic", "l’accueil du public"),
            ("\u{201c}Marianne\u{201d}", "\"Marianne\""),
            ("efficace", "e\u{fb03}cace"),
            ("10\u{a0}jours", "10 jours"),
            ("récla\u{ad}mations", "réclamations"),
        ];
        for (a, b) in same {
            assert_eq!(soft_form(a), soft_form(b), "{a:?} vs {b:?}");
        }
        let different = [
            ("Accueil", "accueil"),
            ("délais", "delais"),
            ("Accueil - titres", "Accueiltitres"),
            ("PP", "PS"),
        ];
        for (a, b) in different {
            assert_ne!(soft_form(a), soft_form(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn similar_tolerates_a_typo_not_another_sentence() {
        let gold = "Mettre à jour le bilan annuel des réclamations.";
        assert!(!Matching::Soft.same_text(gold, "Mettre à jour le bilan anuel des réclamations."));
        assert!(Matching::Similar.same_text(gold, "Mettre à jour le bilan anuel des réclamations."));
        assert!(!Matching::Similar.same_text(gold, "Publier les résultats de l'enquête."));
        assert!((similarity("abcd", "abce") - 0.75).abs() < 1e-9);
        assert!((similarity("", "") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn ratios_are_undefined_when_there_is_nothing_to_divide() {
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 0,
        };
        assert_eq!(c.precision(), Some(0.75));
        assert_eq!(c.recall(), Some(1.0));
        assert_eq!(c.f1(), Some(6.0 / 7.0));
        let nothing_output = Counts {
            tp: 0,
            fp: 0,
            fn_: 2,
        };
        assert_eq!(nothing_output.precision(), None);
        assert_eq!(nothing_output.f1(), Some(0.0));
        assert_eq!(Counts::default().f1(), None);
    }

    #[test]
    fn keys_pair_truth_expected_and_output_names() {
        for name in [
            "a/x.truth.json",
            "a/x.expected.json",
            "a/x.json",
            "a/x.pdf.json",
        ] {
            assert_eq!(pairing_key(name), "a/x", "{name}");
        }
        assert_eq!(pairing_key("x.truth.pdf.json"), "x.truth");
    }

    #[test]
    fn repeats_of_one_commitment_pair_in_order() {
        let a = |n: u32, code: &str| {
            json!({"phase": "on_site", "section": "module", "module": 1, "number": n,
                   "conformity": code, "annotations": []})
        };
        let gold = json!({"assessments": [a(3, "C"), a(3, "NC_MIN")]});
        let out = json!({"assessments": [a(3, "C"), a(3, "NC_MIN"), a(3, "C")]});
        let t = score_document(&gold, Some(&out), Matching::Exact);
        assert_eq!(
            t.get("assessments"),
            Counts {
                tp: 2,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            t.get("conformity"),
            Counts {
                tp: 2,
                fp: 1,
                fn_: 0
            }
        );
    }

    #[test]
    fn sub_items_pair_by_their_code_when_one_is_missing() {
        let a = |code: &str, conformity: &str| {
            json!({"phase": "on_site", "section": "module", "module": 1, "number": 3,
                   "code": code, "conformity": conformity, "annotations": []})
        };
        let gold = json!({"assessments": [a("E3.1", "C"), a("E3.2", "NC_MIN")]});
        // The output missed E3.1: E3.2 must not be scored against E3.1's verdict.
        let out = json!({"assessments": [a("E3.2", "NC_MIN")]});
        let t = score_document(&gold, Some(&out), Matching::Exact);
        assert_eq!(
            t.get("assessments"),
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            t.get("conformity"),
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
    }
}
