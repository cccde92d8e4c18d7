//! Benchmark of the analysis stage: speed and memory at scale, and grouping quality
//! (pairwise precision and recall against known topics). Not a timed test.
//!
//! `cargo bench --bench analysis` groups 100,000 synthetic PP/PS annotations in
//! process and prints time and precision/recall. With arguments (run through
//! `scripts/bench-analysis.sh`, which measures time and peak RSS with
//! `/usr/bin/time -v` on the real command):
//! - `synth --annotations N --out FILE.jsonl [--seed S]` writes a corpus of report
//!   JSON Lines (schema 1) whose PP and PS annotations carry an extra `topic` field;
//! - `defaults` prints the `analyze` flags of `GroupingParams::default()`;
//! - `explain FILE` prints the terms, concepts (described ones in brackets) and
//!   residual words of each line of FILE, the pairs of lines at a
//!   similarity of 0.2 or more and the groups the default parameters make;
//! - `pairs TRUTH... [--details N]`: for each topic of the truth, the terms of its
//!   distinct texts and their pairwise similarities, how many pairs of the same topic
//!   and of different topics reach each similarity, and the N closest pairs of
//!   different topics (with `PAIRS_DUMP=PATH`, also writes topic, count and terms of
//!   every distinct text to PATH.pp and PATH.ps);
//! - `eval --tracks OUT/tracks.json TRUTH...` compares the groups of `tracks.json` with
//!   the topics found in TRUTH (files or directories: JSON Lines as written by `synth`,
//!   or `*.expected.json` files of the corpus generator): every PP/PS annotation object
//!   with a `topic` is a truth item, matched to the members of `tracks.json` by report
//!   file stem and accent-folded text. With `--details N` it also lists the N topics
//!   that lose the most true pairs (the distinct texts of each part they are split
//!   into) and the N groups that mix topics the most.
//!
//! The synthetic paraphrases are built from topics whose wording varies by slot
//! (verb, object, place, with synonyms some of which the normaliser's lexicon does not
//! know), framed by the auditors' usual phrasings, sometimes shortened or extended
//! with a phrase shared across topics; one annotation in ten is an unrelated one-off.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use audit_extract::analysis::grouping::{group_texts, pair_similarities, GroupingParams};
use audit_extract::departments::DEPARTMENTS;
use audit_extract::model::*;
use audit_extract::text::fold;

/// Improvement tracks: slots of interchangeable wordings, read in order.
const PP_TOPICS: &[&[&[&str]]] = &[
    &[
        &[
            "afficher",
            "rendre visibles",
            "mettre en évidence",
            "indiquer clairement",
        ],
        &[
            "les horaires d'ouverture",
            "les heures d'ouverture",
            "les horaires d'accueil",
        ],
        &[
            "à l'entrée du bâtiment",
            "sur la porte d'entrée",
            "à l'extérieur de la préfecture",
        ],
    ],
    &[
        &["mettre à jour", "actualiser", "réviser"],
        &[
            "le message d'accueil du SVI",
            "le message du serveur vocal interactif",
            "l'annonce du serveur vocal",
        ],
        &[
            "qui mentionne d'anciennes modalités de rendez-vous",
            "annonçant des informations périmées",
        ],
    ],
    &[
        &["envoyer", "adresser", "transmettre"],
        &[
            "un accusé de réception",
            "un accusé de réception automatique",
        ],
        &[
            "pour chaque courriel reçu",
            "aux courriels des usagers",
            "à chaque message électronique",
        ],
    ],
    &[
        &["contrôler", "vérifier", "tester"],
        &["régulièrement", "chaque mois", "périodiquement"],
        &[
            "le fonctionnement de la boucle magnétique",
            "la boucle à induction magnétique",
        ],
    ],
    &[
        &["former", "sensibiliser", "faire suivre une formation à"],
        &[
            "les agents d'accueil",
            "le personnel d'accueil",
            "les agents du standard",
        ],
        &[
            "à l'accueil des personnes en situation de handicap",
            "à l'accueil des publics handicapés",
            "à l'accueil des personnes à mobilité réduite",
        ],
    ],
    &[
        &["réduire", "diminuer", "maîtriser"],
        &[
            "le temps d'attente",
            "les délais d'attente",
            "la durée d'attente",
        ],
        &[
            "au guichet des titres de séjour",
            "à l'accueil des étrangers",
            "aux guichets du bureau des étrangers",
        ],
    ],
    &[
        &["mettre en place", "instaurer", "organiser"],
        &[
            "une enquête de satisfaction",
            "un questionnaire de satisfaction",
            "un sondage de satisfaction",
        ],
        &[
            "auprès des usagers du site internet",
            "sur le site internet",
            "pour les démarches en ligne",
        ],
    ],
    &[
        &["publier", "mettre en ligne", "diffuser"],
        &[
            "le bilan annuel des réclamations",
            "la synthèse des réclamations",
            "le bilan des plaintes et suggestions",
        ],
        &[
            "sur le site internet",
            "sur la page internet de la préfecture",
            "sur le site de la préfecture",
        ],
    ],
    &[
        &["renouveler", "compléter", "élargir"],
        &[
            "la composition du comité local des usagers",
            "les membres du comité des usagers",
            "le comité local des usagers",
        ],
        &[
            "avec des associations d'usagers",
            "en y associant des représentants d'associations",
        ],
    ],
    &[
        &["formaliser", "rédiger", "écrire"],
        &[
            "la procédure de traitement des courriers",
            "le mode opératoire du bureau du courrier",
            "la procédure de gestion du courrier",
        ],
        &[
            "et la diffuser aux services",
            "pour l'ensemble des services",
        ],
    ],
    &[
        &["améliorer", "revoir", "refaire"],
        &["la signalétique", "le fléchage", "la signalisation"],
        &[
            "dans le hall d'accueil",
            "vers les guichets",
            "à l'intérieur du bâtiment",
        ],
    ],
    &[
        &["relancer", "réactiver", "reprendre"],
        &[
            "les réunions du comité de pilotage qualité",
            "le COPIL qualité",
            "les réunions de pilotage de la démarche qualité",
        ],
        &[
            "au moins deux fois par an",
            "selon un calendrier semestriel",
        ],
    ],
    &[
        &["intégrer", "inclure", "faire figurer"],
        &[
            "les indicateurs Qual-e-pref",
            "les indicateurs qualité",
            "le suivi des engagements qualité",
        ],
        &[
            "dans le bilan annuel",
            "au bilan annuel de la démarche",
            "dans le rapport annuel",
        ],
    ],
    &[
        &["animer", "alimenter", "faire vivre"],
        &[
            "les comptes de réseaux sociaux",
            "la page Facebook de la préfecture",
            "les réseaux sociaux",
        ],
        &[
            "avec un plan de communication",
            "selon un calendrier éditorial",
            "grâce à une charte éditoriale",
        ],
    ],
    &[
        &["proposer", "offrir", "permettre"],
        &[
            "la prise de rendez-vous en ligne",
            "la réservation de créneaux sur internet",
            "un module de rendez-vous en ligne",
        ],
        &[
            "pour le retrait des titres",
            "pour la remise des titres de séjour",
            "pour les demandes de titres",
        ],
    ],
    &[
        &["mesurer", "suivre", "relever"],
        &[
            "le taux de décroché",
            "le taux de réponse aux appels",
            "le nombre d'appels aboutis",
        ],
        &[
            "du standard téléphonique",
            "du standard",
            "de l'accueil téléphonique",
        ],
    ],
    &[
        &["harmoniser", "uniformiser", "mettre en cohérence"],
        &[
            "les modèles de courriers",
            "les courriers types",
            "les lettres types",
        ],
        &[
            "avec la charte graphique",
            "selon la charte Marianne",
            "avec l'identité visuelle de l'État",
        ],
    ],
    &[
        &["développer", "renforcer", "étendre"],
        &[
            "l'accompagnement au point d'accueil numérique",
            "la médiation numérique au PAN",
            "l'aide aux démarches en ligne au point numérique",
        ],
        &[
            "avec des volontaires du service civique",
            "grâce aux VSC",
            "en s'appuyant sur des services civiques",
        ],
    ],
    &[
        &["tracer", "enregistrer", "consigner"],
        &[
            "les réclamations orales",
            "les plaintes exprimées au guichet",
            "les réclamations reçues à l'accueil",
        ],
        &[
            "dans un registre",
            "dans l'outil de suivi des réclamations",
            "dans un tableau de suivi",
        ],
    ],
    &[
        &["organiser", "planifier", "programmer"],
        &[
            "des audits internes",
            "des auto-évaluations",
            "des audits croisés",
        ],
        &[
            "sur tous les modules labellisés",
            "pour chaque module du référentiel",
            "chaque année",
        ],
    ],
    &[
        &["accueillir", "intégrer", "accompagner"],
        &[
            "les nouveaux arrivants",
            "les nouveaux agents",
            "les agents nouvellement affectés",
        ],
        &[
            "avec un livret d'accueil qualité",
            "par une présentation de la démarche qualité",
            "par un tutorat",
        ],
    ],
    &[
        &["installer", "prévoir", "aménager"],
        &[
            "un espace de confidentialité",
            "un bureau fermé pour les entretiens",
            "un espace confidentiel",
        ],
        &[
            "à l'accueil général",
            "près des guichets",
            "dans la salle d'attente",
        ],
    ],
    &[
        &["vérifier", "contrôler", "tester"],
        &[
            "les liens du site internet",
            "les liens morts du site",
            "la validité des liens internet",
        ],
        &[
            "chaque trimestre",
            "tous les trois mois",
            "de manière trimestrielle",
        ],
    ],
    &[
        &["respecter", "tenir", "garantir"],
        &[
            "le délai de réponse annoncé",
            "le délai de réponse de quinze jours",
            "les délais de réponse affichés",
        ],
        &[
            "aux courriers des collectivités",
            "aux sollicitations des élus",
            "pour les demandes des collectivités territoriales",
        ],
    ],
    &[
        &["mettre à disposition", "fournir", "proposer"],
        &[
            "des formulaires en plusieurs langues",
            "des documents traduits",
            "une information multilingue",
        ],
        &["au bureau des étrangers", "à l'accueil des étrangers"],
    ],
    &[
        &["rappeler", "recontacter", "rappeler systématiquement"],
        &[
            "les usagers ayant laissé un message",
            "les appelants en absence",
            "les personnes ayant appelé hors horaires",
        ],
        &[
            "dans la journée",
            "sous vingt-quatre heures",
            "le jour même",
        ],
    ],
    &[
        &["équiper", "doter", "munir"],
        &[
            "les agents d'accueil",
            "le personnel du standard",
            "les agents du guichet",
        ],
        &[
            "de badges nominatifs",
            "d'un badge portant leur nom",
            "d'une carte d'identification",
        ],
    ],
    &[
        &["réaliser", "conduire", "mener"],
        &[
            "des appels mystères",
            "des tests d'appels anonymes",
            "des campagnes d'appels mystère",
        ],
        &[
            "sur le standard",
            "sur les lignes des services",
            "auprès des services instructeurs",
        ],
    ],
    &[
        &["archiver", "classer", "conserver"],
        &[
            "les preuves de la démarche qualité",
            "les enregistrements qualité",
            "les documents de preuve",
        ],
        &[
            "sur l'espace partagé",
            "dans le répertoire commun",
            "dans la GED",
        ],
    ],
    &[
        &["simplifier", "clarifier", "rendre plus lisible"],
        &[
            "la page d'accueil du site internet",
            "la rubrique démarches du site",
            "l'arborescence du site",
        ],
        &[
            "pour les démarches les plus demandées",
            "pour les usagers",
            "en lien avec les services",
        ],
    ],
];

/// Sensitive points: statements, same slot scheme.
const PS_TOPICS: &[&[&[&str]]] = &[
    &[
        &[
            "la boucle magnétique",
            "la boucle à induction",
            "le dispositif d'aide auditive",
        ],
        &[
            "n'est pas contrôlée",
            "ne fonctionne pas",
            "n'a pas été testée",
        ],
        &["depuis plusieurs mois", "régulièrement", "à l'accueil"],
    ],
    &[
        &[
            "les réseaux sociaux",
            "les comptes Facebook et Twitter",
            "les comptes de la préfecture sur les réseaux sociaux",
        ],
        &[
            "sont animés avec des téléphones personnels",
            "sont gérés depuis des outils personnels",
            "reposent sur des équipements privés des agents",
        ],
    ],
    &[
        &["le délai d'attente", "le temps d'attente", "l'attente"],
        &[
            "dépasse souvent une heure",
            "excède largement l'objectif affiché",
            "est très supérieur à l'engagement",
        ],
        &[
            "au bureau des étrangers",
            "aux guichets des titres de séjour",
        ],
    ],
    &[
        &[
            "le taux de décroché",
            "le taux de réponse du standard",
            "le nombre d'appels aboutis",
        ],
        &[
            "est inférieur à l'objectif",
            "reste insuffisant",
            "n'atteint pas la cible fixée",
        ],
        &[
            "aux heures de pointe",
            "en début de semaine",
            "le lundi matin",
        ],
    ],
    &[
        &["les courriels", "les messages électroniques", "les mails"],
        &[
            "restent sans réponse",
            "ne reçoivent pas de réponse",
            "ne sont pas traités",
        ],
        &[
            "au-delà du délai annoncé",
            "après quinze jours",
            "dans les délais affichés",
        ],
    ],
    &[
        &["l'affichage", "les affiches", "les informations affichées"],
        &[
            "n'est pas à jour",
            "comporte des informations périmées",
            "est obsolète",
        ],
        &[
            "dans le hall d'accueil",
            "à l'entrée",
            "sur les panneaux d'information",
        ],
    ],
    &[
        &[
            "le comité local des usagers",
            "le CLU",
            "le comité des usagers",
        ],
        &[
            "ne s'est pas réuni",
            "n'a pas été réuni",
            "n'a tenu aucune réunion",
        ],
        &["depuis deux ans", "depuis le dernier audit", "cette année"],
    ],
    &[
        &[
            "la confidentialité des échanges",
            "la discrétion des entretiens",
            "la confidentialité",
        ],
        &[
            "n'est pas assurée",
            "n'est pas garantie",
            "n'est pas respectée",
        ],
        &[
            "aux guichets",
            "à l'accueil général",
            "dans la salle d'attente",
        ],
    ],
    &[
        &[
            "les réclamations",
            "les plaintes des usagers",
            "les réclamations écrites",
        ],
        &[
            "ne sont pas enregistrées",
            "ne font pas l'objet d'un suivi",
            "ne sont pas tracées",
        ],
        &[
            "de manière exhaustive",
            "systématiquement",
            "dans un outil de suivi",
        ],
    ],
    &[
        &[
            "le site internet",
            "les pages du site",
            "la rubrique démarches",
        ],
        &[
            "contient des liens morts",
            "comporte des liens inactifs",
            "présente des liens brisés",
        ],
        &["et des informations anciennes", "", "sur plusieurs pages"],
    ],
];

const PP_FRAMES: &[&str] = &[
    "{}.",
    "Il conviendrait de {}.",
    "Nous recommandons de {}.",
    "Piste de progrès : {}.",
    "Envisager de {}.",
    "Il serait souhaitable de {}.",
    "Veiller à {}.",
    "Étudier la possibilité de {}.",
];
const PS_FRAMES: &[&str] = &[
    "{}.",
    "Point sensible : {}.",
    "Il a été constaté que {}.",
    "Nous relevons que {}.",
    "Attention : {}.",
];
const TAILS: &[&str] = &[
    "dans les meilleurs délais",
    "pour l'ensemble des services",
    "d'ici le prochain audit",
    "en lien avec le SGCD",
    "au bénéfice des usagers",
    "comme indiqué lors de l'audit précédent",
];
/// One-off annotations: a verb and a few words drawn from a wide vocabulary.
const NOISE_VERBS: &[&str] = &[
    "revoir",
    "remplacer",
    "réparer",
    "déplacer",
    "nettoyer",
    "commander",
    "supprimer",
    "renommer",
    "inventorier",
    "budgéter",
    "sécuriser",
    "repeindre",
    "numériser",
    "mutualiser",
    "externaliser",
    "déménager",
    "recruter",
    "chiffrer",
    "signaler",
    "rénover",
];
const NOISE_WORDS: &[&str] = &[
    "archives",
    "véhicule",
    "parking",
    "imprimante",
    "climatisation",
    "ascenseur",
    "rampe",
    "toilettes",
    "cafétéria",
    "logiciel",
    "tablette",
    "borne",
    "ticket",
    "planning",
    "congés",
    "astreinte",
    "crise",
    "exercice",
    "inondation",
    "préfet",
    "élus",
    "maire",
    "commune",
    "subvention",
    "dotation",
    "légalité",
    "urbanisme",
    "permis",
    "chasse",
    "armes",
    "élections",
    "naturalisation",
    "asile",
    "visa",
    "carte",
    "grise",
    "sécurité",
    "routière",
    "vidéoprotection",
    "police",
    "gendarmerie",
    "pompiers",
    "risques",
    "séisme",
    "canicule",
    "tempête",
    "alerte",
    "sirène",
    "médias",
    "presse",
    "communiqué",
    "budget",
    "marché",
    "travaux",
    "chaudière",
    "toiture",
    "fenêtres",
    "stores",
    "rideaux",
    "moquette",
    "peinture",
    "éclairage",
    "ampoules",
    "serrures",
    "clés",
    "coffre",
    "caisse",
    "régie",
    "timbres",
    "photocopieur",
    "scanner",
    "serveur",
    "réseau",
    "wifi",
    "câblage",
    "onduleur",
    "sauvegarde",
    "messagerie",
    "agenda",
    "intranet",
    "annuaire",
    "organigramme",
    "standardiste",
    "vestiaire",
    "casier",
    "plantes",
    "jardin",
    "façade",
    "portail",
    "barrière",
    "interphone",
    "visiophone",
    "caméra",
    "alarme",
    "extincteur",
    "défibrillateur",
    "trousse",
    "secours",
    "évacuation",
    "consignes",
    "incendie",
    "exercice",
    "plan",
    "continuité",
    "pandémie",
    "masques",
    "gel",
    "vitre",
    "hygiaphone",
    "pupitre",
    "estrade",
    "salle",
    "réunion",
    "visioconférence",
    "micro",
    "projecteur",
    "écran",
    "ordinateur",
    "poste",
    "téléphone",
    "fax",
    "fournitures",
    "papier",
    "enveloppes",
    "cartons",
    "mobilier",
    "chaises",
    "bureaux",
    "armoires",
    "étagères",
    "déchets",
    "tri",
    "recyclage",
    "énergie",
    "chauffage",
    "eau",
    "électricité",
    "compteur",
    "contrat",
    "prestataire",
    "nettoyage",
    "gardiennage",
    "accueil",
    "navette",
    "vélos",
];
/// Commitments a topic may be written under (module 1, its numbers).
const COMMITMENTS: &[u32] = &[1, 3, 5, 6, 7, 8, 10, 11, 12, 16, 17, 19, 20];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// One synthetic annotation: kind, text, topic ("PP-3", "PS-1", or a unique "noise-…").
fn annotation(rng: &mut Rng, serial: usize) -> (AnnotationKind, String, String) {
    let pp = rng.chance(0.75);
    if rng.chance(0.1) {
        let words: Vec<&str> = (0..3 + rng.below(4))
            .map(|_| *rng.pick(NOISE_WORDS))
            .collect();
        let kind = if pp {
            AnnotationKind::ImprovementTrack
        } else {
            AnnotationKind::SensitivePoint
        };
        let mut text = format!("{} : {}.", rng.pick(NOISE_VERBS), words.join(", "));
        text[..1].make_ascii_uppercase();
        return (kind, text, format!("noise-{serial}"));
    }
    let (topics, frames, kind, tag) = if pp {
        (PP_TOPICS, PP_FRAMES, AnnotationKind::ImprovementTrack, "PP")
    } else {
        (PS_TOPICS, PS_FRAMES, AnnotationKind::SensitivePoint, "PS")
    };
    let t = rng.below(topics.len());
    let slots = topics[t];
    let mut parts: Vec<&str> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        // The last slot is sometimes left out: a shorter paraphrase.
        if i == slots.len() - 1 && i >= 2 && rng.chance(0.25) {
            continue;
        }
        let part = *rng.pick(slot);
        if !part.is_empty() {
            parts.push(part);
        }
    }
    if rng.chance(0.3) {
        parts.push(*rng.pick(TAILS));
    }
    let body = parts.join(" ");
    let text = (*rng.pick(frames)).replace("{}", &body);
    let mut chars = text.chars();
    let text = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    (kind, text, format!("{tag}-{t}"))
}

fn report(
    rng: &mut Rng,
    index: usize,
    annotations: usize,
    serial: &mut usize,
) -> (Report, Vec<Vec<Option<String>>>) {
    let dep = rng.pick(&DEPARTMENTS);
    let date = format!(
        "{}-{:02}-{:02}",
        2015 + rng.below(10),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let mut assessments: Vec<Assessment> = Vec::new();
    let mut topics: Vec<Vec<Option<String>>> = Vec::new();
    for &number in COMMITMENTS {
        assessments.push(Assessment {
            id: format!("on_site.m1.{number}"),
            section: Section::Module,
            phase: Phase::OnSite,
            channel: None,
            module: Some(1),
            number,
            title: format!("Engagement {number}"),
            conformity: Some(*rng.pick(&[
                Conformity::Conforme,
                Conformity::Conforme,
                Conformity::Conforme,
                Conformity::MinorNonConformity,
                Conformity::NotApplicable,
                Conformity::MajorNonConformity,
            ])),
            annotations: vec![Annotation {
                kind: AnnotationKind::Note,
                text: "Constat.".into(),
                confidence: None,
            }],
            provenance: Provenance {
                page: None,
                line_start: 1,
                line_end: 1,
            },
            code: None,
            theme: None,
            confidence: None,
        });
        topics.push(vec![None]);
    }
    for _ in 0..annotations {
        let (kind, text, topic) = annotation(rng, *serial);
        *serial += 1;
        let a = rng.below(assessments.len());
        assessments[a].annotations.push(Annotation {
            kind,
            text,
            confidence: None,
        });
        topics[a].push(Some(topic));
    }
    let path = format!("synthetic/r{index:06}.txt");
    let report = Report {
        schema_version: SCHEMA_VERSION.into(),
        source: Source {
            sha256: audit_extract::sha256_hex(path.as_bytes()),
            path,
            format: "text".into(),
            pages: None,
            encoding: None,
            ocr: None,
        },
        metadata: Metadata {
            department: Some(dep.name.into()),
            department_code: Some(dep.code.into()),
            city: Some(dep.prefecture.into()),
            audit_dates: vec![date],
            ..Metadata::default()
        },
        context: None,
        assessments,
        conclusion: Conclusion::default(),
        diagnostics: Vec::new(),
        quality: Default::default(),
    };
    (report, topics)
}

/// Writes `annotations` PP/PS annotations in reports of 20, as JSON Lines with topics.
fn synth(annotations: usize, out: &Path, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    let (mut written, mut serial, mut index) = (0, 0, 0);
    while written < annotations {
        let n = 20.min(annotations - written);
        let (report, topics) = report(&mut rng, index, n, &mut serial);
        let mut value = serde_json::to_value(&report).expect("serialises");
        for (a, topics) in value["assessments"]
            .as_array_mut()
            .expect("assessments")
            .iter_mut()
            .zip(&topics)
        {
            for (n, topic) in a["annotations"]
                .as_array_mut()
                .expect("annotations")
                .iter_mut()
                .zip(topics)
            {
                if let Some(t) = topic {
                    n["topic"] = serde_json::Value::String(t.clone());
                }
            }
        }
        serde_json::to_writer(&mut w, &value)?;
        w.write_all(b"\n")?;
        written += n;
        index += 1;
    }
    w.flush()
}

/// Report name as both sides know it: the file name up to its first dot.
fn stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split('.').next().unwrap_or(name).to_owned()
}

/// (report stem, kind, text, topic) of every annotation object with a topic.
fn truth_in(
    value: &serde_json::Value,
    report: &str,
    out: &mut Vec<(String, String, String, String)>,
) {
    match value {
        serde_json::Value::Object(o) => {
            let report = o
                .get("source")
                .and_then(|s| s.get("path"))
                .and_then(|p| p.as_str())
                .map(stem)
                .unwrap_or_else(|| report.to_owned());
            if let (Some(kind), Some(text), Some(topic)) = (
                o.get("kind").and_then(|v| v.as_str()),
                o.get("text").and_then(|v| v.as_str()),
                o.get("topic"),
            ) {
                if kind == "PP" || kind == "PS" {
                    let topic = topic
                        .as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| topic.to_string());
                    out.push((report.clone(), kind.to_owned(), text.to_owned(), topic));
                }
            }
            for v in o.values() {
                truth_in(v, &report, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| truth_in(v, report, out)),
        _ => {}
    }
}

fn read_truth(path: &Path, out: &mut Vec<(String, String, String, String)>) {
    if path.is_dir() {
        for e in walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_file()
                && (name.ends_with(".expected.json") || name.ends_with(".truth.jsonl"))
            {
                read_truth(e.path(), out);
            }
        }
        return;
    }
    let report = stem(&path.to_string_lossy());
    let Ok(f) = std::fs::File::open(path) else {
        return eprintln!("cannot read {}", path.display());
    };
    if path.extension().is_some_and(|e| e == "jsonl") {
        for line in BufReader::new(f).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                truth_in(&v, &report, out);
            }
        }
    } else if let Ok(v) = serde_json::from_reader(BufReader::new(f)) {
        truth_in(&v, &report, out);
    }
}

/// Pairwise precision and recall of a clustering against topics.
fn pairwise(items: &[(String, usize)]) -> (f64, f64, u64, u64, u64) {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut by_cluster: HashMap<usize, u64> = HashMap::new();
    let mut by_topic: HashMap<&str, u64> = HashMap::new();
    let mut by_both: HashMap<(usize, &str), u64> = HashMap::new();
    for (topic, cluster) in items {
        *by_cluster.entry(*cluster).or_default() += 1;
        *by_topic.entry(topic).or_default() += 1;
        *by_both.entry((*cluster, topic)).or_default() += 1;
    }
    let tp: u64 = by_both.values().map(|&n| pairs(n)).sum();
    let predicted: u64 = by_cluster.values().map(|&n| pairs(n)).sum();
    let actual: u64 = by_topic.values().map(|&n| pairs(n)).sum();
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (
        ratio(tp, predicted),
        ratio(tp, actual),
        tp,
        predicted,
        actual,
    )
}

fn print_quality(label: &str, items: &[(String, usize)]) {
    let (p, r, tp, predicted, actual) = pairwise(items);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    println!("{label}: {} annotations, pairwise precision {p:.4}, recall {r:.4}, F1 {f1:.4} (true pairs found {tp} of {actual}; pairs grouped {predicted})", items.len());
}

/// The topics that lose the most true pairs (split over several groups), with the
/// distinct texts of each part, and the groups that mix topics the most.
fn details(kind: &str, items: &[(String, usize)], texts: &[&str], limit: usize) {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    // topic → group → text → count
    let mut parts: HashMap<&str, HashMap<usize, HashMap<&str, u64>>> = HashMap::new();
    for ((topic, group), text) in items.iter().zip(texts) {
        *parts
            .entry(topic.as_str())
            .or_default()
            .entry(*group)
            .or_default()
            .entry(text)
            .or_default() += 1;
    }
    let size = |texts: &HashMap<&str, u64>| texts.values().sum::<u64>();
    let mut lost: Vec<(u64, &str)> = parts
        .iter()
        .map(|(topic, groups)| {
            let all = pairs(groups.values().map(size).sum());
            let kept: u64 = groups.values().map(|t| pairs(size(t))).sum();
            (all - kept, *topic)
        })
        .collect();
    lost.sort_by(|a, b| b.cmp(a));
    println!("  {kind} topics losing the most true pairs (lost pairs, topic, then each part: members and distinct texts):");
    for &(missed, topic) in lost.iter().take(limit) {
        println!("  - {topic}: {missed} pairs lost");
        let mut groups: Vec<(&usize, &HashMap<&str, u64>)> = parts[topic].iter().collect();
        groups.sort_by_key(|(g, t)| (std::cmp::Reverse(size(t)), **g));
        for (_, texts) in groups {
            let mut texts: Vec<(&&str, &u64)> = texts.iter().collect();
            texts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let shown: Vec<String> = texts.iter().map(|(t, n)| format!("{n}× {t}")).collect();
            println!(
                "      [{}] {}",
                size(&texts.iter().map(|(t, n)| (**t, **n)).collect()),
                shown.join(" | ")
            );
        }
    }
    let mut mixed: HashMap<usize, HashMap<&str, u64>> = HashMap::new();
    for (topic, group) in items {
        *mixed.entry(*group).or_default().entry(topic).or_default() += 1;
    }
    let mut impure: Vec<(u64, usize)> = mixed
        .iter()
        .map(|(g, topics)| {
            let all = pairs(topics.values().sum());
            let right: u64 = topics.values().map(|&n| pairs(n)).sum();
            (all - right, *g)
        })
        .filter(|(wrong, _)| *wrong > 0)
        .collect();
    impure.sort_by(|a, b| b.cmp(a));
    println!("  {kind} groups mixing topics (false pairs: topic members):");
    for &(wrong, g) in impure.iter().take(limit) {
        let mut topics: Vec<(&&str, &u64)> = mixed[&g].iter().collect();
        topics.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("  - {wrong}: {topics:?}");
    }
}

fn eval(tracks: &Path, truth_paths: &[PathBuf], limit: usize) {
    let mut truth = Vec::new();
    for p in truth_paths {
        read_truth(p, &mut truth);
    }
    let file: serde_json::Value = serde_json::from_reader(BufReader::new(
        std::fs::File::open(tracks).expect("tracks.json"),
    ))
    .expect("tracks.json parses");
    let mut cluster_of: HashMap<(String, String, String), usize> = HashMap::new();
    let mut next = 0;
    for (key, kind) in [("improvement_tracks", "PP"), ("sensitive_points", "PS")] {
        for track in file[key].as_array().into_iter().flatten() {
            for m in track["members"].as_array().into_iter().flatten() {
                let report = stem(m["report"].as_str().unwrap_or_default());
                cluster_of.insert(
                    (
                        report,
                        kind.to_owned(),
                        fold(m["text"].as_str().unwrap_or_default()),
                    ),
                    next,
                );
            }
            next += 1;
        }
    }
    for kind in ["PP", "PS"] {
        let mut matched = 0;
        let items: Vec<(String, usize)> = truth
            .iter()
            .filter(|t| t.1 == kind)
            .map(|(report, k, text, topic)| {
                let cluster = cluster_of
                    .get(&(report.clone(), k.clone(), fold(text)))
                    .copied();
                matched += usize::from(cluster.is_some());
                // Not in any group: a singleton.
                (
                    topic.clone(),
                    cluster.unwrap_or_else(|| {
                        next += 1;
                        next
                    }),
                )
            })
            .collect();
        print_quality(&format!("{kind} groups vs topics"), &items);
        println!(
            "  ({matched} of {} truth annotations are members of a group of two or more)",
            items.len()
        );
        if limit > 0 {
            let texts: Vec<&str> = truth
                .iter()
                .filter(|t| t.1 == kind)
                .map(|t| t.2.as_str())
                .collect();
            details(kind, &items, &texts, limit);
        }
    }
}

/// For each topic of the truth (kind by kind): the terms of its distinct texts and
/// the similarity of each pair of them, then the closest pairs of texts of different
/// topics, with the weights the grouping of all truth annotations would use.
fn pairs_report(truth_paths: &[PathBuf], params: &GroupingParams, limit: usize) {
    let mut truth = Vec::new();
    for p in truth_paths {
        read_truth(p, &mut truth);
    }
    let normalizer = audit_extract::analysis::normalize::Normalizer::get();
    for kind in ["PP", "PS"] {
        let items: Vec<&(String, String, String, String)> =
            truth.iter().filter(|t| t.1 == kind).collect();
        let texts: Vec<&str> = items.iter().map(|t| t.2.as_str()).collect();
        // First index of each distinct (topic, text).
        let mut first: Vec<(usize, &str)> = Vec::new();
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, t) in items.iter().enumerate() {
            seen.entry((t.3.as_str(), t.2.as_str())).or_insert_with(|| {
                first.push((i, t.3.as_str()));
                i
            });
        }
        first.sort_by(|a, b| (a.1, texts[a.0]).cmp(&(b.1, texts[b.0])));
        let mut pairs = Vec::new();
        for (x, &(i, ti)) in first.iter().enumerate() {
            for &(j, tj) in &first[x + 1..] {
                pairs.push((i, j, ti == tj));
            }
        }
        let sims = pair_similarities(
            &texts,
            &pairs.iter().map(|&(i, j, _)| (i, j)).collect::<Vec<_>>(),
            params,
        )
        .into_iter()
        .map(|(s, agree)| if agree { s } else { 0.0 })
        .collect::<Vec<f64>>();
        println!("## {kind}: {} distinct texts", first.len());
        if let Some(dump) = std::env::var_os("PAIRS_DUMP") {
            // topic, texts with these terms, terms: for trying other groupings offline.
            let mut out = String::new();
            let mut count: HashMap<(&str, &str), usize> = HashMap::new();
            for t in &items {
                *count.entry((t.3.as_str(), t.2.as_str())).or_default() += 1;
            }
            for &(i, topic) in &first {
                out.push_str(&format!(
                    "{topic}\t{}\t{}\n",
                    count[&(topic, texts[i])],
                    normalizer.terms(texts[i]).join(" ")
                ));
            }
            let mut path = PathBuf::from(dump);
            path.set_extension(kind.to_lowercase());
            std::fs::write(path, out).expect("write the dump");
        }
        let mut current = "";
        for &(i, topic) in &first {
            if topic != current {
                current = topic;
                println!("{topic}");
            }
            println!("  {:?}  {}", normalizer.terms(texts[i]), texts[i]);
            for ((a, b, same), s) in pairs.iter().zip(&sims) {
                if *same && *a == i {
                    println!("      {s:.2} with {}", texts[*b]);
                }
            }
        }
        println!(
            "pairs of distinct texts at or above each similarity (same topic / different topics):"
        );
        for t in [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7] {
            let (mut same, mut other) = (0, 0);
            for ((_, _, s), &v) in pairs.iter().zip(&sims) {
                if v >= t - 1e-9 {
                    if *s {
                        same += 1;
                    } else {
                        other += 1;
                    }
                }
            }
            let total = pairs.iter().filter(|p| p.2).count();
            println!("  {t:.2}: {same} of {total} / {other}");
        }
        let mut cross: Vec<(f64, usize, usize)> = pairs
            .iter()
            .zip(&sims)
            .filter(|((_, _, same), _)| !same)
            .map(|(&(a, b, _), &s)| (s, a, b))
            .collect();
        cross.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("closest pairs of different topics:");
        for &(s, a, b) in cross.iter().take(limit) {
            println!(
                "  {s:.2} {} | {} ({} / {})",
                texts[a], texts[b], items[a].3, items[b].3
            );
        }
    }
}

/// The terms of each text, the pairs of texts at a similarity of 0.2 or more, and
/// the groups made with the default parameters.
fn explain(texts: &[&str], params: &GroupingParams) {
    let normalizer = audit_extract::analysis::normalize::Normalizer::get();
    let lexicon = audit_extract::analysis::concepts::Lexicon::builtin();
    for (i, t) in texts.iter().enumerate() {
        let r = lexicon.read(t);
        let concepts: Vec<String> = r
            .concepts
            .iter()
            .map(|&c| {
                let id = &lexicon.concepts[c as usize].id;
                if r.described.contains(&c) {
                    format!("({id})")
                } else {
                    id.clone()
                }
            })
            .collect();
        println!(
            "{i:>3} {:?} {concepts:?} {:?}  {t}",
            normalizer.terms(t),
            r.residual
        );
    }
    let pairs: Vec<(usize, usize)> = (0..texts.len())
        .flat_map(|i| (i + 1..texts.len()).map(move |j| (i, j)))
        .collect();
    let sims: Vec<f64> = pair_similarities(texts, &pairs, params)
        .into_iter()
        .map(|(s, agree)| if agree { s } else { 0.0 })
        .collect();
    let mut close: Vec<(f64, usize, usize)> = pairs
        .iter()
        .zip(&sims)
        .filter(|(_, &s)| s >= 0.2)
        .map(|(&(i, j), &s)| (s, i, j))
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (s, i, j) in close {
        println!("  {s:.2}  {i} {j}");
    }
    let grouping = group_texts(texts, params);
    for g in grouping.groups.iter().filter(|g| g.members.len() > 1) {
        println!("group {:?}", g.members);
    }
}

/// Topic make-up of the largest groups, and how many groups each topic is split into.
fn diagnose(grouping: &audit_extract::analysis::grouping::Grouping, items: &[(&str, &str)]) {
    let mut groups: Vec<&audit_extract::analysis::grouping::Group> =
        grouping.groups.iter().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.members.len()));
    for g in groups.iter().take(12) {
        let mut topics: HashMap<&str, usize> = HashMap::new();
        for &m in &g.members {
            let t = items[m].1;
            *topics
                .entry(if t.starts_with("noise") { "noise" } else { t })
                .or_default() += 1;
        }
        let mut topics: Vec<_> = topics.into_iter().collect();
        topics.sort_by_key(|t| std::cmp::Reverse(t.1));
        println!(
            "  group of {}: {:?} — {}",
            g.members.len(),
            &topics[..topics.len().min(6)],
            items[g.representative].0
        );
    }
    let mut split: HashMap<&str, std::collections::HashSet<usize>> = HashMap::new();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for (gi, g) in grouping.groups.iter().enumerate() {
        for &m in &g.members {
            if !items[m].1.starts_with("noise") {
                split.entry(items[m].1).or_default().insert(gi);
                *sizes.entry(items[m].1).or_default() += 1;
            }
        }
    }
    let mut split: Vec<_> = split
        .into_iter()
        .map(|(t, g)| (t, g.len(), sizes[t]))
        .collect();
    split.sort_by_key(|s| std::cmp::Reverse(s.1));
    println!(
        "  topics split into most groups (topic, groups, members): {:?}",
        &split[..split.len().min(10)]
    );
}

/// Every text of a paraphrase set (fixtures/paraphrase/) with its concepts and
/// group, recommendation by recommendation, then the look-alike pairs merged.
fn paraphrase_report(
    path: &Path,
    params: &GroupingParams,
    semantic: Option<audit_extract::analysis::grouping::Semantic>,
) {
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read the set")).expect("JSON");
    let mut texts: Vec<String> = Vec::new();
    let mut truth: Vec<String> = Vec::new();
    for r in set["recommendations"].as_array().expect("recommendations") {
        for w in r["wordings"].as_array().expect("wordings") {
            texts.push(w.as_str().unwrap_or_default().to_owned());
            truth.push(r["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    let wordings = texts.len();
    let pairs = set["lookalikes"].as_array().expect("lookalikes");
    for p in pairs {
        texts.push(p["a"].as_str().unwrap_or_default().to_owned());
        texts.push(p["b"].as_str().unwrap_or_default().to_owned());
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let grouping = audit_extract::analysis::grouping::group_texts_semantic(
        &refs,
        params,
        audit_extract::analysis::concepts::Lexicon::builtin(),
        semantic,
    );
    let mut group = vec![0; refs.len()];
    for (g, members) in grouping.groups.iter().enumerate() {
        for &m in &members.members {
            group[m] = g;
        }
    }
    let lexicon = audit_extract::analysis::concepts::Lexicon::builtin();
    let describe = |t: &str| {
        let r = lexicon.read(t);
        let concepts: Vec<&str> = r
            .concepts
            .iter()
            .map(|&c| lexicon.concepts[c as usize].id.as_str())
            .collect();
        format!("{concepts:?} {:?}", r.residual)
    };
    let mut current = "";
    for i in 0..wordings {
        if truth[i] != current {
            current = &truth[i];
            println!("{current}");
        }
        println!("  g{:<4} {}  {}", group[i], texts[i], describe(&texts[i]));
    }
    for k in 0..pairs.len() {
        let (a, b) = (wordings + 2 * k, wordings + 2 * k + 1);
        let merged = if group[a] == group[b] {
            "MERGED"
        } else {
            "apart"
        };
        println!(
            "{merged}: {} {} | {} {}",
            texts[a],
            describe(&texts[a]),
            texts[b],
            describe(&texts[b])
        );
    }
    let sims = pair_similarities(
        &refs,
        &(0..wordings)
            .flat_map(|i| (i + 1..wordings).map(move |j| (i, j)))
            .filter(|&(i, j)| truth[i] == truth[j] && group[i] != group[j])
            .collect::<Vec<_>>(),
        params,
    );
    let missed: Vec<(usize, usize)> = (0..wordings)
        .flat_map(|i| (i + 1..wordings).map(move |j| (i, j)))
        .filter(|&(i, j)| truth[i] == truth[j] && group[i] != group[j])
        .collect();
    let (mut right, mut grouped, mut true_pairs) = (0, 0, 0);
    for i in 0..wordings {
        for j in i + 1..wordings {
            let (t, g) = (truth[i] == truth[j], group[i] == group[j]);
            true_pairs += usize::from(t);
            grouped += usize::from(g);
            right += usize::from(t && g);
        }
    }
    let merged = (0..pairs.len())
        .filter(|k| group[wordings + 2 * k] == group[wordings + 2 * k + 1])
        .count();
    println!(
        "pairwise precision {:.3}, recall {:.3}, look-alike pairs merged {merged} of {}",
        right as f64 / grouped.max(1) as f64,
        right as f64 / true_pairs.max(1) as f64,
        pairs.len()
    );
    println!("true pairs not grouped (similarity, families agree):");
    for ((i, j), (s, agree)) in missed.iter().zip(sims) {
        println!("  {s:.2} {agree} {} | {}", texts[*i], texts[*j]);
    }
}

/// In-process: 100,000 annotations grouped, with time and quality.
fn in_process(annotations: usize, params: &GroupingParams, seed: u64) {
    let mut rng = Rng(seed);
    let generated: Vec<(AnnotationKind, String, String)> =
        (0..annotations).map(|i| annotation(&mut rng, i)).collect();
    let started = Instant::now();
    for (kind, label) in [
        (AnnotationKind::ImprovementTrack, "PP"),
        (AnnotationKind::SensitivePoint, "PS"),
    ] {
        let items: Vec<&(AnnotationKind, String, String)> =
            generated.iter().filter(|a| a.0 == kind).collect();
        let texts: Vec<&str> = items.iter().map(|a| a.1.as_str()).collect();
        let t = Instant::now();
        let grouping = group_texts(&texts, params);
        let elapsed = t.elapsed().as_secs_f64();
        let mut cluster = vec![0; texts.len()];
        for (g, group) in grouping.groups.iter().enumerate() {
            for &m in &group.members {
                cluster[m] = g;
            }
        }
        let labelled: Vec<(String, usize)> = items
            .iter()
            .zip(&cluster)
            .map(|(a, &c)| (a.2.clone(), c))
            .collect();
        println!("{label}: {} texts ({} distinct term sets) grouped in {elapsed:.2} s, {} comparisons, {} groups", texts.len(), grouping.stats.distinct, grouping.stats.comparisons, grouping.groups.len());
        print_quality(&format!("{label} groups vs topics"), &labelled);
        if std::env::var_os("DIAGNOSE").is_some() {
            diagnose(
                &grouping,
                &items
                    .iter()
                    .map(|a| (a.1.as_str(), a.2.as_str()))
                    .collect::<Vec<_>>(),
            );
        }
    }
    println!(
        "total grouping time for {annotations} annotations: {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    match args.first().map(String::as_str) {
        Some("synth") => {
            let n = value("--annotations").map_or(100_000, |v| v.parse().expect("--annotations N"));
            let out = PathBuf::from(value("--out").expect("--out FILE.jsonl"));
            let seed = value("--seed").map_or(1, |v| v.parse().expect("--seed S"));
            synth(n, &out, seed).expect("write the corpus");
            println!("wrote {n} PP/PS annotations to {}", out.display());
        }
        Some("eval") => {
            let tracks = PathBuf::from(value("--tracks").expect("--tracks OUT/tracks.json"));
            let mut truth = Vec::new();
            let limit = value("--details").map_or(0, |v| v.parse().expect("--details N"));
            let mut rest = args.iter().skip(1);
            while let Some(a) = rest.next() {
                if a == "--tracks" || a == "--details" {
                    rest.next();
                } else {
                    truth.push(PathBuf::from(a));
                }
            }
            eval(&tracks, &truth, limit);
        }
        Some("paraphrase") => {
            let file = args
                .get(1)
                .expect("paraphrase FILE.json (fixtures/paraphrase/)");
            let mut params = GroupingParams::default();
            if let Some(t) = value("--threshold") {
                params.threshold = t.parse().expect("--threshold T");
            }
            if let Some(t) = value("--cohesion") {
                params.cohesion = t.parse().expect("--cohesion C");
            }
            // --vectors FILE: the semantic second opinion (--vector-threshold,
            // --vector-cohesion, --vector-concepts override its defaults).
            let vectors = value("--vectors").map(|f| {
                audit_extract::analysis::vectors::WordVectors::load(Path::new(&f))
                    .expect("a vectors file")
            });
            let semantic = vectors.as_ref().map(|v| {
                let mut s = audit_extract::analysis::grouping::Semantic::new(v);
                if let Some(t) = value("--vector-threshold") {
                    s.threshold = t.parse().expect("--vector-threshold T");
                }
                if let Some(t) = value("--vector-cohesion") {
                    s.cohesion = t.parse().expect("--vector-cohesion C");
                }
                if let Some(t) = value("--vector-concepts") {
                    s.concepts = t.parse().expect("--vector-concepts C");
                }
                s
            });
            paraphrase_report(Path::new(file), &params, semantic);
        }
        Some("defaults") => {
            // The `analyze` flags of the library's default grouping parameters.
            let p = GroupingParams::default();
            println!(
                "--threshold {} --cohesion {} --bands {} --rows {}",
                p.threshold, p.cohesion, p.bands, p.rows
            );
        }
        Some("explain") => {
            let file = args.get(1).expect("explain FILE (one text a line)");
            let text = std::fs::read_to_string(file).expect("read the texts");
            let texts: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            explain(&texts, &GroupingParams::default());
        }
        Some("pairs") => {
            let limit = value("--details").map_or(40, |v| v.parse().expect("--details N"));
            let mut truth = Vec::new();
            let mut rest = args.iter().skip(1);
            while let Some(a) = rest.next() {
                if a == "--details" {
                    rest.next();
                } else {
                    truth.push(PathBuf::from(a));
                }
            }
            pairs_report(&truth, &GroupingParams::default(), limit);
        }
        _ => {
            let mut params = GroupingParams::default();
            if let Some(t) = value("--threshold") {
                params.threshold = t.parse().expect("--threshold T");
            }
            if let Some(t) = value("--cohesion") {
                params.cohesion = t.parse().expect("--cohesion C");
            }
            if let Some(b) = value("--bands") {
                params.bands = b.parse().expect("--bands B");
            }
            if let Some(r) = value("--rows") {
                params.rows = r.parse().expect("--rows R");
            }
            if value("--similarity").as_deref() == Some("jaccard") {
                params.similarity = audit_extract::analysis::grouping::Similarity::Jaccard;
            }
            println!("grouping parameters: {params:?}");
            let seed = value("--seed").map_or(7, |v| v.parse().expect("--seed S"));
            in_process(
                value("--annotations").map_or(100_000, |v| v.parse().expect("--annotations N")),
                &params,
                seed,
            )
        }
    }
}
