#!/bin/bash
# test_proptags_generated.sh - the committed mapitags.h and proptag_names.c
# must be exactly what tools/gen-proptags.py makes from data/proptags.tsv, and
# the header must compile standalone as C11 (pedantic, with and without
# UNICODE) and as C++. Arguments: SOURCE_DIR BINARY_DIR CC.
set -eu
src=$1 bin=$2 cc=$3
tmp=$(mktemp -d "${bin}/proptags.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 "$src/tools/gen-proptags.py" --tsv "$src/data/proptags.tsv" \
    --header "$tmp/mapitags.h" --source "$tmp/proptag_names.c"
diff -u "$src/include/mapitags.h" "$tmp/mapitags.h"
diff -u "$src/src/core/proptag_names.c" "$tmp/proptag_names.c"

printf '#include "mapitags.h"\nint main(void) { return PR_SUBJECT == 0; }\n' > "$tmp/t.c"
"$cc" -std=c11 -pedantic -Wall -Wextra -Werror -I"$src/include" -c "$tmp/t.c" -o "$tmp/t.o"
"$cc" -std=c11 -pedantic -Wall -Wextra -Werror -DUNICODE -I"$src/include" -c "$tmp/t.c" -o "$tmp/t.o"
if command -v c++ >/dev/null 2>&1; then
    cp "$tmp/t.c" "$tmp/t.cpp"
    c++ -Wall -Wextra -Werror -DUNICODE -I"$src/include" -c "$tmp/t.cpp" -o "$tmp/t.o"
fi
echo "proptags: generated files match data/proptags.tsv; header compiles"
