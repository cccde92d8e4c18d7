//! Cover page ("1. PAGE DE GARDE"): a form whose labels and values a text extractor
//! emits in scrambled order. Structure first, wording as evidence:
//! - a label is a short segment that names a field: one of the template's labels,
//!   else a segment whose words say which field ("Équipe d'audit", "Audit réalisé
//!   le", "Période de l'audit"), a guess that a `cover_label_guessed` diagnostic
//!   reports; labels are read in any order and in any case;
//! - its value is on the same line ("LABEL : value"), in the next cell of a table row
//!   ("LABEL | value", "LABEL<tab>value"), or on the next line when that line looks
//!   like a value of that field (a date, a department, a person, a place);
//! - a labelled value whose label names no field ("Préfet : …") is left out, with a
//!   `cover_unknown_label` diagnostic, rather than read by its look;
//! - values left without a label are recognised by what they look like (dates, a
//!   department, a person's name, the referential), as the reference report's
//!   scrambled cover needs;
//! - ticked checkboxes (☒) give site type, audit type and modules covered.

use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::Lexicon;
use crate::departments;
use crate::model::{Evidence, Metadata, Referential, ReferentialName, Severity};
use crate::source::Line;
use crate::text::{collapse_whitespace, fold};

const CHECKED: &[char] = &['☒', '☑', '■', '✓', '✔', '⊠', '\u{f078}', '\u{f0fe}'];
const UNCHECKED: &[char] = &['☐', '□', '\u{f06f}', '\u{f0a8}'];

/// The field a cover form label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverField {
    SignatureDate,
    AuditDates,
    SiteType,
    Department,
    City,
    Modules,
    Auditors,
    Internal,
    AuditType,
    Referential,
    Title,
}

/// What the cover says, before inference from the rest of the report.
#[derive(Debug, Default)]
pub struct Cover {
    pub metadata: Metadata,
    /// True when checkbox glyphs survived on the cover, ticked or not.
    pub has_checkboxes: bool,
    pub internal: Option<bool>,
    /// How many distinct form labels ("DEPARTEMENT", "VILLE", "REFERENTIEL"…) were
    /// found: what tells a cover page from text that merely names a department.
    pub labels: usize,
    /// Dates written on the cover that no calendar has ("31/02/2022"), as written:
    /// left out of the metadata and reported, never shifted to a real date.
    pub impossible_dates: Vec<String>,
    /// What the reading of the cover was unsure of, for recognition's diagnostics.
    pub notes: Vec<CoverNote>,
}

/// A diagnostic about the cover: a label mapped by its words, a label naming no field.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverNote {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

/// One value of the cover with the field its label names (`None`: no label).
struct Entry {
    field: Option<CoverField>,
    value: String,
}

pub fn read_cover(lexicon: &Lexicon, lines: &[Line]) -> Cover {
    let form = lexicon.cover_labels;
    let mut cover = Cover::default();
    let mut dates: Vec<(String, Option<CoverField>)> = Vec::new();
    let mut free: Vec<(String, Option<CoverField>)> = Vec::new();
    let mut referential_lines: Vec<String> = Vec::new();
    let mut modules = Vec::new();
    let mut labels: Vec<CoverField> = Vec::new();
    let texts = join_wrapped_labels(
        form,
        lines
            .iter()
            .map(|l| row_as_label_value(form, &l.text))
            .filter(|t| !t.is_empty())
            .collect(),
    );
    let mut entries: Vec<Entry> = Vec::new();
    let mut paired = vec![false; texts.len()];
    for (i, text) in texts.iter().enumerate() {
        if paired[i] {
            continue;
        }
        let folded = fold(text);
        if text.contains(CHECKED) || text.contains(UNCHECKED) {
            cover.has_checkboxes = true;
            read_checkboxes(text, &mut cover, &mut modules);
            continue;
        }
        if referential_name(&folded).is_some()
            || (folded.starts_with("mis a jour") && !referential_lines.is_empty())
        {
            let label = form
                .iter()
                .find(|(_, f)| *f == CoverField::Referential)
                .map(|(l, _)| *l);
            referential_lines.push(
                label
                    .map_or(text.as_str(), |l| strip_label(text, l))
                    .to_owned(),
            );
            if label.is_some_and(|l| folded.starts_with(l))
                && !labels.contains(&CoverField::Referential)
            {
                labels.push(CoverField::Referential);
            }
            continue;
        }
        let (field, mut value, guessed) = match find_label(form, text) {
            Some(Label::Known(field, value)) => {
                if !labels.contains(&field) {
                    labels.push(field);
                }
                (Some(field), value, None)
            }
            Some(Label::Guessed(field, label, value)) => (Some(field), value, Some(label)),
            Some(Label::Unknown(label, value)) => {
                cover.notes.push(CoverNote {
                    severity: Severity::Info,
                    code: "cover_unknown_label",
                    message: format!(
                        "the cover's label {label:?} names no field of the metadata: its \
                         value {value:?} is left out"
                    ),
                });
                continue;
            }
            None => (None, text.to_owned(), None),
        };
        // A label alone on its line: its value is the next line, when that line is
        // no label and looks like a value of the field.
        if let (Some(f), true) = (field, value.is_empty()) {
            if let Some(next) = texts.get(i + 1).filter(|n| {
                find_label(form, n).is_none()
                    && !n.contains(CHECKED)
                    && !n.contains(UNCHECKED)
                    && fits(f, n)
            }) {
                value = next.clone();
                paired[i + 1] = true;
            }
        }
        if value.is_empty() || value == "-" || is_option_line(&fold(&value)) {
            continue;
        }
        if let (Some(f), Some(label)) = (field, guessed) {
            cover.notes.push(CoverNote {
                severity: Severity::Info,
                code: "cover_label_guessed",
                message: format!(
                    "the cover's label {label:?} is none of the template's: read as {} by \
                     its words",
                    field_name(f)
                ),
            });
            if !labels.contains(&f) {
                labels.push(f);
            }
        }
        entries.push(Entry { field, value });
    }
    for Entry { field, value } in &entries {
        let found = numeric_dates(value);
        let date_field = matches!(
            field,
            Some(CoverField::AuditDates | CoverField::SignatureDate)
        );
        if let Some(iso) = word_date(&fold(value)).filter(|_| found.is_empty() && date_field) {
            // "5 juillet 2022" under a date's label.
            dates.push((iso, *field));
        } else if !found.is_empty() {
            for date in found {
                match date {
                    Ok(iso) => dates.push((iso, *field)),
                    Err(written) => cover.impossible_dates.push(written),
                }
            }
        } else {
            free.push((value.clone(), *field));
        }
    }
    cover.labels = labels.len();
    let metadata = &mut cover.metadata;
    assign_dates(metadata, &dates, !cover.impossible_dates.is_empty());
    if !referential_lines.is_empty() {
        let audit_year = metadata
            .audit_dates
            .first()
            .and_then(|d| d.get(..4)?.parse().ok());
        metadata.referential = Some(referential(
            &collapse_whitespace(&referential_lines.join(" ")),
            audit_year,
        ));
    }
    assign_free_values(metadata, &free);
    if !modules.is_empty() {
        modules.sort_unstable();
        modules.dedup();
        metadata.modules_covered = modules;
        metadata.modules_covered_evidence = Some(Evidence::Cover);
    }
    cover
}

/// A line as the cover reads it, whitespace collapsed; a table row whose first cell
/// is a label ("DEPARTEMENT | Doubs |", "VILLE<tab>Besançon") as "LABEL : value".
fn row_as_label_value(form: &[(&str, CoverField)], raw: &str) -> String {
    let piped = raw.trim_start().starts_with('|') || raw.contains(" | ");
    if !(raw.contains('\t') || piped) {
        return collapse_whitespace(raw);
    }
    let cells: Vec<String> = raw
        .split(|c| c == '\t' || (piped && c == '|'))
        .map(collapse_whitespace)
        .filter(|c| !c.is_empty())
        .collect();
    let Some((first, rest)) = cells.split_first() else {
        return String::new();
    };
    let folded = fold(first);
    let is_label = label_of(form, &folded).is_some_and(|(_, len)| len == folded.chars().count())
        || (guess_field(&folded).is_some() && label_shaped(first));
    if is_label && !rest.is_empty() {
        format!("{first} : {}", rest.join(" "))
    } else {
        cells.join(" ")
    }
}

/// What starts a cover line.
enum Label {
    /// One of the template's labels, and the value after it.
    Known(CoverField, String),
    /// A label the template does not spell so, mapped by its words: the field, the
    /// label as written, the value.
    Guessed(CoverField, String, String),
    /// "Label : value" whose label names no field: the label, the value.
    Unknown(String, String),
}

fn find_label(form: &[(&str, CoverField)], text: &str) -> Option<Label> {
    let folded = fold(text);
    if let Some((field, len)) = label_of(form, &folded) {
        return Some(Label::Known(field, value_after_label(text, len).to_owned()));
    }
    // "Label : value", the label a short segment before the first colon.
    if let Some((label, value)) = text.split_once(" :").or_else(|| {
        text.split_once(": ")
            .or_else(|| text.strip_suffix(':').map(|l| (l, "")))
    }) {
        let (label, value) = (label.trim(), value.trim_start_matches(':').trim());
        if label_shaped(label) {
            return Some(match guess_field(&fold(label)) {
                Some(field) => Label::Guessed(field, label.to_owned(), value.to_owned()),
                None if !value.is_empty() => Label::Unknown(label.to_owned(), value.to_owned()),
                None => return None,
            });
        }
        return None;
    }
    // A label alone on its line, that holds no value itself.
    let holds_value = departments::lookup(text).is_some()
        || !departments::find_in_text(text).is_empty()
        || regexes().person.is_match(text);
    if label_shaped(text) && !holds_value {
        let field = guess_field(&folded)?;
        return Some(Label::Guessed(field, text.to_owned(), String::new()));
    }
    None
}

/// A segment that can be a form label: a few words, no digit, starting with a letter.
fn label_shaped(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=6).contains(&words)
        && text.chars().count() >= 3
        && text.chars().next().is_some_and(char::is_alphabetic)
        && !text.chars().any(|c| c.is_ascii_digit())
}

/// The field a label names by its words, whatever the template spells: "Équipe
/// d'audit", "Audit réalisé le", "Période de l'audit", "Date de signature".
fn guess_field(folded: &str) -> Option<CoverField> {
    let has = |w: &str| folded.contains(w);
    let audit_word = folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "audit");
    Some(if has("signature") || has("signe le") {
        CoverField::SignatureDate
    } else if has("auditeur")
        || has("auditrice")
        || has("equipe d'audit")
        || has("responsable d'audit")
        || has("responsable de l'audit")
        || has("responsable de l'evaluation")
        || has("evaluateur")
        || has("evaluatrice")
    {
        CoverField::Auditors
    } else if audit_word
        && (has("date")
            || has("periode")
            || has("realise le")
            || has("effectue le")
            || has("deroule le")
            || has("jour"))
    {
        CoverField::AuditDates
    } else if has("departement") {
        CoverField::Department
    } else if has("ville") || has("commune") || has("localite") {
        CoverField::City
    } else if has("referentiel") {
        CoverField::Referential
    } else if has("type d'audit") || has("nature de l'audit") {
        CoverField::AuditType
    } else if has("type d'administration") || has("type de site") || has("type de structure") {
        CoverField::SiteType
    } else if has("modules") {
        CoverField::Modules
    } else {
        return None;
    })
}

/// Whether a line looks like a value of `field`, for a label alone on the line
/// before it.
fn fits(field: CoverField, text: &str) -> bool {
    let person = regexes().person.is_match(text);
    let department = departments::lookup(text).is_some();
    match field {
        CoverField::SignatureDate | CoverField::AuditDates => {
            !numeric_dates(text).is_empty() || word_date(&fold(text)).is_some()
        }
        CoverField::Department => department,
        CoverField::City => is_place(text) && !person && !department,
        CoverField::Auditors => person,
        _ => false,
    }
}

/// The metadata field a cover field fills, as the JSON names it.
fn field_name(field: CoverField) -> &'static str {
    match field {
        CoverField::SignatureDate => "signature_date",
        CoverField::AuditDates => "audit_dates",
        CoverField::SiteType => "site_type",
        CoverField::Department => "department",
        CoverField::City => "city",
        CoverField::Modules => "modules_covered",
        CoverField::Auditors => "auditors",
        CoverField::Internal => "audit_origin",
        CoverField::AuditType => "audit_type",
        CoverField::Referential => "referential",
        CoverField::Title => "title",
    }
}

/// Joins a form label wrapped in its narrow cell ("TYPE" / "D'ADMINISTRATION",
/// "MODULES COUVERTS" / "PAR LE LABEL"): a line that is no label but begins one, with
/// the next line when together they are that label.
fn join_wrapped_labels(form: &[(&str, CoverField)], texts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(texts.len());
    let mut texts = texts.into_iter().peekable();
    while let Some(text) = texts.next() {
        let folded = fold(&text);
        let begins_a_label = folded.len() < 40 && label_of(form, &folded).is_none() && {
            let prefix = format!("{folded} ");
            form.iter().any(|(label, _)| label.starts_with(&prefix))
        };
        if let Some(next) = texts.peek().filter(|_| begins_a_label) {
            let joined = format!("{text} {next}");
            if label_of(form, &fold(&joined)).is_some() {
                out.push(joined);
                texts.next();
                continue;
            }
        }
        out.push(text);
    }
    out
}

fn label_of(form: &[(&str, CoverField)], folded: &str) -> Option<(CoverField, usize)> {
    form.iter().find_map(|&(label, field)| {
        let rest = folded.strip_prefix(label)?;
        (rest.is_empty() || rest.starts_with([' ', ':'])).then_some((field, label.chars().count()))
    })
}

/// The text after a label of `label_chars` characters (counted on folded text, which
/// keeps one character per original letter for these labels).
fn value_after_label(text: &str, label_chars: usize) -> &str {
    let at = text
        .char_indices()
        .nth(label_chars)
        .map_or(text.len(), |(i, _)| i);
    text[at..].trim_start_matches([' ', ':']).trim()
}

/// The value of a line that starts with the form's `label` (folded): after "LABEL :",
/// or after the label written in capitals as the form writes it, followed by its value
/// ("REFERENTIEL<tab>Référentiel de labellisation…" in a Word export that joins a row's
/// cells with tabs). A value that merely begins with the label's word in lower case
/// ("Référentiel de labellisation…") is kept whole.
fn strip_label<'t>(text: &'t str, label: &str) -> &'t str {
    let folded = fold(text);
    if folded.starts_with(&format!("{label} :")) || folded.starts_with(&format!("{label}:")) {
        return text.split_once(':').map_or(text, |(_, v)| v.trim());
    }
    let Some((first, rest)) = text.split_once(char::is_whitespace) else {
        return text;
    };
    let in_capitals =
        first.chars().any(char::is_alphabetic) && first.chars().all(|c| !c.is_lowercase());
    if in_capitals && fold(first) == label && !rest.trim().is_empty() {
        rest.trim()
    } else {
        text
    }
}

/// Lines listing the checkbox options whose marks were lost.
fn is_option_line(folded: &str) -> bool {
    (folded.contains("sous-prefecture") && folded.contains("prefecture de police"))
        || regexes().module_option.is_match(folded)
        || (folded.contains("initial") && folded.contains("renouvellement"))
}

fn read_checkboxes(text: &str, cover: &mut Cover, modules: &mut Vec<u8>) {
    // Each mark precedes the option it ticks.
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| CHECKED.contains(&c) || UNCHECKED.contains(&c)) {
        let mark = rest[at..].chars().next().unwrap_or(' ');
        let after = &rest[at + mark.len_utf8()..];
        let end = after
            .find(|c: char| CHECKED.contains(&c) || UNCHECKED.contains(&c))
            .unwrap_or(after.len());
        let option = fold(&after[..end]);
        rest = &after[end..];
        if !CHECKED.contains(&mark) {
            continue;
        }
        let metadata = &mut cover.metadata;
        if let Some(caps) = regexes().module_option.captures(&option) {
            if let Ok(n) = caps[1].parse() {
                modules.push(n);
            }
        } else if option.starts_with("prefecture de police") {
            metadata.site_type = Some("prefecture_de_police".into());
        } else if option.starts_with("sous-prefecture") || option.starts_with("sous prefecture") {
            metadata.site_type = Some("sous_prefecture".into());
        } else if option.starts_with("prefecture") {
            metadata.site_type = Some("prefecture".into());
        } else if option.starts_with("audit interne") {
            cover.internal = Some(true);
        } else if option.starts_with("audit externe") {
            cover.internal = Some(false);
        } else if let Some(kind) = audit_type_of(&option) {
            metadata.audit_type = Some(kind.into());
        }
        if metadata.site_type.is_some() {
            metadata.site_type_evidence = Some(Evidence::Cover);
        }
        if metadata.audit_type.is_some() {
            metadata.audit_type_evidence = Some(Evidence::Cover);
        }
    }
}

/// The audit type an option or phrase names ("de Suivi", "audit de renouvellement").
pub fn audit_type_of(folded: &str) -> Option<&'static str> {
    let word = folded
        .trim_start_matches("audit ")
        .trim_start_matches("de ")
        .trim_start_matches("d'")
        .trim_start_matches("d' ");
    [
        ("initial", "initial"),
        ("suivi", "suivi"),
        ("renouvellement", "renouvellement"),
        ("extension", "extension"),
    ]
    .iter()
    .find(|(w, _)| word.starts_with(w))
    .map(|&(_, kind)| kind)
}

/// `impossible_written`: the cover also wrote a date no calendar has — a date all the
/// same, which may have been the audit's.
fn assign_dates(
    metadata: &mut Metadata,
    dates: &[(String, Option<CoverField>)],
    impossible_written: bool,
) {
    let labelled = |f: CoverField| {
        dates
            .iter()
            .filter(move |(_, l)| *l == Some(f))
            .map(|(d, _)| d.clone())
    };
    let mut signature: Option<String> = labelled(CoverField::SignatureDate).next_back();
    let mut audit: Vec<String> = labelled(CoverField::AuditDates).collect();
    let pooled: Vec<String> = dates
        .iter()
        .filter(|(_, l)| l.is_none())
        .map(|(d, _)| d.clone())
        .collect();
    if signature.is_none() {
        // Signing follows the audit: with the labels lost, the latest date is the
        // signature, provided another date is left to be the audit's.
        let latest = pooled.iter().max().cloned();
        if !audit.is_empty()
            || impossible_written
            || pooled.iter().any(|d| Some(d) != latest.as_ref())
        {
            signature = latest;
        }
    }
    for d in pooled {
        if Some(&d) != signature.as_ref() && !audit.contains(&d) {
            audit.push(d);
        }
    }
    metadata.signature_date = signature;
    metadata.audit_dates = audit;
}

fn assign_free_values(metadata: &mut Metadata, free: &[(String, Option<CoverField>)]) {
    let mut unlabelled = Vec::new();
    for (value, field) in free {
        match field {
            Some(CoverField::Department) => set_department(metadata, value),
            Some(CoverField::City) => metadata.city = Some(value.clone()),
            Some(CoverField::Auditors) => metadata.auditors.extend(split_names(value)),
            Some(CoverField::AuditType)
            | Some(CoverField::Internal)
            | Some(CoverField::SiteType)
            | Some(CoverField::Modules)
            | Some(CoverField::Title) => {}
            _ => unlabelled.push(value.as_str()),
        }
    }
    for value in unlabelled {
        if metadata.department.is_none() && departments::lookup(value).is_some() {
            set_department(metadata, value);
        } else if regexes().person.is_match(value) {
            metadata.auditors.extend(split_names(value));
        } else if metadata.city.is_none() && is_place(value) {
            metadata.city = Some(value.to_owned());
        }
    }
}

fn set_department(metadata: &mut Metadata, value: &str) {
    match departments::lookup(value) {
        Some(d) => {
            metadata.department = Some(d.name.to_owned());
            metadata.department_code = Some(d.code.to_owned());
        }
        None => metadata.department = Some(value.to_owned()),
    }
}

fn split_names(value: &str) -> Vec<String> {
    regexes()
        .name_separator
        .split(value)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every real dd/mm/yyyy date in a text, as ISO 8601.
pub fn find_dates(text: &str) -> Vec<String> {
    numeric_dates(text).into_iter().flatten().collect()
}

/// Every dd/mm/yyyy in a text: the ISO date, or the text as written when no calendar
/// has that day ("31/02/2022").
fn numeric_dates(text: &str) -> Vec<Result<String, String>> {
    regexes()
        .numeric_date
        .captures_iter(text)
        .map(|c| {
            let number = |i: usize| c[i].parse::<u32>().unwrap_or(0);
            iso_date(number(3), number(2), number(1)).ok_or_else(|| c[0].to_owned())
        })
        .collect()
}

/// A calendar date as ISO 8601, if it exists (and falls in the archives' plausible range).
fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// French month names, folded (no accents), January first.
pub(crate) const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// A date written in words: "4 février 2019", "1er mars 2020".
fn word_date(folded: &str) -> Option<String> {
    let c = regexes().word_date.captures(folded)?;
    let month = MONTHS.iter().position(|m| *m == &c[2])? as u32 + 1;
    iso_date(c[3].parse().ok()?, month, c[1].parse().ok()?)
}

/// The referential a label names. QUALIPREF 2.0 is also written "QUALIPREF v2";
/// QUALIPREF alone is the AFNOR referential (REF-180). Marianne's version comes from
/// the label when it says ([`marianne_version`]).
pub fn referential_name(folded: &str) -> Option<ReferentialName> {
    let compact: String = folded
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    Some(if compact.contains("qualepref") {
        ReferentialName::QualEPref
    } else if compact.contains("qualipref2.0") || compact.contains("qualiprefv2") {
        ReferentialName::Qualipref20
    } else if compact.contains("qualipref2") {
        ReferentialName::Qualipref2
    } else if compact.contains("qualipref") {
        ReferentialName::QualiprefAfnor
    } else if compact.contains("referentielmarianne") || compact.starts_with("marianne") {
        marianne_version(folded).unwrap_or(ReferentialName::Marianne2008)
    } else {
        return None;
    })
}

/// The Marianne version a label states: V2 (2008) and V3 (2013) kept the 19
/// engagements of 2008; otherwise the first year written decides.
fn marianne_version(folded: &str) -> Option<ReferentialName> {
    let caps = regexes().marianne_version.captures(folded)?;
    if caps.get(1).is_some() {
        return Some(ReferentialName::Marianne2008);
    }
    marianne_of_year(caps[2].parse().ok()?)
}

/// The Marianne referential in force in a year.
fn marianne_of_year(year: u32) -> Option<ReferentialName> {
    Some(match year {
        2008..=2015 => ReferentialName::Marianne2008,
        2016..=2018 => ReferentialName::Marianne2016,
        2019.. => ReferentialName::Marianne2019,
        _ => return None,
    })
}

/// The referential a label names, with its dates: what [`referential`] reads, and a
/// month and year alone ("version d'octobre 2012") as an ISO 8601 month ("2012-10")
/// when the label gives no day.
pub fn referential_of(label: &str, audit_year: Option<u32>) -> Referential {
    let mut r = referential(label, audit_year);
    if r.date.is_none() {
        r.date = month_of_year(&fold(label));
    }
    r
}

/// "octobre 2012" → "2012-10".
fn month_of_year(folded: &str) -> Option<String> {
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).find_map(|w| {
        let month = MONTHS.iter().position(|m| *m == w[0])? + 1;
        let year: u32 = w[1].parse().ok().filter(|y| (1900..=2100).contains(y))?;
        Some(format!("{year:04}-{month:02}"))
    })
}

/// `audit_year`: for a Marianne label that states no version, the referential in force
/// that year; with neither, Marianne 2008, in force longest (2008–2015).
fn referential(label: &str, audit_year: Option<u32>) -> Referential {
    let folded = fold(label);
    let (before_update, update) = match folded.find("mis a jour") {
        Some(at) => (&folded[..at], Some(&folded[at..])),
        None => (folded.as_str(), None),
    };
    let date_of = |part: &str| {
        find_dates(part)
            .into_iter()
            .next()
            .or_else(|| word_date(part))
    };
    let mut name = referential_name(&folded).unwrap_or(ReferentialName::Unknown);
    if name == ReferentialName::Marianne2008 && marianne_version(&folded).is_none() {
        name = audit_year.and_then(marianne_of_year).unwrap_or(name);
    }
    Referential {
        name,
        label: label.to_owned(),
        date: date_of(before_update),
        updated: update.and_then(date_of),
    }
}

fn is_place(value: &str) -> bool {
    (2..=61).contains(&value.chars().count()) && regexes().place.is_match(value)
}

struct Regexes {
    numeric_date: Regex,
    word_date: Regex,
    person: Regex,
    place: Regex,
    name_separator: Regex,
    module_option: Regex,
    marianne_version: Regex,
}

fn regexes() -> &'static Regexes {
    static CELL: OnceLock<Regexes> = OnceLock::new();
    CELL.get_or_init(|| Regexes {
        numeric_date: Regex::new(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b").unwrap(),
        word_date: Regex::new(r"\b(\d{1,2})(?:er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) (\d{4})\b").unwrap(),
        // "Aurélie ROUMEGOUX", "Jean-Marc DUPONT, Marie MARTIN".
        person: Regex::new(r"^(?:\p{Lu}[\p{Ll}'’-]+[ -])+\p{Lu}[\p{Lu}'’-]+(?:\s*(?:,|;|/|\bet\b)\s*.*)?$").unwrap(),
        // A place name: letters, spaces, hyphens and apostrophes, starting with a
        // capital (its length is checked apart: a bounded repeat of a Unicode class
        // takes milliseconds to compile, paid by every process).
        place: Regex::new(r"^\p{Lu}[\p{L}'’ -]+$").unwrap(),
        name_separator: Regex::new(r"\s*(?:,|;|/|\bet\b)\s*").unwrap(),
        module_option: Regex::new(r"^module (\d)\b").unwrap(),
        marianne_version: Regex::new(r"\bv(?:ersion)? ?([23])\b|\b(20\d\d)\b").unwrap(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::template::{QualEPref, Template};
    use super::*;
    use crate::source::text::plain_lines as lines;

    fn read_cover(lines: &[Line]) -> Cover {
        super::read_cover(QualEPref.lexicon(), lines)
    }

    #[test]
    fn labels_apart_from_values() {
        let cover = read_cover(&lines(&[
            "DATE ET SIGNATURE DE L'AUDITEUR",
            "08/07/2022",
            "-",
            "05/07/2022",
            "TYPE D'ADMINISTRATION",
            " Référentiel de labellisation qual·e·pref du 19/12/2018",
            "mis à jour le 4 février 2019",
            "DEPARTEMENT",
            "VILLE",
            "MODULES COUVERTS PAR LE ",
            "LABEL",
            "TARN ET GARONNE",
            "Montauban",
            " Auditeur(s)",
            "     AUDIT INTERNE",
            "REFERENTIEL",
            "NOM AUDITEUR",
            "Aurélie ROUMEGOUX",
            "Préfecture Sous-préfecture Préfecture de police",
            "Module 1   Relation générale avec les usagers",
            "Initial de Suivi de Renouvellement d' Extension",
        ]));
        let m = cover.metadata;
        assert_eq!(m.signature_date.as_deref(), Some("2022-07-08"));
        assert_eq!(m.audit_dates, vec!["2022-07-05"]);
        assert_eq!(m.department.as_deref(), Some("Tarn-et-Garonne"));
        assert_eq!(m.department_code.as_deref(), Some("82"));
        assert_eq!(m.city.as_deref(), Some("Montauban"));
        assert_eq!(m.auditors, vec!["Aurélie ROUMEGOUX"]);
        let r = m.referential.unwrap();
        assert_eq!(
            (r.name, r.date.as_deref(), r.updated.as_deref()),
            (
                ReferentialName::QualEPref,
                Some("2018-12-19"),
                Some("2019-02-04")
            )
        );
        assert!(!cover.has_checkboxes);
        assert!(m.site_type.is_none() && m.modules_covered.is_empty());
    }

    #[test]
    fn impossible_dates_are_left_out_and_kept_as_written() {
        let cover = read_cover(&lines(&[
            "DATE(S) DE L'AUDIT : 31/02/2022 - 01/03/2022",
            "DATE ET SIGNATURE DE L'AUDITEUR 29/02/2023",
            "VILLE : Nevers",
        ]));
        assert_eq!(cover.metadata.audit_dates, vec!["2022-03-01"]);
        assert_eq!(cover.metadata.signature_date, None);
        assert_eq!(cover.impossible_dates, vec!["31/02/2022", "29/02/2023"]);
        assert_eq!(cover.metadata.city.as_deref(), Some("Nevers"));
        // A leap day that exists stays.
        assert_eq!(find_dates("29/02/2024"), vec!["2024-02-29"]);
    }

    #[test]
    fn ticked_glyphs_and_same_line_labels() {
        let cover = read_cover(&lines(&[
            "TYPE D'ADMINISTRATION ☐ Préfecture ☒ Sous-préfecture ☐ Préfecture de police",
            "☒ Module 1 Relation générale avec les usagers",
            "☐ Module 2 Délivrance des titres",
            "☒ Module 3 Délivrance de titres étrangers",
            "Réalisé en amont d'un audit : ☐ Initial ☐ de Suivi ☒ de Renouvellement ☐ d'Extension",
            "DEPARTEMENT : CORREZE",
            "VILLE : Brive-la-Gaillarde",
            "NOM AUDITEUR : Jean DUPONT et Marie-Claire LEROY",
            "DATE(S) DE L'AUDIT : 12/06/2023 - 13/06/2023",
            "DATE ET SIGNATURE DE L'AUDITEUR 20/06/2023",
        ]));
        let m = cover.metadata;
        assert_eq!(m.site_type.as_deref(), Some("sous_prefecture"));
        assert_eq!(m.modules_covered, vec![1, 3]);
        assert_eq!(m.audit_type.as_deref(), Some("renouvellement"));
        assert_eq!(m.department.as_deref(), Some("Corrèze"));
        assert_eq!(m.city.as_deref(), Some("Brive-la-Gaillarde"));
        assert_eq!(m.auditors, vec!["Jean DUPONT", "Marie-Claire LEROY"]);
        assert_eq!(m.audit_dates, vec!["2023-06-12", "2023-06-13"]);
        assert_eq!(m.signature_date.as_deref(), Some("2023-06-20"));
    }

    #[test]
    fn labels_wrapped_in_their_cell_are_joined() {
        let cover = read_cover(&lines(&[
            "TYPE",
            "D'ADMINISTRATION",
            "☐ Préfecture ☒ Sous-préfecture",
            "DEPARTEMENT",
            "CORREZE",
            "VILLE",
            "Brive-la-Gaillarde",
            "MODULES COUVERTS",
            "PAR LE LABEL",
            "☒ Module 3 Délivrance de titres étrangers",
        ]));
        let m = cover.metadata;
        assert_eq!(m.city.as_deref(), Some("Brive-la-Gaillarde"));
        assert_eq!(m.modules_covered, vec![3]);
        assert_eq!(cover.labels, 4);
    }

    #[test]
    fn referential_names_with_their_versions() {
        let name = |label: &str| referential(label, None).name;
        assert_eq!(
            name("Référentiel QUALIPREF 2.0"),
            ReferentialName::Qualipref20
        );
        assert_eq!(
            name("Référentiel QUALIPREF v2"),
            ReferentialName::Qualipref20
        );
        assert_eq!(
            name("QUALIPREF2 (octobre 2012)"),
            ReferentialName::Qualipref2
        );
        assert_eq!(name("référentiel qualipref 2"), ReferentialName::Qualipref2);
        assert_eq!(
            name("Référentiel QUALIPREF"),
            ReferentialName::QualiprefAfnor
        );
        assert_eq!(
            name("Référentiel Marianne V3"),
            ReferentialName::Marianne2008
        );
        assert_eq!(
            name("Référentiel Marianne version 2016"),
            ReferentialName::Marianne2016
        );
        assert_eq!(
            name("Référentiel Marianne du 01/03/2019"),
            ReferentialName::Marianne2019
        );
        // No version written: the audit's year decides, else the 2008 referential.
        assert_eq!(
            referential("Référentiel Marianne", Some(2017)).name,
            ReferentialName::Marianne2016
        );
        assert_eq!(name("Référentiel Marianne"), ReferentialName::Marianne2008);
    }
}
