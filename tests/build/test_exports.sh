#!/usr/bin/env bash
# tests/build/test_exports.sh SOURCE_DIR BINARY_DIR CC
# libfreemapi.so exports only its public API: every exported function or
# object must be declared in a public header under include/, and no internal
# fm_* symbol may leak out.
set -euo pipefail
src=$1 bin=$2
lib="$bin/libfreemapi.so.0"
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort -u)
count=0
bad=0
for s in $syms; do
  count=$((count + 1))
  case "$s" in
    fm_*) echo "exports: internal symbol exported: $s"; bad=1; continue ;;
    _init|_fini|__odr_asan.*|__asan_*|__ubsan_*) continue ;;  # sanitizer bookkeeping
  esac
  if ! grep -qw -- "$s" "$src"/include/*.h; then
    echo "exports: $s is exported but declared in no public header"
    bad=1
  fi
done
echo "exports: $count symbols checked"
[ "$count" -gt 0 ] && [ "$bad" -eq 0 ]
