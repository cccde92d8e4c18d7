//! The reading shared by the templates that came before Qual-e-pref's grid (QUALIPREF
//! 2.0's blocks, QUALIPREF2's findings table, certification bodies' Marianne reports).
//! Each describes its report in a [`Form`] (numbered part titles, cover labels, the
//! commitment heading and its numbering, verdict labels, conclusion box labels,
//! themes by module); this module reads any such form, by structure:
//!
//! - page furniture is what recurs on many pages (a footer "… – Page 3/5", a
//!   confidentiality line), whatever its words;
//! - parts start at the form's part titles; a contents list (titles listed once before
//!   they come back as headings) is skipped; recaps, gap sheets, lexicons and plans are
//!   read as nothing, so their repeated findings add no assessment;
//! - an assessment starts at a commitment heading and ends at the next heading; in a
//!   table, a PDF line's cell says whether it is title, findings or verdict, a text
//!   line's width and labels say it (title lines are as narrow as the title column);
//! - a finding starts at a label ("Point fort :", "PS :") and runs to the next label
//!   (its later paragraphs included); findings with no label are notes;
//! - a word cut at a line end is joined without its hyphen unless the document writes
//!   it hyphenated elsewhere or the next part is a name or a compound's tail.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::theme;
use super::Template;
use crate::departments;
use crate::model::{
    Annotation, AnnotationKind, Assessment, Channel, Conclusion, Conformity, Evidence, Metadata,
    Phase, Provenance, ReferentialName, Section, Severity, Theme,
};
use crate::recognize::cover::{referential_of, MONTHS};
use crate::recognize::lexicon::ConclusionBox;
use crate::recognize::vocabulary::{Usage, Vocabulary};
use crate::recognize::{Ctx, Recognized};
use crate::source::{Column, Line, SourceDocument};
use crate::text::fold;

/// What a part of the report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Title page: cover labels.
    Cover,
    /// A contents list: its entries come back later as part titles.
    Contents,
    /// A form of labelled fields (QUALIPREF 2.0 §1.1, Marianne "Informations
    /// générales"): cover labels.
    Form,
    Context,
    /// The commitments, assessed.
    Assessments,
    /// Boxes under labels (synthesis, closing minutes).
    Conclusion,
    /// Read as nothing: plans, recaps, gap sheets, lexicons, lists.
    Skip,
}

/// What a cover or form label gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Referential,
    /// The audited organisation ("PREFECTURE du …", "Nom de l'organisation").
    Organisation,
    AuditDates,
    /// One auditor's name starts the value.
    Auditor,
    /// Auditors, one per line from the value on.
    Auditors,
    SignatureDate,
    AuditType,
    /// Module numbers, in the value and the lines after it that name modules.
    Modules,
}

/// How a template's reports are written: everything [`read`] needs to know.
#[derive(Debug)]
pub struct Form {
    pub referential: ReferentialName,
    /// Part titles, as patterns over the folded line, first match wins.
    pub parts: Vec<(Regex, Part)>,
    /// Cover and form labels (folded, a prefix of the line), longest first.
    pub labels: &'static [(&'static str, Field)],
    /// A commitment heading: `number`, optional `sub` (then the code is as written)
    /// and optional `title` groups, over the line as written.
    pub commitment: Regex,
    /// A module heading (`module` group) over the folded line.
    pub module: Regex,
    /// Channel sub-headings (folded, whole line).
    pub channels: &'static [(&'static str, Option<Channel>)],
    /// A verdict line's label ("conformite", "evaluation"), folded.
    pub verdict_labels: &'static [&'static str],
    /// Repeated table heading cells or rows, folded, whole line.
    pub table_heading: &'static [&'static str],
    /// Rows of a findings table (else blocks).
    pub table: bool,
    /// Conclusion box labels (folded, whole line); `None` ends the boxes (signatures).
    pub boxes: &'static [(&'static str, Option<ConclusionBox>)],
    /// "internal" / "external" when the form says it: a cover wording that makes the
    /// audit internal, or the origin every report of the template has.
    pub internal_cover: &'static [&'static str],
    pub origin: Option<&'static str>,
    /// Themes of modules: (module, theme, whether title words may refine it).
    pub module_themes: &'static [(u8, Theme, bool)],
}

fn regexes() -> &'static (Regex, Regex, Regex, Regex) {
    static R: OnceLock<(Regex, Regex, Regex, Regex)> = OnceLock::new();
    R.get_or_init(|| {
        (
            // "Sandrine BOUCHARDON", "Maryvonne LE GOFF", "Anne-Sophie MARCHAL".
            Regex::new(r"^((?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)*\s+)+\p{Lu}[\p{Lu}'’-]+(?:\s+\p{Lu}[\p{Lu}'’-]+)*)\b")
                .expect("person pattern"),
            // "14 et 15 juin 2016", "21 mars 2017", "1er décembre 2015" (folded).
            Regex::new(r"\b(\d{1,2})(?:er)?((?:\s*(?:,|et|au|-)\s*\d{1,2}(?:er)?)*)\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4})\b")
                .expect("word date pattern"),
            // "Fait à Poitiers, le 21 mars 2017", "Nantes, le 19 avril 2013" (folded).
            Regex::new(r"^(?:fait a )?[\p{L}' -]+, le (\d{1,2}(?:er)? \p{L}+ \d{4}|\d{1,2}/\d{1,2}/\d{4})")
                .expect("signature pattern"),
            Regex::new(r"\bmodule (\d{1,2})\b").expect("module pattern"),
        )
    })
}

/// Every date a value gives, ISO 8601: dd/mm/yyyy and words, days listed before
/// their month ("14 et 15 juin 2016").
fn dates_in(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = crate::recognize::cover::find_dates(&folded);
    for c in regexes().1.captures_iter(&folded) {
        let Some(month) = MONTHS.iter().position(|m| *m == &c[3]) else {
            continue;
        };
        let year: i32 = c[4].parse().unwrap_or(0);
        let days = std::iter::once(&c[1]).chain(
            c[2].split(|ch: char| !ch.is_ascii_digit())
                .filter(|d| !d.is_empty()),
        );
        for day in days {
            let Ok(day) = day.parse::<u8>() else { continue };
            let Ok(m) = time::Month::try_from(month as u8 + 1) else {
                continue;
            };
            if let Ok(d) = time::Date::from_calendar_date(year, m, day) {
                out.push(format!(
                    "{:04}-{:02}-{:02}",
                    d.year(),
                    u8::from(d.month()),
                    d.day()
                ));
            }
        }
    }
    out
}

/// The words of a document, folded, to tell a word cut at a line end ("labellisa-" /
/// "tion") from a compound cut at its hyphen ("non-" / "conformité").
pub struct Words(HashSet<String>);

impl Words {
    pub fn of(lines: &[&Line]) -> Words {
        let mut set = HashSet::new();
        for l in lines {
            for w in l.text.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.chars().count() > 1 {
                    set.insert(fold(w));
                }
            }
        }
        Words(set)
    }

    /// Lines joined into one value: one space between lines, a word cut at a line end
    /// joined whole, the document's words telling a cut from a compound
    /// ([`crate::text::hyphen_is_a_cut`]).
    pub fn join<'a>(&self, lines: impl IntoIterator<Item = &'a str>) -> String {
        crate::text::join_lines_knowing(lines, |w| self.0.contains(w))
    }
}

/// Lines that recur on several pages with only their numbers changed: running
/// headers and footers.
fn furniture(lines: &[Line]) -> Vec<bool> {
    let key = |l: &Line| -> String {
        fold(&l.text)
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect()
    };
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for l in lines {
        *counts.entry(key(l)).or_default() += 1;
    }
    lines
        .iter()
        .map(|l| {
            let k = key(l);
            k.chars().count() >= 25 && counts[&k] >= 3
        })
        .collect()
}

/// One commitment being read.
#[derive(Debug, Default)]
struct Item {
    module: Option<u8>,
    channel: Option<Channel>,
    number: u32,
    code: Option<String>,
    title: Vec<String>,
    findings: Vec<(AnnotationKind, Vec<String>)>,
    verdict_lines: Vec<String>,
    verdict: Option<Conformity>,
    first: usize,
    last: usize,
    page: Option<u32>,
    /// Title lines may still come (no finding yet, or a page break in a table row).
    title_open: bool,
}

/// Reads a whole report of a legacy form; `None` when it holds none of the form's
/// commitments (a report of the referential filled into another layout).
pub fn read(
    template: &'static dyn Template,
    form: &Form,
    doc: &SourceDocument,
) -> Option<Recognized> {
    let vocabulary = Vocabulary::new(&[Usage::Common, Usage::Legacy]);
    let noise = furniture(&doc.lines);
    let kept: Vec<(&Line, bool)> = doc
        .lines
        .iter()
        .zip(noise)
        .filter(|(l, _)| !l.text.trim().is_empty())
        .collect();
    let all: Vec<&Line> = kept.iter().map(|(l, _)| *l).collect();
    let words = Words::of(&all);
    let mut ctx = Ctx::default();

    // Parts.
    let mut part = Part::Cover;
    let mut listed: Vec<String> = Vec::new();
    let mut by_part: Vec<(Part, &Line, bool)> = Vec::new();
    for &(line, is_furniture) in &kept {
        let folded = fold(&line.text);
        let titled = form
            .parts
            .iter()
            .find(|(re, _)| re.is_match(&folded))
            .map(|&(_, p)| p);
        if let Some(p) = titled {
            if part == Part::Contents && p != Part::Contents && !listed.contains(&folded) {
                listed.push(folded);
                continue;
            }
            part = p;
            continue;
        }
        by_part.push((part, line, is_furniture));
    }
    let lines_of = |want: &[Part]| -> Vec<&Line> {
        by_part
            .iter()
            .filter(|(p, _, f)| want.contains(p) && !f)
            .map(|(_, l, _)| *l)
            .collect()
    };

    let mut metadata = read_metadata(form, &lines_of(&[Part::Form]), &lines_of(&[Part::Cover]));
    if metadata.signature_date.is_none() {
        metadata.signature_date = all
            .iter()
            .rev()
            .find_map(|l| {
                let f = fold(&l.text);
                regexes().2.captures(&f).map(|c| dates_in(&c[1]))
            })
            .and_then(|d| d.into_iter().next());
    }
    let context = Some(words.join(lines_of(&[Part::Context]).iter().map(|l| l.text.as_str())))
        .filter(|c| !c.is_empty());
    let assessment_lines: Vec<(&Line, bool)> = by_part
        .iter()
        .filter(|(p, _, _)| *p == Part::Assessments)
        .map(|&(_, l, f)| (l, f))
        .collect();
    let items = read_items(form, &vocabulary, &assessment_lines, &mut ctx);
    let assessments = to_assessments(form, &words, items);
    if assessments.is_empty() {
        return None;
    }
    let conclusion = read_boxes(form, &words, &lines_of(&[Part::Conclusion]));
    Some(Recognized {
        template,
        metadata,
        cover_has_checkboxes: false,
        cover_internal: None,
        context,
        assessments,
        conclusion,
        diagnostics: ctx.diagnostics,
    })
}

/// The value after a label: the rest of the line, else the next line when it is no
/// label itself.
fn label_of(form: &Form, folded: &str) -> Option<(Field, usize)> {
    form.labels.iter().find_map(|&(label, field)| {
        let rest = folded.strip_prefix(label)?;
        (rest.is_empty() || rest.starts_with([' ', ':'])).then_some((field, label.chars().count()))
    })
}

/// The text after a label of `label_chars` characters (folding keeps one character
/// for each of a label's letters), its colon and spaces.
fn value_after(line: &str, label_chars: usize) -> String {
    let rest: String = line.trim_start().chars().skip(label_chars).collect();
    rest.trim_start_matches([' ', ':', '\t']).trim().to_owned()
}

fn read_metadata(form: &Form, form_lines: &[&Line], cover_lines: &[&Line]) -> Metadata {
    let mut m = Metadata::default();
    let lines: Vec<&Line> = form_lines.iter().chain(cover_lines).copied().collect();
    let mut organisations: Vec<String> = Vec::new();
    let mut dates: Vec<String> = Vec::new();
    let mut seen: Vec<Field> = Vec::new();
    let person = |s: &str| regexes().0.captures(s).map(|c| c[1].trim().to_owned());
    for (i, line) in lines.iter().enumerate() {
        let folded = fold(&line.text);
        let Some((field, len)) = label_of(form, &folded) else {
            continue;
        };
        let mut value = value_after(&line.text, len);
        // A form's value cell may start with its label's word ("Référentiel" |
        // "Référentiel Marianne – …").
        let value_cell = |n: &Line| {
            matches!(
                n.position.map(|p| p.column),
                Some(Column::Cell { index: 1.., .. })
            )
        };
        let next = lines
            .get(i + 1)
            .filter(|n| label_of(form, &fold(&n.text)).is_none() || value_cell(n));
        if value.is_empty() {
            value = next.map(|n| n.text.trim().to_owned()).unwrap_or_default();
        }
        let first = !seen.contains(&field);
        seen.push(field);
        match field {
            Field::Referential if first => {
                let mut r = referential_of(&value, None);
                if r.name == ReferentialName::Unknown {
                    r.name = form.referential;
                }
                m.referential = Some(r);
            }
            Field::Organisation if value_after(&line.text, len).is_empty() => {
                organisations.push(value.clone());
            }
            Field::Organisation => organisations.push(line.text.clone()),
            Field::AuditDates => dates.extend(dates_in(&value)),
            Field::SignatureDate if first => m.signature_date = dates_in(&value).into_iter().next(),
            Field::Auditor | Field::Auditors => {
                m.auditors.extend(person(&value));
                if field == Field::Auditors {
                    let more = lines[i + 1..]
                        .iter()
                        .take_while(|n| label_of(form, &fold(&n.text)).is_none())
                        .map_while(|n| person(n.text.trim()));
                    m.auditors.extend(more);
                }
            }
            Field::AuditType if first => {
                let f = fold(&value);
                m.audit_type = if f.contains("initial") {
                    Some("initial")
                } else if f.contains("renouvellement") {
                    Some("renouvellement")
                } else if f.contains("extension") {
                    Some("extension")
                } else if f.starts_with("sv") || f.contains("surveillance") || f.contains("suivi") {
                    Some("suivi")
                } else {
                    None
                }
                .map(str::to_owned);
                m.audit_type_evidence = m.audit_type.as_ref().map(|_| Evidence::Cover);
            }
            Field::Modules if first => {
                let mut text = value.clone();
                for n in &lines[i + 1..] {
                    let f = fold(&n.text);
                    if label_of(form, &f).is_some()
                        || !(f.starts_with("module") || f.starts_with("les "))
                    {
                        break;
                    }
                    text.push(' ');
                    text.push_str(&n.text);
                }
                let mut modules: Vec<u8> = regexes()
                    .3
                    .captures_iter(&fold(&text))
                    .filter_map(|c| c[1].parse().ok())
                    .collect();
                modules.sort_unstable();
                modules.dedup();
                if !modules.is_empty() {
                    m.modules_covered = modules;
                    m.modules_covered_evidence = Some(Evidence::Cover);
                }
            }
            _ => {}
        }
    }
    m.auditors.dedup();
    dates.sort();
    dates.dedup();
    m.audit_dates = dates;
    // The audited organisation: the department it names, a sous-préfecture's town.
    let department = organisations
        .iter()
        .find_map(|o| departments::find_in_text(o).first().map(|&(_, d)| d));
    let sub = organisations.iter().find_map(|o| {
        let f = fold(o);
        let at = f.find("sous-prefecture")?;
        let town = f[at + "sous-prefecture".len()..]
            .trim_start()
            .trim_start_matches("de ")
            .trim_start_matches("du ")
            .trim_start_matches("d'");
        let skip = o.chars().count() - town.chars().count();
        Some(o.chars().skip(skip).collect::<String>().trim().to_owned())
    });
    if let Some(d) = department {
        m.department = Some(d.name.to_owned());
        m.department_code = Some(d.code.to_owned());
        m.city = Some(sub.clone().unwrap_or_else(|| d.prefecture.to_owned()));
    }
    if !organisations.is_empty() {
        m.site_type = Some(
            if sub.is_some() {
                "sous_prefecture"
            } else {
                "prefecture"
            }
            .to_owned(),
        );
        m.site_type_evidence = Some(Evidence::Cover);
    }
    let all_cover = lines.iter().map(|l| fold(&l.text)).collect::<Vec<_>>();
    m.audit_origin = if all_cover
        .iter()
        .any(|f| form.internal_cover.iter().any(|w| f.contains(w)))
    {
        Some("internal".to_owned())
    } else {
        form.origin.map(str::to_owned)
    };
    m
}

/// Whether a line is a verdict alone, possibly spread over the next lines ("Non" /
/// "conforme"): the verdict and how many lines it takes.
fn verdict_at(
    vocabulary: &Vocabulary,
    words: Option<&Words>,
    lines: &[&str],
) -> Option<(Conformity, usize)> {
    (1..=lines.len().min(3)).rev().find_map(|n| {
        let text = match words {
            Some(w) => w.join(lines[..n].iter().copied()),
            None => lines[..n].join(" "),
        };
        vocabulary.whole_code(&text).map(|c| (c, n))
    })
}

fn read_items(
    form: &Form,
    vocabulary: &Vocabulary,
    lines: &[(&Line, bool)],
    ctx: &mut Ctx,
) -> Vec<Item> {
    let texts: Vec<&str> = lines.iter().map(|(l, _)| l.text.trim()).collect();
    let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
    let plain: Vec<&Line> = lines.iter().map(|(l, _)| *l).collect();
    let words = Words::of(&plain);
    // A table when the form always is one, or when its heading row is met (as a row of
    // text, or as cells).
    let table = form.table
        || lines.iter().zip(&folded).any(|((l, _), f)| {
            form.table_heading.contains(&f.as_str())
                && (f.contains(' ')
                    || matches!(l.position.map(|p| p.column), Some(Column::Cell { .. })))
        });
    // The title column's width, from rows whose findings start with a label: the
    // widest line before the label, in most rows; a row whose first finding has no
    // label gives more (its finding's lines), so rows far above the median are left out.
    let mut title_width = 0usize;
    if table {
        let mut widest: Vec<usize> = Vec::new();
        for i in 0..texts.len() {
            if !form.commitment.is_match(texts[i]) {
                continue;
            }
            let row: Vec<usize> = (i + 1..texts.len())
                .take_while(|&j| {
                    vocabulary.marker(texts[j]).is_none() && !form.commitment.is_match(texts[j])
                })
                .collect();
            let labelled = row.last().map_or(i + 1, |&j| j + 1).lt(&texts.len())
                && vocabulary
                    .marker(texts[row.last().map_or(i + 1, |&j| j + 1)])
                    .is_some();
            if labelled && !row.is_empty() {
                widest.extend(row.iter().map(|&j| texts[j].chars().count()).max());
            }
        }
        widest.sort_unstable();
        if let Some(&median) = widest.get(widest.len() / 2) {
            title_width = widest
                .iter()
                .copied()
                .filter(|&w| w * 10 <= median * 13)
                .max()
                .unwrap_or(median);
        }
    }
    let mut items: Vec<Item> = Vec::new();
    let mut current: Option<Item> = None;
    let (mut module, mut channel) = (None, None);
    let mut i = 0;
    while i < texts.len() {
        let (line, is_furniture) = lines[i];
        let (text, f) = (texts[i], folded[i].as_str());
        let step = 1;
        if is_furniture || form.table_heading.contains(&f) {
            if let Some(item) = current.as_mut() {
                item.title_open = table;
            }
            i += step;
            continue;
        }
        // "Fait à …, le …": the report is signed, the commitments are over.
        if regexes().2.is_match(f) {
            items.extend(current.take());
            break;
        }
        if let Some(c) = form.module.captures(f) {
            items.extend(current.take());
            module = c["module"].parse().ok();
            channel = None;
            i += step;
            continue;
        }
        if let Some(&(_, c)) = form.channels.iter().find(|(w, _)| *w == f) {
            items.extend(current.take());
            channel = c;
            i += step;
            continue;
        }
        if let Some(c) = form.commitment.captures(text) {
            items.extend(current.take());
            let number = c["number"].parse().unwrap_or(0);
            let code = c
                .name("sub")
                .map(|_| text.split_whitespace().next().unwrap_or("").to_owned());
            let code = code.or_else(|| c.name("code").map(|m| m.as_str().to_owned()));
            let mut item = Item {
                module,
                channel,
                number,
                code,
                first: line.number,
                last: line.number,
                page: line.page,
                title_open: true,
                ..Item::default()
            };
            if let Some(t) = c.name("title").filter(|t| !t.as_str().trim().is_empty()) {
                item.title.push(t.as_str().trim().to_owned());
            }
            current = Some(item);
            i += step;
            continue;
        }
        // Legends before the first commitment, a rubric's sentence after its heading.
        let Some(item) = current.as_mut() else {
            i += step;
            continue;
        };
        item.last = line.number;
        // "Conformité : Conforme", "Évaluation : satisfait".
        if let Some(value) = form.verdict_labels.iter().find_map(|l| {
            f.strip_prefix(l)
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix(':'))
        }) {
            if let Some(code) = vocabulary.whole_code(value.trim()) {
                item.verdict = Some(code);
                item.title_open = false;
                i += step;
                continue;
            }
        }
        let cell = match line.position.map(|p| p.column) {
            Some(Column::Cell { index, of: 3 }) => Some(index),
            _ => None,
        };
        #[derive(PartialEq)]
        enum Role {
            Title,
            Finding,
            Verdict,
        }
        let role = match cell {
            Some(0) => Role::Title,
            Some(2) => Role::Verdict,
            Some(_) => Role::Finding,
            None if item.title_open && vocabulary.marker(text).is_none() => {
                let continues = item.title.last().is_none_or(|t| t.ends_with('-'))
                    || text.chars().next().is_some_and(char::is_lowercase);
                let fits = text.chars().count() <= title_width + title_width / 4 + 2;
                let verdict = table && verdict_at(vocabulary, None, &texts[i..]).is_some();
                if verdict {
                    Role::Verdict
                } else if (table && fits) || (!table && continues) {
                    if table && !item.findings.is_empty() {
                        ctx.diagnose(
                            Severity::Info,
                            "uncertain_cell",
                            format!(
                                "{text:?}, after a page break in a table row, is read as the title's end by its width"
                            ),
                            Some(line),
                        );
                    }
                    Role::Title
                } else {
                    Role::Finding
                }
            }
            None if table && verdict_at(vocabulary, None, &texts[i..]).is_some() => Role::Verdict,
            None => Role::Finding,
        };
        match role {
            Role::Title => item.title.push(text.to_owned()),
            Role::Verdict if cell.is_some() => item.verdict_lines.push(text.to_owned()),
            Role::Verdict => {
                let (code, n) = verdict_at(vocabulary, None, &texts[i..]).expect("checked");
                item.verdict = Some(code);
                item.title_open = false;
                i += n;
                continue;
            }
            Role::Finding => {
                item.title_open = false;
                let mut text = text.to_owned();
                // A text layer puts the verdict cell after the findings' last line.
                if table && cell.is_none() {
                    let mut consumed = 0;
                    let candidate = match texts.get(i + 1) {
                        Some(next) if text.ends_with('-') => {
                            consumed = 1;
                            words.join([text.as_str(), next])
                        }
                        _ => text.clone(),
                    };
                    if let Some((before, code)) = vocabulary.trailing_words_code(&candidate) {
                        item.verdict = Some(code);
                        text = before.to_owned();
                        i += consumed;
                    }
                }
                match vocabulary.marker(&text) {
                    Some((kind, rest)) => item.findings.push((kind, vec![rest.to_owned()])),
                    None => match item.findings.last_mut() {
                        Some((_, paragraph)) => paragraph.push(text),
                        None => item.findings.push((AnnotationKind::Note, vec![text])),
                    },
                }
            }
        }
        i += step;
    }
    items.extend(current);
    for item in &mut items {
        if !item.verdict_lines.is_empty() {
            let joined = words.join(item.verdict_lines.iter().map(String::as_str));
            item.verdict = vocabulary.whole_code(&joined).or(item.verdict);
            if item.verdict.is_none() {
                ctx.diagnose_at(
                    Severity::Warning,
                    "unknown_verdict",
                    format!("verdict {joined:?} is no conformity word this template knows"),
                    Provenance {
                        page: item.page,
                        line_start: item.first,
                        line_end: item.last,
                    },
                );
            }
        }
    }
    items
}

fn to_assessments(form: &Form, words: &Words, items: Vec<Item>) -> Vec<Assessment> {
    let mut seen: std::collections::HashMap<String, u32> = Default::default();
    items
        .into_iter()
        .map(|item| {
            let place = item.module.map_or("m".to_owned(), |m| format!("m{m}"));
            let key = item.code.clone().unwrap_or_else(|| item.number.to_string());
            let base = format!("on_site.{place}.{key}");
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            let id = if *count == 1 {
                base
            } else {
                format!("{base}~{count}")
            };
            let title = words.join(item.title.iter().map(String::as_str));
            let annotations: Vec<Annotation> = item
                .findings
                .iter()
                .map(|(kind, lines)| Annotation {
                    kind: *kind,
                    text: words.join(lines.iter().map(String::as_str)),
                    confidence: None,
                })
                .filter(|a| !a.text.is_empty())
                .collect();
            let mut a = Assessment {
                id,
                section: Section::Module,
                phase: Phase::OnSite,
                channel: item.channel,
                module: item.module,
                number: item.number,
                title,
                conformity: item.verdict,
                annotations,
                provenance: Provenance {
                    page: item.page,
                    line_start: item.first,
                    line_end: item.last,
                },
                code: item.code,
                theme: None,
                confidence: None,
            };
            a.theme = Some(legacy_theme(form, &a));
            a
        })
        .collect()
}

/// Structure first: the channel heading, then the module's theme (refined by the
/// title's words where the template allows it), then the title's words; a commitment
/// about a procedure takes the procedure its findings name.
pub fn legacy_theme(form: &Form, a: &Assessment) -> Theme {
    if let Some(c) = a.channel {
        return theme::of_channel(c);
    }
    let findings = || a.annotations.iter().map(|x| x.text.as_str());
    let by_module = form
        .module_themes
        .iter()
        .find(|(m, _, _)| Some(*m) == a.module);
    match by_module {
        Some(&(_, t, false)) => t,
        Some(&(_, t, true)) => match theme::of_title(&a.title) {
            Some(Theme::Formation) => Theme::Formation,
            _ => t,
        },
        None => theme::of_procedure(&a.title, findings())
            .or_else(|| theme::of_title(&a.title))
            .unwrap_or(Theme::Autre),
    }
}

fn read_boxes(form: &Form, words: &Words, lines: &[&Line]) -> Conclusion {
    let mut boxes: Vec<(ConclusionBox, Vec<&str>)> = Vec::new();
    let mut open = false;
    for line in lines {
        let f = fold(&line.text);
        let label = f.trim_end_matches([' ', ':']);
        if let Some(&(_, b)) = form.boxes.iter().find(|(l, _)| *l == label) {
            match b {
                Some(b) => {
                    boxes.push((b, Vec::new()));
                    open = true;
                }
                None => open = false,
            }
            continue;
        }
        if open {
            if let Some((_, text)) = boxes.last_mut() {
                text.push(line.text.as_str());
            }
        }
    }
    let mut c = Conclusion::default();
    for (b, text) in boxes {
        let value = Some(words.join(text.iter().copied())).filter(|t| !t.is_empty());
        let slot = match b {
            ConclusionBox::General => &mut c.general,
            ConclusionBox::Strengths => &mut c.strengths,
            ConclusionBox::SensitivePoints => &mut c.sensitive_points,
            ConclusionBox::ImprovementTracks => &mut c.improvement_tracks,
            ConclusionBox::Comments => &mut c.comments,
            ConclusionBox::GoodPractices => &mut c.good_practices,
            ConclusionBox::SatisfactionResults => &mut c.satisfaction_results,
            ConclusionBox::GraphicCharter => &mut c.graphic_charter,
            ConclusionBox::Deviations => &mut c.deviations,
        };
        if slot.is_none() {
            *slot = value;
        }
    }
    c
}

/// Whether a line's words name this form's referential (the cover's first naming).
pub fn cover_names(lines: &[Line], name: ReferentialName) -> bool {
    lines
        .iter()
        .take(60)
        .filter_map(|l| crate::recognize::cover::referential_name(&fold(&l.text)))
        .next()
        .is_some_and(|n| {
            n == name
                || matches!(
                    (n, name),
                    (
                        ReferentialName::Marianne2008
                            | ReferentialName::Marianne2016
                            | ReferentialName::Marianne2019,
                        ReferentialName::Marianne2008
                    )
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::plain_lines;

    #[test]
    fn a_cut_word_is_joined_whole_and_a_compound_keeps_its_hyphen() {
        let lines = plain_lines(&["la labellisation", "une non-conformité"]);
        let refs: Vec<&Line> = lines.iter().collect();
        let w = Words::of(&refs);
        assert_eq!(
            w.join(["champ de labellisa-", "tion"]),
            "champ de labellisation"
        );
        assert_eq!(
            w.join(["les délais de rendez-", "vous"]),
            "les délais de rendez-vous"
        );
        assert_eq!(
            w.join(["place Aristide-", "Briand"]),
            "place Aristide-Briand"
        );
        assert_eq!(w.join(["une non-", "conformité"]), "une non-conformité");
        assert_eq!(w.join(["hebdoma-", "daire"]), "hebdomadaire");
    }

    fn read_text(template: &'static dyn Template, text: &str) -> Recognized {
        let doc = crate::source::text::split_lines(text);
        template.read(&doc).expect("a legacy template reads itself")
    }

    #[test]
    fn recaps_add_no_assessment_and_later_paragraphs_stay_with_their_finding() {
        let text =
            "Rapport d'audit interne\nPREFECTURE de la CREUSE\nRéférentiel : QUALIPREF 2.0\n\
            Date d'audit : 3 mai 2016\nSOMMAIRE\n1 - Présentation de la démarche\n3 - Évaluation\n\
            4 - Récapitulatif des constats d'audit\n1 - Présentation de la démarche\n\
            1.2 Historique\nUne histoire.\n3 - Évaluation\nMODULE 1 – RELATION\nAccueil physique\n\
            Engagement n°7 : Nous limitons votre temps\nd'attente\nConstat : Premier paragraphe.\n\
            Second paragraphe.\nPiste de progrès : Afficher.\nConformité : Non conforme mineur\n\
            4 - Récapitulatif des constats d'audit\nEngagement n°7 : Nous limitons votre temps\n\
            PP : Afficher.\nConformité : Non conforme mineur\n";
        let r = read_text(&super::super::Qualipref20, text);
        assert_eq!(r.assessments.len(), 1, "{:#?}", r.assessments);
        let a = &r.assessments[0];
        assert_eq!(a.title, "Nous limitons votre temps d'attente");
        assert_eq!(a.channel, Some(Channel::AccueilPhysique));
        assert_eq!(a.theme, Some(Theme::AccueilPhysique));
        assert_eq!(a.conformity, Some(Conformity::MinorNonConformity));
        assert_eq!(a.annotations.len(), 2);
        assert_eq!(
            a.annotations[0].text,
            "Premier paragraphe. Second paragraphe."
        );
        assert_eq!(r.context.as_deref(), Some("Une histoire."));
        assert_eq!(r.metadata.department.as_deref(), Some("Creuse"));
        assert_eq!(r.metadata.audit_dates, vec!["2016-05-03"]);
    }

    #[test]
    fn a_marianne_report_is_a_table_when_its_heading_row_says_so() {
        let head = "RAPPORT D'AUDIT – Labellisation selon le\nréférentiel Marianne\n\
            INFORMATIONS GENERALES\nNom de l'organisation Préfecture du Cantal\n\
            CARACTERISTIQUES LABELLISEES\nRubrique 3\nVous souhaitez une réponse : nous nous\n\
            engageons.\n";
        let table = format!(
            "{head}Engagement Constats Évaluation\nEngagement n°9\nNous répondons à vos\n\
             courriels dans un délai\nLa boîte est relevée chaque jour par deux agents du\n\
             bureau. satisfait\nEngagement n°10\nNous décrochons votre\nappel rapidement\n\
             Constat : Taux de décroché de 95 % sur le mois de mars, mesuré par\n\
             l'autocommutateur.\nsatisfait\n"
        );
        let r = read_text(&super::super::Marianne, &table);
        let titles: Vec<&str> = r.assessments.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Nous répondons à vos courriels dans un délai",
                "Nous décrochons votre appel rapidement"
            ]
        );
        assert_eq!(r.assessments[0].module, Some(3));
        assert_eq!(r.assessments[0].conformity, Some(Conformity::Conforme));
        assert_eq!(r.assessments[1].theme, Some(Theme::Telephone));
        assert_eq!(r.metadata.audit_origin.as_deref(), Some("external"));
        let blocks = format!(
            "{head}Engagement n°9\nNous répondons à vos courriels dans un\ndélai annoncé\n\
             La boîte est relevée chaque jour.\nÉvaluation : écart mineur\n"
        );
        let r = read_text(&super::super::Marianne, &blocks);
        assert_eq!(
            r.assessments[0].title,
            "Nous répondons à vos courriels dans un délai annoncé"
        );
        assert_eq!(r.assessments[0].annotations[0].kind, AnnotationKind::Note);
        assert_eq!(
            r.assessments[0].conformity,
            Some(Conformity::MinorNonConformity)
        );
    }

    #[test]
    fn dates_listed_before_their_month() {
        assert_eq!(
            dates_in("14 et 15 juin 2016"),
            vec!["2016-06-14", "2016-06-15"]
        );
        assert_eq!(dates_in("le 1er décembre 2015"), vec!["2015-12-01"]);
        assert_eq!(dates_in("22/09/2009"), vec!["2009-09-22"]);
    }
}
