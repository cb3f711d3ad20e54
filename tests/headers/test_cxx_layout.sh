#!/usr/bin/env bash
# tests/headers/test_cxx_layout.sh SOURCE_DIR BINARY_DIR CC
#
# The C++ declarations of the interfaces are the C vtables: builds
# tests/headers/cxx_layout/ with g++ and clang++, each at -O0 and -O2, and
# runs it. For every interface it calls every method of a C stub object in
# C++ style and every method of a C++ object through lpVtbl (each callee
# checks it is the method named, on the object called), then makes
# libfreemapi and C++ classes call each other with real arguments.
#
# Sanitizers: against a plain libfreemapi every build runs under ASan and
# UBSan. When libfreemapi itself is sanitized (FREEMAPI_SANITIZE, built by
# gcc), the g++ builds link its runtime; a clang++ program cannot load a
# second ASan runtime, so it is built uninstrumented and run with gcc's
# runtime preloaded, which still checks the library side.
# -fno-sanitize=vptr: UBSan's vptr check reads C++ RTTI in front of an
# object's vtable, which objects made by a C library (COM's layout) do not
# have; every other check stays on.
set -u
src=${1:?SOURCE_DIR}
bin=${2:?BINARY_DIR}
work="$bin/tests/cxx_layout"
mkdir -p "$work" || exit 1
lay="$src/tests/headers/cxx_layout"
lib="$bin/libfreemapi.so"
warn="-Wall -Wextra -Werror -Wno-unused-parameter"
san="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all -fno-omit-frame-pointer"
lib_sanitized=0
if readelf -d "$lib" | grep -q 'libasan'; then
    lib_sanitized=1
fi

fail=0
for cxx in g++ clang++; do
    cc=gcc
    [ "$cxx" = clang++ ] && cc=clang
    for opt in -O0 -O2; do
        flags="$san"
        preload=""
        if [ "$lib_sanitized" = 1 ] && [ "$cxx" = clang++ ]; then
            flags=""
            preload=$(gcc -print-file-name=libasan.so)
        fi
        out="$work/$cxx$opt"
        mkdir -p "$out"
        inc="-I$src/include -I$lay"
        if ! { $cc -std=c11 $opt $warn $flags $inc -c "$lay/c_stubs.c" -o "$out/c_stubs.o" &&
               $cc -std=c11 $opt $warn $flags $inc -c "$lay/main.c" -o "$out/main.o" &&
               $cxx $opt $warn $flags $inc -c "$lay/cxx_objects.cpp" -o "$out/cxx_objects.o" &&
               $cxx $opt $warn $flags $inc -c "$lay/cinterface_calls.cpp" \
                    -o "$out/cinterface_calls.o" &&
               $cxx $opt $warn $flags $inc -c "$lay/library.cpp" -o "$out/library.o" &&
               $cxx $flags "$out"/*.o -L"$bin" -lfreemapi -Wl,-rpath,"$bin" -o "$out/layout"; }
        then
            echo "FAILED to build with $cxx $opt" >&2
            fail=1
            continue
        fi
        mkdir -p "$out/tmp"
        if ! LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$out/layout" "$out/tmp"; then
            echo "FAILED: $cxx $opt" >&2
            fail=1
        else
            echo "ok: $cxx $opt"
        fi
    done
done
exit $fail
