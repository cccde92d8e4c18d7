//! The one public error type. Each variant is a distinct, stable `kind` that the batch
//! manifest records, and its message says what is wrong in one line.

use std::path::PathBuf;

use thiserror::Error;

/// Why a file could not be turned into a report.
#[derive(Debug, Error)]
pub enum ExtractError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("empty file")]
    Empty,
    #[error("file too large ({size} bytes, limit {limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a text or PDF file ({0})")]
    Binary(String),
    #[error("text encoding not recognised: {0}")]
    Encoding(String),
    #[error("not an audit report: {0}")]
    NotAReport(String),
    #[error("PDF is encrypted: password required")]
    PdfPasswordRequired,
    #[error("PDF has no text layer — OCR needed (scanned report?)")]
    PdfNoTextLayer,
    #[error("PDF has zero pages")]
    PdfZeroPages,
    #[error("PDF is truncated or corrupt and could not be repaired: {0}")]
    PdfCorrupt(String),
    /// A file named `.pdf` whose bytes are something else: a damaged report.
    #[error("named .pdf but its bytes are not a PDF ({0})")]
    NotAPdf(String),
    #[error("PDF structure too deep or recursive: {0}")]
    PdfRecursion(String),
    #[error("internal error while reading the file (please report it): {0}")]
    Panic(String),
    /// A text layer whose letters are no language (fonts without a usable ToUnicode,
    /// private-use code points) while OCR is off (`--ocr never`).
    #[error("PDF text layer is garbled ({0}) — OCR needed (--ocr auto)")]
    PdfGarbledText(String),
    /// Pages need OCR but Tesseract (or its French data) cannot be run.
    #[error("OCR unavailable: {0}")]
    OcrUnavailable(String),
    /// Tesseract ran but failed on a page, or overran the per-page timeout.
    #[error("OCR failed: {0}")]
    OcrFailed(String),
}

impl ExtractError {
    /// Stable machine-readable name of the error, written to manifests.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Io(_) => "io",
            ExtractError::Empty => "empty",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Binary(_) => "binary",
            ExtractError::Encoding(_) => "encoding",
            ExtractError::NotAReport(_) => "not_a_report",
            ExtractError::PdfPasswordRequired => "pdf_password_required",
            ExtractError::PdfNoTextLayer => "pdf_no_text_layer",
            ExtractError::PdfZeroPages => "pdf_zero_pages",
            ExtractError::PdfCorrupt(_) | ExtractError::NotAPdf(_) => "pdf_corrupt",
            ExtractError::PdfRecursion(_) => "pdf_recursion",
            ExtractError::Panic(_) => "panic",
            ExtractError::PdfGarbledText(_) => "pdf_garbled_text",
            ExtractError::OcrUnavailable(_) => "ocr_unavailable",
            ExtractError::OcrFailed(_) => "ocr_failed",
        }
    }
}

/// An error tied to the file it happened in: what users see.
#[derive(Debug, Error)]
#[error("{}: {source}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    #[source]
    pub source: ExtractError,
}
