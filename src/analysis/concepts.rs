//! Reads a PP or PS text into what it asks and what it is about: the concepts of a
//! domain lexicon ([`Lexicon`]: the built-in `lexicon.toml`, plus a user's file),
//! each with its variants (synonyms, multiword expressions, nominal forms), matched
//! on Snowball stems of accent-folded words, longest expression first. Words no
//! concept names are kept as residual stems, minus grammar and advice phrasing
//! ([`super::normalize`]).
//!
//! This module reads one text at a time and knows nothing of groups or reports; it
//! never changes a text, it only reads it.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::{singular, Normalizer};
use crate::text::fold;

/// The built-in lexicon, compiled in: the general vocabulary of prefecture audits.
pub const BUILTIN: &str = include_str!("lexicon.toml");

/// Weight of a residual word (a word no concept names) in the comparison of texts:
/// local detail, kept as weak evidence.
pub const RESIDUAL_WEIGHT: f32 = 0.25;

/// What a concept tells about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// What the text asks ("publier", "former"): texts asking different actions never group.
    Action,
    /// What it is about ("réclamations", "boucle magnétique").
    Object,
    /// Who or where ("agents", "accueil"): weighs little.
    Context,
    /// Read as nothing (frequency, advice phrasing).
    Ignore,
}

impl Role {
    fn default_weight(self) -> f32 {
        match self {
            Role::Action | Role::Object => 1.0,
            Role::Context => 0.35,
            Role::Ignore => 0.0,
        }
    }
}

/// One concept of the lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub id: String,
    pub label: String,
    pub role: Role,
    pub weight: f32,
    /// Concepts of one family exclude each other: two texts that both name members of
    /// a family but share none of them ask different things ("courriels" vs
    /// "courriers"). Actions form the family "action" unless they name another.
    pub family: Option<String>,
    /// A generic member of its family ("mettre en place", "réaliser") only counts when
    /// the text names no specific member of that family.
    pub generic: bool,
}

/// A lexicon file: `[[concept]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    concept: Vec<ConceptEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptEntry {
    id: String,
    label: Option<String>,
    role: Role,
    weight: Option<f32>,
    family: Option<String>,
    #[serde(default)]
    generic: bool,
    /// Ids of concepts of its family this one does not exclude ("réduire" and
    /// "améliorer" a figure ask the same); declared on either side.
    #[serde(default)]
    compatible: Vec<String>,
    variants: Vec<String>,
}

/// One word of a variant: compared by stem, or as the whole (folded, singular) word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Pattern {
    Stem(String),
    Word(String),
}

impl Pattern {
    fn matches(&self, token: &Token) -> bool {
        match self {
            Pattern::Stem(s) => *s == token.stem,
            Pattern::Word(w) => *w == token.word,
        }
    }
}

/// A variant: its words and the concept it names.
#[derive(Debug, Clone)]
struct Variant {
    words: Vec<Pattern>,
    concept: u32,
}

/// A word of a text as the lexicon compares it.
#[derive(Debug, Clone)]
struct Token {
    /// Lower-cased as written (the stemmer and advice check want the accents).
    lower: String,
    /// Folded, plural "s" dropped.
    word: String,
    stem: String,
    /// Grammatical word, number or single letter.
    stop: bool,
}

/// What a text was read into.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Reading {
    /// Concept indices (into [`Lexicon::concepts`]), ascending, distinct; no `ignore` ones.
    pub concepts: Vec<u32>,
    /// Stems of the words no concept names, ascending, distinct.
    pub residual: Vec<String>,
    /// Concepts of `concepts` named only as a description, not as the request: a
    /// past participle after a noun ("les horaires affichés", "le bilan publié") or a
    /// nominal form after "de" ("ceux de l'affichage"). They count in the similarity,
    /// not in the exclusion of families.
    pub described: Vec<u32>,
}

/// The concepts and their variants, indexed by their first word.
pub struct Lexicon {
    pub concepts: Vec<Concept>,
    /// For each concept, the concepts it does not exclude (both ways, ascending).
    pub compatible: Vec<Vec<u32>>,
    /// First word of each variant → the variants starting with it.
    index: HashMap<Pattern, Vec<Variant>>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> &'static Lexicon {
        static BUILT: OnceLock<Lexicon> = OnceLock::new();
        BUILT
            .get_or_init(|| Lexicon::from_sources(&[BUILTIN]).expect("the built-in lexicon parses"))
    }

    /// The built-in lexicon with a user's file on top: a concept whose `id` is already
    /// known replaces the built-in one (its variants, label, role and weight), a new
    /// `id` is added. Errors name what is wrong.
    ///
    /// The file is TOML (`[[concept]]` tables) or CSV: a header row naming the
    /// columns `id`, `role`, `variants` and optionally `label`, `weight`, `family`,
    /// `generic`, `compatible`; lists (`variants`, `compatible`) are `;`-separated.
    pub fn with_user_file(text: &str) -> Result<Lexicon, String> {
        Lexicon::from_sources(&[BUILTIN, text])
    }

    fn from_sources(sources: &[&str]) -> Result<Lexicon, String> {
        let mut entries: Vec<ConceptEntry> = Vec::new();
        for source in sources {
            let file = if looks_like_csv(source) {
                LexiconFile {
                    concept: read_csv(source)?,
                }
            } else {
                toml::from_str(source).map_err(|e| e.to_string())?
            };
            for entry in file.concept {
                if entry.id.trim().is_empty() {
                    return Err("a concept has an empty id".into());
                }
                if let Some(w) = entry.weight {
                    if !(w.is_finite() && w >= 0.0) {
                        return Err(format!("concept {}: weight must be 0 or more", entry.id));
                    }
                }
                match entries.iter_mut().find(|e| e.id == entry.id) {
                    Some(known) => *known = entry,
                    None => entries.push(entry),
                }
            }
        }
        let normalizer = Normalizer::get();
        let mut compatible = vec![Vec::new(); entries.len()];
        for (i, entry) in entries.iter().enumerate() {
            for other in &entry.compatible {
                let Some(j) = entries.iter().position(|e| e.id == *other) else {
                    return Err(format!(
                        "concept {}: compatible concept {other:?} is not in the lexicon",
                        entry.id
                    ));
                };
                compatible[i].push(j as u32);
                compatible[j].push(i as u32);
            }
        }
        for c in &mut compatible {
            c.sort_unstable();
            c.dedup();
        }
        let mut concepts = Vec::with_capacity(entries.len());
        let mut index: HashMap<Pattern, Vec<Variant>> = HashMap::new();
        for (i, entry) in entries.into_iter().enumerate() {
            for variant in &entry.variants {
                let words = variant_patterns(normalizer, variant);
                let Some(first) = words.first().cloned() else {
                    return Err(format!(
                        "concept {}: variant {variant:?} has no word to match",
                        entry.id
                    ));
                };
                index.entry(first).or_default().push(Variant {
                    words,
                    concept: i as u32,
                });
            }
            let family = entry
                .family
                .or_else(|| (entry.role == Role::Action).then(|| "action".to_owned()));
            concepts.push(Concept {
                label: entry.label.unwrap_or_else(|| entry.id.clone()),
                weight: entry.weight.unwrap_or(entry.role.default_weight()),
                id: entry.id,
                role: entry.role,
                family,
                generic: entry.generic,
            });
        }
        // Longest expressions first, so "comité local des usagers" wins over "comité".
        for variants in index.values_mut() {
            variants.sort_by_key(|v| std::cmp::Reverse(v.words.len()));
        }
        Ok(Lexicon {
            concepts,
            compatible,
            index,
        })
    }

    /// Reads a text into concepts and residual stems.
    pub fn read(&self, text: &str) -> Reading {
        let normalizer = Normalizer::get();
        let tokens = tokens(normalizer, text);
        let mut concepts = Vec::new();
        let mut residual = Vec::new();
        let mut described = Vec::new();
        let mut requested = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some((end, concept)) = self.longest_match(&tokens, i) {
                let c = &self.concepts[concept as usize];
                if c.role != Role::Ignore {
                    concepts.push(concept);
                    if c.family.is_some() && describes(&tokens, i, c.role) {
                        described.push(concept);
                    } else {
                        requested.push(concept);
                    }
                }
                i = end;
                continue;
            }
            let t = &tokens[i];
            i += 1;
            if t.stop
                || normalizer.is_frame_word(&t.lower)
                || normalizer.is_advice_stem(&t.stem)
                || t.stem.is_empty()
            {
                continue;
            }
            residual.push(t.stem.clone());
        }
        concepts.sort_unstable();
        concepts.dedup();
        residual.sort_unstable();
        residual.dedup();
        described.sort_unstable();
        described.dedup();
        described.retain(|c| !requested.contains(c));
        Reading {
            concepts,
            residual,
            described,
        }
    }

    /// The longest variant matching at token `i`: (end token, concept).
    fn longest_match(&self, tokens: &[Token], i: usize) -> Option<(usize, u32)> {
        let t = &tokens[i];
        let mut best: Option<(usize, usize, u32)> = None;
        // Whole words first: on a tie, "=équipe" wins over the stem of "équiper".
        for key in [Pattern::Word(t.word.clone()), Pattern::Stem(t.stem.clone())] {
            for v in self.index.get(&key).into_iter().flatten() {
                if let Some(end) = match_at(tokens, i, &v.words) {
                    // Longest span of text, then the variant with most words.
                    let better = best.is_none_or(|(e, n, _)| (end, v.words.len()) > (e, n));
                    if better {
                        best = Some((end, v.words.len(), v.concept));
                    }
                }
            }
        }
        best.map(|(end, _, c)| (end, c))
    }
}

/// Whether a lexicon file is CSV: its first line that is neither blank nor a `#`
/// comment is a header naming `id`, `role` and `variants` separated by commas.
fn looks_like_csv(text: &str) -> bool {
    let Some(first) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    let columns: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_lowercase())
        .collect();
    ["id", "role", "variants"]
        .iter()
        .all(|want| columns.iter().any(|c| c == want))
}

/// The concepts of a CSV lexicon (see [`Lexicon::with_user_file`]).
fn read_csv(text: &str) -> Result<Vec<ConceptEntry>, String> {
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| [l, "\n"])
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("CSV header: {e}"))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    const KNOWN: &[&str] = &[
        "id",
        "label",
        "role",
        "weight",
        "family",
        "generic",
        "compatible",
        "variants",
    ];
    if let Some(unknown) = headers.iter().find(|h| !KNOWN.contains(&h.as_str())) {
        return Err(format!("CSV: unknown column {unknown:?}"));
    }
    let list = |v: Option<&str>| -> Vec<String> {
        v.unwrap_or_default()
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut entries = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| format!("CSV line {line}: {e}"))?;
        let cell = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
        };
        let role = match cell("role").map(str::to_lowercase).as_deref() {
            Some("action") => Role::Action,
            Some("object") => Role::Object,
            Some("context") => Role::Context,
            Some("ignore") => Role::Ignore,
            other => {
                return Err(format!(
                    "CSV line {line}: role must be action, object, context or ignore (got {:?})",
                    other.unwrap_or("")
                ))
            }
        };
        let weight = match cell("weight") {
            None => None,
            Some(w) => Some(
                w.parse::<f32>()
                    .map_err(|_| format!("CSV line {line}: weight {w:?} is not a number"))?,
            ),
        };
        let generic = match cell("generic").map(str::to_lowercase).as_deref() {
            None | Some("false") | Some("0") | Some("no") => false,
            Some("true") | Some("1") | Some("yes") => true,
            Some(other) => {
                return Err(format!(
                    "CSV line {line}: generic {other:?} is not true or false"
                ))
            }
        };
        entries.push(ConceptEntry {
            id: cell("id").unwrap_or_default().to_owned(),
            label: cell("label").map(str::to_owned),
            role,
            weight,
            family: cell("family").map(str::to_owned),
            generic,
            compatible: list(cell("compatible")),
            variants: list(cell("variants")),
        });
    }
    if entries.is_empty() {
        return Err("CSV: no concept".into());
    }
    Ok(entries)
}

/// Whether the expression starting at token `i` describes something rather than asks
/// it: a past participle right after a content word ("horaires affichés"), or any
/// form right after "de" ("de l'affichage", "du suivi").
fn describes(tokens: &[Token], i: usize, role: Role) -> bool {
    let Some(previous) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return false;
    };
    // Past ("les horaires affichés") or present ("les agents répondant au
    // téléphone") participle, or an adjective of state ("les versions obsolètes").
    let participle = ["é", "ée", "és", "ées", "ant", "ants", "ète", "ètes"]
        .iter()
        .any(|e| tokens[i].lower.ends_with(e));
    // A noun, or a pronoun standing for one ("celles affichées sur place").
    let after_noun = !previous.stop
        || matches!(
            previous.word.as_str(),
            "celle" | "ceux" | "celui" | "celles"
        );
    // "de l'affichage": look past an article for the "de".
    let mut p = i - 1;
    while p > 0 && matches!(tokens[p].word.as_str(), "l" | "la" | "le" | "les") {
        p -= 1;
    }
    // An infinitive after "de" is the request ("il conviendrait de tester"), not a
    // nominal form describing something ("ceux de l'affichage").
    let infinitive = role == Role::Action
        && ["er", "ir", "re"]
            .iter()
            .any(|e| tokens[i].lower.ends_with(e));
    let after_de = !infinitive && matches!(tokens[p].word.as_str(), "de" | "du" | "des" | "d");
    // "pas d'affichage", "plus de suivi": the negative partitive names what is missing.
    let negative = p >= 1 && matches!(tokens[p - 1].word.as_str(), "pa" | "pas" | "plus" | "aucun");
    (participle && after_noun) || (after_de && !negative)
}

/// Up to this many grammatical words of a text may sit between two words of an
/// expression ("bilan annuel des réclamations" is not needed: "bilan des réclamations"
/// matches "bilan de toutes les réclamations" only if the words between are grammar).
const MAX_SKIPPED: usize = 3;

/// The end of the match of `words` at token `i`, if they match.
fn match_at(tokens: &[Token], i: usize, words: &[Pattern]) -> Option<usize> {
    // A variant starting with a grammatical word ("en ligne") must start there; any
    // other starts on a content word.
    if tokens[i].stop && !matches!(words.first(), Some(Pattern::Word(_))) {
        return None;
    }
    let mut k = i;
    for (j, pattern) in words.iter().enumerate() {
        if j > 0 {
            let mut skipped = 0;
            while k < tokens.len()
                && tokens[k].stop
                && !pattern.matches(&tokens[k])
                && skipped < MAX_SKIPPED
            {
                k += 1;
                skipped += 1;
            }
        }
        if k >= tokens.len() || !pattern.matches(&tokens[k]) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// The patterns of a variant: grammatical words dropped except a leading one (kept
/// as a whole word: "en ligne" needs its "en"); "=word" is compared as the word.
fn variant_patterns(normalizer: &Normalizer, variant: &str) -> Vec<Pattern> {
    let mut patterns = Vec::new();
    for raw in variant.split_whitespace() {
        let (exact, raw) = match raw.strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        for t in tokens(normalizer, raw) {
            if t.stop {
                if patterns.is_empty() {
                    patterns.push(Pattern::Word(t.word));
                }
            } else if exact {
                patterns.push(Pattern::Word(t.word));
            } else {
                patterns.push(Pattern::Stem(t.stem));
            }
        }
    }
    // A variant made of grammatical words only matches nothing useful.
    if patterns.len() == 1
        && matches!(patterns[0], Pattern::Word(ref w) if normalizer.is_stop_word(w))
    {
        return Vec::new();
    }
    patterns
}

/// The words of a text: lower-cased, split at anything but letters and digits
/// (hyphens and apostrophes too: "porte-badge" is two words, as in the variants).
fn tokens(normalizer: &Normalizer, text: &str) -> Vec<Token> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|lower| {
            let folded = fold(lower);
            let stop = lower.chars().count() < 2
                || lower.chars().all(|c| c.is_numeric())
                || normalizer.is_stop_word(&folded);
            let word = fold(singular(lower));
            Token {
                stem: normalizer.stem_of(lower),
                word,
                lower: lower.to_owned(),
                stop,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        let lexicon = Lexicon::builtin();
        let mut ids: Vec<String> = lexicon
            .read(text)
            .concepts
            .iter()
            .map(|&c| lexicon.concepts[c as usize].id.clone())
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn multiword_expressions_win_over_their_words() {
        assert_eq!(ids("le comité local des usagers"), ["clu"]);
        assert_eq!(ids("la boucle à induction"), ["boucle_magnetique"]);
        assert!(ids("mise en ligne du bilan").contains(&"publier".to_owned()));
        assert!(!ids("mise en ligne du bilan").contains(&"internet".to_owned()));
        assert_eq!(ids("la salle d'attente"), ["accueil"]);
    }

    #[test]
    fn morphology_and_nominal_forms_meet() {
        assert_eq!(ids("publier"), ids("publiées"));
        assert_eq!(ids("publier"), ids("la publication"));
        assert_eq!(ids("les plaintes"), ids("une réclamation"));
        assert_eq!(ids("contrôler"), ids("vérification"));
    }

    #[test]
    fn a_leading_grammatical_word_is_required_and_exact_words_are_not_stems() {
        assert_eq!(ids("démarches en ligne"), ["pan"]);
        assert!(ids("la ligne de discrétion").contains(&"confidentialite".to_owned()));
        assert!(!ids("la ligne de discrétion").contains(&"internet".to_owned()));
        assert_eq!(ids("l'équipe"), ["agent"]);
        assert_eq!(ids("équiper"), ["equiper"]);
    }

    #[test]
    fn residual_words_are_kept_without_grammar_or_advice() {
        let r = Lexicon::builtin().read("Il conviendrait de repeindre la façade nord.");
        assert_eq!(r.residual, ["nord", "repeindr"]);
    }

    #[test]
    fn a_user_file_adds_and_replaces_concepts() {
        let user = r#"
            [[concept]]
            id = "reclamation"
            label = "réclamations (local)"
            role = "object"
            variants = ["réclamation", "grief"]

            [[concept]]
            id = "vitre"
            role = "object"
            variants = ["hygiaphone", "vitre de guichet"]
        "#;
        let lexicon = Lexicon::with_user_file(user).unwrap();
        let read = |t: &str| -> Vec<String> {
            lexicon
                .read(t)
                .concepts
                .iter()
                .map(|&c| lexicon.concepts[c as usize].id.clone())
                .collect()
        };
        assert_eq!(read("un grief"), ["reclamation"]);
        assert!(
            read("une plainte").is_empty(),
            "replaced: plainte is no longer a variant"
        );
        assert_eq!(read("l'hygiaphone"), ["vitre"]);
        assert!(
            Lexicon::with_user_file("[[concept]]\nid = \"x\"\nrole = \"verb\"\nvariants = []")
                .is_err()
        );
    }

    #[test]
    fn a_csv_file_adds_and_replaces_concepts_too() {
        let user = "# local concepts\n\
            id,label,role,variants,compatible\n\
            reclamation,réclamations (local),object,réclamation;grief,\n\
            vitre,,object,\"hygiaphone; vitre de guichet\",\n\
            nettoyer,nettoyer,action,nettoyer;nettoyage,ameliorer\n";
        let lexicon = Lexicon::with_user_file(user).unwrap();
        let read = |t: &str| -> Vec<String> {
            lexicon
                .read(t)
                .concepts
                .iter()
                .map(|&c| lexicon.concepts[c as usize].id.clone())
                .collect()
        };
        assert_eq!(read("un grief"), ["reclamation"]);
        assert!(read("une plainte").is_empty());
        assert_eq!(read("la vitre de guichet"), ["vitre"]);
        assert_eq!(read("le nettoyage"), ["nettoyer"]);
        let at = |id: &str| lexicon.concepts.iter().position(|c| c.id == id).unwrap() as u32;
        assert!(lexicon.compatible[at("ameliorer") as usize].contains(&at("nettoyer")));
        assert_eq!(
            lexicon.concepts[at("reclamation") as usize].label,
            "réclamations (local)"
        );
        for bad in [
            "id,role,variants\nx,verb,a\n",
            "id,role,variants,colour\nx,object,a,red\n",
            "id,role,variants,weight\nx,object,a,heavy\n",
            "id,role,variants,compatible\nx,object,a,nowhere\n",
            "id,role,variants\n",
        ] {
            assert!(Lexicon::with_user_file(bad).is_err(), "{bad}");
        }
    }
}
