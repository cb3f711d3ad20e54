/*
 * tests/store/fuzz_propblob.c - a libFuzzer harness for the property-blob
 * decoder (src/store/propblob.c). Not part of the normal build (the build
 * only collects tests/<layer>/test_*.c). Build and run it by hand from the
 * worktree's root; the decoder needs only these sources:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *         tests/store/fuzz_propblob.c src/store/propblob.c src/core/alloc.c \
 *         src/core/error.c src/core/error_names.c src/core/text.c \
 *         src/props/propvalue.c -lunistring -o /tmp/fuzz_propblob
 *   /tmp/fuzz_propblob -max_total_time=60 -max_len=2048 CORPUS_DIR
 *
 * Every input must either decode to properties that encode back to the
 * same bytes, or be reported as MAPI_E_CORRUPT_STORE; find must agree with
 * decode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapix.h"
#include "store/propblob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_find(const uint8_t *data, size_t size, ULONG count, const SPropValue *props)
{
    void *parent;
    if (MAPIAllocateBuffer(8, &parent) != S_OK)
        return;
    SPropValue got;
    for (ULONG i = 0; i < count; i++) {
        if (fm_propblob_find(data, size, PROP_ID(props[i].ulPropTag), parent, &got) != S_OK ||
            got.ulPropTag != props[i].ulPropTag)
            abort();
    }
    HRESULT hr = fm_propblob_find(data, size, 0xFFFF, parent, &got);
    if (hr != S_OK && hr != MAPI_E_NOT_FOUND && hr != MAPI_E_CORRUPT_STORE)
        abort();
    MAPIFreeBuffer(parent);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ULONG count;
    LPSPropValue props;
    HRESULT hr = fm_propblob_decode(data, size, NULL, &count, &props);
    if (hr == MAPI_E_CORRUPT_STORE)
        return 0;
    if (hr != S_OK)
        abort();
    if (size != 0) {
        void *again;
        size_t cb;
        if (fm_propblob_encode(count, props, &again, &cb) != S_OK || cb != size ||
            memcmp(again, data, size) != 0)
            abort();
        fm_free(again);
    }
    check_find(data, size, count, props);
    MAPIFreeBuffer(props);
    return 0;
}
