//! What OCR read, written into the report: `source.ocr`, and each assessment's and
//! annotation's `confidence` (the mean Tesseract word confidence of its lines, 0–1).

use crate::model::{OcrInfo, Report};
use crate::source::SourceDocument;

use super::OcrReading;

/// Under this confidence (0–1) an assessment read by OCR is a doubtful place of the
/// quality score (`quality.low_confidence`).
pub const LOW: f64 = 0.7;

fn round(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// Records what OCR read: `source.ocr`, per assessment and annotation a confidence.
pub fn apply(report: &mut Report, doc: &SourceDocument, reading: &OcrReading) {
    report.source.ocr = Some(OcrInfo {
        pages: reading.pages.clone(),
        engine: "tesseract".into(),
        version: reading.version.clone(),
        language: reading.language.clone(),
        confidence: round(reading.confidence),
    });
    let conf_of = |number: usize| {
        reading
            .line_confidence
            .get(number.wrapping_sub(1))
            .copied()
            .flatten()
    };
    let text_of = |number: usize| {
        doc.lines
            .get(number.wrapping_sub(1))
            .map(|l| l.text.as_str())
    };
    for a in &mut report.assessments {
        let range = a.provenance.line_start..=a.provenance.line_end;
        a.confidence = mean(range.clone().filter_map(conf_of));
        for note in &mut a.annotations {
            let words: Vec<&str> = note.text.split_whitespace().collect();
            let mine = range.clone().filter(|&n| {
                text_of(n).is_some_and(|t| {
                    let ws: Vec<&str> = t.split_whitespace().collect();
                    let hits = ws.iter().filter(|w| words.contains(w)).count();
                    !ws.is_empty() && 2 * hits >= ws.len()
                })
            });
            note.confidence = mean(mine.filter_map(conf_of));
        }
    }
}

fn mean(values: impl Iterator<Item = f32>) -> Option<f64> {
    let (mut sum, mut n) = (0.0f32, 0usize);
    for v in values {
        sum += v;
        n += 1;
    }
    (n > 0).then(|| round(sum / n as f32))
}
