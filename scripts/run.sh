#!/usr/bin/env bash
# scripts/run.sh - set up, build, and run the main job: today the tour of the
# library (examples/mapi_tour.c); the `mapi` tool once it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target mapi_tour >/dev/null
exec ./build/mapi_tour
