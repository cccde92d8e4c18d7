//! Checks stage: diagnostics over a recognised report — duplicates, numbers outside
//! their module's range, and statements that contradict the rest of the report — and
//! the report's [`Quality`], counted from them. Checks only report; they never change
//! a value.

use std::collections::HashMap;

use crate::departments;
use crate::model::{Conformity, Diagnostic, Quality, Report, Section, Severity};
use crate::text::fold;

pub fn check(report: &Report) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    duplicates(report, &mut found);
    ranges(report, &mut found);
    conclusion_against_codes(report, &mut found);
    other_prefecture(report, &mut found);
    missing_metadata(report, &mut found);
    found
}

/// The doubtful places of a report and its score (see [`Quality`]).
pub fn quality(report: &Report) -> Quality {
    let count = |code: &str| report.diagnostics.iter().filter(|d| d.code == code).count();
    let mut q = Quality {
        score: 1.0,
        rows_without_code: report
            .assessments
            .iter()
            .filter(|a| a.conformity.is_none())
            .count(),
        texts_without_marker: count("unmarked_annotation"),
        unplaced_texts: count("unplaced_text") + count("unplaced_phase_header"),
        uncertain_boxes: count("conclusion_reordered"),
    };
    let doubtful =
        q.rows_without_code + q.texts_without_marker + q.unplaced_texts + q.uncertain_boxes;
    let total = report.assessments.len() + doubtful;
    if total > 0 {
        q.score = (1000.0 * report.assessments.len() as f64 / total as f64).round() / 1000.0;
    }
    q
}

fn diagnostic(
    severity: Severity,
    code: &str,
    message: String,
    provenance: Option<crate::model::Provenance>,
) -> Diagnostic {
    Diagnostic {
        severity,
        code: code.into(),
        message,
        provenance,
    }
}

fn duplicates(report: &Report, found: &mut Vec<Diagnostic>) {
    let mut first_seen = HashMap::new();
    for a in &report.assessments {
        let key = (a.phase, a.section, a.module, a.number);
        if let Some(first_line) = first_seen.insert(key, a.provenance.line_start) {
            found.push(diagnostic(
                Severity::Warning,
                "duplicate_assessment",
                format!(
                    "commitment {} assessed twice in phase {:?} (first at line {first_line})",
                    a.number, a.phase
                ),
                Some(a.provenance),
            ));
        }
    }
}

/// Commitment numbers of each module in the Qual-e-pref referential. Modules 7 and 8
/// start at 47 (inferred from the numbering; their end is not known).
fn module_range(module: u8) -> Option<std::ops::RangeInclusive<u32>> {
    Some(match module {
        1 => 1..=20,
        2 | 3 => 21..=33,
        4 => 34..=37,
        5 => 38..=40,
        6 => 41..=46,
        7 | 8 => 47..=99,
        _ => return None,
    })
}

fn ranges(report: &Report, found: &mut Vec<Diagnostic>) {
    let qual_e_pref = report
        .metadata
        .referential
        .as_ref()
        .is_none_or(|r| r.name == "qual-e-pref");
    if !qual_e_pref {
        return;
    }
    for a in &report.assessments {
        let (range, what) = match (a.section, a.module) {
            (Section::Module, Some(m)) => match module_range(m) {
                Some(r) => (r, format!("module {m}")),
                None => {
                    found.push(diagnostic(
                        Severity::Warning,
                        "unknown_module",
                        format!("module {m} does not exist in Qual-e-pref"),
                        Some(a.provenance),
                    ));
                    continue;
                }
            },
            (Section::Pilotage, _) => (1..=5, "pilotage".to_owned()),
            (Section::Labellisation, _) => (1..=2, "labellisation".to_owned()),
            (Section::Module, None) => continue,
        };
        if !range.contains(&a.number) {
            found.push(diagnostic(
                Severity::Warning,
                "number_out_of_range",
                format!(
                    "commitment {} is outside {what} ({}–{})",
                    a.number,
                    range.start(),
                    range.end()
                ),
                Some(a.provenance),
            ));
        }
    }
}

fn conclusion_against_codes(report: &Report, found: &mut Vec<Diagnostic>) {
    let c = &report.conclusion;
    let said_none = [&c.deviations, &c.general, &c.comments]
        .iter()
        .filter_map(|t| t.as_deref())
        .map(fold)
        .any(|t| {
            [
                "absence de non-conformite",
                "aucune non-conformite",
                "pas de non-conformite",
                "absence de non conformite",
                "aucune non conformite",
            ]
            .iter()
            .any(|p| t.contains(p))
        });
    let nc: Vec<_> = report
        .assessments
        .iter()
        .filter(|a| {
            matches!(
                a.conformity,
                Some(Conformity::MajorNonConformity | Conformity::MinorNonConformity)
            )
        })
        .collect();
    if said_none && !nc.is_empty() {
        let ids: Vec<&str> = nc.iter().map(|a| a.id.as_str()).collect();
        found.push(diagnostic(
            Severity::Warning,
            "conclusion_contradicts_codes",
            format!("the conclusion states there is no non-conformity, but {} assessment(s) have an NC code: {}", nc.len(), ids.join(", ")),
            Some(nc[0].provenance),
        ));
    }
}

fn other_prefecture(report: &Report, found: &mut Vec<Diagnostic>) {
    let (Some(audited), Some(context)) = (
        report.metadata.department_code.as_deref(),
        report.context.as_deref(),
    ) else {
        return;
    };
    for (_, d) in departments::find_in_text(context) {
        if d.code != audited {
            found.push(diagnostic(
                Severity::Warning,
                "context_names_other_prefecture",
                format!(
                    "the context names the prefecture or department of {} ({}) while the audited department is {}",
                    d.name,
                    d.code,
                    report.metadata.department.as_deref().unwrap_or(audited)
                ),
                None,
            ));
        }
    }
}

fn missing_metadata(report: &Report, found: &mut Vec<Diagnostic>) {
    let m = &report.metadata;
    let missing: Vec<&str> = [
        ("referential", m.referential.is_none()),
        ("department", m.department.is_none()),
        ("audit date", m.audit_dates.is_empty()),
        ("auditor", m.auditors.is_empty()),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        found.push(diagnostic(
            Severity::Info,
            "missing_metadata",
            format!("not found on the cover: {}", missing.join(", ")),
            None,
        ));
    }
}
