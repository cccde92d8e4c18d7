#!/usr/bin/env bash
# OCR path, time per page: `audit-extract extract` on the scanned fixtures
# (fixtures/scans/*dpi*.pdf, one thread: --jobs 1) against `tesseract` alone on the same
# page images (pdfimages -png: Tesseract cannot read raw CCITT streams; one process per page, OMP_THREAD_LIMIT=1, TSV output), in
# the same run. Target: ours within 1.2x of tesseract alone.
# Usage: scripts/bench-ocr.sh [RUNS]   (median of RUNS, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
command -v tesseract >/dev/null || apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null
command -v pdfimages >/dev/null || apt-get install -y -qq poppler-utils >/dev/null
cargo build --release -q
bin=target/release/audit-extract
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=(fixtures/scans/*dpi*.pdf)
pages=0
for f in "${files[@]}"; do
  n=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  pages=$((pages + n))
  pdfimages -png "$f" "$tmp/$(basename "$f" .pdf)"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=() ; alone=()
for _ in $(seq "$runs"); do
  s=$(date +%s.%N)
  for f in "${files[@]}"; do "$bin" extract --jobs 1 --timeout 900 "$f" >/dev/null || true; done
  ours+=("$(echo "$(date +%s.%N) - $s" | bc)")
  s=$(date +%s.%N)
  for img in "$tmp"/*; do
    OMP_THREAD_LIMIT=1 tesseract "$img" "$tmp/out" -l fra --psm 3 tsv >/dev/null 2>&1
  done
  alone+=("$(echo "$(date +%s.%N) - $s" | bc)")
done
o=$(printf '%s\n' "${ours[@]}" | median)
a=$(printf '%s\n' "${alone[@]}" | median)
printf 'pages: %d\n' "$pages"
printf 'audit-extract extract --jobs 1: %.2f s, %.0f ms/page\n' "$o" "$(echo "$o * 1000 / $pages" | bc -l)"
printf 'tesseract alone (same images):  %.2f s, %.0f ms/page\n' "$a" "$(echo "$a * 1000 / $pages" | bc -l)"
printf 'ratio: %.2f (target <= 1.2)\n' "$(echo "$o / $a" | bc -l)"
