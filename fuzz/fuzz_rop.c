/*
 * fuzz/fuzz_rop.c - libFuzzer harness of the ROP layer (src/rop/): every
 * input is an Execute request's RopBuffer, run by fm_rop_execute on a fresh
 * session context of user alice on a small site (one temporary directory
 * for the whole run). The answer must be S_OK with an output no longer
 * than max_out (taken from the input's first byte, so small buffers and
 * RopBufferTooSmall are reached too), or MAPI_E_CORRUPT_DATA /
 * MAPI_E_TOO_BIG with no output; never a crash, a leak or another code.
 *
 *   build-fuzz/fuzz_rop -max_total_time=30 build-fuzz/corpus-rop fuzz/corpus/rop
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "freemapi.h"
#include "freemapi_site.h"
#include "mapicode.h"
#include "mapix.h"
#include "rop/rop.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fmapi_site *site;
static char site_dir[] = "/tmp/fuzz_rop.XXXXXX";

static void cleanup(void)
{
    char cmd[64];

    fmapi_site_close(site);
    MAPIUninitialize();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", site_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_rop: could not remove %s\n", site_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[64];

    (void)argc;
    (void)argv;
    if (!mkdtemp(site_dir) || MAPIInitialize(NULL) != S_OK)
        abort();
    snprintf(dir, sizeof(dir), "%s/site", site_dir);
    if (fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site) != S_OK ||
        fmapi_site_add_user(site, "alice", "Alice", "alice@example.com", "pw") != S_OK ||
        fmapi_site_add_user(site, "bob", "Bob", "bob@example.com", "pw") != S_OK)
        abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fm_rop_context *ctx = NULL;
    uint8_t *out = NULL;
    size_t out_len = 0, max_out;
    HRESULT hr;

    if (size < 1)
        return 0;
    /* 0: the usual 32 KB; otherwise a small limit of 16..4096 bytes */
    max_out = data[0] == 0 ? 0x8000 : 16 + (size_t)data[0] * 16;
    if (fm_rop_context_new(site, "alice", &ctx) != S_OK)
        abort();
    hr = fm_rop_execute(ctx, data + 1, size - 1, max_out, &out, &out_len);
    if (hr == S_OK) {
        if (!out || out_len > max_out || out_len < 10)
            abort();
    } else if (hr == MAPI_E_CORRUPT_DATA || hr == MAPI_E_TOO_BIG) {
        if (out || out_len)
            abort();
    } else {
        abort();
    }
    fm_free(out);
    fm_rop_context_free(ctx);
    return 0;
}
