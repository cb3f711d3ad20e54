#!/usr/bin/env bash
# tests/build/test_example.sh SOURCE_DIR BINARY_DIR CC
# The README's first command runs examples/mapi_tour; keep it working: it
# must exit 0, find exactly the two messages its restriction selects, in
# delivery order, and report no leaks.
set -euo pipefail
bin=$2
out=$("$bin/mapi_tour")
echo "$out"
grep -q "2 of 4 match" <<<"$out"
first=$(grep -n '^  \* ' <<<"$out" | head -1)
grep -q "RE: quarterly REPORT draft" <<<"$first"
grep -q "Everything released: no leaks." <<<"$out"
