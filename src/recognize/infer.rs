//! Last recognition pass: fills what the cover did not say from the rest of the report
//! (checkbox ticks lost by the extractor), marking each value as inferred.

use std::sync::OnceLock;

use regex::Regex;

use super::cover::audit_type_of;
use super::Recognized;
use crate::departments;
use crate::model::{Evidence, Section};
use crate::text::fold;

pub fn infer_metadata(report: &mut Recognized) {
    infer_modules(report);
    infer_site_type(report);
    infer_audit_type(report);
    infer_origin(report);
}

/// Modules covered: the modules assessed in the report.
fn infer_modules(report: &mut Recognized) {
    if !report.metadata.modules_covered.is_empty() {
        return;
    }
    let mut modules: Vec<u8> = report
        .assessments
        .iter()
        .filter(|a| a.section == Section::Module)
        .filter_map(|a| a.module)
        .collect();
    modules.sort_unstable();
    modules.dedup();
    if !modules.is_empty() {
        report.metadata.modules_covered = modules;
        report.metadata.modules_covered_evidence = Some(Evidence::Inferred);
    }
}

/// Site type: the template's police module is the préfecture de police's; the
/// department's chef-lieu is a préfecture; another city of the department is a
/// sous-préfecture.
fn infer_site_type(report: &mut Recognized) {
    let police_module = report.template.police_module();
    let m = &mut report.metadata;
    if m.site_type.is_some() {
        return;
    }
    let site = if police_module.is_some_and(|p| m.modules_covered.contains(&p)) {
        Some("prefecture_de_police")
    } else {
        let department = m.department.as_deref().and_then(departments::lookup);
        match (department, m.city.as_deref()) {
            (Some(d), Some(city)) if departments::by_prefecture(city) == Some(d) => {
                Some("prefecture")
            }
            (Some(_), Some(_)) => Some("sous_prefecture"),
            _ => None,
        }
    };
    if let Some(site) = site {
        m.site_type = Some(site.into());
        m.site_type_evidence = Some(Evidence::Inferred);
    }
}

/// Audit type from the report's own words ("préparer l'audit de suivi"); an "initial"
/// audit is ruled out when the context says the label was obtained before the audit.
fn infer_audit_type(report: &mut Recognized) {
    if report.metadata.audit_type.is_some() {
        return;
    }
    let corpus = whole_text(report);
    let mut kinds: Vec<&str> = regexes()
        .audit_type
        .captures_iter(&corpus)
        .filter_map(|c| audit_type_of(c.get(1)?.as_str()))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let audit_year: Option<u32> = report
        .metadata
        .audit_dates
        .first()
        .and_then(|d| d.get(..4)?.parse().ok());
    let context = report.context.as_deref().map(fold).unwrap_or_default();
    let labelled_before = regexes()
        .labelled_in
        .captures_iter(&context)
        .filter_map(|c| c[1].parse::<u32>().ok())
        .any(|year| audit_year.is_some_and(|a| year < a));
    if labelled_before {
        kinds.retain(|k| *k != "initial");
    }
    if let [kind] = kinds[..] {
        report.metadata.audit_type = Some(kind.into());
        report.metadata.audit_type_evidence = Some(Evidence::Inferred);
    }
}

/// Internal or external: a ticked "AUDIT INTERNE", else the conclusion's own words.
fn infer_origin(report: &mut Recognized) {
    let origin = match report.cover_internal {
        Some(true) => Some("internal"),
        Some(false) => Some("external"),
        None => {
            let c = &report.conclusion;
            let text = fold(
                &[&c.general, &c.strengths, &c.comments, &c.sensitive_points]
                    .iter()
                    .filter_map(|t| t.as_deref())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            match (
                text.contains("audit externe"),
                text.contains("audit interne"),
            ) {
                (true, false) => Some("external"),
                (false, true) => Some("internal"),
                _ => None,
            }
        }
    };
    report.metadata.audit_origin = origin.map(Into::into);
}

fn whole_text(report: &Recognized) -> String {
    let mut text = report.context.clone().unwrap_or_default();
    for a in &report.assessments {
        for n in &a.annotations {
            text.push(' ');
            text.push_str(&n.text);
        }
    }
    fold(&text)
}

struct Regexes {
    audit_type: Regex,
    labelled_in: Regex,
}

fn regexes() -> &'static Regexes {
    static CELL: OnceLock<Regexes> = OnceLock::new();
    CELL.get_or_init(|| Regexes {
        audit_type: Regex::new(r"\baudit (initial|de suivi|de renouvellement|d'extension)\b")
            .unwrap(),
        labelled_in: Regex::new(
            r"obtenu (?:la |le )?label\w*[^.]{0,40}?\b(?:en|le) (?:\w+ )?((?:19|20)\d\d)",
        )
        .unwrap(),
    })
}
