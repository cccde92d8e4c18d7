//! Reads a PP or PS text into what it asks and what it is about: the concepts of a
//! domain lexicon ([`Lexicon`]: the built-in `lexicon.toml`, plus a user's file),
//! each with its variants (synonyms, multiword expressions, nominal forms), matched
//! on Snowball stems of accent-folded words, longest expression first. Words no
//! concept names are kept as residual stems, minus grammar and advice phrasing
//! ([`super::normalize`]).
//!
//! This module reads one text at a time and knows nothing of groups or reports; it
//! never changes a text, it only reads it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
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
            Pattern::Stem(s) => **s == *token.stem,
            Pattern::Word(w) => **w == *token.word,
        }
    }
}

/// A variant: its words and the concept it names.
#[derive(Debug, Clone)]
struct Variant {
    words: Vec<Pattern>,
    concept: u32,
    /// Its leading grammatical word must be right before the next word, as in the
    /// variant ("sur site" is not "sur le site de la préfecture").
    tight: bool,
}

/// A word of a text as the lexicon compares it.
#[derive(Debug, Clone)]
struct Token {
    /// Lower-cased as written (the stemmer and advice check want the accents).
    lower: String,
    /// Folded, plural "s" dropped.
    word: Rc<str>,
    stem: Rc<str>,
    /// Grammatical word, number or single letter.
    stop: bool,
    /// Which part of the text the word is in, the parts being cut at colons and
    /// semicolons ("Les horaires ne sont pas affichés : y remédier" has two).
    part: u16,
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
    /// First word of each variant → the variants starting with it: compared as the
    /// whole word, or by its stem.
    by_word: HashMap<String, Vec<Variant>>,
    by_stem: HashMap<String, Vec<Variant>>,
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
        // Derived forms of one-word variants: (stem, concept).
        let mut derived: Vec<(String, u32)> = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            for variant in &entry.variants {
                if !variant.contains(char::is_whitespace) && !variant.starts_with('=') {
                    for form in derived_forms(&variant.to_lowercase()) {
                        if let [t] = tokens(normalizer, &form).as_slice() {
                            if !t.stop && !t.stem.is_empty() {
                                derived.push((t.stem.to_string(), i as u32));
                            }
                        }
                    }
                }
                let words = variant_patterns(normalizer, variant);
                let tight = matches!(
                    tokens(normalizer, variant).as_slice(),
                    [first, second, ..] if first.stop && !second.stop
                );
                let Some(first) = words.first().cloned() else {
                    return Err(format!(
                        "concept {}: variant {variant:?} has no word to match",
                        entry.id
                    ));
                };
                index.entry(first).or_default().push(Variant {
                    words,
                    concept: i as u32,
                    tight,
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
        // A derived form counts where no variant (of any concept) starts with its stem
        // and no other concept derives it too: what the lexicon lists always wins.
        derived.sort_unstable();
        derived.dedup();
        for run in derived.chunk_by(|a, b| a.0 == b.0) {
            let [(stem, concept)] = run else { continue };
            let key = Pattern::Stem(stem.clone());
            if !index.contains_key(&key) {
                index.entry(key.clone()).or_default().push(Variant {
                    words: vec![key],
                    concept: *concept,
                    tight: false,
                });
            }
        }
        // Longest expressions first, so "comité local des usagers" wins over "comité".
        let (mut by_word, mut by_stem) = (HashMap::new(), HashMap::new());
        for (key, mut variants) in index {
            variants.sort_by_key(|v| std::cmp::Reverse(v.words.len()));
            match key {
                Pattern::Word(w) => by_word.insert(w, variants),
                Pattern::Stem(s) => by_stem.insert(s, variants),
            };
        }
        Ok(Lexicon {
            concepts,
            compatible,
            by_word,
            by_stem,
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
        // Actions named in a finding before the request ("Le standard ne répond pas :
        // organiser une permanence"), and whether the request names a specific action.
        let mut in_finding = Vec::new();
        let mut request_acts = false;
        let last_part = tokens.last().map_or(0, |t| t.part);
        // A part before the last one is a finding when it opens on a subject or a
        // frame ("Les courriers…", "Il a été constaté…", "Trop de…"), not on a
        // request of its own ("Afficher les horaires ; les tenir à jour"), and says
        // what is, not what is missing: "il n'existe pas d'affichage des horaires : en
        // installer un" asks for the display it finds missing.
        let finding_parts: Vec<bool> = (0..=last_part)
            .map(|part| {
                let opens = tokens.iter().find(|t| t.part == part).is_some_and(|t| {
                    t.stop
                        || normalizer.is_frame_word(&t.lower)
                        || normalizer.is_advice_stem(&t.stem)
                        || matches!(&*t.word, "trop" | "peu" | "nombreux" | "nombreuse")
                });
                let missing = tokens.iter().filter(|t| t.part == part).any(|t| {
                    matches!(
                        &*t.word,
                        "n" | "ne"
                            | "pa"
                            | "pas"
                            | "aucun"
                            | "aucune"
                            | "absence"
                            | "manque"
                            | "jamais"
                            | "sans"
                            | "faute"
                    )
                });
                opens && !missing
            })
            .collect();
        let mut i = 0;
        while i < tokens.len() {
            if let Some((end, concept)) = self.longest_match(&tokens, i) {
                let c = &self.concepts[concept as usize];
                if c.role != Role::Ignore {
                    concepts.push(concept);
                    let action = c.role == Role::Action;
                    if c.family.is_some()
                        && (describes(&tokens, i, c.role) || (action && purpose(&tokens, i)))
                    {
                        described.push(concept);
                    } else if action
                        && tokens[i].part < last_part
                        && finding_parts[tokens[i].part as usize]
                    {
                        in_finding.push(concept);
                    } else {
                        request_acts |= action && !c.generic;
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
            residual.push(t.stem.to_string());
        }
        // What a finding names is described when the request asks an action of its
        // own; followed by "y remédier" only, it is what is asked.
        if request_acts {
            described.extend(in_finding);
        } else {
            requested.extend(in_finding);
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
        for found in [self.by_word.get(&*t.word), self.by_stem.get(&*t.stem)] {
            for v in found.into_iter().flatten() {
                if let Some(end) = match_at(tokens, i, &v.words, v.tight) {
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

/// The forms a one-word variant implies that the stemmer does not bring together:
/// nominal forms of verbs ("afficher" → "affichage", "enregistrer" →
/// "enregistrement", "vérifier" → "vérification", "élargir" → "élargissement",
/// "réduire" → "réduction", "nettoyer" → "nettoiement") and the verbs of such nouns
/// ("affichage" → "afficher"). Forms that are no French word match nothing.
fn derived_forms(word: &str) -> Vec<String> {
    let mut forms = Vec::new();
    if let Some(root) = word.strip_suffix("ier") {
        forms.push(format!("{root}ication"));
    }
    if let Some(root) = word.strip_suffix("oyer") {
        forms.push(format!("{root}oiement"));
    } else if let Some(root) = word.strip_suffix("eler") {
        forms.push(format!("{root}ellement"));
    } else if let Some(root) = word.strip_suffix("cer") {
        forms.push(format!("{root}çage"));
        forms.push(format!("{root}cement"));
    } else if let Some(root) = word.strip_suffix("er") {
        forms.push(format!("{root}age"));
        forms.push(format!("{root}ement"));
    } else if let Some(root) = word.strip_suffix("uire") {
        forms.push(format!("{root}uction"));
    } else if let Some(root) = word.strip_suffix("ir") {
        forms.push(format!("{root}issement"));
    } else if let Some(root) = word.strip_suffix("age") {
        forms.push(format!("{root}er"));
    } else if let Some(root) = word.strip_suffix("ement") {
        forms.push(format!("{root}er"));
    } else if let Some(root) = word.strip_suffix("ication") {
        forms.push(format!("{root}ier"));
    }
    forms.retain(|f| f.chars().count() >= 5);
    forms
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
    let after_noun =
        !previous.stop || matches!(&*previous.word, "celle" | "ceux" | "celui" | "celles");
    // "de l'affichage": look past an article for the "de".
    let mut p = i - 1;
    while p > 0 && matches!(&*tokens[p].word, "l" | "la" | "le" | "les") {
        p -= 1;
    }
    // An infinitive after "de" is the request ("il conviendrait de tester"), not a
    // nominal form describing something ("ceux de l'affichage").
    let infinitive = role == Role::Action
        && ["er", "ir", "re"]
            .iter()
            .any(|e| tokens[i].lower.ends_with(e));
    let after_de = !infinitive && matches!(&*tokens[p].word, "de" | "du" | "des" | "d");
    // "pas d'affichage", "plus de suivi": the negative partitive names what is missing.
    let negative = p >= 1 && matches!(&*tokens[p - 1].word, "pa" | "pas" | "plus" | "aucun");
    (participle && after_noun) || (after_de && !negative)
}

/// Whether the action at token `i` is the purpose of the request rather than the
/// request: right after "pour", "afin de", "en vue de", "de manière à", "de façon à"
/// (grammatical words between: "pour les aider à"). "Élaborer des fiches réflexes
/// pour aider les agents à répondre" asks for the fiches, not for help or answers.
fn purpose(tokens: &[Token], i: usize) -> bool {
    let mut p = i;
    for _ in 0..4 {
        let Some(q) = p.checked_sub(1) else {
            return false;
        };
        p = q;
        let t = &tokens[p];
        if t.part != tokens[i].part {
            return false;
        }
        if t.stop {
            if matches!(&*t.word, "pour" | "afin") {
                return true;
            }
            continue;
        }
        return matches!(&*t.word, "vue" | "maniere" | "facon");
    }
    false
}

/// Up to this many grammatical words of a text may sit between two words of an
/// expression ("bilan annuel des réclamations" is not needed: "bilan des réclamations"
/// matches "bilan de toutes les réclamations" only if the words between are grammar).
const MAX_SKIPPED: usize = 3;

/// The end of the match of `words` at token `i`, if they match.
fn match_at(tokens: &[Token], i: usize, words: &[Pattern], tight: bool) -> Option<usize> {
    // A variant starting with a grammatical word ("en ligne") must start there; any
    // other starts on a content word.
    if tokens[i].stop && !matches!(words.first(), Some(Pattern::Word(_))) {
        return None;
    }
    let mut k = i;
    for (j, pattern) in words.iter().enumerate() {
        if j > 0 && !(tight && j == 1) {
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
                    patterns.push(Pattern::Word(t.word.to_string()));
                }
            } else if exact {
                patterns.push(Pattern::Word(t.word.to_string()));
            } else {
                patterns.push(Pattern::Stem(t.stem.to_string()));
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
    let lower = text.to_lowercase();
    let mut part = 0u16;
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in lower.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(s) = start.take() {
            words.push((&lower[s..at], part));
        }
        if matches!(c, ':' | ';') {
            part = part.saturating_add(1);
        }
    }
    if let Some(s) = start {
        words.push((&lower[s..], part));
    }
    words
        .into_iter()
        .map(|(lower, part)| {
            let (word, stem, stop) = WORD_CACHE.with(|cache| {
                let mut cache = cache.borrow_mut();
                if let Some(known) = cache.get(lower) {
                    return known.clone();
                }
                let folded = fold(lower);
                let stop = lower.chars().count() < 2
                    || lower.chars().all(|c| c.is_numeric())
                    || normalizer.is_stop_word(&folded);
                let read: WordReading = (
                    fold(singular(lower)).into(),
                    normalizer.stem_of(lower).into(),
                    stop,
                );
                // Bounded: a corpus's vocabulary is small, but not every input is one.
                if cache.len() >= WORD_CACHE_SIZE {
                    cache.clear();
                }
                cache.insert(lower.to_owned(), read.clone());
                read
            });
            Token {
                stem,
                word,
                lower: lower.to_owned(),
                stop,
                part,
            }
        })
        .collect()
}

/// Words already read (lower case → folded singular, stem, grammatical), per thread:
/// stemming is most of the cost of reading a text, and texts share their words.
const WORD_CACHE_SIZE: usize = 200_000;

/// A word as read: folded singular, stem, grammatical.
type WordReading = (Rc<str>, Rc<str>, bool);

thread_local! {
    static WORD_CACHE: RefCell<HashMap<String, WordReading>> = RefCell::new(HashMap::new());
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

    /// Ids of the concepts a text asks (named and not only described).
    fn asked(text: &str) -> Vec<String> {
        let lexicon = Lexicon::builtin();
        let r = lexicon.read(text);
        let mut ids: Vec<String> = r
            .concepts
            .iter()
            .filter(|c| !r.described.contains(c))
            .map(|&c| lexicon.concepts[c as usize].id.clone())
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_purpose_is_not_the_request() {
        // "pour aider les agents": the request is the cue cards, not the help.
        let r =
            asked("Élaborer des fiches réflexes pour aider les agents à répondre aux questions.");
        assert!(!r.contains(&"accompagner".to_owned()), "{r:?}");
        assert!(ids("Élaborer des fiches réflexes pour aider les agents.")
            .contains(&"accompagner".to_owned()));
        assert!(
            asked("Former les agents afin de réduire l'attente.").contains(&"former".to_owned())
        );
        assert!(
            !asked("Former les agents afin de réduire l'attente.").contains(&"reduire".to_owned())
        );
        assert!(asked("Réduire l'attente.").contains(&"reduire".to_owned()));
    }

    #[test]
    fn a_finding_before_a_request_describes() {
        // What the finding names is described when the request asks an action…
        let r = asked("Les brochures mentionnent des tarifs anciens : les remplacer.");
        assert!(!r.contains(&"informer".to_owned()), "{r:?}");
        assert!(r.contains(&"equiper".to_owned()), "{r:?}");
        // A finding of what is missing names what is asked.
        let r = asked("Il n'existe pas d'affichage des horaires : en installer un.");
        assert!(r.contains(&"afficher".to_owned()), "{r:?}");
        // … and asked when the request is only "fix it".
        assert!(asked("Les horaires ne sont pas affichés : y remédier.")
            .contains(&"afficher".to_owned()));
        // Two requests in a row are both asked.
        let two = asked("Afficher les horaires ; les traduire en anglais.");
        assert!(two.contains(&"afficher".to_owned()) && two.contains(&"traduire".to_owned()));
    }

    #[test]
    fn nominal_forms_are_derived_from_verbs() {
        assert_eq!(derived_forms("afficher"), ["affichage", "affichement"]);
        assert_eq!(derived_forms("vérifier")[0], "vérification");
        assert_eq!(derived_forms("élargir"), ["élargissement"]);
        assert_eq!(derived_forms("réduire"), ["réduction"]);
        assert_eq!(derived_forms("affichage"), ["afficher"]);
        // A user's verb gets its nominal form without listing it.
        let user =
            "[[concept]]\nid = \"repeindre\"\nrole = \"action\"\nvariants = [\"badigeonner\"]\n";
        let lexicon = Lexicon::with_user_file(user).unwrap();
        let read = lexicon.read("le badigeonnage de la façade");
        assert!(read
            .concepts
            .iter()
            .any(|&c| lexicon.concepts[c as usize].id == "repeindre"));
        // What the lexicon lists wins over a derived form: "ménage" is cleaning, not
        // the nominal form of "mener".
        assert_eq!(ids("le ménage du hall"), ["accueil", "proprete"]);
    }

    #[test]
    fn a_leading_grammatical_word_binds_to_the_next() {
        // "sur site" (on the premises) is not "sur le site de la préfecture".
        assert!(ids("publier sur le site de la préfecture").contains(&"internet".to_owned()));
        assert!(!ids("contrôle sur site").contains(&"internet".to_owned()));
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
            lessiver,lessiver,action,lessiver;lessivage,ameliorer\n";
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
        assert_eq!(read("le lessivage"), ["lessiver"]);
        let at = |id: &str| lexicon.concepts.iter().position(|c| c.id == id).unwrap() as u32;
        assert!(lexicon.compatible[at("ameliorer") as usize].contains(&at("lessiver")));
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
