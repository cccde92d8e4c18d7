//! French-aware normalisation of annotation texts into the terms that grouping
//! compares: words are lower-cased, stemmed with the Snowball French stemmer, then
//! accent-folded with [`crate::text::fold`]; stop words, the auditors' advice
//! phrasing ("il conviendrait de", "s'assurer que", "mettre en place") and numbers are
//! dropped, and a small domain lexicon maps common synonyms ("mail" → "courriel",
//! "public" → "usager") onto one term. It only reads text: it never changes the
//! author's wording in any output.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold;

/// Articles, pronouns, prepositions, auxiliaries and other grammatical words, folded.
const STOP_WORDS: &[&str] = &[
    "a",
    "afin",
    "ai",
    "aie",
    "ainsi",
    "alors",
    "apres",
    "as",
    "au",
    "aucun",
    "aucune",
    "auprès",
    "aupres",
    "aussi",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avais",
    "avait",
    "avant",
    "avec",
    "avez",
    "avons",
    "ayant",
    "c",
    "ca",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "comme",
    "d",
    "dans",
    "de",
    "des",
    "deja",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "entre",
    "es",
    "est",
    "et",
    "etaient",
    "etait",
    "etant",
    "etc",
    "ete",
    "etre",
    "eu",
    "eux",
    "fait",
    "faire",
    "font",
    "ici",
    "il",
    "ils",
    "j",
    "je",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lui",
    "m",
    "ma",
    "mais",
    "me",
    "meme",
    "memes",
    "mes",
    "moi",
    "mon",
    "n",
    "ne",
    "ni",
    "non",
    "nos",
    "notamment",
    "notre",
    "nous",
    "on",
    "ont",
    "or",
    "ou",
    "par",
    "pas",
    "peu",
    "peut",
    "peuvent",
    "plus",
    "plusieurs",
    "pour",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "qui",
    "s",
    "sa",
    "sans",
    "se",
    "selon",
    "ses",
    "si",
    "soient",
    "soit",
    "son",
    "sont",
    "sous",
    "suis",
    "sur",
    "t",
    "ta",
    "te",
    "tel",
    "telle",
    "telles",
    "tels",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "tres",
    "tu",
    "un",
    "une",
    "uns",
    "vers",
    "via",
    "vos",
    "votre",
    "vous",
    "y",
    "ainsi",
    "bien",
    "lorsque",
    "puis",
    "ceux-ci",
    "certain",
    "certains",
    "certaine",
    "certaines",
    "davantage",
    "mieux",
    "toujours",
    "egalement",
];

/// Words of the auditors' advice phrasing rather than of its subject; compared as
/// stems, so every inflection is covered ("recommandé", "recommandons").
const ADVICE_WORDS: &[&str] = &[
    "conviendrait",
    "convient",
    "pourrait",
    "pouvoir",
    "devrait",
    "devoir",
    "faudrait",
    "falloir",
    "serait",
    "souhaitable",
    "nécessaire",
    "opportun",
    "utile",
    "envisager",
    "envisageable",
    "veiller",
    "recommander",
    "préconiser",
    "suggérer",
    "conseiller",
    "assurer",
    "étudier",
    "possibilité",
    "mettre",
    "mise",
    "place",
    "œuvre",
    "piste",
    "progrès",
    "point",
    "sensible",
    "prévoir",
    "engager",
    "permettre",
    "afin",
    "ensuite",
    "également",
    "systématiquement",
    "régulièrement",
    "périodiquement",
    "périodique",
    "davantage",
    "effectuer",
    "réaliser",
    "procéder",
    "aucun",
    "toujours",
    "encore",
    "manière",
    "façon",
];

/// Domain synonyms: each variant is read as its canonical word. Compared as stems.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "courriel",
        &[
            "mail",
            "mails",
            "email",
            "emails",
            "mél",
            "mèl",
            "messagerie",
        ],
    ),
    (
        "usager",
        &[
            "public",
            "administré",
            "administrés",
            "demandeur",
            "demandeurs",
        ],
    ),
    ("internet", &["web", "numérique", "ligne"]),
    (
        "téléphone",
        &[
            "téléphonique",
            "téléphoniques",
            "appel",
            "appels",
            "standard",
        ],
    ),
    (
        "afficher",
        &["affichage", "affichages", "affiche", "affiches"],
    ),
    ("horaire", &["heure", "heures"]),
    (
        "formation",
        &[
            "former",
            "formés",
            "formées",
            "sensibiliser",
            "sensibilisation",
        ],
    ),
    (
        "agent",
        &[
            "personnel",
            "personnels",
            "collaborateur",
            "collaborateurs",
            "équipe",
            "équipes",
        ],
    ),
    (
        "signalétique",
        &["signalisation", "fléchage", "panneau", "panneaux"],
    ),
    ("réclamation", &["plainte", "plaintes"]),
    (
        "jour",
        &[
            "actualiser",
            "actualisation",
            "actualisé",
            "actualisée",
            "actualisés",
            "actualisées",
        ],
    ),
    (
        "handicap",
        &["pmr", "mobilité", "handicapé", "handicapées", "handicapés"],
    ),
    ("svi", &["serveur", "vocal", "interactif"]),
    ("délai", &["délais", "temps"]),
    (
        "enquête",
        &["questionnaire", "questionnaires", "sondage", "sondages"],
    ),
    ("procédure", &["processus", "mode", "opératoire"]),
    (
        "visible",
        &[
            "visiblement",
            "lisible",
            "lisibles",
            "lisiblement",
            "clairement",
            "apparent",
            "apparente",
        ],
    ),
    (
        "contrôle",
        &[
            "contrôler",
            "vérifier",
            "vérification",
            "vérifications",
            "vérifié",
            "vérifiée",
            "vérifiés",
            "vérifiées",
        ],
    ),
];

/// The normaliser: stemmer, stop words and lexicon, built once.
pub struct Normalizer {
    stemmer: Stemmer,
    stop_words: HashSet<String>,
    advice_stems: HashSet<String>,
    synonyms: HashMap<String, String>,
}

impl Normalizer {
    /// The shared normaliser (building one stems the lexicon).
    pub fn get() -> &'static Normalizer {
        static NORMALIZER: OnceLock<Normalizer> = OnceLock::new();
        NORMALIZER.get_or_init(Normalizer::new)
    }

    fn new() -> Normalizer {
        let stemmer = Stemmer::create(Algorithm::French);
        let stem = |w: &str| fold(&stemmer.stem(singular(&w.to_lowercase())));
        let stop_words = STOP_WORDS.iter().map(|w| fold(w)).collect();
        let advice_stems = ADVICE_WORDS.iter().map(|w| stem(w)).collect();
        let mut synonyms = HashMap::new();
        for (canonical, variants) in SYNONYMS {
            let target = stem(canonical);
            for variant in *variants {
                synonyms.insert(stem(variant), target.clone());
            }
        }
        Normalizer {
            stemmer,
            stop_words,
            advice_stems,
            synonyms,
        }
    }

    /// The terms of a text, in text order (repeats kept).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut terms = Vec::new();
        for word in lower.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() < 2 || word.chars().all(|c| c.is_numeric()) {
                continue;
            }
            let folded = fold(word);
            if self.stop_words.contains(&folded) {
                continue;
            }
            let stem = fold(&self.stemmer.stem(singular(word)));
            if stem.is_empty() || self.advice_stems.contains(&stem) {
                continue;
            }
            let term = self.synonyms.get(&stem).cloned().unwrap_or(stem);
            if !self.advice_stems.contains(&term) {
                terms.push(term);
            }
        }
        terms
    }
}

/// Drops a plural "s" before stemming: Snowball's French stemmer gives "usag" for
/// "usager" but "usager" for "usagers".
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(rest) if rest.chars().count() >= 3 && !rest.ends_with('s') => rest,
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Normalizer::get().terms(text)
    }

    #[test]
    fn folds_stems_and_drops_grammar_and_advice() {
        assert_eq!(
            terms("Il conviendrait d'afficher les horaires d'ouverture."),
            terms("Afficher l'horaire d’ouverture")
        );
        assert_eq!(
            terms("Les horaires sont affichés"),
            vec!["horair", "affich"]
        );
        assert!(terms("S'assurer que la boucle magnétique est contrôlée")
            .contains(&"magnet".to_owned()));
    }

    #[test]
    fn plural_and_singular_agree() {
        for (a, b) in [
            ("usager", "usagers"),
            ("délai", "délais"),
            ("horaire", "horaires"),
            ("enquête", "enquêtes"),
        ] {
            assert_eq!(terms(a), terms(b), "{a} / {b}");
        }
    }

    #[test]
    fn maps_domain_synonyms() {
        assert_eq!(terms("répondre aux mails"), terms("répondre aux courriels"));
        assert_eq!(terms("accueil du public"), terms("accueil des usagers"));
    }

    #[test]
    fn drops_numbers_and_single_letters() {
        assert_eq!(terms("sous 15 jours, à J+2"), vec!["jour"]);
        assert_eq!(terms("actualiser la page"), terms("mettre à jour la page"));
    }
}
