//! Command-line front of audit-extract: parses flags, calls the library, prints what
//! it returns and chooses the exit code. No recognition, batch or analysis logic lives
//! here. The modules under `src/cli/` belong to this binary, not to the library.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[path = "cli/analyze.rs"]
mod analyze;
#[path = "cli/extract.rs"]
mod extract;

use anyhow::Context as _;
use audit_extract::source::Column;
use audit_extract::{output, score};

#[derive(Parser)]
#[command(
    name = "audit-extract",
    version,
    about = "Audit reports of French prefectures (PDF, text) → normalised JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract reports. One FILE prints its JSON to stdout; with --output DIR, every
    /// input (files or directories) is written under DIR with a manifest.
    Extract(extract::ExtractArgs),
    /// Find what recurs across extracted reports.
    Analyze(analyze::AnalyzeArgs),
    /// Print the JSON Schema of the report format.
    Schema,
    /// Show how a file was read: its lines with page, column and coordinates.
    Inspect {
        file: PathBuf,
        /// Write one SVG per page into DIR (words, rules, shading, columns, row bands
        /// labelled with their commitment) instead of printing the lines.
        #[arg(long, value_name = "DIR")]
        svg: Option<PathBuf>,
    },
    /// Compare expected JSON (GOLD) with extracted JSON (OUT) field by field:
    /// precision, recall and F1 per field. A measurement: exit code 0 whatever the scores.
    Score(ScoreArgs),
}

#[derive(clap::Args)]
struct ScoreArgs {
    /// Gold file or directory: x.truth.json, x.expected.json or x.json pairs with
    /// OUT's x.json (same relative path, else same file name).
    gold: PathBuf,
    /// Extracted report file or directory (as `extract --output` writes it).
    out: PathBuf,
    /// Print the scores as JSON (every matching level) instead of a table.
    #[arg(long)]
    json: bool,
    /// Also show each gold file's scores and the fields it loses.
    #[arg(long)]
    per_file: bool,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Extract(args) => extract::run(&args),
        Command::Analyze(args) => analyze::run(&args),
        Command::Schema => output::to_stdout(&output::json_schema()),
        Command::Inspect { file, svg: None } => inspect(&file),
        Command::Inspect {
            file,
            svg: Some(dir),
        } => inspect_svg(&file, &dir),
        Command::Score(args) => run_score(&args),
    }
}

fn run_score(args: &ScoreArgs) -> ExitCode {
    match score::evaluate(&args.gold, &args.out) {
        Ok(evaluation) if args.json => {
            output::to_stdout(&score::render_json(&evaluation, args.per_file))
        }
        Ok(evaluation) => output::to_stdout(&score::render_table(&evaluation, args.per_file)),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The lines a file gives recognition; errors name the file.
fn read_lines(file: &Path) -> anyhow::Result<audit_extract::source::SourceDocument> {
    let bytes = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let (doc, _, _) = audit_extract::load_with(&bytes, &audit_extract::source::ocr::options())
        .with_context(|| file.display().to_string())?;
    Ok(doc)
}

/// Writes `DIR/page-NNN.svg` for each page of a PDF and prints their paths.
fn inspect_svg(file: &Path, dir: &Path) -> ExitCode {
    let run = || -> anyhow::Result<Vec<PathBuf>> {
        let bytes =
            std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
        let pages = audit_extract::inspect::svg_pages(&file.to_string_lossy(), &bytes)
            .with_context(|| file.display().to_string())?;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create directory", dir.display()))?;
        let mut written = Vec::new();
        for p in pages {
            let path = dir.join(format!("page-{:03}.svg", p.page));
            std::fs::write(&path, p.svg)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            written.push(path);
        }
        Ok(written)
    };
    match run() {
        Ok(written) => {
            let list: String = written
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect();
            output::to_stdout(&list)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn inspect(file: &Path) -> ExitCode {
    let doc = match read_lines(file) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(1);
        }
    };
    // Columns by what the template reads in them, then by position ("commitment 1/3").
    let template = audit_extract::recognize::template::auto(&doc.lines);
    let mut page = None;
    let mut text = String::new();
    let evidence = template.detect(&doc.lines).evidence;
    let _ = writeln!(
        text,
        "template: {} ({})",
        template.name(),
        match evidence.is_empty() {
            true => "the default: nothing else detected".to_owned(),
            false => evidence.join("; "),
        }
    );
    for line in &doc.lines {
        if line.page != page || line.number == 1 {
            page = line.page;
            let _ = writeln!(
                text,
                "--- page {}",
                page.map_or("?".into(), |p| p.to_string())
            );
        }
        let _ = match line.position {
            Some(p) => writeln!(
                text,
                "{:>5} {:>7.1} {:>7.1} {:<16} {}",
                line.number,
                p.x,
                p.y,
                match p.column {
                    Column::Full => "full".to_owned(),
                    column => format!("{} {column}", template.role(column).name()),
                },
                line.text
            ),
            None => writeln!(text, "{:>5} {}", line.number, line.text),
        };
    }
    output::to_stdout(&text)
}
