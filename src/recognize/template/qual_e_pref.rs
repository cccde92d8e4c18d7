//! Qual-e-pref (referential of 19/12/2018, updated 04/02/2019): the ministry's report
//! form — a cover form ("1. PAGE DE GARDE"), "2. CONTEXTE", a three-column grid
//! ("Engagements de service" | "Appréciation de l'auditeur — Commentaires" |
//! "Conformité") with "Module N" tags, remote-audit phases, the quality-policy and
//! labelling sections, then the conclusion boxes. Every word and number of that form
//! is here; nothing here reads lines.

use std::sync::OnceLock;

use regex::Regex;

use super::{Detection, Layout, Numbering, Role, Template};
use crate::model::{Assessment, Channel, Phase, ReferentialName, Section, Theme};
use crate::recognize::cover::{referential_name, CoverField};
use crate::recognize::lexicon::{ConclusionBox, Lexicon, PhaseWords};
use crate::recognize::vocabulary::{Usage, Vocabulary};
use crate::source::{GridHeading, Line};
use crate::text::fold;

/// The Qual-e-pref report form.
#[derive(Debug)]
pub struct QualEPref;

/// The grid heading as its cells start, left to right (the appraisal cell wraps:
/// "Appréciation de l'auditeur" / "Commentaires").
const HEADING: GridHeading = GridHeading {
    cells: &[
        &["Engagements de service"],
        &["Appr", "Commentaires"],
        &["Conformit"],
    ],
};

const ROLES: &[Role] = &[Role::Commitment, Role::Appraisal, Role::Conformity];

/// Commitment numbers of each module (domain notes: modules 1, 4 and 6 seen in the
/// reference report; 2–3 share 21–33; modules 7 and 8 start at 47, their end unknown).
static NUMBERING: Numbering = Numbering {
    modules: &[
        (1, 1..=20),
        (2, 21..=33),
        (3, 21..=33),
        (4, 34..=37),
        (5, 38..=40),
        (6, 41..=46),
        (7, 47..=99),
        (8, 47..=99),
    ],
    pilotage: 1..=5,
    labellisation: 1..=2,
};

/// Module 1 channels by commitment number (1–4 are general provisions).
const MODULE_1_CHANNELS: &[(RangeOfNumbers, Channel)] = &[
    ((5, 7), Channel::AccueilPhysique),
    ((8, 10), Channel::Telephone),
    ((11, 15), Channel::SiteInternet),
    ((16, 18), Channel::CourriersCourriels),
    ((19, 20), Channel::ReseauxSociaux),
];

type RangeOfNumbers = (u32, u32);

impl Template for QualEPref {
    fn name(&self) -> &'static str {
        "Qual-e-pref"
    }

    fn serves(&self, referential: ReferentialName) -> bool {
        referential == ReferentialName::QualEPref
    }

    /// The cover naming the referential is proof; the grid heading or the cover title
    /// are the form's. A cover naming another referential rules it out. The first
    /// line naming one is the cover's: later ones are history ("engagée avec les
    /// référentiels Marianne et Qualipref 2.0, la préfecture…").
    fn detect(&self, lines: &[Line]) -> Detection {
        let mut found = Detection::default();
        let mut named = false;
        let mut evidence = |score: u32, why: &'static str| {
            if !found.evidence.contains(&why) {
                found.score += score;
                found.evidence.push(why);
            }
        };
        // The cover and the first grid page say it; the rest is not read. Only lines
        // holding one of the words looked for are folded.
        let may_tell = |t: &str| {
            [
                "ual",
                "UAL",
                "arianne",
                "ARIANNE",
                "ngagements",
                "NGAGEMENTS",
                "arde",
                "ARDE",
            ]
            .iter()
            .any(|w| t.contains(w))
        };
        for line in lines.iter().take(200).filter(|l| may_tell(&l.text)) {
            let folded = fold(&line.text);
            match referential_name(&folded).filter(|_| !named) {
                Some(ReferentialName::QualEPref) => {
                    named = true;
                    evidence(100, "cover names Qual-e-pref");
                }
                Some(_) => return Detection::default(),
                None => {}
            }
            if folded.starts_with("engagements de service") {
                evidence(10, "grid heading \"Engagements de service\"");
            }
            if folded.ends_with("page de garde") {
                evidence(10, "cover title \"PAGE DE GARDE\"");
            }
        }
        found
    }

    fn lexicon(&self) -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(lexicon)
    }

    fn layout(&self) -> Layout {
        Layout::Grid {
            heading: HEADING,
            roles: ROLES,
        }
    }

    fn numbering(&self) -> Option<&'static Numbering> {
        Some(&NUMBERING)
    }

    fn channel(&self, module: Option<u8>, number: u32) -> Option<Channel> {
        if module != Some(1) {
            return None;
        }
        MODULE_1_CHANNELS
            .iter()
            .find(|((first, last), _)| (*first..=*last).contains(&number))
            .map(|&(_, c)| c)
    }

    /// Module 8, "Polices exercées par la préfecture de police de Paris".
    fn police_module(&self) -> Option<u8> {
        Some(8)
    }

    /// By structure only: a remote phase is its channel's; Module 1 on site its
    /// channel's, else general provisions (3 satisfaction and complaints, 4 training);
    /// other modules by their subject; the quality-policy items 3 (training) and 5
    /// (listening to users), the rest of the policy and labelling are steering.
    fn theme(&self, a: &Assessment) -> Theme {
        match a.phase {
            Phase::RemoteInternet => return Theme::Internet,
            Phase::RemoteTelephone => return Theme::Telephone,
            Phase::RemoteEmail => return Theme::CourrierCourriels,
            Phase::OnSite => {}
        }
        match a.section {
            Section::Pilotage => match a.number {
                3 => Theme::Formation,
                5 => Theme::ReclamationsEcoute,
                _ => Theme::Pilotage,
            },
            Section::Labellisation => Theme::Pilotage,
            Section::Module => match a.module {
                Some(1) => match a.channel {
                    Some(c) => super::theme::of_channel(c),
                    None => match a.number {
                        3 => Theme::ReclamationsEcoute,
                        4 => Theme::Formation,
                        _ => Theme::Autre,
                    },
                },
                Some(2) => Theme::Titres,
                Some(3) => Theme::Etrangers,
                Some(4) => Theme::Collectivites,
                Some(5 | 8) => Theme::Securite,
                Some(6) => Theme::Pilotage,
                Some(7) => Theme::CommunicationCrise,
                _ => Theme::Autre,
            },
        }
    }
}

fn lexicon() -> Lexicon {
    Lexicon {
        vocabulary: Vocabulary::new(&[Usage::Common]),
        grid_headings: &[
            "engagements de service",
            "appreciation de l'auditeur",
            "commentaires conformite",
            "conformite",
            "appreciation de l'auditeur - commentaires",
            "appreciation de l'auditeur commentaires",
        ],
        grid_heading_row: ("engagements de service", "appreciation"),
        heading_words: &["commentaires", "conformite"],
        part_title: Regex::new(
            r"^\d\s?\.\s*(?:(?P<cover>page de garde)|(?P<context>contexte)|(?P<conclusion>synthese de l'evaluation.*conclusion.*)|(?P<synthesis>synthese de l'evaluation.*))$",
        )
        .expect("part title pattern"),
        // "4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE" / "L'AUDIT".
        part_title_tails: &["l'audit"],
        module_tag: Regex::new(r"^module (\d{1,2})$").expect("module tag pattern"),
        module_header: Regex::new(r"^module (?:n ?° ?|no ?)?(\d)\s*(?:-|:)\s*\S")
            .expect("module header pattern"),
        item_start: Regex::new(r"^(\d{1,2})\s?\.\s*(\S.*)$").expect("item pattern"),
        phases: PhaseWords {
            remote: &["audit a distance", "audits a distance"],
            remote_phases: &[
                ("internet", Phase::RemoteInternet),
                ("site", Phase::RemoteInternet),
                ("telephone", Phase::RemoteTelephone),
                ("courriel", Phase::RemoteEmail),
                ("mail", Phase::RemoteEmail),
                ("e-mail", Phase::RemoteEmail),
            ],
            on_site: &["audit sur site", "audit sur place"],
            lone_email: "courriels",
        },
        channels: &[
            ("accueil physique", Channel::AccueilPhysique),
            ("telephone", Channel::Telephone),
            ("accueil telephonique", Channel::Telephone),
            ("site internet", Channel::SiteInternet),
            ("internet", Channel::SiteInternet),
            ("courriers et courriels", Channel::CourriersCourriels),
            ("courriels et courriers", Channel::CourriersCourriels),
            ("courriels", Channel::CourriersCourriels),
            ("courriers", Channel::CourriersCourriels),
            ("reseau sociaux", Channel::ReseauxSociaux),
            ("reseaux sociaux", Channel::ReseauxSociaux),
            ("reseaux sociaux (facebook, twitter...)", Channel::ReseauxSociaux),
        ],
        pilotage: &["pilotage de la politique qualite"],
        labellisation: &["demarche de labellisation", "demarche de labelisation"],
        conclusion_labels: &[
            ("points forts", ConclusionBox::Strengths),
            ("points sensibles", ConclusionBox::SensitivePoints),
            ("pistes de progres", ConclusionBox::ImprovementTracks),
            ("commentaires", ConclusionBox::Comments),
            ("bonnes pratiques", ConclusionBox::GoodPractices),
            ("respect de la charte graphique", ConclusionBox::GraphicCharter),
            ("charte graphique", ConclusionBox::GraphicCharter),
            ("conclusion generale de l'audit", ConclusionBox::General),
            ("conclusion generale", ConclusionBox::General),
            (
                "resultats des enquetes de satisfaction",
                ConclusionBox::SatisfactionResults,
            ),
            (
                "resultats des enquetes de satisfaction des usagers",
                ConclusionBox::SatisfactionResults,
            ),
            (
                "resultats des enquetes de satisfaction usagers",
                ConclusionBox::SatisfactionResults,
            ),
            ("fiche(s) d'ecart(s)", ConclusionBox::Deviations),
            ("fiche(s) d'ecart", ConclusionBox::Deviations),
            ("fiches d'ecart", ConclusionBox::Deviations),
            ("fiches d'ecarts", ConclusionBox::Deviations),
            ("fiche d'ecart", ConclusionBox::Deviations),
        ],
        conclusion_cues: &[
            (
                "enquete de satisfaction",
                ConclusionBox::SatisfactionResults,
            ),
            (
                "enquetes de satisfaction",
                ConclusionBox::SatisfactionResults,
            ),
            ("charte", ConclusionBox::GraphicCharter),
            ("modules audites", ConclusionBox::General),
            ("globalement", ConclusionBox::General),
            ("systeme de management", ConclusionBox::General),
            ("points forts", ConclusionBox::Strengths),
            ("point fort", ConclusionBox::Strengths),
            ("points sensibles", ConclusionBox::SensitivePoints),
            ("point sensible", ConclusionBox::SensitivePoints),
            ("pistes de progres", ConclusionBox::ImprovementTracks),
            ("piste de progres", ConclusionBox::ImprovementTracks),
            ("non-conformite", ConclusionBox::Deviations),
            ("non conformite", ConclusionBox::Deviations),
            ("fiche d'ecart", ConclusionBox::Deviations),
            ("ecart", ConclusionBox::Deviations),
            ("bonnes pratiques", ConclusionBox::GoodPractices),
            ("bonne pratique", ConclusionBox::GoodPractices),
            ("s'est deroule", ConclusionBox::Comments),
            ("deroulement de l'audit", ConclusionBox::Comments),
            ("reunion d'ouverture", ConclusionBox::Comments),
        ],
        context_boilerplate: &[
            "contexte de l'organisme audite",
            "presentation et historique de la demarche",
            "abreviations employees",
            "c : conforme",
            "nc maj : non-conformite",
            "pf : points forts",
            "engagements de service",
            "appreciation de l'auditeur",
            "commentaires conformite",
        ],
        cover_labels: &[
            ("date et signature de l'auditeur", CoverField::SignatureDate),
            ("date(s) de l'audit", CoverField::AuditDates),
            ("dates de l'audit", CoverField::AuditDates),
            ("date de l'audit", CoverField::AuditDates),
            ("type d'administration", CoverField::SiteType),
            ("departement", CoverField::Department),
            ("ville", CoverField::City),
            ("modules couverts par le label", CoverField::Modules),
            ("modules couverts par le", CoverField::Modules),
            ("label", CoverField::Modules),
            ("nom(s) auditeur(s)", CoverField::Auditors),
            ("noms des auditeurs", CoverField::Auditors),
            ("nom auditeur", CoverField::Auditors),
            ("auditeur(s)", CoverField::Auditors),
            ("audit interne", CoverField::Internal),
            ("realise en amont d'un audit", CoverField::AuditType),
            ("type d'audit", CoverField::AuditType),
            ("referentiel", CoverField::Referential),
            ("1. page de garde", CoverField::Title),
        ],
    }
}
