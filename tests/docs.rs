//! The README documents what users rely on; these tests keep it true.

use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string("README.md").expect("README.md")
}

/// The README's table row for `file` lists exactly the CSV's header, in order.
#[test]
fn readme_lists_the_columns_of_every_analysis_csv() {
    let out = tempfile::tempdir().expect("tempdir");
    let status = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .args(["analyze", "fixtures/analysis", "--output"])
        .arg(out.path())
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let readme = readme();
    for file in [
        "reports.csv",
        "commitments.csv",
        "tracks.csv",
        "persistent.csv",
        "duplicates.csv",
    ] {
        let header = std::fs::read_to_string(out.path().join(file))
            .expect("csv")
            .lines()
            .next()
            .expect("header")
            .to_owned();
        let documented = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{file}`")))
            .unwrap_or_else(|| panic!("README has no row for {file}"));
        let columns = documented
            .rsplit('|')
            .nth(1)
            .expect("columns cell")
            .split(',')
            .map(|c| c.trim().trim_matches('`'))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(columns, header, "{file}");
    }
}

#[test]
fn readme_starts_with_the_two_commands_and_ci_runs_the_test_one() {
    let readme = readme();
    let commands: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .skip(1)
        .take(2)
        .collect();
    assert!(
        commands[0].starts_with("cargo run --release -- extract"),
        "{commands:?}"
    );
    let test_command = commands[1].split('#').next().expect("command").trim();
    let ci = std::fs::read_to_string(".ci/run").expect(".ci/run");
    assert_eq!(
        ci.lines().rfind(|l| !l.starts_with('#')).map(str::trim),
        Some(test_command)
    );
}
