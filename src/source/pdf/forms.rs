//! AcroForm check boxes → checkbox glyphs.
//!
//! Some reports tick their cover options (site type, modules, audit type) with real PDF
//! form fields instead of the characters ☒ / ☐. A form field's look lives in its widget
//! annotation, not in the page content, so the content interpreter never sees it and
//! the ticks would be lost. This module reads a page's `/Annots` and turns every check
//! box widget into one glyph at its `/Rect`: '☒' when the box is on, '☐' when it is off.
//! Added before layout, the glyph lands on the line of the label printed next to it, so
//! recognition reads exactly what it reads for checkbox characters.
//!
//! A check box is a widget of a button field (`/FT /Btn`) that is neither a radio button
//! nor a push button (`/Ff` bits 16 and 17). `/FT`, `/Ff` and `/V` may be inherited from
//! the parent fields: the `/Parent` chain is followed at most [`MAX_PARENT_DEPTH`] steps,
//! so a cycle ends. The state is `/AS` when present (on unless `/Off`), else `/V`.
//! Hidden widgets and malformed ones (no `/Rect`, coordinates that are not finite
//! numbers, an empty box) are skipped; nothing here fails or panics.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::Glyph;

/// How many `/Parent` steps an inherited attribute is looked up through.
const MAX_PARENT_DEPTH: usize = 16;
/// At most this many annotations are looked at on one page.
const MAX_ANNOTS: usize = 4096;
/// Field flags (`/Ff`, bits 16 and 17 counted from 1): not check boxes.
const RADIO: i64 = 1 << 15;
const PUSHBUTTON: i64 = 1 << 16;
/// Annotation flags (`/F`, bits 2 and 6): not shown.
const HIDDEN: i64 = 1 << 1;
const NO_VIEW: i64 = 1 << 5;
/// Bounds on the glyph size taken from the widget's height, in points.
const MIN_SIZE: f32 = 4.0;
const MAX_SIZE: f32 = 24.0;

const TICKED: char = '☒';
const UNTICKED: char = '☐';

/// One glyph per visible check box widget of the page, in `/Annots` order.
pub(super) fn checkbox_glyphs(doc: &Document, page_id: ObjectId) -> Vec<Glyph> {
    let annots = doc
        .get_dictionary(page_id)
        .ok()
        .and_then(|page| resolve(doc, page.get(b"Annots").ok()))
        .and_then(|o| o.as_array().ok());
    let Some(annots) = annots else {
        return Vec::new();
    };
    annots
        .iter()
        .take(MAX_ANNOTS)
        .filter_map(|a| resolve(doc, Some(a)).and_then(|o| o.as_dict().ok()))
        .filter_map(|widget| checkbox(doc, widget))
        .collect()
}

fn checkbox(doc: &Document, widget: &Dictionary) -> Option<Glyph> {
    if name(doc, widget.get(b"Subtype").ok())? != b"Widget" {
        return None;
    }
    if int(doc, widget.get(b"F").ok()).unwrap_or(0) & (HIDDEN | NO_VIEW) != 0 {
        return None;
    }
    if name(doc, inherited(doc, widget, b"FT"))? != b"Btn" {
        return None;
    }
    if int(doc, inherited(doc, widget, b"Ff")).unwrap_or(0) & (RADIO | PUSHBUTTON) != 0 {
        return None;
    }
    let rect = resolve(doc, widget.get(b"Rect").ok())?.as_array().ok()?;
    if rect.len() != 4 {
        return None;
    }
    let mut v = [0f32; 4];
    for (slot, o) in v.iter_mut().zip(rect) {
        *slot = resolve(doc, Some(o))?.as_float().ok()?;
        if !slot.is_finite() {
            return None;
        }
    }
    let (x0, x1) = (v[0].min(v[2]), v[0].max(v[2]));
    let (y0, y1) = (v[1].min(v[3]), v[1].max(v[3]));
    if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
        return None;
    }
    let state = match widget.get(b"AS") {
        Ok(as_) => name(doc, Some(as_)),
        Err(_) => name(doc, inherited(doc, widget, b"V")),
    };
    let on = state.is_some_and(|s| s != b"Off");
    let size = (y1 - y0).clamp(MIN_SIZE, MAX_SIZE);
    Some(Glyph {
        x: x0,
        y: y0,
        w: (x1 - x0).min(2.0 * size),
        size,
        ch: if on { TICKED } else { UNTICKED },
    })
}

/// A field attribute of the widget or of its nearest parent field that has it.
fn inherited<'a>(doc: &'a Document, widget: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = widget;
    for _ in 0..MAX_PARENT_DEPTH {
        if let Ok(value) = dict.get(key) {
            return Some(value);
        }
        dict = resolve(doc, dict.get(b"Parent").ok())?.as_dict().ok()?;
    }
    None
}

/// The object itself, or what a reference points to (lopdf bounds the chain).
fn resolve<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(obj?).ok().map(|(_, o)| o)
}

fn name<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a [u8]> {
    resolve(doc, obj)?.as_name().ok()
}

fn int(doc: &Document, obj: Option<&Object>) -> Option<i64> {
    resolve(doc, obj)?.as_i64().ok()
}
