//! `report.html`: one self-contained page for a quality manager, in French — inline
//! CSS and SVG, no script, no font or image from the network. It shows what the CSV
//! files hold, shortened: the top tracks, heat maps, trends, persistent tracks. It
//! writes no timestamp, so the same analysis gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::matrix::{CommitmentStats, Counts};
use super::tracks::Track;
use super::Analysis;

/// Members listed under each track; the CSV lists them all.
const MEMBERS_SHOWN: usize = 40;
/// Rows of the persistent table and of the skipped list; the CSV lists them all.
const ROWS_SHOWN: usize = 300;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; line-height: 1.4; }
header { background: #000091; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 24px; }
header p { margin: 4px 0 0; opacity: .85; font-size: 14px; }
main { padding: 8px 32px 40px; max-width: 1400px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 20px 18px; margin: 18px 0; }
h2 { font-size: 19px; margin: 6px 0 10px; color: #000091; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.note { color: #555f6b; font-size: 13px; margin: 4px 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 12px; background: #fafbfc; }
.card b { display: block; font-size: 24px; color: #000091; }
.card span { font-size: 13px; color: #555f6b; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #e6e9ed; padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #eef0f4; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.kind { display: inline-block; font-size: 11px; font-weight: 700; padding: 1px 5px; border-radius: 3px; color: #fff; }
.kind.PP { background: #2a7d4f; } .kind.PS { background: #b34000; }
.codes { color: #555f6b; font-size: 12px; }
details summary { cursor: pointer; color: #000091; font-size: 12px; }
details ul { margin: 4px 0 0 0; padding-left: 18px; font-size: 12px; }
details li { margin: 2px 0; }
.scroll { overflow-x: auto; }
table.heat { width: auto; border-collapse: separate; border-spacing: 2px; }
table.heat td, table.heat th { border: 0; padding: 2px 4px; font-size: 11px; }
table.heat td.cell { text-align: center; min-width: 30px; border-radius: 2px; }
table.heat th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; vertical-align: bottom; text-align: left; background: none; }
table.heat td.label { white-space: nowrap; max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
.legend { display: flex; gap: 4px; align-items: center; font-size: 12px; margin: 8px 0; }
.legend i { display: inline-block; width: 26px; height: 14px; border-radius: 2px; }
.empty { color: #555f6b; font-style: italic; }
svg text { font-family: inherit; }
section ul { font-size: 13px; }
td.id { white-space: nowrap; }
td.deps { text-align: right; width: 150px; }
td.rep { min-width: 320px; }
.why { color: #555; font-size: 0.85em; margin-top: 2px; }
footer { color: #555f6b; font-size: 12px; padding: 0 32px 24px; }
"#;

/// The page.
pub fn render(a: &Analysis) -> String {
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>Analyse des rapports d'audit qualité</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<header><h1>Analyse des rapports d'audit qualité</h1>");
    let _ = write!(
        h,
        "<p>{} rapports · {} départements · {}</p></header>\n<main>\n",
        a.reports.len(),
        department_count(a),
        years_span(a)
    );
    summary(&mut h, a);
    track_table(
        &mut h,
        "Pistes de progrès récurrentes",
        "PP",
        &a.tracks.improvement_tracks,
        a.params.top,
    );
    track_table(
        &mut h,
        "Points sensibles récurrents",
        "PS",
        &a.tracks.sensitive_points,
        a.params.top,
    );
    heat_maps(&mut h, a);
    by_theme(&mut h, a);
    trends(&mut h, a);
    persistent(&mut h, a);
    skipped(&mut h, a);
    let p = &a.tracks.parameters;
    let _ = write!(
        h,
        "</main>\n<footer>Produit par audit-extract {} · regroupement : similarité {} ≥ {}, cohésion des groupes ≥ {} (MinHash/LSH {} × {}) · fichiers détaillés : reports.csv, commitments.csv, themes.csv, tracks.csv, persistent.csv</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&p.similarity),
        p.threshold,
        p.cohesion,
        p.bands,
        p.rows
    );
    h
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn department_count(a: &Analysis) -> usize {
    a.matrix
        .to_file()
        .departments
        .keys()
        .filter(|k| k.as_str() != "?")
        .count()
}

fn years_span(a: &Analysis) -> String {
    let years: Vec<&str> = a.reports.iter().filter_map(|r| r.info.year()).collect();
    match (years.iter().min(), years.iter().max()) {
        (Some(lo), Some(hi)) if lo == hi => format!("année {lo}"),
        (Some(lo), Some(hi)) => format!("années {lo} à {hi}"),
        _ => "années inconnues".into(),
    }
}

fn card(h: &mut String, value: impl std::fmt::Display, label: &str) {
    let _ = write!(
        h,
        "<div class=\"card\"><b>{value}</b><span>{}</span></div>",
        esc(label)
    );
}

fn summary(h: &mut String, a: &Analysis) {
    h.push_str("<section id=\"synthese\"><h2>Synthèse</h2><div class=\"cards\">");
    let total: Counts = a.reports.iter().fold(Counts::default(), |mut t, r| {
        t.assessments += r.counts.assessments;
        t.c += r.counts.c;
        t.nc_min += r.counts.nc_min;
        t.nc_maj += r.counts.nc_maj;
        t
    });
    card(h, a.reports.len(), "rapports analysés");
    card(h, department_count(a), "départements");
    card(h, total.assessments, "évaluations d'engagements");
    card(
        h,
        total.nc_min + total.nc_maj,
        "non-conformités (mineures et majeures)",
    );
    card(
        h,
        a.tracks.parameters.pp_annotations,
        "pistes de progrès (PP)",
    );
    card(
        h,
        a.tracks.parameters.ps_annotations,
        "points sensibles (PS)",
    );
    card(
        h,
        a.tracks.improvement_tracks.len(),
        "PP récurrentes (groupes ≥ 2)",
    );
    card(
        h,
        a.tracks.sensitive_points.len(),
        "PS récurrents (groupes ≥ 2)",
    );
    card(h, a.persistent.len(), "pistes persistantes");
    card(
        h,
        a.duplicates.len(),
        "copies d'un audit déjà compté (duplicates.csv)",
    );
    card(
        h,
        a.read.skipped.len() + a.read.duplicates.len(),
        "entrées ignorées",
    );
    h.push_str("</div></section>\n");
}

/// What ties a track's members, in French: "Action : publier · Objets : bilan, réclamations".
fn why(t: &Track) -> String {
    let mut parts = Vec::new();
    if !t.actions.is_empty() {
        parts.push(format!("Action : {}", t.actions.join(", ")));
    }
    if !t.objects.is_empty() {
        parts.push(format!("Objets : {}", t.objects.join(", ")));
    }
    if parts.is_empty() {
        "Mêmes mots, sans concept du lexique".to_owned()
    } else {
        parts.join(" · ")
    }
}

fn track_table(h: &mut String, title: &str, kind: &str, tracks: &[Track], top: usize) {
    let _ = write!(
        h,
        "<section id=\"{}\"><h2>{}</h2>",
        kind.to_lowercase(),
        esc(title)
    );
    if tracks.is_empty() {
        h.push_str("<p class=\"empty\">Aucun groupe de deux annotations ou plus.</p></section>\n");
        return;
    }
    let _ = write!(
        h,
        "<p class=\"note\">{} ; classement par nombre de départements, puis d'occurrences. Texte affiché : l'occurrence la plus proche du centre du groupe.</p>",
        if tracks.len() > top { format!("{} groupes, les {top} premiers ici (tracks.csv les donne tous)", tracks.len()) } else if tracks.len() == 1 { "1 groupe".to_owned() } else { format!("{} groupes", tracks.len()) }
    );
    h.push_str("<table><thead><tr><th>#</th><th>Piste</th><th class=\"num\">Départements</th><th class=\"num\">Occurrences</th><th>Années</th><th>Engagements</th></tr></thead><tbody>\n");
    for t in tracks.iter().take(top) {
        let departments: Vec<String> = t
            .departments
            .iter()
            .map(|d| {
                d.code
                    .clone()
                    .or_else(|| d.name.clone())
                    .unwrap_or_default()
            })
            .collect();
        let commitments: Vec<String> = t
            .commitments
            .iter()
            .map(|c| format!("<span title=\"{}\">{}</span>", esc(&c.title), esc(&c.code)))
            .collect();
        let years = match (t.years.first(), t.years.last()) {
            (Some(first), Some(last)) if t.years.len() > 3 => {
                format!("{first} à {last} ({} années)", t.years.len())
            }
            _ => t.years.join(", "),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"rep\"><span class=\"kind {kind}\">{kind}</span> {}<div class=\"why\">{}</div><details><summary>{} occurrences</summary><ul>",
            t.rank,
            esc(&t.representative),
            esc(&why(t)),
            t.size
        );
        for m in t.members.iter().take(MEMBERS_SHOWN) {
            let _ = write!(
                h,
                "<li>{} · {} · {} — {}</li>",
                esc(m.audit_date.as_deref().unwrap_or("?")),
                esc(m
                    .department
                    .as_deref()
                    .or(m.department_code.as_deref())
                    .unwrap_or("?")),
                esc(&m.assessment),
                esc(&m.text)
            );
        }
        if t.members.len() > MEMBERS_SHOWN {
            let _ = write!(
                h,
                "<li>… et {} autres (tracks.csv)</li>",
                t.members.len() - MEMBERS_SHOWN
            );
        }
        let _ = writeln!(
            h,
            "</ul></details></td><td class=\"deps\">{}<div class=\"codes\">{}</div></td><td class=\"num\">{}</td><td>{}</td><td class=\"codes\">{}</td></tr>",
            t.department_count,
            esc(&abbreviated(&departments, 12)),
            t.size,
            esc(&years),
            abbreviated(&commitments, 6)
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// Background of a heat map cell: green (no non-conformity) to red (all).
fn heat_colour(rate: Option<f64>) -> String {
    match rate {
        None => "#eceff2".into(),
        Some(r) => format!(
            "hsl({:.0}, 70%, {:.0}%)",
            120.0 * (1.0 - r),
            88.0 - 30.0 * r
        ),
    }
}

fn heat_cell(h: &mut String, n: Option<&Counts>, scope: &str) {
    let Some(n) = n else {
        h.push_str("<td class=\"cell\" style=\"background:#f6f7f9\"></td>");
        return;
    };
    let nc = n.nc_min + n.nc_maj;
    let rated = n.c + nc;
    let tip = format!(
        "{scope} : {} évaluations — C {}, NA {}, NC min {}, NC maj {}, sans code {} ; PS {}, PP {}",
        n.assessments, n.c, n.na, n.nc_min, n.nc_maj, n.unrated, n.ps, n.pp
    );
    let text = if rated == 0 {
        "–".to_owned()
    } else {
        format!("{nc}/{rated}")
    };
    let _ = write!(
        h,
        "<td class=\"cell\" style=\"background:{}\" title=\"{}\">{}</td>",
        heat_colour(n.nc_rate()),
        esc(&tip),
        text
    );
}

fn heat_table(
    h: &mut String,
    commitments: &[CommitmentStats],
    columns: &[(String, String)],
    pick: impl Fn(&CommitmentStats, &str) -> Option<Counts>,
) {
    h.push_str("<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>Engagement</th><th class=\"col\">Total</th>");
    for (_, label) in columns {
        let _ = write!(h, "<th class=\"col\">{}</th>", esc(label));
    }
    h.push_str("</tr></thead><tbody>\n");
    for c in commitments {
        let _ = write!(
            h,
            "<tr><td class=\"label\" title=\"{}\"><b>{}</b> {}</td>",
            esc(&c.title),
            esc(&c.code),
            esc(&shorten(&c.title, 48))
        );
        heat_cell(h, Some(&c.overall), "Total");
        for (key, label) in columns {
            heat_cell(h, pick(c, key).as_ref(), label);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
}

fn heat_maps(h: &mut String, a: &Analysis) {
    let file = a.matrix.to_file();
    h.push_str("<section id=\"conformite\"><h2>Conformité par engagement</h2>");
    if file.commitments.is_empty() {
        h.push_str("<p class=\"empty\">Aucune évaluation.</p></section>\n");
        return;
    }
    h.push_str("<p class=\"note\">Chaque case : non-conformités (mineures et majeures) / évaluations notées C ou NC ; couleur selon leur part. Survoler une case pour le détail (C, NA, NC, PS, PP).</p>");
    h.push_str("<div class=\"legend\">0 %");
    for r in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(h, "<i style=\"background:{}\"></i>", heat_colour(Some(r)));
    }
    let _ = write!(h, "100 % de non-conformités <i style=\"background:{}; margin-left:12px\"></i> aucune évaluation notée</div>", heat_colour(None));
    let mut years: Vec<String> = file
        .commitments
        .iter()
        .flat_map(|c| c.by_year.keys().cloned())
        .collect();
    years.sort();
    years.dedup();
    let year_columns: Vec<(String, String)> = years.into_iter().map(|y| (y.clone(), y)).collect();
    h.push_str("<h3>Par année d'audit</h3>");
    heat_table(h, &file.commitments, &year_columns, |c, y| {
        c.by_year.get(y).copied()
    });
    let department_columns: Vec<(String, String)> = file
        .departments
        .iter()
        .map(|(k, name)| {
            (
                k.clone(),
                if k == name {
                    k.clone()
                } else {
                    format!("{k} {name}")
                },
            )
        })
        .collect();
    h.push_str("<h3>Par département</h3>");
    heat_table(h, &file.commitments, &department_columns, |c, d| {
        c.by_department.get(d).copied()
    });
    h.push_str("</section>\n");
}

/// A cell of the theme table: the conformity rate (C among assessments rated C or
/// NC), coloured like the heat maps, with the detail in its tooltip.
fn theme_cell(h: &mut String, cell: Option<&(usize, Counts, usize, usize)>, scope: &str) {
    let Some((audits, n, pp_members, ps_members)) = cell else {
        h.push_str("<td class=\"cell\" style=\"background:#f6f7f9\"></td>");
        return;
    };
    let rated = n.c + n.nc_min + n.nc_maj;
    let tip = format!(
        "{scope} : {audits} audits, {} évaluations — C {}, NA {}, NC min {}, NC maj {}, sans code {} ; PS {}, PP {} ; membres de pistes récurrentes : PP {pp_members}, PS {ps_members}",
        n.assessments, n.c, n.na, n.nc_min, n.nc_maj, n.unrated, n.ps, n.pp
    );
    let text = if rated == 0 {
        "–".to_owned()
    } else {
        format!("{:.0} %", 100.0 * f64::from(n.c) / f64::from(rated))
    };
    let _ = write!(
        h,
        "<td class=\"cell\" style=\"background:{}\" title=\"{}\">{}</td>",
        heat_colour(n.nc_rate()),
        esc(&tip),
        text
    );
}

/// "Par thème": conformity rate per theme and audit year, whatever the referential.
fn by_theme(h: &mut String, a: &Analysis) {
    let rows = a.themes.to_file().rows;
    h.push_str("<section id=\"themes\"><h2>Par thème</h2>");
    if rows.is_empty() {
        h.push_str("<p class=\"empty\">Aucune évaluation.</p></section>\n");
        return;
    }
    h.push_str("<p class=\"note\">Les engagements de tous les référentiels (Marianne, QUALIPREF, Qual-e-pref) rangés par thème. Chaque case : part des évaluations conformes parmi celles notées C ou NC ; couleur selon la part de non-conformités. Survoler une case pour le détail (audits, C, NA, NC, PS, PP, membres de pistes récurrentes). « Thème inconnu » : rapports extraits avant que les thèmes n'existent.</p>");
    let mut years: Vec<&str> = rows.iter().map(|r| r.year.as_str()).collect();
    years.sort_unstable();
    years.dedup();
    h.push_str("<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>Thème</th><th class=\"col\">Total</th>");
    for y in &years {
        let _ = write!(h, "<th class=\"col\">{}</th>", esc(y));
    }
    h.push_str("</tr></thead><tbody>\n");
    let mut i = 0;
    while i < rows.len() {
        let theme = rows[i].theme;
        let mut by_year: BTreeMap<&str, (usize, Counts, usize, usize)> = BTreeMap::new();
        let mut total = (0, Counts::default(), 0, 0);
        while i < rows.len() && rows[i].theme == theme {
            let r = &rows[i];
            by_year.insert(
                &r.year,
                (r.audits, r.counts, r.pp_track_members, r.ps_track_members),
            );
            total.0 += r.audits;
            total.1.add(&r.counts);
            total.2 += r.pp_track_members;
            total.3 += r.ps_track_members;
            i += 1;
        }
        let name = match theme {
            Some(t) => super::themes::label(t),
            None => "Thème inconnu",
        };
        let _ = write!(h, "<tr><td class=\"label\">{}</td>", esc(name));
        theme_cell(h, Some(&total), "Total");
        for y in &years {
            theme_cell(h, by_year.get(y), y);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div></section>\n");
}

/// The first `max` items, and how many more.
fn abbreviated(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(" ")
    } else {
        format!("{} … (+{})", items[..max].join(" "), items.len() - max)
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        format!(
            "{}…",
            s.chars().take(max - 1).collect::<String>().trim_end()
        )
    }
}

#[derive(Default)]
struct YearRow {
    reports: u32,
    counts: Counts,
    pf: u32,
}

fn trends(h: &mut String, a: &Analysis) {
    let mut years: BTreeMap<String, YearRow> = BTreeMap::new();
    for r in &a.reports {
        let y = years
            .entry(r.info.year().unwrap_or("?").to_owned())
            .or_default();
        y.reports += 1;
        y.pf += r.kinds.pf;
        let (t, c) = (&mut y.counts, &r.counts);
        t.assessments += c.assessments;
        t.c += c.c;
        t.na += c.na;
        t.nc_min += c.nc_min;
        t.nc_maj += c.nc_maj;
        t.ps += r.kinds.ps;
        t.pp += r.kinds.pp;
    }
    h.push_str("<section id=\"tendances\"><h2>Tendances par année</h2>");
    let per_report = |v: u32, n: u32| f64::from(v) / f64::from(n.max(1));
    let nc: Vec<(String, f64)> = years
        .iter()
        .map(|(y, r)| (y.clone(), 100.0 * r.counts.nc_rate().unwrap_or(0.0)))
        .collect();
    let pp: Vec<(String, f64)> = years
        .iter()
        .map(|(y, r)| (y.clone(), per_report(r.counts.pp, r.reports)))
        .collect();
    let ps: Vec<(String, f64)> = years
        .iter()
        .map(|(y, r)| (y.clone(), per_report(r.counts.ps, r.reports)))
        .collect();
    h.push_str("<div style=\"display:flex; flex-wrap:wrap; gap:24px\">");
    bar_chart(h, "Part de non-conformités (%)", &nc, "#c9191e", 0);
    bar_chart(h, "Pistes de progrès par rapport", &pp, "#2a7d4f", 1);
    bar_chart(h, "Points sensibles par rapport", &ps, "#b34000", 1);
    h.push_str("</div>");
    h.push_str("<table><thead><tr><th>Année</th><th class=\"num\">Rapports</th><th class=\"num\">Évaluations</th><th class=\"num\">C</th><th class=\"num\">NA</th><th class=\"num\">NC min</th><th class=\"num\">NC maj</th><th class=\"num\">Part NC</th><th class=\"num\">PF</th><th class=\"num\">PS</th><th class=\"num\">PP</th><th class=\"num\">PP / rapport</th></tr></thead><tbody>\n");
    for (y, r) in &years {
        let c = &r.counts;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td></tr>",
            esc(y),
            r.reports,
            c.assessments,
            c.c,
            c.na,
            c.nc_min,
            c.nc_maj,
            c.nc_rate().map_or("–".into(), |v| format!("{:.1} %", 100.0 * v)),
            r.pf,
            c.ps,
            c.pp,
            per_report(c.pp, r.reports)
        );
    }
    h.push_str("</tbody></table></section>\n");
}

/// A small vertical bar chart as inline SVG.
fn bar_chart(h: &mut String, title: &str, values: &[(String, f64)], colour: &str, decimals: usize) {
    let (bar, gap, height, top, bottom) = (34.0, 10.0, 140.0, 40.0, 22.0);
    let width = (values.len() as f64 * (bar + gap) + gap).max(220.0);
    let max = values.iter().map(|v| v.1).fold(0.0f64, f64::max).max(1e-9);
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"{}\"><text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2733\">{}</text>",
        height + top + bottom,
        esc(title),
        esc(title)
    );
    let _ = write!(
        h,
        "<line x1=\"0\" y1=\"{y:.1}\" x2=\"{width:.0}\" y2=\"{y:.1}\" stroke=\"#aab2bd\"/>",
        y = top + height
    );
    for (i, (label, v)) in values.iter().enumerate() {
        let x = gap + i as f64 * (bar + gap);
        let bh = height * v / max;
        let y = top + height - bh;
        let _ = write!(
            h,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.0}\" height=\"{bh:.1}\" fill=\"{colour}\"><title>{}: {v:.decimals$}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1d2733\">{v:.decimals$}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555f6b\">{}</text>",
            esc(label),
            x + bar / 2.0,
            (y - 3.0).max(top - 2.0),
            x + bar / 2.0,
            top + height + 15.0,
            esc(label)
        );
    }
    h.push_str("</svg>");
}

fn persistent(h: &mut String, a: &Analysis) {
    h.push_str("<section id=\"persistantes\"><h2>Pistes persistantes</h2>");
    if a.persistent.is_empty() {
        h.push_str("<p class=\"empty\">Aucune piste relevée deux fois pour le même département et le même engagement.</p></section>\n");
        return;
    }
    let _ = write!(
        h,
        "<p class=\"note\">Même département, même engagement, même groupe de pistes, à deux audits de dates différentes : une recommandation restée sans suite. {} cas{}.</p>",
        a.persistent.len(),
        if a.persistent.len() > ROWS_SHOWN { format!(", les {ROWS_SHOWN} premiers ici (persistent.csv les donne tous)") } else { String::new() }
    );
    h.push_str("<table><thead><tr><th>Département</th><th>Engagement</th><th>Premier audit</th><th>Audit suivant</th><th>Groupe</th></tr></thead><tbody>\n");
    for p in a.persistent_rows().take(ROWS_SHOWN) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><b>{}</b> {}</td><td><b>{}</b><br>{}</td><td><b>{}</b><br>{}</td><td class=\"id\"><span class=\"kind {}\">{}</span> {}</td></tr>",
            esc(&p.department.label()),
            esc(&p.commitment.code()),
            esc(&p.title),
            esc(&p.first.date),
            esc(&p.first.text),
            esc(&p.second.date),
            esc(&p.second.text),
            esc(&p.kind),
            esc(&p.kind),
            esc(&p.track)
        );
    }
    h.push_str("</tbody></table></section>\n");
}

fn skipped(h: &mut String, a: &Analysis) {
    let read = &a.read;
    if read.skipped.is_empty() && read.duplicates.is_empty() {
        return;
    }
    h.push_str("<section id=\"ignores\"><h2>Entrées ignorées</h2><ul>");
    let rows = read.skipped.iter().map(|(f, r)| (f, r.clone())).chain(
        read.duplicates
            .iter()
            .map(|(f, first)| (f, format!("même source que {first}"))),
    );
    let total = read.skipped.len() + read.duplicates.len();
    for (file, reason) in rows.take(ROWS_SHOWN) {
        let _ = write!(h, "<li><code>{}</code> : {}</li>", esc(file), esc(&reason));
    }
    if total > ROWS_SHOWN {
        let _ = write!(
            h,
            "<li>… et {} autres (voir la sortie d'erreur)</li>",
            total - ROWS_SHOWN
        );
    }
    h.push_str("</ul></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("<b>\"l'&\""), "&lt;b&gt;&quot;l&#39;&amp;&quot;");
    }

    #[test]
    fn colours_go_from_green_to_red() {
        assert_eq!(heat_colour(Some(0.0)), "hsl(120, 70%, 88%)");
        assert_eq!(heat_colour(Some(1.0)), "hsl(0, 70%, 58%)");
    }
}
