//! Where finished inputs go, in input order: the manifest (`.partial` until the run
//! completes) and the JSON Lines stream (a temporary file renamed at the end, or
//! stdout). A run that did not complete leaves both under their temporary names, so a
//! reader never takes a half manifest for a whole one.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::fsio;
use super::plan::{partial_of, Plan};
use super::process::{Line, Outcome};
use super::SetupError;
use crate::model::Report;
use crate::output;

pub struct Sink {
    manifest: Option<(PathBuf, BufWriter<File>)>,
    jsonl: Option<JsonLines>,
}

struct JsonLines {
    writer: BufWriter<Box<dyn Write + Send>>,
    /// (temporary, destination) when writing to a file; `None` for stdout.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Sink {
    /// Opens the manifest (when there is an OUT) and the JSON Lines output (when asked).
    pub fn open(plan: &Plan, jsonl: Option<&Path>) -> Result<Sink, SetupError> {
        let manifest = match &plan.manifest {
            Some(m) => {
                let partial = partial_of(m);
                let file = File::create(&partial).map_err(|e| {
                    SetupError(format!(
                        "{}: cannot write the manifest: {e}",
                        partial.display()
                    ))
                })?;
                Some((m.clone(), BufWriter::with_capacity(1 << 16, file)))
            }
            None => None,
        };
        let jsonl = match jsonl {
            None => None,
            Some(p) if p == Path::new("-") => Some(JsonLines {
                writer: BufWriter::with_capacity(1 << 16, Box::new(io::stdout())),
                rename: None,
            }),
            Some(dest) => {
                let tmp = fsio::temporary_for(dest, &plan.temp_tag);
                let file = File::create(&tmp).map_err(|e| {
                    SetupError(format!("{}: cannot write JSON Lines: {e}", tmp.display()))
                })?;
                Some(JsonLines {
                    writer: BufWriter::with_capacity(1 << 16, Box::new(file)),
                    rename: Some((tmp, dest.to_path_buf())),
                })
            }
        };
        Ok(Sink { manifest, jsonl })
    }

    /// Writes one input's manifest row and JSON Lines record.
    pub fn write(&mut self, outcome: &Outcome) -> Result<(), String> {
        if let Some((_, w)) = &mut self.manifest {
            w.write_all(outcome.row.to_line().as_bytes())
                .map_err(|e| format!("cannot write the manifest: {e}"))?;
        }
        let Some(jsonl) = &mut self.jsonl else {
            return Ok(());
        };
        let w = &mut jsonl.writer;
        match &outcome.line {
            Line::None => Ok(()),
            Line::Memory(line) => w
                .write_all(line.as_bytes())
                .map_err(|e| format!("cannot write JSON Lines: {e}")),
            Line::File(path) => {
                let report: Report = std::fs::read(path)
                    .map_err(|e| e.to_string())
                    .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
                    .map_err(|e| {
                        format!(
                            "{}: cannot read back the report for JSON Lines: {e}",
                            path.display()
                        )
                    })?;
                output::write_jsonl(&report, w).map_err(|e| format!("cannot write JSON Lines: {e}"))
            }
        }
    }

    /// Pushes what was written so far to the files (rows become visible as they go).
    pub fn flush(&mut self) -> Result<(), String> {
        if let Some((_, w)) = &mut self.manifest {
            w.flush()
                .map_err(|e| format!("cannot write the manifest: {e}"))?;
        }
        if let Some(j) = &mut self.jsonl {
            j.writer
                .flush()
                .map_err(|e| format!("cannot write JSON Lines: {e}"))?;
        }
        Ok(())
    }

    /// Closes both outputs; when `complete`, gives them their final names.
    pub fn close(self, complete: bool) -> Result<(), String> {
        let mut first_error = None;
        if let Some((m, w)) = self.manifest {
            let flushed = w
                .into_inner()
                .map_err(|e| e.into_error().to_string())
                .and_then(|f| f.sync_all().map_err(|e| e.to_string()));
            let result = match flushed {
                Ok(()) if complete => std::fs::rename(partial_of(&m), &m)
                    .map_err(|e| format!("{}: cannot rename the manifest: {e}", m.display())),
                Ok(()) => Ok(()),
                Err(e) => Err(format!("{}: cannot write the manifest: {e}", m.display())),
            };
            first_error = result.err();
        }
        if let Some(j) = self.jsonl {
            let result = match j.writer.into_inner() {
                Ok(mut inner) => {
                    let _ = inner.flush();
                    drop(inner);
                    match (j.rename, complete) {
                        (Some((tmp, dest)), true) => std::fs::rename(tmp, &dest).map_err(|e| {
                            format!("{}: cannot rename JSON Lines: {e}", dest.display())
                        }),
                        _ => Ok(()),
                    }
                }
                Err(e) => Err(format!("cannot write JSON Lines: {}", e.into_error())),
            };
            if first_error.is_none() {
                first_error = result.err();
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}
