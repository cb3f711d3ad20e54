#!/usr/bin/env bash
# tests/ports/test_ports.sh SOURCE_DIR BINARY_DIR CC
#
# The port programs: MAPI programs written the way Windows MAPI programs are
# (C++ classes calling lpObj->Method(...) and implementing sinks, streams
# and progress objects; C through lpVtbl and the C call macros), built
# against the installed headers and libraries as a user builds them
# (pkg-config; libfreemapi-mime for the converter), each C++ port with g++
# and clang++ and each C port with gcc and clang, and run against a real
# site: the `mapi` tool makes the site, its user and the default profile
# "freemapi" in a temporary home, and a second user for the address book.
# Every build's output must equal tests/ports/expected/NAME.out, which is
# what Windows MAPI prints. A port listed in tests/ports/pending.txt (with
# what it waits for) is built and run, and a difference is reported without
# failing the test, until that work lands and its line is removed.
set -uo pipefail
src=$1 bin=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$bin" --prefix "$tmp/prefix" >/dev/null || exit 1
pc=$(dirname "$(find "$tmp/prefix" -name freemapi.pc | head -1)")
export PKG_CONFIG_PATH="$pc"
cflags=$(pkg-config --cflags freemapi)
libs="$(pkg-config --libs freemapi) -lfreemapi-mime -Wl,-rpath,$tmp/prefix/lib"
san=""
preload=""
if grep -q 'FREEMAPI_SANITIZE:BOOL=ON' "$bin/CMakeCache.txt"; then
    san="-fsanitize=address,undefined -fno-sanitize=vptr"
fi

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/data" XDG_CONFIG_HOME="$tmp/home/config"
mkdir -p "$HOME"
"$bin/mapi" folders >/dev/null 2>&1 || { echo "FAILED: mapi could not make the site"; exit 1; }
"$bin/mapi" user add portpeer --name "Port Peer" --smtp peer@example.org --password peerpass \
    >/dev/null ||
    { echo "FAILED: mapi could not add the second user"; exit 1; }
export FREEMAPI_PORTS_DATA="$src/tests/ports/data"
export FREEMAPI_PORTS_TMP="$tmp/work"
mkdir -p "$FREEMAPI_PORTS_TMP"

fail=0
n=0
for prog in "$src"/tests/ports/*.c "$src"/tests/ports/*.cpp; do
    [ -e "$prog" ] || continue
    name=$(basename "$prog")
    name=${name%.*}
    expected="$src/tests/ports/expected/$name.out"
    case "$prog" in
    *.cpp) compilers="g++ clang++"; std="-std=c++17" ;;
    *) compilers="gcc clang"; std="-std=c11" ;;
    esac
    for comp in $compilers; do
        exe="$tmp/$name-$comp"
        flags="$san"
        runpre=""
        # A clang build cannot load gcc's sanitizer runtime a sanitized
        # libfreemapi brings: build it plain and preload gcc's.
        if [ -n "$san" ] && [[ "$comp" == clang* ]]; then
            flags=""
            runpre=$(gcc -print-file-name=libasan.so)
        fi
        # clang's -Warray-bounds takes MAPI_DIM arrays for fixed arrays of one
        # element (a size from a macro is not a flexible array to it), as
        # clang-cl does with the Windows SDK; see the README.
        warn="-Wall -Wextra -Werror -Wno-unused-parameter"
        [[ "$comp" == clang* ]] && warn="$warn -Wno-array-bounds"
        if ! $comp $std $warn $flags $cflags \
                "$prog" -o "$exe" $libs 2>"$tmp/build.log"; then
            echo "FAILED to build $name with $comp:"; cat "$tmp/build.log"
            fail=1
            continue
        fi
        if ! LD_PRELOAD="$runpre" ASAN_OPTIONS=detect_leaks=1 "$exe" >"$tmp/out" 2>"$tmp/err"; then
            echo "FAILED: $name ($comp) exited with $?:"; cat "$tmp/out" "$tmp/err"
            fail=1
            continue
        fi
        if ! diff -u "$expected" "$tmp/out"; then
            if grep -q "^$name:" "$src/tests/ports/pending.txt" 2>/dev/null; then
                echo "pending: $name ($comp): $(grep "^$name:" "$src/tests/ports/pending.txt")"
            else
                echo "FAILED: $name ($comp) printed other than $expected"
                fail=1
            fi
            continue
        fi
        n=$((n + 1))
    done
done
echo "$n port builds ran and printed what was expected"
exit $fail
