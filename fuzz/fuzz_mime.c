/*
 * fuzz/fuzz_mime.c - libFuzzer harness of the MIME converter: every input
 * is imported as a MIME message into a new message of one temporary store,
 * exported back to MIME, and the export imported again; and it is stored
 * as a message's transport header block (as another program might write
 * one) and exported, which must give well-formed header fields. Messages are
 * released without saving, so an input costs no store writes; the store is
 * opened once for the whole run.
 *
 *   build-fuzz/fuzz_mime -max_total_time=30 build-fuzz/corpus fuzz/corpus/mime
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "freemapi.h"
#include "freemapi_mime.h"
#include "freemapi_store.h"
#include "mapix.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static LPMDB store;
static LPMAPIFOLDER folder;
static char store_dir[] = "/tmp/fuzz_mime.XXXXXX";
static char store_path[64];

/* Exported bytes, kept for the second import. */
typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static HRESULT collect(void *ctx, const void *data, size_t len)
{
    buffer *b = ctx;
    if (b->len + len > b->cap) {
        size_t cap = (b->len + len) * 2;
        char *p = realloc(b->data, cap);
        if (p == NULL)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return S_OK;
}

/* At exit: the store closed, its files and directory removed. */
static void cleanup(void)
{
    if (folder != NULL)
        IMAPIFolder_Release(folder);
    if (store != NULL)
        IMsgStore_Release(store);
    char side[80];
    unlink(store_path);
    snprintf(side, sizeof side, "%s-wal", store_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", store_path);
    unlink(side);
    rmdir(store_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* A GLib/GMime assertion (a misuse of their API) is a finding. */
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    if (mkdtemp(store_dir) == NULL)
        abort();
    snprintf(store_path, sizeof store_path, "%s/fuzz.fmstore", store_dir);
    if (fmapi_store_open(store_path, FMAPI_STORE_CREATE, &store) != S_OK)
        abort();
    atexit(cleanup);
    ULONG cb = 0, type = 0;
    LPENTRYID eid = NULL;
    if (IMsgStore_GetReceiveFolder(store, NULL, 0, &cb, &eid, NULL) != S_OK ||
        IMsgStore_OpenEntry(store, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&folder) != S_OK)
        abort();
    MAPIFreeBuffer(eid);
    return 0;
}

static void import_export(const char *data, size_t size, buffer *out)
{
    LPMESSAGE m = NULL;
    if (IMAPIFolder_CreateMessage(folder, NULL, 0, &m) != S_OK)
        abort();
    HRESULT hr = fmapi_mime_import_buffer(data, size, m, CCSF_SMTP | CCSF_INCLUDE_BCC);
    if (hr != S_OK && fmapi_mime_last_error()[0] == '\0')
        abort(); /* every failure carries its text */
    if (hr == S_OK) {
        hr = fmapi_mime_export(m, CCSF_SMTP | CCSF_INCLUDE_BCC, collect, out);
        if (hr != S_OK && hr != MAPI_E_TOO_COMPLEX) {
            fprintf(stderr, "export failed: %s\n", fmapi_mime_last_error());
            abort(); /* what was imported must export */
        }
    }
    IMessage_Release(m);
}

/* The header section of exported bytes (up to the first empty line) is
 * made of fields: every line ends in CRLF, and is a continuation (starting
 * with a blank) of a field whose first line is "name:" with a printable
 * name. Anything else is a finding. */
static void check_header_section(const char *p, size_t n)
{
    size_t i = 0;
    bool first = true;
    while (i < n) {
        const char *nl = memchr(p + i, '\n', n - i);
        if (nl == NULL || nl == p + i || nl[-1] != '\r')
            abort(); /* a header line without CRLF */
        size_t len = (size_t)(nl - (p + i)) - 1;
        if (len == 0)
            return; /* the end of the header section */
        const char *line = p + i;
        if (line[0] == ' ' || line[0] == '\t') {
            if (first)
                abort(); /* a continuation with no field before it */
        } else {
            size_t k = 0;
            while (k < len && (unsigned char)line[k] > 32 && (unsigned char)line[k] < 127 &&
                   line[k] != ':')
                k++;
            size_t name = k;
            while (k < len && (line[k] == ' ' || line[k] == '\t'))
                k++;
            if (name == 0 || k == len || line[k] != ':')
                abort(); /* a line that is not a field */
        }
        first = false;
        i = (size_t)(nl - p) + 1;
    }
    abort(); /* no end of the header section */
}

/* The input as a header block another program stored: the export writes
 * only well-formed fields, and its output imports again. */
static void stored_header_block(const char *data, size_t size)
{
    char *block = strndup(data, size);
    LPMESSAGE m = NULL;
    if (block == NULL || IMAPIFolder_CreateMessage(folder, NULL, 0, &m) != S_OK)
        abort();
    SPropValue v[2] = { { .ulPropTag = PR_TRANSPORT_MESSAGE_HEADERS_A, .Value.lpszA = block },
                        { .ulPropTag = PR_BODY_A, .Value.lpszA = "body" } };
    if (IMessage_SetProps(m, 2, v, NULL) == S_OK) {
        buffer out = { 0 };
        HRESULT hr = fmapi_mime_export(m, CCSF_SMTP | CCSF_EMBEDDED_MESSAGE, collect, &out);
        if (hr != S_OK) {
            fprintf(stderr, "export of a stored block failed: %s\n", fmapi_mime_last_error());
            abort();
        }
        check_header_section(out.data, out.len);
        buffer again = { 0 };
        import_export(out.data, out.len, &again);
        free(again.data);
        free(out.data);
    }
    IMessage_Release(m);
    free(block);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    buffer first = { 0 }, second = { 0 };
    import_export((const char *)data, size, &first);
    if (first.len > 0)
        import_export(first.data, first.len, &second);
    free(first.data);
    free(second.data);
    stored_header_block((const char *)data, size);
    return 0;
}
