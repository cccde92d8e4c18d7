//! Visual debugging of a PDF's reading: one SVG per page (`inspect --svg DIR`), each
//! row band of a ruleless grid labelled with the assessment its lines were read into.

use crate::error::ExtractError;
use crate::source::pdf::{self, svg, PageView};
use crate::source::Format;

/// One rendered page: its number and its SVG text.
#[derive(Debug, Clone)]
pub struct PageSvg {
    pub page: u32,
    pub svg: String,
}

/// Renders every page of a PDF (`path` as given, for the report's provenance). A
/// band's label is the id of the assessment (`on_site.m1.4`) holding most of its
/// lines, or "no commitment".
pub fn svg_pages(path: &str, bytes: &[u8]) -> Result<Vec<PageSvg>, ExtractError> {
    if crate::sniff_named(path, bytes)? != Format::Pdf {
        return Err(ExtractError::NotAPdf("text".into()));
    }
    let views = pdf::read_full(
        bytes,
        crate::recognize::template::grid_headings(),
        &crate::source::ocr::options(),
        true,
    )?
    .views;
    // A file that is no report still shows its words, rules and bands.
    let spans: Vec<(usize, usize, String)> = match crate::extract_bytes(path, bytes) {
        Ok(report) => report
            .assessments
            .iter()
            .map(|a| (a.provenance.line_start, a.provenance.line_end, a.id.clone()))
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(views
        .iter()
        .map(|v| PageSvg {
            page: v.number,
            svg: svg::render(v, &labels(v, &spans)),
        })
        .collect())
}

/// For each band of a page, the assessment most of its lines went to.
fn labels(view: &PageView, spans: &[(usize, usize, String)]) -> Vec<Option<String>> {
    view.bands
        .iter()
        .map(|b| {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for n in &b.lines {
                if let Some((_, _, id)) = spans.iter().find(|(s, e, _)| s <= n && n <= e) {
                    match counts.iter_mut().find(|(k, _)| k == id) {
                        Some(c) => c.1 += 1,
                        None => counts.push((id, 1)),
                    }
                }
            }
            counts
                .iter()
                .max_by_key(|(_, c)| *c)
                .map(|(id, _)| (*id).to_owned())
        })
        .collect()
}
