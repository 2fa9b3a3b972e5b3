#!/usr/bin/env bash
# Memorial against Hugo on the same synthetic exhibition, in one run.
#
# Usage: scripts/bench/compare.sh N [NARRATED]     (after `swift build -c release`; `make bench` does both)
#   N         invented records (corpus.py): a case page per record and language, and the indexes
#   NARRATED  the fraction of records with a narrative in kk, ru and en (default 1.0)
# Environment:
#   MEMORIAL   the binary to measure (default: this repository's .build/release/memorial)
#   BENCH_DIR  where corpora are generated and kept between runs (default /tmp/memorial-bench);
#              a corpus is made again when corpus.py has changed
#   BENCH_OUT  where both write their output (default: a new folder in /dev/shm when it has room
#              for both outputs, else in $TMPDIR), removed at the end
#   GOMEMLIMIT Hugo's soft memory limit (default: 80 % of the machine's memory)
#
# Prints wall time, peak RSS and HTML pages of Hugo's full build and of Memorial's, then of a
# Memorial rebuild with nothing changed and of one after one narrative is edited, and last
#   N=... hugo/memorial: wall X.XXx, peak RSS Y.YYx
set -euo pipefail

N=${1:?usage: compare.sh N [NARRATED]}
NARRATED=${2:-1.0}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MEMORIAL=${MEMORIAL:-$ROOT/.build/release/memorial}
CORPUS=${BENCH_DIR:-/tmp/memorial-bench}/corpus-n$N-f$NARRATED
SITE=$CORPUS/memorial
HUGO=$CORPUS/hugo

[ -x "$MEMORIAL" ] || { echo "compare.sh: no $MEMORIAL; run swift build -c release first (make bench does)" >&2; exit 2; }
MEMORIAL=$(cd "$(dirname "$MEMORIAL")" && pwd)/$(basename "$MEMORIAL")
command -v hugo >/dev/null || { echo "compare.sh: hugo is missing; apt-get install hugo (make bench does)" >&2; exit 2; }
case $(/usr/bin/time --version 2>&1) in
  *GNU*) ;;
  *) echo "compare.sh: GNU time is missing; apt-get install time (make bench does)" >&2; exit 2 ;;
esac

# The corpus is kept, with the fingerprint of the generator that made it.
generator=$(sha256sum "$HERE/corpus.py" | cut -c1-16)
if [ "$(cat "$CORPUS/.generator" 2>/dev/null)" != "$generator" ]; then
  rm -rf "$CORPUS"
  mkdir -p "$CORPUS"
  python3 "$HERE/corpus.py" "$SITE" "$N" --narrated "$NARRATED" --hugo "$HUGO"
  echo "$generator" >"$CORPUS/.generator"
fi

# The output in memory when there is room, so that the figures are of the generators and not of
# the disk. One output is there at a time: Memorial's takes about 30 KiB a record, Hugo's 24 KiB.
if [ -z "${BENCH_OUT:-}" ]; then
  room=$(df --output=avail -k /dev/shm 2>/dev/null | tail -n 1 || echo 0)
  if [ "${room:-0}" -gt $((N * 64 + 102400)) ] 2>/dev/null; then
    BENCH_OUT=$(mktemp -d /dev/shm/memorial-bench-out.XXXXXX)
  else
    BENCH_OUT=$(mktemp -d "${TMPDIR:-/tmp}/memorial-bench-out.XXXXXX")
  fi
fi
OUT=$BENCH_OUT
LOGS=$CORPUS/logs
EDITED=""
cleanup() {
  # The edited narrative is put back, so that the kept corpus stays the one corpus.py writes.
  if [ -n "$EDITED" ]; then mv -f "$CORPUS/edited-original.md" "$EDITED"; fi
  rm -rf "$OUT"
}
trap cleanup EXIT

# Every run starts cold: no output and no build state from an earlier run.
rm -rf "$OUT" "$SITE/.memorial" "$SITE"/.memorial-state-* "$HUGO/resources" "$LOGS"
mkdir -p "$OUT" "$LOGS"
echo "== N=$N narrated=$NARRATED: corpus $CORPUS, output $OUT"

# Each generator reads its input from the page cache, not from the disk: reading 90,000 small
# narratives from this kind of disk can take longer than building them. (Not with tar into
# /dev/null: GNU tar then reads nothing.)
warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

measure() { # name, output folder, command...
  local name=$1 out=$2
  shift 2
  if ! /usr/bin/time -f "%e %M" -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err"; then
    echo "$name failed:" >&2
    tail -n 20 "$LOGS/$name.err" >&2
    exit 1
  fi
  local wall rss pages
  read -r wall rss <"$LOGS/$name.time"
  pages=$(find "$out" -name '*.html' -printf . | wc -c)
  printf '%-18s wall %8.2f s  peak RSS %7d MiB  html pages %d\n' "$name" "$wall" $((rss / 1024)) "$pages"
  printf -v "${name//-/_}_wall" '%s' "$wall"
  printf -v "${name//-/_}_rss" '%s' "$rss"
}

# Hugo first, and its output removed before Memorial runs: the machine holds one output and one
# generator at a time. Hugo needs about 20 GiB at 100,000 records; a soft limit keeps it inside
# the machine's memory.
memory_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
warm "$HUGO"
measure hugo-full "$OUT/hugo" env GOMEMLIMIT="${GOMEMLIMIT:-$((memory_kib * 8 / 10 / 1024))MiB}" \
  hugo --source "$HUGO" --destination "$OUT/hugo" --quiet
rm -rf "$OUT/hugo"
warm "$SITE"
measure memorial-full "$OUT/memorial" "$MEMORIAL" build --site "$SITE" --out "$OUT/memorial" --quiet
measure memorial-nochange "$OUT/memorial" "$MEMORIAL" build --site "$SITE" --out "$OUT/memorial" --quiet
# The first narrative in name order (a glob, sorted by bash, and no pipe that could stop early).
for narrative in "$SITE"/content/cases/*/en.md; do
  if [ -f "$narrative" ]; then
    cp -p "$narrative" "$CORPUS/edited-original.md"
    EDITED=$narrative
    printf '\nA sentence added by the benchmark at %s.\n' "$(date +%s%N)" >>"$narrative"
    measure memorial-one-edit "$OUT/memorial" "$MEMORIAL" build --site "$SITE" --out "$OUT/memorial" --quiet
    grep -q ' 0 files written' "$LOGS/memorial-one-edit.out" && { echo "the edit was not rebuilt" >&2; exit 1; }
  fi
  break
done
awk -v n="$N" -v mw="$memorial_full_wall" -v hw="$hugo_full_wall" -v mr="$memorial_full_rss" -v hr="$hugo_full_rss" \
  'BEGIN { printf "N=%s hugo/memorial: wall %.2fx, peak RSS %.2fx\n", n, hw / mw, hr / mr }'
