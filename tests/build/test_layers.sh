#!/usr/bin/env bash
# tests/build/test_layers.sh SOURCE_DIR - every layer of src/ includes only
# the layers below it (scripts/check_layers.sh over the tree), and the check
# does fail on each kind of violation, planted in a scratch tree.
set -euo pipefail
src=$1
check="$src/scripts/check_layers.sh"

bash "$check" "$src"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
plant() { # plant DIR/FILE 'LINE': a one-line source file in a fresh tree
  rm -rf "$scratch/tree"
  mkdir -p "$scratch/tree/src/core" "$scratch/tree/src/store" "$scratch/tree/src/mime"
  echo '#include "core/alloc.h"' >"$scratch/tree/src/store/fine.c"
  mkdir -p "$(dirname "$scratch/tree/$1")"
  echo "$2" >"$scratch/tree/$1"
}
expect_fail() { # expect_fail WHAT: the check refuses the planted tree, naming WHAT
  local out
  if out=$(bash "$check" "$scratch/tree" 2>&1); then
    echo "layers test: the check passed a tree with $1"
    exit 1
  fi
  grep -q "$1" <<<"$out" || { echo "layers test: no report of $1 in: $out"; exit 1; }
}

plant src/store/ok.c '#include "core/error.h"'
bash "$check" "$scratch/tree" >/dev/null # a downward include passes
plant src/core/up.c '#include "store/store.h"'
expect_fail "of layer store above core"
plant src/core/up.h '  #  include "store/store.h"'
expect_fail "of layer store above core"
plant src/store/new.c '#include "nowhere/x.h"'
expect_fail "undeclared layer nowhere"
plant src/newlayer/x.c '#include "core/alloc.h"'
expect_fail "src/newlayer/ is not a declared layer"
plant src/mime/m.c '#include "core/alloc.h"'
expect_fail "mime uses the public headers only"
plant tools/mapi/t.c '#include "store/store.h"'
expect_fail "tools use the public headers only"
echo "layers test: every planted violation was refused"
