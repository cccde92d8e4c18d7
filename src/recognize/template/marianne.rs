//! Marianne certification reports (2008–2019), as certification bodies write them:
//! a cover ("RAPPORT D'AUDIT – Labellisation selon le référentiel Marianne", the
//! body's name), the "INFORMATIONS GENERALES" form (organisation, audit type, start
//! and end dates, referential, audit team), "Présentation de l'organisation" (the
//! context), "RAPPORT DE SYNTHESE" (the conclusion boxes), then "CARACTERISTIQUES
//! LABELLISEES": "Rubrique N" and its sentence (module N), then per engagement
//! "Engagement n°N", its title, findings and an evaluation word (satisfait / écart
//! mineur / écart majeur / non applicable) — in blocks, or one table per rubric.
//! Every such report is an external audit. The referential's edition (2008, 2016,
//! 2019) is the one the form names.

use std::sync::OnceLock;

use regex::Regex;

use super::legacy::{self, Field, Form, Part};
use super::{Detection, Layout, QualEPref, Template};
use crate::model::{Assessment, ReferentialName, Theme};
use crate::recognize::lexicon::{ConclusionBox, Lexicon};
use crate::recognize::Recognized;
use crate::source::{Line, SourceDocument};
use crate::text::{collapse_whitespace, fold};

/// A certification body's Marianne report.
#[derive(Debug)]
pub struct Marianne;

fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("Marianne pattern");
        Form {
            referential: ReferentialName::Marianne2008,
            parts: vec![
                (re(r"^informations generales$"), Part::Form),
                (re(r"^presentation de l'organis"), Part::Context),
                (re(r"^rapport de synthese$"), Part::Conclusion),
                (re(r"^caracteristiques labellisees$"), Part::Assessments),
            ],
            labels: &[
                ("nom de l'organisation", Field::Organisation),
                ("organisation auditee", Field::Organisation),
                ("organisme audite", Field::Organisation),
                ("date de debut d'audit", Field::AuditDates),
                ("date de fin d'audit", Field::AuditDates),
                ("dates d'audit", Field::AuditDates),
                ("date de l'audit", Field::AuditDates),
                ("date d'audit", Field::AuditDates),
                ("referentiel", Field::Referential),
                ("responsable d'audit", Field::Auditor),
                ("autres membres de l'equipe", Field::Auditors),
                ("type d'audit", Field::AuditType),
            ],
            commitment: re(
                r"(?i)^engagement n\s?°\s?(?P<number>\d{1,2})\s*(?::\s*(?P<title>.*))?$",
            ),
            module: re(r"^rubrique (?P<module>\d{1,2})$"),
            channels: &[],
            verdict_labels: &["evaluation"],
            table_heading: &[
                "engagement constats evaluation",
                "engagement",
                "constats",
                "evaluation",
            ],
            // Blocks, or one table per rubric: told per document by the heading row.
            table: false,
            boxes: &[
                ("conclusion", Some(ConclusionBox::General)),
                ("points forts", Some(ConclusionBox::Strengths)),
                ("points sensibles", Some(ConclusionBox::SensitivePoints)),
                ("ecarts", Some(ConclusionBox::Deviations)),
                (
                    "pistes d'amelioration",
                    Some(ConclusionBox::ImprovementTracks),
                ),
                (
                    "opportunites d'amelioration",
                    Some(ConclusionBox::ImprovementTracks),
                ),
            ],
            internal_cover: &[],
            origin: Some("external"),
            // Rubric 6 "Organisation": steering, training named in a title aside.
            module_themes: &[(6, Theme::Pilotage, true)],
        }
    })
}

impl Template for Marianne {
    fn name(&self) -> &'static str {
        "Marianne"
    }

    fn serves(&self, referential: ReferentialName) -> bool {
        matches!(
            referential,
            ReferentialName::Marianne2008
                | ReferentialName::Marianne2016
                | ReferentialName::Marianne2019
        )
    }

    /// The cover naming the Marianne referential, with the certification body's
    /// "INFORMATIONS GENERALES" form or its labelled characteristics.
    fn detect(&self, lines: &[Line]) -> Detection {
        let mut found = Detection::default();
        if !legacy::cover_names(lines, ReferentialName::Marianne2008) {
            return found;
        }
        found.score += 100;
        found.evidence.push("cover names the Marianne referential");
        for l in lines {
            let f = fold(&l.text);
            if f == "informations generales" || f == "caracteristiques labellisees" {
                found.score += 10;
                found.evidence.push("certification body's parts");
                break;
            }
        }
        found
    }

    /// Only recognition's grid passes read a lexicon, and this template reads its
    /// reports itself ([`Template::read`]): Qual-e-pref's, for the common words.
    fn lexicon(&self) -> &'static Lexicon {
        QualEPref.lexicon()
    }

    fn layout(&self) -> Layout {
        Layout::Blocks
    }

    fn theme(&self, a: &Assessment) -> Theme {
        legacy::legacy_theme(form(), a)
    }

    fn read(&self, doc: &SourceDocument) -> Option<Recognized> {
        let mut read = legacy::read(&Marianne, form(), doc)?;
        read.metadata.address = sites_address(&doc.lines);
        Some(read)
    }
}

/// The "Adresse du ou des sites" of the "INFORMATIONS GENERALES" form: the value
/// after the label on its line (a text layer joins the row's cells), else the lines
/// after it (the value cell, wrapped) up to the next label or part title, page
/// furniture ("… Page 2/5") or a line with no letter (a page number) — save a
/// "Cedex" office number wrapped onto a line of its own ("Montpellier Cedex" /
/// "2"). `None` when the form gives no address (an empty cell, "–").
fn sites_address(lines: &[Line]) -> Option<String> {
    let (address_label, page) = address_regexes();
    let parts = &form().parts;
    let is_part = |f: &str| parts.iter().any(|(re, _)| re.is_match(f));
    let is_label = |f: &str| {
        address_label.is_match(f)
            || form().labels.iter().any(|(label, _)| {
                f.strip_prefix(label)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':']))
            })
    };
    let start = lines
        .iter()
        .position(|l| fold(&l.text) == "informations generales")?;
    let form_lines: Vec<&Line> = lines[start + 1..]
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .take_while(|l| !is_part(&fold(&l.text)))
        .collect();
    // Not an e-mail or web address.
    let other_address = |f: &str| {
        address_label.find(f).is_some_and(|m| {
            let rest = f[m.end()..].trim_start();
            [
                "mail",
                "e-mail",
                "electronique",
                "courriel",
                "internet",
                "web",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
        })
    };
    let at = form_lines.iter().position(|l| {
        let f = fold(&l.text);
        address_label.is_match(&f) && !other_address(&f)
    })?;
    let line = &form_lines[at].text;
    let label_chars = address_label
        .find(&fold(line))
        .map_or(0, |m| fold(line)[..m.end()].chars().count());
    let same_line: String = line.trim_start().chars().skip(label_chars).collect();
    let same_line = same_line.trim_start_matches([' ', ':', '\t']).trim();
    let mut value: Vec<&str> = Vec::new();
    if !same_line.is_empty() {
        value.push(same_line);
    } else {
        for next in &form_lines[at + 1..] {
            let f = fold(&next.text);
            let lettered = next.text.chars().any(char::is_alphabetic);
            let cedex_number = f.len() <= 2
                && f.chars().all(|c| c.is_ascii_digit())
                && value.last().is_some_and(|v| fold(v).ends_with("cedex"));
            if is_label(&f) || page.is_match(&f) || value.len() == 3 {
                break;
            }
            if !lettered && !cedex_number {
                break;
            }
            value.push(next.text.trim());
            if cedex_number {
                break;
            }
        }
    }
    let value = collapse_whitespace(&value.join(" "));
    value.chars().any(char::is_alphanumeric).then_some(value)
}

/// The address label (folded, at the line's start) and a page-furniture mark.
fn address_regexes() -> &'static (Regex, Regex) {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        (
            Regex::new(r"^adresse(?:\(s\))?(?: du ou des sites| des sites| du site| de l'organisation| de l'organisme(?: audite)?)?(?:\s*:)?")
                .expect("address label"),
            Regex::new(r"\bpage \d+\s*/\s*\d+").expect("page mark"),
        )
    })
}
