//! A content-stream lexer: operands and operators, without building objects.
//!
//! lopdf's `Content::decode` builds a full `Object` tree for every operand and spends
//! most of the reading time there; text extraction needs only numbers, strings, names
//! and array brackets. Strings and names are decoded into an arena reused from one
//! operator to the next, so lexing allocates nothing in the steady state. Dictionaries
//! (marked-content properties) and inline image data are skipped.

use std::ops::Range;

/// One operand of a content operator.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Operand {
    Num(f32),
    /// A string's bytes, in the lexer's arena.
    Str(Range<usize>),
    /// A name's bytes (without the slash, `#xx` decoded), in the arena.
    Name(Range<usize>),
    /// `[` and `]` (arrays are flattened).
    Open,
    Close,
    /// Anything else: booleans, null, dictionaries.
    Other,
}

/// Bound on the operands gathered before an operator; a stream past it is malformed.
const MAX_OPERANDS: usize = 65_536;

pub(super) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// Operands of the operator last returned.
    pub operands: Vec<Operand>,
    /// Bytes of the strings and names in `operands`.
    pub arena: Vec<u8>,
    /// Set when the stream held something that could not be lexed (an unterminated
    /// string or inline image): lexing stopped there.
    pub broken: bool,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0C' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            pos: 0,
            operands: Vec::with_capacity(16),
            arena: Vec::with_capacity(256),
            broken: false,
        }
    }

    /// The bytes of a string or name operand.
    pub(super) fn bytes(&self, r: &Range<usize>) -> &[u8] {
        &self.arena[r.clone()]
    }

    /// Reads up to the next operator; its operands are left in `operands`.
    pub(super) fn next_op(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.arena.clear();
        let data = self.data;
        loop {
            self.skip_white();
            let &b = data.get(self.pos)?;
            match b {
                b'(' => {
                    let r = self.literal_string()?;
                    self.operands.push(Operand::Str(r));
                }
                b'<' if data.get(self.pos + 1) == Some(&b'<') => {
                    self.skip_dict()?;
                    self.operands.push(Operand::Other);
                }
                b'<' => {
                    let r = self.hex_string()?;
                    self.operands.push(Operand::Str(r));
                }
                b'[' => {
                    self.pos += 1;
                    self.operands.push(Operand::Open);
                }
                b']' => {
                    self.pos += 1;
                    self.operands.push(Operand::Close);
                }
                b'/' => {
                    let r = self.name();
                    self.operands.push(Operand::Name(r));
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    let n = self.number();
                    self.operands.push(Operand::Num(n));
                }
                b')' | b'>' | b'{' | b'}' => self.pos += 1,
                _ => {
                    let word = self.word();
                    match word {
                        b"true" | b"false" | b"null" => self.operands.push(Operand::Other),
                        b"BI" => {
                            self.skip_inline_image()?;
                            self.operands.clear();
                            self.arena.clear();
                            return Some(b"BI");
                        }
                        _ => return Some(word),
                    }
                }
            }
            if self.operands.len() > MAX_OPERANDS {
                self.operands.clear();
                self.arena.clear();
            }
        }
    }

    fn skip_white(&mut self) {
        let data = self.data;
        while self.pos < data.len() {
            match data[self.pos] {
                b if is_white(b) => self.pos += 1,
                b'%' => {
                    while self.pos < data.len()
                        && data[self.pos] != b'\n'
                        && data[self.pos] != b'\r'
                    {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// A bare word (operator, keyword): up to the next white space or delimiter.
    fn word(&mut self) -> &'a [u8] {
        let data = self.data;
        let start = self.pos;
        while self.pos < data.len() && !is_white(data[self.pos]) && !is_delim(data[self.pos]) {
            self.pos += 1;
        }
        &data[start..self.pos]
    }

    fn number(&mut self) -> f32 {
        let data = self.data;
        let mut neg = false;
        while let Some(&s @ (b'+' | b'-')) = data.get(self.pos) {
            neg ^= s == b'-';
            self.pos += 1;
        }
        let mut int: f64 = 0.0;
        while let Some(&d @ b'0'..=b'9') = data.get(self.pos) {
            int = int * 10.0 + f64::from(d - b'0');
            self.pos += 1;
        }
        if data.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let mut scale = 0.1;
            while let Some(&d @ b'0'..=b'9') = data.get(self.pos) {
                int += f64::from(d - b'0') * scale;
                scale *= 0.1;
                self.pos += 1;
            }
        }
        // Garbage glued to a number ("12.5.3", "3-2") is dropped, as readers do.
        while let Some(&c) = data.get(self.pos) {
            if is_white(c) || is_delim(c) {
                break;
            }
            self.pos += 1;
        }
        let v = if neg { -int } else { int } as f32;
        if v.is_finite() {
            v
        } else {
            0.0
        }
    }

    fn name(&mut self) -> Range<usize> {
        let data = self.data;
        self.pos += 1;
        let start = self.arena.len();
        while let Some(&c) = data.get(self.pos) {
            if is_white(c) || is_delim(c) {
                break;
            }
            if c == b'#' {
                let hex = data
                    .get(self.pos + 1..self.pos + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    self.arena.push(v);
                    self.pos += 3;
                    continue;
                }
            }
            self.arena.push(c);
            self.pos += 1;
        }
        start..self.arena.len()
    }

    fn literal_string(&mut self) -> Option<Range<usize>> {
        let data = self.data;
        self.pos += 1;
        let start = self.arena.len();
        let mut depth = 1u32;
        loop {
            let Some(&c) = data.get(self.pos) else {
                self.broken = true;
                return None;
            };
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    self.arena.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    self.arena.push(c);
                }
                b'\\' => {
                    let Some(&e) = data.get(self.pos) else {
                        continue;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => self.arena.push(b'\n'),
                        b'r' => self.arena.push(b'\r'),
                        b't' => self.arena.push(b'\t'),
                        b'b' => self.arena.push(8),
                        b'f' => self.arena.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            self.arena.push(v as u8);
                        }
                        b'\r' => {
                            if data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => self.arena.push(other),
                    }
                }
                _ => self.arena.push(c),
            }
        }
        Some(start..self.arena.len())
    }

    fn hex_string(&mut self) -> Option<Range<usize>> {
        let data = self.data;
        self.pos += 1;
        let start = self.arena.len();
        let mut high: Option<u8> = None;
        loop {
            let Some(&c) = data.get(self.pos) else {
                self.broken = true;
                return None;
            };
            self.pos += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                None => high = Some(v),
                Some(h) => self.arena.push(h << 4 | v),
            }
        }
        if let Some(h) = high {
            self.arena.push(h << 4);
        }
        Some(start..self.arena.len())
    }

    /// Skips a dictionary `<< … >>`, nested ones and strings included.
    fn skip_dict(&mut self) -> Option<()> {
        let data = self.data;
        let mut depth = 0u32;
        while self.pos < data.len() {
            match data[self.pos] {
                b'<' if data.get(self.pos + 1) == Some(&b'<') => {
                    depth += 1;
                    self.pos += 2;
                }
                b'>' if data.get(self.pos + 1) == Some(&b'>') => {
                    depth = depth.saturating_sub(1);
                    self.pos += 2;
                    if depth == 0 {
                        return Some(());
                    }
                }
                b'(' => {
                    let mark = self.arena.len();
                    self.literal_string()?;
                    self.arena.truncate(mark);
                }
                b'<' => {
                    let mark = self.arena.len();
                    self.hex_string()?;
                    self.arena.truncate(mark);
                }
                _ => self.pos += 1,
            }
        }
        self.broken = true;
        None
    }

    /// Skips an inline image: its parameters up to `ID`, then the data up to `EI`.
    fn skip_inline_image(&mut self) -> Option<()> {
        let data = self.data;
        // Parameters: tokens up to the ID keyword.
        loop {
            self.skip_white();
            let &b = data.get(self.pos)?;
            match b {
                b'(' => {
                    self.literal_string()?;
                }
                b'<' if data.get(self.pos + 1) == Some(&b'<') => self.skip_dict()?,
                b'<' => {
                    self.hex_string()?;
                }
                b'/' => {
                    self.name();
                }
                _ if is_delim(b) => self.pos += 1,
                _ => {
                    if self.word() == b"ID" {
                        self.pos += 1;
                        break;
                    }
                }
            }
        }
        // Data: up to whitespace, "EI", then whitespace or the end.
        let mut i = self.pos;
        while i + 2 <= data.len() {
            if &data[i..i + 2] == b"EI"
                && (i == 0 || is_white(data[i - 1]))
                && data.get(i + 2).is_none_or(|c| is_white(*c))
            {
                self.pos = i + 2;
                return Some(());
            }
            i += 1;
        }
        self.broken = true;
        self.pos = data.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(s: &[u8]) -> Vec<(String, Vec<String>)> {
        let mut lx = Lexer::new(s);
        let mut out = Vec::new();
        while let Some(op) = lx.next_op() {
            let operands = lx
                .operands
                .iter()
                .map(|o| match o {
                    Operand::Num(n) => format!("{n}"),
                    Operand::Str(r) => format!("({})", String::from_utf8_lossy(lx.bytes(r))),
                    Operand::Name(r) => format!("/{}", String::from_utf8_lossy(lx.bytes(r))),
                    Operand::Open => "[".into(),
                    Operand::Close => "]".into(),
                    Operand::Other => "?".into(),
                })
                .collect();
            out.push((String::from_utf8_lossy(op).into_owned(), operands));
        }
        out
    }

    #[test]
    fn lexes_operators_and_operands() {
        let got = ops(b"BT /F#201 10.5 Tf [(a\\(b\\)) -12 <4142>] TJ (x\\101\\\ny) ' -.5 +3 Td ET % comment\n");
        assert_eq!(
            got,
            vec![
                ("BT".to_string(), vec![]),
                (
                    "Tf".to_string(),
                    vec!["/F 1".to_string(), "10.5".to_string()]
                ),
                (
                    "TJ".to_string(),
                    vec!["[", "(a(b))", "-12", "(AB)", "]"]
                        .into_iter()
                        .map(String::from)
                        .collect()
                ),
                ("'".to_string(), vec!["(xAy)".to_string()]),
                ("Td".to_string(), vec!["-0.5".to_string(), "3".to_string()]),
                ("ET".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn skips_dicts_and_inline_images() {
        let got = ops(b"/P <</MCID 3 /Alt (x>>y)>> BDC BI /W 2 /H 1 /BPC 8 ID \x00EI\xff EI Q EMC");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, vec!["BDC", "BI", "Q", "EMC"]);
    }

    #[test]
    fn unterminated_string_stops_and_flags() {
        let mut lx = Lexer::new(b"BT (abc");
        assert_eq!(lx.next_op(), Some(&b"BT"[..]));
        assert_eq!(lx.next_op(), None);
        assert!(lx.broken);
    }
}
