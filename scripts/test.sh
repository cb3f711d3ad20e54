#!/usr/bin/env bash
# scripts/test.sh - set up, build and run every test: the plain build
# (-Werror) and the whole suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer, then the unit tests under valgrind.
# This is the README's test command and what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

bash scripts/setup.sh

echo "== plain build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFREEMAPI_WERROR=ON >/dev/null
cmake --build build -j "$JOBS"
# Out-of-memory sweeps try every 4th allocation point here: the ASan stage
# below tries every point (in a tmpfs, where store creation costs no fsync),
# so no point goes untested, and this stage's disk-bound sweeps (store
# creation under every failure: 9 minutes for store/msgstore on a loaded
# machine) take a quarter of the time. Tests that sample their sweeps
# already keep their own larger stride. FM_TEST_OOM_MIN_STRIDE=1 sweeps all.
(cd build && FM_TEST_OOM_MIN_STRIDE=${FM_TEST_OOM_MIN_STRIDE:-4} ctest -j "$JOBS" --output-on-failure)

# The sanitized and valgrind runs look for memory errors, not at what the
# disk does: their test files go to a tmpfs when one is writable, where an
# fsync costs nothing (store/attach: 194 s on disk, 25 s there). The plain
# run above stays on the disk, fsyncs and all.
memdir=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  memdir=$(mktemp -d /dev/shm/freemapi-test.XXXXXX)
  trap 'rm -rf "$memdir"' EXIT
fi

echo "== sanitized build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFREEMAPI_SANITIZE=ON \
      -DFREEMAPI_BENCH=OFF >/dev/null
cmake --build build-asan -j "$JOBS"
(cd build-asan && FREEMAPI_TEST_TMPDIR=$memdir ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -j "$JOBS" --output-on-failure)

echo "== release build (what the benchmarks use; -O3 finds other warnings)"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DFREEMAPI_TESTS=OFF >/dev/null
cmake --build build-release -j "$JOBS"

echo "== valgrind (unit tests of the plain build)"
FREEMAPI_TEST_TMPDIR=$memdir bash scripts/valgrind.sh build

# 20 s per harness keeps the whole run under 40 minutes on 2 cores with
# eight harnesses; longer campaigns: FUZZ_SECONDS=600 bash scripts/test.sh.
if ls fuzz/fuzz_*.c >/dev/null 2>&1; then
  echo "== fuzzing (libFuzzer, ${FUZZ_SECONDS:=20} s per harness over its corpus)"
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DFREEMAPI_FUZZ=ON \
        -DFREEMAPI_TESTS=OFF -DFREEMAPI_BENCH=OFF -DFREEMAPI_WERROR=OFF >/dev/null
  cmake --build build-fuzz -j "$JOBS"
  for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    mkdir -p "build-fuzz/corpus-$name"
    ASAN_OPTIONS=detect_leaks=1 "build-fuzz/$name" -max_total_time="$FUZZ_SECONDS" \
      -rss_limit_mb=1024 "build-fuzz/corpus-$name" "fuzz/corpus/${name#fuzz_}" 2>&1 | tail -3
  done
fi
