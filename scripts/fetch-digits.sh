#!/usr/bin/env bash
# The 8×8 handwritten digits for <pw-images> (issue 16): UCI "Optical Recognition of Handwritten Digits"
# (Alpaydin & Kaynak 1998, CC BY 4.0, doi:10.24432/C50P49) as shipped in Debian's python3-sklearn
# (sklearn/datasets/data/digits.csv.gz: 1797 rows of 64 pixels in 0..16 and the label). Only the .deb is
# fetched (apt-get download, no numpy/scipy installed) and the one file extracted into build/data/.
# Idempotent: does nothing when build/data/digits.csv exists. Usage: fetch-digits.sh [outdir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/data}
[ -s "$out/digits.csv" ] && exit 0
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && apt-get download -qq python3-sklearn 2>/dev/null ) || {
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && ( cd "$tmp" && apt-get download -qq python3-sklearn )
}
deb=$(ls "$tmp"/python3-sklearn_*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -O ./usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz > "$tmp/digits.csv.gz"
gzip -dc "$tmp/digits.csv.gz" > "$tmp/digits.csv"
rows=$(wc -l < "$tmp/digits.csv")
[ "$rows" -eq 1797 ] || { echo "fetch-digits: expected 1797 rows, got $rows" >&2; exit 1; }
echo "$(basename "$deb")" > "$out/digits.source"
mv "$tmp/digits.csv.gz" "$out/digits.csv.gz"
mv "$tmp/digits.csv" "$out/digits.csv"
echo "fetch-digits: $out/digits.csv (1797 images, from $(basename "$deb"))"
