//! Source stage: bytes → decoded lines with their page and position.
//!
//! Every input format yields one [`SourceDocument`], so recognition has a single path.
//! This stage decodes and lays out text; it never interprets what the text means.

pub mod layout_text;
pub mod ocr;
pub mod pdf;
pub mod program;
pub mod text;

use std::fmt;

use serde::Serialize;

/// What the bytes of an input are, sniffed from their content (not the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Pdf,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
        })
    }
}

/// How trustworthy the order of lines is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOrder {
    /// Content-stream order of a plain text extractor: full-width headers may come
    /// after the rows they head, box labels apart from their contents.
    Stream,
    /// Visual order rebuilt from glyph positions: headers precede what they head.
    Visual,
}

/// The table cell a line was read from, by position only: which words head which
/// column is the report template's business, not the source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The `index`-th cell from the left (from 0) of a table row of `of` cells.
    Cell { index: u8, of: u8 },
    /// A row spanning its table (one cell), or text outside any table.
    Full,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Cell { index, of } => write!(f, "{}/{of}", index + 1),
            Column::Full => f.write_str("full"),
        }
    }
}

/// The heading row of a grid as a report template writes it: for each column, left
/// to right, the ways its heading cell starts. The PDF layout finds grids drawn
/// without rules by their heading; the source layer knows no heading of its own.
#[derive(Debug, Clone, Copy)]
pub struct GridHeading {
    pub cells: &'static [&'static [&'static str]],
}

/// Where a line sits on its page, in PDF user space (points, origin bottom-left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position {
    pub x: f32,
    pub y: f32,
    pub column: Column,
}

/// One line of text in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based index of the line in the document's line stream (for text input, the
    /// line number in the file).
    pub number: usize,
    /// 1-based page, when known (PDF input; text input with form feeds).
    pub page: Option<u32>,
    pub text: String,
    pub position: Option<Position>,
}

/// A decoded document, ready for recognition.
#[derive(Debug, Clone)]
pub struct SourceDocument {
    pub format: Format,
    /// Number of pages, when known.
    pub pages: Option<u32>,
    pub order: LineOrder,
    pub lines: Vec<Line>,
    /// What the source stage read with doubt (a layout dump's column cut guessed), for
    /// the report's diagnostics.
    pub notes: Vec<SourceNote>,
}

/// A reading of the source stage that may be wrong: a stable machine-readable code
/// (as a diagnostic's), what was guessed, and the line it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceNote {
    pub code: &'static str,
    pub message: String,
    /// 1-based line number in the input (as [`Line::number`]).
    pub line: usize,
    pub page: Option<u32>,
}
