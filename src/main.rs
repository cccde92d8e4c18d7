//! Command-line front of audit-extract: parses flags, calls the library, prints what
//! it returns and chooses the exit code. No recognition, batch or analysis logic lives
//! here. The modules under `src/cli/` belong to this binary, not to the library.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[path = "cli/extract.rs"]
mod extract;

use audit_extract::{analysis, output};

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
    Analyze(analysis::AnalyzeArgs),
    /// Print the JSON Schema of the report format.
    Schema,
    /// Show how a file was read: its lines with page, column and coordinates.
    Inspect { file: PathBuf },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Extract(args) => extract::run(&args),
        Command::Analyze(args) => analysis::run(&args),
        Command::Schema => output::to_stdout(&output::json_schema()),
        Command::Inspect { file } => inspect(&file),
    }
}

fn inspect(file: &Path) -> ExitCode {
    let doc = match std::fs::read(file)
        .map_err(Into::into)
        .and_then(|bytes| audit_extract::load(&bytes))
    {
        Ok((doc, _)) => doc,
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    let mut page = None;
    let mut text = String::new();
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
                "{:>5} {:>7.1} {:>7.1} {:<10} {}",
                line.number,
                p.x,
                p.y,
                format!("{:?}", p.column).to_lowercase(),
                line.text
            ),
            None => writeln!(text, "{:>5} {}", line.number, line.text),
        };
    }
    output::to_stdout(&text)
}
