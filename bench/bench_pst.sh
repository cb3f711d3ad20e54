#!/usr/bin/env bash
# bench/bench_pst.sh - PST export and import of a 100,000-message mailbox
# (bench_pst.c), and readpst reading the same file in the same run as the
# reference: messages per second and peak RSS of each. readpst runs with
# -j 0: its parallel jobs share one file offset across forked processes and
# read wrong blocks now and then (about 5 messages in 10,000 "skipped").
#
#   bash bench/bench_pst.sh [BUILD_DIR] [WORK_DIR] [COUNT]
#   (defaults: build-release, /tmp/bench-pst, 100000)
set -euo pipefail
build=${1:-build-release}
work=${2:-/tmp/bench-pst}
count=${3:-100000}
bin="$build/bench/bench_pst"
mkdir -p "$work"
echo "command: bash bench/bench_pst.sh $build $work $count"
"$bin" --build "$work/src.fmdb" --count "$count"
sync
"$bin" --export "$work/src.fmdb" "$work/mailbox.pst"
sync
"$bin" --import "$work/mailbox.pst" "$work/dst.fmdb"
rm -rf "$work/readpst" && mkdir "$work/readpst"
/usr/bin/time -f "%e %U %S %M" -o "$work/readpst.time" \
  readpst -q -j 0 -S -o "$work/readpst" "$work/mailbox.pst"
read -r secs user sys kb < "$work/readpst.time"
n=$(find "$work/readpst" -type f -regex '.*/[0-9]+' | wc -l)
awk -v n="$n" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" 'BEGIN {
  printf "readpst messages: %d messages\nreadpst messages/s: %.0f msg/s\n", n, n / s
  printf "readpst CPU seconds: %.1f s\nreadpst messages per CPU second: %.0f msg/s\n", u + y, n / (u + y)
  printf "readpst peak RSS: %.1f MiB\n", kb / 1024 }'
