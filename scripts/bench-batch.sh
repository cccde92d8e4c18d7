#!/usr/bin/env bash
# Bulk-ingestion benchmark (not a test): generates N text and N PDF reports with the
# corpus generator, runs the release binary over each set, and pdftotext over the same
# PDFs at the same parallelism; prints a markdown table of reports/s, pages/s and
# peak RSS (GNU time's "Maximum resident set size", the largest single process).
#
#   scripts/bench-batch.sh [N=2000] [JOBS=2] [WORKDIR=target/bench-batch]
#
# Needs: cargo, GNU time (/usr/bin/time, Debian package `time`), pdftotext (Debian
# package `poppler-utils`); both are installed with apt-get when missing and possible.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-2000}
JOBS=${2:-2}
WORK=${3:-target/bench-batch}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
[ -x /usr/bin/time ] || need /usr/bin/time time
need pdftotext poppler-utils

cargo build --release --quiet --bin audit-extract --example generate_corpus
BIN=target/release/audit-extract
fresh_dir "$WORK"
target/release/examples/generate_corpus --count "$N" --out "$WORK/corpus" --pdf --seed 42 2>/dev/null

# Runs a command under GNU time, sampling every 20 ms the summed RSS of its whole
# process tree (batch parent + workers, or xargs + pdftotext processes); prints
# "seconds largest_process_peak_kb whole_tree_peak_kb".
timed() {
  python3 - "$WORK/time.txt" "$@" <<'EOF'
import os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids
def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0
p = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", "-o", out] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    total, todo = 0, children(p.pid)
    while todo:
        pid = todo.pop()
        total += rss(pid)
        todo += children(pid)
    peak = max(peak, total)
    time.sleep(0.02)
seconds, largest = open(out).read().split()[-2:]
print(seconds, largest, peak)
EOF
}

# Reports, pages and failures of a run, from its manifest.
manifest_stats() {
  python3 - "$1" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = sum(r["status"].startswith("ok") for r in rows)
pages = sum(r["pages"] or 0 for r in rows)
failed = sum(r["status"] == "failed" for r in rows)
print(ok, pages, failed)
EOF
}

row() { # label, seconds, largest peak KB, tree peak KB, reports, pages, failed
  awk -v l="$1" -v s="$2" -v m="$3" -v t="$4" -v r="$5" -v p="$6" -v f="$7" 'BEGIN {
    pps = (p > 0) ? sprintf("%.0f", p / s) : "–";
    printf "| %s | %d | %d | %.2f | %.0f | %s | %.0f | %.0f |\n", l, r, f, s, r / s, pps, m / 1024, t / 1024 }'
}

TEXT_PAGES=$(python3 -c 'import json,glob; print(sum((json.load(open(f)).get("text_pages") or 0) for f in glob.glob("'"$WORK"'/corpus/expected/*.json")))')

echo "Benchmark: $N text + $N PDF generated reports, --jobs $JOBS, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| run | reports | failed | seconds | reports/s | pages/s | peak RSS, largest process (MB) | peak RSS, all processes (MB) |"
echo "|---|---|---|---|---|---|---|---|"

read -r s m t < <(timed "$BIN" extract "$WORK/corpus/text" -o "$WORK/out-text" --jobs "$JOBS" -q)
read -r ok pages failed < <(manifest_stats "$WORK/out-text/manifest.jsonl")
row "audit-extract, text (worker processes)" "$s" "$m" "$t" "$ok" "$pages" "$failed"

read -r s m t < <(timed "$BIN" extract "$WORK/corpus/text" -o "$WORK/out-text-inproc" --jobs "$JOBS" -q --in-process)
read -r ok pages failed < <(manifest_stats "$WORK/out-text-inproc/manifest.jsonl")
row "audit-extract, text (--in-process)" "$s" "$m" "$t" "$ok" "$pages" "$failed"

read -r s m t < <(timed "$BIN" extract "$WORK/corpus/pdf" -o "$WORK/out-pdf" --jobs "$JOBS" -q)
read -r ok pages failed < <(manifest_stats "$WORK/out-pdf/manifest.jsonl")
PDF_PAGES=$pages
row "audit-extract, PDF (worker processes)" "$s" "$m" "$t" "$ok" "$pages" "$failed"

read -r s m t < <(timed "$BIN" extract "$WORK/corpus/pdf" -o "$WORK/out-pdf-jsonl" --jobs "$JOBS" -q --jsonl "$WORK/all.jsonl")
read -r ok pages failed < <(manifest_stats "$WORK/out-pdf-jsonl/manifest.jsonl")
row "audit-extract, PDF + --jsonl" "$s" "$m" "$t" "$ok" "$pages" "$failed"

mkdir -p "$WORK/pdftotext"
read -r s m t < <(timed sh -c "find '$WORK/corpus/pdf' -name '*.pdf' -print0 | xargs -0 -P '$JOBS' -I{} sh -c 'pdftotext -layout \"\$1\" \"$WORK/pdftotext/\$(basename \"\$1\" .pdf).txt\"' _ {}")
row "pdftotext -layout, PDF (xargs -P $JOBS)" "$s" "$m" "$t" "$N" "$PDF_PAGES" 0

echo
echo "Text pages are counted from form feeds (half of the generated text reports have them: $TEXT_PAGES pages)."
echo "Peak RSS: GNU time's maximum resident set size (the largest single process: batch parent, one worker, one pdftotext), and the summed RSS of the whole process tree sampled every 20 ms."
echo "Command: scripts/bench-batch.sh $N $JOBS"

# Agreement of the extracted reports with the generator's truth (NAME.expected.json),
# field by field: the share of expected values the tool got exactly.
echo
echo "Agreement with the generated truth (share of expected values extracted exactly):"
echo
python3 - "$WORK" <<'PYEOF'
import json, os, sys
work = sys.argv[1]
expected_dir = os.path.join(work, "corpus", "expected")
print("| form | metadata fields | assessments found | titles | codes | annotations | conclusion boxes |")
print("|---|---|---|---|---|---|---|")
for form, out in (("text", "out-text"), ("PDF", "out-pdf")):
    n = {k: [0, 0] for k in ("meta", "found", "title", "code", "ann", "concl")}
    def tally(key, good):
        n[key][0] += bool(good)
        n[key][1] += 1
    for line in open(os.path.join(work, out, "manifest.jsonl")):
        row = json.loads(line)
        name = os.path.basename(row["path"]).rsplit(".", 1)[0]
        exp = json.load(open(os.path.join(expected_dir, name + ".expected.json")))
        got = json.load(open(os.path.join(work, out, row["output"]))) if row["output"] else None
        gm = got["metadata"] if got else {}
        for k in ("department", "department_code", "city", "site_type", "audit_dates", "signature_date",
                  "auditors", "audit_type", "audit_origin", "modules_covered"):
            tally("meta", gm.get(k) == exp["metadata"][k])
        ga = {a["id"]: a for a in got["assessments"]} if got else {}
        for a in exp["assessments"]:
            b = ga.get(a["id"])
            tally("found", b is not None)
            tally("title", b is not None and b["title"] == a["title"])
            tally("code", b is not None and b["conformity"] == a["conformity"])
            want = [(x["kind"], x["text"]) for x in a["annotations"]]
            have = [(x["kind"], x["text"]) for x in b["annotations"]] if b else None
            tally("ann", have == want)
        for k, v in exp["conclusion"].items():
            tally("concl", got is not None and got["conclusion"].get(k) == v)
    pct = lambda k: "%.1f%%" % (100.0 * n[k][0] / max(n[k][1], 1))
    print(f"| {form} | {pct('meta')} | {pct('found')} | {pct('title')} | {pct('code')} | {pct('ann')} | {pct('concl')} |")
PYEOF
