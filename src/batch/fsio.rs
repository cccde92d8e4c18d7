//! File writes that a kill at any moment cannot leave half done: the content goes to a
//! temporary file in the destination's own directory (`.NAME.TAG.tmp`), which is then
//! renamed over the destination — an atomic step on POSIX file systems. A killed run
//! can leave temporary files behind (never a partial `.json`); the next run with the
//! same TAG removes them before it starts ([`sweep_temporaries`]).
//!
//! No fsync: the guarantee is against the process dying (crash, `kill -9`), not
//! against power loss.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary sibling of `dest` for writers tagged `tag`.
pub fn temporary_for(dest: &Path, tag: &str) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(dest.file_name().unwrap_or_default());
    name.push(format!(".{tag}.tmp"));
    dest.with_file_name(name)
}

fn is_temporary(name: &str, tag: &str) -> bool {
    name.starts_with('.') && name.ends_with(&format!(".{tag}.tmp"))
}

/// Writes `bytes` to `dest` atomically, creating parent directories.
pub fn write_atomic(dest: &Path, bytes: &[u8], tag: &str) -> io::Result<()> {
    let tmp = temporary_for(dest, tag);
    let write = |tmp: &Path| -> io::Result<()> {
        let mut f = std::fs::File::create(tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(tmp, dest)
    };
    match write(&tmp) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            write(&tmp)
        }
        other => other,
    }
    .inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Removes the temporary files a killed run with the same tag left under `dir`.
/// Returns how many were removed.
pub fn sweep_temporaries(dir: &Path, tag: &str) -> usize {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file()
            && entry
                .file_name()
                .to_str()
                .is_some_and(|n| is_temporary(n, tag))
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_creates_dirs_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("a/b/x.json");
        write_atomic(&dest, b"{}\n", "tmp").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"{}\n");
        assert!(!temporary_for(&dest, "tmp").exists());
        std::fs::write(temporary_for(&dest, "tmp"), b"{").unwrap();
        std::fs::write(temporary_for(&dest, "shard-1-of-2"), b"{").unwrap();
        assert_eq!(sweep_temporaries(dir.path(), "tmp"), 1);
        assert!(temporary_for(&dest, "shard-1-of-2").exists());
    }
}
