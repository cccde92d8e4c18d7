//! Parse time of the reference report (text form), from bytes to a checked report,
//! and of the recognition passes alone.
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
    c.bench_function("reference text: bytes → report → JSON", |b| {
        b.iter(|| {
            let report =
                audit_extract::extract_bytes("reference.txt", black_box(&bytes)).expect("extracts");
            audit_extract::output::to_json(&report)
        })
    });
}

criterion_group!(benches, reference);
criterion_main!(benches);
