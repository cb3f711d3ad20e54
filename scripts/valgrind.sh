#!/usr/bin/env bash
# scripts/valgrind.sh BUILD_DIR - run every cmocka test binary of a build under
# valgrind's memcheck; any leak or memory error fails the run. Prints one
# closing line "N passed, N failed". Out-of-memory sweeps sample every 53rd
# point here (FM_TEST_OOM_STRIDE) and the attachment-leak test processes
# 2,000 attachments, not 100,000 (FM_TEST_ATTACHMENTS); the service-account
# test logs on and off 200 mailboxes, not 10,000 (FM_TEST_MAILBOXES); the
# plain run does everything in full (the sanitized run: 2,000 mailboxes).
# JOBS binaries run at once (default: the number of cores), as ctest -j
# runs them in the other stages: each has its own log and temporary files.
set -uo pipefail
build=${1:-build}
# GLib (under GMime) keeps its type registry for the life of the process;
# scripts/valgrind.supp names those one-time allocations and nothing else.
supp=""
[ -f "$(dirname "$0")/valgrind.supp" ] && supp="--suppressions=$(dirname "$0")/valgrind.supp"
export VG_SUPP=$supp

# One binary: its log beside it, "pass NAME" or "fail NAME" on stdout.
run_one() {
  local t=$1
  # shellcheck disable=SC2086
  if FM_TEST_OOM_STRIDE=${FM_TEST_OOM_STRIDE:-53} FM_TEST_ATTACHMENTS=${FM_TEST_ATTACHMENTS:-2000} \
     FM_TEST_MAILBOXES=${FM_TEST_MAILBOXES:-200} \
     valgrind -q $VG_SUPP --leak-check=full --show-leak-kinds=definite,indirect,possible \
       --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
       "$t" >"$t.valgrind.log" 2>&1; then
    echo "pass $t"
  else
    echo "fail $t"
  fi
}
export -f run_one

results=$(find "$build/tests" -maxdepth 1 -type f -executable -name '*_test_*' | sort |
          xargs -P "${JOBS:-$(nproc)}" -I{} bash -c 'run_one "$1"' _ {})
pass=$(grep -c '^pass ' <<<"$results")
fail=$(grep -c '^fail ' <<<"$results")
for t in $(sed -n 's/^fail //p' <<<"$results"); do
  echo "valgrind: $(basename "$t") failed; log: $t.valgrind.log"
  tail -30 "$t.valgrind.log"
done
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
