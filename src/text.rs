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
/// A line that starts with closing punctuation (". , )") cannot start a word and is
/// glued back. A line ending in a hyphen right after a letter, followed by a line
/// starting with a letter, is a word cut at the line end: it is joined without a
/// space, and [`hyphen_is_a_cut`] decides whether the hyphen goes ("récla-" /
/// "mations" → "réclamations") or stays ("rendez-" / "vous" → "rendez-vous").
///
/// Every multi-line value of every source (text, layout dump, Word export, PDF, OCR)
/// is joined here; a reader that knows the document's words passes them to
/// [`join_lines_knowing`].
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    join_lines_knowing(lines, |_| false)
}

/// [`join_lines`], with `known(folded word)` telling which words the document (or a
/// lexicon) holds: the best evidence whether a cut word keeps its hyphen.
pub fn join_lines_knowing<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    known: impl Fn(&str) -> bool,
) -> String {
    let mut out = String::new();
    for line in lines {
        let line = collapse_whitespace(line);
        if line.is_empty() {
            continue;
        }
        let cut = out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_alphabetic);
        if cut {
            if hyphen_is_a_cut(&out, &line, &known) {
                out.pop();
            }
        } else if !out.is_empty() && !line.starts_with(['.', ',', ')']) {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out
}

/// Compounds met in reports whose first part may end a line, folded: the hyphen
/// stays whatever the other rules say.
const COMPOUNDS: &[&str] = &[
    "au-dela",
    "au-dessus",
    "au-dessous",
    "au-devant",
    "ci-dessus",
    "ci-dessous",
    "ci-joint",
    "ci-jointe",
    "ci-apres",
    "ci-contre",
    "mi-temps",
    "mi-parcours",
    "mi-journee",
    "mi-mandat",
    "la-bas",
    "pre-accueil",
    "peut-etre",
    "c'est-a-dire",
    "rendez-vous",
    "porte-parole",
    "chef-lieu",
    "apres-midi",
    "e-mail",
    "e-mails",
    "e-administration",
];

/// Prefixes written with a hyphen before any word ("non-conformité",
/// "sous-préfecture", "quasi-totalité").
const HYPHEN_PREFIXES: &[&str] = &[
    "non", "sous", "quasi", "vice", "ex", "demi", "semi", "back", "front", "arriere", "avant",
    "apres", "hors", "sans", "grand", "contre",
];

/// Prefixes written with a hyphen before a vowel only ("auto-évaluation",
/// "pré-accueil", but "autodiagnostic", "préfecture").
const HYPHEN_BEFORE_VOWEL: &[&str] = &[
    "auto", "pre", "co", "anti", "post", "extra", "intra", "ultra", "micro", "multi", "neo",
    "tele", "inter", "re", "de", "bi", "tri",
];

/// Words that end compounds: pronouns after a verb ("pouvez-vous"), "ci", "là",
/// "même", "être", "dessus"…
const COMPOUND_TAILS: &[&str] = &[
    "vous", "nous", "ci", "la", "dela", "meme", "memes", "etre", "dessus", "dessous", "dedans",
    "il", "ils", "elle", "elles", "on", "t",
];

/// Word endings that never stand alone: a tail that is one of them was cut off its word.
const SUFFIXES: &[&str] = &["ment", "ments", "tion", "tions", "sion", "sions"];

/// Whether a hyphen ending `head` (the text so far) before `tail` (the next line) is a
/// cut made by hyphenation, to drop, rather than a compound's own hyphen, to keep.
/// In this order:
/// 1. a tail starting with a capital keeps it: a name ("Aristide-Briand",
///    "Cherbourg-en-Cotentin", "Val-de-Marne");
/// 2. the document's words (`known`, folded) decide next: the hyphenated form known
///    and the joined word not keeps it; the joined word known drops it;
/// 3. a known compound keeps it ([`COMPOUNDS`]), and so does a one-letter part before
///    the hyphen ("Qual-e-" / "pref", "pas-à-" / "pas"): hyphenation leaves two
///    letters at least;
/// 4. a tail that is a bare suffix ("ment", "tion") drops it ("quasi-" / "ment");
/// 5. a tail that ends compounds keeps it ("rendez-" / "vous", "celle-" / "ci");
/// 6. a part before the hyphen that is a hyphenated prefix keeps it ("non-",
///    "sous-"; "auto-", "pré-" only before a vowel: "auto-évaluation" but
///    "pré-" / "fecture" → "préfecture");
/// 7. otherwise, the tail starting in lower case, it is a cut: dropped.
pub fn hyphen_is_a_cut(head: &str, tail: &str, known: impl Fn(&str) -> bool) -> bool {
    let edge = |c: char| !c.is_alphanumeric() && c != '-' && c != '\'';
    let first = head
        .trim_end_matches('-')
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(edge);
    // "l'organi-": the word after an elided article.
    let first = first.rsplit(['\'', '’']).next().unwrap_or(first);
    let next = tail
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    if next.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let (f_first, f_next) = (fold(first), fold(next));
    let joined = format!("{f_first}{f_next}");
    let hyphenated = format!("{f_first}-{f_next}");
    let known_word = |w: &str| {
        known(w)
            || known(&format!("{w}s"))
            || w.strip_suffix('s')
                .is_some_and(|s| !s.is_empty() && known(s))
    };
    if known_word(&hyphenated) && !known_word(&joined) {
        return false;
    }
    if known_word(&joined) {
        return true;
    }
    let part = f_first.rsplit('-').next().unwrap_or("");
    let compound = format!("{part}-{f_next}");
    if COMPOUNDS.contains(&compound.as_str())
        || COMPOUNDS.contains(&hyphenated.as_str())
        || part.chars().count() == 1
    {
        return false;
    }
    if SUFFIXES.contains(&f_next.as_str()) {
        return true;
    }
    if COMPOUND_TAILS.contains(&f_next.as_str()) {
        return false;
    }
    let vowel = f_next.starts_with(['a', 'e', 'i', 'o', 'u', 'y', 'h']);
    !(HYPHEN_PREFIXES.contains(&part) || (vowel && HYPHEN_BEFORE_VOWEL.contains(&part)))
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

    #[test]
    fn a_word_cut_at_a_line_end_loses_its_hyphen_a_compound_keeps_it() {
        let cases = [
            (["les récla-", "mations"], "les réclamations"),
            (["La pré-", "fecture est"], "La préfecture est"),
            (["la sous-pré-", "fecture"], "la sous-préfecture"),
            (["(engage-", "ment 17)"], "(engagement 17)"),
            (["vous oriente simple-", "ment"], "vous oriente simplement"),
            (["quasi-", "ment"], "quasiment"),
            (["d'organi-", "sation"], "d'organisation"),
            (["l’orga-", "nisation"], "l’organisation"),
            (
                ["sur rendez-", "vous (relevés)"],
                "sur rendez-vous (relevés)",
            ),
            (["Cherbourg-en-", "Cotentin"], "Cherbourg-en-Cotentin"),
            (["du Val-de-", "Marne"], "du Val-de-Marne"),
            (["place Aristide-", "Briand"], "place Aristide-Briand"),
            (["une non-", "conformité"], "une non-conformité"),
            (
                ["aux deux sous-", "préfectures."],
                "aux deux sous-préfectures.",
            ),
            (["la quasi-", "totalité"], "la quasi-totalité"),
            (["agent de pré-", "accueil"], "agent de pré-accueil"),
            (["fiches pas-à-", "pas du PAN"], "fiches pas-à-pas du PAN"),
            (["label Qual-e-", "pref"], "label Qual-e-pref"),
            (["au-", "delà de deux mois"], "au-delà de deux mois"),
            (
                ["les agents du back-", "office"],
                "les agents du back-office",
            ),
            (["celle-", "ci"], "celle-ci"),
            (["un bilan à mi-", "parcours"], "un bilan à mi-parcours"),
            (["le mi-", "nistère"], "le ministère"),
            (["un auto-", "diagnostic"], "un autodiagnostic"),
            (["hebdoma-", "daire"], "hebdomadaire"),
        ];
        for (lines, want) in cases {
            assert_eq!(join_lines(lines), want, "{lines:?}");
        }
    }

    #[test]
    fn the_documents_words_outweigh_the_lists() {
        let words = ["pre-inscription", "contremarque"];
        let known = |w: &str| words.contains(&w);
        assert_eq!(
            join_lines_knowing(["une pré-", "inscription"], known),
            "une pré-inscription"
        );
        assert_eq!(
            join_lines(["une pré-", "inscription"]),
            "une pré-inscription"
        );
        assert_eq!(
            join_lines_knowing(["une contre-", "marque"], known),
            "une contremarque"
        );
        assert_eq!(join_lines(["une contre-", "marque"]), "une contre-marque");
    }
}
