#!/usr/bin/env bash
# scripts/check_layers.sh [ROOT] - the include-order check: every layer of
# src/ uses only the layers below it. Reads the #include "..." lines of
# src/**/*.[ch] and tools/**/*.[ch] and fails (exit 1, one line per
# violation) on an include of a layer above the including file's, of an
# undeclared layer, or of an internal header from code that must use the
# public API only. tests/build/test_layers.sh runs it in the suite.
#
# The declared order, lowest first (docs/ARCHITECTURE.md explains each):
LAYERS="core props rtf restrict notify table cfb msg db store oab site spool profile ab session simple forms tnef rop"
# Libraries and programs on the public headers (include/) only: they may
# include their own directory's headers and nothing else of src/.
PUBLIC_ONLY="mime mimeconv pst relay"
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

rank() { # the position of layer $1 in LAYERS, or nothing
  local i=0 l
  for l in $LAYERS; do
    [ "$l" = "$1" ] && { echo "$i"; return; }
    i=$((i + 1))
  done
}

is_public_only() {
  local l
  for l in $PUBLIC_ONLY; do [ "$l" = "$1" ] && return 0; done
  return 1
}

bad=0
report() {
  echo "layers: $1"
  bad=$((bad + 1))
}

# $1 file, $2 its layer (a src/ directory, or "" for tools/)
check_file() {
  local file=$1 layer=$2 line target
  while IFS= read -r line; do
    target=${line#*\"}
    target=${target%%\"*}
    case "$target" in
      */*) ;;       # a layer's header: "store/store.h"
      *) continue ;; # a public header (include/) or one beside the file
    esac
    local to=${target%%/*}
    if [ -z "$layer" ]; then
      report "${file#"$root"/}: includes $target; tools use the public headers only"
    elif is_public_only "$layer"; then
      [ "$to" = "$layer" ] ||
        report "${file#"$root"/}: includes $target; $layer uses the public headers only"
    elif [ "$to" != "$layer" ]; then
      local from_rank to_rank
      from_rank=$(rank "$layer")
      to_rank=$(rank "$to")
      if [ -z "$to_rank" ]; then
        report "${file#"$root"/}: includes $target of undeclared layer $to"
      elif [ "$to_rank" -gt "$from_rank" ]; then
        report "${file#"$root"/}: includes $target, of layer $to above $layer"
      fi
    fi
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file")
}

files=0
for dir in "$root"/src/*/; do
  layer=$(basename "$dir")
  if [ -z "$(rank "$layer")" ] && ! is_public_only "$layer"; then
    report "src/$layer/ is not a declared layer (add it to LAYERS in scripts/check_layers.sh)"
    continue
  fi
  while IFS= read -r f; do
    check_file "$f" "$layer"
    files=$((files + 1))
  done < <(find "$dir" -name '*.[ch]' | sort)
done
if [ -d "$root/tools" ]; then
  while IFS= read -r f; do
    check_file "$f" ""
    files=$((files + 1))
  done < <(find "$root/tools" -name '*.[ch]' | sort)
fi
echo "layers: $files files checked, $bad violations"
[ "$files" -gt 0 ] && [ "$bad" -eq 0 ]
