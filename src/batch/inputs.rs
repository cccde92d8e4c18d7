//! Input discovery: command-line paths → the sorted list of inputs, each with the
//! output name it gets under OUT.
//!
//! * A file argument is one input; its output is its file name with `.json`.
//! * A directory argument is walked recursively (symbolic links followed, loops
//!   reported); each regular file below it is one input, mirrored under OUT by its
//!   path relative to that directory: `DIR/a/b/x.pdf` → `OUT/a/b/x.json`.
//! * The output directory itself is never walked.
//! * Inputs are sorted by path (component by component), exact repeats dropped.
//! * Two inputs that would write the same output are both kept: each one of a
//!   colliding group is named after its full file name (`x.pdf.json`, `x.txt.json`),
//!   and any name still taken gets `~2`, `~3`… in input order (`x.txt~2.json`).
//!   Only files that may be reports count in a collision: a file whose first bytes
//!   are neither PDF nor plain text (a `.docx`, an image, a `.fodt` or HTML page), or
//!   whose name says PDF, never takes `x.json` from the `x.pdf` beside it. Names
//!   depend only on the whole input set, never on `--jobs` or `--shard`.
//! * A directory argument holding no file that may be a report is said in a warning.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One input file (or one path that could not be walked).
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as given or as found by walking (`ARG/rel`), used to read the file
    /// and recorded in the report and the manifest.
    pub path: PathBuf,
    /// Path relative to its argument (the file name for a file argument).
    pub rel: PathBuf,
    /// Output path relative to OUT, always ending in `.json`.
    pub output: PathBuf,
    /// Set when the path could not be listed (unreadable directory, link loop,
    /// missing argument): the input becomes a `failed` row of kind `io`.
    pub walk_error: Option<String>,
}

impl Input {
    /// The path as a string, for the manifest and reports.
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// The inputs of a run and what is worth telling the user about them.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    /// One line each, for stderr (a directory with no report file in it).
    pub warnings: Vec<String>,
}

/// Finds every input under the arguments, sorted, named and deduplicated.
pub fn discover(args: &[PathBuf], exclude: Option<&Path>) -> Discovery {
    let exclude = exclude.and_then(|p| std::fs::canonicalize(p).ok());
    let mut found: Vec<Input> = Vec::new();
    let mut warnings = Vec::new();
    for arg in args {
        match std::fs::metadata(arg) {
            Err(e) => found.push(unwalkable(arg, arg, e.to_string())),
            Ok(meta) if meta.is_dir() => {
                let first = found.len();
                walk_dir(arg, exclude.as_deref(), &mut found);
                // Sniffing stops at the first file that may be a report: one read a
                // directory in the usual case.
                if !found[first..].iter().any(may_be_report) {
                    warnings.push(format!(
                        "warning: no PDF or text file found under {}",
                        arg.display()
                    ));
                }
            }
            Ok(_) => {
                let rel = arg
                    .file_name()
                    .map_or_else(|| PathBuf::from("input"), PathBuf::from);
                found.push(Input {
                    path: arg.clone(),
                    rel,
                    output: PathBuf::new(),
                    walk_error: None,
                });
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.rel.cmp(&b.rel)));
    found.dedup_by(|b, a| a.path == b.path);
    assign_outputs(&mut found, may_be_report);
    Discovery {
        inputs: found,
        warnings,
    }
}

/// Whether an input may give a report, from its name and first bytes (the same bytes
/// [`crate::sniff`] decides on, so the answer agrees with the run's): PDF or plain
/// text, or a file named `.pdf` (which fails as a damaged PDF if it is none).
/// Unreadable paths count, so that they keep a stable name for a later run.
pub fn may_be_report(input: &Input) -> bool {
    use std::io::Read;
    if input.walk_error.is_some() {
        return true;
    }
    let mut head = Vec::with_capacity(8192);
    let read = std::fs::File::open(&input.path).and_then(|f| f.take(8192).read_to_end(&mut head));
    if read.is_err() {
        return true;
    }
    match crate::sniff_named(&input.path.to_string_lossy(), &head) {
        Ok(_) => true,
        Err(e) => !matches!(e.kind(), "binary" | "not_a_report"),
    }
}

fn unwalkable(path: &Path, root: &Path, message: String) -> Input {
    let rel = path
        .strip_prefix(root)
        .ok()
        .filter(|r| !r.as_os_str().is_empty())
        .map_or_else(
            || {
                path.file_name()
                    .map_or_else(|| PathBuf::from("input"), PathBuf::from)
            },
            Path::to_path_buf,
        );
    Input {
        path: path.to_path_buf(),
        rel,
        output: PathBuf::new(),
        walk_error: Some(message),
    }
}

fn walk_dir(root: &Path, exclude: Option<&Path>, found: &mut Vec<Input>) {
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let message = match e.loop_ancestor() {
                    Some(a) => format!("symbolic link loop back to {}", a.display()),
                    None => e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string),
                };
                found.push(unwalkable(&path, root, message));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            if let Some(ex) = exclude {
                if entry.depth() > 0 && std::fs::canonicalize(entry.path()).is_ok_and(|c| c == ex) {
                    walker.skip_current_dir();
                }
            }
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .map_or_else(|_| PathBuf::from(entry.file_name()), Path::to_path_buf);
        found.push(Input {
            path: entry.into_path(),
            rel,
            output: PathBuf::new(),
            walk_error: None,
        });
    }
}

/// `a/b/x.pdf` → `a/b/x.json`.
fn natural_output(rel: &Path) -> PathBuf {
    rel.with_extension("json")
}

/// `a/b/x.pdf` → `a/b/x.pdf.json`.
fn full_name_output(rel: &Path) -> PathBuf {
    let mut name: OsString = rel
        .file_name()
        .map_or_else(|| OsString::from("input"), ToOwned::to_owned);
    name.push(".json");
    rel.with_file_name(name)
}

/// `a/b/x.pdf.json`, 2 → `a/b/x.pdf~2.json`.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(OsString::new, ToOwned::to_owned);
    let mut name = stem;
    name.push(format!("~{n}.json"));
    path.with_file_name(name)
}

/// Names every input's output. `may_be_report` is asked only of inputs whose natural
/// names collide: in such a group, a lone possible report keeps the natural name and
/// the others (which will be skipped, writing nothing) take their full names.
fn assign_outputs(inputs: &mut [Input], may_be_report: impl Fn(&Input) -> bool) {
    let mut count: HashMap<PathBuf, usize> = HashMap::new();
    for input in inputs.iter() {
        *count.entry(natural_output(&input.rel)).or_default() += 1;
    }
    let mut reports: HashMap<PathBuf, usize> = HashMap::new();
    let mut report_flags = vec![true; inputs.len()];
    for (i, input) in inputs.iter().enumerate() {
        let natural = natural_output(&input.rel);
        if count[&natural] > 1 {
            report_flags[i] = may_be_report(input);
            *reports.entry(natural).or_default() += usize::from(report_flags[i]);
        }
    }
    // First the names nobody else wants, so a renamed input never takes one of them.
    let mut taken: HashSet<PathBuf> = HashSet::new();
    let mut renamed = Vec::new();
    for (i, input) in inputs.iter_mut().enumerate() {
        let natural = natural_output(&input.rel);
        let sole_report = report_flags[i] && reports.get(&natural) == Some(&1);
        if count[&natural] == 1 || sole_report {
            taken.insert(natural.clone());
            input.output = natural;
        } else {
            renamed.push(i);
        }
    }
    for i in renamed {
        let base = full_name_output(&inputs[i].rel);
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = numbered(&base, n);
        }
        taken.insert(name.clone());
        inputs[i].output = name;
    }
}

/// `--shard K/N`: the K-th (1-based) of N contiguous slices of the sorted inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The index range of this shard over `len` sorted inputs. Slices are contiguous
    /// and in order, so the shard manifests concatenated in shard order are the
    /// manifest of an unsharded run.
    pub fn range(&self, len: usize) -> std::ops::Range<usize> {
        let start = (self.index - 1) * len / self.count;
        let end = self.index * len / self.count;
        start..end
    }

    /// Suffix of this shard's files: `shard-03-of-16` (zero-padded so that file names
    /// sort in shard order).
    pub fn tag(&self) -> String {
        let width = self.count.to_string().len();
        format!("shard-{:0width$}-of-{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N (e.g. 2/8), got {s:?}"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("shard index {k:?} is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count {n:?} is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard K/N needs 1 ≤ K ≤ N, got {index}/{count}"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(rels: &[&str]) -> Vec<String> {
        let mut inputs: Vec<Input> = rels
            .iter()
            .map(|r| Input {
                path: PathBuf::from(r),
                rel: PathBuf::from(r),
                output: PathBuf::new(),
                walk_error: None,
            })
            .collect();
        assign_outputs(&mut inputs, |i| !i.rel.to_string_lossy().ends_with(".fodt"));
        inputs
            .iter()
            .map(|i| i.output.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn collisions_keep_both_with_deterministic_names() {
        assert_eq!(named(&["a/x.pdf", "a/y.txt"]), ["a/x.json", "a/y.json"]);
        assert_eq!(named(&["x.pdf", "x.txt"]), ["x.pdf.json", "x.txt.json"]);
        // A renamed input never takes a name another input has naturally.
        assert_eq!(
            named(&["x.pdf", "x.pdf.txt", "x.txt"]),
            ["x.pdf~2.json", "x.pdf.json", "x.txt.json"]
        );
        assert_eq!(named(&["x", "x.json"]), ["x.json", "x.json.json"]);
        assert_eq!(
            named(&["d/x.txt", "d/x.txt"]),
            ["d/x.txt.json", "d/x.txt~2.json"]
        );
    }

    #[test]
    fn files_that_cannot_be_reports_do_not_rename_a_report() {
        assert_eq!(named(&["x.fodt", "x.pdf"]), ["x.fodt.json", "x.json"]);
        assert_eq!(
            named(&["x.fodt", "x.pdf", "x.txt"]),
            ["x.fodt.json", "x.pdf.json", "x.txt.json"]
        );
    }

    #[test]
    fn shards_partition_in_order() {
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        let ranges: Vec<_> = shards.iter().map(|s| s.range(10)).collect();
        assert_eq!(ranges, [0..3, 3..6, 6..10]);
        assert_eq!("3/12".parse::<Shard>().unwrap().tag(), "shard-03-of-12");
        assert!(
            "0/3".parse::<Shard>().is_err()
                && "4/3".parse::<Shard>().is_err()
                && "x".parse::<Shard>().is_err()
        );
    }
}
