//! Garbled text layers: text that decodes, but to no language. A PDF whose fonts lack
//! a usable ToUnicode map (a file rewritten by `mutool convert`, some "print to PDF"
//! drivers) yields control characters, private-use code points, letters of scripts a
//! French report never uses, or words of random letters. Such a page is read by OCR
//! (`--ocr auto`) or refused as `pdf_garbled_text` (`--ocr never`), never read as if
//! its letters were the report's.

/// Why a page's text looks garbled, or `None` when it reads like a language.
pub fn garbled(chars: impl Iterator<Item = char>) -> Option<String> {
    let text: String = chars.collect();
    let mut total = 0usize;
    let mut odd = 0usize;
    let mut private = 0usize;
    let mut alnum = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        alnum += usize::from(c.is_alphanumeric());
        if is_private_or_control(c) {
            private += 1;
        } else if !expected(c) {
            odd += 1;
        }
    }
    // Too little text to judge (a page number, a stamp).
    if total < 40 {
        return None;
    }
    let share = |n: usize| n as f64 / total as f64;
    if share(private) > 0.05 {
        return Some(format!(
            "{:.0} % of its characters are control or private-use code points",
            100.0 * share(private)
        ));
    }
    if share(odd + private) > 0.15 {
        return Some(format!(
            "{:.0} % of its characters are outside the Latin script and common symbols",
            100.0 * share(odd + private)
        ));
    }
    // Codes of a font without ToUnicode read as ASCII: punctuation where letters are.
    if share(alnum) < 0.4 {
        return Some(format!(
            "only {:.0} % of its characters are letters or digits",
            100.0 * share(alnum)
        ));
    }
    // Word shapes: words of letters with no vowel, or with capitals inside.
    let mut words = 0usize;
    let mut implausible = 0usize;
    for w in text.split(|c: char| !c.is_alphabetic()) {
        let n = w.chars().count();
        if n < 3 {
            continue;
        }
        words += 1;
        let vowels = w.chars().filter(|c| is_vowel(*c)).count();
        let inner_caps = w.chars().skip(1).filter(|c| c.is_uppercase()).count();
        let all_caps = w.chars().all(char::is_uppercase);
        if (n >= 4 && vowels == 0) || (!all_caps && inner_caps >= 2) || (n >= 6 && vowels * 6 < n) {
            implausible += 1;
        }
    }
    if words >= 20 && implausible * 10 > words * 4 {
        return Some(format!(
            "{implausible} of its {words} words have no plausible shape (no vowel, capitals inside)"
        ));
    }
    None
}

fn is_private_or_control(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000
        || c == '\u{FFFD}'
        || (0xFFF0..=0xFFFF).contains(&u)
}

/// Latin letters, digits, punctuation and the symbols reports use (check boxes,
/// bullets, arrows, ligatures).
fn expected(c: char) -> bool {
    let u = c as u32;
    u < 0x250 // ASCII, Latin-1, Latin Extended-A and -B
        || (0x1E00..=0x1EFF).contains(&u) // Latin Extended Additional
        || (0x2000..=0x2BFF).contains(&u) // punctuation, currency, letterlike, arrows, maths, boxes, shapes, symbols, dingbats
        || (0xFB00..=0xFB06).contains(&u) // Latin ligatures
        || (0x2C60..=0x2C7F).contains(&u)
        || (0xA720..=0xA7FF).contains(&u)
        || c == '\u{FEFF}'
}

fn is_vowel(c: char) -> bool {
    "aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ".contains(c)
}

#[cfg(test)]
mod tests {
    use super::garbled;

    #[test]
    fn french_text_is_not_garbled() {
        let t = "Nous formons nos agents pour améliorer notre qualité de service. \
                 PF : l'accueil téléphonique est assuré de 9h à 17h ; ☒ Préfecture ☐ Sous-préfecture. \
                 Conformité : C, NA, NC mineure. Engagement n° 4 — œuvre, ﬁnance.";
        assert_eq!(garbled(t.chars()), None);
        // Codes and short words in capitals are fine.
        let codes = "PF PS PP NC C NA DDPP SVI CLU COPIL QUALIPREF ".repeat(5);
        assert_eq!(garbled(codes.chars()), None);
    }

    #[test]
    fn control_private_and_foreign_letters_are() {
        let ctl: String = (0..60).map(|i| char::from(1 + (i % 30) as u8)).collect();
        assert!(garbled(ctl.chars()).is_some());
        let pua: String = (0..60)
            .map(|i| char::from_u32(0xE000 + i).unwrap())
            .collect();
        assert!(garbled(pua.chars()).is_some());
        let cjk =
            "这是一个测试文本这是一个测试文本这是一个测试文本这是一个测试文本这是一个测试文本";
        assert!(garbled(cjk.chars()).is_some());
        let shapes = "Xkdf qZtrp mnBvc lkjHg trwZx pqRst vwXyz bcDfg hjKlm npQrs \
                      tvWxz bcdFg hjkLm npqRs tvwXz bcdfG hjklM npqrS tvwxZ bcDFG";
        assert!(garbled(shapes.chars()).is_some());
        // mutool convert: codes 1, 2, 3… shown as ! " # …
        let ascii =
            "! \" #$%&'%!( $ ) * ) ) * + ,- ) . * / + ) * 0 1 2 3 4 5 & % $ # ! ( ) * + , - . /";
        assert!(garbled(ascii.chars()).is_some());
    }

    #[test]
    fn a_few_characters_are_not_judged() {
        assert_eq!(garbled("\u{1}\u{2}".chars()), None);
    }
}
