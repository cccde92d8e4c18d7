//! OCR's usual misreadings, undone on OCR'd text only (a text layer never gets them).
//!
//! Words: ligatures split, odd quotes made apostrophes. Lines: annotation markers as
//! OCR renders them ("P F :", "Pp :", "PF;" → "PF :", "PP :") and conformity codes
//! alone in their cell ("©" or "(" for "C", "NÀ" for "NA", "NC mín" for "NC min").
//! The spellings themselves stay in `recognize::vocabulary`: this only brings OCR's
//! glyph confusions back to them.

use std::sync::OnceLock;

use regex::Regex;

/// One OCR'd word: ligatures expanded, stray quote marks made apostrophes.
pub fn word(text: &str) -> String {
    // A bar glued to a word is a table rule's edge ("|Note"), never French.
    let text = if text.chars().count() > 1 {
        text.trim_matches(['|', '¦'])
    } else {
        text
    };
    let mut out = String::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        // One apostrophe read twice ("L’'EVALUATION"): French has no two in a row.
        let apostrophe = |c: char| matches!(c, '\'' | '’' | '`' | '´' | '‘' | '‛' | '′');
        if apostrophe(c) && last.is_some_and(apostrophe) {
            continue;
        }
        last = Some(c);
        match c {
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬀ' => out.push_str("ff"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            '`' | '´' | '‘' | '‛' | '′' => out.push('\''),
            '\u{00AD}' => {}
            c => out.push(c),
        }
    }
    out
}

fn marker_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A marker at the start of the line or after a space: P, an optional space or
    // dot, one of F S P V in either case, then ':' or ';' (a colon OCR'd as a
    // semicolon), possibly after a space.
    RE.get_or_init(|| Regex::new(r"(^|\s)P\.?\s?([FfSsPpVv])\.?\s*[:;]").expect("marker pattern"))
}

/// One OCR'd line as laid out: markers and lone codes brought back to their spelling.
/// An empty result: the line is OCR debris (punctuation alone) and is dropped.
pub fn line(text: &str) -> String {
    let text = text.trim();
    if let Some(code) = code(text) {
        return code.to_owned();
    }
    if text.chars().all(|c| !c.is_alphanumeric()) && !text.contains(['☒', '☐']) {
        return String::new();
    }
    let fixed = marker_pattern().replace_all(text, |c: &regex::Captures<'_>| {
        format!("{}P{} :", &c[1], c[2].to_uppercase())
    });
    // An item number's full stop OCR'd as a comma ("24, Nous…" for "24. Nous…"): a
    // line opening on one or two digits, a comma and a capitalised word.
    item_number_pattern().replace(&fixed, "$1. $2").into_owned()
}

fn item_number_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{1,2}),\s+(\p{Lu})").expect("item number pattern"))
}

/// A cell holding only a conformity code as OCR misreads it.
fn code(text: &str) -> Option<&'static str> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // "C" as OCR sees a lone capital C: "©", "(", "(e", "€"…
    let c_like = |c: char| "©(){}[Cce€«<".contains(c);
    if t.chars().count() <= 3 && t.chars().all(c_like) && t.contains(['C', 'c', '©', '(', '€']) {
        return Some("C");
    }
    match t.as_str() {
        "C." | "C," => Some("C"),
        "NÀ" | "NÂ" | "NÄ" | "NA." | "N/À" | "ΝΑ" | "NA," | "Na" => Some("NA"),
        _ => {
            let lower = t.to_lowercase();
            let rest = lower.strip_prefix("nc")?;
            match rest {
                "mín" | "mîn" | "mïn" | "rnin" | "min." | "mìn" | "mln" | "m1n" => {
                    Some("NC min")
                }
                "mineure" => None,
                "maj." | "rnaj" | "maj," => Some("NC Maj"),
                // A letter more or one misread ("Maij", "mai"): the one severity it
                // is one edit from, when it is one edit from only one of them.
                other => {
                    let other = other.trim_end_matches(['.', ',']);
                    match (one_edit(other, "maj"), one_edit(other, "min")) {
                        (true, false) => Some("NC Maj"),
                        (false, true) => Some("NC min"),
                        _ => None,
                    }
                }
            }
        }
    }
}

/// `a` is `b` with at most one letter changed, added or dropped.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 || short.is_empty() {
        return false;
    }
    let head = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[head..].iter().skip(1).eq(long[head..].iter().skip(1))
    } else {
        short[head..].iter().eq(long[head + 1..].iter())
    }
}

#[cfg(test)]
mod tests {
    use super::{line, word};

    #[test]
    fn markers_as_ocr_renders_them() {
        assert_eq!(line("PF: Accueil soigné"), "PF : Accueil soigné");
        assert_eq!(line("P F : Accueil"), "PF : Accueil");
        assert_eq!(line("Pp : publier le bilan"), "PP : publier le bilan");
        assert_eq!(line("PS; délai"), "PS : délai");
        assert_eq!(line("vu. Ps : délai"), "vu. PS : délai");
        // Words that merely start with P are left alone.
        assert_eq!(line("Pour le public : oui"), "Pour le public : oui");
        assert_eq!(line("Préfecture : Tarn"), "Préfecture : Tarn");
    }

    #[test]
    fn codes_as_ocr_renders_them() {
        assert_eq!(line("©"), "C");
        assert_eq!(line(" ( "), "C");
        assert_eq!(line("NÀ"), "NA");
        assert_eq!(line("NC mín"), "NC min");
        assert_eq!(line("NC min"), "NC min");
        assert_eq!(line("NC mineure"), "NC mineure");
        assert_eq!(line("NC Maij"), "NC Maj");
        assert_eq!(line("NC mai"), "NC Maj");
        assert_eq!(line("NC nin"), "NC min");
        // Two edits away, or one from both: left as read.
        assert_eq!(line("NC mail"), "NC mail");
        assert_eq!(line("NC mij"), "NC mij");
        assert_eq!(line("Conforme"), "Conforme");
        assert_eq!(line("(e"), "C");
        assert_eq!(line(":"), "");
    }

    #[test]
    fn an_item_number_read_with_a_comma() {
        assert_eq!(line("24, Nous vous orientons"), "24. Nous vous orientons");
        assert_eq!(line("24. Nous vous orientons"), "24. Nous vous orientons");
        assert_eq!(line("12, 5 % des appels"), "12, 5 % des appels");
        assert_eq!(line("dans 24, Nous"), "dans 24, Nous");
    }

    #[test]
    fn ligatures_and_quotes() {
        assert_eq!(word("ﬁnances"), "finances");
        assert_eq!(word("l‘accueil"), "l'accueil");
        assert_eq!(word("l’accueil"), "l’accueil");
        assert_eq!(word("|Note"), "Note");
        assert_eq!(word("|"), "|");
        assert_eq!(word("L’'EVALUATION"), "L’EVALUATION");
        assert_eq!(word("l''accueil"), "l'accueil");
    }
}
