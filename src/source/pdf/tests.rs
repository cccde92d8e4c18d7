//! Tests over PDFs built in memory and over the committed fixtures.

use std::path::{Path, PathBuf};

use lopdf::{dictionary, Object, Stream};

use super::*;

/// The Qual-e-pref grid heading, as the templates pass it (shared with the layout's
/// unit tests).
pub(super) const HEADINGS: &[GridHeading] = &[GridHeading {
    cells: &[
        &["Engagements de service"],
        &["Appr", "Commentaires"],
        &["Conformit"],
    ],
}];
pub(super) const FIRST: Column = Column::Cell { index: 0, of: 3 };
pub(super) const SECOND: Column = Column::Cell { index: 1, of: 3 };
pub(super) const THIRD: Column = Column::Cell { index: 2, of: 3 };

fn read(bytes: &[u8]) -> Result<SourceDocument, ExtractError> {
    super::read(bytes, HEADINGS)
}

/// Builds a PDF whose pages have the given content streams, with Helvetica as `/F1`
/// (WinAnsi), and lets the caller add objects and resources.
fn build(pages: &[&str], customize: impl FnOnce(&mut Document, &mut lopdf::Dictionary)) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font_id } };
    customize(&mut doc, &mut resources);
    let resources_id = doc.add_object(resources);
    let mut kids: Vec<Object> = Vec::new();
    for content in pages {
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut buf = Vec::new();
    doc.save_to(&mut buf).expect("save test PDF");
    buf
}

fn texts(doc: &SourceDocument) -> Vec<&str> {
    doc.lines.iter().map(|l| l.text.as_str()).collect()
}

/// Text drawn at (x, y) with Helvetica 10.
fn text_at(x: f32, y: f32, s: &str) -> String {
    format!("BT /F1 10 Tf {x} {y} Td ({s}) Tj ET\n")
}

/// A three-column grid row with a full-width header above, drawn with rules, with the
/// content stream written in an order unlike the visual one (header last).
fn grid_page() -> String {
    let mut c = String::new();
    // Rules: table from x 50 to 550, rows 700-680 (header), 680-600 (grid row).
    c.push_str("0.5 w 50 700 m 550 700 l S 50 680 m 550 680 l S 50 600 m 550 600 l S\n");
    c.push_str(
        "50 600 m 50 700 l S 550 600 m 550 700 l S 200 600 m 200 680 l S 480 600 m 480 680 l S\n",
    );
    c.push_str(&text_at(490.0, 665.0, "C"));
    c.push_str(&text_at(210.0, 665.0, "Note : Les affichages sont"));
    c.push_str(&text_at(60.0, 665.0, "Module 1"));
    c.push_str(&text_at(60.0, 652.0, "1. Nous vous informons sur les"));
    c.push_str(&text_at(210.0, 652.0, "a jour."));
    c.push_str(&text_at(60.0, 687.0, "AUDIT A DISTANCE : Internet"));
    c.push_str(&text_at(50.0, 750.0, "Titre"));
    c
}

#[test]
fn grid_rows_come_out_in_visual_order_with_columns() {
    let doc = read(&build(&[&grid_page()], |_, _| {})).expect("read");
    assert_eq!(doc.format, Format::Pdf);
    assert_eq!(doc.pages, Some(1));
    assert_eq!(doc.order, LineOrder::Visual);
    assert_eq!(
        texts(&doc),
        vec![
            "Titre",
            "AUDIT A DISTANCE : Internet",
            "Module 1",
            "1. Nous vous informons sur les",
            "Note : Les affichages sont",
            "a jour.",
            "C"
        ]
    );
    assert_eq!(
        texts_in(&doc, FIRST),
        vec!["Module 1", "1. Nous vous informons sur les"]
    );
    assert_eq!(
        texts_in(&doc, SECOND),
        vec!["Note : Les affichages sont", "a jour."]
    );
    assert_eq!(texts_in(&doc, THIRD), vec!["C"]);
    assert_eq!(
        doc.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<_>>()
    );
    let first = doc.lines[0].position.expect("position");
    assert!((first.x - 50.0).abs() < 0.01 && (first.y - 750.0).abs() < 0.01);
}

#[test]
fn text_operators_and_spacing() {
    // TJ with a wide gap makes a word break; ' and " move to the next line; Tz and
    // Tc do not break words; WinAnsi accents decode.
    let content = "BT /F1 10 Tf 12 TL 100 700 Td [(Bon)-30(jour)-900(tout)] TJ (le monde) ' 0 0 (\\351t\\351) \" ET\n\
                   BT /F1 10 Tf 80 Tz 1 Tc 100 600 Td (serr\\351) Tj ET";
    let doc = read(&build(&[content], |_, _| {})).expect("read");
    assert_eq!(
        texts(&doc),
        vec!["Bonjour tout", "le monde", "été", "serré"]
    );
}

#[test]
fn form_xobjects_are_followed_with_their_matrix() {
    let doc = read(&build(&["q 1 0 0 1 100 100 cm /X1 Do Q"], |doc, res| {
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 500.into()],
                "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), 0.into()] },
            b"BT /F1 12 Tf 10 20 Td (Dans le formulaire) Tj ET".to_vec(),
        );
        let id = doc.add_object(form);
        res.set("XObject", dictionary! { "X1" => id });
    }))
    .expect("read");
    assert_eq!(texts(&doc), vec!["Dans le formulaire"]);
    let p = doc.lines[0].position.expect("position");
    assert!(
        (p.x - 160.0).abs() < 0.01 && (p.y - 120.0).abs() < 0.01,
        "{p:?}"
    );
}

#[test]
fn self_drawing_form_is_a_recursion_error() {
    let result = read(&build(&["/X1 Do"], |doc, res| {
        let id = doc.new_object_id();
        let xobjects = dictionary! { "X1" => id };
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => dictionary! { "XObject" => xobjects.clone() } },
            b"BT /F1 12 Tf (x) Tj ET /X1 Do".to_vec(),
        );
        doc.objects.insert(id, Object::Stream(form));
        res.set("XObject", xobjects);
    }));
    assert!(
        matches!(result, Err(ExtractError::PdfRecursion(_))),
        "{result:?}"
    );
}

#[test]
fn deep_but_finite_forms_are_cut_with_an_error_not_a_stack_overflow() {
    let result = read(&build(&["/X0 Do"], |doc, res| {
        let mut next: Option<lopdf::ObjectId> = None;
        for _ in 0..200 {
            let resources = match next {
                Some(id) => dictionary! { "XObject" => dictionary! { "X0" => id } },
                None => dictionary! {},
            };
            let form = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "Resources" => resources },
                b"/X0 Do".to_vec(),
            );
            next = Some(doc.add_object(form));
        }
        res.set("XObject", dictionary! { "X0" => next.expect("a form") });
    }));
    assert!(
        matches!(result, Err(ExtractError::PdfRecursion(_))),
        "{result:?}"
    );
}

#[test]
fn errors_for_bad_inputs() {
    assert!(
        matches!(read(b"hello world"), Err(ExtractError::PdfCorrupt(m)) if m == "no %PDF header")
    );
    assert!(matches!(
        read(b"%PDF-1.4\n garbage"),
        Err(ExtractError::PdfCorrupt(_))
    ));
    // Zero pages.
    let zero = build(&[], |_, _| {});
    assert!(
        matches!(read(&zero), Err(ExtractError::PdfZeroPages)),
        "{:?}",
        read(&zero)
    );
    // An image but no glyphs.
    let scanned = build(&["q 500 0 0 700 0 0 cm /Im1 Do Q"], |doc, res| {
        let image = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0x80],
        );
        let id = doc.add_object(image);
        res.set("XObject", dictionary! { "Im1" => id });
    });
    assert!(
        matches!(read(&scanned), Err(ExtractError::PdfNoTextLayer)),
        "{:?}",
        read(&scanned)
    );
}

#[test]
fn to_unicode_and_composite_fonts() {
    // A Type0 font with Identity-H codes and a ToUnicode CMap mapping two-byte codes,
    // including the checkbox glyphs.
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        3 beginbfchar <0001> <2612> <0002> <2610> <0003> <0020> endbfchar\n\
        1 beginbfrange <0010> <0012> <0050> endbfrange endcmap end end"
        .to_vec();
    let doc = read(&build(&["BT /F2 10 Tf 100 700 Td <00010003001000110012> Tj 0 -20 Td <000200030010> Tj ET"], |doc, res| {
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap));
        let cid = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "OpenSymbol",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            "DW" => 600, "W" => vec![1.into(), vec![800.into()].into(), 16.into(), 18.into(), 500.into()],
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "OpenSymbol", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![cid.into()], "ToUnicode" => to_unicode,
        });
        res.get_mut(b"Font").and_then(Object::as_dict_mut).expect("fonts").set("F2", font);
    }))
    .expect("read");
    assert_eq!(texts(&doc), vec!["☒ PQR", "☐ P"]);
}

#[test]
fn panics_become_errors() {
    // Whatever the input, `read` returns; never unwinds into the caller.
    let mut bytes = build(&[&grid_page()], |_, _| {});
    for i in (0..bytes.len()).step_by(7) {
        bytes[i] ^= 0x5A;
    }
    let _ = read(&bytes);
}

// ---------------------------------------------------------------------------------
// Committed fixtures: part of the repository, so a missing one fails the test.

fn fixture(rel: &str) -> Vec<u8> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

fn index_of(doc: &SourceDocument, pred: impl Fn(&Line) -> bool) -> Option<usize> {
    doc.lines.iter().position(pred)
}

#[test]
fn reference_report_reads_in_visual_order() {
    let bytes = fixture("pdf/tarn-et-garonne-2022.pdf");
    let doc = read(&bytes).expect("reference PDF reads");
    let col = |l: &Line| l.position.map(|p| p.column);
    let module = index_of(&doc, |l| l.text == "Module 1").expect("Module 1");
    let title = index_of(&doc, |l| {
        l.text.starts_with("1. Nous vous informons sur les")
    })
    .expect("title");
    assert_eq!(col(&doc.lines[title]), Some(FIRST));
    let note = index_of(&doc, |l| {
        l.text.starts_with("Note : Les affichages sont à jour")
    })
    .expect("note");
    assert_eq!(col(&doc.lines[note]), Some(SECOND));
    let code = (note..doc.lines.len())
        .find(|&i| doc.lines[i].text == "C")
        .expect("code C");
    assert_eq!(col(&doc.lines[code]), Some(THIRD));
    assert!(
        module < title && title < note && note < code,
        "{module} {title} {note} {code}"
    );
    // Remote-phase header before the rows it heads.
    let internet =
        index_of(&doc, |l| l.text.contains("AUDIT A DISTANCE : Internet")).expect("phase header");
    assert_eq!(col(&doc.lines[internet]), Some(Column::Full));
    let next_module = (internet..doc.lines.len())
        .find(|&i| doc.lines[i].text.starts_with("Module "))
        .expect("row");
    assert!(next_module > internet);
    // Never a blank line, numbers in sequence, pages within range.
    let pages = doc.pages.expect("pages");
    for (i, l) in doc.lines.iter().enumerate() {
        assert!(!l.text.trim().is_empty());
        assert_eq!(l.number, i + 1);
        assert!(l.page.is_some_and(|p| p >= 1 && p <= pages));
    }
}

#[test]
fn other_fixture_pdfs_read() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let bytes = std::fs::read(&path).expect("read fixture");
            let doc = read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!doc.lines.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn bad_fixtures_give_their_error_kinds() {
    // `None`: lopdf repairs it or it opens with the empty password, and it reads.
    let expected: &[(&str, Option<&str>)] = &[
        ("corrupt-xref.pdf", None),
        ("empty.pdf", Some("pdf_corrupt")),
        ("encrypted-empty-user-password.pdf", None),
        ("encrypted-user-password.pdf", Some("pdf_password_required")),
        ("not-a-pdf.pdf", Some("pdf_corrupt")),
        ("scanned-no-text.pdf", Some("pdf_no_text_layer")),
        ("self-referencing-form.pdf", Some("pdf_recursion")),
        ("truncated.pdf", Some("pdf_corrupt")),
        ("zero-pages.pdf", Some("pdf_zero_pages")),
    ];
    for (name, want) in expected {
        let bytes = fixture(&format!("bad/{name}"));
        let result = read(&bytes);
        let got = match &result {
            Ok(doc) => {
                assert!(!doc.lines.is_empty(), "{name}: read but no lines");
                None
            }
            Err(e) => Some(e.kind()),
        };
        let shown = result
            .as_ref()
            .map(|d| format!("{} lines", d.lines.len()))
            .map_err(ToString::to_string);
        assert_eq!(got, *want, "{name}: {shown:?}");
    }
    // The repaired and the decrypted files read like their sources.
    let (bad, good) = (
        fixture("bad/corrupt-xref.pdf"),
        fixture("pdf/haute-garonne-2021-pagebreaks.pdf"),
    );
    let texts_of = |b: &[u8]| {
        read(b)
            .map(|d| d.lines.into_iter().map(|l| l.text).collect::<Vec<_>>())
            .ok()
    };
    assert!(texts_of(&good).is_some());
    assert_eq!(texts_of(&bad), texts_of(&good));
}

#[test]
fn all_fixture_pages_have_lines_in_visual_order() {
    for name in [
        "tarn-et-garonne-2022",
        "correze-2023-checkboxes",
        "lot-et-garonne-2019-calc",
        "haute-garonne-2021-pagebreaks",
        "vaucluse-2024-acroform",
        "correze-2023-chromium",
    ] {
        let bytes = fixture(&format!("pdf/{name}.pdf"));
        let doc = read(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pages = doc.pages.expect("pages");
        let mut last_page = 0;
        for (i, l) in doc.lines.iter().enumerate() {
            assert_eq!(l.number, i + 1, "{name}");
            assert!(
                !l.text.trim().is_empty() && l.text == l.text.trim(),
                "{name}: {:?}",
                l.text
            );
            assert!(!l.text.contains("  "), "{name}: {:?}", l.text);
            let page = l.page.expect("page");
            assert!(
                page >= last_page && page <= pages,
                "{name}: pages out of order"
            );
            last_page = page;
        }
        // Every grid page starts its grid with the header row, in its three columns.
        let header = doc
            .lines
            .iter()
            .position(|l| l.text.starts_with("Engagements de")) // wrapped in Chromium's print
            .expect("grid header");
        // Through "Conformité", the heading's cells in their columns (consecutive
        // lines of one cell counted once).
        let end = header
            + doc.lines[header..]
                .iter()
                .position(|l| l.text == "Conformité")
                .expect("heading ends with Conformité");
        let mut cols: Vec<Column> = doc.lines[header..=end]
            .iter()
            .filter_map(|l| l.position.map(|p| p.column))
            .collect();
        cols.dedup();
        assert_eq!(cols, vec![FIRST, SECOND, THIRD], "{name}");
        // Checkboxes survive as characters on the cover.
        assert!(
            doc.lines
                .iter()
                .any(|l| l.page == Some(1) && l.text.contains('☐')),
            "{name}: no ☐"
        );
    }
}

#[test]
fn checked_boxes_are_kept() {
    let bytes = fixture("pdf/correze-2023-checkboxes.pdf");
    let doc = read(&bytes).expect("read");
    let texts = texts(&doc);
    assert!(
        texts.contains(&"☐ Préfecture ☒ Sous-préfecture ☐ Préfecture de police"),
        "{texts:?}"
    );
    assert!(texts.contains(&"☒ Module 1 Relation générale avec les usagers"));
    assert!(texts.contains(&"☐ Initial ☐ de Suivi ☒ de Renouvellement ☐ d'Extension"));
}

#[test]
fn rows_split_across_pages_keep_page_order() {
    let bytes = fixture("pdf/haute-garonne-2021-pagebreaks.pdf");
    let doc = read(&bytes).expect("read");
    // Commitment 18 starts at the bottom of one page and ends on the next, after the
    // repeated header row.
    let start = index_of(&doc, |l| l.text == "18. Nous assurons la").expect("row start");
    let rest = index_of(&doc, |l| l.text == "traçabilité de vos").expect("row end");
    let header = (start..rest)
        .find(|&i| doc.lines[i].text == "Engagements de service")
        .expect("header between");
    assert!(doc.lines[start].page < doc.lines[rest].page);
    assert!(start < header && header < rest);
    assert_eq!(doc.lines[rest].position.map(|p| p.column), Some(FIRST));
}

#[test]
fn calc_grid_reads_like_the_writer_one() {
    let bytes = fixture("pdf/lot-et-garonne-2019-calc.pdf");
    let doc = read(&bytes).expect("read");
    let module = index_of(&doc, |l| {
        l.text == "MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS"
    })
    .expect("m1");
    assert_eq!(
        doc.lines[module].position.map(|p| p.column),
        Some(Column::Full)
    );
    let title = index_of(&doc, |l| l.text == "1. Nous vous informons sur les").expect("title");
    let note = index_of(&doc, |l| {
        l.text
            .starts_with("Note : Horaires et conditions d'accueil")
    })
    .expect("note");
    let code = (note..doc.lines.len())
        .find(|&i| doc.lines[i].text == "C")
        .expect("code");
    assert!(module < title && title < note && note < code);
    assert_eq!(doc.lines[code].position.map(|p| p.column), Some(THIRD));
}

#[test]
fn running_footers_recurring_across_pages_are_dropped() {
    let line = |n: usize, page: u32, y: f32, column: Column, text: &str| Line {
        number: n,
        page: Some(page),
        text: text.to_owned(),
        position: Some(Position { x: 40.0, y, column }),
    };
    let lines = vec![
        line(1, 1, 780.0, Column::Full, "1. PAGE DE GARDE"),
        line(2, 1, 700.0, Column::Full, "MODULE 1"),
        line(3, 1, 30.0, Column::Full, "Rapport d'audit - Page 9 / 10"),
        line(4, 2, 780.0, FIRST, "Engagements de service"),
        line(5, 2, 700.0, Column::Full, "MODULE 1"),
        line(6, 2, 30.2, Column::Full, "Rapport d'audit - Page 10 / 10"),
        line(7, 3, 700.0, Column::Full, "Une page 3 / 4 dans le texte"),
        line(8, 3, 90.0, Column::Full, "Suivi - juin 2021 - Page 3 sur 3"),
    ];
    let kept: Vec<(usize, String)> = drop_running_lines(lines)
        .0
        .into_iter()
        .map(|l| (l.number, l.text))
        .collect();
    assert_eq!(
        kept,
        vec![
            (1, "1. PAGE DE GARDE".to_owned()),
            (2, "MODULE 1".to_owned()),
            (3, "Engagements de service".to_owned()),
            (4, "MODULE 1".to_owned()),
            (5, "Une page 3 / 4 dans le texte".to_owned()),
        ]
    );
}

/// Adds widget annotations to the first page of a PDF made by [`build`]: `annots` makes
/// the objects and returns the page's `/Annots` entries.
fn with_annots(bytes: &[u8], annots: impl FnOnce(&mut Document) -> Vec<Object>) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).expect("reload test PDF");
    let page_id = *doc.get_pages().get(&1).expect("page 1");
    let entries = annots(&mut doc);
    doc.get_dictionary_mut(page_id)
        .expect("page")
        .set("Annots", entries);
    let mut buf = Vec::new();
    doc.save_to(&mut buf).expect("save test PDF");
    buf
}

#[test]
fn acroform_check_boxes_become_checkbox_glyphs_on_the_label_line() {
    let content = [
        text_at(112.0, 700.0, "Pr\\351fecture"),
        text_at(182.0, 700.0, "Sous-pr\\351fecture"),
        text_at(112.0, 650.0, "Bouton"),
        text_at(112.0, 600.0, "Cycle"),
    ]
    .concat();
    let rect = |x: i64, y: i64| -> Object {
        vec![x.into(), y.into(), (x + 8).into(), (y + 8).into()].into()
    };
    let bytes = with_annots(&build(&[&content], |_, _| {}), |doc| {
        // Ticked: field and widget in one dictionary, as LibreOffice writes them.
        let ticked = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Btn", "T" => Object::string_literal("Prefecture"),
            "Rect" => rect(100, 699), "AS" => "Yes", "V" => "Yes",
        });
        // Unticked: a kid widget without /AS; /FT and /V (/Off) come from its parent.
        let parent = doc.add_object(
            dictionary! { "FT" => "Btn", "V" => "Off", "T" => Object::string_literal("Sous") },
        );
        let unticked = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "Parent" => parent, "Rect" => rect(170, 699),
        });
        // Push button and radio button next to "Bouton": not check boxes.
        let push = doc.add_object(dictionary! {
            "Subtype" => "Widget", "FT" => "Btn", "Ff" => 1 << 16, "Rect" => rect(100, 649), "AS" => "Yes",
        });
        let radio = doc.add_object(dictionary! {
            "Subtype" => "Widget", "FT" => "Btn", "Ff" => 1 << 15, "Rect" => rect(150, 649), "AS" => "Yes",
        });
        // Malformed: no /Rect; /Rect not numbers; a /Parent cycle with no /FT in it; a
        // dangling reference; an annotation that is not a dictionary.
        let no_rect =
            doc.add_object(dictionary! { "Subtype" => "Widget", "FT" => "Btn", "AS" => "Yes" });
        let bad_rect = doc.add_object(dictionary! {
            "Subtype" => "Widget", "FT" => "Btn", "AS" => "Yes",
            "Rect" => vec![Object::string_literal("a"), "b".into(), Object::Null, 3.into()],
        });
        let (a, b) = (doc.new_object_id(), doc.new_object_id());
        doc.objects
            .insert(a, Object::Dictionary(dictionary! { "Parent" => b }));
        doc.objects
            .insert(b, Object::Dictionary(dictionary! { "Parent" => a }));
        let cyclic = doc.add_object(dictionary! {
            "Subtype" => "Widget", "Parent" => a, "Rect" => rect(100, 599), "AS" => "Yes",
        });
        vec![
            ticked.into(),
            unticked.into(),
            push.into(),
            radio.into(),
            no_rect.into(),
            bad_rect.into(),
            cyclic.into(),
            Object::Reference((9999, 0)),
            5.into(),
        ]
    });
    let doc = read(&bytes).expect("read");
    assert_eq!(
        texts(&doc),
        vec!["☒ Préfecture ☐ Sous-préfecture", "Bouton", "Cycle"]
    );
}

#[test]
fn acroform_fixture_cover_reads_like_checkbox_glyphs() {
    let bytes = fixture("pdf/vaucluse-2024-acroform.pdf");
    let doc = read(&bytes).expect("read");
    let texts = texts(&doc);
    for line in [
        "☒ Préfecture ☐ Sous-préfecture ☐ Préfecture de police",
        "☒ Module 1 Relation générale avec les usagers",
        "☐ Module 2 Délivrance des titres (hors étrangers)",
        "☒ Module 3 Délivrance de titres étrangers",
        "☐ AUDIT INTERNE",
        "☐ Initial ☐ de Suivi ☒ de Renouvellement ☐ d'Extension",
    ] {
        assert!(texts.contains(&line), "{line}: {texts:?}");
    }
    // Nowhere else: the 16 fields are all on the cover.
    let boxes: usize = texts.iter().map(|t| t.matches(['☐', '☒']).count()).sum();
    assert_eq!(boxes, 16);
}
