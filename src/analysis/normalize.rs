//! French-aware normalisation of annotation texts into the terms that grouping
//! compares. Words are lower-cased, a hyphen joins its parts ("rendez-vous",
//! "sous-préfecture", "qual-e-pref" are one word each), and then:
//! - a few phrases become one term or none ([`PHRASES`]: "serveur vocal interactif" and
//!   "SVI", "comité de pilotage" and "COPIL", "à jour", "sur site", "en lien avec");
//! - stop words, the auditors' advice phrasing and light verbs ("il conviendrait de",
//!   "s'assurer que", "mettre en place", "instaurer", "créer") and the words framing a
//!   finding ("il a été constaté que", "attention") are dropped, as are numbers;
//! - a word of the domain lexicon ([`LEXICON`]) becomes its canonical term: synonyms
//!   ("mail" → courriel, "public" → usager, "vérifier" → contrôle) and the noun and
//!   verb of one action that the stemmer keeps apart ("répondre" / "réponse");
//! - any other word becomes its stem: plural "s" dropped, a past participle read as
//!   its infinitive ("contrôlées" → "contrôler"), Snowball French stem, accents folded.
//!
//! The tables are small and documented; they name general vocabulary of prefecture
//! audits, not the wording of particular tracks. Normalisation only reads text: it
//! never changes the author's wording in any output.

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
    "ceuxci",
    "cidessus",
    "cidessous",
    "audela",
    "fois",
    "ensemble",
    "clairement",
    "certain",
    "certains",
    "certaine",
    "certaines",
    "davantage",
    "mieux",
    "toujours",
    "egalement",
];

/// Words of the auditors' advice phrasing and light verbs rather than of the subject
/// ("mettre en place", "instaurer", "créer", "tenir", "proposer"); compared as stems,
/// so every inflection is covered ("recommandé", "recommandons").
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
    "garantir",
    "étudier",
    "possibilité",
    "mettre",
    "mise",
    "place",
    "œuvre",
    "instaurer",
    "instituer",
    "créer",
    "établir",
    "élaborer",
    "constituer",
    "tenir",
    "rendre",
    "prendre",
    "donner",
    "proposer",
    "offrir",
    "fournir",
    "disposition",
    "objet",
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
    "systématiser",
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
    // Conjugated modals and the frames of advice the stems above miss ("il doit",
    // "il faut", "gagneraient à", "il importe de", "faute de").
    "doit",
    "doivent",
    "devra",
    "devront",
    "devraient",
    "faut",
    "faudra",
    "pourraient",
    "pourra",
    "pourront",
    "gagnerait",
    "gagneraient",
    "mériterait",
    "mériteraient",
    "importe",
    "importerait",
    "souhaiter",
    "recommandation",
    "préconisation",
    "nécessiter",
    "indispensable",
    "impératif",
    "opportunité",
    "sembler",
    "paraître",
    "apparaître",
    "sera",
    "seront",
    "seraient",
    "absence",
    "manque",
    "faute",
];

/// Words that frame a finding rather than state it ("Attention :", "Il a été constaté
/// que", "Nous relevons que"), matched as whole words: the stems would also drop
/// "attente" and "constats".
const FRAME_WORDS: &[&str] = &[
    "attention",
    "constaté",
    "constatons",
    "relevons",
    "notons",
    "observons",
    "soulignons",
    "rappelons",
];

/// Expressions read as one term (or dropped, for an empty term): acronyms of the
/// prefectures' vocabulary with their spelled-out forms, and phrases whose words would
/// mislead one by one ("sur site" is not the web site, "à jour" is not a day). Matched
/// on folded words with the plural "s" ignored, longest first.
const PHRASES: &[(&str, &str)] = &[
    ("serveur vocal interactif", "svi"),
    ("serveur vocal", "svi"),
    ("standard vocal", "svi"),
    ("menu vocal", "svi"),
    ("point d'accueil numérique", "pan"),
    ("point numérique", "pan"),
    ("comité local des usagers", "clu"),
    ("comité des usagers", "clu"),
    ("comité de pilotage", "copil"),
    ("chambre régionale des comptes", "crc"),
    ("chambre régionale", "crc"),
    ("retour d'expérience", "retex"),
    ("compte rendu", "compte-rendu"),
    ("relevé de décisions", "compte-rendu"),
    ("message électronique", "courriel"),
    ("site internet", "internet"),
    ("site web", "internet"),
    ("en ligne", "internet"),
    ("sur site", ""),
    ("sur place", ""),
    ("à jour", "mise-à-jour"),
    ("mode opératoire", "procédure"),
    ("mode d'emploi", "guide"),
    ("en lien avec", ""),
    ("lien mort", "lien-mort"),
    ("lien brisé", "lien-mort"),
    ("lien cassé", "lien-mort"),
    ("lien inactif", "lien-mort"),
    ("en situation de handicap", "handicap"),
    ("à mobilité réduite", "handicap"),
    ("dans les meilleurs délais", ""),
    ("au moins", ""),
    ("une fois par", ""),
];

/// Domain lexicon: each word form listed (accents, plural "s" and past-participle
/// endings ignored: "contrôlées" reads as "contrôler") is read as the canonical term.
/// Synonyms of the prefectures' audits and the nouns and verbs of one action that the
/// stemmer keeps apart ("répondre" / "réponse", "suivre" / "suivi"). Matched on whole
/// words, never on stems: "administratives" is not "administrés".
const LEXICON: &[(&str, &[&str])] = &[
    ("courriel", &["mail", "email", "mél", "mèl", "messagerie"]),
    ("usager", &["public", "administré", "demandeur", "appelant"]),
    ("internet", &["web", "numérique"]),
    ("téléphone", &["téléphonique", "appel", "standard"]),
    ("afficher", &["affichage", "affiche"]),
    ("horaire", &["heure"]),
    ("formation", &["former", "sensibiliser", "sensibilisation"]),
    (
        "agent",
        &[
            "personnel",
            "collaborateur",
            "équipe",
            "effectif",
            "arrivant",
        ],
    ),
    ("nouveau", &["nouvel", "nouvelle", "nouvellement"]),
    ("signalétique", &["signalisation", "fléchage", "panneau"]),
    ("réclamation", &["plainte"]),
    ("mise-à-jour", &["actualiser", "actualisation"]),
    ("handicap", &["pmr", "handicaper"]),
    ("délai", &["temps", "durée"]),
    ("enquête", &["questionnaire", "sondage"]),
    ("procédure", &["processus"]),
    (
        "visible",
        &["lisible", "apparent", "visiblement", "lisiblement"],
    ),
    (
        "contrôle",
        &["contrôler", "vérifier", "vérification", "tester", "test"],
    ),
    (
        "analyse",
        &[
            "analyser",
            "exploiter",
            "exploitation",
            "examiner",
            "examen",
        ],
    ),
    ("indicateur", &["mesurer", "relever", "relevé"]),
    ("suivi", &["suivre", "suivie"]),
    ("réponse", &["répondre", "répondu"]),
    ("publier", &["publication"]),
    ("désigner", &["désignation", "nommer", "nomination"]),
    (
        "planifier",
        &[
            "planification",
            "programmer",
            "programmation",
            "programme",
            "planning",
            "calendrier",
        ],
    ),
    (
        "revue",
        &["revoir", "réviser", "révision", "relire", "relecture"],
    ),
    (
        "tracer",
        &[
            "traçabilité",
            "enregistrer",
            "enregistrement",
            "consigner",
            "recenser",
        ],
    ),
    (
        "réunion",
        &["réunir", "réuni", "réunie", "séance", "convoquer"],
    ),
    ("définir", &["fixer", "préciser", "déterminer"]),
    (
        "améliorer",
        &[
            "amélioration",
            "renforcer",
            "enrichir",
            "compléter",
            "développer",
        ],
    ),
    ("annuel", &["an", "année", "annuellement"]),
    ("mensuel", &["mois", "mensuellement"]),
    ("trimestriel", &["trimestre", "trimestriellement"]),
    ("hebdomadaire", &["semaine"]),
    ("modèle", &["type", "trame", "gabarit"]),
    ("guide", &["livret", "notice", "tutoriel"]),
    ("élu", &["maire"]),
    ("dépasser", &["dépassement", "excéder", "supérieur"]),
    ("insuffisant", &["insuffisance", "inférieur"]),
    ("objectif", &["cible", "engagement"]),
    ("utiliser", &["usage", "utilisation"]),
    ("compte-rendu", &["procès-verbal"]),
    ("référentiel", &["qual-e-pref", "qualipref"]),
];

/// The normaliser: stemmer, stop words, phrases and lexicon, built once.
pub struct Normalizer {
    stemmer: Stemmer,
    stop_words: HashSet<String>,
    advice_stems: HashSet<String>,
    /// Word keys ([`word_key`]) of the frame words.
    frame_words: HashSet<String>,
    /// Phrases by their first word: (the words, the term; empty: dropped), longest first.
    phrases: HashMap<String, Vec<(Vec<String>, String)>>,
    /// Word key ([`word_key`]) → canonical term.
    lexicon: HashMap<String, String>,
}

impl Normalizer {
    /// The shared normaliser (building one stems the lexicon).
    pub fn get() -> &'static Normalizer {
        static NORMALIZER: OnceLock<Normalizer> = OnceLock::new();
        NORMALIZER.get_or_init(Normalizer::new)
    }

    fn new() -> Normalizer {
        let stemmer = Stemmer::create(Algorithm::French);
        let stop_words = STOP_WORDS.iter().map(|w| fold(w)).collect();
        let advice_stems = ADVICE_WORDS
            .iter()
            .map(|w| stem(&stemmer, &w.to_lowercase()))
            .collect();
        let frame_words = FRAME_WORDS.iter().map(|w| word_key(w)).collect();
        let mut phrases: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for (phrase, term) in PHRASES {
            let words: Vec<String> = words(&phrase.to_lowercase())
                .map(|w| fold(singular(&w)))
                .collect();
            phrases
                .entry(words[0].clone())
                .or_default()
                .push((words, fold(term)));
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        let mut lexicon = HashMap::new();
        for (canonical, variants) in LEXICON {
            let term = fold(canonical);
            for form in std::iter::once(canonical).chain(variants.iter()) {
                let key = word_key(&joined(&form.to_lowercase()));
                lexicon.insert(key, term.clone());
            }
        }
        Normalizer {
            stemmer,
            stop_words,
            advice_stems,
            frame_words,
            phrases,
            lexicon,
        }
    }

    /// Whether a folded word is a grammatical word (article, preposition…).
    pub(crate) fn is_stop_word(&self, folded: &str) -> bool {
        self.stop_words.contains(folded)
    }

    /// Whether a stem ([`Normalizer::stem_of`]) is of the auditors' advice phrasing or a
    /// light verb ("conviendrait", "veiller", "mettre", "proposer").
    pub(crate) fn is_advice_stem(&self, stem: &str) -> bool {
        self.advice_stems.contains(stem)
    }

    /// Whether a lower-cased word frames a finding ("attention", "constaté").
    pub(crate) fn is_frame_word(&self, lower: &str) -> bool {
        self.frame_words.contains(&word_key(lower))
    }

    /// The stem of a lower-cased word: plural "s" dropped, past participle read as its
    /// verb, Snowball French stem, accents folded.
    pub(crate) fn stem_of(&self, lower: &str) -> String {
        stem(&self.stemmer, lower)
    }

    /// The terms of a text, in text order (repeats kept).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let words: Vec<String> = words(&lower).collect();
        let folded: Vec<String> = words.iter().map(|w| fold(singular(w))).collect();
        let mut terms = Vec::new();
        let mut i = 0;
        'words: while i < words.len() {
            if let Some(candidates) = self.phrases.get(&folded[i]) {
                for (phrase, term) in candidates {
                    if folded[i..].starts_with(phrase) {
                        if !term.is_empty() {
                            terms.push(term.clone());
                        }
                        i += phrase.len();
                        continue 'words;
                    }
                }
            }
            let word = &words[i];
            i += 1;
            if word.chars().count() < 2
                || word.chars().all(|c| c.is_numeric())
                || self.stop_words.contains(&fold(word))
            {
                continue;
            }
            let key = word_key(word);
            if self.frame_words.contains(&key) {
                continue;
            }
            if let Some(term) = self.lexicon.get(&key) {
                terms.push(term.clone());
                continue;
            }
            let stem = stem(&self.stemmer, word);
            if !stem.is_empty() && !self.advice_stems.contains(&stem) {
                terms.push(stem);
            }
        }
        terms
    }
}

/// The words of a lower-cased text: runs of letters and digits, a hyphen between two
/// of them joining the parts ("rendez-vous", "auto-évaluation", "sous-préfecture",
/// "qual-e-pref" are one word each); apostrophes and other signs separate.
fn words(lower: &str) -> impl Iterator<Item = String> + '_ {
    lower
        .split(|c: char| !(c.is_alphanumeric() || is_hyphen(c)))
        .map(joined)
        .filter(|w| !w.is_empty())
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–')
}

/// A word with its hyphens removed ("rendez-vous" → "rendezvous").
fn joined(word: &str) -> String {
    word.split(is_hyphen)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .concat()
}

/// Lexicon key of a lower-cased word: plural "s" dropped, a past participle read as
/// its infinitive ("contrôlées" → "contrôler"), accents folded.
fn word_key(word: &str) -> String {
    fold(&participle_to_infinitive(singular(word)))
}

/// The stem of a lower-cased word: its past participle read as the infinitive, then
/// the Snowball French stem, accent-folded. Snowball stems "publié", "publiées" and
/// "publier" three ways ("publ", "publie", "publi"); through the infinitive they agree.
fn stem(stemmer: &Stemmer, word: &str) -> String {
    fold(&stemmer.stem(&participle_to_infinitive(singular(word))))
}

/// "contrôlée" → "contrôler", "affichés" → "afficher": a word ending in "é", "ée",
/// "és" or "ées" (or "ee", accents lost) after at least three letters. Nouns in "-é" ("qualité") stem the
/// same either way.
fn participle_to_infinitive(word: &str) -> std::borrow::Cow<'_, str> {
    for ending in ["ées", "ée", "és", "é", "ee"] {
        if let Some(root) = word.strip_suffix(ending) {
            if root.chars().count() >= 3 {
                return format!("{root}er").into();
            }
        }
    }
    word.into()
}

/// Drops a plural "s" before stemming: Snowball's French stemmer gives "usag" for
/// "usager" but "usager" for "usagers".
pub(crate) fn singular(word: &str) -> &str {
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
            vec!["horaire", "afficher"]
        );
        assert!(terms("S'assurer que la boucle magnétique est contrôlée")
            .contains(&"magnet".to_owned()));
        assert_eq!(
            terms("Instaurer une revue annuelle"),
            terms("Mettre en place une revue annuelle")
        );
        assert_eq!(
            terms("Attention : le temps d'attente n'est pas mesuré."),
            ["délai", "attent", "indicateur"]
                .iter()
                .map(|t| fold(t))
                .collect::<Vec<_>>()
        );
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
    fn participles_stem_like_their_verb() {
        for (a, b) in [
            ("publier", "publiées"),
            ("publier", "publié"),
            ("contrôler", "contrôlée"),
            ("afficher", "affichés"),
            ("contrôler", "controlee"),
        ] {
            assert_eq!(terms(a), terms(b), "{a} / {b}");
        }
    }

    #[test]
    fn maps_domain_synonyms() {
        assert_eq!(terms("répondre aux mails"), terms("répondre aux courriels"));
        assert_eq!(terms("accueil du public"), terms("accueil des usagers"));
        assert_eq!(terms("la réponse"), terms("répondre"));
        assert_eq!(terms("le suivi"), terms("suivre"));
        assert_eq!(
            terms("le message du SVI"),
            terms("le message du serveur vocal interactif")
        );
        assert_eq!(
            terms("réunir le CLU"),
            terms("réunir le comité local des usagers")
        );
        assert_eq!(terms("des liens brisés"), terms("des liens morts"));
    }

    #[test]
    fn the_lexicon_matches_words_not_stems() {
        // "administratives" stems like "administrés" (usager), "équipements" like
        // "équipe" (agent), "indicateur" like "indiquer": none is conflated.
        assert_ne!(terms("polices administratives"), terms("polices usagers"));
        assert_ne!(terms("les équipements"), terms("les agents"));
        assert_ne!(terms("un indicateur"), terms("indiquer"));
        // "serveur" alone is a file server, not the SVI; "sur site" is not the web site.
        assert_ne!(terms("le serveur partagé"), terms("le SVI partagé"));
        assert!(terms("affichés sur site").iter().all(|t| t != "internet"));
    }

    #[test]
    fn hyphenated_words_are_one_word() {
        assert_eq!(terms("prise de rendez-vous"), vec!["pris", "rendezvou"]);
        assert_ne!(terms("sous-préfecture"), terms("préfecture"));
        assert_eq!(
            terms("les indicateurs Qual-e-pref"),
            terms("les indicateurs du référentiel")
        );
    }

    #[test]
    fn drops_numbers_and_single_letters() {
        assert_eq!(terms("sous 15 jours, à J+2"), vec!["jour"]);
        assert_eq!(terms("actualiser la page"), terms("mettre à jour la page"));
    }
}
