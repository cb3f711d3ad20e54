#!/usr/bin/env bash
# tests/session/test_dlopen.sh SOURCE_DIR BINARY_DIR CC
# libfreemapi can be loaded with dlopen and unloaded with dlclose 100 times
# without leaving anything behind (dlopen_cycles.c). Under valgrind (when
# installed) the same program must also report no leaks. A host linking
# SQLite itself keeps a working SQLite after the unload
# (dlopen_sqlite_host.c).
set -euo pipefail
src=$1 bin=$2 cc=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cc" -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -o "$work/dlopen_cycles" \
  "$src/tests/session/dlopen_cycles.c" -ldl
# Both programs are compiled before the sanitizer runtime is preloaded
# below (the compiler itself must not run under it).
"$cc" -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -o "$work/dlopen_sqlite_host" \
  "$src/tests/session/dlopen_sqlite_host.c" -ldl -lsqlite3
export FREEMAPI_PROFILE_DIR="$work/profiles"
lib="$bin/libfreemapi.so.0"
# The sanitized build's library needs the sanitizer runtime loaded first.
if [ "$(nm -D "$lib" | grep -c __asan_init)" != 0 ]; then
  export LD_PRELOAD=$("$cc" -print-file-name=libasan.so)
  export ASAN_OPTIONS=detect_leaks=1
  export DLOPEN_NO_RSS=1 # the sanitizer's quarantine keeps freed memory on purpose
fi
"$work/dlopen_cycles" "$lib" 100
# A host that links SQLite itself keeps a working SQLite after freemapi,
# which configured the SQLite they share, is unloaded.
"$work/dlopen_sqlite_host" "$lib" "$work/host.fmstore"
if [ -z "${LD_PRELOAD:-}" ] && command -v valgrind >/dev/null; then
  DLOPEN_NO_RSS=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --show-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "$work/dlopen_cycles" "$lib" 10
fi
