//! A positioned-text interpreter over lopdf's content operators.
//!
//! It follows the graphics state (`q`/`Q`/`cm`), the text state (`BT`/`ET`, `Tf`, `Tm`,
//! `Td`, `TD`, `T*`, `TL`, `Tc`, `Tw`, `Tz`, `Ts`) and the text-showing operators
//! (`Tj`, `TJ`, `'`, `"`), so that every glyph gets its position, advance width and size
//! in PDF user space. Form XObjects are run with their own resources and matrix, under a
//! depth limit and a cycle check. Thin stroked or filled shapes (`re`, `m`/`l`, then
//! `S`/`f`/`B`…) are kept as table rules for the layout stage.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Font, Uni};
use super::lexer::{Lexer, Operand};
use crate::error::ExtractError;

/// How deep Form XObjects may nest before the file is rejected.
const MAX_FORM_DEPTH: usize = 24;
/// How thick a shape may be and still count as a rule, in points.
const RULE_THICKNESS: f32 = 3.0;

/// One glyph, in user space.
#[derive(Debug, Clone, Copy)]
pub(super) struct Glyph {
    /// Origin of the glyph (left end of its baseline).
    pub x: f32,
    pub y: f32,
    /// Advance width.
    pub w: f32,
    /// Font size in user space.
    pub size: f32,
    pub ch: char,
}

/// A thin axis-aligned shape: a table rule, as a box `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// What one page holds.
#[derive(Debug, Default)]
pub(super) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    /// Filled rectangles thicker than a rule (cell shading), as boxes.
    pub fills: Vec<Rule>,
    /// Images painted (XObjects and inline images).
    pub images: usize,
    /// Glyphs not upright (rotated text), left out of the layout.
    pub rotated: usize,
    /// A content stream that could not be read, or read only in part.
    pub broken: bool,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` in PDF's row-vector convention (apply `a`, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Resources in scope: the nearest dictionary first.
type Resources<'a> = Vec<&'a Dictionary>;

/// Runs pages of one document, keeping decoded fonts across pages.
pub(super) struct Interpreter<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    fallback: Rc<Font>,
    limit: usize,
    codes: Vec<(u32, u8)>,
}

/// Per-run mutable state of a content stream.
struct Run {
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<Vec<(f32, f32)>>,
    closed: Vec<bool>,
}

impl<'a> Interpreter<'a> {
    pub(super) fn new(doc: &'a Document, limit: usize) -> Interpreter<'a> {
        Interpreter {
            doc,
            fonts: HashMap::new(),
            fallback: Rc::new(Font::fallback()),
            limit,
            codes: Vec::new(),
        }
    }

    /// Interprets one page.
    pub(super) fn page(&mut self, page_id: ObjectId) -> Result<PageContent, ExtractError> {
        let mut out = PageContent::default();
        let doc = self.doc;
        let mut resources: Resources<'a> = Vec::new();
        if let Ok((direct, ids)) = doc.get_page_resources(page_id) {
            resources.extend(direct);
            resources.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        }
        // Content streams that do not resolve: a damaged or truncated file.
        if doc
            .get_page_contents(page_id)
            .iter()
            .any(|id| doc.get_object(*id).and_then(Object::as_stream).is_err())
        {
            out.broken = true;
        }
        let content = match doc.get_page_content_with_limit(page_id, self.limit) {
            Ok(c) => c,
            Err(_) => {
                out.broken = true;
                return Ok(out);
            }
        };
        let mut forms = Vec::new();
        self.run(
            &content,
            &resources,
            GState::new(IDENTITY),
            0,
            &mut forms,
            &mut out,
        )?;
        Ok(out)
    }

    /// Runs one content stream (a page's, or a form's) from the given graphics state.
    fn run(
        &mut self,
        content: &[u8],
        resources: &Resources<'a>,
        gs: GState,
        depth: usize,
        forms: &mut Vec<ObjectId>,
        out: &mut PageContent,
    ) -> Result<(), ExtractError> {
        let mut run = Run {
            gs,
            stack: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            path: Vec::new(),
            closed: Vec::new(),
        };
        let mut lx = Lexer::new(content);
        while let Some(op) = lx.next_op() {
            self.op(op, &lx, &mut run, resources, depth, forms, out)?;
        }
        if lx.broken {
            out.broken = true;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn op(
        &mut self,
        op: &[u8],
        lx: &Lexer<'_>,
        run: &mut Run,
        resources: &Resources<'a>,
        depth: usize,
        forms: &mut Vec<ObjectId>,
        out: &mut PageContent,
    ) -> Result<(), ExtractError> {
        let a = &lx.operands;
        let num = |i: usize| match a.get(i) {
            Some(Operand::Num(n)) => *n,
            _ => 0.0,
        };
        let string = |i: usize| match a.get(i) {
            Some(Operand::Str(r)) => Some(lx.bytes(r)),
            _ => None,
        };
        let name = |i: usize| match a.get(i) {
            Some(Operand::Name(r)) => Some(lx.bytes(r)),
            _ => None,
        };
        match op {
            // Graphics state.
            b"q" if run.stack.len() < 256 => run.stack.push(run.gs.clone()),
            b"Q" => run.gs = run.stack.pop().unwrap_or_else(|| run.gs.clone()),
            b"cm" if a.len() >= 6 => {
                let m = [num(0), num(1), num(2), num(3), num(4), num(5)];
                run.gs.ctm = mul(&m, &run.gs.ctm);
            }
            // Text objects and state.
            b"BT" => {
                run.tm = IDENTITY;
                run.tlm = IDENTITY;
            }
            b"Tf" => {
                run.gs.size = num(1);
                run.gs.font = name(0).map(|n| self.font(resources, n));
            }
            b"Tc" => run.gs.char_spacing = num(0),
            b"Tw" => run.gs.word_spacing = num(0),
            b"Tz" => run.gs.hscale = num(0) / 100.0,
            b"TL" => run.gs.leading = num(0),
            b"Ts" => run.gs.rise = num(0),
            b"Td" => td(run, num(0), num(1)),
            b"TD" => {
                run.gs.leading = -num(1);
                td(run, num(0), num(1));
            }
            b"Tm" if a.len() >= 6 => {
                run.tlm = [num(0), num(1), num(2), num(3), num(4), num(5)];
                run.tm = run.tlm;
            }
            b"T*" => {
                let l = run.gs.leading;
                td(run, 0.0, -l);
            }
            // Text showing.
            b"Tj" => {
                if let Some(s) = string(0) {
                    self.show(run, s, out);
                }
            }
            b"'" => {
                let l = run.gs.leading;
                td(run, 0.0, -l);
                if let Some(s) = string(0) {
                    self.show(run, s, out);
                }
            }
            b"\"" => {
                run.gs.word_spacing = num(0);
                run.gs.char_spacing = num(1);
                let l = run.gs.leading;
                td(run, 0.0, -l);
                if let Some(s) = string(2) {
                    self.show(run, s, out);
                }
            }
            b"TJ" => {
                for item in a {
                    match item {
                        Operand::Str(r) => self.show(run, lx.bytes(r), out),
                        Operand::Num(n) => {
                            let tx = -n / 1000.0 * run.gs.size * run.gs.hscale;
                            advance(run, tx);
                        }
                        _ => {}
                    }
                }
            }
            // Paths.
            b"m" => {
                let p = apply(&run.gs.ctm, num(0), num(1));
                run.path.push(vec![p]);
                run.closed.push(false);
            }
            b"l" => {
                let p = apply(&run.gs.ctm, num(0), num(1));
                match run.path.last_mut() {
                    Some(sub) => sub.push(p),
                    None => {
                        run.path.push(vec![p]);
                        run.closed.push(false);
                    }
                }
            }
            b"c" | b"v" | b"y" => {
                // Curves are never rules: start a new sub-path at the curve's end point,
                // so no straight segment spans the curve.
                let n = a.len();
                if n >= 2 {
                    let p = apply(&run.gs.ctm, num(n - 2), num(n - 1));
                    run.path.push(vec![p]);
                    run.closed.push(false);
                }
            }
            b"h" => {
                if let Some(c) = run.closed.last_mut() {
                    *c = true;
                }
            }
            b"re" => {
                let (x, y, w, h) = (num(0), num(1), num(2), num(3));
                let m = &run.gs.ctm;
                let pts = vec![
                    apply(m, x, y),
                    apply(m, x + w, y),
                    apply(m, x + w, y + h),
                    apply(m, x, y + h),
                ];
                run.path.push(pts);
                run.closed.push(true);
            }
            b"S" | b"s" => {
                if op == b"s" {
                    if let Some(c) = run.closed.last_mut() {
                        *c = true;
                    }
                }
                stroke_rules(run, out);
                clear_path(run);
            }
            b"f" | b"F" | b"f*" => {
                fill_rules(run, out);
                clear_path(run);
            }
            b"B" | b"B*" | b"b" | b"b*" => {
                stroke_rules(run, out);
                fill_rules(run, out);
                clear_path(run);
            }
            b"n" => clear_path(run),
            // XObjects and images.
            b"Do" => {
                if let Some(n) = name(0) {
                    self.do_xobject(run, resources, n, depth, forms, out)?;
                }
            }
            b"BI" => out.images += 1,
            _ => {}
        }
        Ok(())
    }

    fn font(&mut self, resources: &Resources<'a>, name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        for res in resources {
            let Some(fonts) = deref(doc, res.get(b"Font").ok()).and_then(|o| o.as_dict().ok())
            else {
                continue;
            };
            let Ok(entry) = fonts.get(name) else { continue };
            match entry {
                Object::Reference(id) => {
                    if let Some(f) = self.fonts.get(id) {
                        return f.clone();
                    }
                    let font = match deref(doc, Some(entry)).and_then(|o| o.as_dict().ok()) {
                        Some(dict) => Rc::new(Font::load(doc, dict, self.limit)),
                        None => self.fallback.clone(),
                    };
                    self.fonts.insert(*id, font.clone());
                    return font;
                }
                Object::Dictionary(dict) => return Rc::new(Font::load(doc, dict, self.limit)),
                _ => {}
            }
        }
        self.fallback.clone()
    }

    fn show(&mut self, run: &mut Run, bytes: &[u8], out: &mut PageContent) {
        let font = run.gs.font.clone().unwrap_or_else(|| self.fallback.clone());
        let mut codes = std::mem::take(&mut self.codes);
        font.codes(bytes, &mut codes);
        let gs = &run.gs;
        let (fs, hs) = (gs.size, gs.hscale);
        let mut m = mul(&run.tm, &gs.ctm);
        let upright =
            m[0] > 0.0 && m[3] > 0.0 && m[1].abs() <= 0.05 * m[0] && m[2].abs() <= 0.05 * m[3];
        let x_scale = (m[0] * m[0] + m[1] * m[1]).sqrt();
        let size = (fs * (m[2] * m[2] + m[3] * m[3]).sqrt()).abs();
        for &(code, len) in &codes {
            let w0 = font.width(code);
            let mut tx = w0 * fs + gs.char_spacing;
            if font.is_word_space(code, len) {
                tx += gs.word_spacing;
            }
            tx *= hs;
            let x = m[4] + gs.rise * m[2];
            let y = m[5] + gs.rise * m[3];
            let width = (w0 * fs * hs * x_scale).abs();
            let mut push = |ch: char, x: f32, w: f32| {
                let ch = if ch.is_whitespace() { ' ' } else { ch };
                if ch.is_control() {
                    return;
                }
                if upright {
                    out.glyphs.push(Glyph { x, y, w, size, ch });
                } else if ch != ' ' {
                    out.rotated += 1;
                }
            };
            match font.unicode(code, len) {
                Uni::One(c) => push(*c, x, width),
                Uni::Many(cs) => {
                    let part = width / cs.len() as f32;
                    for (k, c) in cs.iter().enumerate() {
                        push(*c, x + part * k as f32, part);
                    }
                }
                Uni::None => {}
            }
            // Advance the text matrix: tm = T(tx, 0) × tm, and so m = T(tx, 0) × m.
            run.tm[4] += tx * run.tm[0];
            run.tm[5] += tx * run.tm[1];
            m[4] += tx * m[0];
            m[5] += tx * m[1];
        }
        self.codes = codes;
    }

    fn do_xobject(
        &mut self,
        run: &mut Run,
        resources: &Resources<'a>,
        name: &[u8],
        depth: usize,
        forms: &mut Vec<ObjectId>,
        out: &mut PageContent,
    ) -> Result<(), ExtractError> {
        let doc = self.doc;
        let mut found: Option<(Option<ObjectId>, &'a lopdf::Stream)> = None;
        for res in resources {
            let Some(xobjects) =
                deref(doc, res.get(b"XObject").ok()).and_then(|o| o.as_dict().ok())
            else {
                continue;
            };
            let Ok(entry) = xobjects.get(name) else {
                continue;
            };
            let id = entry.as_reference().ok();
            if let Some(stream) = deref(doc, Some(entry)).and_then(|o| o.as_stream().ok()) {
                found = Some((id, stream));
                break;
            }
        }
        let Some((id, stream)) = found else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => {
                out.images += 1;
                return Ok(());
            }
            Ok(b"Form") => {}
            _ => return Ok(()),
        }
        if let Some(id) = id {
            if forms.contains(&id) {
                return Err(ExtractError::PdfRecursion(format!(
                    "Form XObject {} {} R draws itself",
                    id.0, id.1
                )));
            }
        }
        if depth >= MAX_FORM_DEPTH {
            return Err(ExtractError::PdfRecursion(format!(
                "Form XObjects nested more than {MAX_FORM_DEPTH} deep"
            )));
        }
        let matrix = deref(doc, stream.dict.get(b"Matrix").ok())
            .and_then(|o| o.as_array().ok())
            .filter(|a| a.len() == 6)
            .map(|a| {
                let mut m = IDENTITY;
                for (slot, o) in m.iter_mut().zip(a) {
                    *slot = deref(doc, Some(o))
                        .and_then(|o| o.as_float().ok())
                        .unwrap_or(0.0);
                }
                m
            })
            .unwrap_or(IDENTITY);
        let ctm = mul(&matrix, &run.gs.ctm);
        let mut inner: Resources<'a> = Vec::with_capacity(resources.len() + 1);
        if let Some(own) =
            deref(doc, stream.dict.get(b"Resources").ok()).and_then(|o| o.as_dict().ok())
        {
            inner.push(own);
        }
        inner.extend(resources.iter().copied());
        let content = if stream.dict.has(b"Filter") {
            match stream.get_plain_content_with_limit(self.limit) {
                Ok(c) => c,
                Err(_) => {
                    out.broken = true;
                    return Ok(());
                }
            }
        } else {
            stream.content.clone()
        };
        if let Some(id) = id {
            forms.push(id);
        }
        // The form starts from the current graphics state (its font settings included).
        let gs = GState {
            ctm,
            ..run.gs.clone()
        };
        let result = self.run(&content, &inner, gs, depth + 1, forms, out);
        if id.is_some() {
            forms.pop();
        }
        result
    }
}

fn td(run: &mut Run, tx: f32, ty: f32) {
    run.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &run.tlm);
    run.tm = run.tlm;
}

fn advance(run: &mut Run, tx: f32) {
    run.tm[4] += tx * run.tm[0];
    run.tm[5] += tx * run.tm[1];
}

fn clear_path(run: &mut Run) {
    run.path.clear();
    run.closed.clear();
}

fn push_rule(out: &mut PageContent, (ax, ay): (f32, f32), (bx, by): (f32, f32)) {
    if ![ax, ay, bx, by].iter().all(|v| v.is_finite()) {
        return;
    }
    let rule = Rule {
        x0: ax.min(bx),
        y0: ay.min(by),
        x1: ax.max(bx),
        y1: ay.max(by),
    };
    let (w, h) = (rule.x1 - rule.x0, rule.y1 - rule.y0);
    // Thin in one direction, and long enough in the other to matter.
    if w.min(h) <= RULE_THICKNESS && w.max(h) >= 2.0 {
        out.rules.push(rule);
    }
}

fn stroke_rules(run: &Run, out: &mut PageContent) {
    for (sub, closed) in run.path.iter().zip(&run.closed) {
        let mut segments: Vec<((f32, f32), (f32, f32))> =
            sub.windows(2).map(|w| (w[0], w[1])).collect();
        if *closed && sub.len() > 2 {
            segments.push((sub[sub.len() - 1], sub[0]));
        }
        for (p, q) in segments {
            if (p.0 - q.0).abs() < 0.5 || (p.1 - q.1).abs() < 0.5 {
                push_rule(out, p, q);
            }
        }
    }
}

fn fill_rules(run: &Run, out: &mut PageContent) {
    for sub in &run.path {
        if sub.len() < 2 || sub.len() > 6 {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in sub {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        push_rule(out, (x0, y0), (x1, y1));
        let thick = (x1 - x0).min(y1 - y0) > RULE_THICKNESS;
        if thick && [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            out.fills.push(Rule { x0, y0, x1, y1 });
        }
    }
}

/// Follows references (at most eight in a chain, so a reference cycle ends).
pub(super) fn deref<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a Object> {
    let mut obj = obj?;
    for _ in 0..8 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}
