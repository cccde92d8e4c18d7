#!/usr/bin/env bash
# OCR path, time per page: `audit-extract extract` on the scanned fixtures
# (fixtures/scans/*dpi*.pdf, one thread: --jobs 1) against `tesseract` alone on the same
# page images (pdfimages -png: Tesseract cannot read raw CCITT streams; OMP_THREAD_LIMIT=1,
# TSV output), in the same run, two ways: one process per page (as a shell loop over the
# pages would run it), and one process for all the pages (a list file, as our path runs
# it per file: the fairest bare run, paying Tesseract's start once). Both wall-clock time
# and CPU time (user + system of all the processes each side ran) are reported: on a
# shared machine the CPU time is the steadier measure of what each side costs.
# Target: ours within 1.2x of tesseract alone.
# What our path asks of Tesseract differs from the bare runs in two ways, both choices of
# our path: it passes the image's resolution (--dpi; the bare runs let Tesseract guess
# it), and it hands Tesseract pages under 200 dpi enlarged to 225 dpi (the bare runs
# read the 150 dpi pages as they are). It also deskews and turns upside-down pages
# before Tesseract reads them (the bare runs read them as scanned). Otherwise Tesseract
# runs with its defaults on every side (no -c settings). Our path also runs, per file,
# `tesseract --version`, and one more Tesseract run when grid cells need a second look.
# Usage: scripts/bench-ocr.sh [RUNS]   (median of RUNS, default 3)
# AUDIT_EXTRACT_OCR_TIMING=1 in the environment also prints our time per step and page.
# AUDIT_EXTRACT_BIN=PATH measures that binary instead of building this checkout's (to
# compare two versions on the same machine state).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
command -v tesseract >/dev/null || apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null
command -v pdfimages >/dev/null || apt-get install -y -qq poppler-utils >/dev/null
if [ -n "${AUDIT_EXTRACT_BIN:-}" ]; then
  bin=$AUDIT_EXTRACT_BIN
else
  cargo build --release -q
  bin=target/release/audit-extract
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=(fixtures/scans/*dpi*.pdf)
pages=0
for f in "${files[@]}"; do
  n=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
  pages=$((pages + n))
  pdfimages -png "$f" "$tmp/$(basename "$f" .pdf)"
done
ours_run() {
  for f in "${files[@]}"; do "$bin" extract --jobs 1 --timeout 900 "$f" >/dev/null || true; done
}
alone_run() {
  for img in "$tmp"/*.png; do
    OMP_THREAD_LIMIT=1 tesseract "$img" "$tmp/out" -l fra --psm 3 tsv >/dev/null 2>&1
  done
}
ls "$tmp"/*.png > "$tmp/pages.list"
list_run() {
  OMP_THREAD_LIMIT=1 tesseract "$tmp/pages.list" "$tmp/out" -l fra --psm 3 tsv >/dev/null 2>&1
}
# Seconds of CPU (user + system) of the children of a subshell, from `times`' last line.
cpu_of() { tail -1 | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); n += t[1] * 60 + t[2] } print n }'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=() ; alone=() ; list=() ; ours_cpu=() ; alone_cpu=() ; list_cpu=()
for _ in $(seq "$runs"); do
  s=$(date +%s.%N)
  ours_cpu+=("$( (ours_run; times) | cpu_of)")
  ours+=("$(echo "$(date +%s.%N) - $s" | bc)")
  s=$(date +%s.%N)
  alone_cpu+=("$( (alone_run; times) | cpu_of)")
  alone+=("$(echo "$(date +%s.%N) - $s" | bc)")
  s=$(date +%s.%N)
  list_cpu+=("$( (list_run; times) | cpu_of)")
  list+=("$(echo "$(date +%s.%N) - $s" | bc)")
done
o=$(printf '%s\n' "${ours[@]}" | median)
a=$(printf '%s\n' "${alone[@]}" | median)
l=$(printf '%s\n' "${list[@]}" | median)
oc=$(printf '%s\n' "${ours_cpu[@]}" | median)
ac=$(printf '%s\n' "${alone_cpu[@]}" | median)
lc=$(printf '%s\n' "${list_cpu[@]}" | median)
per_page() { echo "$1 * 1000 / $pages" | bc -l; }
printf 'pages: %d, load average at the end: %s\n' "$pages" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'audit-extract extract --jobs 1:     wall %.2f s, %.0f ms/page; CPU %.2f s, %.0f ms/page\n' \
  "$o" "$(per_page "$o")" "$oc" "$(per_page "$oc")"
printf 'tesseract alone, a process a page:  wall %.2f s, %.0f ms/page; CPU %.2f s, %.0f ms/page\n' \
  "$a" "$(per_page "$a")" "$ac" "$(per_page "$ac")"
printf 'tesseract alone, one list process:  wall %.2f s, %.0f ms/page; CPU %.2f s, %.0f ms/page\n' \
  "$l" "$(per_page "$l")" "$lc" "$(per_page "$lc")"
printf 'ratio to a process a page: wall %.2f, CPU %.2f (target <= 1.2)\n' "$(echo "$o / $a" | bc -l)" "$(echo "$oc / $ac" | bc -l)"
printf 'ratio to one list process: wall %.2f, CPU %.2f (target <= 1.2)\n' "$(echo "$o / $l" | bc -l)" "$(echo "$oc / $lc" | bc -l)"
