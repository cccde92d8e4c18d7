//! Text helpers shared by every stage: accent folding for matching, and the one
//! way lines are joined into a text value. Matching always happens on folded text;
//! values written to the output always keep the author's characters.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases, strips diacritics and maps typographic variants (’ ‘ ` → ', · → -,
/// œ → oe, æ → ae, any dash → -) so that "Qual·e·Pref", "QUAL-E-PREF" and
/// "qual-e-pref" compare equal. Whitespace runs become one space; the result is trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            '·' | '•' | '‐' | '‑' | '‒' | '–' | '—' => out.push('-'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Collapses every run of Unicode whitespace (NBSP included) to one ASCII space and trims.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
