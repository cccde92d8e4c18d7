//! Bad input never panics and gets a clear, one-line error naming the file.

use std::process::Command;

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*(\n\\PC*){0,40}") {
        let _ = audit_extract::extract_bytes("arbitrary.txt", text.as_bytes());
    }

    #[test]
    fn report_like_lines_never_panic(lines in proptest::collection::vec(prop_oneof![
        Just("Module 1".to_owned()), Just("MODULE 4 - RELATIONS".to_owned()), Just("12. Titre".to_owned()),
        Just("PP : piste".to_owned()), Just("Note : x C".to_owned()), Just("C".to_owned()), Just("NC".to_owned()),
        Just("AUDIT A DISTANCE : Internet".to_owned()), Just("COURRIELS".to_owned()), Just("POINTS FORTS".to_owned()),
        Just("PILOTAGE DE LA POLITIQUE QUALITE".to_owned()), Just("Engagements de service".to_owned()), Just(String::new()),
        "\\PC{0,30}",
    ], 0..80)) {
        let text = lines.join("\n");
        let _ = audit_extract::extract_bytes("lines.txt", text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = audit_extract::extract_bytes("bytes.bin", &bytes);
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .args(args)
        .output()
        .expect("run binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_files_get_one_line_errors_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "empty file"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
            "not a text or PDF file (PNG image)",
        ),
        (
            "letter.txt",
            "Bonjour,\nVoici une lettre sans rapport.\n".as_bytes(),
            "not an audit report",
        ),
        ("missing.txt", b"", "cannot read"),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        if name != "missing.txt" {
            std::fs::write(&path, bytes).unwrap();
        }
        let (code, stdout, stderr) = run(&["extract", path.to_str().unwrap()]);
        assert_ne!(code, 0, "{name}");
        assert!(stdout.is_empty(), "{name}: {stdout}");
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(reason),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panick"), "{name}: {stderr}");
    }
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let (code, stdout, _) = run(&["schema"]);
    assert_eq!(code, 0);
    let committed =
        std::fs::read_to_string("docs/report.schema.json").expect("docs/report.schema.json");
    assert_eq!(
        stdout, committed,
        "regenerate with: cargo run -- schema > docs/report.schema.json"
    );
}

#[test]
fn a_reader_that_stops_early_is_no_crash() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let reference = std::fs::read_to_string("fixtures/text/tarn-et-garonne-2022-reference.txt")
        .expect("reference");
    std::fs::write(&big, reference.repeat(8)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .args(["inspect", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader is gone.
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?} {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
