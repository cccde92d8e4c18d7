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
use source::{Format, SourceDocument};

/// Sniffs the format of a file from its bytes.
pub fn sniff(bytes: &[u8]) -> Result<Format, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    if source::text::is_text(bytes) {
        return Ok(Format::Text);
    }
    Err(ExtractError::Binary(describe_binary(bytes)))
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
pub fn load(bytes: &[u8]) -> Result<(SourceDocument, Option<&'static str>), ExtractError> {
    match sniff(bytes)? {
        Format::Pdf => Ok((source::pdf::read(bytes)?, None)),
        Format::Text => source::text::read(bytes).map(|(doc, enc)| (doc, Some(enc))),
    }
}

/// Extracts a report from bytes; `path` is recorded in the report as given.
pub fn extract_bytes(path: &str, bytes: &[u8]) -> Result<Report, ExtractError> {
    let (doc, encoding) = load(bytes)?;
    let recognized = recognize::recognize(&doc);
    if !recognized.looks_like_a_report() {
        return Err(ExtractError::NotAReport(
            "no cover page, commitment or conclusion recognised".into(),
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
        },
        metadata: recognized.metadata,
        context: recognized.context,
        assessments: recognized.assessments,
        conclusion: recognized.conclusion,
        diagnostics: recognized.diagnostics,
    };
    let found = checks::check(&report);
    report.diagnostics.extend(found);
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
