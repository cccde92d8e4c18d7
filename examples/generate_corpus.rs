//! Synthetic corpus of audit reports, for tests and benchmarks.
//!
//! ```text
//! cargo run --release --example generate_corpus -- --count 100 --out /tmp/corpus [--pdf] [--seed 7]
//! ```
//!
//! Writes `OUT/text/NAME.txt` (the text layer of a report as a PDF text extractor
//! writes it, in the format of `fixtures/text/tarn-et-garonne-2022-reference.txt`),
//! with `--pdf` also `OUT/pdf/NAME.pdf` (the same report as a real PDF: standard
//! Helvetica font, WinAnsiEncoding, a ruled three-column grid whose header row repeats
//! on every page), and `OUT/expected/NAME.expected.json`: the truth the report was
//! made from — metadata, assessments (section, phase, module, number, title,
//! conformity, annotations) and conclusion, in the shape of the tool's own JSON. Each
//! PP and PS annotation is a paraphrase of one of the known topics below, and its
//! `topic` field names it, so that grouping can be scored (precision, recall).
//!
//! Reports vary by department, site (préfecture or sous-préfecture), dates, auditors,
//! audit type and origin, modules covered, remote phases, conformity codes,
//! annotations, and layout: cover checkboxes kept or lost, form feeds, phase headers
//! before or after their rows (stream order), conclusion labels with or apart from
//! their contents, codes on their own line or ending the text, UTF-8 or
//! Windows-1252, LF or CRLF. The same `--seed` gives the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use audit_extract::departments::DEPARTMENTS;
use clap::Parser;
use serde::Serialize;

#[derive(Parser)]
#[command(
    about = "Generates synthetic audit reports (text, and PDF with --pdf) with their expected JSON"
)]
struct Args {
    /// Number of reports.
    #[arg(long, default_value_t = 10)]
    count: usize,
    /// Output directory (text/, pdf/ and expected/ are created in it).
    #[arg(long)]
    out: PathBuf,
    /// Also write each report as a PDF.
    #[arg(long)]
    pdf: bool,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let text_dir = args.out.join("text");
    let pdf_dir = args.out.join("pdf");
    let expected_dir = args.out.join("expected");
    std::fs::create_dir_all(&text_dir)?;
    std::fs::create_dir_all(&expected_dir)?;
    if args.pdf {
        std::fs::create_dir_all(&pdf_dir)?;
    }
    for index in 0..args.count {
        let report = generate_report(args.seed, index, args.pdf);
        write(&text_dir.join(format!("{}.txt", report.name)), &report.text)?;
        if let Some(pdf) = &report.pdf {
            write(&pdf_dir.join(format!("{}.pdf", report.name)), pdf)?;
        }
        write(
            &expected_dir.join(format!("{}.expected.json", report.name)),
            report.expected_json.as_bytes(),
        )?;
    }
    eprintln!(
        "wrote {} reports to {} (text{})",
        args.count,
        args.out.display(),
        if args.pdf { ", pdf" } else { "" }
    );
    Ok(())
}

/// One generated report: its file name stem, its text form, its PDF form (when
/// asked for) and its truth, as the files `main` writes.
pub struct GeneratedReport {
    pub name: String,
    pub text: Vec<u8>,
    pub pdf: Option<Vec<u8>>,
    /// `NAME.expected.json`: pretty JSON ending in a newline.
    pub expected_json: String,
}

/// Report number `index` of the corpus of `seed`: the same arguments always give the
/// same bytes, whatever the other reports. `tests/generated_corpus.rs` includes this
/// file as a module to call it without a nested `cargo run`.
pub fn generate_report(seed: u64, index: usize, pdf: bool) -> GeneratedReport {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (index as u64 + 1));
    let mut report = generate(&mut rng, index);
    let text = render_text(&report, &mut rng);
    report.text_pages = text.pages;
    let pdf = pdf.then(|| {
        let pdf = render_pdf(&report);
        report.pdf_pages = Some(pdf.pages);
        pdf.bytes
    });
    let mut expected_json = serde_json::to_string_pretty(&report).expect("serialises");
    expected_json.push('\n');
    GeneratedReport {
        name: report.name,
        text: text.bytes,
        pdf,
        expected_json,
    }
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

// ---------------------------------------------------------------------------------
// Pseudo-random numbers (SplitMix64): deterministic, no dependency.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------
// The truth: what a report says, serialised as NAME.expected.json.

#[derive(Serialize)]
struct Expected {
    name: String,
    layout: Layout,
    /// Pages of the text form (form feeds), when it has them.
    text_pages: Option<u32>,
    /// Pages of the PDF form, when written.
    pdf_pages: Option<u32>,
    metadata: Metadata,
    context: String,
    assessments: Vec<Assessment>,
    conclusion: Conclusion,
}

#[derive(Serialize)]
struct Layout {
    cover_checkboxes: bool,
    form_feeds: bool,
    /// Remote-phase headers after their rows (stream order), as in the reference.
    trailing_phase_headers: bool,
    /// Conclusion labels apart from their contents, as in the reference.
    scrambled_conclusion: bool,
    encoding: &'static str,
    crlf: bool,
}

#[derive(Serialize)]
struct Referential {
    name: &'static str,
    label: String,
    date: &'static str,
    updated: &'static str,
}

#[derive(Serialize)]
struct Metadata {
    referential: Referential,
    department: &'static str,
    department_code: &'static str,
    city: String,
    site_type: &'static str,
    audit_dates: Vec<String>,
    signature_date: String,
    auditors: Vec<String>,
    audit_type: &'static str,
    audit_origin: &'static str,
    modules_covered: Vec<u8>,
}

#[derive(Serialize, Clone)]
struct Assessment {
    id: String,
    section: &'static str,
    phase: &'static str,
    channel: Option<&'static str>,
    module: Option<u8>,
    number: u32,
    title: String,
    conformity: &'static str,
    annotations: Vec<Annotation>,
}

#[derive(Serialize, Clone)]
struct Annotation {
    kind: &'static str,
    text: String,
    /// Topic id of a PP or PS annotation; null for PF and notes.
    topic: Option<&'static str>,
}

#[derive(Serialize, Default)]
struct Conclusion {
    general: Option<String>,
    strengths: Option<String>,
    sensitive_points: Option<String>,
    improvement_tracks: Option<String>,
    comments: Option<String>,
    good_practices: Option<String>,
    satisfaction_results: Option<String>,
    graphic_charter: Option<String>,
    deviations: Option<String>,
}

// ---------------------------------------------------------------------------------
// Generation of one report.

fn date(d: (u32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

fn slug(s: &str) -> String {
    let folded = audit_extract::text::fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

fn matches_place(place: &str, section: &str, module: Option<u8>, number: u32) -> bool {
    if place == "*" {
        return true;
    }
    let Some((area, numbers)) = place.split_once(':') else {
        return false;
    };
    let here = match (section, module) {
        ("module", Some(m)) => format!("m{m}"),
        ("pilotage", _) => "pil".to_owned(),
        ("labellisation", _) => "lab".to_owned(),
        _ => return false,
    };
    if area != here {
        return false;
    }
    if numbers == "*" {
        return true;
    }
    match numbers.split_once('-') {
        Some((lo, hi)) => {
            lo.parse::<u32>().is_ok_and(|lo| lo <= number)
                && hi.parse::<u32>().is_ok_and(|hi| number <= hi)
        }
        None => numbers.parse::<u32>() == Ok(number),
    }
}

fn fill(template: &str, rng: &mut Rng, year: u32) -> String {
    template
        .replace("{n}", &rng.range(2, 60).to_string())
        .replace("{pct}", &rng.range(55, 98).to_string())
        .replace("{year}", &(year - rng.range(0, 2) as u32).to_string())
        .replace("{month}", MONTHS[rng.below(12)])
}

fn annotations_for(
    rng: &mut Rng,
    section: &str,
    module: Option<u8>,
    number: u32,
    conformity: &str,
    year: u32,
) -> Vec<Annotation> {
    let topics: Vec<&Topic> = TOPICS
        .iter()
        .filter(|t| {
            t.places
                .iter()
                .any(|p| p != &"*" && matches_place(p, section, module, number))
        })
        .collect();
    let generic: Vec<&Topic> = TOPICS.iter().filter(|t| t.places.contains(&"*")).collect();
    let topic_pool = if topics.is_empty() || rng.chance(0.1) {
        &generic
    } else {
        &topics
    };
    let strengths: Vec<&str> = STRENGTHS
        .iter()
        .filter(|(p, _)| *p != "*" && matches_place(p, section, module, number))
        .map(|(_, s)| *s)
        .collect();
    let notes: Vec<&str> = NOTES
        .iter()
        .filter(|(p, _)| *p != "*" && matches_place(p, section, module, number))
        .map(|(_, s)| *s)
        .collect();
    let mut out = Vec::new();
    let mut used_topics: Vec<&str> = Vec::new();
    let mut topic_annotation = |rng: &mut Rng, kind: &'static str, out: &mut Vec<Annotation>| {
        let topic = *rng.pick(topic_pool);
        if used_topics.contains(&topic.id) {
            return;
        }
        used_topics.push(topic.id);
        let text = if kind == "PP" {
            *rng.pick(topic.pp)
        } else {
            *rng.pick(topic.ps)
        };
        out.push(Annotation {
            kind,
            text: text.to_owned(),
            topic: Some(topic.id),
        });
    };
    if rng.chance(0.2) {
        let text = if strengths.is_empty() || rng.chance(0.3) {
            STRENGTHS[STRENGTHS.len() - 1 - rng.below(3)].1
        } else {
            *rng.pick(&strengths)
        };
        out.push(Annotation {
            kind: "PF",
            text: text.to_owned(),
            topic: None,
        });
    }
    let sensitive = matches!(conformity, "NC_MIN" | "NC_MAJ") || rng.chance(0.06);
    if sensitive {
        topic_annotation(rng, "PS", &mut out);
    }
    let tracks = if rng.chance(0.35) { rng.range(1, 3) } else { 0 };
    for _ in 0..tracks {
        topic_annotation(rng, "PP", &mut out);
    }
    if conformity == "NA" || rng.chance(0.5) {
        let text = if conformity == "NA" {
            "Cet engagement est sans objet pour le site audité.".to_owned()
        } else if notes.is_empty() || rng.chance(0.25) {
            fill(NOTES[NOTES.len() - 1 - rng.below(4)].1, rng, year)
        } else {
            {
                let note = *rng.pick(&notes);
                fill(note, rng, year)
            }
        };
        out.push(Annotation {
            kind: "NOTE",
            text,
            topic: None,
        });
    }
    out
}

fn conformity(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..=84 => "C",
        85..=91 => "NA",
        92..=97 => "NC_MIN",
        _ => "NC_MAJ",
    }
}

fn phase_name(phase: &str) -> &'static str {
    match phase {
        "remote_internet" => "remote_internet",
        "remote_telephone" => "remote_telephone",
        "remote_email" => "remote_email",
        _ => "on_site",
    }
}

fn channel_of(module: u8, number: u32) -> Option<&'static str> {
    if module != 1 {
        return None;
    }
    CHANNELS
        .iter()
        .rev()
        .find(|(first, _, _)| number >= *first)
        .map(|(_, _, id)| *id)
}

fn generate(rng: &mut Rng, index: usize) -> Expected {
    let department = if rng.chance(0.02) {
        DEPARTMENTS
            .iter()
            .find(|d| d.code == "75")
            .unwrap_or(&DEPARTMENTS[0])
    } else {
        rng.pick(&DEPARTMENTS)
    };
    let police = department.code == "75";
    let sous_prefecture = SOUS_PREFECTURES
        .iter()
        .find(|(code, _)| *code == department.code)
        .filter(|_| !police && rng.chance(0.3));
    let (city, site_type) = match sous_prefecture {
        Some((_, city)) => ((*city).to_owned(), "sous_prefecture"),
        None if police => ("Paris".to_owned(), "prefecture_de_police"),
        None => (department.prefecture.to_owned(), "prefecture"),
    };
    let year = rng.range(2019, 2025) as u32;
    let (month, day) = (rng.range(1, 12) as u32, rng.range(1, 24) as u32);
    let two_days = rng.chance(0.3);
    let mut audit_dates = vec![date((year, month, day))];
    if two_days {
        audit_dates.push(date((year, month, day + 1)));
    }
    let signature = (
        year,
        month,
        day + u32::from(two_days) + rng.range(1, 2) as u32,
    );
    let auditors: Vec<String> = (0..rng.range(1, 2))
        .map(|_| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)))
        .collect();
    let audit_type = *rng.pick(&[
        "initial",
        "suivi",
        "suivi",
        "suivi",
        "renouvellement",
        "renouvellement",
        "extension",
    ]);
    let origin = if rng.chance(0.8) {
        "external"
    } else {
        "internal"
    };
    let mut modules = vec![1u8];
    for m in [2u8, 3, 4, 5, 6, 7] {
        if rng.chance(0.3) {
            modules.push(m);
        }
    }
    if police {
        modules.push(8);
    }

    let mut assessments = Vec::new();
    let push = |assessments: &mut Vec<Assessment>,
                phase: &'static str,
                section: &'static str,
                module: Option<u8>,
                number: u32,
                title: &str,
                conformity: &'static str,
                annotations: Vec<Annotation>| {
        let place = match (section, module) {
            ("module", Some(m)) => format!("m{m}"),
            _ => section.to_owned(),
        };
        let base = format!("{phase}.{place}.{number}");
        assessments.push(Assessment {
            id: base,
            section,
            phase: phase_name(phase),
            channel: module.and_then(|m| channel_of(m, number)),
            module,
            number,
            title: title.to_owned(),
            conformity,
            annotations,
        });
    };
    for &m in &modules {
        for &(module, number, title) in COMMITMENTS.iter().filter(|c| c.0 == m) {
            let code = conformity(rng);
            let annotations = annotations_for(rng, "module", Some(module), number, code, year);
            push(
                &mut assessments,
                "on_site",
                "module",
                Some(module),
                number,
                title,
                code,
                annotations,
            );
        }
    }
    for (i, title) in PILOTAGE.iter().enumerate() {
        let number = i as u32 + 1;
        let code = if rng.chance(0.92) { "C" } else { "NC_MIN" };
        let annotations = annotations_for(rng, "pilotage", None, number, code, year);
        push(
            &mut assessments,
            "on_site",
            "pilotage",
            None,
            number,
            title,
            code,
            annotations,
        );
    }
    for (i, title) in LABELLISATION.iter().enumerate() {
        let number = i as u32 + 1;
        let code = if rng.chance(0.95) { "C" } else { "NC_MIN" };
        let annotations = annotations_for(rng, "labellisation", None, number, code, year);
        push(
            &mut assessments,
            "on_site",
            "labellisation",
            None,
            number,
            title,
            code,
            annotations,
        );
    }
    if rng.chance(0.6) {
        let phases: [(&'static str, &[u32]); 3] = [
            ("remote_internet", &[1, 3, 11, 12, 13, 14]),
            ("remote_telephone", &[1, 2, 8, 10]),
            ("remote_email", &[16, 17]),
        ];
        for (phase, numbers) in phases {
            let chosen: Vec<u32> = numbers
                .iter()
                .copied()
                .filter(|_| rng.chance(0.8))
                .collect();
            for number in chosen {
                let title = COMMITMENTS
                    .iter()
                    .find(|c| c.0 == 1 && c.1 == number)
                    .map_or("", |c| c.2);
                let code = if rng.chance(0.93) { "C" } else { "NC_MIN" };
                let annotations = if rng.chance(0.3) {
                    let text = match phase {
                        "remote_telephone" => format!(
                            "{} appels mystères ont été réalisés, réponses rapides et courtoises.",
                            rng.range(2, 5)
                        ),
                        "remote_email" => format!(
                            "{} courriels mystères ont reçu une réponse complète.",
                            rng.range(2, 4)
                        ),
                        _ => "Les informations à disposition sur le site internet sont à jour."
                            .to_owned(),
                    };
                    vec![Annotation {
                        kind: "NOTE",
                        text,
                        topic: None,
                    }]
                } else {
                    Vec::new()
                };
                push(
                    &mut assessments,
                    phase,
                    "module",
                    Some(1),
                    number,
                    title,
                    code,
                    annotations,
                );
            }
        }
    }

    let label = if rng.chance(0.8) {
        "Référentiel de labellisation qual·e·pref du 19/12/2018 mis à jour le 4 février 2019"
            .to_owned()
    } else {
        "Référentiel Qual-e-pref du 19/12/2018 mis à jour le 4 février 2019".to_owned()
    };
    let context = context_text(
        rng,
        department.name,
        &city,
        site_type,
        audit_type,
        year,
        &modules,
    );
    let conclusion = conclusion_text(rng, &assessments, origin, year);
    let encoding = if rng.chance(0.15) {
        "windows-1252"
    } else {
        "utf-8"
    };
    let layout = Layout {
        // Checkbox glyphs (☐ ☒) do not exist in Windows-1252.
        cover_checkboxes: encoding == "utf-8" && rng.chance(0.3),
        form_feeds: rng.chance(0.5),
        trailing_phase_headers: rng.chance(0.3),
        scrambled_conclusion: rng.chance(0.4),
        encoding,
        crlf: rng.chance(0.15),
    };
    Expected {
        name: format!("r{:05}-{}-{}", index + 1, slug(department.name), year),
        layout,
        text_pages: None,
        pdf_pages: None,
        metadata: Metadata {
            referential: Referential {
                name: "qual-e-pref",
                label,
                date: "2018-12-19",
                updated: "2019-02-04",
            },
            department: department.name,
            department_code: department.code,
            city,
            site_type,
            audit_dates,
            signature_date: date(signature),
            auditors,
            audit_type,
            audit_origin: origin,
            modules_covered: modules,
        },
        context,
        assessments,
        conclusion,
    }
}

fn list_fr(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} et {last}", rest.join(", ")),
    }
}

fn context_text(
    rng: &mut Rng,
    department: &str,
    city: &str,
    site_type: &str,
    audit_type: &str,
    year: u32,
    modules: &[u8],
) -> String {
    let population = rng.range(80, 1900) * 1000;
    let site = match site_type {
        "sous_prefecture" => format!("Les services de la sous-préfecture de {city} accueillent les usagers de l'arrondissement."),
        "prefecture_de_police" => "Les services de la préfecture de police accueillent les usagers dans plusieurs sites.".to_owned(),
        _ => format!("Les services de la préfecture de {department} se situent à {city}."),
    };
    let agents = rng.range(40, 400);
    let involved = agents * rng.range(30, 80) / 100;
    let history = if audit_type == "initial" {
        "La démarche qualité a été engagée il y a deux ans avec le référentiel Marianne.".to_owned()
    } else {
        format!("Engagée de longue date dans la démarche qualité, la préfecture a obtenu la labellisation Qual-e-pref en {} {}.", MONTHS[rng.below(12)], year - rng.range(1, 3) as u32)
    };
    let kind = match audit_type {
        "initial" => "audit initial",
        "suivi" => "audit de suivi",
        "renouvellement" => "audit de renouvellement",
        _ => "audit d'extension",
    };
    let module_list: Vec<String> = modules.iter().map(u8::to_string).collect();
    format!(
        "Le département compte environ {population} habitants. {site} Les usagers sont reçus dans un bâtiment dédié à l'accueil général. {history} Le présent {kind} porte sur les modules {}. Environ {involved} des {agents} agents sont impliqués dans la démarche de labellisation.",
        list_fr(&module_list)
    )
}

fn conclusion_text(
    rng: &mut Rng,
    assessments: &[Assessment],
    origin: &str,
    year: u32,
) -> Conclusion {
    let sensitive = assessments
        .iter()
        .flat_map(|a| &a.annotations)
        .filter(|n| n.kind == "PS")
        .count();
    let minor = assessments
        .iter()
        .filter(|a| a.conformity == "NC_MIN")
        .count();
    let major = assessments
        .iter()
        .filter(|a| a.conformity == "NC_MAJ")
        .count();
    let audit = if origin == "external" {
        "L'audit externe"
    } else {
        "L'audit interne"
    };
    let deviations = match (major, minor) {
        (0, 0) => "Absence de non-conformité majeure ou mineure.".to_owned(),
        (0, n) => format!("Non-conformités mineures relevées : {n}. Elles font l'objet de fiches d'écart."),
        (m, n) => format!("Non-conformités relevées : {m} majeure(s) et {n} mineure(s), qui font l'objet de fiches d'écart."),
    };
    Conclusion {
        general: Some(
            (*rng.pick(&[
                "Les modules audités du référentiel Qual·e·Pref sont globalement bien maîtrisés. Il conviendra de maintenir l'engagement collectif afin de permettre une amélioration continue de la qualité des services rendus aux usagers.",
                "Les modules audités sont globalement maîtrisés et le système de management est efficace.",
                "Les modules audités du référentiel sont globalement bien appliqués par des équipes impliquées.",
            ]))
            .to_owned(),
        ),
        strengths: Some(format!(
            "{audit} a révélé de nombreux points forts à capitaliser. Ils mettent en évidence une bonne compréhension des enjeux liés à la qualité."
        )),
        sensitive_points: Some(match sensitive {
            0 => "Aucun point sensible n'a été identifié lors de l'audit.".to_owned(),
            1 => "Un point sensible a été identifié ; il devra faire l'objet d'actions correctives.".to_owned(),
            n => format!("Points sensibles identifiés : {n}. Ils devront faire l'objet d'actions correctives."),
        }),
        improvement_tracks: Some(
            "Le traitement des pistes de progrès permettra d'améliorer encore l'organisation. Il conviendra de compléter le plan d'actions qualité pour y répondre.".to_owned(),
        ),
        comments: Some(
            (*rng.pick(&[
                "L'audit s'est déroulé dans de bonnes conditions.",
                "L'audit s'est déroulé dans de très bonnes conditions grâce à la disponibilité des équipes.",
                "L'audit s'est déroulé conformément au plan d'audit transmis.",
            ]))
            .to_owned(),
        ),
        good_practices: Some("Les bonnes pratiques sont nombreuses et transparaissent dans les points forts sur les modules audités.".to_owned()),
        satisfaction_results: Some(format!(
            "Les résultats de l'enquête de satisfaction {} révèlent que {}% des usagers sont satisfaits de l'accueil.",
            year - 1,
            rng.range(60, 97)
        )),
        graphic_charter: Some("La charte graphique est appliquée conformément aux attentes du référentiel.".to_owned()),
        deviations: Some(deviations),
    }
}

// ---------------------------------------------------------------------------------
// Referential: Qual-e-pref commitments. Modules 1, 4 and 6 as in the reference
// report; the other modules' numbers follow docs/domain.md (inferred ranges) and
// their titles are plausible stand-ins.

const MODULE_NAMES: [&str; 8] = [
    "Relation générale avec les usagers",
    "Délivrance des titres (hors étrangers)",
    "Délivrance de titres étrangers",
    "Relation avec les collectivités territoriales",
    "Polices administratives liées à la sécurité",
    "Coordination des politiques publiques",
    "Communication d'urgence en cas d'évènement majeur",
    "Polices exercées par la préfecture de police de Paris",
];

const MODULE_HEADERS: [&str; 8] = [
    "MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS",
    "MODULE 2 - DELIVRANCE DES TITRES (HORS ETRANGERS)",
    "MODULE 3 - DELIVRANCE DE TITRES ETRANGERS",
    "MODULE 4 - RELATIONS AVEC LES COLLECTIVITES TERRITORIALES",
    "MODULE 5 - POLICES ADMINISTRATIVES LIEES A LA SECURITE",
    "MODULE 6 - COORDINATION DES POLITIQUES PUBLIQUES",
    "MODULE 7 - COMMUNICATION D'URGENCE EN CAS D'EVENEMENT MAJEUR",
    "MODULE 8 - POLICES EXERCEES PAR LA PREFECTURE DE POLICE DE PARIS",
];

const COMMITMENTS: &[(u8, u32, &str)] = &[
    (1, 1, "Nous vous informons sur les conditions de fonctionnement de nos services"),
    (1, 2, "Un accueil attentif et courtois dans le respect mutuel quel que soit le canal"),
    (1, 3, "A votre écoute pour progresser"),
    (1, 4, "Nous formons nos agents pour améliorer notre qualité de service"),
    (1, 5, "Nous vous orientons vers le bon service et vous prenons en charge"),
    (1, 6, "Nous veillons au confort de nos espaces d'accueil et d'attente"),
    (1, 7, "Nous veillons à limiter votre attente en adaptant notre organisation"),
    (1, 8, "Un Serveur Vocal Interactif local, s'il a été mis en place, vous informe de manière simple et vous met en relation avec un agent"),
    (1, 9, "Nous vous informons de la mise à disposition d'un serveur vocal interactif national « 34 00 » dédié aux démarches sur les titres (hors étrangers)"),
    (1, 10, "Nous répondons à tous vos appels de manière attentive et efficace en limitant au maximum votre temps d'attente"),
    (1, 11, "Nous facilitons votre navigation et l'accès aux informations actualisées sur notre site internet"),
    (1, 12, "Nous vous délivrons une information administrative numérique fiable."),
    (1, 13, "Nous facilitons vos démarches en ligne grâce à une offre de service numérique"),
    (1, 14, "Plus particulièrement, nous facilitons vos démarches en ligne sur les demandes de titres"),
    (1, 15, "Si vous n'avez pas accès à internet pour réaliser vos démarches, nous mettons à votre disposition dans nos locaux un point numérique sécurisé"),
    (1, 16, "Nos courriers et courriels sont compréhensibles et complets"),
    (1, 17, "Nous vous répondons dans un délai annoncé et maîtrisé"),
    (1, 18, "Nous assurons la traçabilité de vos courriers/courriels de demande d'informations pour réduire nos délais"),
    (1, 19, "Nous communiquons de manière active sur au moins un réseau social (Facebook et/ou Twitter)"),
    (1, 20, "Nous vous garantissons la fiabilité des informations que nous diffusons sur les réseaux sociaux"),
    (2, 21, "Nous vous informons sur les modalités de délivrance des titres"),
    (2, 22, "Nous vous accompagnons dans vos démarches de demande de titres"),
    (2, 23, "Nous traitons vos demandes de titres dans les délais annoncés"),
    (2, 24, "Nous sécurisons la délivrance de vos titres"),
    (2, 25, "Nous luttons contre la fraude documentaire"),
    (2, 26, "Nous vous informons de l'avancement de votre demande"),
    (3, 27, "Nous vous informons sur les conditions de séjour des étrangers"),
    (3, 28, "Nous vous proposons un rendez-vous dans un délai maîtrisé"),
    (3, 29, "Un accueil adapté pour les demandeurs de titres de séjour"),
    (3, 30, "Nous traitons votre demande de titre de séjour dans un délai annoncé"),
    (3, 31, "Nous vous informons de la disponibilité de votre titre"),
    (3, 32, "Nous garantissons la confidentialité de vos échanges"),
    (3, 33, "Nos agents sont formés à l'accueil des usagers étrangers"),
    (4, 34, "Des observations motivées pour le contrôle de légalité"),
    (4, 35, "Une démarche préalable systématique d'information des élus en matière de contrôle budgétaire"),
    (4, 36, "Nous vous répondons dans un délai annoncé et maîtrisé"),
    (4, 37, "Un RDV est proposé pour tout élu ou cadre territorial qui en fait la demande"),
    (5, 38, "Nous vous informons sur les démarches liées aux polices administratives"),
    (5, 39, "Nous instruisons vos demandes d'autorisation dans un délai maîtrisé"),
    (5, 40, "Nous assurons le suivi des mesures de police administrative"),
    (6, 41, "Le sous-préfet de l'arrondissement et son équipe s'engagent à vous accompagner dans le cadre de votre projet au titre de leur mission d'appui à l'ingénierie territoriale"),
    (6, 42, "Une information facilement accessible pour vos projets ayant un impact sur l'environnement et nécessitant une demande d'autorisation environnementale unique"),
    (6, 43, "Une information disponible en matière de risques et d'enjeux environnementaux"),
    (6, 44, "Localement, une coordination des principaux acteurs des politiques de l'Etat en matière d'emploi"),
    (6, 45, "Nos agents sont formés en matière de coordination des politiques publiques interministérielles et/ou d'ingénierie territoriale"),
    (6, 46, "Localement, une coordination des principaux acteurs de la politique de la ville, notamment sur le suivi des contrats de ville"),
    (7, 47, "Une organisation préparée pour communiquer en cas d'évènement majeur"),
    (7, 48, "Nous diffusons une information fiable et réactive en situation de crise"),
    (7, 49, "Nous tirons les enseignements de chaque évènement majeur"),
    (8, 50, "Nous vous informons sur les démarches relevant de la préfecture de police"),
    (8, 51, "Nous traitons vos demandes dans un délai annoncé"),
    (8, 52, "Nos agents sont formés aux polices spécifiques de la préfecture de police"),
];

const PILOTAGE: [&str; 5] = [
    "Responsabilités",
    "Organisation documentaire",
    "Formation du personnel",
    "Implication des collaborateurs",
    "Comité des usagers",
];

const LABELLISATION: [&str; 2] = ["Bilans annuels", "Audits internes ou auto-évaluations"];

/// Module 1 channel headers, before the first commitment of each channel.
const CHANNELS: &[(u32, &str, &str)] = &[
    (5, "ACCUEIL PHYSIQUE", "accueil_physique"),
    (8, "TELEPHONE", "telephone"),
    (11, "SITE INTERNET", "site_internet"),
    (16, "COURRIERS ET COURRIELS", "courriers_courriels"),
    (19, "RESEAU SOCIAUX", "reseaux_sociaux"),
];

/// Some real sous-préfectures, by department code.
const SOUS_PREFECTURES: &[(&str, &str)] = &[
    ("82", "Castelsarrasin"),
    ("29", "Brest"),
    ("51", "Reims"),
    ("76", "Le Havre"),
    ("64", "Bayonne"),
    ("13", "Arles"),
    ("50", "Cherbourg-en-Cotentin"),
    ("59", "Dunkerque"),
    ("62", "Lens"),
    ("06", "Grasse"),
    ("33", "Libourne"),
    ("69", "Villefranche-sur-Saône"),
    ("38", "Vienne"),
    ("44", "Saint-Nazaire"),
    ("17", "Rochefort"),
];

const FIRST_NAMES: &[&str] = &[
    "Aurélie",
    "Nicolas",
    "Sophie",
    "Jean-Marc",
    "Isabelle",
    "Thomas",
    "Hélène",
    "Pierre",
    "Nathalie",
    "Stéphane",
    "Céline",
    "Frédéric",
    "Valérie",
    "Laurent",
    "Émilie",
    "Olivier",
    "Sandrine",
    "Julien",
    "Martine",
    "François",
];

const LAST_NAMES: &[&str] = &[
    "ROUMEGOUX",
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "LEFEBVRE",
    "MOREAU",
    "GARNIER",
    "FAURE",
    "ROUSSEL",
    "MERCIER",
    "BLANCHARD",
    "GUERIN",
    "BOYER",
    "LEMAIRE",
    "CHEVALIER",
    "PERRIN",
    "MOREL",
    "FONTAINE",
    "ROBIN",
    "MASSON",
];

// ---------------------------------------------------------------------------------
// Topics of improvement tracks (PP) and sensitive points (PS). Each topic has an id
// (recorded in the expected JSON), the places where it is plausible ("m1:3",
// "m1:5-7", "pil:3", "lab:1", "m2:*", "*" anywhere), and paraphrases: at least four
// as an improvement track and at least four as a sensitive point. A topic is one
// recommendation (one finding): its paraphrases are what a quality manager would
// file as the same track, reworded (other verbs, nouns, order, extra context). Close
// but different recommendations on one subject are separate topics (updating the
// complaints report vs acting on the complaints; measuring the e-mail response time
// vs meeting it), so that grouping is scored on both recall and precision.

struct Topic {
    id: &'static str,
    places: &'static [&'static str],
    pp: &'static [&'static str],
    ps: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        id: "bilan_reclamations_publie",
        places: &["m1:3"],
        pp: &[
            "Mettre à jour le bilan des réclamations publié sur le site internet.",
            "Publier chaque année sur le site internet un bilan actualisé des réclamations et suggestions.",
            "Actualiser le bilan annuel des réclamations mis en ligne, qui n'a pas été révisé depuis plusieurs années.",
            "Veiller à la mise en ligne régulière du bilan des réclamations et des suites qui leur ont été données.",
        ],
        ps: &[
            "Le bilan des réclamations publié sur le site internet n'est plus à jour.",
            "Aucun bilan récent des réclamations n'est mis à disposition des usagers sur le site.",
            "Le dernier bilan des réclamations en ligne date de plus de deux ans.",
            "La publication du bilan des réclamations n'est pas assurée chaque année.",
        ],
    },
    Topic {
        id: "reclamations_actions",
        places: &["m1:3"],
        pp: &[
            "Analyser les réclamations reçues pour en tirer des actions d'amélioration.",
            "Exploiter le bilan des réclamations afin de définir des actions correctives.",
            "Tirer des plaintes et suggestions des usagers des actions de progrès concrètes.",
            "Identifier, à partir de l'analyse des réclamations, les améliorations à apporter au service.",
        ],
        ps: &[
            "Les réclamations ne font l'objet d'aucune analyse débouchant sur des actions d'amélioration.",
            "Aucune action corrective n'est tirée du bilan des réclamations.",
            "Les plaintes et suggestions des usagers ne sont pas exploitées pour améliorer le service.",
            "L'analyse des réclamations n'aboutit à aucune mesure de progrès.",
        ],
    },
    Topic {
        id: "questionnaire_simplifier",
        places: &["m1:3"],
        pp: &[
            "Etudier la possibilité de revoir les questions et le support de l'enquête de satisfaction.",
            "Alléger le questionnaire de satisfaction afin de ne conserver que les questions réellement exploitables.",
            "Revoir le contenu de l'enquête de satisfaction pour permettre une analyse pertinente de la qualité de service.",
            "Simplifier le questionnaire remis aux usagers, jugé trop long pour une exploitation utile des réponses.",
        ],
        ps: &[
            "Le questionnaire de satisfaction comporte trop de questions pour permettre une analyse pertinente.",
            "L'enquête de satisfaction, trop longue, n'est renseignée que par une faible part des usagers.",
            "Le support de l'enquête de satisfaction ne permet pas de mesurer la qualité du service rendu.",
            "Les questions de l'enquête de satisfaction sont trop nombreuses et peu exploitables.",
        ],
    },
    Topic {
        id: "questionnaire_resultats",
        places: &["m1:3"],
        pp: &[
            "Exploiter les résultats de l'enquête de satisfaction et les présenter en comité de pilotage.",
            "Analyser les réponses au questionnaire de satisfaction pour en dégager des axes d'amélioration.",
            "Tirer parti des retours de l'enquête de satisfaction en définissant des actions à partir de ses résultats.",
            "Présenter au comité de pilotage une analyse des résultats de l'enquête de satisfaction.",
        ],
        ps: &[
            "Les résultats de l'enquête de satisfaction ne sont pas exploités.",
            "Aucune analyse des réponses au questionnaire de satisfaction n'a été présentée.",
            "Les retours des usagers recueillis par l'enquête de satisfaction ne donnent lieu à aucune action.",
            "Les résultats du questionnaire de satisfaction ne sont pas présentés en comité de pilotage.",
        ],
    },
    Topic {
        id: "avis_en_ligne_reponse",
        places: &["m1:3", "m1:1"],
        pp: &[
            "Organiser une réponse systématique aux avis publiés sur les plateformes en ligne.",
            "Répondre de façon systématique aux avis laissés par les usagers sur Google.",
            "Apporter une réponse à chaque avis déposé en ligne, en particulier aux avis négatifs.",
            "Désigner un agent chargé de répondre aux commentaires publiés par les usagers sur internet.",
        ],
        ps: &[
            "Aucune réponse n'est apportée aux avis négatifs publiés en ligne.",
            "Les avis laissés en ligne par les usagers restent sans réponse.",
            "Les commentaires des usagers sur Google ne reçoivent aucune réponse de la préfecture.",
            "La préfecture ne répond pas aux avis déposés sur internet.",
        ],
    },
    Topic {
        id: "avis_en_ligne_reclamations",
        places: &["m1:3", "m1:1"],
        pp: &[
            "Intégrer le traitement des avis en ligne (avis Google notamment) au dispositif de gestion des réclamations.",
            "Prendre en compte les avis déposés en ligne par les usagers dans le suivi des réclamations et suggestions.",
            "Traiter les avis Google comme des réclamations et les enregistrer dans l'outil de suivi.",
            "Inclure les remarques publiées sur internet dans le bilan des réclamations.",
        ],
        ps: &[
            "Les avis en ligne ne sont pas intégrés au traitement des réclamations.",
            "Les remarques publiées sur Google ne sont pas traitées comme des réclamations.",
            "Les avis laissés en ligne ne sont pas enregistrés avec les réclamations.",
            "Le bilan des réclamations ignore les avis déposés sur internet.",
        ],
    },
    Topic {
        id: "boucle_magnetique_controle",
        places: &["m1:2", "m1:5"],
        pp: &[
            "S'assurer que la boucle magnétique est contrôlée régulièrement.",
            "Mettre en place un contrôle périodique du bon fonctionnement de la boucle magnétique.",
            "Formaliser la vérification régulière de la boucle à induction magnétique de l'accueil.",
            "Tester chaque mois la boucle magnétique et consigner le résultat dans le registre d'accessibilité.",
        ],
        ps: &[
            "Aucun contrôle du fonctionnement de la boucle magnétique n'est tracé.",
            "Le bon fonctionnement de la boucle à induction n'est pas vérifié.",
            "La boucle magnétique n'est pas testée régulièrement.",
            "Aucune vérification périodique de la boucle d'induction n'est organisée.",
        ],
    },
    Topic {
        id: "boucle_magnetique_agents",
        places: &["m1:2", "m1:5"],
        pp: &[
            "Former les agents d'accueil à la mise en service de la boucle magnétique.",
            "Apprendre aux agents de l'accueil à activer la boucle à induction.",
            "S'assurer que chaque agent d'accueil sait utiliser la boucle magnétique.",
            "Montrer au personnel d'accueil comment mettre en marche la boucle magnétique.",
        ],
        ps: &[
            "Les agents d'accueil ne savent pas mettre en service la boucle magnétique.",
            "Le personnel de l'accueil ignore comment activer la boucle à induction.",
            "Les agents n'ont pas été formés à l'utilisation de la boucle magnétique.",
            "L'agent d'accueil n'a pas su mettre en marche la boucle magnétique le jour de l'audit.",
        ],
    },
    Topic {
        id: "horaires_affiches_coherents",
        places: &["m1:1"],
        pp: &[
            "Harmoniser les horaires affichés sur site avec ceux publiés sur le site internet.",
            "Mettre en cohérence les horaires d'ouverture affichés à l'entrée et ceux indiqués en ligne.",
            "Veiller à ce que les horaires indiqués sur le site internet correspondent à l'affichage sur place.",
            "Aligner l'affichage des horaires d'accueil sur les informations diffusées sur internet.",
        ],
        ps: &[
            "Les horaires affichés à l'entrée ne correspondent pas à ceux du site internet.",
            "Les horaires d'ouverture publiés en ligne diffèrent de ceux affichés sur place.",
            "L'affichage des horaires à l'accueil contredit les informations du site internet.",
            "Des écarts existent entre les horaires indiqués sur internet et ceux de l'affichage.",
        ],
    },
    Topic {
        id: "affichages_controle",
        places: &["m1:1"],
        pp: &[
            "Contrôler chaque trimestre les affichages relatifs aux horaires et aux conditions d'accès aux services.",
            "Vérifier régulièrement que les affichages de l'accueil sont à jour et retirer les documents périmés.",
            "Tenir à jour la liste des affichages obligatoires et en contrôler périodiquement la présence.",
            "Instaurer une revue périodique des informations affichées dans le hall d'accueil.",
        ],
        ps: &[
            "Plusieurs affichages relatifs aux conditions d'accueil sont obsolètes.",
            "La liste des affichages à contrôler n'est pas tenue à jour.",
            "Les affichages du hall ne font l'objet d'aucune vérification périodique.",
            "Des documents périmés restent affichés à l'accueil.",
        ],
    },
    Topic {
        id: "fiche_google",
        places: &["m1:1"],
        pp: &[
            "S'assurer que les informations de la page Google de la préfecture sont à jour.",
            "Mettre à jour la fiche Google de la préfecture (horaires, adresse, accès).",
            "Corriger les informations erronées de la fiche d'établissement Google.",
            "Vérifier périodiquement les renseignements que Google donne sur la préfecture.",
        ],
        ps: &[
            "Les informations publiées sur la fiche Google de la préfecture sont erronées.",
            "La fiche Google de la préfecture n'est pas à jour.",
            "Les horaires indiqués sur Google ne sont pas ceux de la préfecture.",
            "Personne n'est chargé d'actualiser la page Google de l'établissement.",
        ],
    },
    Topic {
        id: "signaletique_interieure",
        places: &["m1:5", "m1:6"],
        pp: &[
            "Améliorer la signalétique intérieure pour faciliter l'orientation des usagers vers les guichets.",
            "Renforcer la signalétique des différents espaces d'accueil et d'attente.",
            "Revoir le fléchage intérieur du bâtiment afin que le public trouve facilement les guichets.",
            "Compléter les panneaux d'orientation dans le hall pour guider les usagers jusqu'aux bureaux.",
        ],
        ps: &[
            "La signalétique ne permet pas aux usagers de s'orienter facilement dans le bâtiment.",
            "La signalétique intérieure est incomplète et en partie obsolète.",
            "Le fléchage vers les guichets est insuffisant.",
            "Les usagers peinent à trouver les bureaux faute de panneaux d'orientation dans le hall.",
        ],
    },
    Topic {
        id: "signaletique_exterieure",
        places: &["m1:5", "m1:6"],
        pp: &[
            "Compléter la signalétique extérieure indiquant l'entrée dédiée à l'accueil du public.",
            "Signaler clairement depuis la rue l'entrée réservée au public.",
            "Installer un panneau extérieur indiquant l'accès du public à la préfecture.",
            "Améliorer le fléchage extérieur menant à l'entrée des usagers.",
        ],
        ps: &[
            "L'entrée réservée au public n'est pas clairement signalée depuis la rue.",
            "Aucun panneau extérieur n'indique l'entrée des usagers.",
            "La signalétique extérieure ne permet pas de repérer l'accès du public.",
            "Depuis la voie publique, l'entrée de l'accueil est difficile à identifier.",
        ],
    },
    Topic {
        id: "signaletique_pan",
        places: &["m1:6", "m1:15"],
        pp: &[
            "Revoir le fléchage menant au point d'accueil numérique.",
            "Signaler le point d'accueil numérique dès l'entrée du hall.",
            "Indiquer par un panneau l'emplacement du point numérique.",
            "Rendre le PAN visible grâce à une signalétique dédiée.",
        ],
        ps: &[
            "Le point d'accueil numérique n'est pas signalé dans le hall.",
            "Aucun panneau n'indique l'emplacement du point numérique.",
            "Le PAN est difficile à trouver faute de fléchage.",
            "Les usagers ne repèrent pas le point d'accueil numérique depuis l'entrée.",
        ],
    },
    Topic {
        id: "temps_attente_mesure",
        places: &["m1:7"],
        pp: &[
            "Mesurer régulièrement le temps d'attente à l'accueil et en exploiter les résultats.",
            "Mettre en place un relevé périodique des temps d'attente aux guichets.",
            "Suivre chaque mois la durée d'attente des usagers à l'accueil.",
            "Instaurer un indicateur du temps d'attente aux guichets.",
        ],
        ps: &[
            "Le temps d'attente à l'accueil n'est pas mesuré.",
            "Aucun indicateur ne permet de suivre l'attente des usagers aux guichets.",
            "La durée d'attente aux guichets ne fait l'objet d'aucun relevé.",
            "Les temps d'attente des usagers ne sont pas suivis.",
        ],
    },
    Topic {
        id: "file_attente_donnees",
        places: &["m1:7"],
        pp: &[
            "Exploiter les données du système de gestion de file d'attente pour adapter l'organisation.",
            "Utiliser les statistiques du logiciel de gestion des flux pour ajuster l'ouverture des guichets.",
            "Analyser les données de la file d'attente afin d'adapter les effectifs aux heures d'affluence.",
            "Tirer parti des statistiques du gestionnaire de file d'attente pour organiser l'accueil.",
        ],
        ps: &[
            "Les données de la gestion de file d'attente ne sont pas exploitées.",
            "Les statistiques du logiciel de gestion des flux ne sont pas utilisées.",
            "L'organisation des guichets ne tient pas compte des données de la file d'attente.",
            "Les relevés du système de file d'attente ne font l'objet d'aucune analyse.",
        ],
    },
    Topic {
        id: "svi_messages_a_jour",
        places: &["m1:8", "m1:9"],
        pp: &[
            "Actualiser les messages du serveur vocal interactif à chaque changement d'horaires.",
            "Prévoir une revue périodique des messages diffusés par le SVI.",
            "Mettre à jour les annonces du standard vocal dès qu'une information change.",
            "Vérifier régulièrement que les messages enregistrés sur le SVI sont à jour.",
        ],
        ps: &[
            "Les messages du serveur vocal ne sont pas à jour.",
            "Aucune revue des messages du serveur vocal n'est organisée.",
            "Le SVI diffuse des informations périmées.",
            "Les annonces du serveur vocal mentionnent d'anciens horaires.",
        ],
    },
    Topic {
        id: "svi_numero_national",
        places: &["m1:8", "m1:9"],
        pp: &[
            "Mentionner le numéro national dédié aux titres dans les messages du serveur vocal.",
            "Ajouter au message du SVI le numéro national pour les demandes de titres.",
            "Indiquer aux appelants, dans l'annonce du serveur vocal, le numéro d'appel national relatif aux titres.",
            "Orienter les usagers vers le numéro national des titres dès le message d'accueil téléphonique.",
        ],
        ps: &[
            "Le serveur vocal interactif ne mentionne pas le numéro national dédié aux titres.",
            "Le numéro national pour les titres n'est pas indiqué aux appelants.",
            "Le message du SVI n'oriente pas vers le numéro national des titres.",
            "Les appelants ne sont pas informés de l'existence du numéro national dédié aux titres.",
        ],
    },
    Topic {
        id: "svi_arborescence",
        places: &["m1:8", "m1:9"],
        pp: &[
            "Simplifier l'arborescence du serveur vocal interactif pour limiter le nombre de choix.",
            "Réduire le nombre de niveaux du menu du SVI.",
            "Revoir l'arborescence du serveur vocal afin qu'elle soit plus simple pour les appelants.",
            "Alléger le menu vocal en diminuant les options proposées.",
        ],
        ps: &[
            "L'arborescence du SVI comporte trop de niveaux pour être comprise des usagers.",
            "Le menu du serveur vocal propose trop de choix.",
            "Les appelants se perdent dans l'arborescence du serveur vocal interactif.",
            "Le nombre d'options du menu vocal est excessif.",
        ],
    },
    Topic {
        id: "taux_decroche_suivi",
        places: &["m1:10"],
        pp: &[
            "Suivre mensuellement le taux de décroché du standard et des services.",
            "Mettre en place un indicateur de qualité de l'accueil téléphonique dans chaque service.",
            "Mesurer chaque mois la part des appels décrochés par le standard et les services.",
            "Instaurer un suivi du taux de réponse téléphonique dans tous les services.",
        ],
        ps: &[
            "Le taux de décroché n'est pas suivi dans les services.",
            "Aucun indicateur ne mesure la qualité de l'accueil téléphonique.",
            "La proportion d'appels décrochés n'est pas mesurée.",
            "Le taux de réponse aux appels n'est pas suivi par les services.",
        ],
    },
    Topic {
        id: "standard_affluence",
        places: &["m1:10"],
        pp: &[
            "Renforcer le standard aux heures de forte affluence des appels.",
            "Exploiter les statistiques de l'autocommutateur pour adapter les plages de permanence téléphonique.",
            "Adapter les effectifs du standard aux pics d'appels identifiés.",
            "Prévoir des agents supplémentaires au standard lors des périodes de forte affluence téléphonique.",
        ],
        ps: &[
            "De nombreux appels restent sans réponse aux heures d'affluence.",
            "Les statistiques téléphoniques ne sont pas exploitées pour organiser les permanences.",
            "Le standard est sous-dimensionné aux heures de pointe.",
            "Les effectifs du standard ne sont pas adaptés aux pics d'appels.",
        ],
    },
    Topic {
        id: "site_relecture",
        places: &["m1:11", "m1:12"],
        pp: &[
            "Organiser une relecture périodique des pages du site internet par chaque service contributeur.",
            "Pérenniser la tenue de groupes de lecture par service pour la mise à jour régulière des contenus.",
            "Formaliser un calendrier de mise à jour des rubriques du site internet.",
            "Faire relire régulièrement par les services les contenus du site qui les concernent.",
        ],
        ps: &[
            "La mise à jour des contenus du site n'est pas organisée.",
            "Plusieurs pages du site internet comportent des informations obsolètes.",
            "Les rubriques du site ne sont pas relues régulièrement par les services.",
            "Aucun calendrier de mise à jour des pages du site n'existe.",
        ],
    },
    Topic {
        id: "site_contributeurs",
        places: &["m1:11", "m1:12"],
        pp: &[
            "Désigner dans chaque service un contributeur chargé de l'actualisation des pages du site.",
            "Nommer un référent web par service pour tenir à jour ses rubriques.",
            "Identifier dans chaque direction un correspondant responsable des contenus du site internet.",
            "Confier à un agent de chaque service la mise à jour de ses pages internet.",
        ],
        ps: &[
            "Aucun contributeur n'est désigné pour certaines rubriques du site internet.",
            "Certains services n'ont pas de correspondant pour les contenus du site.",
            "La mise à jour des pages du site ne repose sur aucun référent identifié dans les services.",
            "Plusieurs rubriques du site internet n'ont pas de responsable.",
        ],
    },
    Topic {
        id: "liens_morts",
        places: &["m1:11", "m1:12"],
        pp: &[
            "Supprimer les liens morts du site internet.",
            "Vérifier régulièrement les liens du site et corriger ceux qui ne fonctionnent plus.",
            "Contrôler la validité des liens internet chaque trimestre.",
            "Corriger les liens brisés des pages du site.",
        ],
        ps: &[
            "Des liens du site internet renvoient vers des pages qui n'existent plus.",
            "Le site comporte des liens morts.",
            "Plusieurs liens des pages du site sont inactifs.",
            "La validité des liens du site internet n'est pas contrôlée.",
        ],
    },
    Topic {
        id: "guide_demarches_en_ligne",
        places: &["m1:13", "m1:14"],
        pp: &[
            "Mettre à disposition des usagers un guide des démarches en ligne.",
            "Compléter le site internet par des tutoriels sur les démarches dématérialisées.",
            "Proposer aux usagers des fiches pratiques expliquant pas à pas les téléprocédures.",
            "Rédiger un guide d'utilisation des démarches dématérialisées à l'intention du public.",
        ],
        ps: &[
            "Aucun tutoriel n'accompagne les usagers dans leurs démarches dématérialisées.",
            "Il n'existe pas de guide des démarches en ligne pour les usagers.",
            "Les téléprocédures ne sont expliquées par aucune fiche pratique.",
            "Le public ne dispose d'aucun mode d'emploi des démarches en ligne.",
        ],
    },
    Topic {
        id: "demarches_en_ligne_visibles",
        places: &["m1:13", "m1:14"],
        pp: &[
            "Valoriser sur la page d'accueil du site les démarches réalisables en ligne.",
            "Regrouper dans une rubrique unique l'information sur les démarches en ligne.",
            "Rendre les téléprocédures accessibles dès la page d'accueil du site internet.",
            "Mettre en avant les démarches dématérialisées sur la page d'accueil.",
        ],
        ps: &[
            "Les démarches en ligne ne sont pas présentées de manière lisible sur le site.",
            "L'information sur les démarches en ligne est dispersée entre plusieurs rubriques.",
            "Les usagers ne trouvent pas facilement les téléprocédures disponibles.",
            "La page d'accueil du site ne met pas en avant les démarches dématérialisées.",
        ],
    },
    Topic {
        id: "pan_mediateur",
        places: &["m1:15"],
        pp: &[
            "Assurer la présence d'un médiateur numérique sur l'ensemble des plages d'ouverture du PAN.",
            "Renforcer l'accompagnement des usagers au point d'accueil numérique.",
            "Garantir un accompagnement humain au point numérique pendant toutes ses heures d'ouverture.",
            "Affecter un médiateur au point d'accueil numérique sur toutes les plages horaires.",
        ],
        ps: &[
            "Le point d'accueil numérique n'est pas accompagné par un médiateur sur toutes les plages d'ouverture.",
            "Les usagers du PAN ne bénéficient pas d'un accompagnement suffisant.",
            "Aucun médiateur n'est présent au point numérique une partie de la journée.",
            "L'accompagnement au point d'accueil numérique n'est pas assuré sur toutes les heures d'ouverture.",
        ],
    },
    Topic {
        id: "pan_volontaires_tutorat",
        places: &["m1:15"],
        pp: &[
            "Formaliser le tutorat des volontaires du service civique affectés au point numérique.",
            "Désigner un tuteur pour les jeunes en service civique qui accompagnent les usagers au PAN.",
            "Organiser l'encadrement des volontaires en service civique du point d'accueil numérique.",
            "Encadrer par un tutorat formalisé les services civiques présents au point numérique.",
        ],
        ps: &[
            "Le tutorat des volontaires du point d'accueil numérique n'est pas formalisé.",
            "Les volontaires en service civique du PAN n'ont pas de tuteur désigné.",
            "L'encadrement des services civiques du point numérique n'est pas organisé.",
            "Aucun tuteur n'accompagne les volontaires affectés au point d'accueil numérique.",
        ],
    },
    Topic {
        id: "pan_equipement",
        places: &["m1:15"],
        pp: &[
            "Assurer la maintenance du poste informatique du point d'accueil numérique.",
            "Vérifier chaque semaine le bon fonctionnement des équipements du PAN.",
            "Prévoir une procédure de dépannage rapide du poste du point numérique.",
            "Contrôler régulièrement que l'ordinateur et l'imprimante du point numérique fonctionnent.",
        ],
        ps: &[
            "Le poste du point numérique était hors service le jour de l'audit.",
            "L'ordinateur du point d'accueil numérique est régulièrement en panne.",
            "Les équipements du PAN ne font l'objet d'aucune maintenance.",
            "L'imprimante et le scanner du point numérique ne fonctionnaient pas.",
        ],
    },
    Topic {
        id: "reponses_types_a_jour",
        places: &["m1:16"],
        pp: &[
            "S'assurer que le fichier de réponses types du bureau du courrier est mis à jour.",
            "Actualiser les modèles de réponses types utilisés pour les courriels des usagers.",
            "Prévoir une revue annuelle des courriers types adressés aux usagers.",
            "Réviser périodiquement les lettres types pour corriger les informations périmées.",
        ],
        ps: &[
            "Les réponses types utilisées par le bureau du courrier ne sont pas à jour.",
            "Certaines réponses types contiennent des informations erronées.",
            "Les courriers types n'ont pas été revus depuis la réorganisation des services.",
            "Les modèles de lettres adressés aux usagers comportent des mentions périmées.",
        ],
    },
    Topic {
        id: "reponses_types_partage",
        places: &["m1:16"],
        pp: &[
            "Partager le fichier des réponses types avec l'ensemble des services concernés.",
            "Mettre les modèles de courriers à la disposition de tous les services sur un espace commun.",
            "Diffuser aux services la bibliothèque de réponses types.",
            "Mutualiser entre les services les courriers types utilisés pour répondre aux usagers.",
        ],
        ps: &[
            "Les modèles de courriers ne sont pas partagés entre les services.",
            "Chaque service utilise ses propres réponses types sans mise en commun.",
            "Le fichier des réponses types n'est pas accessible à tous les services.",
            "Les courriers types ne sont pas mutualisés entre services.",
        ],
    },
    Topic {
        id: "delai_courriels_suivi",
        places: &["m1:17", "m4:36"],
        pp: &[
            "Suivre le délai de réponse aux courriels et en rendre compte en comité de pilotage.",
            "Mettre en place un indicateur du délai de réponse aux courriels des usagers.",
            "Mesurer le temps de réponse aux messages électroniques reçus des usagers.",
            "Contrôler chaque mois le délai dans lequel les courriels reçoivent une réponse.",
        ],
        ps: &[
            "Le délai de réponse aux courriels n'est pas mesuré.",
            "Aucun indicateur ne suit le temps de réponse aux messages des usagers.",
            "Le délai de réponse aux mails n'est pas contrôlé.",
            "Les délais de réponse aux courriels ne font l'objet d'aucun suivi.",
        ],
    },
    Topic {
        id: "delai_courriels_respect",
        places: &["m1:17", "m4:36"],
        pp: &[
            "Respecter le délai de réponse de quinze jours annoncé pour les courriels.",
            "Répondre aux courriels des usagers dans le délai affiché.",
            "Réduire le délai de réponse aux courriels pour tenir l'engagement de service.",
            "Traiter les messages électroniques dans les délais prévus par le référentiel.",
        ],
        ps: &[
            "Plusieurs courriels tests sont restés sans réponse dans le délai annoncé.",
            "Les délais de réponse aux courriels dépassent l'engagement affiché.",
            "Le délai de réponse aux messages électroniques n'est pas respecté.",
            "Certains courriels reçoivent une réponse au-delà de quinze jours.",
        ],
    },
    Topic {
        id: "accuse_reception",
        places: &["m1:17", "m4:36"],
        pp: &[
            "Envoyer systématiquement un accusé de réception annonçant le délai de réponse.",
            "Accuser réception de chaque courriel reçu en indiquant le délai de traitement.",
            "Mettre en place une réponse automatique confirmant la réception des messages des usagers.",
            "Adresser aux usagers un accusé de réception automatique pour toute demande électronique.",
        ],
        ps: &[
            "Aucun accusé de réception n'est envoyé aux usagers.",
            "Les courriels des usagers ne font pas l'objet d'un accusé de réception.",
            "Aucune réponse automatique ne confirme la réception des messages.",
            "Les usagers ne sont pas informés de la bonne réception de leur demande électronique.",
        ],
    },
    Topic {
        id: "outil_suivi_courriers",
        places: &["m1:18"],
        pp: &[
            "Généraliser l'utilisation de l'outil de suivi des courriers à l'ensemble des services.",
            "Étendre à tous les services l'usage du logiciel d'enregistrement du courrier.",
            "Faire utiliser par chaque service l'application de suivi du courrier.",
            "Déployer l'outil de traçabilité des courriers dans les services qui ne l'utilisent pas encore.",
        ],
        ps: &[
            "L'outil de suivi des courriers n'est utilisé que par une partie des services.",
            "Plusieurs services n'utilisent pas le logiciel d'enregistrement du courrier.",
            "L'application de suivi du courrier n'est pas déployée dans tous les services.",
            "Certains services n'enregistrent pas leurs courriers dans l'outil commun.",
        ],
    },
    Topic {
        id: "demandes_information_tracees",
        places: &["m1:18"],
        pp: &[
            "Assurer la traçabilité des demandes d'information reçues par courriel dans un tableau partagé.",
            "Enregistrer toutes les demandes d'information afin d'en suivre le traitement.",
            "Tenir un registre des demandes de renseignements adressées par mail.",
            "Consigner chaque demande d'information des usagers pour pouvoir en suivre la réponse.",
        ],
        ps: &[
            "Les demandes d'information reçues par courriel ne sont pas tracées.",
            "Certaines demandes d'information ne sont enregistrées dans aucun outil.",
            "Aucun registre ne recense les demandes de renseignements reçues par mail.",
            "Le traitement des demandes d'information des usagers n'est pas suivi.",
        ],
    },
    Topic {
        id: "reseaux_plan_communication",
        places: &["m1:19"],
        pp: &[
            "Etudier la possibilité de mettre en place un plan de communication dédié aux réseaux sociaux.",
            "Formaliser une stratégie de communication sur les réseaux sociaux de la préfecture.",
            "Définir une ligne éditoriale pour les réseaux sociaux de la préfecture.",
            "Rédiger un plan de communication encadrant la présence de la préfecture sur les réseaux sociaux.",
        ],
        ps: &[
            "Aucun plan de communication n'encadre la présence de la préfecture sur les réseaux sociaux.",
            "La préfecture ne dispose pas de ligne éditoriale pour les réseaux sociaux.",
            "La stratégie de communication sur les réseaux sociaux n'est pas formalisée.",
            "Les réseaux sociaux sont animés sans plan de communication.",
        ],
    },
    Topic {
        id: "reseaux_calendrier",
        places: &["m1:19"],
        pp: &[
            "Elaborer un planning de publications sur les réseaux sociaux partagé avec les services.",
            "Définir un calendrier de publication sur les réseaux sociaux.",
            "Programmer à l'avance, avec les services, les publications sur les réseaux sociaux.",
            "Tenir un calendrier éditorial des messages à publier sur les comptes de la préfecture.",
        ],
        ps: &[
            "Les publications sur les réseaux sociaux sont irrégulières.",
            "Aucun calendrier de publication n'existe pour les réseaux sociaux.",
            "Les messages publiés sur les réseaux sociaux ne sont pas planifiés.",
            "Les services ne sont pas associés à la programmation des publications.",
        ],
    },
    Topic {
        id: "reseaux_equipements",
        places: &["m1:20"],
        pp: &[
            "Doter les agents chargés des réseaux sociaux d'équipements professionnels.",
            "Cesser l'animation des réseaux sociaux depuis les téléphones personnels des agents.",
            "Prévoir des outils professionnels dédiés à la publication sur les réseaux sociaux.",
            "Fournir un smartphone de service aux agents qui animent les comptes de la préfecture.",
        ],
        ps: &[
            "L'animation des réseaux sociaux se fait avec les outils personnels des agents.",
            "Les publications sont réalisées depuis les téléphones personnels des agents.",
            "Aucun équipement professionnel n'est dédié à l'animation des réseaux sociaux.",
            "Les agents utilisent leur propre smartphone pour publier sur les comptes de la préfecture.",
        ],
    },
    Topic {
        id: "reseaux_comptes_separes",
        places: &["m1:20"],
        pp: &[
            "Séparer strictement les comptes institutionnels des comptes personnels des agents.",
            "Distinguer clairement les comptes de la préfecture des comptes privés de ses agents.",
            "Gérer les comptes officiels sans les rattacher aux profils personnels des agents.",
            "Veiller à ce qu'aucun compte institutionnel ne soit lié au compte personnel d'un agent.",
        ],
        ps: &[
            "Il existe un risque de confusion entre les comptes de la préfecture et les comptes personnels.",
            "Les comptes institutionnels sont rattachés aux profils personnels des agents.",
            "Les comptes officiels et les comptes privés des agents ne sont pas séparés.",
            "Un compte de la préfecture est administré depuis le profil personnel d'un agent.",
        ],
    },
    Topic {
        id: "formation_handicap",
        places: &["pil:3", "m1:4", "m1:2"],
        pp: &[
            "Planifier dans les meilleurs délais la formation pour l'accueil des usagers en situation de handicap.",
            "Former les agents d'accueil à la prise en charge des personnes en situation de handicap.",
            "Programmer une session de sensibilisation à l'accueil des publics handicapés.",
            "Inscrire la formation à l'accueil des personnes handicapées au plan de formation.",
        ],
        ps: &[
            "Les agents d'accueil n'ont pas été formés à l'accueil des personnes en situation de handicap.",
            "La formation à l'accueil des publics en situation de handicap n'a pas été programmée.",
            "Aucun agent de l'accueil n'a suivi de sensibilisation au handicap.",
            "L'accueil des personnes handicapées ne fait l'objet d'aucune formation.",
        ],
    },
    Topic {
        id: "tutorat_formalise",
        places: &["pil:3", "m1:4", "m6:45"],
        pp: &[
            "Formaliser le tutorat des nouveaux agents en utilisant le support prévu.",
            "Généraliser l'utilisation de la fiche de suivi du tutorat dans tous les services.",
            "Assurer la traçabilité du tutorat des nouveaux arrivants.",
            "Consigner le déroulement du tutorat des nouveaux agents sur la fiche prévue à cet effet.",
        ],
        ps: &[
            "Le tutorat des nouveaux agents n'est pas formalisé.",
            "Le support de suivi du tutorat n'est pas utilisé par les services.",
            "Aucune trace du tutorat des nouveaux arrivants n'a pu être présentée.",
            "La fiche de suivi du tutorat n'est pas renseignée.",
        ],
    },
    Topic {
        id: "tuteur_designe",
        places: &["pil:3", "m1:4", "m6:45"],
        pp: &[
            "Désigner un tuteur pour chaque nouvel agent affecté à l'accueil du public.",
            "Attribuer systématiquement un tuteur aux agents nouvellement arrivés à l'accueil.",
            "Prévoir qu'un agent expérimenté accompagne chaque nouvel arrivant dès sa prise de poste.",
            "Nommer un référent chargé d'accompagner chaque nouvel agent d'accueil.",
        ],
        ps: &[
            "Les nouveaux agents prennent leur poste sans tuteur désigné.",
            "Aucun tuteur n'est attribué aux agents nouvellement affectés à l'accueil.",
            "Les nouveaux arrivants ne sont accompagnés par aucun agent expérimenté.",
            "La désignation d'un tuteur pour les nouveaux agents n'est pas systématique.",
        ],
    },
    Topic {
        id: "livret_accueil",
        places: &["pil:3", "pil:4"],
        pp: &[
            "Mettre à jour le livret d'accueil remis aux nouveaux arrivants.",
            "Actualiser le guide d'accueil des nouveaux agents.",
            "Réviser le livret remis aux agents nouvellement affectés, dont le contenu est ancien.",
            "Tenir à jour le livret d'accueil distribué aux nouveaux arrivants.",
        ],
        ps: &[
            "Le livret d'accueil des nouveaux arrivants n'est pas à jour.",
            "Le guide remis aux nouveaux agents contient des informations anciennes.",
            "Le livret d'accueil n'a pas été actualisé depuis plusieurs années.",
            "Les nouveaux arrivants reçoivent un livret d'accueil obsolète.",
        ],
    },
    Topic {
        id: "qualite_presentee_nouveaux",
        places: &["pil:3", "pil:4"],
        pp: &[
            "Présenter systématiquement le référentiel qualité aux nouveaux agents.",
            "Organiser une demi-journée d'accueil des nouveaux arrivants présentant la démarche qualité.",
            "Sensibiliser chaque nouvel arrivant à la démarche qualité dès son arrivée.",
            "Inclure une présentation de Qual-e-pref dans le parcours d'intégration des nouveaux agents.",
        ],
        ps: &[
            "Les nouveaux agents ne sont pas sensibilisés à la démarche qualité.",
            "Le référentiel qualité n'est pas présenté aux nouveaux arrivants.",
            "Le parcours d'intégration ne comporte aucune présentation de la démarche qualité.",
            "Les agents récemment arrivés ignorent le référentiel Qual-e-pref.",
        ],
    },
    Topic {
        id: "visites_integration",
        places: &["pil:3", "pil:4"],
        pp: &[
            "Relancer les visites d'intégration des nouveaux agents dans les services.",
            "Reprendre l'organisation des visites des services pour les nouveaux arrivants.",
            "Organiser de nouveau la découverte des services par les agents récemment affectés.",
            "Remettre en place les visites d'intégration destinées aux nouveaux agents.",
        ],
        ps: &[
            "Les visites d'intégration des nouveaux agents ne sont plus organisées.",
            "L'intégration des nouveaux arrivants n'est plus organisée par des visites des services.",
            "Les nouveaux arrivants ne visitent plus les services.",
            "Les visites de découverte des services ont été abandonnées.",
        ],
    },
    Topic {
        id: "indicateurs_copil",
        places: &["pil:4", "lab:1", "pil:1"],
        pp: &[
            "Présenter les indicateurs qualité en comité de pilotage avec leur évolution.",
            "Etudier la possibilité d'intégrer un suivi des indicateurs Qual-e-pref aux réunions trimestrielles.",
            "Inscrire le suivi des indicateurs du référentiel à l'ordre du jour du COPIL.",
            "Examiner les indicateurs qualité à chaque réunion du comité de pilotage.",
        ],
        ps: &[
            "Les indicateurs du référentiel ne sont pas suivis en comité de pilotage.",
            "Le comité de pilotage n'examine pas les indicateurs qualité.",
            "Le suivi des indicateurs Qual-e-pref n'est pas présenté en réunion.",
            "Les indicateurs qualité ne figurent pas à l'ordre du jour du COPIL.",
        ],
    },
    Topic {
        id: "indicateurs_tableau_bord",
        places: &["pil:4", "lab:1", "pil:1"],
        pp: &[
            "Formaliser un tableau de bord des indicateurs du référentiel.",
            "Construire un tableau de bord regroupant les indicateurs qualité.",
            "Tenir à jour un tableau de suivi de l'ensemble des indicateurs Qual-e-pref.",
            "Rassembler les indicateurs du référentiel dans un tableau de bord unique.",
        ],
        ps: &[
            "Le tableau de bord des indicateurs qualité n'est pas à jour.",
            "Il n'existe pas de tableau de bord des indicateurs du référentiel.",
            "Les indicateurs Qual-e-pref sont dispersés dans plusieurs fichiers.",
            "Aucun tableau de suivi ne regroupe les indicateurs qualité.",
        ],
    },
    Topic {
        id: "indicateurs_analyse",
        places: &["pil:4", "lab:1", "pil:1"],
        pp: &[
            "Proposer une analyse des indicateurs d'année en année pour les prochains bilans.",
            "Comparer l'évolution des indicateurs qualité d'une année sur l'autre.",
            "Analyser les tendances des indicateurs du référentiel pour en tirer des actions.",
            "Exploiter les indicateurs qualité pour définir des actions d'amélioration.",
        ],
        ps: &[
            "Aucune analyse de l'évolution des indicateurs n'est réalisée.",
            "Les indicateurs qualité ne sont pas exploités pour définir des actions.",
            "L'évolution annuelle des indicateurs du référentiel n'est pas étudiée.",
            "Les résultats des indicateurs ne donnent lieu à aucune analyse.",
        ],
    },
    Topic {
        id: "lettre_information_qualite",
        places: &["pil:4"],
        pp: &[
            "Diffuser régulièrement une lettre d'information sur la démarche qualité.",
            "Relancer les notes d'information qualité à destination des agents.",
            "Reprendre la publication d'un bulletin interne consacré à la qualité.",
            "Informer périodiquement les agents de l'avancement de la démarche qualité par une lettre interne.",
        ],
        ps: &[
            "La lettre d'information qualité n'est plus diffusée.",
            "Aucune communication interne sur la qualité n'a été faite depuis le dernier audit.",
            "Le bulletin interne sur la qualité a cessé de paraître.",
            "Les agents ne reçoivent plus de notes d'information sur la démarche qualité.",
        ],
    },
    Topic {
        id: "resultats_audits_agents",
        places: &["pil:4"],
        pp: &[
            "Informer les agents des résultats des audits et des enquêtes de satisfaction.",
            "Communiquer aux agents les conclusions des audits qualité.",
            "Partager avec l'ensemble du personnel les résultats des audits et des enquêtes.",
            "Restituer aux équipes les résultats de l'audit de labellisation.",
        ],
        ps: &[
            "Les agents ne sont pas informés des résultats de la démarche qualité.",
            "Les conclusions des audits ne sont pas communiquées au personnel.",
            "Les résultats des enquêtes de satisfaction ne sont pas partagés avec les agents.",
            "Aucune restitution de l'audit n'a été faite aux équipes.",
        ],
    },
    Topic {
        id: "comite_usagers_reunion",
        places: &["pil:5"],
        pp: &[
            "Réunir le comité local des usagers au moins une fois par an.",
            "Tenir une réunion annuelle du comité local des usagers.",
            "Convoquer le CLU chaque année.",
            "Programmer au minimum une séance par an du comité des usagers.",
        ],
        ps: &[
            "Le comité local des usagers ne s'est pas réuni depuis plus d'un an.",
            "Aucune réunion du CLU n'a été organisée cette année.",
            "Le comité des usagers n'a pas été convoqué depuis le dernier audit.",
            "Les réunions du comité local des usagers ne sont pas annuelles.",
        ],
    },
    Topic {
        id: "comite_usagers_composition",
        places: &["pil:5"],
        pp: &[
            "Elargir la composition du comité local des usagers à de nouvelles associations.",
            "Ouvrir le comité des usagers à davantage d'associations représentatives.",
            "Associer de nouveaux partenaires associatifs au CLU.",
            "Diversifier les membres du comité local des usagers.",
        ],
        ps: &[
            "La composition du comité local des usagers est restreinte.",
            "Peu d'associations sont représentées au comité des usagers.",
            "Le CLU ne compte que quelques membres, toujours les mêmes.",
            "Les membres du comité local des usagers ne sont pas assez diversifiés.",
        ],
    },
    Topic {
        id: "comite_usagers_compte_rendu",
        places: &["pil:5"],
        pp: &[
            "Diffuser le compte rendu du comité local des usagers sur le site internet.",
            "Publier en ligne le relevé de décisions du CLU.",
            "Mettre à disposition du public le compte rendu des réunions du comité des usagers.",
            "Rendre accessible sur le site de la préfecture la synthèse des travaux du comité local des usagers.",
        ],
        ps: &[
            "Le compte rendu du comité des usagers n'a pas été diffusé.",
            "Le relevé de décisions du CLU n'est pas publié.",
            "Les comptes rendus du comité local des usagers ne sont pas accessibles au public.",
            "Aucune synthèse des réunions du comité des usagers n'est mise en ligne.",
        ],
    },
    Topic {
        id: "procedures_revues",
        places: &["pil:2", "*"],
        pp: &[
            "Réviser les procédures qualité à la suite de la réorganisation des services.",
            "Mettre en place une revue annuelle de la documentation qualité.",
            "Mettre à jour les procédures qui ne correspondent plus à l'organisation actuelle.",
            "Relire chaque année l'ensemble des documents qualité pour les actualiser.",
        ],
        ps: &[
            "Plusieurs procédures ne sont plus à jour depuis la réorganisation des services.",
            "La documentation qualité n'a pas été revue depuis le dernier audit.",
            "Les procédures ne reflètent pas l'organisation actuelle des services.",
            "Aucune revue périodique des documents qualité n'est organisée.",
        ],
    },
    Topic {
        id: "procedures_versions",
        places: &["pil:2", "*"],
        pp: &[
            "Identifier clairement la version en vigueur de chaque procédure.",
            "Supprimer du serveur partagé les versions obsolètes des procédures.",
            "Archiver les anciennes versions des documents qualité pour ne laisser accessible que la version applicable.",
            "Indiquer sur chaque procédure son numéro de version et sa date d'application.",
        ],
        ps: &[
            "La gestion documentaire ne permet pas d'identifier les versions en vigueur.",
            "Des versions obsolètes de procédures restent accessibles aux agents.",
            "Plusieurs versions d'une même procédure coexistent sur le serveur partagé.",
            "Les procédures ne portent ni numéro de version ni date d'application.",
        ],
    },
    Topic {
        id: "referent_lettre_mission",
        places: &["pil:1"],
        pp: &[
            "Actualiser la lettre de mission du référent qualité.",
            "Formaliser par une lettre de mission le rôle du référent qualité et de son suppléant.",
            "Faire signer une lettre de mission précisant les attributions du référent qualité.",
            "Établir une lettre de mission à jour pour le responsable qualité.",
        ],
        ps: &[
            "La lettre de mission du référent qualité n'est pas signée.",
            "Le rôle du référent qualité n'est formalisé par aucune lettre de mission.",
            "La lettre de mission du référent qualité est ancienne et ne reflète plus ses attributions.",
            "Aucune lettre de mission ne définit les attributions du référent qualité.",
        ],
    },
    Topic {
        id: "referent_suppleant",
        places: &["pil:1"],
        pp: &[
            "Désigner un suppléant au référent qualité.",
            "Nommer un adjoint capable de remplacer le référent qualité en son absence.",
            "Prévoir la suppléance du référent qualité.",
            "Identifier un agent chargé de seconder et de suppléer le référent qualité.",
        ],
        ps: &[
            "Aucun suppléant du référent qualité n'a été désigné.",
            "La suppléance du référent qualité n'est pas organisée.",
            "En l'absence du référent qualité, personne n'assure le relais.",
            "Le référent qualité n'a pas d'adjoint désigné.",
        ],
    },
    Topic {
        id: "referent_temps",
        places: &["pil:1"],
        pp: &[
            "Préciser le temps consacré par le référent qualité à la démarche.",
            "Définir la quotité de travail que le référent dédie à la qualité.",
            "Fixer le temps de travail réservé aux missions de référent qualité.",
            "Déterminer la part de son activité que le référent qualité consacre à la démarche.",
        ],
        ps: &[
            "Le temps consacré par le référent à la démarche qualité n'est pas défini.",
            "La quotité de temps du référent qualité dédiée à la démarche n'est pas fixée.",
            "Le référent qualité ne dispose pas d'un temps identifié pour ses missions.",
            "La part d'activité réservée à la qualité n'est pas précisée pour le référent.",
        ],
    },
    Topic {
        id: "plan_actions_pilotes",
        places: &["lab:1", "lab:2", "pil:1", "*"],
        pp: &[
            "Mettre à jour le plan d'actions qualité en précisant les échéances et les pilotes.",
            "Désigner un pilote et fixer une échéance pour chaque action du plan qualité.",
            "Compléter chaque action du plan d'actions par un responsable et une date de réalisation.",
            "Attribuer à chacune des actions du plan qualité un porteur et un délai.",
        ],
        ps: &[
            "Les actions du plan qualité n'ont ni échéance ni pilote.",
            "Le plan d'actions ne précise ni responsables ni dates de réalisation.",
            "Aucun pilote n'est désigné pour les actions du plan qualité.",
            "Les échéances des actions du plan d'actions qualité ne sont pas fixées.",
        ],
    },
    Topic {
        id: "plan_actions_constats",
        places: &["lab:1", "lab:2", "pil:1", "*"],
        pp: &[
            "Intégrer les pistes de progrès de l'audit précédent au plan d'actions qualité.",
            "Compléter le plan d'actions qualité pour répondre aux constats de l'audit.",
            "Reprendre dans le plan d'actions les recommandations formulées lors du dernier audit.",
            "Traduire les constats de l'audit en actions inscrites au plan qualité.",
        ],
        ps: &[
            "Les constats du précédent audit n'ont pas été intégrés au plan d'actions.",
            "Le plan d'actions qualité ne reprend pas les pistes de progrès du dernier audit.",
            "Les recommandations de l'audit n'ont donné lieu à aucune action inscrite au plan.",
            "Le plan d'actions qualité n'a pas été mis à jour depuis le précédent audit.",
        ],
    },
    Topic {
        id: "plan_actions_suivi",
        places: &["lab:1", "lab:2", "pil:1", "*"],
        pp: &[
            "Assurer le suivi du plan d'actions en comité de pilotage.",
            "Faire un point sur l'avancement du plan d'actions à chaque comité de pilotage.",
            "Examiner régulièrement en COPIL l'état de réalisation des actions du plan qualité.",
            "Présenter au comité de pilotage l'avancement du plan d'actions qualité.",
        ],
        ps: &[
            "Le suivi du plan d'actions qualité n'est pas assuré.",
            "L'avancement du plan d'actions n'est pas examiné en comité de pilotage.",
            "Le COPIL ne fait pas le point sur la réalisation des actions du plan qualité.",
            "Aucun suivi de l'état d'avancement des actions qualité n'est présenté.",
        ],
    },
    Topic {
        id: "audits_internes_programme",
        places: &["lab:2"],
        pp: &[
            "Programmer les audits internes sur l'ensemble des modules labellisés.",
            "Etablir un programme pluriannuel d'audits internes.",
            "Planifier des audits internes couvrant tous les modules du référentiel.",
            "Formaliser un calendrier d'audits internes sur plusieurs années.",
        ],
        ps: &[
            "Aucun audit interne n'a été réalisé sur certains modules labellisés.",
            "Le programme d'audits internes n'est pas formalisé.",
            "Les audits internes ne couvrent pas l'ensemble des modules.",
            "Il n'existe pas de planification pluriannuelle des audits internes.",
        ],
    },
    Topic {
        id: "auditeurs_internes",
        places: &["lab:2"],
        pp: &[
            "Former de nouveaux auditeurs internes pour assurer les audits croisés.",
            "Renforcer le vivier d'auditeurs internes formés.",
            "Augmenter le nombre d'agents formés à l'audit interne.",
            "Recruter et former des auditeurs internes supplémentaires.",
        ],
        ps: &[
            "Le nombre d'auditeurs internes formés est insuffisant.",
            "Le vivier d'auditeurs internes est trop restreint.",
            "Trop peu d'agents sont formés à la conduite d'audits internes.",
            "Les audits croisés ne peuvent être assurés faute d'auditeurs formés.",
        ],
    },
    Topic {
        id: "auto_evaluation",
        places: &["lab:2"],
        pp: &[
            "Réaliser l'auto-évaluation annuelle avant chaque audit externe.",
            "Conduire chaque année une auto-évaluation au regard du référentiel.",
            "Procéder à l'autodiagnostic annuel prévu par le référentiel.",
            "Effectuer une auto-évaluation complète en amont de l'audit de labellisation.",
        ],
        ps: &[
            "L'auto-évaluation annuelle n'a pas été réalisée.",
            "Aucune auto-évaluation n'a été conduite avant l'audit.",
            "L'autodiagnostic prévu par le référentiel n'a pas été fait cette année.",
            "L'auto-évaluation au regard du référentiel est incomplète.",
        ],
    },
    Topic {
        id: "legalite_modeles_observations",
        places: &["m4:34"],
        pp: &[
            "Harmoniser la rédaction des observations adressées aux collectivités dans le cadre du contrôle de légalité.",
            "Formaliser des modèles de lettres d'observations motivées.",
            "Rédiger des lettres d'observations types pour le contrôle de légalité.",
            "Uniformiser les courriers d'observations envoyés aux collectivités.",
        ],
        ps: &[
            "Les modèles de lettres d'observations ne sont pas harmonisés.",
            "Les lettres d'observations ne sont pas rédigées selon un modèle commun.",
            "La rédaction des observations de légalité varie selon les agents.",
            "Il n'existe pas de modèle commun de lettre d'observations.",
        ],
    },
    Topic {
        id: "legalite_suites",
        places: &["m4:34"],
        pp: &[
            "Assurer un suivi des suites données aux observations de légalité.",
            "Suivre les réponses des collectivités aux lettres d'observations.",
            "Tracer les suites réservées par les collectivités aux observations du contrôle de légalité.",
            "Vérifier que les observations adressées aux collectivités sont suivies d'effet.",
        ],
        ps: &[
            "Les suites données aux observations de légalité ne sont pas suivies.",
            "Les réponses des collectivités aux lettres d'observations ne sont pas tracées.",
            "Personne ne vérifie si les observations de légalité ont été prises en compte.",
            "Le suivi des observations adressées aux collectivités n'est pas assuré.",
        ],
    },
    Topic {
        id: "legalite_guide_actes",
        places: &["m4:34"],
        pp: &[
            "Mettre à jour le guide des actes transmis au contrôle de légalité.",
            "Actualiser le guide destiné aux collectivités sur la transmission des actes.",
            "Réviser le guide du contrôle de légalité à la lumière des évolutions réglementaires.",
            "Tenir à jour le guide pratique de transmission des actes au contrôle de légalité.",
        ],
        ps: &[
            "Le guide du contrôle de légalité n'est pas à jour.",
            "Le guide de transmission des actes n'intègre pas les dernières évolutions réglementaires.",
            "Le guide remis aux collectivités sur les actes transmis est ancien.",
            "Le guide pratique du contrôle de légalité n'a pas été actualisé.",
        ],
    },
    Topic {
        id: "elus_synthese_budgetaire",
        places: &["m4:35", "m4:36"],
        pp: &[
            "Transmettre aux élus une synthèse annuelle des principaux constats du contrôle budgétaire.",
            "Adresser chaque année aux collectivités un bilan du contrôle budgétaire.",
            "Envoyer aux élus un document annuel récapitulant les constats du contrôle budgétaire.",
            "Informer annuellement les collectivités des principales observations budgétaires.",
        ],
        ps: &[
            "Aucune synthèse annuelle n'est adressée aux collectivités.",
            "Les élus ne reçoivent pas de bilan annuel du contrôle budgétaire.",
            "Les constats du contrôle budgétaire ne sont pas communiqués aux collectivités.",
            "Aucun récapitulatif annuel des observations budgétaires n'est envoyé aux élus.",
        ],
    },
    Topic {
        id: "elus_lettre_information",
        places: &["m4:35", "m4:36"],
        pp: &[
            "Diffuser aux collectivités une lettre d'information périodique.",
            "Informer les élus des évolutions réglementaires par une lettre régulière.",
            "Créer un bulletin d'information à destination des collectivités territoriales.",
            "Adresser périodiquement aux maires une lettre d'actualité réglementaire.",
        ],
        ps: &[
            "Les élus ne sont pas informés des évolutions réglementaires.",
            "Aucune lettre d'information n'est diffusée aux collectivités.",
            "La lettre d'information aux collectivités a cessé de paraître.",
            "Les maires ne reçoivent aucune information périodique de la préfecture.",
        ],
    },
    Topic {
        id: "elus_information_prealable",
        places: &["m4:35", "m4:36"],
        pp: &[
            "Systématiser l'information préalable des élus avant toute saisine de la chambre régionale des comptes.",
            "Prévenir systématiquement les élus avant de saisir la chambre régionale des comptes.",
            "Informer au préalable l'exécutif de la collectivité de toute saisine de la CRC.",
            "Aviser les élus concernés avant chaque saisine de la chambre régionale.",
        ],
        ps: &[
            "L'information préalable des élus n'est pas systématique.",
            "Les élus ne sont pas toujours prévenus avant la saisine de la chambre régionale des comptes.",
            "Des saisines de la CRC ont eu lieu sans information préalable de la collectivité.",
            "Les collectivités ne sont pas averties avant la saisine de la chambre régionale.",
        ],
    },
    Topic {
        id: "rdv_elus_traces",
        places: &["m4:37"],
        pp: &[
            "Assurer la traçabilité des demandes de rendez-vous des élus.",
            "Tenir un registre des rendez-vous accordés aux élus et cadres territoriaux.",
            "Enregistrer chaque demande de rendez-vous formulée par un élu.",
            "Consigner dans un tableau les demandes d'entretien des élus et leur suite.",
        ],
        ps: &[
            "Les demandes de rendez-vous des élus ne sont pas tracées.",
            "Les rendez-vous accordés aux élus ne sont pas recensés.",
            "Aucun registre des demandes de rendez-vous des élus n'est tenu.",
            "Les demandes d'entretien des élus ne sont pas enregistrées.",
        ],
    },
    Topic {
        id: "rdv_elus_delai",
        places: &["m4:37"],
        pp: &[
            "Préciser le délai de réponse aux demandes de rendez-vous des élus.",
            "Fixer un délai maximal pour répondre aux demandes d'entretien des élus.",
            "Définir un engagement de délai pour l'attribution des rendez-vous aux élus.",
            "Répondre aux demandes de rendez-vous des élus dans un délai déterminé.",
        ],
        ps: &[
            "Aucun délai de réponse aux demandes de rendez-vous n'est défini.",
            "Le délai d'attribution d'un rendez-vous aux élus n'est pas fixé.",
            "Les élus ne connaissent pas le délai de réponse à leurs demandes d'entretien.",
            "Aucun engagement de délai n'encadre les rendez-vous accordés aux élus.",
        ],
    },
    Topic {
        id: "projets_tableau_suivi",
        places: &["m6:41", "m6:44", "m6:46"],
        pp: &[
            "Mettre en place un tableau de suivi des projets accompagnés par les sous-préfectures.",
            "Recenser dans un outil de suivi partagé les projets accompagnés.",
            "Tenir un tableau de bord des projets soutenus par les sous-préfectures.",
            "Formaliser le suivi des projets accompagnés dans un tableau commun.",
        ],
        ps: &[
            "Le suivi des projets accompagnés n'est pas formalisé.",
            "Aucun tableau ne recense les projets accompagnés par les sous-préfectures.",
            "Les projets soutenus ne font l'objet d'aucun suivi partagé.",
            "Il n'existe pas d'outil commun de suivi des projets.",
        ],
    },
    Topic {
        id: "projets_referent",
        places: &["m6:41", "m6:44", "m6:46"],
        pp: &[
            "Désigner un référent unique pour chaque projet accompagné.",
            "Nommer un interlocuteur unique par projet.",
            "Confier chaque projet accompagné à un agent référent identifié.",
            "Identifier pour chaque porteur de projet un correspondant unique en sous-préfecture.",
        ],
        ps: &[
            "Aucun référent n'est désigné pour certains projets.",
            "Les porteurs de projet n'ont pas d'interlocuteur unique.",
            "Plusieurs agents interviennent sur un même projet sans référent identifié.",
            "Les projets accompagnés n'ont pas de correspondant désigné.",
        ],
    },
    Topic {
        id: "projets_comptes_rendus",
        places: &["m6:41", "m6:44", "m6:46"],
        pp: &[
            "Formaliser des comptes rendus des réunions de suivi de projet.",
            "Rédiger systématiquement un relevé de décisions après chaque réunion de projet.",
            "Établir et diffuser un compte rendu de chaque réunion de suivi des projets.",
            "Conserver une trace écrite des réunions consacrées aux projets accompagnés.",
        ],
        ps: &[
            "Les réunions de suivi de projet ne donnent pas lieu à compte rendu.",
            "Aucun relevé de décisions n'est établi après les réunions de projet.",
            "Les échanges des réunions de projet ne sont pas formalisés par écrit.",
            "Les comptes rendus des réunions de suivi des projets ne sont pas rédigés.",
        ],
    },
    Topic {
        id: "autorisation_environnementale",
        places: &["m6:42", "m6:43"],
        pp: &[
            "Compléter le site internet sur les démarches d'autorisation environnementale.",
            "Publier le guide des procédures d'autorisation environnementale unique.",
            "Mettre en ligne une information complète sur la procédure d'autorisation environnementale.",
            "Enrichir la rubrique du site consacrée aux autorisations environnementales.",
        ],
        ps: &[
            "Les informations sur l'autorisation environnementale sont incomplètes.",
            "Les démarches d'autorisation environnementale sont difficiles à trouver sur le site.",
            "Le site ne présente pas la procédure d'autorisation environnementale unique.",
            "La rubrique consacrée aux autorisations environnementales est lacunaire.",
        ],
    },
    Topic {
        id: "risques_majeurs",
        places: &["m6:42", "m6:43"],
        pp: &[
            "Mettre à jour les informations relatives aux risques majeurs sur le site.",
            "Actualiser la rubrique consacrée aux risques et enjeux environnementaux.",
            "Publier en ligne la version actualisée du dossier départemental des risques majeurs.",
            "Tenir à jour la page internet sur les risques naturels et technologiques.",
        ],
        ps: &[
            "La rubrique sur les risques majeurs n'est pas à jour.",
            "Le dossier départemental des risques majeurs publié en ligne est ancien.",
            "Les informations du site sur les risques naturels et technologiques sont périmées.",
            "La page consacrée aux risques majeurs n'a pas été actualisée.",
        ],
    },
    Topic {
        id: "delais_titres_suivi",
        places: &["m2:*", "m3:30", "m8:*"],
        pp: &[
            "Mettre en place un indicateur des délais d'instruction des demandes de titres.",
            "Suivre les délais de délivrance des titres.",
            "Mesurer chaque mois le délai moyen de délivrance des titres.",
            "Instaurer un suivi des délais de traitement des demandes de titres.",
        ],
        ps: &[
            "Les délais de délivrance des titres ne sont pas suivis.",
            "Aucun indicateur ne mesure les délais de délivrance.",
            "Le délai moyen d'instruction des titres n'est pas mesuré.",
            "Les délais de traitement des demandes de titres ne font l'objet d'aucun suivi.",
        ],
    },
    Topic {
        id: "delais_titres_information",
        places: &["m2:*", "m3:30", "m8:*"],
        pp: &[
            "Informer les usagers des délais moyens de traitement de leurs demandes.",
            "Publier sur le site les délais de délivrance des titres.",
            "Afficher à l'accueil les délais moyens d'instruction des titres.",
            "Indiquer aux demandeurs le délai prévisible de traitement de leur dossier.",
        ],
        ps: &[
            "Les usagers ne sont pas informés des délais de traitement.",
            "Les délais de délivrance ne sont pas publiés.",
            "Aucune information sur les délais d'instruction n'est donnée aux demandeurs.",
            "Le délai prévisible de traitement n'est pas communiqué aux usagers.",
        ],
    },
    Topic {
        id: "delais_titres_depasses",
        places: &["m2:*", "m3:30", "m8:*"],
        pp: &[
            "Analyser chaque mois les dossiers dont le délai de traitement dépasse l'engagement.",
            "Identifier et traiter en priorité les dossiers en retard.",
            "Examiner les causes des dépassements du délai d'instruction annoncé.",
            "Repérer les demandes de titres instruites hors délai et en analyser les raisons.",
        ],
        ps: &[
            "Les délais d'instruction dépassent l'engagement annoncé.",
            "De nombreux dossiers sont instruits au-delà du délai annoncé.",
            "Les dossiers en retard ne font l'objet d'aucune analyse.",
            "Le délai de délivrance des titres excède l'engagement de service.",
        ],
    },
    Topic {
        id: "rdv_etrangers_creneaux",
        places: &["m3:*"],
        pp: &[
            "Augmenter le nombre de créneaux de rendez-vous ouverts aux usagers étrangers.",
            "Ouvrir davantage de plages de rendez-vous au service des étrangers.",
            "Accroître l'offre de rendez-vous pour les demandes de titres de séjour.",
            "Proposer plus de créneaux de rendez-vous aux ressortissants étrangers.",
        ],
        ps: &[
            "Les créneaux de rendez-vous sont insuffisants au regard de la demande.",
            "Le nombre de rendez-vous proposés aux usagers étrangers ne couvre pas la demande.",
            "L'offre de rendez-vous pour les titres de séjour est saturée.",
            "Les plages de rendez-vous du service des étrangers sont trop peu nombreuses.",
        ],
    },
    Topic {
        id: "rdv_etrangers_delai",
        places: &["m3:*"],
        pp: &[
            "Suivre le délai d'obtention d'un rendez-vous au service des étrangers.",
            "Mesurer le temps nécessaire pour obtenir un rendez-vous en préfecture.",
            "Mettre en place un indicateur du délai d'attente pour un rendez-vous au service des étrangers.",
            "Relever chaque mois le délai moyen avant le premier rendez-vous disponible.",
        ],
        ps: &[
            "Le délai d'obtention d'un rendez-vous n'est pas mesuré.",
            "Aucun indicateur ne suit le délai d'attente d'un rendez-vous.",
            "Le temps nécessaire pour obtenir un rendez-vous n'est pas suivi.",
            "Le délai moyen avant le premier rendez-vous disponible n'est pas relevé.",
        ],
    },
    Topic {
        id: "rdv_etrangers_revente",
        places: &["m3:*"],
        pp: &[
            "Lutter contre la revente de rendez-vous en sécurisant la prise de rendez-vous en ligne.",
            "Sécuriser le module de rendez-vous en ligne pour empêcher leur revente.",
            "Protéger la prise de rendez-vous sur internet contre les robots et les revendeurs.",
            "Mettre fin au trafic de créneaux en renforçant la sécurité de la réservation en ligne.",
        ],
        ps: &[
            "Des créneaux de rendez-vous font l'objet de revente.",
            "La prise de rendez-vous en ligne n'est pas protégée contre les robots.",
            "Des rendez-vous réservés en ligne sont revendus aux usagers.",
            "Un trafic de créneaux de rendez-vous a été constaté.",
        ],
    },
    Topic {
        id: "polices_fiches_information",
        places: &["m5:*"],
        pp: &[
            "Mettre à jour les fiches d'information sur les polices administratives.",
            "Actualiser les notices destinées aux usagers pour les autorisations de police administrative.",
            "Réviser les fiches pratiques relatives aux polices administratives.",
            "Tenir à jour la documentation remise au public sur les polices administratives.",
        ],
        ps: &[
            "Les fiches d'information sur les polices administratives ne sont pas à jour.",
            "Les notices relatives aux autorisations de police administrative sont anciennes.",
            "La documentation remise au public sur les polices administratives est périmée.",
            "Les fiches pratiques des polices administratives n'ont pas été révisées.",
        ],
    },
    Topic {
        id: "polices_pieces_a_fournir",
        places: &["m5:*"],
        pp: &[
            "Publier sur le site internet les pièces à fournir pour chaque demande d'autorisation.",
            "Mettre en ligne la liste des justificatifs exigés pour les autorisations administratives.",
            "Indiquer sur le site les documents à joindre à chaque demande d'autorisation.",
            "Rendre accessible en ligne la liste des pièces demandées pour chaque procédure d'autorisation.",
        ],
        ps: &[
            "La liste des pièces à fournir n'est pas publiée.",
            "Les justificatifs exigés pour les demandes d'autorisation ne figurent pas sur le site.",
            "Les usagers ne trouvent pas en ligne les documents à joindre à leur demande.",
            "Les pièces demandées pour chaque autorisation ne sont pas indiquées sur internet.",
        ],
    },
    Topic {
        id: "polices_delais",
        places: &["m5:*"],
        pp: &[
            "Suivre les délais d'instruction des demandes d'autorisation de police administrative.",
            "Mesurer le temps de traitement des autorisations de police administrative.",
            "Mettre en place un indicateur des délais d'instruction des autorisations.",
            "Instaurer un suivi des délais de délivrance des autorisations administratives.",
        ],
        ps: &[
            "Les délais d'instruction des autorisations ne sont pas suivis.",
            "Le temps de traitement des demandes d'autorisation n'est pas mesuré.",
            "Aucun indicateur ne suit les délais des autorisations de police administrative.",
            "Les délais de délivrance des autorisations administratives ne sont pas connus.",
        ],
    },
    Topic {
        id: "crise_exercice",
        places: &["m7:*"],
        pp: &[
            "Organiser un exercice de communication de crise au moins une fois par an.",
            "Programmer chaque année un exercice consacré à la communication en situation de crise.",
            "Tester annuellement le dispositif de communication de crise par un exercice.",
            "Prévoir un entraînement annuel à la communication d'urgence.",
        ],
        ps: &[
            "Aucun exercice de communication de crise n'a été organisé récemment.",
            "Le dispositif de communication de crise n'a pas été testé depuis plusieurs années.",
            "Aucun entraînement à la communication d'urgence n'est programmé.",
            "La communication de crise n'est pas exercée chaque année.",
        ],
    },
    Topic {
        id: "crise_annuaire",
        places: &["m7:*"],
        pp: &[
            "Mettre à jour l'annuaire de crise utilisé pour la communication d'urgence.",
            "Actualiser les coordonnées de l'annuaire de crise.",
            "Vérifier périodiquement les contacts de l'annuaire utilisé en situation de crise.",
            "Tenir à jour la liste des contacts d'urgence.",
        ],
        ps: &[
            "L'annuaire de crise n'est pas à jour.",
            "Plusieurs coordonnées de l'annuaire de crise sont erronées.",
            "La liste des contacts d'urgence n'a pas été actualisée.",
            "Les contacts de l'annuaire utilisé en cas de crise ne sont pas vérifiés.",
        ],
    },
    Topic {
        id: "crise_retour_experience",
        places: &["m7:*"],
        pp: &[
            "Formaliser un retour d'expérience après chaque évènement majeur.",
            "Rédiger un RETEX à l'issue de chaque crise.",
            "Conduire systématiquement une analyse a posteriori des évènements majeurs.",
            "Tirer par écrit les enseignements de chaque crise gérée.",
        ],
        ps: &[
            "Les retours d'expérience après les évènements majeurs ne sont pas formalisés.",
            "Aucun RETEX n'a été rédigé après la dernière crise.",
            "Les enseignements des crises passées ne sont pas tirés par écrit.",
            "Les évènements majeurs ne donnent lieu à aucune analyse a posteriori.",
        ],
    },
    Topic {
        id: "crise_messages_types",
        places: &["m7:*"],
        pp: &[
            "Préparer des messages types à diffuser en cas d'évènement majeur.",
            "Rédiger à l'avance des communiqués types pour les situations d'urgence.",
            "Constituer une bibliothèque de messages pré-rédigés pour la communication de crise.",
            "Disposer de modèles de messages prêts à être diffusés lors d'une crise.",
        ],
        ps: &[
            "Aucun message type n'est prêt pour la communication d'urgence.",
            "Il n'existe pas de communiqués pré-rédigés pour les situations de crise.",
            "La préfecture ne dispose d'aucun modèle de message d'alerte.",
            "Les messages à diffuser en cas de crise ne sont pas préparés à l'avance.",
        ],
    },
];

/// Strong points (PF), by place like topics (no topic id recorded).
const STRENGTHS: &[(&str, &str)] = &[
    ("m1:6", "Espace d'attente dédié aux enfants."),
    ("m1:6", "Espace d'attente agréable, propre et climatisé."),
    (
        "m1:8",
        "Ossature du SVI construite en collaboration avec les agents du standard.",
    ),
    (
        "m1:10",
        "Tableau d'informations mutualisé avec les services et le standard.",
    ),
    (
        "m1:12",
        "Fiche de procédure au format tutoriel à disposition des contributeurs du site.",
    ),
    (
        "m1:15",
        "Prise en charge des usagers sans rendez-vous dans la mesure du possible.",
    ),
    (
        "m1:15",
        "Animation commune du point d'accueil numérique avec les partenaires locaux.",
    ),
    (
        "m1:2",
        "Guide de l'accueil complet et disponible dans tous les services.",
    ),
    (
        "m1:3",
        "Plan d'amélioration construit à partir des résultats de l'enquête de satisfaction.",
    ),
    (
        "m1:5",
        "Agents d'accueil très attentifs à l'orientation des usagers.",
    ),
    (
        "m1:19",
        "Forte audience des comptes de la préfecture sur les réseaux sociaux.",
    ),
    (
        "m4:34",
        "Synthèse annuelle transmise par mail complétée par des informations ponctuelles.",
    ),
    (
        "m4:36",
        "Taux de réponse sous cinq jours très satisfaisant.",
    ),
    (
        "m6:44",
        "Plan d'actions avec groupe de travail par thème et par arrondissement.",
    ),
    ("m6:44", "Réalisation de nombreux supports (film, guides)."),
    (
        "pil:3",
        "Le tableau de suivi des formations intègre les contractuels comme les titulaires.",
    ),
    (
        "pil:4",
        "Forte implication des agents dans la démarche qualité.",
    ),
    (
        "lab:1",
        "Format des comptes rendus de comité de pilotage et du bilan annuel.",
    ),
    ("*", "Implication forte de l'encadrement dans la démarche."),
    ("*", "Procédure claire, connue et appliquée par les agents."),
    (
        "*",
        "Très bonne connaissance du référentiel par les agents rencontrés.",
    ),
];

/// Plain findings ("Note :"). `{n}`, `{pct}`, `{year}` and `{month}` are filled in.
const NOTES: &[(&str, &str)] = &[
    ("m1:1", "Les affichages sont à jour, la charte graphique est respectée et les informations sur le site sont à jour."),
    ("m1:1", "Il existe une liste des affichages à contrôler trimestriellement (dernier contrôle en {month} {year})."),
    ("m1:2", "Le guide de l'accueil et le registre d'accessibilité sont disponibles à l'accueil général."),
    ("m1:2", "La préfecture est accessible aux personnes à mobilité réduite (rampe, ascenseur, sanitaires adaptés)."),
    ("m1:3", "L'enquête de satisfaction {year} a été réalisée sur tablette à l'accueil pendant trois semaines."),
    ("m1:3", "{pct}% des usagers interrogés se déclarent satisfaits de l'accueil physique."),
    ("m1:4", "Cf. Pilotage."),
    ("m1:5", "Il y a un accueil général et {n} guichets pour la remise des titres."),
    ("m1:5", "Des plannings hebdomadaires identifient les agents mobilisés pour l'accueil du public."),
    ("m1:7", "L'accueil des usagers étrangers se fait uniquement sur rendez-vous."),
    ("m1:8", "La préfecture ne disposait pas de serveur vocal interactif le jour de l'audit."),
    ("m1:10", "Le standard a traité {n} appels par jour en moyenne sur le dernier trimestre."),
    ("m1:12", "Il y a une liste des référents co-marquage et une liste des contributeurs."),
    ("m1:15", "Le tutorat est assuré par la cheffe du bureau et une ancienne volontaire du service civique."),
    ("m1:16", "Les courriers et courriels sont réceptionnés par le bureau du courrier qui les transfère aux services."),
    ("m1:19", "La page Facebook compte {n} abonnés et le compte Twitter est actif."),
    ("m4:35", "Les informations préalables sont systématiquement transmises par mail par le chef de bureau."),
    ("m4:37", "Les rendez-vous des autorités sont gérés par le secrétariat du secrétaire général."),
    ("m6:41", "Pour chaque projet, un référent est désigné et un dossier de suivi est ouvert."),
    ("m6:42", "Le site internet est complet concernant les demandes d'autorisations environnementales."),
    ("m6:45", "Les dernières formations ont été réalisées en {year} et sont complétées par du tutorat."),
    ("m6:46", "La coordination des acteurs de la politique de la ville ne fait pas partie des missions du service."),
    ("pil:1", "La lettre de mission du référent qualité a été visée."),
    ("pil:2", "La documentation est accessible sur le serveur par tous les agents de la préfecture."),
    ("pil:3", "Le tableau de suivi des formations a été refondu en {year}."),
    ("pil:4", "Un comité de pilotage trimestriel est organisé pour le suivi des indicateurs."),
    ("pil:5", "Le dernier comité local des usagers a eu lieu en {month} {year}."),
    ("lab:1", "Le bilan annuel {year} a été présenté en comité de pilotage."),
    ("lab:2", "De nombreux comités de pilotage ont été organisés à l'issue de l'audit interne."),
    ("*", "Les éléments de preuve ont été présentés lors de l'entretien."),
    ("*", "La procédure est connue des agents rencontrés et appliquée."),
    ("*", "Un échantillon de {n} dossiers a été examiné sans écart relevé."),
    ("*", "Les engagements sont affichés et respectés."),
];

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

// ---------------------------------------------------------------------------------
// Wrapping shared by both renderers. A wrapped line must never read as something else
// on its own: no continuation line starts with a digit (an item number) or a marker,
// code or tag word, and none is so short that it could be a code.

const RISKY_STARTS: &[&str] = &[
    "PF",
    "PS",
    "PP",
    "PV",
    "Note",
    "NOTE",
    "C",
    "NA",
    "N/A",
    "NC",
    "Module",
    "MODULE",
    "Conforme",
    "Commentaires",
];

/// Whole lines that are headers of the grid, whatever the case.
const HEADER_LINES: &[&str] = &[
    "accueil physique",
    "telephone",
    "accueil telephonique",
    "site internet",
    "internet",
    "courriers et courriels",
    "courriels et courriers",
    "courriels",
    "courriers",
    "reseau sociaux",
    "reseaux sociaux",
    "conformite",
    "engagements de service",
    "commentaires conformite",
    "appreciation de l'auditeur",
];

fn risky(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    let folded = audit_extract::text::fold(line);
    line.trim().chars().count() <= 6
        || HEADER_LINES.contains(&folded.trim_end_matches(['.', ',']))
        || first
            .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | ')' | '-' | '«'))
        || RISKY_STARTS.contains(&first.trim_end_matches([':', '.', ',']))
}

/// Greedy word wrap to `max` (in the unit of `measure`), then repaired so that no
/// continuation line is [`risky`].
fn wrap_by(text: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{} {word}", current.join(" "))
        };
        if !current.is_empty() && measure(&candidate) > max {
            lines.push(std::mem::take(&mut current));
        }
        current.push(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let mut i = 1;
    while i < lines.len() {
        if risky(&lines[i].join(" ")) {
            if lines[i - 1].len() > 1 && lines[i].len() < 12 {
                let moved = lines[i - 1].pop().expect("two words at least");
                lines[i].insert(0, moved);
                continue;
            }
            let tail = lines.remove(i);
            lines[i - 1].extend(tail);
            continue;
        }
        i += 1;
    }
    lines.into_iter().map(|l| l.join(" ")).collect()
}

fn wrap_chars(text: &str, max: usize) -> Vec<String> {
    wrap_by(text, max as f32, &|s: &str| s.chars().count() as f32)
}

fn code_text(conformity: &str) -> &'static str {
    match conformity {
        "NA" => "NA",
        "NC_MIN" => "NC min",
        "NC_MAJ" => "NC Maj",
        _ => "C",
    }
}

fn marker_text(kind: &str) -> &'static str {
    match kind {
        "PF" => "PF",
        "PS" => "PS",
        "PP" => "PP",
        _ => "Note",
    }
}

fn date_fr(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    format!("{}/{}/{}", parts[2], parts[1], parts[0])
}

fn upper_department(name: &str) -> String {
    name.to_uppercase().replace('-', " ")
}

// ---------------------------------------------------------------------------------
// Text rendering: the text layer as a stream-order extractor (pdftotext) writes it.

struct TextOut {
    bytes: Vec<u8>,
    pages: Option<u32>,
}

/// Lines in the making; a form feed starts a page when the layout has them.
struct TextLines {
    lines: Vec<String>,
    form_feeds: bool,
    pages: u32,
}

impl TextLines {
    fn push(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    fn page_break(&mut self, first_line: &str) {
        self.pages += 1;
        let ff = if self.form_feeds { "\u{c}" } else { "" };
        self.lines.push(format!("{ff}{first_line}"));
    }
}

/// One block of the grid in the text form.
enum Block {
    /// Lines of a row (or of a section header), in order.
    Lines(Vec<String>),
    /// Headers of a remote phase; in trailing mode they move to the end of the page
    /// where their first row stands.
    Phase(Vec<String>),
    PageHeader,
}

fn page_header_lines(out: &mut TextLines) {
    out.page_break(" Engagements de service");
    out.blank();
    out.push("Appréciation de l'auditeur");
    out.blank();
    out.push("Commentaires Conformité");
    out.blank();
}

fn noisy(rng: &mut Rng, line: String) -> String {
    if rng.chance(0.2) {
        format!(" {line}")
    } else {
        line
    }
}

fn annotation_lines(rng: &mut Rng, a: &Assessment) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, n) in a.annotations.iter().enumerate() {
        let text = format!("{} : {}", marker_text(n.kind), n.text);
        for (j, line) in wrap_chars(&text, 66).into_iter().enumerate() {
            if j > 0 && rng.chance(0.1) {
                lines.push(String::new());
            }
            lines.push(noisy(rng, line));
        }
        if i + 1 < a.annotations.len() && rng.chance(0.5) {
            lines.push(if rng.chance(0.3) {
                " ".to_owned()
            } else {
                String::new()
            });
        }
    }
    lines
}

fn row_lines(rng: &mut Rng, a: &Assessment) -> Vec<String> {
    let mut lines = Vec::new();
    let title = wrap_chars(&format!("{}. {}", a.number, a.title), 34);
    let annotations = annotation_lines(rng, a);
    let code = code_text(a.conformity);
    let inline_code = rng.chance(0.15);
    let inline_first =
        a.section != "module" && !annotations.is_empty() && title.len() == 1 && rng.chance(0.6);
    if let Some(m) = a.module.filter(|_| a.section == "module") {
        lines.push(format!("Module {m}"));
    }
    if inline_first {
        // "1. Responsabilités  Note : La lettre de mission …"
        lines.push(format!("{}  {}", title[0], annotations[0].trim_start()));
        lines.extend(annotations[1..].iter().cloned());
    } else {
        lines.extend(title);
        if !annotations.is_empty() {
            lines.push(String::new());
            lines.extend(annotations);
        }
    }
    match lines.last_mut() {
        Some(last) if inline_code && !last.trim().is_empty() => {
            last.push(' ');
            last.push_str(code);
        }
        _ => {
            lines.push(String::new());
            lines.push(code.to_owned());
        }
    }
    lines.push(String::new());
    lines
}

fn render_text(r: &Expected, rng: &mut Rng) -> TextOut {
    let mut out = TextLines {
        lines: Vec::new(),
        form_feeds: r.layout.form_feeds,
        pages: 1,
    };
    text_cover(r, &mut out);
    out.page_break(" 2. CONTEXTE");
    out.blank();
    out.push("Contexte de l'organisme audité");
    out.blank();
    out.push("Présentation et historique de la démarche du site audité");
    out.blank();
    out.push("3. SYNTHESE DE L'EVALUATION");
    out.blank();
    out.push("Abréviations employées dans les pages suivantes :");
    out.push("C : Conforme    NA : Non applicable");
    out.push("NC Maj : Non-conformité Majeure    NC min : Non-conformité mineure");
    out.push("PF : Points Forts   PS : Points Sensibles   PP : Pistes de Progrès");
    out.blank();
    for line in wrap_chars(&r.context, 118) {
        out.push(line);
    }
    let blocks = grid_blocks(r, rng);
    let blocks = if r.layout.trailing_phase_headers {
        trail_phase_headers(blocks)
    } else {
        blocks
    };
    out.page_break(" ");
    for block in blocks {
        match block {
            Block::Lines(lines) | Block::Phase(lines) => {
                lines.into_iter().for_each(|l| out.push(l))
            }
            Block::PageHeader => page_header_lines(&mut out),
        }
    }
    text_conclusion(r, &mut out);
    let newline = if r.layout.crlf { "\r\n" } else { "\n" };
    let mut text = out.lines.join(newline);
    text.push_str(newline);
    let bytes = if r.layout.encoding == "windows-1252" {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable, "report text outside Windows-1252");
        bytes.into_owned()
    } else {
        text.into_bytes()
    };
    TextOut {
        bytes,
        pages: r.layout.form_feeds.then_some(out.pages),
    }
}

fn text_cover(r: &Expected, out: &mut TextLines) {
    let m = &r.metadata;
    let boxes = r.layout.cover_checkboxes;
    let tick = |on: bool| if on { "☒ " } else { "☐ " };
    out.push(" 1. PAGE DE GARDE");
    out.blank();
    out.push("DATE ET SIGNATURE DE L'AUDITEUR");
    out.blank();
    out.push(date_fr(&m.signature_date));
    out.blank();
    out.push("-");
    out.blank();
    out.push(
        m.audit_dates
            .iter()
            .map(|d| date_fr(d))
            .collect::<Vec<_>>()
            .join(" et "),
    );
    out.blank();
    out.push("TYPE D'ADMINISTRATION");
    out.blank();
    let label = &m.referential.label;
    let split = label.find(" mis à jour").unwrap_or(label.len());
    out.push(format!(" {}", &label[..split]));
    if split < label.len() {
        out.push(label[split + 1..].to_owned());
    }
    out.blank();
    for l in [
        "DEPARTEMENT",
        "",
        "VILLE",
        "",
        "MODULES COUVERTS PAR LE ",
        "LABEL",
        "",
    ] {
        out.push(l);
    }
    out.push(upper_department(m.department));
    out.blank();
    out.push(m.city.clone());
    out.blank();
    out.push(" Auditeur(s)");
    out.blank();
    let internal = m.audit_origin == "internal";
    out.push(if boxes {
        format!("     {}AUDIT INTERNE", tick(internal))
    } else {
        "     AUDIT INTERNE".to_owned()
    });
    out.blank();
    out.push("      Réalisé en amont d'un audit :");
    out.blank();
    for l in [
        "REFERENTIEL",
        "",
        "DATE(S) DE L'AUDIT",
        "",
        "NOM AUDITEUR",
        "",
    ] {
        out.push(l);
    }
    out.push(m.auditors.join(", "));
    out.blank();
    if boxes {
        out.push(format!(
            "{}Préfecture {}Sous-préfecture {}Préfecture de police",
            tick(m.site_type == "prefecture"),
            tick(m.site_type == "sous_prefecture"),
            tick(m.site_type == "prefecture_de_police")
        ));
    } else {
        out.push("Préfecture Sous-préfecture Préfecture de police");
    }
    out.blank();
    for (i, name) in MODULE_NAMES.iter().enumerate() {
        let n = i as u8 + 1;
        let mark = if boxes {
            tick(m.modules_covered.contains(&n))
        } else {
            ""
        };
        out.push(format!("{mark}Module {n}   {name}"));
        out.blank();
    }
    if boxes {
        out.push(format!(
            "{}Initial {}de Suivi {}de Renouvellement {}d' Extension",
            tick(m.audit_type == "initial"),
            tick(m.audit_type == "suivi"),
            tick(m.audit_type == "renouvellement"),
            tick(m.audit_type == "extension")
        ));
    } else {
        out.push("Initial de Suivi de Renouvellement d' Extension");
    }
}

/// Page breaks of the grid: a page holds 4 to 6 rows.
struct Pager {
    rows: usize,
    size: usize,
}

impl Pager {
    /// Starts a new page if this one is full; `counts` says a row follows.
    fn before(&mut self, blocks: &mut Vec<Block>, rng: &mut Rng, counts: bool) {
        if self.rows >= self.size {
            blocks.push(Block::PageHeader);
            self.rows = 0;
            self.size = rng.range(4, 6);
        }
        if counts {
            self.rows += 1;
        }
    }
}

fn grid_blocks(r: &Expected, rng: &mut Rng) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut pager = Pager {
        rows: 0,
        size: rng.range(4, 6),
    };
    let mut module: Option<u8> = None;
    let mut section = "";
    let mut phase = "on_site";
    for a in &r.assessments {
        if a.phase != phase {
            phase = a.phase;
            pager.before(&mut blocks, rng, false);
            let header = match phase {
                "remote_internet" => "AUDIT A DISTANCE : Internet",
                "remote_telephone" => "AUDIT A DISTANCE : Téléphone (standard, SVI, SART)",
                _ if r.layout.trailing_phase_headers => "COURRIELS",
                _ => "AUDIT A DISTANCE : Courriels",
            };
            blocks.push(Block::Phase(vec![
                header.to_owned(),
                String::new(),
                "  MODULE 1 : RELATION GENERALE AVEC LES USAGERS".to_owned(),
                String::new(),
            ]));
            module = Some(1);
        }
        let mut lines = Vec::new();
        if a.phase == "on_site" {
            if a.section != section {
                section = a.section;
                match section {
                    "pilotage" => {
                        lines.extend(["PILOTAGE DE LA POLITIQUE QUALITE".to_owned(), String::new()])
                    }
                    "labellisation" => {
                        lines.extend(["DEMARCHE DE LABELLISATION".to_owned(), String::new()])
                    }
                    _ => {}
                }
            }
            if a.section == "module" && a.module != module {
                module = a.module;
                let m = a.module.unwrap_or(1);
                lines.extend([
                    format!(" {}", MODULE_HEADERS[usize::from(m) - 1]),
                    String::new(),
                ]);
            }
            if let Some((_, header, _)) = CHANNELS.iter().find(|(first, _, _)| {
                a.module == Some(1) && a.section == "module" && *first == a.number
            }) {
                lines.push((*header).to_owned());
            }
        }
        pager.before(&mut blocks, rng, true);
        lines.extend(row_lines(rng, a));
        blocks.push(Block::Lines(lines));
    }
    blocks
}

/// Moves each phase's headers to the end of the page segment of its first row, as a
/// stream-order extractor writes full-width headers after the table rows.
fn trail_phase_headers(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut held: Vec<Block> = Vec::new();
    for block in blocks {
        match block {
            Block::Phase(_) => held.push(block),
            Block::PageHeader => {
                out.append(&mut held);
                out.push(Block::PageHeader);
            }
            other => out.push(other),
        }
    }
    out.append(&mut held);
    out
}

fn text_conclusion(r: &Expected, out: &mut TextLines) {
    let c = &r.conclusion;
    let para = |out: &mut TextLines, text: &Option<String>| {
        if let Some(t) = text {
            for line in wrap_chars(t, 100) {
                out.push(line);
            }
            out.blank();
        }
    };
    if r.layout.scrambled_conclusion {
        // The arrangement of the reference report.
        out.push(" v");
        out.blank();
        for _ in 0..6 {
            out.push("v");
            out.blank();
        }
        out.push("v RESPECT DE LA CHARTE GRAPHIQUE");
        out.blank();
        out.push("CONCLUSION GENERALE DE L’AUDIT");
        out.blank();
        para(out, &c.satisfaction_results);
        para(out, &c.graphic_charter);
        para(out, &c.general);
        out.page_break("4. SYNTHESE DE L’EVALUATION ET CONCLUSION GENERALE DE ");
        out.push("L’AUDIT");
        out.blank();
        for l in [
            "POINTS FORTS",
            "",
            "POINTS SENSIBLES",
            "",
            "PISTES DE PROGRES",
            "",
        ] {
            out.push(l);
        }
        para(out, &c.strengths);
        para(out, &c.sensitive_points);
        for l in [
            "COMMENTAIRES",
            "",
            "LES BONNES PRATIQUES",
            "",
            "LES RESULTATS DES ENQUETES DE SATISFACTION DES USAGERS",
            "",
            "FICHE(S) D'ECART(S)",
            "",
        ] {
            out.push(l);
        }
        para(out, &c.improvement_tracks);
        para(out, &c.deviations);
        para(out, &c.comments);
        para(out, &c.good_practices);
    } else {
        out.page_break("4. SYNTHESE DE L’EVALUATION ET CONCLUSION GENERALE DE L’AUDIT");
        out.blank();
        for (label, text) in conclusion_boxes(c) {
            out.push(label);
            out.blank();
            para(out, text);
        }
    }
}

fn conclusion_boxes(c: &Conclusion) -> [(&'static str, &Option<String>); 9] {
    [
        ("CONCLUSION GENERALE DE L’AUDIT", &c.general),
        ("POINTS FORTS", &c.strengths),
        ("POINTS SENSIBLES", &c.sensitive_points),
        ("PISTES DE PROGRES", &c.improvement_tracks),
        ("COMMENTAIRES", &c.comments),
        ("LES BONNES PRATIQUES", &c.good_practices),
        (
            "LES RESULTATS DES ENQUETES DE SATISFACTION DES USAGERS",
            &c.satisfaction_results,
        ),
        ("RESPECT DE LA CHARTE GRAPHIQUE", &c.graphic_charter),
        ("FICHE(S) D'ECART(S)", &c.deviations),
    ]
}

// ---------------------------------------------------------------------------------
// PDF rendering: a minimal but real PDF 1.4 writer. One standard Type 1 font
// (Helvetica, WinAnsiEncoding, with its widths), text placed line by line with Td/Tj,
// table rules stroked, uncompressed content streams, a classic xref table.

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 42.0;
const FONT: f32 = 9.0;
const LEADING: f32 = 11.0;
const PAD: f32 = 4.0;
/// Grid column boundaries: commitment | appraisal | conformity.
const COLS: [f32; 4] = [42.0, 190.0, 492.0, 553.0];

/// Helvetica advance widths (1/1000 em) of ASCII 32–126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

fn glyph_width(c: char) -> u16 {
    if (' '..='~').contains(&c) {
        return HELVETICA[c as usize - 32];
    }
    match c {
        '’' | '‘' => 222,
        '“' | '”' => 333,
        '«' | '»' => 556,
        '…' | '—' => 1000,
        '–' | '€' => 556,
        'œ' => 944,
        'Œ' => 1000,
        '·' | '\u{a0}' => 278,
        '°' => 400,
        _ => {
            let mut base = c;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base == c {
                    base = d;
                }
            });
            if base != c && (' '..='~').contains(&base) {
                HELVETICA[base as usize - 32]
            } else {
                556
            }
        }
    }
}

fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(|c| f32::from(glyph_width(c))).sum::<f32>() * size / 1000.0
}

fn wrap_width(text: &str, width: f32) -> Vec<String> {
    wrap_by(text, width, &|s: &str| text_width(s, FONT))
}

struct PdfOut {
    bytes: Vec<u8>,
    pages: u32,
}

/// Pages being laid out, top to bottom.
struct Flow {
    pages: Vec<Vec<u8>>,
    content: Vec<u8>,
    y: f32,
    /// The grid's header row repeats at the top of each new page.
    grid: bool,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            pages: Vec::new(),
            content: Vec::new(),
            y: PAGE_H - MARGIN,
            grid: false,
        }
    }

    fn new_page(&mut self) {
        if !self.content.is_empty() || !self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.content));
        }
        self.y = PAGE_H - MARGIN;
        if self.grid {
            self.grid_row(&[
                vec!["Engagements de service".into()],
                vec!["Appréciation de l'auditeur - Commentaires".into()],
                vec!["Conformité".into()],
            ]);
        }
    }

    fn text(&mut self, x: f32, y: f32, s: &str) {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
        assert!(!unmappable, "text outside WinAnsiEncoding: {s:?}");
        let mut escaped = Vec::with_capacity(bytes.len() + 8);
        for &b in bytes.iter() {
            if matches!(b, b'(' | b')' | b'\\') {
                escaped.push(b'\\');
            }
            escaped.push(b);
        }
        let _ = write!(
            Sink(&mut self.content),
            "BT /F1 {FONT} Tf {x:.2} {y:.2} Td ("
        );
        self.content.extend_from_slice(&escaped);
        self.content.extend_from_slice(b") Tj ET\n");
    }

    fn rule(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        let _ = writeln!(
            Sink(&mut self.content),
            "{x0:.2} {y0:.2} m {x1:.2} {y1:.2} l S"
        );
    }

    /// Plain lines outside tables.
    fn lines(&mut self, lines: &[String]) {
        for line in lines {
            if self.y - LEADING < MARGIN {
                self.new_page();
            }
            self.y -= LEADING;
            let y = self.y;
            self.text(MARGIN, y, line);
        }
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    /// A ruled table row; `cells` are the lines of each cell between `bounds`.
    fn row(&mut self, bounds: &[f32], cells: &[Vec<String>]) {
        let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = n as f32 * LEADING + 2.0 * PAD;
        if self.y - height < MARGIN {
            self.new_page();
        }
        let (top, bottom) = (self.y, self.y - height);
        let (left, right) = (bounds[0], bounds[bounds.len() - 1]);
        self.rule(left, top, right, top);
        self.rule(left, bottom, right, bottom);
        for &x in bounds {
            self.rule(x, top, x, bottom);
        }
        for (i, cell) in cells.iter().enumerate() {
            for (j, line) in cell.iter().enumerate() {
                let y = top - PAD - FONT * 0.8 - j as f32 * LEADING;
                self.text(bounds[i] + PAD, y, line);
            }
        }
        self.y = bottom;
    }

    fn grid_row(&mut self, cells: &[Vec<String>]) {
        self.row(&COLS, cells);
    }

    /// A row spanning the whole grid (section, module, channel or phase header).
    fn full_row(&mut self, text: &str) {
        self.row(&[COLS[0], COLS[3]], &[vec![text.to_owned()]]);
    }

    fn finish(mut self) -> Vec<Vec<u8>> {
        self.pages.push(self.content);
        self.pages
    }
}

/// `write!` into a byte vector.
struct Sink<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn render_pdf(r: &Expected) -> PdfOut {
    let m = &r.metadata;
    let mut flow = Flow::new();
    // Page 1: the cover form, labels left, values right.
    flow.lines(&["1. PAGE DE GARDE".to_owned()]);
    flow.gap(12.0);
    let label_col = [COLS[0], 220.0, COLS[3]];
    let value_width = COLS[3] - 220.0 - 2.0 * PAD;
    let cover: Vec<(&str, Vec<String>)> = vec![
        ("REFERENTIEL", wrap_width(&m.referential.label, value_width)),
        (
            "DATE(S) DE L'AUDIT",
            vec![m
                .audit_dates
                .iter()
                .map(|d| date_fr(d))
                .collect::<Vec<_>>()
                .join(" et ")],
        ),
        (
            "DATE ET SIGNATURE DE L'AUDITEUR",
            vec![date_fr(&m.signature_date)],
        ),
        ("NOM AUDITEUR", vec![m.auditors.join(", ")]),
        (
            "TYPE D'ADMINISTRATION",
            vec!["Préfecture Sous-préfecture Préfecture de police".to_owned()],
        ),
        ("DEPARTEMENT", vec![upper_department(m.department)]),
        ("VILLE", vec![m.city.clone()]),
        (
            "MODULES COUVERTS PAR LE LABEL",
            MODULE_NAMES
                .iter()
                .enumerate()
                .map(|(i, n)| format!("Module {}   {n}", i + 1))
                .collect(),
        ),
        (
            "TYPE D'AUDIT",
            vec!["Initial de Suivi de Renouvellement d' Extension".to_owned()],
        ),
    ];
    for (label, value) in cover {
        flow.row(&label_col, &[vec![label.to_owned()], value]);
    }
    // Page 2: context and legend.
    flow.new_page();
    flow.lines(&[
        "2. CONTEXTE".to_owned(),
        "Contexte de l'organisme audité".to_owned(),
    ]);
    flow.gap(6.0);
    flow.lines(&wrap_width(&r.context, COLS[3] - MARGIN));
    flow.gap(12.0);
    flow.lines(&[
        "3. SYNTHESE DE L'EVALUATION".to_owned(),
        "Abréviations employées dans les pages suivantes :".to_owned(),
        "C : Conforme    NA : Non applicable".to_owned(),
        "NC Maj : Non-conformité Majeure    NC min : Non-conformité mineure".to_owned(),
        "PF : Points Forts   PS : Points Sensibles   PP : Pistes de Progrès".to_owned(),
    ]);
    // The grid.
    flow.grid = true;
    flow.new_page();
    let (mut module, mut section, mut phase) = (None, "", "on_site");
    for a in &r.assessments {
        if a.phase != phase {
            phase = a.phase;
            flow.full_row(match phase {
                "remote_internet" => "AUDIT A DISTANCE : Internet",
                "remote_telephone" => "AUDIT A DISTANCE : Téléphone (standard, SVI, SART)",
                _ => "AUDIT A DISTANCE : Courriels",
            });
            flow.full_row("MODULE 1 : RELATION GENERALE AVEC LES USAGERS");
            module = Some(1);
        }
        if a.phase == "on_site" {
            if a.section != section {
                section = a.section;
                match section {
                    "pilotage" => flow.full_row("PILOTAGE DE LA POLITIQUE QUALITE"),
                    "labellisation" => flow.full_row("DEMARCHE DE LABELLISATION"),
                    _ => {}
                }
            }
            if a.section == "module" && a.module != module {
                module = a.module;
                flow.full_row(MODULE_HEADERS[usize::from(a.module.unwrap_or(1)) - 1]);
            }
            if let Some((_, header, _)) = CHANNELS.iter().find(|(first, _, _)| {
                a.module == Some(1) && a.section == "module" && *first == a.number
            }) {
                flow.full_row(header);
            }
        }
        let mut commitment = Vec::new();
        if let Some(m) = a.module.filter(|_| a.section == "module") {
            commitment.push(format!("Module {m}"));
        }
        commitment.extend(wrap_width(
            &format!("{}. {}", a.number, a.title),
            COLS[1] - COLS[0] - 2.0 * PAD,
        ));
        let mut appraisal = Vec::new();
        for n in &a.annotations {
            appraisal.extend(wrap_width(
                &format!("{} : {}", marker_text(n.kind), n.text),
                COLS[2] - COLS[1] - 2.0 * PAD,
            ));
        }
        flow.grid_row(&[
            commitment,
            appraisal,
            vec![code_text(a.conformity).to_owned()],
        ]);
    }
    // The conclusion, each label followed by its text.
    flow.grid = false;
    flow.new_page();
    flow.lines(&["4. SYNTHESE DE L'EVALUATION ET CONCLUSION GENERALE DE L'AUDIT".to_owned()]);
    for (label, text) in conclusion_boxes(&r.conclusion) {
        flow.gap(8.0);
        flow.lines(&[label.to_owned()]);
        if let Some(t) = text {
            flow.lines(&wrap_width(t, COLS[3] - MARGIN));
        }
    }
    let pages = flow.finish();
    PdfOut {
        pages: pages.len() as u32,
        bytes: pdf_file(&pages),
    }
}

/// Assembles the file: catalog, page tree, font, info, then a page and a content
/// stream per page, and the cross-reference table.
fn pdf_file(pages: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let count = 4 + 2 * pages.len();
    let mut offsets = vec![0usize; count + 1];
    let mut object = |out: &mut Vec<u8>, id: usize, body: &[u8]| {
        offsets[id] = out.len();
        out.extend_from_slice(format!("{id} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    object(&mut out, 1, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 5 + 2 * i))
        .collect();
    object(
        &mut out,
        2,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    let widths: Vec<String> = (32u8..=255)
        .map(|b| {
            let byte = [b];
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
            s.chars().next().map_or(0, glyph_width).to_string()
        })
        .collect();
    object(
        &mut out,
        3,
        format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] >>",
            widths.join(" ")
        )
        .as_bytes(),
    );
    object(&mut out, 4, b"<< /Producer (audit-extract generate_corpus) /Title (Rapport d'audit de labellisation) >>");
    for (i, content) in pages.iter().enumerate() {
        let (page_id, content_id) = (5 + 2 * i, 6 + 2 * i);
        object(
            &mut out,
            page_id,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .as_bytes(),
        );
        let mut body = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(b"\nendstream");
        object(&mut out, content_id, &body);
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", count + 1).as_bytes());
    for offset in &offsets[1..] {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            count + 1
        )
        .as_bytes(),
    );
    out
}
