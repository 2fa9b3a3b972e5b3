#!/usr/bin/env bash
# Memorial's document images against ImageMagick's convert, in one run.
#
# Usage: scripts/bench/images.sh [N]     (after `swift build -c release`; `make bench-images` does both)
#   N  generated scans of 2,500 x 3,500 px (default 200), each a distinct smooth JPEG
# Environment:
#   MEMORIAL   the binary to measure (default: this repository's .build/release/memorial)
#   BENCH_DIR  where the scans and outputs go (default: a new folder in $TMPDIR), removed at the end
#
# Prints the wall time and peak RSS of memorial's full build of the scans (a thumbnail and a
# reading image in WebP and JPEG per page, and the IIIF tiles; no download is allowed), of
# ImageMagick's convert making the same two sizes (JPEG, metadata stripped; one process per scan,
# two at a time as memorial uses both cores), of a memorial rebuild after one scan is added, and
#   N=... convert/memorial: wall X.XXx; memorial peak RSS Y MiB; one new scan Z s
set -euo pipefail

N=${1:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MEMORIAL=${MEMORIAL:-$ROOT/.build/release/memorial}
[ -x "$MEMORIAL" ] || { echo "images.sh: no $MEMORIAL; run swift build -c release first (make bench-images does)" >&2; exit 2; }
# Debian's convert (another one earlier on the PATH may not be ImageMagick).
CONVERT=${CONVERT:-/usr/bin/convert}
"$CONVERT" -version 2>/dev/null | grep -q ImageMagick || { echo "images.sh: no ImageMagick at $CONVERT; apt-get install imagemagick (make bench-images does)" >&2; exit 2; }
command -v vips >/dev/null || { echo "images.sh: vips is missing; apt-get install libvips-tools (make deps does)" >&2; exit 2; }
case $(/usr/bin/time --version 2>&1) in
  *GNU*) ;;
  *) echo "images.sh: GNU time is missing; apt-get install time (make bench-images does)" >&2; exit 2 ;;
esac
CORES=$(nproc)

WORK=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/memorial-images-XXXXXX")}
trap 'rm -rf "$WORK"' EXIT
SITE=$WORK/site
CASE=$SITE/content/cases/abenov-test
cp -r "$ROOT/Tests/Fixtures/Sites/minimal" "$SITE"

# Distinct scans: random noise at a tenth of the size, enlarged (smooth, so JPEGs stay small).
scan() {
  vips gaussnoise "$WORK/noise-$1.v" 250 350 --mean 160 --sigma 40
  vips bandjoin "$WORK/noise-$1.v $WORK/noise-$1.v $WORK/noise-$1.v" "$WORK/rgb-$1.v"
  vips resize "$WORK/rgb-$1.v" "$CASE/scan-$1.jpg[Q=85]" 10
  rm -f "$WORK/noise-$1.v" "$WORK/rgb-$1.v"
}
echo "generating $N scans of 2500 x 3500 px in $WORK"
for i in $(seq -w 1 "$N"); do scan "$i"; done
describe() {
  : > "$CASE/documents.yml"
  for file in "$CASE"/scan-*.jpg; do
    printf -- '- file: %s\n  kind: other\n' "$(basename "$file")" >> "$CASE/documents.yml"
  done
}
describe
sync

measure() { # label, command...: prints "label wall peak_kib"
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null
  echo "$label $(cat "$WORK/time")"
}

read -r _ convert_wall convert_peak < <(measure convert bash -c "
  mkdir -p '$WORK/convert'
  ls '$CASE'/scan-*.jpg | xargs -P $CORES -I{} sh -c 'b=\$(basename {} .jpg);
    $CONVERT {} -strip \\( +clone -resize 1400x -write \"$WORK/convert/\$b-large.jpg\" +delete \\) -resize 320x \"$WORK/convert/\$b-small.jpg\"'")
read -r _ memorial_wall memorial_peak < <(measure memorial \
  "$MEMORIAL" build --quiet --site "$SITE" --out "$WORK/public" --cache-dir "$WORK/state")
scan new
describe
read -r _ rebuild_wall rebuild_peak < <(measure rebuild \
  "$MEMORIAL" build --quiet --site "$SITE" --out "$WORK/public" --cache-dir "$WORK/state")

printf '%-32s %8s %12s\n' "" "wall s" "peak RSS MiB"
printf '%-32s %8s %12d\n' "convert, 2 sizes ($N scans)" "$convert_wall" $((convert_peak / 1024))
printf '%-32s %8s %12d\n' "memorial, full build ($N scans)" "$memorial_wall" $((memorial_peak / 1024))
printf '%-32s %8s %12d\n' "memorial, one new scan" "$rebuild_wall" $((rebuild_peak / 1024))
echo "N=$N convert/memorial: wall $(echo "scale=2; $convert_wall / $memorial_wall" | bc)x;" \
  "memorial peak RSS $((memorial_peak / 1024)) MiB; one new scan ${rebuild_wall} s"
