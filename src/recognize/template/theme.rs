//! Themes across referentials: the words a commitment's title uses for each theme,
//! the evidence a template reads when its structure (channel heading, module) does
//! not decide. Structure first: a template calls [`of_title`] only for commitments
//! its headings leave open.

use crate::model::{Channel, Theme};
use crate::text::fold;

/// The theme of a Qual-e-pref channel (Module 1 headings, also QUALIPREF 2.0's).
pub fn of_channel(channel: Channel) -> Theme {
    match channel {
        Channel::AccueilPhysique => Theme::AccueilPhysique,
        Channel::Telephone => Theme::Telephone,
        Channel::SiteInternet => Theme::Internet,
        Channel::CourriersCourriels => Theme::CourrierCourriels,
        Channel::ReseauxSociaux => Theme::ReseauxSociaux,
    }
}

/// Title words of each theme, in the order they decide: a channel named in a title
/// ("vous répondons au téléphone … orientons votre appel") wins over reception words.
const TITLE_WORDS: &[(Theme, &[&str])] = &[
    (
        Theme::Telephone,
        &["telephon", "appel", "standard", "sonnerie", "serveur vocal"],
    ),
    (Theme::CourrierCourriels, &["courrier", "courriel"]),
    (Theme::ReseauxSociaux, &["reseaux sociaux"]),
    (Theme::Internet, &["internet", "en ligne"]),
    (
        Theme::ReclamationsEcoute,
        &["reclamation", "satisfaction", "suggestion", "ecoute"],
    ),
    (Theme::Formation, &["formons", "formes", "formation"]),
    (
        Theme::AccueilPhysique,
        &[
            "attente",
            "guichet",
            "orient",
            "mobilite reduite",
            "rendez-vous",
            "rendez vous",
        ],
    ),
];

/// Procedures a finding may name, for a commitment about a procedure ("un rendez-vous
/// lorsque votre démarche le justifie"): the procedure's theme.
const PROCEDURES: &[(Theme, &[&str])] = &[
    (
        Theme::Etrangers,
        &["titre de sejour", "carte de sejour", "droit au sejour"],
    ),
    (
        Theme::Titres,
        &[
            "permis de conduire",
            "certificat d'immatriculation",
            "carte grise",
            "carte nationale d'identite",
            "passeport",
        ],
    ),
];

/// The theme a title's words give, if any.
pub fn of_title(title: &str) -> Option<Theme> {
    let words = word_starts(title);
    TITLE_WORDS
        .iter()
        .find(|(_, list)| list.iter().any(|w| words.contains(&format!(" {w}"))))
        .map(|&(t, _)| t)
}

/// The folded text with a space before every word ("d'attente" → " d attente"), so
/// that a listed word matches only where a word starts ("formons" is not in
/// "informons").
fn word_starts(text: &str) -> String {
    let folded: String = fold(text)
        .chars()
        .map(|c| if c == '\'' { ' ' } else { c })
        .collect();
    format!(" {folded}")
}

/// A commitment about a procedure or an appointment takes the theme of the procedure
/// its findings name ("premières demandes de titre de séjour reçues sur rendez-vous"),
/// when they name exactly one kind.
pub fn of_procedure<'a>(title: &str, findings: impl Iterator<Item = &'a str>) -> Option<Theme> {
    let folded = fold(title);
    if !["demarche", "rendez-vous", "rendez vous"]
        .iter()
        .any(|w| folded.contains(w))
    {
        return None;
    }
    let text = fold(&findings.collect::<Vec<_>>().join(" "));
    let named: Vec<Theme> = PROCEDURES
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|&(t, _)| t)
        .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_channel_wins_over_reception_words() {
        assert_eq!(
            of_title("Nous vous répondons au téléphone de façon claire et orientons votre appel"),
            Some(Theme::Telephone)
        );
        assert_eq!(
            of_title("Une orientation efficace dès votre arrivée"),
            Some(Theme::AccueilPhysique)
        );
        assert_eq!(
            of_title("Nous vous accueillons avec courtoisie et vous donnons le nom"),
            None
        );
        assert_eq!(
            of_title("Nous vous informons sur les conditions d'accès"),
            None
        );
        assert_eq!(
            of_title("Nous limitons le temps d'attente"),
            Some(Theme::AccueilPhysique)
        );
    }

    #[test]
    fn an_appointment_takes_the_procedure_its_findings_name() {
        let title = "Nous vous proposons un rendez-vous lorsque votre démarche le justifie";
        assert_eq!(
            of_procedure(
                title,
                ["demandes de titre de séjour reçues sur rendez-vous"].into_iter()
            ),
            Some(Theme::Etrangers)
        );
        assert_eq!(
            of_procedure(title, ["Le public est reçu sans rendez-vous"].into_iter()),
            None
        );
        assert_eq!(
            of_procedure(
                "Nous limitons le temps d'attente",
                ["titre de séjour"].into_iter()
            ),
            None
        );
    }
}
