//! Damaged PDFs never crash or hang the reader: real fixtures with random bytes
//! flipped, inserted, deleted or cut off must give a report or an error, and never hang.
//!
//! Seeds: `fixtures/fuzz/vaucluse-2024-acroform.qdf.pdf` (uncompressed, so mutations
//! land in content operators, fonts, form fields and the cross-reference table; made
//! by `scripts/fixtures/make-fuzz-seeds.sh`) and a compressed LibreOffice export.

use std::time::{Duration, Instant};

use audit_extract::source::ocr::OcrOptions;
use audit_extract::{extract_bytes, extract_bytes_with};
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    "fixtures/fuzz/vaucluse-2024-acroform.qdf.pdf",
    "fixtures/pdf/lot-et-garonne-2019-calc.pdf",
];

/// A hang guard, not a speed test: a seed reads in about 1 ms, so only a runaway loop
/// (quadratic blow-up, endless repair) comes near this, even on a loaded CI machine.
/// The reader's speed is measured by `cargo bench --bench parse` and
/// `scripts/bench-pdf.sh`, never asserted here. OCR is off: a mutation that garbles
/// the text layer would otherwise send the pages to Tesseract (seconds a page, bounded
/// by its own per-page timeout, tested in `tests/ocr.rs`), which is not the reader.
const LIMIT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: f64,
        byte: u8,
    },
    Insert {
        at: f64,
        bytes: Vec<u8>,
    },
    Delete {
        at: f64,
        len: usize,
    },
    Truncate {
        at: f64,
    },
    /// Replaces a digit (object numbers, offsets, lengths, coordinates).
    Digit {
        at: f64,
        digit: u8,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        4 => (at.clone(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        2 => (at.clone(), proptest::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        2 => (at.clone(), 1..200usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => at.clone().prop_map(|at| Mutation::Truncate { at }),
        4 => (at, b'0'..=b'9').prop_map(|(at, digit)| Mutation::Digit { at, digit }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len.saturating_sub(1));
    match m {
        Mutation::Flip { at, byte } if !bytes.is_empty() => {
            let i = pos(*at, bytes.len());
            bytes[i] = *byte;
        }
        Mutation::Insert { at, bytes: b } => {
            let i = pos(*at, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Mutation::Delete { at, len } if !bytes.is_empty() => {
            let i = pos(*at, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Truncate { at } => {
            let i = pos(*at, bytes.len());
            bytes.truncate(i);
        }
        Mutation::Digit { at, digit } if !bytes.is_empty() => {
            let start = pos(*at, bytes.len());
            if let Some(i) = (start..bytes.len()).find(|&i| bytes[i].is_ascii_digit()) {
                bytes[i] = *digit;
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn damaged_pdfs_give_a_report_or_an_error_quickly(
        seed in 0..SEEDS.len(),
        mutations in proptest::collection::vec(mutation(), 1..12),
    ) {
        let mut bytes = std::fs::read(SEEDS[seed]).expect("seed fixture");
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let started = Instant::now();
        let result = extract_bytes_with("mutated.pdf", &bytes, &OcrOptions::never());
        let took = started.elapsed();
        prop_assert!(took < LIMIT, "took {took:?}");
        if let Err(e) = result {
            // One line, and a panic is only ever a caught one with its own kind.
            prop_assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}

#[test]
fn the_uncompressed_seed_still_reads_as_its_report() {
    let bytes = std::fs::read(SEEDS[0]).expect("seed");
    let report = extract_bytes("seed.pdf", &bytes).expect("reads");
    assert_eq!(report.assessments.len(), 12);
}
