//! Analysis stage: many extracted reports → what recurs across prefectures and years.
//!
//! `audit-extract analyze INPUT... --output DIR` reads report JSONs ([`corpus`]: a
//! directory walked recursively, a JSON Lines file, a `manifest.jsonl` written by
//! `extract`, or one report JSON), one at a time, keeping only what the analysis needs;
//! counts each audit once ([`copies`]); fills the conformity [`matrix`]; groups PP
//! and PS annotations that ask the same thing in other words ([`concepts`],
//! [`grouping`]: concept readings, MinHash/LSH candidates, union-find); ranks the groups and finds persistent
//! tracks ([`tracks`]); and writes the files below ([`mod@write`], [`html`]). A file that
//! is not a report of schema version 1 gets a warning on stderr naming it and the
//! reason, and is skipped; it is never fatal. Output is deterministic: the same inputs
//! give the same bytes.
//!
//! # Inputs
//!
//! - a directory: every `*.json` under it (one report each) and every `*.jsonl` /
//!   `*.ndjson` except `manifest*.jsonl` (the manifest lists the same reports again);
//! - a manifest written by `extract --output` (a file named `manifest*.jsonl`, or whose
//!   first row has `status` and `tool_version`): the reports of its `ok` and
//!   `ok_with_warnings` rows, read from `output` relative to the manifest's directory;
//!   other rows are counted as "not extracted";
//! - a JSON Lines file (first non-blank line is a whole JSON object): one report a line;
//! - any other file: one report.
//!
//! A report whose `source.sha256` was already read is a duplicate: reported, read once.
//! Reports whose bytes differ but that are copies of one audit (a PDF and its text
//! dump, two PDF exports, a draft and its final version: same referential,
//! department, city, site type and audit dates, and at least 70 % of their
//! assessments alike by id and code) are counted once ([`copies`]): the kept one is a
//! final version (signed, or "définitif"/"final" in its source name and no
//! "projet"/"brouillon"/"draft"), then the better-read one (higher `quality.score`), then the one with most coded assessments, fewest
//! warnings, most assessments, first read. The others are listed in
//! `duplicates.csv`. `--keep-copies` counts every report.
//!
//! # Grouping
//!
//! PP and PS annotations are grouped separately ([`grouping`]). Each text is read
//! into concepts of a domain lexicon ([`concepts`]; built-in `lexicon.toml`, which
//! `--lexicon FILE` extends or overrides): the action it asks ("publier",
//! "former", "mesurer / suivre"…), the objects it is about ("réclamations", "boucle
//! magnétique", "courriels"…), who or where ("agents", "accueil"), and residual words
//! weighing little. Texts read the same way are one node. MinHash/LSH over the
//! features proposes candidate pairs (never all pairs). The flags govern, exactly:
//!
//! - `--threshold`: every link. A candidate pair is linked when its similarity
//!   (`--similarity`: cosine of weighted concept vectors, or Jaccard of the feature
//!   sets) reaches it, and the two texts name no conflicting members of a family (two
//!   different actions, two different channels). No other route links texts: the
//!   commitment a text was written under is not used.
//! - `--cohesion`: every join of two groups. Links are applied best first; two groups
//!   join only when the cosine of their centroids reaches it and their families do
//!   not conflict.
//! - `--bands`, `--rows`: which pairs are compared at all (LSH candidates).
//! - `--lexicon`: how texts are read (TOML or CSV); `--top`: how many tracks
//!   `report.html` shows.
//! - `--vectors`: word vectors ([`vectors`]) propose more pairs (SimHash candidates
//!   over the texts' mean vectors); the lexicon still decides each one
//!   ([`grouping::Semantic`]).
//!
//! Each track lists the concepts at least half of its members share (`actions`,
//! `objects`). `tests/analysis.rs` checks each flag still governs what it says, and
//! pairwise precision and recall on the paraphrase sets of `fixtures/paraphrase/`.

//! # Output files
//!
//! CSV files are UTF-8, comma-separated (RFC 4180), with a header row; a cell holding
//! a list joins its items with `;`; an unknown value is an empty cell. Dates are ISO
//! 8601. A commitment code is `m<module>.<number>` for module commitments ("m1.8"),
//! `pilotage.<n>` or `labellisation.<n>`.
//!
//! ## `reports.csv` — corpus index, one row per report (by department code, audit date, file)
//! | column | meaning |
//! |---|---|
//! | `file` | JSON the report was read from (`path:line` for JSON Lines) |
//! | `source_path` | `source.path` of the report: the document it was extracted from |
//! | `department_code`, `department` | official code and name ("82", "Tarn-et-Garonne"), resolved from the report's code or name |
//! | `city`, `site_type`, `referential`, `audit_type`, `audit_origin` | as in the report's metadata (`referential` is its name, e.g. "qual-e-pref") |
//! | `audit_dates` | all audit dates, `;`-separated |
//! | `signature_date` | |
//! | `year` | year of the first audit date (else of the signature date) |
//! | `assessments` | number of assessments |
//! | `c`, `na`, `nc_min`, `nc_maj`, `unrated` | assessments by conformity code (`unrated`: no code) |
//! | `pf`, `ps`, `pp`, `pv`, `note` | annotations by kind |
//! | `sha256` | SHA-256 of the source document |
//! | `copies` | other copies of the same audit not counted for this one (listed in `duplicates.csv`) |
//!
//! ## `commitments.csv` — conformity matrix, long format (`commitments.json`: same data, nested)
//! One row per commitment and scope: first the whole corpus, then each year, then
//! each department. Counts are of assessments (a commitment assessed on site and
//! remotely counts twice) and of their annotations.
//! | column | meaning |
//! |---|---|
//! | `commitment` | commitment code ("m1.8") |
//! | `section`, `module`, `number` | `module` / `pilotage` / `labellisation`; module number (empty outside modules); commitment number |
//! | `title` | the title reports give it most often |
//! | `scope` | `all`, `year` or `department` |
//! | `scope_key` | empty, the year ("2023", "?" when unknown) or the department code (its name when it has no code) |
//! | `scope_label` | empty, the year or the department name |
//! | `assessments`, `c`, `na`, `nc_min`, `nc_maj`, `unrated` | assessments, by conformity code |
//! | `nc_rate` | (`nc_min` + `nc_maj`) / (`c` + `nc_min` + `nc_maj`), three decimals; empty when none is rated |
//! | `ps`, `pp` | PS and PP annotations of those assessments |
//! | `theme` | the most frequent theme of the commitment's assessments, all scopes together (ties: the first by id; the same on each of its rows); empty when none has one (reports written before themes) |
//!
//! ## `themes.csv` — per theme and audit year (`themes.json`: same rows)
//! Each assessment's `theme` comes from its report (its template gives it, whatever
//! the referential), so a Marianne engagement of 2009 and a Qual-e-pref commitment of
//! 2022 about one channel fall on one theme. Reports written before themes existed give
//! none: their assessments are counted under the empty theme, never guessed. One row
//! per theme and year that has assessments, by theme id (the empty theme last), then
//! year ("?" last).
//! | column | meaning |
//! |---|---|
//! | `theme`, `theme_label` | theme id as in report JSON (`accueil_physique`, `telephone`, … `autre`; empty when unknown) and its French name |
//! | `year` | audit year as in `reports.csv` ("?" when unknown) |
//! | `audits` | reports counted with at least one assessment of this theme that year |
//! | `assessments`, `c`, `na`, `nc_min`, `nc_maj`, `unrated` | assessments, by conformity code |
//! | `nc_rate` | as in `commitments.csv` |
//! | `ps`, `pp` | PS and PP annotations of those assessments |
//! | `pp_track_members`, `ps_track_members` | members of PP / PS tracks (`tracks.csv`) whose assessment is of this theme and year |
//!
//! ## `tracks.csv` — recurring tracks, one row per member (`tracks.json`: same, nested)
//! Groups of two annotations or more, PP groups first then PS groups, each by rank:
//! most distinct departments first, then most members.
//! | column | meaning |
//! |---|---|
//! | `kind` | `PP` or `PS` |
//! | `track` | group id: kind and rank ("PP-001") |
//! | `rank`, `size`, `department_count` | rank within its kind; members; distinct departments |
//! | `years`, `commitments` | distinct audit years; commitment codes, most members first (`;`-separated) |
//! | `actions` | why the members are one track: labels of the action concepts at least half of them ask, most shared first (`;`-separated) |
//! | `objects` | and of the object and context concepts at least half of them name |
//! | `representative` | the member text nearest the group's centroid |
//! | `report`, `file` | the member's report: `source.path`, and the JSON it was read from |
//! | `department_code`, `department`, `audit_date` | of that report |
//! | `assessment`, `annotation` | assessment id ("on_site.m1.8") and the annotation's index in it (from 0) |
//! | `commitment` | commitment code of the assessment |
//! | `text` | the annotation as written |
//! | `themes` | themes of the track's members' assessments, most members first, ties by id (`;`-separated; members without a theme not counted) |
//!
//! ## `persistent.csv` — tracks raised again: one row per pair of consecutive audit dates
//! at which one group has a member for the same department and commitment.
//! | column | meaning |
//! |---|---|
//! | `kind`, `track` | `PP`/`PS` and the group id of `tracks.csv` |
//! | `department_code`, `department` | |
//! | `commitment`, `section`, `module`, `number`, `title` | the commitment |
//! | `first_date`, `first_report`, `first_assessment`, `first_text` | earlier audit: date, `source.path`, assessment id, text |
//! | `second_date`, `second_report`, `second_assessment`, `second_text` | later audit, same |
//! | `representative` | the group's representative text |
//!
//! ## `duplicates.csv` — reports not counted, one row each, with the report kept
//! First the same source bytes read twice, then copies of an audit already counted.
//! | column | meaning |
//! |---|---|
//! | `file`, `source_path` | the report not counted: where it was read, and `source.path` (empty for `same_source`) |
//! | `reason` | `same_source` (same SHA-256 as the kept one) or `same_audit` (a copy of the same audit) |
//! | `similarity` | share of assessments alike by id and code (Dice, three decimals); empty for `same_source` |
//! | `kept_file`, `kept_source_path` | the report counted instead (`kept_source_path` empty for `same_source`) |
//! | `department_code`, `department`, `referential`, `audit_dates` | the audit (empty for `same_source`) |
//!
//! ## `report.html`
//! One self-contained page (inline CSS and SVG, no script, no network) in French: the
//! summary (with the copies not counted), top recurring PP and PS tracks with the
//! concepts that tie each one, conformity heat maps (commitment × year,
//! commitment × department), "Par thème" (conformity rate per theme × year, with
//! audits, codes and track members in each cell's tooltip), trends per year, persistent tracks and skipped inputs.

pub mod concepts;
pub mod copies;
pub mod corpus;
pub mod grouping;
pub mod html;
pub mod matrix;
pub mod normalize;
pub mod themes;
pub mod tracks;
pub mod vectors;
pub mod write;

use std::path::{Path, PathBuf};

use concepts::Lexicon;
use corpus::{Digest, ReadSummary, ReportInfo};
use grouping::{GroupingParams, GroupingStats};
use matrix::{CommitmentKey, Counts, KindCounts, Matrix};
use themes::ThemeTable;
use tracks::{Mention, Persistent, PersistentRef};
use write::{TrackParameters, TracksFile};

use crate::model::AnnotationKind;

/// Settings of one analysis.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub grouping: GroupingParams,
    /// Count every report, even copies of an audit already read (`--keep-copies`).
    pub keep_copies: bool,
    /// Tracks of each kind shown in the HTML report.
    pub top: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            grouping: GroupingParams::default(),
            keep_copies: false,
            top: 30,
        }
    }
}

/// One report of the corpus index.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub info: ReportInfo,
    pub counts: Counts,
    pub kinds: KindCounts,
    /// Other copies of the same audit set aside for this one (`duplicates.csv`).
    pub copies: usize,
}

/// A report not counted because another one stands for the same audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub copy: ReportInfo,
    pub kept: ReportInfo,
    /// Share of assessments alike, for a copy of the same audit; `None` for the same
    /// source bytes (same SHA-256).
    pub similarity: Option<f64>,
}

/// Everything the analysis found, before it is written.
pub struct Analysis {
    pub params: Params,
    pub reports: Vec<ReportRow>,
    pub matrix: Matrix,
    pub tracks: TracksFile,
    /// Per theme and audit year (`themes.csv`).
    pub themes: ThemeTable,
    /// Persistent tracks, in output order ([`Analysis::persistent_rows`] resolves them).
    pub persistent: Vec<PersistentRef>,
    pub read: ReadSummary,
    /// Copies of an audit already counted (not the same source bytes: see `read`).
    pub duplicates: Vec<Duplicate>,
    pub pp_stats: GroupingStats,
    pub ps_stats: GroupingStats,
}

impl Analysis {
    /// The rows of persistent.csv, in order, made one at a time.
    pub fn persistent_rows(&self) -> impl Iterator<Item = Persistent> + '_ {
        self.persistent
            .iter()
            .map(|p| p.resolve(&self.tracks, &self.matrix))
    }

    /// The corpus index in output order: by department key, audit date, file.
    pub fn sorted_reports(&self) -> Vec<&ReportRow> {
        let mut rows: Vec<&ReportRow> = self.reports.iter().collect();
        rows.sort_by_cached_key(|r| {
            (
                r.info.department.key(),
                r.info.date().map(str::to_owned),
                r.info.file.clone(),
            )
        });
        rows
    }
}

/// Reads the inputs and analyses them, reading PP and PS texts with the built-in lexicon.
pub fn analyze(inputs: &[PathBuf], params: &Params) -> Analysis {
    analyze_with(inputs, params, Lexicon::builtin(), "built-in")
}

/// Reads the inputs and analyses them, reading PP and PS texts with `lexicon`
/// (`lexicon_name` is recorded in tracks.json).
pub fn analyze_with(
    inputs: &[PathBuf],
    params: &Params,
    lexicon: &Lexicon,
    lexicon_name: &str,
) -> Analysis {
    analyze_semantic(inputs, params, lexicon, lexicon_name, None)
}

/// As [`analyze_with`], with word vectors as the grouping's second opinion when given
/// (`vectors_name`, the file they came from, is recorded in tracks.json).
pub fn analyze_semantic(
    inputs: &[PathBuf],
    params: &Params,
    lexicon: &Lexicon,
    lexicon_name: &str,
    vectors: Option<(&vectors::WordVectors, &str)>,
) -> Analysis {
    let mut digests = Vec::new();
    let read = corpus::read(inputs, |digest: Digest| digests.push(digest));
    let found_copies = if params.keep_copies {
        Vec::new()
    } else {
        copies::find(&digests)
    };
    let mut copy_count = vec![0usize; digests.len()];
    let mut is_copy = vec![false; digests.len()];
    for c in &found_copies {
        copy_count[c.kept] += 1;
        is_copy[c.copy] = true;
    }
    let duplicates: Vec<Duplicate> = found_copies
        .iter()
        .map(|c| Duplicate {
            copy: digests[c.copy].report.clone(),
            kept: digests[c.kept].report.clone(),
            similarity: Some(c.similarity),
        })
        .collect();
    let mut reports = Vec::new();
    let mut matrix = Matrix::default();
    let mut theme_table = ThemeTable::default();
    let mut pp = Vec::new();
    let mut ps = Vec::new();
    for (index, digest) in digests.into_iter().enumerate() {
        if is_copy[index] {
            continue;
        }
        matrix.add(&digest);
        theme_table.add(&digest);
        let (counts, kinds) = matrix::report_counts(&digest);
        let report = reports.len();
        for a in digest.assessments {
            let commitment = CommitmentKey::of(&a);
            for (annotation, kind, text) in a.tracks {
                let mention = Mention {
                    report,
                    assessment: a.id.clone(),
                    annotation,
                    commitment,
                    text,
                    theme: a.theme,
                };
                match kind {
                    AnnotationKind::ImprovementTrack => pp.push(mention),
                    _ => ps.push(mention),
                }
            }
        }
        reports.push(ReportRow {
            info: digest.report,
            counts,
            kinds,
            copies: copy_count[index],
        });
    }
    let infos: Vec<ReportInfo> = reports.iter().map(|r| r.info.clone()).collect();
    let mut persistent = Vec::new();
    let mut kind_tracks = |kind: &str, mentions: &mut [Mention]| {
        let texts: Vec<&str> = mentions.iter().map(|m| m.text.as_str()).collect();
        let semantic = vectors.map(|(v, _)| grouping::Semantic::new(v));
        let grouping = grouping::group_texts_semantic(&texts, &params.grouping, lexicon, semantic);
        let (found, persisting) = tracks::build(kind, mentions, &grouping, &infos, &matrix);
        persistent.extend(persisting);
        (found, grouping.stats)
    };
    let (improvement_tracks, pp_stats) = kind_tracks("PP", &mut pp);
    drop(pp);
    let (sensitive_points, ps_stats) = kind_tracks("PS", &mut ps);
    drop(ps);
    let tracks = TracksFile {
        parameters: TrackParameters {
            similarity: format!("{:?}", params.grouping.similarity).to_lowercase(),
            threshold: params.grouping.threshold,
            cohesion: params.grouping.cohesion,
            about: params.grouping.about,
            bands: params.grouping.bands,
            rows: params.grouping.rows,
            lexicon: lexicon_name.to_owned(),
            concepts: lexicon.concepts.len(),
            reports: reports.len(),
            pp_annotations: pp_stats.texts,
            ps_annotations: ps_stats.texts,
            vectors: vectors.map(|(_, name)| name.to_owned()),
        },
        improvement_tracks,
        sensitive_points,
    };
    theme_table.add_tracks(&tracks);
    persistent.sort_by_cached_key(|p| {
        let (d, c, date, kind, track) = p.sort_key(&tracks);
        (d, c, date.to_owned(), kind, track)
    });
    Analysis {
        params: *params,
        reports,
        matrix,
        tracks,
        themes: theme_table,
        persistent,
        read,
        duplicates,
        pp_stats,
        ps_stats,
    }
}

/// The files written, in order.
pub const OUTPUT_FILES: &[&str] = &[
    "reports.csv",
    "commitments.csv",
    "commitments.json",
    "tracks.json",
    "tracks.csv",
    "persistent.csv",
    "duplicates.csv",
    "themes.csv",
    "themes.json",
    "report.html",
];

/// Writes every output file into `dir`, creating it.
pub fn write_all(analysis: &Analysis, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write::reports_csv(analysis, &dir.join("reports.csv"))?;
    write::commitments_csv(analysis, &dir.join("commitments.csv"))?;
    write::commitments_json(analysis, &dir.join("commitments.json"))?;
    write::tracks_json(analysis, &dir.join("tracks.json"))?;
    write::tracks_csv(analysis, &dir.join("tracks.csv"))?;
    write::persistent_csv(analysis, &dir.join("persistent.csv"))?;
    write::duplicates_csv(analysis, &dir.join("duplicates.csv"))?;
    write::themes_csv(analysis, &dir.join("themes.csv"))?;
    write::themes_json(analysis, &dir.join("themes.json"))?;
    std::fs::write(dir.join("report.html"), html::render(analysis))
}
