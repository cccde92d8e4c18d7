//! `audit-extract analyze`: flags, the one-line summary and the exit code. The analysis
//! itself is the library's ([`audit_extract::analysis`]).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use audit_extract::analysis::concepts::Lexicon;
use audit_extract::analysis::grouping::{GroupingParams, Similarity};
use audit_extract::analysis::vectors::WordVectors;
use audit_extract::analysis::{analyze_semantic, write_all, Params};
use clap::builder::TypedValueParser as _;

/// Flags of `audit-extract analyze`.
#[derive(Debug, Clone, clap::Args)]
pub struct AnalyzeArgs {
    /// Directories of report JSON files (walked recursively; a manifest.jsonl inside is
    /// not read), JSON Lines files, manifests written by `extract` (reports of their ok
    /// rows), or report JSON files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Directory to write the analysis into (created if needed).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Similarity from which two PP (or PS) texts are linked, between 0 and 1; it
    /// governs every link (texts asking different actions, or naming different
    /// channels, are never linked; the commitment plays no part).
    #[arg(long, default_value_t = GroupingParams::default().threshold)]
    pub threshold: f64,
    /// How candidate pairs are compared: cosine of the weighted concept vectors, or
    /// Jaccard index of the concept and word sets.
    #[arg(
        long,
        default_value = "cosine",
        value_parser = clap::builder::PossibleValuesParser::new(["cosine", "jaccard"])
            .map(|s| if s == "jaccard" { Similarity::Jaccard } else { Similarity::Cosine })
    )]
    pub similarity: Similarity,
    /// Two groups merge only when their TF-IDF centroids have at least this cosine,
    /// so one ambiguous text cannot chain two topics (1 = never merge groups; 0 =
    /// plain single linkage).
    #[arg(long, default_value_t = GroupingParams::default().cohesion)]
    pub cohesion: f64,
    /// Two texts link, and two groups join, only when what they are about (their
    /// concepts and words but actions) has at least this cosine: a shared action alone
    /// links nothing (0 = it may).
    #[arg(long, default_value_t = GroupingParams::default().about)]
    pub about: f64,
    /// LSH bands of the MinHash signature (more bands: more candidates, better recall).
    #[arg(long, default_value_t = GroupingParams::default().bands)]
    pub bands: usize,
    /// MinHash values per LSH band (more rows: fewer, surer candidates).
    #[arg(long, default_value_t = GroupingParams::default().rows)]
    pub rows: usize,
    /// Tracks of each kind shown in report.html (the CSV and JSON files list all).
    #[arg(long, default_value_t = 30)]
    pub top: usize,
    /// Count every report, even two copies of one audit (same referential, department,
    /// site and audit dates, assessments largely the same: a PDF and its text dump,
    /// a draft and its final version). By default one copy is kept (duplicates.csv).
    #[arg(long)]
    pub keep_copies: bool,
    /// A TOML file of concepts laid over the built-in lexicon: a concept with a known
    /// `id` replaces it, a new `id` adds one (format: README, "Finding what recurs").
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// French word vectors (written by scripts/vectors/export-fr-vectors.py) as a
    /// second opinion of the grouping: they propose pairs, the lexicon decides.
    #[arg(long, value_name = "FILE")]
    pub vectors: Option<PathBuf>,
}

/// `audit-extract analyze`: exit 0 when reports were analysed (inputs skipped or
/// not), 1 when none could be read or the output could not be written, 2 on bad flags.
pub fn run(args: &AnalyzeArgs) -> ExitCode {
    if !(args.threshold > 0.0 && args.threshold <= 1.0) {
        eprintln!(
            "error: --threshold must be above 0 and at most 1 (got {})",
            args.threshold
        );
        return ExitCode::from(2);
    }
    if args.bands == 0 || args.rows == 0 || args.bands * args.rows > 1024 {
        eprintln!("error: --bands and --rows must be at least 1, with bands × rows at most 1024");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let user_lexicon = match &args.lexicon {
        None => None,
        Some(path) => {
            let loaded = std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| Lexicon::with_user_file(&text));
            match loaded {
                Ok(lexicon) => Some((lexicon, path.display().to_string())),
                Err(e) => {
                    eprintln!("error: {}: not a usable lexicon: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
    };
    let vectors = match &args.vectors {
        None => None,
        Some(path) => match WordVectors::load(path) {
            Ok(v) => Some((v, path.display().to_string())),
            Err(e) => {
                eprintln!("error: {}: not a usable vectors file: {e}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let params = Params {
        grouping: GroupingParams {
            threshold: args.threshold,
            similarity: args.similarity,
            cohesion: args.cohesion,
            about: args.about,
            bands: args.bands,
            rows: args.rows,
        },
        keep_copies: args.keep_copies,
        top: args.top,
    };
    let (lexicon, lexicon_name) = match &user_lexicon {
        Some((lexicon, name)) => (lexicon, name.as_str()),
        None => (Lexicon::builtin(), "built-in"),
    };
    let vectors = vectors.as_ref().map(|(v, name)| (v, name.as_str()));
    let analysis = analyze_semantic(&args.inputs, &params, lexicon, lexicon_name, vectors);
    let read = &analysis.read;
    if analysis.reports.is_empty() {
        eprintln!(
            "error: no report could be read from the inputs ({} skipped); nothing written",
            read.skipped.len()
        );
        return ExitCode::from(1);
    }
    if let Err(e) = write_all(&analysis, &args.output) {
        eprintln!(
            "error: {}: cannot write the analysis: {e}",
            args.output.display()
        );
        return ExitCode::from(1);
    }
    eprintln!(
        "analyzed {} reports ({} inputs skipped, {} duplicates, {} manifest rows not extracted, {} copies of an audit already counted); {} PP and {} PS annotations → {} PP and {} PS recurring tracks, {} persistent; wrote {} in {:.1} s",
        analysis.reports.len(),
        read.skipped.len(),
        read.duplicates.len(),
        read.not_extracted,
        analysis.duplicates.len(),
        analysis.pp_stats.texts,
        analysis.ps_stats.texts,
        analysis.tracks.improvement_tracks.len(),
        analysis.tracks.sensitive_points.len(),
        analysis.persistent.len(),
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    // The process ends here: freeing a large corpus's analysis string by string
    // takes seconds that the operating system spends at once.
    std::mem::forget(analysis);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: AnalyzeArgs,
    }

    #[test]
    fn flag_defaults_are_the_library_defaults() {
        let parsed = Command::try_parse_from(["analyze", "in", "-o", "out"]).unwrap();
        let d = GroupingParams::default();
        let a = parsed.args;
        assert_eq!(
            (
                a.similarity,
                a.threshold,
                a.cohesion,
                a.about,
                a.bands,
                a.rows
            ),
            (
                d.similarity,
                d.threshold,
                d.cohesion,
                d.about,
                d.bands,
                d.rows
            )
        );
        let jaccard =
            Command::try_parse_from(["analyze", "in", "-o", "out", "--similarity", "jaccard"]);
        assert_eq!(jaccard.unwrap().args.similarity, Similarity::Jaccard);
        assert!(
            Command::try_parse_from(["analyze", "in", "-o", "o", "--similarity", "x"]).is_err()
        );
    }
}
