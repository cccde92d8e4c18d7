#!/usr/bin/env bash
# Analysis benchmark (not a test), issues 5 and 13: speed, peak memory and grouping quality
# of `audit-extract analyze`.
#
#   scripts/bench-analysis.sh [N=100000] [REPORTS=1000] [WORKDIR=target/bench-analysis]
#   VECTORS=FILE scripts/bench-analysis.sh …   # also with the semantic second opinion
#
# 1. Scale: writes N synthetic PP/PS annotations (reports of 20, JSON Lines, each
#    annotation labelled with its topic; see benches/analysis.rs), runs the release
#    binary on them under GNU time, and prints wall time and peak RSS (target for
#    N=1000000: under 60 s and 1 GB on 2 cores), then the pairwise precision/recall of tracks.json
#    against the topics.
# 2. Generator corpus: when examples/generate_corpus.rs exists, generates REPORTS text
#    reports (REPORTS=0 skips this), extracts them, analyses the extract's manifest,
#    and scores the groups against the `topic` of every PP/PS annotation in the
#    generator's NAME.expected.json files (matched by report name and text).
#
# `analyze` runs with the grouping parameters of `GroupingParams::default()` (printed
# below, from `cargo bench --bench analysis -- defaults`), so that the figures are
# those of the library's defaults whatever the CLI's defaults say. The per-topic
# failures (topics split over groups, groups mixing topics) are printed with
# DETAILS=N (N topics and groups of each kind).
#
# Needs cargo and GNU time (/usr/bin/time, Debian package `time`; installed with
# apt-get when missing and possible).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-100000}
REPORTS=${2:-1000}
WORK=${3:-target/bench-analysis}

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null) \
    || { echo "error: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }
fi

cargo build --release --quiet --bin audit-extract
cargo bench --quiet --bench analysis --no-run
BIN=target/release/audit-extract
bench() { cargo bench --quiet --bench analysis -- "$@"; }
DETAILS=${DETAILS:-0}
read -r -a PARAMS <<<"$(bench defaults)"
echo "grouping parameters: ${PARAMS[*]}"
rm -rf "$WORK"
mkdir -p "$WORK"

# Runs `analyze` under GNU time; prints the figures, keeps the full log.
timed_analyze() { # label, output dir, inputs…
  local label=$1 out=$2
  shift 2
  /usr/bin/time -v "$BIN" analyze "$@" "${PARAMS[@]}" --output "$out" 2>"$WORK/time-$label.txt" || { cat "$WORK/time-$label.txt" >&2; exit 1; }
  grep -E '^analyzed' "$WORK/time-$label.txt" || true
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time-$label.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time-$label.txt")
  echo "$label: wall ${wall} (m:ss), peak RSS $((rss / 1024)) MiB (${rss} kB), on $(nproc) cores"
}

echo "## 1. $N synthetic annotations"
bench synth --annotations "$N" --out "$WORK/synthetic.jsonl" --seed 1
timed_analyze synthetic "$WORK/synthetic-out" "$WORK/synthetic.jsonl"
bench eval --tracks "$WORK/synthetic-out/tracks.json" "$WORK/synthetic.jsonl" --details "$DETAILS"
if [ -n "${VECTORS:-}" ]; then
  echo "## 1b. the same, with --vectors $VECTORS"
  timed_analyze synthetic-vectors "$WORK/synthetic-vectors-out" "$WORK/synthetic.jsonl" --vectors "$VECTORS"
  bench eval --tracks "$WORK/synthetic-vectors-out/tracks.json" "$WORK/synthetic.jsonl" --details "$DETAILS"
fi

if [ "$REPORTS" -gt 0 ] && [ -f examples/generate_corpus.rs ]; then
  echo
  echo "## 2. $REPORTS reports of the corpus generator, extracted then analysed"
  cargo build --release --quiet --example generate_corpus
  target/release/examples/generate_corpus --count "$REPORTS" --out "$WORK/corpus" --seed 42 2>/dev/null
  "$BIN" extract "$WORK/corpus/text" --output "$WORK/extracted" >/dev/null 2>"$WORK/extract.log" || echo "(extract reported failures: $WORK/extract.log)"
  timed_analyze generator "$WORK/generator-out" "$WORK/extracted/manifest.jsonl"
  bench eval --tracks "$WORK/generator-out/tracks.json" "$WORK/corpus/expected" --details "$DETAILS"
  if [ -n "${VECTORS:-}" ]; then
    timed_analyze generator-vectors "$WORK/generator-vectors-out" "$WORK/extracted/manifest.jsonl" --vectors "$VECTORS"
    bench eval --tracks "$WORK/generator-vectors-out/tracks.json" "$WORK/corpus/expected" --details "$DETAILS"
  fi
fi
