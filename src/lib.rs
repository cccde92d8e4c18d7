//! # audit-extract
//!
//! Turns legacy audit reports of French prefectures (Qual-e-pref, Qualipref,
//! Marianne quality-label audits), in PDF or text form, into normalised, versioned
//! JSON, and finds what recurs across many reports.
//!
//! The pipeline reads like the data flows:
//! [`source`] (bytes → decoded lines with page and position) →
//! [`recognize`] (lines → typed [`model::Report`]) → [`checks`] (diagnostics) →
//! [`output`] (JSON, JSON Lines) → [`batch`] (many files) → [`analysis`] (many reports).
//! Beside the pipeline, [`score`] measures extraction quality against gold files.
//!
//! ```no_run
//! let report = audit_extract::extract_file(std::path::Path::new("fixtures/text/report.txt"))?;
//! println!("{} assessments", report.assessments.len());
//! # Ok::<(), audit_extract::error::FileError>(())
//! ```

pub mod analysis;
pub mod batch;
pub mod checks;
pub mod departments;
pub mod error;
pub mod inspect;
pub mod model;
pub mod output;
pub mod recognize;
pub mod score;
pub mod source;
pub mod text;

use std::path::Path;

use sha2::{Digest, Sha256};

use error::{ExtractError, FileError};
use model::{Report, Source, SCHEMA_VERSION};
use source::ocr::{OcrOptions, OcrReading};
use source::{Format, SourceDocument};

/// Sniffs the format of a file from its bytes. Markup (HTML pages, XML documents
/// such as LibreOffice's `.fodt`) is text but no report: it is refused here rather
/// than read with its tags, styles and scripts as if they were the report's words
/// (print such a document to PDF first).
pub fn sniff(bytes: &[u8]) -> Result<Format, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if source::text::is_text(bytes) {
        if let Some(what) = markup_kind(bytes) {
            return Err(ExtractError::NotAReport(format!(
                "{what}, not a report's text: print it to PDF, or save it as text, first"
            )));
        }
        return Ok(Format::Text);
    }
    Err(ExtractError::Binary(describe_binary(bytes)))
}

/// Sniffs a file's format from its bytes, knowing its name: a file named `.pdf` whose
/// bytes are no PDF is a damaged report (`pdf_corrupt`), not a stray file to skip.
pub fn sniff_named(path: &str, bytes: &[u8]) -> Result<Format, ExtractError> {
    let named_pdf = Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    match sniff(bytes) {
        Ok(Format::Text) if named_pdf => Err(ExtractError::NotAPdf("text".into())),
        Err(ExtractError::Binary(what) | ExtractError::NotAReport(what)) if named_pdf => {
            Err(ExtractError::NotAPdf(what))
        }
        other => other,
    }
}

/// "an HTML page" or "an XML document" when the text opens with markup.
fn markup_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = String::from_utf8_lossy(&head[start..]).to_ascii_lowercase();
    if !head.starts_with('<') {
        return None;
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") {
        Some("an HTML page")
    } else if head.starts_with("<?xml") || head.contains("</") || head.contains("/>") {
        Some("an XML document")
    } else {
        None
    }
}

fn describe_binary(bytes: &[u8]) -> String {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"PK\x03\x04", "ZIP archive or office document"),
        (b"\xD0\xCF\x11\xE0", "legacy Microsoft Office document"),
        (b"\x7FELF", "executable"),
        (b"GIF8", "GIF image"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map_or("binary data", |(_, what)| what)
        .to_owned()
}

/// Decodes bytes of either format into lines; returns the text encoding for text input.
/// OCR off.
pub fn load(bytes: &[u8]) -> Result<(SourceDocument, Option<&'static str>), ExtractError> {
    load_with(bytes, &OcrOptions::never()).map(|(doc, enc, _)| (doc, enc))
}

/// [`load`], OCR'ing the pages `ocr` asks for; says what OCR read.
pub fn load_with(
    bytes: &[u8],
    ocr: &OcrOptions,
) -> Result<(SourceDocument, Option<&'static str>, Option<OcrReading>), ExtractError> {
    load_full(bytes, ocr).map(|l| (l.doc, l.encoding, l.ocr))
}

/// What [`load_full`] gives: the lines, the text encoding (text input), what OCR read,
/// and the grid rows inferred without rules (PDF).
struct Loaded {
    doc: SourceDocument,
    encoding: Option<&'static str>,
    ocr: Option<OcrReading>,
    rows_without_rules: usize,
}

fn load_full(bytes: &[u8], ocr: &OcrOptions) -> Result<Loaded, ExtractError> {
    match sniff(bytes)? {
        Format::Pdf => {
            let r =
                source::pdf::read_full(bytes, recognize::template::grid_headings(), ocr, false)?;
            Ok(Loaded {
                doc: r.doc,
                encoding: None,
                ocr: r.ocr,
                rows_without_rules: r.rows_without_rules,
            })
        }
        Format::Text => source::text::read_with(bytes, recognize::template::grid_headings()).map(
            |(doc, enc)| Loaded {
                doc,
                encoding: Some(enc),
                ocr: None,
                rows_without_rules: 0,
            },
        ),
    }
}

/// Extracts a report from bytes; `path` is recorded in the report as given. OCR as
/// this process's options say ([`source::ocr::options`]: `--ocr`, default `auto`).
pub fn extract_bytes(path: &str, bytes: &[u8]) -> Result<Report, ExtractError> {
    extract_bytes_with(path, bytes, &source::ocr::options())
}

/// [`extract_bytes`] with explicit OCR options.
pub fn extract_bytes_with(
    path: &str,
    bytes: &[u8],
    ocr: &OcrOptions,
) -> Result<Report, ExtractError> {
    sniff_named(path, bytes)?;
    let Loaded {
        doc,
        encoding,
        ocr: reading,
        rows_without_rules,
    } = load_full(bytes, ocr)?;
    let recognized = recognize::recognize(&doc);
    let template = recognized.template;
    if !recognized.looks_like_a_report() {
        return Err(ExtractError::NotAReport(
            "no commitment or conclusion recognised".into(),
        ));
    }
    let mut report = Report {
        schema_version: SCHEMA_VERSION.into(),
        source: Source {
            path: path.to_owned(),
            sha256: sha256_hex(bytes),
            format: doc.format.to_string(),
            pages: doc.pages,
            encoding: encoding.map(str::to_owned),
            ocr: None,
        },
        metadata: recognized.metadata,
        context: recognized.context,
        assessments: recognized.assessments,
        conclusion: recognized.conclusion,
        diagnostics: recognized.diagnostics,
        quality: model::Quality {
            rows_without_rules,
            ..Default::default()
        },
    };
    if let Some(reading) = &reading {
        source::ocr::confidence::apply(&mut report, &doc, reading);
    }
    // What the source stage read with doubt (a layout dump's column cut guessed).
    report
        .diagnostics
        .extend(doc.notes.iter().map(|n| model::Diagnostic {
            severity: model::Severity::Info,
            code: n.code.to_owned(),
            message: n.message.clone(),
            provenance: Some(model::Provenance {
                page: n.page,
                line_start: n.line,
                line_end: n.line,
            }),
        }));
    let found = checks::check(&report, template);
    report.diagnostics.extend(found);
    report.quality = checks::quality(&report);
    Ok(report)
}

/// Reads and extracts one file. Errors name the file.
pub fn extract_file(path: &Path) -> Result<Report, FileError> {
    let wrap = |source| FileError {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::read(path).map_err(|e| wrap(ExtractError::Io(e)))?;
    extract_bytes(&path.to_string_lossy(), &bytes).map_err(wrap)
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
