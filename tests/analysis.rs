//! `audit-extract analyze` as a user runs it, on the hand-written corpus of
//! fixtures/analysis/ (see its README): six reports of three departments in 2021 and
//! 2023 with paraphrased PP texts on three topics, a PS pair, unrelated tracks, one
//! persistent track, and two bad files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use audit_extract::analysis::matrix::CommitmentsFile;
use audit_extract::analysis::write::TracksFile;
use serde_json::Value;

const FIXTURES: &str = "fixtures/analysis";

/// Runs the binary; returns exit code and stderr.
fn analyze(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .arg("analyze")
        .args(args)
        .output()
        .expect("run binary");
    assert!(out.stdout.is_empty(), "analyze prints nothing on stdout");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Analyses the fixture corpus (bad files included) into a fresh directory.
fn analyzed() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = analyze(&[FIXTURES, "--output", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (dir, stderr)
}

fn tracks(dir: &Path) -> TracksFile {
    serde_json::from_str(&std::fs::read_to_string(dir.join("tracks.json")).unwrap())
        .expect("tracks.json has the documented shape")
}

/// The PP track holding a member that starts with `start`.
fn pp_track_with<'f>(
    file: &'f TracksFile,
    start: &str,
) -> &'f audit_extract::analysis::tracks::Track {
    file.improvement_tracks
        .iter()
        .find(|t| t.members.iter().any(|m| m.text.starts_with(start)))
        .unwrap_or_else(|| panic!("no PP track with a member starting {start:?}"))
}

/// Id of the track whose members include a text starting with `prefix`.
fn track_of(file: &TracksFile, prefix: &str) -> Option<String> {
    file.improvement_tracks
        .iter()
        .chain(&file.sensitive_points)
        .find(|t| t.members.iter().any(|m| m.text.starts_with(prefix)))
        .map(|t| t.id.clone())
}

#[test]
fn paraphrases_are_grouped_and_topics_kept_apart() {
    let (dir, _) = analyzed();
    let file = tracks(dir.path());
    let topics: [&[&str]; 3] = [
        &[
            "Afficher les horaires d'ouverture",
            "Les horaires d'ouverture au public",
            "Il conviendrait d'afficher lisiblement",
        ],
        &[
            "Actualiser le message du SVI",
            "Le message d'accueil du SVI",
            "Mettre à jour le message du serveur vocal",
        ],
        &[
            "Envoyer systématiquement un accusé",
            "Accuser réception des mails",
            "Un accusé de réception automatique",
        ],
    ];
    let mut ids = Vec::new();
    for texts in topics {
        let id = track_of(&file, texts[0]).unwrap_or_else(|| panic!("{} is in no track", texts[0]));
        for text in &texts[1..] {
            assert_eq!(
                track_of(&file, text).as_deref(),
                Some(id.as_str()),
                "{text} is not grouped with {}",
                texts[0]
            );
        }
        assert_eq!(
            file.improvement_tracks
                .iter()
                .find(|t| t.id == id)
                .unwrap()
                .size,
            3,
            "{id} has only its topic"
        );
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three topics, three tracks");
    for unrelated in [
        "Former les agents",
        "Renouveler la composition",
        "Remplacer le mobilier",
        "Formaliser la procédure",
    ] {
        assert_eq!(
            track_of(&file, unrelated),
            None,
            "{unrelated} recurs nowhere"
        );
    }
    assert_eq!(file.improvement_tracks.len(), 3);
    assert_eq!(
        track_of(&file, "La boucle magnétique"),
        track_of(&file, "Aucun contrôle périodique")
    );
    assert_eq!(file.sensitive_points.len(), 1);
    assert_eq!(track_of(&file, "Les comptes de réseaux sociaux"), None);
}

#[test]
fn tracks_carry_departments_years_commitments_and_members() {
    let (dir, _) = analyzed();
    let file = tracks(dir.path());
    let first = &file.improvement_tracks[0];
    assert_eq!((first.id.as_str(), first.rank), ("PP-001", 1));
    for (i, t) in file.improvement_tracks.iter().enumerate() {
        assert_eq!(t.rank, i + 1);
        assert_eq!(t.size, t.members.len());
        assert_eq!(t.department_count, t.departments.len());
        assert!(
            t.members.iter().any(|m| m.text == t.representative),
            "the representative is a member"
        );
    }
    let ranks: Vec<(usize, usize)> = file
        .improvement_tracks
        .iter()
        .map(|t| (t.department_count, t.size))
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] >= w[1]),
        "ranked by departments then size: {ranks:?}"
    );
    let horaires = pp_track_with(&file, "Afficher les horaires");
    let codes: Vec<&str> = horaires
        .departments
        .iter()
        .filter_map(|d| d.code.as_deref())
        .collect();
    assert_eq!(codes, ["19", "31", "82"]);
    assert_eq!(horaires.years, ["2021", "2023"]);
    assert_eq!(horaires.commitments.len(), 1);
    assert_eq!(horaires.commitments[0].code, "m1.1");
    assert_eq!(
        horaires.commitments[0].title,
        "Nous vous informons sur les conditions de fonctionnement de nos services"
    );
    let member = &horaires.members[0];
    assert_eq!(member.report, "archives/tarn-et-garonne-2021-06-15.txt");
    assert_eq!(member.assessment, "on_site.m1.1");
    assert_eq!(member.audit_date.as_deref(), Some("2021-06-15"));
    assert!(member.file.ends_with("tarn-et-garonne-2021-06-15.json"));
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(r.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn persistence_is_found() {
    let (dir, _) = analyzed();
    let (_, rows) = read_csv(&dir.path().join("persistent.csv"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row["department_code"], "82");
    assert_eq!(row["department"], "Tarn-et-Garonne");
    assert_eq!(row["commitment"], "m1.8");
    assert_eq!(
        (
            row["section"].as_str(),
            row["module"].as_str(),
            row["number"].as_str()
        ),
        ("module", "1", "8")
    );
    assert_eq!(row["first_date"], "2021-06-15");
    assert_eq!(row["second_date"], "2023-05-10");
    assert!(row["first_text"].starts_with("Actualiser le message du SVI"));
    assert!(row["second_text"].starts_with("Le message d'accueil du SVI n'est toujours pas"));
    assert_eq!(row["kind"], "PP");
    let file = tracks(dir.path());
    assert_eq!(
        track_of(&file, "Actualiser le message du SVI").as_deref(),
        Some(row["track"].as_str())
    );
}

#[test]
fn csv_files_parse_and_have_the_documented_columns() {
    let (dir, _) = analyzed();
    let documented: [(&str, &[&str]); 5] = [
        (
            "reports.csv",
            &[
                "file",
                "source_path",
                "department_code",
                "department",
                "city",
                "site_type",
                "referential",
                "audit_type",
                "audit_origin",
                "audit_dates",
                "signature_date",
                "year",
                "assessments",
                "c",
                "na",
                "nc_min",
                "nc_maj",
                "unrated",
                "pf",
                "ps",
                "pp",
                "pv",
                "note",
                "sha256",
                "copies",
            ],
        ),
        (
            "commitments.csv",
            &[
                "commitment",
                "section",
                "module",
                "number",
                "title",
                "scope",
                "scope_key",
                "scope_label",
                "assessments",
                "c",
                "na",
                "nc_min",
                "nc_maj",
                "unrated",
                "nc_rate",
                "ps",
                "pp",
                "theme",
            ],
        ),
        (
            "tracks.csv",
            &[
                "kind",
                "track",
                "rank",
                "size",
                "department_count",
                "years",
                "commitments",
                "actions",
                "objects",
                "representative",
                "report",
                "file",
                "department_code",
                "department",
                "audit_date",
                "assessment",
                "annotation",
                "commitment",
                "text",
                "themes",
            ],
        ),
        (
            "themes.csv",
            &[
                "theme",
                "theme_label",
                "year",
                "audits",
                "assessments",
                "c",
                "na",
                "nc_min",
                "nc_maj",
                "unrated",
                "nc_rate",
                "ps",
                "pp",
                "pp_track_members",
                "ps_track_members",
            ],
        ),
        (
            "persistent.csv",
            &[
                "kind",
                "track",
                "department_code",
                "department",
                "commitment",
                "section",
                "module",
                "number",
                "title",
                "first_date",
                "first_report",
                "first_assessment",
                "first_text",
                "second_date",
                "second_report",
                "second_assessment",
                "second_text",
                "representative",
            ],
        ),
    ];
    for (name, columns) in documented {
        let (header, _) = read_csv(&dir.path().join(name));
        assert_eq!(header, columns, "{name}");
    }

    let (_, reports) = read_csv(&dir.path().join("reports.csv"));
    assert_eq!(reports.len(), 6);
    let order: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| (r["department_code"].as_str(), r["year"].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("19", "2021"),
            ("19", "2023"),
            ("31", "2021"),
            ("31", "2023"),
            ("82", "2021"),
            ("82", "2023")
        ]
    );
    let tg = &reports[4];
    assert_eq!(tg["department"], "Tarn-et-Garonne");
    assert_eq!(tg["city"], "Montauban");
    assert_eq!(tg["audit_dates"], "2021-06-15");
    assert_eq!(
        (
            tg["assessments"].as_str(),
            tg["c"].as_str(),
            tg["nc_min"].as_str(),
            tg["pp"].as_str(),
            tg["ps"].as_str()
        ),
        ("7", "5", "2", "3", "1")
    );

    let (_, matrix) = read_csv(&dir.path().join("commitments.csv"));
    let m18: Vec<&BTreeMap<String, String>> = matrix
        .iter()
        .filter(|r| r["commitment"] == "m1.8")
        .collect();
    let scopes: Vec<(&str, &str)> = m18
        .iter()
        .map(|r| (r["scope"].as_str(), r["scope_key"].as_str()))
        .collect();
    assert_eq!(
        scopes,
        [
            ("all", ""),
            ("year", "2021"),
            ("year", "2023"),
            ("department", "19"),
            ("department", "31"),
            ("department", "82")
        ]
    );
    let all = m18[0];
    assert_eq!(
        (
            all["assessments"].as_str(),
            all["c"].as_str(),
            all["na"].as_str(),
            all["nc_min"].as_str(),
            all["nc_maj"].as_str()
        ),
        ("6", "2", "1", "2", "1")
    );
    assert_eq!(
        (all["nc_rate"].as_str(), all["pp"].as_str()),
        ("0.600", "3")
    );
    assert_eq!(m18[5]["scope_label"], "Tarn-et-Garonne");

    let (_, members) = read_csv(&dir.path().join("tracks.csv"));
    let file = tracks(dir.path());
    let total: usize = file
        .improvement_tracks
        .iter()
        .chain(&file.sensitive_points)
        .map(|t| t.size)
        .sum();
    assert_eq!(members.len(), total, "one row per member");
}

fn validator_of(schema: schemars::Schema) -> jsonschema::Validator {
    jsonschema::validator_for(&serde_json::to_value(schema).unwrap()).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, value: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what} does not validate: {errors:?}");
}

#[test]
fn json_outputs_validate() {
    let (dir, _) = analyzed();
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap())
            .expect("parses")
    };
    let tracks = read("tracks.json");
    assert_valid(
        &validator_of(schemars::schema_for!(TracksFile)),
        "tracks.json",
        &tracks,
    );
    assert_eq!(tracks["parameters"]["similarity"], "cosine");
    let commitments = read("commitments.json");
    assert_valid(
        &validator_of(schemars::schema_for!(CommitmentsFile)),
        "commitments.json",
        &commitments,
    );
    let typed: CommitmentsFile = serde_json::from_value(commitments).unwrap();
    assert_eq!(
        typed.departments.get("82").map(String::as_str),
        Some("Tarn-et-Garonne")
    );
    let m18 = typed.commitments.iter().find(|c| c.code == "m1.8").unwrap();
    assert_eq!(m18.by_year["2023"].nc_maj, 1);
    assert_eq!(m18.by_department["82"].nc_min, 2);
}

#[test]
fn fixtures_are_reports_of_the_contract() {
    let schema: Value = serde_json::from_str(&audit_extract::output::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for entry in walkdir::WalkDir::new(FIXTURES).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json")
            && !path.starts_with(Path::new(FIXTURES).join("bad"))
        {
            let report: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            assert_valid(&validator, &path.display().to_string(), &report);
        }
    }
}

#[test]
fn bad_inputs_are_reported_and_skipped_never_fatal() {
    let (dir, stderr) = analyzed();
    assert!(
        stderr.contains("warning: fixtures/analysis/bad/not-a-report.json: skipped: not a report"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: fixtures/analysis/bad/schema-v2.json: skipped: schema_version \"2\""
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("analyzed 6 reports (2 inputs skipped"),
        "{stderr}"
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("schema-v2.json"),
        "the page lists skipped inputs"
    );

    let out = tempfile::tempdir().unwrap();
    let missing = out.path().join("missing");
    let (code, stderr) = analyze(&[
        "fixtures/analysis/bad",
        missing.to_str().unwrap(),
        "--output",
        out.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "no report at all is an error: {stderr}");
    assert!(stderr.contains("no such file or directory"), "{stderr}");
    assert!(
        stderr.contains("error: no report could be read"),
        "{stderr}"
    );

    let (code, stderr) = analyze(&[
        FIXTURES,
        "--output",
        out.path().to_str().unwrap(),
        "--threshold",
        "1.5",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

/// The fixture reports (bad ones excepted), in path order.
fn fixture_reports() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(FIXTURES)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.starts_with(Path::new(FIXTURES).join("bad"))
        })
        .collect();
    paths.sort();
    paths
}

/// Tracks without the fields that name where a report was read from.
fn shape(file: &TracksFile) -> Vec<(String, usize, String, Vec<String>)> {
    file.improvement_tracks
        .iter()
        .chain(&file.sensitive_points)
        .map(|t| {
            (
                t.id.clone(),
                t.size,
                t.representative.clone(),
                t.members.iter().map(|m| m.text.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn json_lines_and_manifests_are_read_too() {
    let (reference_dir, _) = analyzed();
    let reference = shape(&tracks(reference_dir.path()));
    let work = tempfile::tempdir().unwrap();

    let mut lines = String::new();
    for path in fixture_reports() {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        lines.push_str(&serde_json::to_string(&value).unwrap());
        lines.push_str("\n\n");
    }
    lines.push_str("{\"not\": \"a report\"}\n");
    let jsonl = work.path().join("reports.jsonl");
    std::fs::write(&jsonl, lines).unwrap();
    let out = work.path().join("from-jsonl");
    let (code, stderr) = analyze(&[jsonl.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("reports.jsonl:13: skipped: not a report"),
        "the line is named: {stderr}"
    );
    assert_eq!(shape(&tracks(&out)), reference);
    let (_, reports) = read_csv(&out.join("reports.csv"));
    assert!(
        reports[0]["file"].contains("reports.jsonl:"),
        "{:?}",
        reports[0]
    );

    // A manifest as `extract --output` writes it: outputs relative to its directory.
    let extracted = work.path().join("extracted");
    let mut manifest = String::new();
    for (i, path) in fixture_reports().iter().enumerate() {
        let rel = format!("sub/{i}.json");
        std::fs::create_dir_all(extracted.join("sub")).unwrap();
        std::fs::copy(path, extracted.join(&rel)).unwrap();
        let status = if i % 2 == 0 { "ok" } else { "ok_with_warnings" };
        manifest.push_str(&format!("{{\"path\":\"in/{i}.txt\",\"output\":\"{rel}\",\"status\":\"{status}\",\"tool_version\":\"0.1.0\"}}\n"));
    }
    manifest.push_str("{\"path\":\"in/broken.pdf\",\"output\":null,\"status\":\"failed\",\"tool_version\":\"0.1.0\"}\n");
    std::fs::write(extracted.join("manifest.jsonl"), manifest).unwrap();
    let out = work.path().join("from-manifest");
    let (code, stderr) = analyze(&[
        extracted.join("manifest.jsonl").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "analyzed 6 reports (0 inputs skipped, 0 duplicates, 1 manifest rows not extracted, 0 copies of an audit already counted)"
        ),
        "{stderr}"
    );
    assert_eq!(shape(&tracks(&out)), reference);

    // The directory holding that manifest: its reports once, the manifest not again.
    let out = work.path().join("from-dir");
    let (code, stderr) = analyze(&[extracted.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("analyzed 6 reports (0 inputs skipped"),
        "{stderr}"
    );

    // The same reports twice: read once, the copies reported.
    let out = work.path().join("twice");
    let (code, stderr) = analyze(&[
        FIXTURES,
        jsonl.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("6 duplicates"), "{stderr}");
    assert_eq!(shape(&tracks(&out)), reference);
}

#[test]
fn output_is_deterministic() {
    let (a, _) = analyzed();
    let (b, _) = analyzed();
    for name in audit_extract::analysis::OUTPUT_FILES {
        let (x, y) = (
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between two runs");
    }
}

#[test]
fn html_report_is_self_contained_and_renders_in_chromium() {
    let (dir, _) = analyzed();
    let page = dir.path().join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    for needle in [
        "Pistes de progrès récurrentes",
        "Points sensibles récurrents",
        "Conformité par engagement",
        "Tendances par année",
        "Pistes persistantes",
        "<svg",
    ] {
        assert!(html.contains(needle), "the page has {needle}");
    }
    for forbidden in ["<script", "http://", "https://", "<link", "@import", "url("] {
        let outside_svg_namespace = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !outside_svg_namespace.contains(forbidden),
            "the page is self-contained: found {forbidden}"
        );
    }

    let Some(chromium) = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        // CI installs Chromium (.ci/run): there, its absence is a failure, never a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and Chromium is missing: .ci/run must install it"
        );
        eprintln!(
            "SKIPPED html rendering check: chromium is not installed (apt-get install chromium)"
        );
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let shot = dir.path().join("report.png");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,2000")
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    // A blank 1200×2000 page compresses to a few kilobytes; the report is far larger.
    assert!(
        png.len() > 50_000,
        "the screenshot shows a rendered page ({} bytes)",
        png.len()
    );
}

/// Wordings of one audit corpus for the grouping alone (library defaults): each
/// track reworded with other verbs, nouns, acronyms and order, next to close but
/// different tracks on the same subject and unrelated ones.
const REWORDED: &[&str] = &[
    // 0-2: train the reception staff to welcome disabled people.
    "Former les agents d'accueil à la prise en charge des personnes en situation de handicap.",
    "Inscrire la formation à l'accueil des personnes handicapées au plan de formation.",
    "Programmer une session de sensibilisation à l'accueil des publics handicapés.",
    // 3-5: meet the users' committee once a year.
    "Réunir le comité local des usagers au moins une fois par an.",
    "Convoquer le CLU chaque année.",
    "Tenir une réunion annuelle du comité local des usagers.",
    // 6-7: widen the users' committee (same subject, other track).
    "Elargir la composition du comité local des usagers à de nouvelles associations.",
    "Ouvrir le comité des usagers à davantage d'associations représentatives.",
    // 8-9: publish an up-to-date complaints report.
    "Mettre à jour le bilan des réclamations publié sur le site internet.",
    "Publier chaque année sur le site internet un bilan actualisé des réclamations.",
    // 10-11: act on the complaints (same subject, other track).
    "Analyser les réclamations reçues pour en tirer des actions d'amélioration.",
    "Exploiter le bilan des réclamations afin de définir des actions correctives.",
    // 12-16: others; 12 shares "former les agents", 15-16 share "serveur".
    "Former les agents du standard à la langue des signes.",
    "Remplacer le mobilier de la salle d'attente.",
    "Mettre à jour les fiches d'information sur les polices administratives.",
    "Supprimer du serveur partagé les versions obsolètes des procédures.",
    "Actualiser les messages du serveur vocal interactif à chaque changement d'horaires.",
];

fn reworded_groups() -> Vec<usize> {
    reworded_groups_with(&audit_extract::analysis::grouping::GroupingParams::default())
}

fn reworded_groups_with(params: &audit_extract::analysis::grouping::GroupingParams) -> Vec<usize> {
    group_of_each(
        &audit_extract::analysis::grouping::group_texts(REWORDED, params),
        REWORDED.len(),
    )
}

/// The group index of each text (`usize::MAX`: in no group).
fn group_of_each(grouping: &audit_extract::analysis::grouping::Grouping, n: usize) -> Vec<usize> {
    let mut group = vec![usize::MAX; n];
    for (g, members) in grouping.groups.iter().enumerate() {
        for &m in &members.members {
            group[m] = g;
        }
    }
    group
}

#[test]
fn reworded_tracks_are_grouped() {
    let group = reworded_groups();
    // Share almost no word as written: the normaliser reads "CLU" and "comité local
    // des usagers", "convoquer" and "réunir", "chaque année" and "une fois par an",
    // "actualisé" and "mettre à jour", "handicapées" and "handicap" as one term each.
    for (a, b) in [(3, 4), (3, 5), (8, 9), (0, 1)] {
        assert_eq!(
            group[a], group[b],
            "{:?} and {:?} are one track",
            REWORDED[a], REWORDED[b]
        );
    }
}

/// Pairs of different tracks that share words (the committee, the complaints
/// report, training the staff, "serveur", "administr-").
const CLOSE_BUT_DIFFERENT: &[(usize, usize)] = &[
    (3, 6),   // meet the committee / widen it
    (5, 7),   // meet the committee / open it to associations
    (8, 11),  // publish the complaints report / act on it
    (9, 10),  // publish the complaints report / analyse the complaints
    (0, 12),  // disability training / sign language training of the switchboard
    (15, 16), // a shared file server is not the interactive voice server
    (14, 3),  // "administratives" is not "administrés" (users)
];

#[test]
fn close_but_different_tracks_stay_apart() {
    let group = reworded_groups();
    for &(a, b) in CLOSE_BUT_DIFFERENT {
        assert_ne!(
            group[a], group[b],
            "{:?} and {:?} are different tracks",
            REWORDED[a], REWORDED[b]
        );
    }
    for lone in [12, 13, 14, 15, 16] {
        assert!(
            group.iter().filter(|&&g| g == group[lone]).count() == 1,
            "{:?} recurs nowhere",
            REWORDED[lone]
        );
    }
}

#[test]
fn close_tracks_stay_apart_even_when_grouping_is_loose() {
    // A loose setting (low threshold, no cohesion or "about" check) links any two
    // texts sharing a little; the pairs above still stay apart where they ask
    // different actions, because two texts naming different members of a family
    // (actions, channels) are never linked, whatever the threshold.
    let loose = audit_extract::analysis::grouping::GroupingParams {
        threshold: 0.05,
        cohesion: 0.0,
        about: 0.0,
        ..Default::default()
    };
    let group = reworded_groups_with(&loose);
    for (a, b) in [(3, 6), (8, 11), (9, 10)] {
        assert_ne!(group[a], group[b], "{:?} / {:?}", REWORDED[a], REWORDED[b]);
    }
    // And the loose setting does link more than the default one.
    let default = reworded_groups();
    let linked = |g: &[usize]| {
        (0..g.len())
            .flat_map(|i| (i + 1..g.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| g[i] == g[j])
            .count()
    };
    assert!(linked(&group) > linked(&default));
}

/// A paraphrase set of fixtures/paraphrase/ (see its README).
#[derive(serde::Deserialize)]
struct ParaphraseSet {
    recommendations: Vec<Recommendation>,
    lookalikes: Vec<LookAlike>,
}

#[derive(serde::Deserialize)]
struct Recommendation {
    id: String,
    wordings: Vec<String>,
}

#[derive(serde::Deserialize)]
struct LookAlike {
    a: String,
    b: String,
}

/// Pairwise precision and recall over the wordings, and the look-alike pairs merged,
/// when every text of the set (wordings and look-alikes) is grouped together.
struct ParaphraseScore {
    precision: f64,
    recall: f64,
    merged_lookalikes: Vec<(String, String)>,
    lookalikes: usize,
}

fn paraphrase_score(path: &str) -> ParaphraseScore {
    let set: ParaphraseSet =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("a paraphrase set");
    let mut texts: Vec<&str> = Vec::new();
    let mut truth: Vec<&str> = Vec::new();
    for r in &set.recommendations {
        for w in &r.wordings {
            texts.push(w);
            truth.push(&r.id);
        }
    }
    let wordings = texts.len();
    for pair in &set.lookalikes {
        texts.push(&pair.a);
        texts.push(&pair.b);
    }
    let grouping = audit_extract::analysis::grouping::group_texts(
        &texts,
        &audit_extract::analysis::grouping::GroupingParams::default(),
    );
    let group = group_of_each(&grouping, texts.len());
    let (mut true_pairs, mut grouped, mut right) = (0u32, 0u32, 0u32);
    for i in 0..wordings {
        for j in i + 1..wordings {
            let same_truth = truth[i] == truth[j];
            let same_group = group[i] == group[j];
            true_pairs += u32::from(same_truth);
            grouped += u32::from(same_group);
            right += u32::from(same_truth && same_group);
        }
    }
    let merged_lookalikes = (0..set.lookalikes.len())
        .filter(|k| group[wordings + 2 * k] == group[wordings + 2 * k + 1])
        .map(|k| (set.lookalikes[k].a.clone(), set.lookalikes[k].b.clone()))
        .collect();
    ParaphraseScore {
        precision: if grouped == 0 {
            1.0
        } else {
            f64::from(right) / f64::from(grouped)
        },
        recall: f64::from(right) / f64::from(true_pairs),
        merged_lookalikes,
        lookalikes: set.lookalikes.len(),
    }
}

/// The floors are precision 0.9 and recall 0.75; `recall_floor` sits just under
/// the measured figure (lower than 0.75 only where that falls short of it), so the test
/// catches a regression.
fn assert_paraphrase_floors(path: &str, recall_floor: f64) {
    let score = paraphrase_score(path);
    println!(
        "{path}: pairwise precision {:.3}, recall {:.3}, look-alike pairs merged {} of {}",
        score.precision,
        score.recall,
        score.merged_lookalikes.len(),
        score.lookalikes
    );
    assert!(
        score.precision >= 0.9,
        "{path}: precision {:.3}",
        score.precision
    );
    assert!(
        score.recall >= recall_floor,
        "{path}: recall {:.3}",
        score.recall
    );
    assert!(
        6 * score.merged_lookalikes.len() <= score.lookalikes,
        "{path}: look-alike pairs merged: {:?}",
        score.merged_lookalikes
    );
}

#[test]
fn paraphrases_of_the_development_set_group_and_look_alikes_stay_apart() {
    assert_paraphrase_floors("fixtures/paraphrase/dev.json", 0.85);
}

/// The third set, written before the lexicon was tuned on it, on other topics than
/// the development set (orientation, appointments, call-back, town halls, mail
/// routing, titles, foreigners' training, quality correspondents…).
#[test]
fn paraphrases_of_the_extra_set_group_and_look_alikes_stay_apart() {
    assert_paraphrase_floors("fixtures/paraphrase/extra.json", 0.80);
}

/// The fourth set (issue 13, third round), written and committed before this round's
/// tuning on reception topics none of the other sets has (toilets, wifi, call
/// screens, children's corner, priority reception, exceptional closures, sign
/// language, drop box, stale leaflets, switchboard cue cards, job descriptions,
/// parking, security check, cleanliness). First measured at precision 0.455, recall
/// 0.071, 3 of 8 look-alike pairs merged; then tuned on (see its README).
#[test]
fn paraphrases_of_the_fresh_set_group_and_look_alikes_stay_apart() {
    assert_paraphrase_floors("fixtures/paraphrase/fresh.json", FRESH_RECALL_FLOOR);
}

/// Just under the figure measured at the end of the round, so a regression fails.
const FRESH_RECALL_FLOOR: f64 = 0.75;

/// Word vectors propose pairs the lexicon alone leaves apart; the lexicon still
/// vetoes a pair asking different actions, however close the vectors.
#[test]
fn word_vectors_propose_pairs_and_the_lexicon_decides() {
    use audit_extract::analysis::concepts::Lexicon;
    use audit_extract::analysis::grouping::{group_texts_semantic, GroupingParams, Semantic};
    use audit_extract::analysis::vectors::{encode, WordVectors};
    let texts = [
        "Remplacer les néons défectueux du hall.",
        "Changer les luminaires en panne du hall.",
        "Supprimer les néons défectueux du hall.",
        "Afficher les horaires d'ouverture.",
    ];
    // A tiny vectors file: every lighting word on one direction, opening hours on another.
    let lighting = [
        "néons",
        "défectueux",
        "changer",
        "luminaires",
        "panne",
        "remplacer",
        "supprimer",
    ];
    let mut words: Vec<(&str, u32)> = lighting.iter().map(|w| (*w, 0)).collect();
    words.extend([("afficher", 1), ("horaires", 1), ("ouverture", 1)]);
    let bytes = encode(
        4,
        &[vec![1.0, 0.2, 0.0, 0.0], vec![0.0, 0.0, 1.0, 0.1]],
        &words,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.aev");
    std::fs::write(&path, &bytes).unwrap();
    let vectors = WordVectors::load(&path).unwrap();
    let params = GroupingParams::default();
    let lexicon = Lexicon::builtin();
    let alone = group_of_each(&group_texts_semantic(&texts, &params, lexicon, None), 4);
    assert_ne!(
        alone[0], alone[1],
        "the lexicon alone does not see the paraphrase"
    );
    let semantic = Semantic {
        concepts: 0.0,
        ..Semantic::new(&vectors)
    };
    // Groups joined on the vectors' word must still meet the lexicon's cohesion: with
    // the defaults, these two texts (sharing only "hall") stay apart…
    let defaults = group_of_each(
        &group_texts_semantic(&texts, &params, lexicon, Some(semantic)),
        4,
    );
    assert_ne!(defaults[0], defaults[1], "the cohesion floor holds");
    // … and with no cohesion asked, the vectors' proposal is taken.
    let loose = GroupingParams {
        cohesion: 0.0,
        ..params
    };
    let with = group_of_each(
        &group_texts_semantic(&texts, &loose, lexicon, Some(semantic)),
        4,
    );
    assert_eq!(
        with[0], with[1],
        "the vectors propose it, the lexicon agrees"
    );
    assert_ne!(
        with[0], with[2],
        "'remplacer' and 'supprimer' are different actions"
    );
    assert_ne!(with[0], with[3]);
    // The concept floor of the default second opinion refuses a pair sharing no concept.
    let strict = group_of_each(
        &group_texts_semantic(&texts, &params, lexicon, Some(Semantic::new(&vectors))),
        4,
    );
    assert_eq!(strict, alone);
}

/// `--vectors FILE` and a CSV `--lexicon` as a user passes them.
#[test]
fn vectors_files_and_csv_lexicons_are_read_by_the_cli() {
    let work = tempfile::tempdir().unwrap();
    let corpus = paraphrase_corpus(work.path());
    let vectors = work.path().join("tiny.aev");
    std::fs::write(
        &vectors,
        audit_extract::analysis::vectors::encode(
            2,
            &[vec![1.0, 0.0], vec![0.0, 1.0]],
            &[("badge", 0), ("horaires", 1)],
        ),
    )
    .unwrap();
    let (pairs, file) = grouped_pairs(&corpus, &["--vectors", vectors.to_str().unwrap()]);
    assert!(pairs > 50, "{pairs}");
    assert_eq!(file.parameters.vectors, Some(vectors.display().to_string()));
    let (_, file) = grouped_pairs(&corpus, &[]);
    assert_eq!(file.parameters.vectors, None);
    std::fs::write(&vectors, b"AEVEC1\n\x02").unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = analyze(&[
        corpus.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--vectors",
        vectors.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "a bad vectors file is a usage error: {stderr}");
    assert!(stderr.contains("not a usable vectors file"), "{stderr}");

    let lexicon = work.path().join("lexicon.csv");
    std::fs::write(
        &lexicon,
        "id,label,role,variants\nreclamation,réclamations (CSV),object,réclamation;plainte;mécontentement\n",
    )
    .unwrap();
    let (_, file) = grouped_pairs(&corpus, &["--lexicon", lexicon.to_str().unwrap()]);
    assert!(file
        .improvement_tracks
        .iter()
        .any(|t| t.objects.contains(&"réclamations (CSV)".to_owned())));
    std::fs::write(&lexicon, "id,role,variants\nx,verb,y\n").unwrap();
    let (code, stderr) = analyze(&[
        corpus.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--lexicon",
        lexicon.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("role must be"), "{stderr}");
}

/// Measured at the end, never tuned on: precision 1.000, recall 0.717 (0.783 with
/// the word vectors), 0 of 4 look-alike pairs merged. Recall misses the 0.75
/// with the lexicon alone; the floor sits just under the measured figure so that a
/// regression still fails.
#[test]
fn paraphrases_of_the_held_out_set_group_and_look_alikes_stay_apart() {
    assert_paraphrase_floors("fixtures/paraphrase/heldout.json", 0.70);
}

/// Extracts `inputs` with the binary into a fresh directory.
fn extracted(inputs: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_audit-extract"))
        .arg("extract")
        .args(inputs)
        .arg("--output")
        .arg(dir.path())
        .arg("--quiet")
        .output()
        .expect("run binary");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn each_audit_is_counted_once_whatever_its_copies() {
    // The README's demo: the reference text and its PDF are one audit, and so are
    // the two Corrèze PDFs (LibreOffice and Chromium exports of one report).
    let pdfs: Vec<String> = std::fs::read_dir("fixtures/pdf")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".pdf"))
        .collect();
    let mut inputs = vec!["fixtures/text"];
    inputs.extend(pdfs.iter().map(String::as_str));
    let work = extracted(&inputs);
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = analyze(&[
        work.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("analyzed 5 reports") && stderr.contains("2 copies of an audit"),
        "{stderr}"
    );
    let (_, reports) = read_csv(&out.path().join("reports.csv"));
    assert_eq!(reports.len(), 5, "one row per audit");
    let kept: BTreeMap<&str, &str> = reports
        .iter()
        .map(|r| (r["source_path"].as_str(), r["copies"].as_str()))
        .collect();
    // The PDF is the better-read copy: in the text the conclusion's labels stand apart
    // from their paragraphs (quality 0.981 against 1.0).
    assert_eq!(
        kept.get("fixtures/pdf/tarn-et-garonne-2022.pdf"),
        Some(&"1"),
        "{kept:?}"
    );
    assert_eq!(
        kept.get("fixtures/pdf/vaucluse-2024-acroform.pdf"),
        Some(&"0")
    );
    let (header, copies) = read_csv(&out.path().join("duplicates.csv"));
    assert_eq!(header, audit_extract::analysis::write::DUPLICATES_COLUMNS);
    let pairs: Vec<(&str, &str, &str)> = copies
        .iter()
        .map(|r| {
            (
                r["source_path"].as_str(),
                r["kept_source_path"].as_str(),
                r["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert!(pairs.contains(&(
        "fixtures/text/tarn-et-garonne-2022-reference.txt",
        "fixtures/pdf/tarn-et-garonne-2022.pdf",
        "same_audit"
    )));
    assert!(pairs
        .iter()
        .any(|p| p.0.contains("correze-2023") && p.1.contains("correze-2023") && p.0 != p.1));
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("audit déjà compté (duplicates.csv)"));

    // --keep-copies counts every report.
    let all = tempfile::tempdir().unwrap();
    let (code, stderr) = analyze(&[
        work.path().to_str().unwrap(),
        "-o",
        all.path().to_str().unwrap(),
        "--keep-copies",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("analyzed 7 reports"), "{stderr}");
    let (_, copies) = read_csv(&all.path().join("duplicates.csv"));
    assert!(copies.is_empty());
}

/// One report JSON Lines file whose single assessment carries every wording of the
/// development paraphrase set as a PP, for running the CLI on known paraphrases.
fn paraphrase_corpus(dir: &Path) -> PathBuf {
    let set: ParaphraseSet =
        serde_json::from_str(&std::fs::read_to_string("fixtures/paraphrase/dev.json").unwrap())
            .unwrap();
    let mut report: Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/analysis/2021/correze-2021-09-21.json").unwrap(),
    )
    .unwrap();
    let annotations: Vec<Value> = set
        .recommendations
        .iter()
        .flat_map(|r| &r.wordings)
        .chain(set.lookalikes.iter().flat_map(|p| [&p.a, &p.b]))
        .map(|t| serde_json::json!({"kind": "PP", "text": t}))
        .collect();
    let assessments = report["assessments"].as_array_mut().unwrap();
    assessments.truncate(1);
    assessments[0]["annotations"] = Value::Array(annotations);
    let path = dir.join("paraphrases.jsonl");
    std::fs::write(&path, serde_json::to_string(&report).unwrap() + "\n").unwrap();
    path
}

/// Pairs of PP annotations put in one track by `analyze` with `flags`.
fn grouped_pairs(corpus: &Path, flags: &[&str]) -> (usize, TracksFile) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![corpus.to_str().unwrap(), "-o", out.path().to_str().unwrap()];
    args.extend(flags);
    let (code, stderr) = analyze(&args);
    assert_eq!(code, 0, "{stderr}");
    let file = tracks(out.path());
    let pairs = file
        .improvement_tracks
        .iter()
        .map(|t| t.size * (t.size - 1) / 2)
        .sum();
    (pairs, file)
}

#[test]
fn every_grouping_flag_governs_what_it_says() {
    let work = tempfile::tempdir().unwrap();
    let corpus = paraphrase_corpus(work.path());
    let (default, file) = grouped_pairs(&corpus, &[]);
    assert!(
        default > 50,
        "the paraphrases group by default ({default} pairs)"
    );
    assert_eq!(file.parameters.lexicon, "built-in");

    // --threshold governs every link: at 1, only texts read into the very same
    // concepts and words are linked (no other route, such as the commitment, links).
    let (strict, file) = grouped_pairs(&corpus, &["--threshold", "1"]);
    assert!(strict < default / 2, "{strict} of {default}");
    for track in &file.improvement_tracks {
        let lexicon = audit_extract::analysis::concepts::Lexicon::builtin();
        let read = |t: &str| {
            let r = lexicon.read(t);
            (r.concepts, r.residual)
        };
        let first = read(&track.members[0].text);
        for m in &track.members {
            assert_eq!(read(&m.text), first, "{} in {}", m.text, track.id);
        }
    }
    // --cohesion 1: groups never join, so a group is one link's pair of readings at most.
    let (cohesive, _) = grouped_pairs(&corpus, &["--cohesion", "1"]);
    assert!(cohesive < default, "{cohesive} of {default}");
    // --about: at 1 only texts about the very same things link; at 0 a shared action
    // may link texts about other things.
    let (same_things, file) = grouped_pairs(&corpus, &["--about", "1"]);
    assert!(same_things < default, "{same_things} of {default}");
    assert_eq!(file.parameters.about, 1.0);
    let (any_things, _) = grouped_pairs(&corpus, &["--about", "0"]);
    assert!(any_things >= default, "{any_things} of {default}");
    // --bands/--rows: MinHash bands propose the candidate pairs beyond 2,000 distinct
    // readings (see the grouping's unit tests); a set this small is compared pair by
    // pair, so they change nothing here but are recorded.
    let (few, file) = grouped_pairs(&corpus, &["--bands", "1", "--rows", "16"]);
    assert_eq!(few, default);
    assert_eq!((file.parameters.bands, file.parameters.rows), (1, 16));
    // --similarity jaccard compares unweighted sets: another grouping, recorded.
    let (jaccard, file) = grouped_pairs(&corpus, &["--similarity", "jaccard"]);
    assert_ne!(jaccard, default);
    assert_eq!(file.parameters.similarity, "jaccard");

    // --lexicon: a user's concept replaces the built-in one of its id, label included.
    let lexicon = work.path().join("lexicon.toml");
    std::fs::write(
        &lexicon,
        "[[concept]]\nid = \"reclamation\"\nlabel = \"réclamations (lexique local)\"\nrole = \"object\"\nvariants = [\"réclamation\", \"plainte\", \"mécontentement\"]\n",
    )
    .unwrap();
    let (_, file) = grouped_pairs(&corpus, &["--lexicon", lexicon.to_str().unwrap()]);
    assert!(file.improvement_tracks.iter().any(|t| t
        .objects
        .contains(&"réclamations (lexique local)".to_owned())));
    assert_eq!(file.parameters.lexicon, lexicon.display().to_string());
    std::fs::write(&lexicon, "[[concept]]\nid = 3\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stderr) = analyze(&[
        corpus.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--lexicon",
        lexicon.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "a bad lexicon is a usage error: {stderr}");
    assert!(stderr.contains("not a usable lexicon"), "{stderr}");

    // --top only shortens the HTML page.
    let out = tempfile::tempdir().unwrap();
    let (code, _) = analyze(&[
        corpus.to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--top",
        "1",
    ]);
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("les 1 premiers ici"),
        "the page shows one track"
    );
}

#[test]
fn each_track_says_which_concepts_tie_its_members() {
    let (dir, _) = analyzed();
    let file = tracks(dir.path());
    let horaires = pp_track_with(&file, "Afficher les horaires");
    assert_eq!(horaires.actions, ["afficher"]);
    assert!(
        horaires.objects.contains(&"horaires".to_owned()),
        "{:?}",
        horaires.objects
    );
    let (_, rows) = read_csv(&dir.path().join("tracks.csv"));
    let row = rows.iter().find(|r| r["track"] == horaires.id).unwrap();
    assert_eq!(row["actions"], "afficher");
    assert_eq!(row["objects"], horaires.objects.join(";"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("afficher"), "the page shows why");
}

/// Reports of four referentials and years, extracted with the binary, plus one
/// report JSON written before themes existed (fixtures/analysis, Corrèze 2023).
fn themed_corpus() -> tempfile::TempDir {
    let work = extracted(&[
        "fixtures/legacy/bas-rhin-2009-marianne.txt",
        "fixtures/legacy/gard-2014-qualipref2.txt",
        "fixtures/legacy/herault-2015-marianne.txt",
        "fixtures/text/tarn-et-garonne-2022-reference.txt",
    ]);
    std::fs::copy(
        "fixtures/analysis/2023/correze-2023-03-14.json",
        work.path().join("correze-2023-03-14.json"),
    )
    .unwrap();
    work
}

/// Theme id → count, most frequent first, ties by id: what the docs promise.
fn ranked_themes(counts: &BTreeMap<String, usize>) -> Vec<String> {
    let mut v: Vec<(&String, &usize)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter().map(|(t, _)| t.clone()).collect()
}

#[test]
fn themes_line_up_referentials_across_years() {
    let work = themed_corpus();
    let analyze_into = || {
        let out = tempfile::tempdir().unwrap();
        let (code, stderr) = analyze(&[
            work.path().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("analyzed 5 reports"), "{stderr}");
        out
    };
    let out = analyze_into();
    let again = analyze_into();
    for name in audit_extract::analysis::OUTPUT_FILES {
        let (x, y) = (
            std::fs::read(out.path().join(name)).unwrap(),
            std::fs::read(again.path().join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between two runs");
    }

    // Recount each assessment from the report JSONs: (theme, year) → counts.
    let mut reports: BTreeMap<String, Value> = BTreeMap::new();
    for entry in std::fs::read_dir(work.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            reports.insert(path.display().to_string(), v);
        }
    }
    let theme_of = |a: &Value| a["theme"].as_str().unwrap_or("").to_owned();
    let mut expected: BTreeMap<(String, String), [usize; 6]> = BTreeMap::new();
    let mut commitment_themes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut referential_of_year: BTreeMap<String, String> = BTreeMap::new();
    for report in reports.values() {
        let year = report["metadata"]["audit_dates"]
            .as_array()
            .and_then(|d| d.iter().filter_map(Value::as_str).min())
            .map(|d| d[..4].to_owned())
            .unwrap();
        referential_of_year.insert(
            year.clone(),
            report["metadata"]["referential"]["name"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        let mut seen = std::collections::BTreeSet::new();
        for a in report["assessments"].as_array().unwrap() {
            let theme = theme_of(a);
            let row = expected.entry((theme.clone(), year.clone())).or_default();
            if seen.insert(theme.clone()) {
                row[0] += 1;
            }
            row[1] += 1;
            let commitment = match (a["section"].as_str().unwrap(), a["module"].as_u64()) {
                ("module", Some(m)) => format!("m{m}.{}", a["number"]),
                (s, _) => format!("{s}.{}", a["number"]),
            };
            let counts = commitment_themes.entry(commitment).or_default();
            if !theme.is_empty() {
                *counts.entry(theme).or_default() += 1;
            }
            let code = match a["conformity"].as_str() {
                Some("C") => 2,
                Some("NA") => 3,
                Some("NC_MIN") => 4,
                Some("NC_MAJ") => 5,
                _ => continue,
            };
            row[code] += 1;
        }
    }
    assert_eq!(referential_of_year["2009"], "marianne-2008");
    assert_eq!(referential_of_year["2022"], "qual-e-pref");

    let (_, themes) = read_csv(&out.path().join("themes.csv"));
    let got: BTreeMap<(String, String), [usize; 6]> = themes
        .iter()
        .map(|r| {
            let n = |c: &str| r[c].parse::<usize>().unwrap();
            (
                (r["theme"].clone(), r["year"].clone()),
                [
                    n("audits"),
                    n("assessments"),
                    n("c"),
                    n("na"),
                    n("nc_min"),
                    n("nc_maj"),
                ],
            )
        })
        .collect();
    assert_eq!(got, expected);
    // Rows by theme id, unknown theme last, then year.
    let keys: Vec<(bool, String, String)> = themes
        .iter()
        .map(|r| (r["theme"].is_empty(), r["theme"].clone(), r["year"].clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // A Marianne engagement of 2009 and a Qual-e-pref commitment of 2022 on one line:
    // the Bas-Rhin truth has five physical-reception engagements (3 C, 1 NA, 1 NC_MIN).
    let reception: Vec<&BTreeMap<String, String>> = themes
        .iter()
        .filter(|r| r["theme"] == "accueil_physique")
        .collect();
    let years: Vec<&str> = reception.iter().map(|r| r["year"].as_str()).collect();
    assert!(
        years.contains(&"2009") && years.contains(&"2022"),
        "{years:?}"
    );
    let y2009 = reception.iter().find(|r| r["year"] == "2009").unwrap();
    assert_eq!(
        (
            y2009["assessments"].as_str(),
            y2009["c"].as_str(),
            y2009["na"].as_str(),
            y2009["nc_min"].as_str(),
            y2009["theme_label"].as_str()
        ),
        ("5", "3", "1", "1", "Accueil physique")
    );
    // The report written before themes: its assessments are of no theme, none guessed.
    let unknown: Vec<&BTreeMap<String, String>> =
        themes.iter().filter(|r| r["theme"].is_empty()).collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["year"], "2023");

    // commitments.csv: each commitment's most frequent theme, on every scope row.
    let (_, commitments) = read_csv(&out.path().join("commitments.csv"));
    let mut with_theme = 0;
    for r in &commitments {
        let want = commitment_themes
            .get(&r["commitment"])
            .map(ranked_themes)
            .and_then(|v| v.first().cloned())
            .unwrap_or_default();
        assert_eq!(r["theme"], want, "{}", r["commitment"]);
        with_theme += usize::from(!want.is_empty());
    }
    assert!(with_theme > 0);

    // Tracks: the themes of their members' assessments, most frequent first.
    let file = tracks(out.path());
    let all: Vec<&audit_extract::analysis::tracks::Track> = file
        .improvement_tracks
        .iter()
        .chain(&file.sensitive_points)
        .collect();
    assert!(!all.is_empty());
    let mut members_by_theme_year: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for t in &all {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for m in &t.members {
            let report = &reports[&m.file];
            let a = report["assessments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == m.assessment.as_str())
                .unwrap();
            let theme = theme_of(a);
            let entry = members_by_theme_year
                .entry((theme.clone(), m.audit_date.clone().unwrap()[..4].to_owned()))
                .or_default();
            if t.kind == "PP" {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            if !theme.is_empty() {
                *counts.entry(theme).or_default() += 1;
            }
        }
        let got: Vec<String> = t
            .themes
            .iter()
            .map(|th| {
                serde_json::to_value(th)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(got, ranked_themes(&counts), "{}", t.id);
    }
    assert!(all.iter().any(|t| !t.themes.is_empty()));
    let (_, track_rows) = read_csv(&out.path().join("tracks.csv"));
    for r in &track_rows {
        let t = all.iter().find(|t| t.id == r["track"]).unwrap();
        let joined: Vec<String> = t
            .themes
            .iter()
            .map(|th| {
                serde_json::to_value(th)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(r["themes"], joined.join(";"));
    }
    for r in &themes {
        let want = members_by_theme_year
            .get(&(r["theme"].clone(), r["year"].clone()))
            .copied()
            .unwrap_or_default();
        assert_eq!(
            (
                r["pp_track_members"].parse::<usize>().unwrap(),
                r["ps_track_members"].parse::<usize>().unwrap()
            ),
            want,
            "{} {}",
            r["theme"],
            r["year"]
        );
    }

    // themes.json: the same rows; the HTML has the theme × year table.
    let json: audit_extract::analysis::themes::ThemesFile =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("themes.json")).unwrap())
            .unwrap();
    assert_eq!(json.rows.len(), themes.len());
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let section = html
        .split("<section id=\"themes\"><h2>Par thème</h2>")
        .nth(1)
        .expect("a 'Par thème' section")
        .split("</section>")
        .next()
        .unwrap();
    for needle in [
        "<th class=\"col\">2009</th>",
        "<th class=\"col\">2022</th>",
        "Accueil physique",
        "Thème inconnu",
    ] {
        assert!(section.contains(needle), "{needle}");
    }
}

#[test]
fn reports_without_themes_give_no_theme() {
    // fixtures/analysis was written before themes existed: nothing is guessed.
    let (dir, _) = analyzed();
    let (_, themes) = read_csv(&dir.path().join("themes.csv"));
    assert!(!themes.is_empty());
    assert!(themes.iter().all(|r| r["theme"].is_empty()), "{themes:?}");
    let (_, commitments) = read_csv(&dir.path().join("commitments.csv"));
    assert!(commitments.iter().all(|r| r["theme"].is_empty()));
    let (_, track_rows) = read_csv(&dir.path().join("tracks.csv"));
    assert!(!track_rows.is_empty());
    assert!(track_rows.iter().all(|r| r["themes"].is_empty()));
}
