//! Text source: decodes the bytes of a text report (UTF-8 with or without BOM, UTF-16
//! with BOM, Windows-1252 for legacy archives) into numbered lines. CRLF, lone CR and
//! form feeds are accepted; a form feed starts a new page.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::{Format, Line, LineOrder, SourceDocument};
use crate::error::ExtractError;

/// Decodes text bytes, returning the text and the name of the encoding used.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), ExtractError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(ExtractError::Encoding(format!(
                "invalid {} after its byte-order mark",
                encoding.name()
            )));
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), UTF_8.name()));
    }
    if looks_like_utf16_without_bom(bytes) {
        return Err(ExtractError::Encoding(
            "UTF-16 without byte-order mark".into(),
        ));
    }
    // Not UTF-8: legacy archives are Windows-1252 (a superset of Latin-1's printable range).
    let (text, _, _) = WINDOWS_1252.decode(bytes);
    Ok((text.into_owned(), WINDOWS_1252.name()))
}

fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros = sample.iter().filter(|&&b| b == 0).count();
    zeros * 4 > sample.len() && sample.len() >= 8
}

/// True when the bytes are text rather than some binary format: no NUL bytes (unless a
/// UTF-16 BOM explains them) and few control characters.
pub fn is_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return false;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 100 <= sample.len()
}

/// Decodes a text report into lines. Pages are known only when the text has form feeds.
pub fn read(bytes: &[u8]) -> Result<(SourceDocument, &'static str), ExtractError> {
    read_with(bytes, &[])
}

/// [`read`], knowing the grid headings of the report templates (a layout dump's grid
/// heading stays in place when its rows are put in order).
pub fn read_with(
    bytes: &[u8],
    headings: &[super::GridHeading],
) -> Result<(SourceDocument, &'static str), ExtractError> {
    let (text, encoding) = decode(bytes)?;
    let doc = split_lines(&text);
    // A layout-mode dump (pdftotext -layout) keeps a table's columns side by side:
    // its lines are cut into cells by their character columns.
    let doc = if super::layout_text::looks_like_layout(&doc.lines) {
        super::layout_text::position_columns_with(doc, headings)
    } else {
        doc
    };
    Ok((doc, encoding))
}

/// Splits decoded text into numbered lines (CRLF, CR, LF; form feeds start pages).
pub fn split_lines(text: &str) -> SourceDocument {
    let has_form_feeds = text.contains('\u{c}');
    let mut page = 1u32;
    let mut lines = Vec::new();
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, raw) in normalised.split('\n').enumerate() {
        let mut content = String::with_capacity(raw.len());
        let mut page_of_line = page;
        for c in raw.chars() {
            if c == '\u{c}' {
                page += 1;
                if content.trim().is_empty() {
                    page_of_line = page;
                }
            } else {
                content.push(c);
            }
        }
        lines.push(Line {
            number: index + 1,
            page: has_form_feeds.then_some(page_of_line),
            text: content,
            position: None,
        });
    }
    // A file ending in a newline does not have an extra empty line.
    if lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    SourceDocument {
        format: Format::Text,
        pages: has_form_feeds.then_some(page),
        order: LineOrder::Stream,
        lines,
        notes: Vec::new(),
    }
}

/// Numbered lines without page or position, for unit tests of later passes.
#[cfg(test)]
pub(crate) fn plain_lines(texts: &[&str]) -> Vec<Line> {
    split_lines(&texts.join("\n")).lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_supported_encoding() {
        let text = "Préfecture — Note : accueil";
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&utf8_bom).unwrap().0, text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&utf16).unwrap().0, text);
        let (cp1252, _, _) = WINDOWS_1252.encode(text);
        let (decoded, name) = decode(&cp1252).unwrap();
        assert_eq!((decoded.as_str(), name), (text, "windows-1252"));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&utf16be).unwrap().0, text);
    }

    #[test]
    fn form_feeds_and_crlf_make_pages_and_lines() {
        let doc = split_lines("a\r\nb\r\n\u{c}c\rd\n");
        let got: Vec<_> = doc
            .lines
            .iter()
            .map(|l| (l.number, l.page, l.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, Some(1), "a"),
                (2, Some(1), "b"),
                (3, Some(2), "c"),
                (4, Some(2), "d")
            ]
        );
        assert_eq!(doc.pages, Some(2));
    }

    #[test]
    fn binary_is_not_text() {
        assert!(!is_text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(is_text("Module 1\n1. Titre\n".as_bytes()));
    }
}
