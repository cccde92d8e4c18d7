//! What a run will do, decided before any file is read: the inputs (discovered on
//! the whole argument list, then cut to this shard), the manifest's name, and the rows
//! of an earlier run that `--resume` may keep. Nothing here extracts or writes reports.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::inputs::{self, Input, Shard};
use super::manifest::{self, Row};
use super::{fsio, Config, SetupError};

/// The run as planned.
pub struct Plan {
    /// This shard's inputs, in input order.
    pub inputs: Vec<Input>,
    /// Warnings about the inputs, one line each.
    pub warnings: Vec<String>,
    /// OUT/manifest.jsonl (or the shard's manifest), when there is an OUT.
    pub manifest: Option<PathBuf>,
    /// Rows of an earlier run that `--resume` may keep, by input path.
    pub reusable: HashMap<String, Row>,
    /// Tag of this run's temporary files (shards sharing OUT use different tags).
    pub temp_tag: String,
}

impl Plan {
    /// Creates OUT, discovers the inputs and reads what `--resume` needs. Temporary
    /// files a killed run with the same tag left in OUT are removed.
    pub fn new(config: &Config) -> Result<Plan, SetupError> {
        let output = config.output.as_deref();
        if let Some(out) = output {
            std::fs::create_dir_all(out).map_err(|e| {
                SetupError(format!(
                    "{}: cannot create output directory: {e}",
                    out.display()
                ))
            })?;
        }
        let discovery = inputs::discover(&config.inputs, output);
        let mut all = discovery.inputs;
        if let Some(shard) = config.shard {
            let range = shard.range(all.len());
            all.truncate(range.end);
            all.drain(..range.start);
        }
        let manifest = output.map(|o| o.join(manifest_name(config.shard)));
        let reusable = match (&manifest, config.resume) {
            (Some(m), true) => manifest::reusable_rows(&[m.as_path(), partial_of(m).as_path()]),
            _ => HashMap::new(),
        };
        let temp_tag = config.shard.map_or_else(|| "tmp".to_owned(), |s| s.tag());
        if let Some(out) = output {
            fsio::sweep_temporaries(out, &temp_tag);
        }
        Ok(Plan {
            inputs: all,
            warnings: discovery.warnings,
            manifest,
            reusable,
            temp_tag,
        })
    }
}

/// The manifest's file name in OUT.
fn manifest_name(shard: Option<Shard>) -> String {
    match shard {
        Some(s) => format!("manifest.{}.jsonl", s.tag()),
        None => "manifest.jsonl".to_owned(),
    }
}

/// `manifest.jsonl` → `manifest.jsonl.partial`: where rows go until the run completes.
pub fn partial_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    path.with_file_name(name)
}
