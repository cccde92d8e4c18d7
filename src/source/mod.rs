//! Source stage: bytes → decoded lines with their page and position.
//!
//! Every input format yields one [`SourceDocument`], so recognition has a single path.
//! This stage decodes and lays out text; it never interprets what the text means.

pub mod pdf;
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

/// The grid column a line was read from, when the layout is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// "Engagements de service": module tag, number and title.
    Commitment,
    /// "Appréciation de l'auditeur — Commentaires": the annotations.
    Appraisal,
    /// "Conformité": the code.
    Conformity,
    /// A row spanning the grid (section, module, channel, phase headers), or text
    /// outside any grid.
    Full,
}

/// Where a line sits on its page, in PDF user space (points, origin bottom-left).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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
}
