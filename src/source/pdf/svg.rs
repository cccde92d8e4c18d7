//! One SVG per page showing how it was read (`audit-extract inspect FILE.pdf --svg
//! DIR`), after pdfplumber's visual debugging and Camelot's plots: the words (grey
//! boxes and their text), the rules (red), the filled rectangles (shading, blue), the
//! columns of a ruleless grid (dashed green), and each row band of a ruleless grid
//! coloured by the label given to it (the commitment it was read into), inferred
//! bands with a dashed outline, bands cut by rules with a solid one.

use std::fmt::Write as _;

use super::PageView;

/// Fill colours for bands, cycled by label.
const PALETTE: &[&str] = &[
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#800000", "#aaffc3", "#808000",
];

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders one page. `labels`: for each of the page's bands, the label to show
/// (`None`: not read into any commitment).
pub fn render(page: &PageView, labels: &[Option<String>]) -> String {
    let [x0, y0, x1, y1] = page.media_box;
    let (w, h) = ((x1 - x0).abs().max(1.0), (y1 - y0).abs().max(1.0));
    // PDF y grows upwards: flip.
    let fy = |y: f32| y1 - y;
    let fx = |x: f32| x - x0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}" font-family="sans-serif">
<title>page {}</title>
<rect x="0" y="0" width="{w:.1}" height="{h:.1}" fill="white"/>"#,
        page.number
    );
    let _ = writeln!(s, r#"<g class="fills">"#);
    for f in &page.fills {
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#4363d8" fill-opacity="0.15" stroke="#4363d8" stroke-width="0.3"/>"##,
            fx(f[0]),
            fy(f[3]),
            f[2] - f[0],
            f[3] - f[1]
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, r#"<g class="bands">"#);
    let mut colours: Vec<&str> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for l in labels.iter().flatten() {
        if !seen.contains(&l.as_str()) {
            seen.push(l);
        }
    }
    for (i, b) in page.bands.iter().enumerate() {
        let label = labels.get(i).cloned().flatten();
        let colour = match (&label, b.full) {
            (_, true) => "#999999",
            (Some(l), false) => {
                let k = seen.iter().position(|s| s == l).unwrap_or(0);
                PALETTE[k % PALETTE.len()]
            }
            (None, false) => "#000000",
        };
        colours.push(colour);
        let text = match (&label, b.full) {
            (_, true) => "header".to_owned(),
            (Some(l), _) => l.clone(),
            (None, _) => "no commitment".to_owned(),
        };
        let kind = if b.ruled { "ruled" } else { "inferred" };
        let _ = writeln!(
            s,
            r#"<g class="band" data-label="{label}" data-kind="{kind}"><rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-width="0.8"{dash}/><text x="{tx:.1}" y="{ty:.1}" font-size="5" fill="{colour}">{label} ({kind}; lines {lines})</text></g>"#,
            label = escape(&text),
            x = 2.0,
            y = fy(b.top),
            bw = w - 4.0,
            bh = (b.top - b.bottom).max(0.5),
            dash = if b.ruled {
                ""
            } else {
                r#" stroke-dasharray="3 2""#
            },
            tx = 3.0,
            ty = fy(b.top) + 5.0,
            lines = match (b.lines.first(), b.lines.last()) {
                (Some(a), Some(z)) => format!("{a}–{z}"),
                _ => "none".to_owned(),
            },
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, r#"<g class="columns">"#);
    for x in &page.columns {
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" y1="0" x2="{:.1}" y2="{h:.1}" stroke="#3cb44b" stroke-width="0.8" stroke-dasharray="6 3"/>"##,
            fx(*x),
            fx(*x)
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, r#"<g class="rules">"#);
    for r in &page.rules {
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.2}" height="{:.2}" fill="#e6194b"/>"##,
            fx(r[0]),
            fy(r[3]),
            (r[2] - r[0]).max(0.3),
            (r[3] - r[1]).max(0.3)
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, r#"<g class="words">"#);
    for wd in &page.words {
        let size = (wd.y1 - wd.y0).max(1.0);
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#808080" stroke-width="0.2"/><text x="{:.1}" y="{:.1}" font-size="{:.1}" fill="#202020">{}</text>"##,
            fx(wd.x0),
            fy(wd.y1),
            (wd.x1 - wd.x0).max(0.3),
            size,
            fx(wd.x0),
            fy(wd.y0 + 0.2 * size),
            0.8 * size,
            escape(&wd.text)
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(s, "</svg>");
    s
}
