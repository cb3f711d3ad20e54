#!/usr/bin/env bash
# scripts/run.sh - set up, build, and run the main job: the `mapi` tool on
# the embedded default site (created in $XDG_DATA_HOME/freemapi on first
# use, with a profile for the OS user). The first run imports the sample
# mail shipped in examples/mail/; every run shows the folder tree and the
# Inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target mapi >/dev/null
mapi=./build/mapi
if [ -z "$($mapi ls --limit 1)" ]; then
  $mapi import examples/mail/sample.mbox
fi
echo "== mapi folders"
$mapi folders
echo "== mapi ls Inbox"
$mapi ls --columns flags,date,from,subject
echo "== mapi show Inbox:3"
$mapi show Inbox:3
echo
echo "Try: $mapi --help, $mapi ls --unread, $mapi --json ls, $mapi stats"
