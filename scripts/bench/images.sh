#!/usr/bin/env bash
# Memorial's document images against ImageMagick's convert, in one run.
#
# Usage: scripts/bench/images.sh [N]     (after `swift build -c release`; `make bench-images` does both)
#   N  generated scans of 2,500 x 3,500 px (default 200), each a distinct smooth JPEG
# Environment:
#   MEMORIAL   the binary to measure (default: this repository's .build/release/memorial)
#   BENCH_DIR  where the scans and outputs go (default: a new folder in $TMPDIR), removed at the end
#
# Prints the wall time and peak RSS of:
# - ImageMagick's convert making the two sizes CollectionBuilder's task makes (JPEG at memorial's
#   quality, metadata stripped; one process per scan, one thread each, as many at a time as there
#   are cores);
# - memorial's full build of the scans: per page a thumbnail and a reading image in WebP and JPEG,
#   and the IIIF tiles (no download is allowed), then the pages;
# - of that build, the thumbnails and reading sizes alone: the images stage's wall time times
#   their share of the time memorial's pages took (its own per-part timings, MEMORIAL_TIMINGS=1,
#   of the same build), which is what convert does, though memorial writes WebP beside JPEG;
# - a memorial rebuild after one scan is added; and last
#   N=... convert/memorial: full build X.XXx, thumbnails + reading sizes Y.YYx; memorial peak RSS Z MiB; one new scan W s
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

# Distinct scans: random noise at a tenth of the size, enlarged (smooth, so JPEGs stay small). Each
# has its own seed: libvips seeds from the clock otherwise, and scans made in the same second were
# the same file, which memorial makes once.
scan() { # name seed
  vips gaussnoise "$WORK/noise-$1.v" 250 350 --mean 160 --sigma 40 --seed "$2"
  vips bandjoin "$WORK/noise-$1.v $WORK/noise-$1.v $WORK/noise-$1.v" "$WORK/rgb-$1.v"
  vips resize "$WORK/rgb-$1.v" "$CASE/scan-$1.jpg[Q=85]" 10
  rm -f "$WORK/noise-$1.v" "$WORK/rgb-$1.v"
}
export -f scan
export WORK CASE
echo "generating $N scans of 2500 x 3500 px in $WORK"
seq 1 "$N" | xargs -P "$CORES" -I{} bash -c 'scan "$(printf %04d {})" {}'
[ "$(md5sum "$CASE"/scan-*.jpg | cut -c1-32 | sort -u | wc -l)" -eq "$N" ] \
  || { echo "images.sh: the generated scans are not $N distinct files" >&2; exit 1; }
describe() {
  : > "$CASE/documents.yml"
  for file in "$CASE"/scan-*.jpg; do
    printf -- '- file: %s\n  kind: other\n' "$(basename "$file")" >> "$CASE/documents.yml"
  done
}
describe
sync

measure() { # label, command...: prints "label wall peak_kib"; the command's standard error in $WORK/stderr
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null 2> "$WORK/stderr"
  echo "$label $(cat "$WORK/time")"
}

# One OpenMP thread per convert: as many run at once as there are cores (ImageMagick's threads on
# top cost it a tenth more CPU time, as libvips' cost memorial).
read -r _ convert_wall convert_peak < <(measure convert env OMP_NUM_THREADS=1 bash -c "
  mkdir -p '$WORK/convert'
  ls '$CASE'/scan-*.jpg | xargs -P $CORES -I{} sh -c 'b=\$(basename {} .jpg);
    $CONVERT {} -strip -quality 82 \\( +clone -resize 1400x -write \"$WORK/convert/\$b-large.jpg\" +delete \\) -resize 320x \"$WORK/convert/\$b-small.jpg\"'")
read -r _ memorial_wall memorial_peak < <(measure memorial \
  env MEMORIAL_TIMINGS=1 "$MEMORIAL" build --quiet --site "$SITE" --out "$WORK/public" --cache-dir "$WORK/state")
# "timing: document images 12.345 s, ..." and, summed over threads, per part of the pages' time.
seconds() { sed -n "s/^timing: $1 \([0-9.]*\) s.*/\1/p" "$WORK/stderr" | head -1; }
images_wall=$(seconds "document images")
derivatives=$(seconds "document images: thumbnails and reading sizes, summed over threads")
tiles=$(seconds "document images: tiles, summed over threads")
full_sizes=$(seconds "document images: full sizes, summed over threads")
[ -n "$images_wall" ] && [ -n "$derivatives" ] && [ -n "$tiles" ] && [ -n "$full_sizes" ] \
  || { echo "images.sh: $MEMORIAL printed no per-part timings (MEMORIAL_TIMINGS=1)" >&2; exit 1; }
share() { echo "scale=2; $images_wall * $1 / ($derivatives + $tiles + $full_sizes)" | bc; }
derivatives_wall=$(share "$derivatives")
tiles_wall=$(share "$tiles")
scan new $((N + 1))
describe
read -r _ rebuild_wall rebuild_peak < <(measure rebuild \
  "$MEMORIAL" build --quiet --site "$SITE" --out "$WORK/public" --cache-dir "$WORK/state")

printf '%-44s %8s %12s\n' "" "wall s" "peak RSS MiB"
printf '%-44s %8s %12d\n' "convert, 2 sizes ($N scans)" "$convert_wall" $((convert_peak / 1024))
printf '%-44s %8s %12d\n' "memorial, full build ($N scans)" "$memorial_wall" $((memorial_peak / 1024))
printf '%-44s %8s\n' "  images stage" "$images_wall"
printf '%-44s %8s\n' "    thumbnails + reading sizes (WebP, JPEG)" "$derivatives_wall"
printf '%-44s %8s\n' "    IIIF tiles" "$tiles_wall"
printf '%-44s %8s %12d\n' "memorial, one new scan" "$rebuild_wall" $((rebuild_peak / 1024))
echo "N=$N convert/memorial: full build $(echo "scale=2; $convert_wall / $memorial_wall" | bc)x," \
  "thumbnails + reading sizes $(echo "scale=2; $convert_wall / $derivatives_wall" | bc)x;" \
  "memorial peak RSS $((memorial_peak / 1024)) MiB; one new scan ${rebuild_wall} s"
