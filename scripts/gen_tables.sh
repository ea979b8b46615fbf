#!/usr/bin/env bash
# Regenerates src/tables/*.tsv from the OpenCC dictionaries Debian ships
# (apt-get install opencc libopencc-data). CI runs this and diffs the result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dicts=${OPENCC_DICT_DIR:-/usr/share/opencc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in TSCharacters TSPhrases STCharacters STPhrases TWVariants TWVariantsRev \
    TWVariantsRevPhrases HKVariants HKVariantsRev HKVariantsRevPhrases; do
  opencc_dict -i "$dicts/$name.ocd2" -o "$tmp/$name.txt" -f ocd2 -t text
done
# OpenCC 1.4.2's dictionaries, from its PyPI wheel, for the folding classes.
mkdir -p "$tmp/wheel" "$tmp/newer"
pip download --quiet --no-deps --only-binary=:all: -d "$tmp/wheel" "opencc==1.4.2"
python3 -m zipfile -e "$tmp"/wheel/opencc-1.4.2-*.whl "$tmp/wheel/x"
for name in TSCharacters TSPhrases STCharacters STPhrases TWVariants TWVariantsRev \
    TWVariantsRevPhrases HKVariants HKVariantsRev HKVariantsRevPhrases \
    HKVariantsPhrases TWVariantsPhrases; do
  opencc_dict -i "$tmp/wheel/x/opencc/clib/share/opencc/$name.ocd2" -o "$tmp/newer/$name.txt" -f ocd2 -t text
done
python3 "$root/scripts/gen_tables.py" "$tmp" "${1:-$root/src/tables}" "$tmp/newer"
