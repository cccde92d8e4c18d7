//! Text helpers shared by every stage: accent folding for matching, and the one
//! way lines are joined into a text value. Matching always happens on folded text;
//! values written to the output always keep the author's characters.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases, strips diacritics and maps typographic variants (’ ‘ ` → ', · → -,
/// œ → oe, æ → ae, any dash → -) so that "Qual·e·Pref", "QUAL-E-PREF" and
/// "qual-e-pref" compare equal. Whitespace runs become one space; the result is trimmed.
///
/// Every line of every report goes through here, so ASCII and the Latin letters of
/// French text take a table instead of a full canonical decomposition; the result is
/// the same as decomposing the whole string (a test checks it on arbitrary text).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        match latin_base(c) {
            Some(base) => push_folded(base, &mut out, &mut pending_space),
            None => {
                for d in std::iter::once(c).nfd() {
                    if !unicode_normalization::char::is_combining_mark(d) {
                        push_folded(d, &mut out, &mut pending_space);
                    }
                }
            }
        }
    }
    out
}

/// One character as [`fold`] compares it: case and accents set aside, ’ as '.
pub fn fold_char(c: char) -> char {
    match latin_base(c).unwrap_or(c) {
        '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
        base => base.to_lowercase().next().unwrap_or(base),
    }
}

fn push_folded(c: char, out: &mut String, pending_space: &mut bool) {
    if c.is_whitespace() {
        *pending_space = !out.is_empty();
        return;
    }
    if std::mem::take(pending_space) {
        out.push(' ');
    }
    match c {
        '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\0'..='\x7f' => out.push(c),
        '·' | '•' | '‐' | '‑' | '‒' | '–' | '—' => out.push('-'),
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        _ => out.extend(c.to_lowercase()),
    }
}

/// The character left once the canonical decomposition of `c` drops its combining
/// marks, for ASCII and Latin-1 to Latin Extended-B; `None` elsewhere (and where that
/// leaves anything but one character).
fn latin_base(c: char) -> Option<char> {
    const END: u32 = 0x250;
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    if c.is_ascii() {
        return Some(c);
    }
    let table = TABLE.get_or_init(|| {
        (0..END)
            .map(|u| {
                let c = char::from_u32(u)?;
                let mut bases = std::iter::once(c)
                    .nfd()
                    .filter(|d| !unicode_normalization::char::is_combining_mark(*d));
                match (bases.next(), bases.next()) {
                    (Some(b), None) => Some(b),
                    _ => None,
                }
            })
            .collect()
    });
    table.get(c as usize).copied().flatten()
}

/// Collapses every run of Unicode whitespace (NBSP included) to one ASCII space and trims.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Joins wrapped lines into one value: one space between lines, whitespace collapsed.
/// A line ending in a hyphen right after a letter ("auto-", "Qual-e-") continues a
/// hyphenated compound on the next line, so it is joined without a space
/// ("auto-évaluations"): a PDF wraps French compounds at their hyphen. A line that
/// starts with closing punctuation (". , )") cannot start a word and is glued back.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let line = collapse_whitespace(line);
        if line.is_empty() {
            continue;
        }
        let glue_hyphen = out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_alphabetic);
        let closing = line.starts_with(['.', ',', ')']);
        if !out.is_empty() && !glue_hyphen && !closing {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_maps_typographic_variants() {
        assert_eq!(fold("  Qual·e·Pref  "), "qual-e-pref");
        assert_eq!(fold("DÉLIVRANCE d’un   Titre"), "delivrance d'un titre");
        assert_eq!(fold("Cœur\u{a0}:"), "coeur :");
    }

    /// The definition `fold` must keep: decompose the whole string, drop the marks.
    fn fold_by_decomposition(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut pending_space = false;
        for c in s.nfd() {
            if !unicode_normalization::char::is_combining_mark(c) {
                push_folded(c, &mut out, &mut pending_space);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fold_equals_full_decomposition(s in "\\PC{0,40}|[a-zA-Zàâäçéèêëîïôöùûüÿœæ’·\u{300}-\u{36f}\u{a0} \t-]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_decomposition(&s));
        }
    }

    #[test]
    fn fold_handles_combining_marks_and_latin_letters() {
        for s in [
            "e\u{301}te\u{301}",
            "ÉTÉ",
            "Œuvre",
            "Ǆ ǅ ǆ",
            "ﬁ",
            "İstanbul",
            "ẞ",
            "Å Å",
        ] {
            assert_eq!(fold(s), fold_by_decomposition(s), "{s}");
        }
    }

    #[test]
    fn join_lines_keeps_compounds_whole() {
        assert_eq!(
            join_lines(["Audits internes ou auto-", "évaluations "]),
            "Audits internes ou auto-évaluations"
        );
        assert_eq!(join_lines(["a  b", "", "  c"]), "a b c");
        assert_eq!(join_lines(["fin -", "suite"]), "fin - suite");
        assert_eq!(join_lines(["d'être revu", "."]), "d'être revu.");
    }
}
