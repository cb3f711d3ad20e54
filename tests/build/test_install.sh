#!/usr/bin/env bash
# tests/build/test_install.sh SOURCE_DIR BINARY_DIR CC
# Installs the build into a temporary prefix and builds a MAPI program
# against it the way a user would: `#include <mapix.h>` with only
# `pkg-config --cflags --libs freemapi`, linked to the shared library and
# then to the static one. Checks the soname is versioned.
set -euo pipefail
src=$1 bin=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$bin" --prefix "$tmp/prefix" >/dev/null
libdir=$(dirname "$(find "$tmp/prefix" -name 'libfreemapi.so.0' | head -1)")
test -f "$tmp/prefix/include/freemapi/mapix.h"
test -f "$libdir/libfreemapi.a"
readelf -d "$libdir/libfreemapi.so.0" | grep -q 'SONAME.*\[libfreemapi.so.0\]'

extra=()
if grep -q 'FREEMAPI_SANITIZE:BOOL=ON' "$bin/CMakeCache.txt"; then
  extra=(-fsanitize=address,undefined)
fi

cat > "$tmp/prog.c" <<'C'
#include <mapix.h>
#include <mapiutil.h>
#include <freemapi.h>
#include <stdio.h>
int main(void)
{
    LPVOID p = NULL, q = NULL;
    if (MAPIAllocateBuffer(32, &p) != S_OK) return 1;
    if (MAPIAllocateMore(16, p, &q) != S_OK) return 2;
    MAPIFreeBuffer(p);
    fmapi_alloc_stats s;
    fmapi_alloc_get_stats(&s);
    printf("freemapi %s live=%llu\n", fmapi_version(), (unsigned long long)s.live_mapi_buffers);
    return s.live_mapi_buffers == 0 ? 0 : 3;
}
C
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "${extra[@]}" -o "$tmp/prog_shared" "$tmp/prog.c" \
      $(pkg-config --cflags --libs freemapi)
LD_LIBRARY_PATH="$libdir" "$tmp/prog_shared"
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "${extra[@]}" -o "$tmp/prog_static" "$tmp/prog.c" \
      $(pkg-config --cflags freemapi) "$libdir/libfreemapi.a" \
      $(pkg-config --static --libs-only-l freemapi | sed 's/-lfreemapi//')
"$tmp/prog_static"
echo "install: shared and static programs built and ran"
