#!/usr/bin/env bash
# PDF speed benchmark (not a test): time per page of our whole PDF path (extraction,
# layout, recognition, JSON) against `pdftotext` (poppler-utils) and
# `mutool draw -F txt` (mupdf-tools) on the same PDFs, in the same run. Target: our
# whole path no slower than `pdftotext` alone (ratio ≤ 1).
#
#   scripts/bench-pdf.sh [COPIES=50] [WORKDIR=target/bench-pdf] [GENERATED=200]
#
# Sets of inputs, each a row group of the table:
#   fixtures   the committed LibreOffice exports fixtures/pdf/*.pdf, each copied COPIES
#              times into WORKDIR (the copies are in the OS cache when timed);
#   styles     the ruleless table styles fixtures/styles/*.pdf (row bands inferred from
#              the layout), each copied COPIES times;
#   generated  GENERATED PDFs from examples/generate_corpus.rs (--seed 42; 0 skips them).
# Pages are counted with pdfinfo.
#
# Every tool runs one process at a time (no parallelism: the figures are per-page
# costs), invoked once per file as a user would, from one bash loop over the files timed
# as a whole by GNU time:
#   audit-extract extract FILE > OUT.json           (our whole path, one process per file)
#   pdftotext -layout FILE OUT.txt, pdftotext FILE OUT.txt
#   mutool draw -q -F txt -o OUT.txt FILE
#   /bin/true FILE                                  (the loop's process start-up floor)
# and our batch mode in one process, which shows our cost without process start-up:
#   audit-extract extract DIR --output OUT --jobs 1 --in-process --quiet
# Each tool gets one warm-up run, then REPEATS=3 timed runs taken in turns (run 1 of
# every tool, then run 2…, so a slow spell of the machine hits them all); the table
# shows the median. The ratio column is the row's time over plain `pdftotext`'s on the
# same set (< 1: faster than pdftotext). Our outputs are then checked: every file must
# give a non-empty JSON report of format pdf with assessments and pdfinfo's page count,
# and every batch manifest row must be ok; the script fails loudly otherwise.
#
# Needs: cargo, python3, GNU time (/usr/bin/time, Debian package `time`), pdftotext and
# pdfinfo (`poppler-utils`), mutool (`mupdf-tools`); installed with apt-get when missing
# and possible.
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=${1:-50}
WORK=${2:-target/bench-pdf}
GENERATED=${3:-200}
REPEATS=3

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
[ -x /usr/bin/time ] || need /usr/bin/time time
need python3 python3
need pdftotext poppler-utils
need pdfinfo poppler-utils
need mutool mupdf-tools

if [ "$GENERATED" -gt 0 ]; then
  cargo build --release --quiet --bin audit-extract --example generate_corpus
else
  cargo build --release --quiet --bin audit-extract
fi
BIN=$PWD/target/release/audit-extract
fresh_dir "$WORK"
WORK=$(cd "$WORK" && pwd)

pages_of() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# Inputs: SET/in/*.pdf, SET/files.txt (one path a line, sorted), SET/pages.tsv
# (name without .pdf, pages).
SETS=(fixtures styles)
for set in fixtures styles; do
  src=fixtures/pdf
  [ "$set" = styles ] && src=fixtures/styles
  mkdir -p "$WORK/$set/in"
  for f in "$src"/*.pdf; do
    base=$(basename "$f" .pdf)
    p=$(pages_of "$f")
    for ((i = 1; i <= COPIES; i++)); do
      name=$(printf '%s-%03d' "$base" "$i")
      cp "$f" "$WORK/$set/in/$name.pdf"
      printf '%s\t%s\n' "$name" "$p" >>"$WORK/$set/pages.tsv"
    done
  done
done
if [ "$GENERATED" -gt 0 ]; then
  SETS+=(generated)
  target/release/examples/generate_corpus --count "$GENERATED" --out "$WORK/generated/corpus" --pdf --seed 42 >/dev/null 2>&1
  mv "$WORK/generated/corpus/pdf" "$WORK/generated/in"
  rm -rf "$WORK/generated/corpus"
  for f in "$WORK"/generated/in/*.pdf; do
    printf '%s\t%s\n' "$(basename "$f" .pdf)" "$(pages_of "$f")" >>"$WORK/generated/pages.tsv"
  done
fi
for set in "${SETS[@]}"; do
  find "$WORK/$set/in" -name '*.pdf' | LC_ALL=C sort >"$WORK/$set/files.txt"
done

TOOLS=(ours batch pdftotext-layout pdftotext mutool true)
label() {
  case $1 in
    ours) echo 'audit-extract extract FILE > OUT.json (whole path, a process per file)' ;;
    batch) echo 'audit-extract extract DIR --jobs 1 --in-process (one process)' ;;
    pdftotext-layout) echo 'pdftotext -layout FILE OUT.txt' ;;
    pdftotext) echo 'pdftotext FILE OUT.txt' ;;
    mutool) echo 'mutool draw -q -F txt -o OUT.txt FILE' ;;
    true) echo '/bin/true FILE (loop and process start-up floor)' ;;
  esac
}

# The per-file loop, run by one bash under GNU time: TOOL FILES_LIST OUT_DIR BIN.
# shellcheck disable=SC2016 # expanded by the inner bash
LOOP='tool=$1 list=$2 o=$3 bin=$4
while IFS= read -r f; do
  n=${f##*/}
  n=${n%.pdf}
  case $tool in
    ours) "$bin" extract "$f" >"$o/$n.json" ;;
    pdftotext-layout) pdftotext -layout "$f" "$o/$n.txt" ;;
    pdftotext) pdftotext "$f" "$o/$n.txt" ;;
    mutool) mutool draw -q -F txt -o "$o/$n.txt" "$f" ;;
    true) /bin/true "$f" ;;
  esac || { echo "error: $tool failed on $f (exit $?)" >&2; exit 1; }
done <"$list"'

# Runs TOOL once over SET; prints the wall-clock seconds. Outputs in SET/out-TOOL,
# stderr in SET/TOOL.log; a failure stops the benchmark.
run() { # set, tool
  local dir=$WORK/$1 out=$WORK/$1/out-$2 status=0
  rm -rf "$out"
  if [ "$2" = batch ]; then
    /usr/bin/time -f %e -o "$dir/time.txt" \
      "$BIN" extract "$dir/in" --output "$out" --jobs 1 --in-process --quiet 2>"$dir/$2.log" || status=$?
  else
    mkdir -p "$out"
    /usr/bin/time -f %e -o "$dir/time.txt" \
      bash -c "$LOOP" _ "$2" "$dir/files.txt" "$out" "$BIN" 2>"$dir/$2.log" || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    echo "error: $(label "$2") failed on the $1 set (exit $status):" >&2
    grep -v '^Command exited' "$dir/$2.log" | tail -5 >&2
    exit 1
  fi
  tail -1 "$dir/time.txt"
}

declare -A SECONDS_OF # "set tool" → the runs' seconds, space-separated
for set in "${SETS[@]}"; do
  for tool in "${TOOLS[@]}"; do run "$set" "$tool" >/dev/null; done # warm-up
done
for ((r = 1; r <= REPEATS; r++)); do
  for set in "${SETS[@]}"; do
    for tool in "${TOOLS[@]}"; do
      SECONDS_OF["$set $tool"]+="$(run "$set" "$tool") "
    done
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Checks the last run's outputs of our two modes; fails loudly on any bad report.
python3 - "$WORK" "${SETS[@]}" <<'PYEOF'
import json, os, sys
work, sets = sys.argv[1], sys.argv[2:]
bad = []
for s in sets:
    pages = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(work, s, "pages.tsv")))
    def check(path, name, mode):
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            return bad.append(f"{s}/{name} ({mode}): no JSON report: {e}")
        if not isinstance(d, dict) or not d:
            return bad.append(f"{s}/{name} ({mode}): empty JSON")
        src = d.get("source") or {}
        if src.get("format") != "pdf":
            bad.append(f"{s}/{name} ({mode}): format {src.get('format')!r}, not pdf")
        if str(src.get("pages")) != pages[name]:
            bad.append(f"{s}/{name} ({mode}): {src.get('pages')} pages, pdfinfo says {pages[name]}")
        if not d.get("assessments"):
            bad.append(f"{s}/{name} ({mode}): no assessments")
    for name in pages:
        check(os.path.join(work, s, "out-ours", name + ".json"), name, "a process per file")
    rows = [json.loads(l) for l in open(os.path.join(work, s, "out-batch", "manifest.jsonl"))]
    if len(rows) != len(pages):
        bad.append(f"{s}: batch manifest has {len(rows)} rows for {len(pages)} files")
    for row in rows:
        name = os.path.basename(row["path"])[:-len(".pdf")]
        if not row["status"].startswith("ok") or not row["output"]:
            bad.append(f"{s}/{name} (batch): {row['status']}: {row.get('error')}")
        else:
            check(os.path.join(work, s, "out-batch", row["output"]), name, "batch")
    for tool in ("pdftotext-layout", "pdftotext", "mutool"):
        empty = [n for n in pages if os.path.getsize(os.path.join(work, s, "out-" + tool, n + ".txt")) == 0]
        if empty:
            print(f"note: {tool} wrote no text for {len(empty)} {s} file(s), e.g. {empty[0]}", file=sys.stderr)
if bad:
    print(f"error: {len(bad)} bad report(s):", file=sys.stderr)
    for b in bad[:20]:
        print("  " + b, file=sys.stderr)
    sys.exit(1)
PYEOF

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "Benchmark: PDF path, one process at a time, median of $REPEATS runs after a warm-up; $(nproc) cores (${cpu:-unknown CPU}), $(date -u +%Y-%m-%d)"
echo "audit-extract $("$BIN" --version 2>/dev/null | awk '{ print $NF }'), $(pdftotext -v 2>&1 | head -1), $(mutool -v 2>&1 | head -1)"
echo
echo "| set | tool | files | pages | total s | ms/page | ratio to pdftotext | runs (s) |"
echo "|---|---|---|---|---|---|---|---|"
for set in "${SETS[@]}"; do
  files=$(wc -l <"$WORK/$set/files.txt")
  pages=$(awk -F'\t' '{ p += $2 } END { print p }' "$WORK/$set/pages.tsv")
  # shellcheck disable=SC2086 # the runs' seconds, one word each
  base=$(median ${SECONDS_OF["$set pdftotext"]})
  for tool in "${TOOLS[@]}"; do
    runs=${SECONDS_OF["$set $tool"]}
    # shellcheck disable=SC2086
    s=$(median $runs)
    awk -v set="$set" -v l="$(label "$tool")" -v f="$files" -v p="$pages" -v s="$s" -v b="$base" -v runs="${runs% }" 'BEGIN {
      gsub(/ /, ", ", runs);
      printf "| %s | `%s` | %d | %d | %.2f | %.2f | %.2f | %s |\n", set, l, f, p, s, 1000 * s / p, s / b, runs }'
  done
done
echo
echo "Sets: fixtures = fixtures/pdf/*.pdf (LibreOffice exports) × $COPIES copies; styles = fixtures/styles/*.pdf (ruleless table styles) × $COPIES copies; generated = $GENERATED PDFs from examples/generate_corpus.rs (--seed 42)."
echo "Per-file rows: one bash loop over the files under GNU time (its /bin/true row is the loop's own cost per process); batch row: one process for the whole set."
echo "Command: scripts/bench-pdf.sh $COPIES ${2:-target/bench-pdf} $GENERATED"
