//! `audit-extract inspect FILE.pdf --svg DIR`: one well-formed SVG per page, with the
//! row bands of a ruleless grid labelled by the assessment they were read into.

use std::path::Path;
use std::process::Command;

/// A small XML well-formedness check (no crate for it in the tree): every tag closes
/// in order, attributes are quoted, `&` only opens one of the five entities, and there
/// is one root element.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = xml;
    if let Some(after) = rest.strip_prefix("<?xml") {
        rest = &after[after.find("?>").ok_or("unclosed XML declaration")? + 2..];
    }
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        if stack.is_empty() && !rest[..lt].trim().is_empty() {
            return Err("text outside the root element".into());
        }
        let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || "-_:.".contains(c))
        {
            return Err(format!("bad tag name in <{tag}>"));
        }
        check_attributes(&body[name.len()..])?;
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    check_text(rest)?;
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(()),
        (false, _) => Err(format!("unclosed elements {stack:?}")),
        (_, n) => Err(format!("{n} root elements")),
    }
}

fn check_text(text: &str) -> Result<(), String> {
    if text.contains('>') {
        return Err(format!("stray '>' in {text:?}"));
    }
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let entity = &rest[amp..];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .any(|e| entity.starts_with(e))
        {
            return Err(format!(
                "bad entity at {:?}",
                &entity[..entity.len().min(10)]
            ));
        }
        rest = &rest[amp + 1..];
    }
    Ok(())
}

fn check_attributes(mut attrs: &str) -> Result<(), String> {
    loop {
        attrs = attrs.trim_start();
        if attrs.is_empty() {
            return Ok(());
        }
        let eq = attrs
            .find('=')
            .ok_or(format!("attribute without value: {attrs:?}"))?;
        let quote = attrs[eq + 1..]
            .chars()
            .next()
            .ok_or("attribute without value")?;
        if quote != '"' && quote != '\'' {
            return Err(format!("unquoted attribute: {attrs:?}"));
        }
        let end = attrs[eq + 2..]
            .find(quote)
            .ok_or("unclosed attribute value")?
            + eq
            + 2;
        check_text(&attrs[eq + 2..end])?;
        if attrs[eq + 2..end].contains('<') {
            return Err("'<' in an attribute value".into());
        }
        attrs = &attrs[end + 1..];
    }
}

fn pages_of(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    let (doc, _) = audit_extract::load(&bytes).unwrap();
    doc.pages.unwrap() as usize
}

#[test]
fn the_checker_rejects_broken_xml() {
    assert!(well_formed("<svg><g></svg>").is_err());
    assert!(well_formed("<svg a=b/>").is_err());
    assert!(well_formed("<svg>a & b</svg>").is_err());
    assert!(well_formed("<svg/><svg/>").is_err());
    assert!(well_formed(r#"<?xml version="1.0"?><svg a="1"><g/>x &amp; y</svg>"#).is_ok());
}

#[test]
fn one_well_formed_svg_per_page_with_labelled_bands() {
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/styles/finistere-2022-borderless-top.pdf");
    assert!(pdf.exists(), "missing fixture {}", pdf.display());
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .arg("inspect")
        .arg(&pdf)
        .arg("--svg")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = pages_of(&pdf);
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), pages, "one SVG per page: {files:?}");
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listed.lines().count(), pages, "paths printed: {listed}");

    let mut labels: Vec<String> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        assert_eq!(
            f.file_name().unwrap().to_string_lossy(),
            format!("page-{:03}.svg", i + 1)
        );
        let svg = std::fs::read_to_string(f).unwrap();
        well_formed(&svg).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(r#"<g class="words">"#) && svg.contains("<text"));
        for part in svg.split(r#"class="band" data-label=""#).skip(1) {
            labels.push(part[..part.find('"').unwrap()].to_owned());
        }
    }
    // Page 3 holds the first rows, read without rules: its bands name commitments
    // M1 1 to M1 3 (on site), and the grid's columns are drawn.
    let page3 = std::fs::read_to_string(&files[2]).unwrap();
    for id in ["on_site.m1.1", "on_site.m1.2", "on_site.m1.3"] {
        assert!(
            page3.contains(&format!(r#"data-label="{id}" data-kind="inferred""#)),
            "no inferred band labelled {id} on page 3"
        );
    }
    assert!(page3.contains(r#"<g class="columns">"#) && page3.contains("stroke-dasharray=\"6 3\""));
    // Every assessment of the report has a band somewhere.
    let bytes = std::fs::read(&pdf).unwrap();
    let report = audit_extract::extract_bytes("x.pdf", &bytes).unwrap();
    for a in &report.assessments {
        assert!(labels.contains(&a.id), "no band labelled {}", a.id);
    }
}

#[test]
fn a_text_file_is_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let txt = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/text/tarn-et-garonne-2022-reference.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .arg("inspect")
        .arg(&txt)
        .arg("--svg")
        .arg(dir.path().join("svg"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("tarn-et-garonne-2022-reference.txt"), "{err}");
}
