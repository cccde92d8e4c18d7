//! Output stage: writers over one report type. JSON is pretty-printed with a final
//! newline; JSON Lines puts one report per line. Field order is the struct order, so
//! the same report always gives the same bytes.

use std::io::{self, Write};

use crate::model::Report;

/// The report as pretty JSON, ending in a newline.
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serialises");
    s.push('\n');
    s
}

/// Writes the report as one JSON Lines record.
pub fn write_jsonl(report: &Report, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The JSON Schema of the report, generated from the Rust types.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Report);
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    s.push('\n');
    s
}

/// Writes `text` to stdout for a command-line user. A reader that stops early
/// (`| head`) is no error: the command ends quietly with success. Any other write
/// failure is one line on stderr and exit code 1. (`print!` would panic on both.)
pub fn to_stdout(text: &str) -> std::process::ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
