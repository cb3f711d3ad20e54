#!/usr/bin/env bash
# bench/bench_mapi_tool.sh - the `mapi` command end to end, as an
# administrator runs it: `mapi import` of a generated mbox into a fresh
# store file, the same import again (every message recognized as there
# already), `mapi export` of that folder to a new mbox, and an export of 200
# messages named by position (FOLDER:N, spread over the folder). Each run is
# a real process; the figures are its wall-clock rate and its peak RSS
# (/usr/bin/time), so they include start-up, progress output and the final
# fsync. The mailbox is bench_mime's (same generator, about 10 KB a
# message); the reference in the same run is GMime alone parsing it (the
# first figure bench_mime prints is the same measure over its own copy).
#
# Usage: bench/bench_mapi_tool.sh [BUILD_DIR] [COUNT] [WORK_DIR]
#        (defaults: build-release, 100000, /tmp/bench-mapi-tool)
set -euo pipefail
build=${1:-build-release}
count=${2:-100000}
work=${3:-/tmp/bench-mapi-tool}
mapi="$build/mapi"
gen="$build/bench/bench_mime"
[ -x "$mapi" ] && [ -x "$gen" ] || {
  echo "bench_mapi_tool: build $mapi and $gen first (make -C $build mapi bench_mime)" >&2
  exit 2
}
rm -rf "$work"
mkdir -p "$work"
echo "command: bench/bench_mapi_tool.sh $build $count $work"
"$gen" --count "$count" --generate "$work/in.mbox"

# run NAME COMMAND...: prints NAME's rate (count / elapsed) and peak RSS.
run() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "bench_mapi_tool: $name failed:" >&2
    cat "$work/err" >&2
    exit 1
  }
  read -r secs kb <"$work/time"
  awk -v n="$count" -v s="$secs" -v kb="$kb" -v name="$name" \
    'BEGIN { printf "%s: %.0f msg/s (%.2f s), peak RSS %.1f MB\n", name, n / s, s, kb / 1024 }'
}

"$gen" --gmime "$work/in.mbox" | grep -v '^command:'
store="$work/tool.fmstore"
run "mapi import (mbox -> store)" "$mapi" --store "$store" import "$work/in.mbox"
grep -q "$count imported, 0 skipped" "$work/err" || {
  echo "bench_mapi_tool: import did not take every message:" >&2
  cat "$work/err" >&2
  exit 1
}
run "mapi import again (all already there)" "$mapi" --store "$store" import "$work/in.mbox"
grep -q "0 imported, 0 skipped, $count already there" "$work/err" || {
  echo "bench_mapi_tool: the second import did not recognize every message:" >&2
  cat "$work/err" >&2
  exit 1
}
run "mapi export (store -> mbox)" "$mapi" --store "$store" export "$work/out.mbox"
grep -q "$count exported, 0 failed" "$work/err" || {
  echo "bench_mapi_tool: export did not write every message:" >&2
  cat "$work/err" >&2
  exit 1
}
refs=()
for i in $(seq 1 200); do refs+=("Inbox:$((i * count / 200))"); done
/usr/bin/time -f "%e" -o "$work/time" "$mapi" --store "$store" export /dev/null "${refs[@]}" \
  >"$work/out" 2>"$work/err"
echo "mapi export of 200 messages named Inbox:N (N up to $count): $(cat "$work/time") s"
echo "store file: $(($(stat -c %s "$store") / 1048576)) MB; mbox in: $(($(stat -c %s "$work/in.mbox") / 1048576)) MB, out: $(($(stat -c %s "$work/out.mbox") / 1048576)) MB"
rm -rf "$work"
