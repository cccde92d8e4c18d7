//! Fonts: from a PDF font dictionary to "which bytes make one glyph, what Unicode text
//! it stands for, and how wide it is".
//!
//! Covers what office exports use: simple fonts (Type1, TrueType, Type3) with a base
//! encoding and `/Differences`, composite fonts (Type0 over a CIDFont, Identity-H), and
//! `/ToUnicode` CMaps (bfchar, bfrange with an offset or an array), whose codespace
//! ranges say how many bytes a code takes. A decoded font is cached per object id by
//! the interpreter, so each font is parsed once per document.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::content::deref;

/// The text one character code stands for.
#[derive(Debug, Clone, Default)]
pub(super) enum Uni {
    /// No known text: the glyph still occupies space.
    #[default]
    None,
    One(char),
    /// A ligature or a multi-character mapping.
    Many(Box<[char]>),
}

/// A decoded font, ready to turn shown strings into glyphs.
#[derive(Debug)]
pub(super) struct Font {
    /// Codespace ranges `(low, high, bytes)`; empty means one byte per code for simple
    /// fonts and two for composite fonts.
    codespace: Vec<(u32, u32, u8)>,
    composite: bool,
    /// Unicode of one-byte codes (simple fonts, or 1-byte ToUnicode entries).
    byte_uni: Vec<Uni>,
    /// Unicode of multi-byte codes, keyed by `(code, length)`.
    wide_uni: HashMap<(u32, u8), Uni>,
    /// Widths in glyph space (thousandths of the font size), per one-byte code.
    byte_widths: Vec<f32>,
    /// Widths of composite fonts, per CID (Identity: CID = code).
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph space → text space (0.001 except for Type3 fonts).
    scale: f32,
}

impl Font {
    /// A font for a name that does not resolve: one byte per code, Latin-1 text,
    /// half-em widths, so text stays readable and roughly placed.
    pub(super) fn fallback() -> Font {
        let byte_uni = (0u32..256)
            .map(|b| char::from_u32(b).map_or(Uni::None, Uni::One))
            .collect();
        Font {
            codespace: Vec::new(),
            composite: false,
            byte_uni,
            wide_uni: HashMap::new(),
            byte_widths: vec![500.0; 256],
            cid_widths: HashMap::new(),
            default_width: 500.0,
            scale: 0.001,
        }
    }

    /// Decodes a font dictionary. Never fails: missing parts fall back to defaults.
    pub(super) fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
        let subtype = name_of(doc, dict, b"Subtype").unwrap_or_default();
        let composite = subtype == b"Type0";
        let mut font = Font {
            codespace: Vec::new(),
            composite,
            byte_uni: vec![Uni::None; 256],
            wide_uni: HashMap::new(),
            byte_widths: Vec::new(),
            cid_widths: HashMap::new(),
            default_width: if composite { 1000.0 } else { 0.0 },
            scale: 0.001,
        };
        let base_font = name_of(doc, dict, b"BaseFont").unwrap_or_default();
        if composite {
            font.load_cid_widths(doc, dict);
        } else {
            font.load_simple(doc, dict, &subtype, &base_font);
        }
        if let Some(cmap) = deref(doc, dict.get(b"ToUnicode").ok()).and_then(|o| o.as_stream().ok())
        {
            let content = if cmap.dict.has(b"Filter") {
                cmap.get_plain_content_with_limit(limit).unwrap_or_default()
            } else {
                cmap.content.clone()
            };
            font.load_to_unicode(&content);
        }
        font.fix_symbol_font(&base_font);
        font
    }

    /// Splits a shown string into character codes `(code, byte length)`.
    pub(super) fn codes(&self, bytes: &[u8], out: &mut Vec<(u32, u8)>) {
        out.clear();
        if self.codespace.is_empty() {
            if self.composite {
                for pair in bytes.chunks(2) {
                    let code = pair.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b));
                    out.push((code, pair.len() as u8));
                }
            } else {
                out.extend(bytes.iter().map(|b| (u32::from(*b), 1)));
            }
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let mut code = 0u32;
            let mut taken = 0u8;
            let mut matched = false;
            for len in 1..=4u8 {
                let Some(&b) = bytes.get(i + usize::from(len) - 1) else {
                    break;
                };
                code = code << 8 | u32::from(b);
                taken = len;
                if self.in_codespace(code, len) {
                    matched = true;
                    break;
                }
            }
            if !matched {
                // Not in any range: take the shortest range's length (one byte at least).
                let len = self.codespace.iter().map(|r| r.2).min().unwrap_or(1).max(1);
                let len = usize::from(len).min(bytes.len() - i);
                code = bytes[i..i + len]
                    .iter()
                    .fold(0u32, |acc, b| acc << 8 | u32::from(*b));
                taken = len as u8;
            }
            out.push((code, taken));
            i += usize::from(taken);
        }
    }

    fn in_codespace(&self, code: u32, len: u8) -> bool {
        self.codespace.iter().any(|&(low, high, l)| {
            l == len
                && (0..len).all(|k| {
                    let shift = 8 * u32::from(k);
                    let byte = (code >> shift) & 0xFF;
                    (low >> shift) & 0xFF <= byte && byte <= (high >> shift) & 0xFF
                })
        })
    }

    /// The text a code stands for.
    pub(super) fn unicode(&self, code: u32, len: u8) -> &Uni {
        static NONE: Uni = Uni::None;
        if len == 1 {
            if let Some(u) = self.byte_uni.get(code as usize) {
                if !matches!(u, Uni::None) {
                    return u;
                }
            }
        }
        self.wide_uni.get(&(code, len)).unwrap_or(&NONE)
    }

    /// Advance width of a code in text space units (multiply by the font size).
    pub(super) fn width(&self, code: u32) -> f32 {
        let w = if self.composite {
            self.cid_widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width)
        } else {
            match self.byte_widths.get(code as usize) {
                Some(&w) if w > 0.0 => w,
                _ => self.default_width,
            }
        };
        w * self.scale
    }

    /// Whether a code is the single-byte space, which word spacing (`Tw`) applies to.
    pub(super) fn is_word_space(&self, code: u32, len: u8) -> bool {
        len == 1 && code == 32
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary, subtype: &[u8], base_font: &[u8]) {
        let descriptor =
            deref(doc, dict.get(b"FontDescriptor").ok()).and_then(|o| o.as_dict().ok());
        if subtype == b"Type3" {
            if let Some(m) =
                deref(doc, dict.get(b"FontMatrix").ok()).and_then(|o| o.as_array().ok())
            {
                if let Some(a) = m.first().and_then(|o| number(doc, o)) {
                    self.scale = a.abs();
                }
            }
        }
        // Widths: /FirstChar + /Widths, else /MissingWidth, else a half-em guess.
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(|o| number(doc, o))
            .unwrap_or(0.0)
            .max(0.0) as usize;
        let mut widths = vec![0.0f32; 256];
        if let Some(ws) = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok()) {
            for (i, w) in ws.iter().enumerate() {
                if let (Some(slot), Some(w)) = (widths.get_mut(first + i), number(doc, w)) {
                    *slot = w;
                }
            }
        }
        let missing = descriptor
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(|o| number(doc, o))
            .unwrap_or(0.0);
        self.default_width = if missing > 0.0 {
            missing
        } else if subtype == b"Type3" {
            0.0
        } else {
            500.0
        };
        if widths.iter().all(|w| *w == 0.0) {
            if let Some(std) = standard14_width(base_font) {
                widths = std;
            }
        }
        self.byte_widths = widths;

        // Encoding: base table, then differences.
        let symbolic = descriptor
            .and_then(|d| d.get(b"Flags").ok())
            .and_then(|o| number(doc, o))
            .is_some_and(|f| (f as i64) & 4 != 0 && (f as i64) & 32 == 0);
        let enc = deref(doc, dict.get(b"Encoding").ok());
        let (base_name, differences): (Option<&[u8]>, Option<&Vec<Object>>) = match enc {
            Some(Object::Name(n)) => (Some(n.as_slice()), None),
            Some(Object::Dictionary(d)) => (
                d.get(b"BaseEncoding").ok().and_then(|o| o.as_name().ok()),
                deref(doc, d.get(b"Differences").ok()).and_then(|o| o.as_array().ok()),
            ),
            _ => (None, None),
        };
        let base = match base_name {
            Some(b"WinAnsiEncoding") => BaseEncoding::WinAnsi,
            Some(b"MacRomanEncoding") => BaseEncoding::MacRoman,
            Some(b"StandardEncoding") => BaseEncoding::Standard,
            _ if symbolic || is_symbol_name(base_font) => BaseEncoding::Latin1,
            _ if subtype == b"TrueType" => BaseEncoding::WinAnsi,
            _ => BaseEncoding::Standard,
        };
        for code in 0..256u32 {
            self.byte_uni[code as usize] = base.decode(code as u8).map_or(Uni::None, Uni::One);
        }
        if let Some(diffs) = differences {
            let mut code = 0usize;
            for item in diffs {
                match item {
                    Object::Integer(i) => code = (*i).clamp(0, 255) as usize,
                    Object::Real(r) => code = (*r as i64).clamp(0, 255) as usize,
                    Object::Name(name) => {
                        if let Some(slot) = self.byte_uni.get_mut(code) {
                            if let Some(u) = glyph_name_to_uni(name) {
                                *slot = u;
                            }
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }

    fn load_cid_widths(&mut self, doc: &Document, dict: &Dictionary) {
        let Some(descendant) = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| deref(doc, Some(o)))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        if let Some(dw) = descendant.get(b"DW").ok().and_then(|o| number(doc, o)) {
            self.default_width = dw;
        }
        let Some(w) = deref(doc, descendant.get(b"W").ok()).and_then(|o| o.as_array().ok()) else {
            return;
        };
        let mut i = 0;
        while i < w.len() {
            let Some(first) = number(doc, &w[i]) else {
                break;
            };
            let first = first.max(0.0) as u32;
            match w.get(i + 1).and_then(|o| deref(doc, Some(o))) {
                Some(Object::Array(list)) => {
                    for (k, wv) in list.iter().enumerate() {
                        if let Some(wv) = number(doc, wv) {
                            self.cid_widths.insert(first + k as u32, wv);
                        }
                    }
                    i += 2;
                }
                Some(last) => {
                    let (Some(last), Some(wv)) =
                        (number(doc, last), w.get(i + 2).and_then(|o| number(doc, o)))
                    else {
                        break;
                    };
                    let last = (last.max(0.0) as u32).min(first.saturating_add(65_535));
                    if self.cid_widths.len() > MAX_ENTRIES {
                        break;
                    }
                    for cid in first..=last {
                        self.cid_widths.insert(cid, wv);
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    fn load_to_unicode(&mut self, content: &[u8]) {
        let cmap = parse_cmap(content);
        // Simple fonts always take one byte per code, whatever the CMap claims.
        if self.composite && !cmap.codespace.is_empty() {
            self.codespace = cmap.codespace;
        }
        for ((code, len), text) in cmap.map {
            let len = if self.composite || code > 0xFF {
                len
            } else {
                1
            };
            let uni = match text.len() {
                0 => continue,
                1 => Uni::One(text[0]),
                _ => Uni::Many(text.into_boxed_slice()),
            };
            if len == 1 {
                self.byte_uni[code as usize & 0xFF] = uni;
            } else {
                self.wide_uni.insert((code, len), uni);
            }
        }
    }

    /// Symbol fonts (Wingdings, Symbol) often map codes to the private-use area
    /// U+F0xx; turn the few that matter (checkboxes, bullets) into their real
    /// characters.
    fn fix_symbol_font(&mut self, base_font: &[u8]) {
        let name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
        let wingdings = name.contains("wingdings");
        let fix = |c: char| -> Option<char> {
            let c = c as u32;
            let low = if (0xF000..=0xF0FF).contains(&c) {
                c - 0xF000
            } else if wingdings && c < 0x100 {
                c
            } else {
                return None;
            };
            if wingdings {
                match low {
                    0x6F | 0xA8 => Some('\u{2610}'),
                    0xFD => Some('\u{2612}'),
                    0xFE => Some('\u{2611}'),
                    0x9F | 0xA7 => Some('\u{25AA}'),
                    _ => None,
                }
            } else {
                None
            }
        };
        for u in self.byte_uni.iter_mut().chain(self.wide_uni.values_mut()) {
            if let Uni::One(c) = u {
                if let Some(f) = fix(*c) {
                    *u = Uni::One(f);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    /// Symbolic fonts without an encoding: the code itself.
    Latin1,
}

impl BaseEncoding {
    fn decode(self, b: u8) -> Option<char> {
        match self {
            BaseEncoding::Latin1 => {
                if b < 0x20 {
                    None
                } else {
                    Some(char::from(b))
                }
            }
            BaseEncoding::WinAnsi => match b {
                0..=0x1F => None,
                0x7F..=0x9F => windows_1252_high(b),
                0xA0 => Some(' '),
                0xAD => Some('-'),
                _ => Some(char::from(b)),
            },
            BaseEncoding::MacRoman => match b {
                0..=0x1F => None,
                0x20..=0x7E => Some(char::from(b)),
                _ => {
                    let buf = [b];
                    let (s, _, _) = encoding_rs::MACINTOSH.decode(&buf);
                    s.chars().next()
                }
            },
            BaseEncoding::Standard => match b {
                0..=0x1F | 0x7F..=0xA0 => None,
                0x27 => Some('\u{2019}'),
                0x60 => Some('\u{2018}'),
                0x20..=0x7E => Some(char::from(b)),
                _ => STANDARD_HIGH
                    .iter()
                    .find(|(c, _)| *c == b)
                    .map(|(_, ch)| *ch),
            },
        }
    }
}

fn windows_1252_high(b: u8) -> Option<char> {
    if matches!(b, 0x7F | 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
        return Some('\u{2022}');
    }
    let buf = [b];
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&buf);
    s.chars().next()
}

const STANDARD_HIGH: &[(u8, char)] = &[
    (0xA1, '¡'),
    (0xA2, '¢'),
    (0xA3, '£'),
    (0xA4, '⁄'),
    (0xA5, '¥'),
    (0xA6, 'ƒ'),
    (0xA7, '§'),
    (0xA8, '¤'),
    (0xA9, '\''),
    (0xAA, '“'),
    (0xAB, '«'),
    (0xAC, '‹'),
    (0xAD, '›'),
    (0xAE, 'ﬁ'),
    (0xAF, 'ﬂ'),
    (0xB1, '–'),
    (0xB2, '†'),
    (0xB3, '‡'),
    (0xB4, '·'),
    (0xB6, '¶'),
    (0xB7, '•'),
    (0xB8, '‚'),
    (0xB9, '„'),
    (0xBA, '”'),
    (0xBB, '»'),
    (0xBC, '…'),
    (0xBD, '‰'),
    (0xBF, '¿'),
    (0xC1, '`'),
    (0xC2, '´'),
    (0xC3, 'ˆ'),
    (0xC4, '˜'),
    (0xC5, '¯'),
    (0xC6, '˘'),
    (0xC7, '˙'),
    (0xC8, '¨'),
    (0xCA, '˚'),
    (0xCB, '¸'),
    (0xCD, '˝'),
    (0xCE, '˛'),
    (0xCF, 'ˇ'),
    (0xD0, '—'),
    (0xE1, 'Æ'),
    (0xE3, 'ª'),
    (0xE8, 'Ł'),
    (0xE9, 'Ø'),
    (0xEA, 'Œ'),
    (0xEB, 'º'),
    (0xF1, 'æ'),
    (0xF5, 'ı'),
    (0xF8, 'ł'),
    (0xF9, 'ø'),
    (0xFA, 'œ'),
    (0xFB, 'ß'),
];

/// Glyph names of Latin-1 (0xA0..=0xFF), in code order.
const LATIN1_NAMES: [&str; 96] = [
    "space",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "hyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Glyph names of printable ASCII (0x20..=0x7E) that are not the character itself.
const ASCII_NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("exclam", '!'),
    ("quotedbl", '"'),
    ("numbersign", '#'),
    ("dollar", '$'),
    ("percent", '%'),
    ("ampersand", '&'),
    ("quotesingle", '\''),
    ("parenleft", '('),
    ("parenright", ')'),
    ("asterisk", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("hyphen", '-'),
    ("minus", '−'),
    ("period", '.'),
    ("slash", '/'),
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("colon", ':'),
    ("semicolon", ';'),
    ("less", '<'),
    ("equal", '='),
    ("greater", '>'),
    ("question", '?'),
    ("at", '@'),
    ("bracketleft", '['),
    ("backslash", '\\'),
    ("bracketright", ']'),
    ("asciicircum", '^'),
    ("underscore", '_'),
    ("grave", '`'),
    ("braceleft", '{'),
    ("bar", '|'),
    ("braceright", '}'),
    ("asciitilde", '~'),
    ("nbspace", ' '),
    ("sfthyphen", '-'),
    ("OE", 'Œ'),
    ("oe", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Zcaron", 'Ž'),
    ("zcaron", 'ž'),
    ("Ydieresis", 'Ÿ'),
    ("florin", 'ƒ'),
    ("circumflex", 'ˆ'),
    ("tilde", '˜'),
    ("endash", '–'),
    ("emdash", '—'),
    ("quoteleft", '‘'),
    ("quoteright", '’'),
    ("quotesinglbase", '‚'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("quotedblbase", '„'),
    ("dagger", '†'),
    ("daggerdbl", '‡'),
    ("bullet", '•'),
    ("ellipsis", '…'),
    ("perthousand", '‰'),
    ("guilsinglleft", '‹'),
    ("guilsinglright", '›'),
    ("Euro", '€'),
    ("trademark", '™'),
    ("dotlessi", 'ı'),
    ("fraction", '⁄'),
    ("ballotbox", '☐'),
    ("ballotboxwithx", '☒'),
    ("checkbox", '☐'),
];

/// The text a glyph name stands for (Adobe Glyph List subset, `uniXXXX`, `uXXXX`).
fn glyph_name_to_uni(name: &[u8]) -> Option<Uni> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    if base.len() == 1 && base.is_ascii() {
        return Some(Uni::One(base.chars().next()?));
    }
    if let Some(c) = ASCII_NAMES
        .iter()
        .find(|(n, _)| *n == base)
        .map(|(_, c)| *c)
    {
        return Some(Uni::One(c));
    }
    if let Some(i) = LATIN1_NAMES.iter().position(|n| *n == base) {
        return char::from_u32(0xA0 + i as u32).map(Uni::One);
    }
    match base {
        "fi" => return Some(Uni::Many(vec!['f', 'i'].into_boxed_slice())),
        "fl" => return Some(Uni::Many(vec!['f', 'l'].into_boxed_slice())),
        "ff" => return Some(Uni::Many(vec!['f', 'f'].into_boxed_slice())),
        "ffi" => return Some(Uni::Many(vec!['f', 'f', 'i'].into_boxed_slice())),
        "ffl" => return Some(Uni::Many(vec!['f', 'f', 'l'].into_boxed_slice())),
        _ => {}
    }
    if let Some(hex) = base.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let units: Vec<u16> = (0..hex.len())
                .step_by(4)
                .filter_map(|i| u16::from_str_radix(&hex[i..i + 4], 16).ok())
                .collect();
            let chars: Vec<char> = char::decode_utf16(units).filter_map(Result::ok).collect();
            return uni_from_chars(chars);
        }
    }
    if let Some(hex) = base.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(Uni::One);
        }
    }
    None
}

fn uni_from_chars(chars: Vec<char>) -> Option<Uni> {
    match chars.len() {
        0 => None,
        1 => Some(Uni::One(chars[0])),
        _ => Some(Uni::Many(chars.into_boxed_slice())),
    }
}

fn is_symbol_name(base_font: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(base_font).to_ascii_lowercase();
    lower.contains("symbol") || lower.contains("wingdings") || lower.contains("dingbats")
}

/// Widths for the standard 14 fonts when a file omits `/Widths`: Courier is
/// monospaced; for the others an average is close enough for word gaps.
fn standard14_width(base_font: &[u8]) -> Option<Vec<f32>> {
    let name = String::from_utf8_lossy(base_font);
    let name = name.rsplit('+').next().unwrap_or(&name);
    if name.starts_with("Courier") {
        return Some(vec![600.0; 256]);
    }
    if name.starts_with("Helvetica") || name.starts_with("Times") || name.starts_with("Arial") {
        let mut w = vec![500.0f32; 256];
        w[32] = 250.0;
        for (c, slot) in w.iter_mut().enumerate() {
            match c as u8 {
                b'i' | b'l' | b'j' | b'.' | b',' | b':' | b';' | b'\'' | b'!' | b'|' => {
                    *slot = 278.0
                }
                b'm' | b'w' | b'M' | b'W' => *slot = 833.0,
                b'A'..=b'Z' => *slot = 667.0,
                _ => {}
            }
        }
        return Some(w);
    }
    None
}

fn number(doc: &Document, obj: &Object) -> Option<f32> {
    deref(doc, Some(obj))
        .and_then(|o| o.as_float().ok())
        .filter(|f| f.is_finite())
}

fn name_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    deref(doc, dict.get(key).ok())
        .and_then(|o| o.as_name().ok())
        .map(<[u8]>::to_vec)
}

/// Bound on the entries of one CMap or width table, against hostile files.
const MAX_ENTRIES: usize = 200_000;

/// A parsed ToUnicode CMap.
#[derive(Debug, Default)]
struct CMap {
    codespace: Vec<(u32, u32, u8)>,
    map: Vec<((u32, u8), Vec<char>)>,
}

#[derive(Debug)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(&'a [u8]),
}

fn tokenize(s: &[u8]) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match c {
            b'%' => {
                while i < s.len() && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if s.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if s.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                i += 1;
                let mut bytes = Vec::new();
                let mut hi: Option<u8> = None;
                while i < s.len() && s[i] != b'>' {
                    if let Some(v) = (s[i] as char).to_digit(16) {
                        match hi.take() {
                            None => hi = Some(v as u8),
                            Some(h) => bytes.push(h << 4 | v as u8),
                        }
                    }
                    i += 1;
                }
                if let Some(h) = hi {
                    bytes.push(h << 4);
                }
                i += 1;
                toks.push(Tok::Hex(bytes));
            }
            b'[' => {
                toks.push(Tok::Open);
                i += 1;
            }
            b']' => {
                toks.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // Literal strings only appear in the CMap header; skip them.
                let mut depth = 0;
                while i < s.len() {
                    match s[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < s.len() && !s[i].is_ascii_whitespace() && !b"<>[]()%".contains(&s[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                } else {
                    toks.push(Tok::Word(&s[start..i]));
                }
            }
        }
    }
    toks
}

fn be_code(bytes: &[u8]) -> (u32, u8) {
    let bytes = &bytes[bytes.len().saturating_sub(4)..];
    (
        bytes.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)),
        bytes.len().max(1) as u8,
    )
}

fn utf16_chars(bytes: &[u8]) -> Vec<char> {
    let units = bytes.chunks(2).map(|p| {
        if p.len() == 2 {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from(p[0])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Parses the parts of a ToUnicode CMap that map codes to text.
fn parse_cmap(content: &[u8]) -> CMap {
    let toks = tokenize(content);
    let mut cmap = CMap::default();
    let mut i = 0;
    let hex = |t: Option<&Tok>| -> Option<Vec<u8>> {
        match t {
            Some(Tok::Hex(h)) => Some(h.clone()),
            _ => None,
        }
    };
    while i < toks.len() && cmap.map.len() <= MAX_ENTRIES {
        match toks[i] {
            Tok::Word(b"begincodespacerange") => {
                i += 1;
                while let (Some(lo), Some(hi)) = (hex(toks.get(i)), hex(toks.get(i + 1))) {
                    let (lo_code, len) = be_code(&lo);
                    let (hi_code, _) = be_code(&hi);
                    cmap.codespace.push((lo_code, hi_code, len));
                    i += 2;
                }
            }
            Tok::Word(b"beginbfchar") => {
                i += 1;
                while let (Some(src), Some(dst)) = (hex(toks.get(i)), hex(toks.get(i + 1))) {
                    if !src.is_empty() {
                        cmap.map.push((be_code(&src), utf16_chars(&dst)));
                    }
                    i += 2;
                }
            }
            Tok::Word(b"beginbfrange") => {
                i += 1;
                while let (Some(lo), Some(hi)) = (hex(toks.get(i)), hex(toks.get(i + 1))) {
                    i += 2;
                    if lo.is_empty() || cmap.map.len() > MAX_ENTRIES {
                        break;
                    }
                    let (lo_code, len) = be_code(&lo);
                    let (hi_code, _) = be_code(&hi);
                    // Bound ranges so a hostile CMap cannot ask for billions of entries.
                    let hi_code = hi_code.min(lo_code.saturating_add(0xFFFF));
                    match toks.get(i) {
                        Some(Tok::Hex(dst)) => {
                            let base = utf16_chars(dst);
                            i += 1;
                            if hi_code < lo_code || base.is_empty() {
                                continue;
                            }
                            for (k, code) in (lo_code..=hi_code).enumerate() {
                                let mut text = base.clone();
                                if let Some(last) = text.last_mut() {
                                    *last = char::from_u32(*last as u32 + k as u32)
                                        .unwrap_or('\u{FFFD}');
                                }
                                cmap.map.push(((code, len), text));
                            }
                        }
                        Some(Tok::Open) => {
                            i += 1;
                            let mut code = lo_code;
                            while let Some(Tok::Hex(dst)) = toks.get(i) {
                                if code <= hi_code {
                                    cmap.map.push(((code, len), utf16_chars(dst)));
                                }
                                code = code.saturating_add(1);
                                i += 1;
                            }
                            if matches!(toks.get(i), Some(Tok::Close)) {
                                i += 1;
                            }
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_bfchar_bfrange_and_arrays() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <00> <FF> endcodespacerange\n\
            2 beginbfchar <01> <0041> <02> <00660069> endbfchar\n\
            2 beginbfrange <10> <12> <0061> <20> <21> [<2610> <2612>] endbfrange\n\
            endcmap";
        let cmap = parse_cmap(src);
        assert_eq!(cmap.codespace, vec![(0, 0xFF, 1)]);
        let get = |c: u32| {
            cmap.map
                .iter()
                .find(|(k, _)| *k == (c, 1))
                .map(|(_, v)| v.iter().collect::<String>())
        };
        assert_eq!(get(1).as_deref(), Some("A"));
        assert_eq!(get(2).as_deref(), Some("fi"));
        assert_eq!(get(0x12).as_deref(), Some("c"));
        assert_eq!(get(0x20).as_deref(), Some("☐"));
        assert_eq!(get(0x21).as_deref(), Some("☒"));
    }

    #[test]
    fn two_byte_codespace_splits_codes() {
        let mut font = Font::fallback();
        font.composite = true;
        font.load_to_unicode(b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0003> <00E9> endbfchar");
        let mut codes = Vec::new();
        font.codes(&[0, 3, 0, 3], &mut codes);
        assert_eq!(codes, vec![(3, 2), (3, 2)]);
        assert!(matches!(font.unicode(3, 2), Uni::One('é')));
    }

    #[test]
    fn glyph_names() {
        assert!(matches!(glyph_name_to_uni(b"eacute"), Some(Uni::One('é'))));
        assert!(matches!(glyph_name_to_uni(b"uni2610"), Some(Uni::One('☐'))));
        assert!(matches!(
            glyph_name_to_uni(b"quoteright"),
            Some(Uni::One('’'))
        ));
        assert!(matches!(glyph_name_to_uni(b"A.sc"), Some(Uni::One('A'))));
        assert!(glyph_name_to_uni(b"g123").is_none());
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.decode(0xE9), Some('é'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x92), Some('’'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x80), Some('€'));
        assert_eq!(BaseEncoding::MacRoman.decode(0x8E), Some('é'));
        assert_eq!(BaseEncoding::Standard.decode(0x27), Some('’'));
        assert_eq!(BaseEncoding::Standard.decode(0xFB), Some('ß'));
    }
}
