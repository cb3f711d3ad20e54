#!/usr/bin/env bash
# tests/pst/npm_install.sh DIR - installs pst-extractor (npm), the third
# independent PST reader of tests/pst/test_readers.c, into DIR in the build
# tree (a ctest fixture run before that test). Installed once; a pinned
# version, so every run reads with the same code.
set -euo pipefail
dir=$1
version=1.12.0
if [ -f "$dir/node_modules/pst-extractor/package.json" ] &&
   grep -q "\"version\": \"$version\"" "$dir/node_modules/pst-extractor/package.json"; then
  exit 0
fi
mkdir -p "$dir"
timeout 300 npm install --no-audit --no-fund --no-save --prefix "$dir" "pst-extractor@$version"
