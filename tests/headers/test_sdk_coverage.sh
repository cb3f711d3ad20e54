#!/usr/bin/env bash
# tests/headers/test_sdk_coverage.sh SOURCE_DIR BINARY_DIR CC
#
# Every name of data/sdk_names.tsv (the MAPI reference's functions,
# structures, interfaces and constants that Windows MAPI programs use, each
# with its Learn page) is declared by the installed headers, in the header
# the SDK puts it in, and links against the installed libraries
# (tools/sdk-coverage.py). Fails with the missing names listed; reports the
# names other branches are still to add.
set -euo pipefail
src=$1 bin=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$bin" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(find "$tmp/prefix" -name 'libfreemapi.so.0' | head -1)")
flags=""
if grep -q 'FREEMAPI_SANITIZE:BOOL=ON' "$bin/CMakeCache.txt"; then
  flags="-fsanitize=address,undefined"
fi
python3 "$src/tools/sdk-coverage.py" --tsv "$src/data/sdk_names.tsv" \
  --include "$tmp/prefix/include/freemapi" --libdir "$libdir" \
  --cc "$cc" --cxx "${CXX:-g++}" --cflags="$flags" --work "$tmp/work"
