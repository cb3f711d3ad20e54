/*
 * tests/mime/mime_fixture.h - helpers of the MIME tests: one store per test
 * program, messages created in its Inbox, reading properties back, and
 * test data files.
 */
#ifndef FREEMAPI_TESTS_MIME_FIXTURE_H
#define FREEMAPI_TESTS_MIME_FIXTURE_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "fm_test.h"
#include "freemapi_mime.h"
#include "freemapi_store.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

/* Seconds since 1970 of a FILETIME. */
static inline long long fm_test_unix(FILETIME ft)
{
    unsigned long long t = ((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (long long)(t / 10000000ULL) - 11644473600LL;
}

static LPMDB fx_mdb;
static LPMAPIFOLDER fx_folder;

static inline void fx_open_store(const char *name)
{
    /* A GLib/GMime assertion (a misuse of their API) fails the test. */
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.fmstore", fm_test_tmpdir(), name);
    unlink(path);
    assert_int_equal(fmapi_store_open(path, FMAPI_STORE_CREATE, &fx_mdb), S_OK);
    LPENTRYID eid = NULL;
    ULONG cb = 0, type = 0;
    assert_int_equal(IMsgStore_GetReceiveFolder(fx_mdb, NULL, 0, &cb, &eid, NULL), S_OK);
    assert_int_equal(IMsgStore_OpenEntry(fx_mdb, cb, eid, NULL, MAPI_MODIFY, &type,
                                         (LPUNKNOWN *)&fx_folder), S_OK);
    MAPIFreeBuffer(eid);
}

static inline void fx_close_store(void)
{
    IMAPIFolder_Release(fx_folder);
    IMsgStore_Release(fx_mdb);
    fx_folder = NULL;
    fx_mdb = NULL;
}

static inline LPMESSAGE fx_new(void)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(fx_folder, NULL, 0, &m), S_OK);
    return m;
}

/* Imports text (NUL-terminated) into a new message, unsaved. */
static inline LPMESSAGE fx_import(const char *text, ULONG flags)
{
    LPMESSAGE m = fx_new();
    HRESULT hr = fmapi_mime_import_buffer(text, strlen(text), m, flags);
    if (hr != S_OK)
        fail_msg("import failed: %s", fmapi_mime_last_error());
    return m;
}

/* A string property as UTF-8 (caller frees), or NULL when missing. */
static inline char *fx_str(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    if (HrGetOneProp((LPMAPIPROP)obj, CHANGE_PROP_TYPE(tag, PT_STRING8), &v) != S_OK)
        return NULL;
    char *s = strdup(v->Value.lpszA);
    MAPIFreeBuffer(v);
    return s;
}

static inline void fx_assert_str(void *obj, ULONG tag, const char *want)
{
    char *s = fx_str(obj, tag);
    if (s == NULL)
        fail_msg("property 0x%08lX missing, wanted \"%s\"", (unsigned long)tag, want);
    assert_string_equal(s, want);
    free(s);
}

static inline LONG fx_long(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)obj, tag, &v), S_OK);
    LONG l = v->Value.l;
    MAPIFreeBuffer(v);
    return l;
}

static inline bool fx_has(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)obj, tag, &v);
    MAPIFreeBuffer(v);
    return hr == S_OK;
}

/* Reads a binary or string property whole through its stream. */
static inline char *fx_read_stream(void *obj, ULONG tag, size_t *len)
{
    LPSTREAM s = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->OpenProperty((LPMAPIPROP)obj, tag, &IID_IStream,
                                                             0, 0, (LPUNKNOWN *)&s), S_OK);
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        ULONG got = 0;
        if (n + 65536 > cap)
            buf = realloc(buf, cap *= 2);
        assert_int_equal(IStream_Read(s, buf + n, 65536, &got), S_OK);
        if (got == 0)
            break;
        n += got;
    }
    IStream_Release(s);
    *len = n;
    return buf;
}

static inline LPATTACH fx_attach(LPMESSAGE m, ULONG num)
{
    LPATTACH a = NULL;
    assert_int_equal(IMessage_OpenAttach(m, num, NULL, 0, &a), S_OK);
    return a;
}

static inline LPMESSAGE fx_embedded(LPATTACH a)
{
    LPMESSAGE e = NULL;
    assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&e), S_OK);
    return e;
}

static inline ULONG fx_count_rows(LPMAPITABLE t)
{
    ULONG n = 0;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

static inline ULONG fx_attach_count(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetAttachmentTable(m, 0, &t), S_OK);
    return fx_count_rows(t);
}

static inline ULONG fx_recip_count(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMessage_GetRecipientTable(m, 0, &t), S_OK);
    return fx_count_rows(t);
}

/* Collects exported bytes in a growing buffer. */
typedef struct fx_buf {
    char *data;
    size_t len, cap;
} fx_buf;

static inline HRESULT fx_buf_write(void *ctx, const void *data, size_t len)
{
    fx_buf *b = ctx;
    if (b->len + len + 1 > b->cap) {
        b->cap = (b->len + len + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return S_OK;
}

static inline char *fx_export(LPMESSAGE m, ULONG flags)
{
    fx_buf b = { 0 };
    HRESULT hr = fmapi_mime_export(m, flags, fx_buf_write, &b);
    if (hr != S_OK)
        fail_msg("export failed: %s", fmapi_mime_last_error());
    return b.data ? b.data : strdup("");
}

/* A file of tests/mime/data (whole, NUL-terminated; caller frees). */
static inline char *fx_data(const char *name, size_t *len)
{
    /* The data sit next to this header; the build passes absolute paths. */
    char path[1024];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    int dir = slash ? (int)(slash - here) : 1;
    snprintf(path, sizeof path, "%.*s/data/%s", dir, slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

#endif /* FREEMAPI_TESTS_MIME_FIXTURE_H */
