//! Parse time of the reference report (text form), from bytes to a checked report,
//! and of the recognition passes alone; and of the whole in-process PDF path on the
//! reference PDF (fixtures/pdf/tarn-et-garonne-2022.pdf, 9 pages: extraction, layout,
//! recognition, JSON), to compare with scripts/bench-pdf.sh's per-process figures.
//! Run: `cargo bench --bench parse`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn reference(c: &mut Criterion) {
    let bytes = std::fs::read("fixtures/text/tarn-et-garonne-2022-reference.txt")
        .expect("reference fixture");
    c.bench_function("reference text: bytes → report", |b| {
        b.iter(|| {
            audit_extract::extract_bytes("reference.txt", black_box(&bytes)).expect("extracts")
        })
    });
    let (doc, _) = audit_extract::load(&bytes).expect("decodes");
    c.bench_function("reference text: recognition passes alone", |b| {
        b.iter(|| audit_extract::recognize::recognize(black_box(&doc)))
    });
    c.bench_function("reference text: bytes → report → JSON", |b| {
        b.iter(|| {
            let report =
                audit_extract::extract_bytes("reference.txt", black_box(&bytes)).expect("extracts");
            audit_extract::output::to_json(&report)
        })
    });
}

fn reference_pdf(c: &mut Criterion) {
    let bytes = std::fs::read("fixtures/pdf/tarn-et-garonne-2022.pdf").expect("reference PDF");
    c.bench_function("reference PDF: bytes → report → JSON", |b| {
        b.iter(|| {
            let report =
                audit_extract::extract_bytes("tarn-et-garonne-2022.pdf", black_box(&bytes))
                    .expect("extracts");
            audit_extract::output::to_json(&report)
        })
    });
}

/// The PDF reader alone (bytes → positioned lines) on the largest PDF fixture: what
/// the old ignored "speed" test printed, now measured where speed belongs.
fn largest_pdf_reader(c: &mut Criterion) {
    let largest = std::fs::read_dir("fixtures/pdf")
        .expect("fixtures/pdf")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a PDF fixture");
    let bytes = std::fs::read(&largest).expect("read");
    let name = format!(
        "PDF reader alone: {}",
        largest.file_name().unwrap_or_default().to_string_lossy()
    );
    c.bench_function(&name, |b| {
        b.iter(|| {
            audit_extract::source::pdf::read(
                black_box(&bytes),
                audit_extract::recognize::template::grid_headings(),
            )
            .expect("reads")
        })
    });
}

criterion_group!(benches, reference, reference_pdf, largest_pdf_reader);
criterion_main!(benches);
