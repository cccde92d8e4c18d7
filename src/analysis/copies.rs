//! Copies of one audit: reports whose bytes differ (a PDF and its text dump, two PDF
//! exports, a draft and its final version) but that describe the same audit — same
//! referential, department, site and audit dates, and assessments largely the same.
//! Each audit is counted once: the most complete and best-read copy is kept, the
//! others are listed with it. Two audits of one prefecture at different dates
//! (initial and follow-up) are never copies.
//!
//! This module only decides which reports are copies; it reads nothing and changes
//! no report.

use std::collections::{BTreeMap, HashMap};

use super::corpus::Digest;
use crate::model::Conformity;
use crate::text::fold;

/// Two reports of one audit key are copies when at least this share of their
/// assessments (Dice coefficient over assessment id and conformity code) agree: a
/// draft and its final version differ by a few codes; a PDF read worse than its text
/// dump misses a few rows.
pub const SAME_ASSESSMENTS: f64 = 0.7;

/// And at least this share of their PP and PS texts (accent-folded, Dice) are the
/// same: two audits of one site on one date (a generated corpus has them) differ by
/// what the auditor wrote, copies of one audit do not.
pub const SAME_TEXTS: f64 = 0.5;

/// One report set aside as a copy of another.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    /// Index of the copy (in the order reports were read).
    pub copy: usize,
    /// Index of the report kept for that audit.
    pub kept: usize,
    /// Share of assessments alike (Dice coefficient, 0 to 1).
    pub similarity: f64,
}

/// The copies among `digests`, each with the report kept for its audit; sorted by
/// copy index. Reports without audit dates are never copies (nothing says which
/// audit they are).
pub fn find(digests: &[Digest]) -> Vec<Copy> {
    let mut by_audit: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in digests.iter().enumerate() {
        if let Some(key) = audit_key(d) {
            by_audit.entry(key).or_default().push(i);
        }
    }
    let mut copies = Vec::new();
    for reports in by_audit.values().filter(|r| r.len() > 1) {
        // Best copy first, so that each report is compared with the kept ones.
        let mut ranked = reports.clone();
        ranked.sort_by_key(|&i| preference(&digests[i], i));
        let mut kept: Vec<usize> = Vec::new();
        for i in ranked {
            let same = kept
                .iter()
                .filter(|&&k| texts_alike(&digests[k], &digests[i]) >= SAME_TEXTS - 1e-9)
                .map(|&k| (k, assessments_alike(&digests[k], &digests[i])))
                .filter(|&(_, s)| s >= SAME_ASSESSMENTS - 1e-9)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match same {
                Some((k, similarity)) => copies.push(Copy {
                    copy: i,
                    kept: k,
                    similarity,
                }),
                None => kept.push(i),
            }
        }
    }
    copies.sort_by_key(|c| c.copy);
    copies
}

/// Referential, department, site (city and site type) and audit dates; `None` when
/// the report has no audit date.
fn audit_key(d: &Digest) -> Option<String> {
    let r = &d.report;
    if r.audit_dates.is_empty() {
        return None;
    }
    let part = |v: &Option<String>| v.as_deref().map(fold).unwrap_or_default();
    Some(format!(
        "{}|{}|{}|{}|{}",
        part(&r.referential),
        r.department.key(),
        part(&r.city),
        part(&r.site_type),
        r.audit_dates.join(";")
    ))
}

/// Sort key of the copies of one audit, best first: a final version (signed, or
/// "définitif"/"final" in its source name, and no "projet"/"brouillon"/"draft"),
/// then the better-read one (higher `quality.score`; a report without one comes
/// last), more assessments with a conformity code, fewer warnings, more assessments,
/// then the order read.
fn preference(
    d: &Digest,
    index: usize,
) -> (
    bool,
    std::cmp::Reverse<u32>,
    std::cmp::Reverse<usize>,
    usize,
    std::cmp::Reverse<usize>,
    usize,
) {
    let name = fold(&d.report.source_path);
    let draft = ["projet", "brouillon", "draft"]
        .iter()
        .any(|w| name.contains(w));
    let signed =
        d.report.signature_date.is_some() || name.contains("definitif") || name.contains("final");
    let coded = d
        .assessments
        .iter()
        .filter(|a| a.conformity.is_some())
        .count();
    let quality = d
        .report
        .quality
        .map_or(0, |q| (q * 1000.0).round() as u32 + 1);
    (
        draft || !signed,
        std::cmp::Reverse(quality),
        std::cmp::Reverse(coded),
        d.report.warnings,
        std::cmp::Reverse(d.assessments.len()),
        index,
    )
}

/// Dice coefficient of the two reports' PP and PS texts (accent-folded); 1 when
/// neither has any.
fn texts_alike(a: &Digest, b: &Digest) -> f64 {
    fn texts(d: &Digest) -> std::collections::HashSet<String> {
        d.assessments
            .iter()
            .flat_map(|x| x.tracks.iter().map(|(_, _, t)| fold(t)))
            .collect()
    }
    let (x, y) = (texts(a), texts(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
}

/// Dice coefficient of the two reports' (assessment id, conformity) pairs.
fn assessments_alike(a: &Digest, b: &Digest) -> f64 {
    fn pairs(d: &Digest) -> HashMap<&str, Option<Conformity>> {
        d.assessments
            .iter()
            .map(|x| (x.id.as_str(), x.conformity))
            .collect()
    }
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() && y.is_empty() {
        return 1.0;
    }
    let same = x.iter().filter(|(id, c)| y.get(*id) == Some(c)).count();
    2.0 * same as f64 / (x.len() + y.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::corpus::{AssessmentDigest, Department, ReportInfo};
    use crate::model::Section;

    fn report(path: &str, dates: &[&str], codes: &[Option<Conformity>], signed: bool) -> Digest {
        Digest {
            report: ReportInfo {
                file: format!("{path}.json"),
                source_path: path.into(),
                sha256: Some(path.into()),
                department: Department {
                    code: Some("82".into()),
                    name: Some("Tarn-et-Garonne".into()),
                },
                city: Some("Montauban".into()),
                site_type: Some("prefecture".into()),
                referential: Some("qual-e-pref".into()),
                audit_type: None,
                audit_origin: None,
                audit_dates: dates.iter().map(|d| d.to_string()).collect(),
                signature_date: signed.then(|| "2022-07-08".into()),
                warnings: 0,
                quality: None,
            },
            assessments: codes
                .iter()
                .enumerate()
                .map(|(i, &conformity)| AssessmentDigest {
                    id: format!("on_site.m1.{}", i + 1),
                    section: Section::Module,
                    module: Some(1),
                    number: i as u32 + 1,
                    title: String::new(),
                    conformity,
                    kinds: Vec::new(),
                    tracks: Vec::new(),
                    theme: None,
                })
                .collect(),
        }
    }

    const C: Option<Conformity> = Some(Conformity::Conforme);
    const NC: Option<Conformity> = Some(Conformity::MinorNonConformity);

    #[test]
    fn the_best_read_final_copy_is_kept() {
        let text = report(
            "a.txt",
            &["2022-07-05"],
            &[C, C, NC, C, C, C, C, C, C, C],
            true,
        );
        let worse = report(
            "a.pdf",
            &["2022-07-05"],
            &[C, C, NC, None, C, C, C, C, C, C],
            true,
        );
        let draft = report(
            "a-projet.pdf",
            &["2022-07-05"],
            &[C, C, NC, C, C, C, C, C, C, C],
            true,
        );
        let copies = find(&[worse.clone(), draft, text.clone()]);
        assert_eq!(
            copies.iter().map(|c| (c.copy, c.kept)).collect::<Vec<_>>(),
            [(0, 2), (1, 2)]
        );
        // A better quality score outweighs a missing code: the reader knew what it
        // missed in one copy and doubted more in the other.
        let (mut doubtful, mut sure) = (text, worse);
        doubtful.report.quality = Some(0.8);
        sure.report.quality = Some(0.95);
        let copies = find(&[doubtful, sure]);
        assert_eq!(
            copies.iter().map(|c| (c.copy, c.kept)).collect::<Vec<_>>(),
            [(0, 1)]
        );
    }

    #[test]
    fn same_site_and_date_but_other_findings_are_other_audits() {
        let mut a = report("a.txt", &["2022-07-05"], &[C, C, NC, C], true);
        let mut b = report("b.txt", &["2022-07-05"], &[C, C, NC, C], true);
        a.assessments[0].tracks = vec![(
            0,
            crate::model::AnnotationKind::ImprovementTrack,
            "Afficher les horaires.".into(),
        )];
        b.assessments[0].tracks = vec![(
            0,
            crate::model::AnnotationKind::ImprovementTrack,
            "Former les agents.".into(),
        )];
        assert!(find(&[a.clone(), b]).is_empty());
        let mut copy = a.clone();
        copy.report.source_path = "a.pdf".into();
        assert_eq!(find(&[a, copy]).len(), 1);
    }

    #[test]
    fn other_dates_or_other_assessments_are_other_audits() {
        let initial = report("a.txt", &["2021-06-15"], &[C, C, NC, C], true);
        let follow_up = report("b.txt", &["2023-05-10"], &[C, C, NC, C], true);
        let unlike = report("c.txt", &["2021-06-15"], &[NC, NC, C, NC], true);
        let undated = report("d.txt", &[], &[C, C, NC, C], true);
        let undated_too = report("e.txt", &[], &[C, C, NC, C], true);
        assert!(find(&[initial, follow_up, unlike, undated, undated_too]).is_empty());
    }
}
