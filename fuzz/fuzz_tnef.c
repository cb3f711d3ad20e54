/*
 * fuzz/fuzz_tnef.c - libFuzzer harness of the TNEF codec ([MS-OXTNEF]):
 * every input is read as a winmail.dat (GetTnefStreamCodepage, then
 * ITnef::ExtractProps into a new message of one temporary store); what was
 * read is written again (ITnef::Finish) and that stream must read back
 * without failure. The input is also imported as the application/ms-tnef
 * part of a MIME message, and exported. Messages are released unsaved.
 *
 *   build-fuzz/fuzz_tnef -max_total_time=30 build-fuzz/corpus-tnef fuzz/corpus/tnef
 */
#include <stdatomic.h>
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
#include "mapiguid.h"
#include "mapix.h"
#include "tnef.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static LPMDB store;
static LPMAPIFOLDER folder;
static char store_dir[] = "/tmp/fuzz_tnef.XXXXXX";
static char store_path[64];

/* ---- an IStream over a growable buffer ---------------------------------------- */
typedef struct buf_stream {
    IStream base;
    atomic_ulong refs;
    uint8_t *p;
    size_t n, cap, pos;
} buf_stream;

static buf_stream *bs(IStream *s)
{
    return (buf_stream *)s;
}

static HRESULT STDMETHODCALLTYPE bufstream_QueryInterface(IStream *This, REFIID riid, LPVOID *out)
{
    if (!IsEqualGUID(riid, &IID_IUnknown) && !IsEqualGUID(riid, &IID_IStream)) {
        *out = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&bs(This)->refs, 1);
    *out = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE bufstream_AddRef(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&bs(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE bufstream_Release(IStream *This)
{
    buf_stream *s = bs(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        free(s->p);
        free(s);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE bufstream_Read(IStream *This, void *pv, ULONG cb, ULONG *pcbRead)
{
    buf_stream *s = bs(This);
    size_t k = s->pos < s->n ? s->n - s->pos : 0;
    if (k > cb)
        k = cb;
    if (k > 0)
        memcpy(pv, s->p + s->pos, k);
    s->pos += k;
    if (pcbRead != NULL)
        *pcbRead = (ULONG)k;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_Write(IStream *This, const void *pv, ULONG cb,
                                                 ULONG *pcbWritten)
{
    buf_stream *s = bs(This);
    if (s->pos + cb > s->cap) {
        size_t cap = (s->pos + cb) * 2;
        uint8_t *p = realloc(s->p, cap);
        if (p == NULL)
            return STG_E_INSUFFICIENTMEMORY;
        s->p = p;
        s->cap = cap;
    }
    if (s->pos > s->n)
        memset(s->p + s->n, 0, s->pos - s->n);
    memcpy(s->p + s->pos, pv, cb);
    s->pos += cb;
    if (s->pos > s->n)
        s->n = s->pos;
    if (pcbWritten != NULL)
        *pcbWritten = cb;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_Seek(IStream *This, LARGE_INTEGER dlibMove,
                                                DWORD dwOrigin, ULARGE_INTEGER *plibNewPosition)
{
    buf_stream *s = bs(This);
    int64_t base = dwOrigin == STREAM_SEEK_SET ? 0
                   : dwOrigin == STREAM_SEEK_CUR ? (int64_t)s->pos
                                                 : (int64_t)s->n;
    if (base + dlibMove.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (size_t)(base + dlibMove.QuadPart);
    if (plibNewPosition != NULL)
        plibNewPosition->QuadPart = s->pos;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_SetSize(IStream *This, ULARGE_INTEGER libNewSize)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE bufstream_CopyTo(IStream *This, IStream *pstm, ULARGE_INTEGER cb,
                                                  ULARGE_INTEGER *pcbRead,
                                                  ULARGE_INTEGER *pcbWritten)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE bufstream_Commit(IStream *This, DWORD grfCommitFlags)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_Revert(IStream *This)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_LockRegion(IStream *This, ULARGE_INTEGER libOffset,
                                                      ULARGE_INTEGER cb, DWORD dwLockType)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE bufstream_Stat(IStream *This, STATSTG *pstatstg,
                                                DWORD grfStatFlag)
{
    memset(pstatstg, 0, sizeof *pstatstg);
    pstatstg->type = STGTY_STREAM;
    pstatstg->cbSize.QuadPart = bs(This)->n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE bufstream_Clone(IStream *This, IStream **ppstm)
{
    *ppstm = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl BUFSTREAM_VTBL = {
    bufstream_QueryInterface, bufstream_AddRef,  bufstream_Release,    bufstream_Read,
    bufstream_Write,          bufstream_Seek,    bufstream_SetSize,    bufstream_CopyTo,
    bufstream_Commit,         bufstream_Revert,  bufstream_LockRegion, bufstream_LockRegion,
    bufstream_Stat,           bufstream_Clone,
};

static IStream *stream_new(const uint8_t *data, size_t size)
{
    buf_stream *s = calloc(1, sizeof *s);
    if (s == NULL)
        abort();
    s->base.lpVtbl = &BUFSTREAM_VTBL;
    atomic_init(&s->refs, 1);
    if (size > 0) {
        s->p = malloc(size);
        if (s->p == NULL)
            abort();
        memcpy(s->p, data, size);
        s->n = s->cap = size;
    }
    return &s->base;
}

/* ---- the runs ----------------------------------------------------------------- */
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
    snprintf(side, sizeof side, "%s-streams", store_path);
    unlink(side);
    rmdir(store_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
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

static const SizedSPropTagArray(9, STORE_OWN) = {
    9, { PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
         PR_STORE_RECORD_KEY, PR_MESSAGE_SIZE, PR_STORE_SUPPORT_MASK, PR_OBJECT_TYPE } };

/* Reads s into a new message; the message (or NULL when the stream was
 * refused: then with its text). */
static LPMESSAGE decode(IStream *s)
{
    LPMESSAGE m = NULL;
    if (IMAPIFolder_CreateMessage(folder, NULL, 0, &m) != S_OK)
        abort();
    LPITNEF t = NULL;
    HRESULT hr = OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_DECODE, m, 1, &t);
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = ITnef_ExtractProps(t, TNEF_PROP_EXCLUDE, (LPSPropTagArray)&STORE_OWN, &problems);
    MAPIFreeBuffer(problems);
    if (t != NULL)
        ITnef_Release(t);
    if (hr != S_OK && fmapi_last_error()[0] == '\0')
        abort(); /* every failure carries its text */
    if (hr != S_OK) {
        IMessage_Release(m);
        return NULL;
    }
    return m;
}

static IStream *encode(LPMESSAGE m)
{
    IStream *s = stream_new(NULL, 0);
    LPITNEF t = NULL;
    HRESULT hr = OpenTnefStream(NULL, s, (LPTSTR) "winmail.dat", TNEF_ENCODE, m, 1, &t);
    if (hr == S_OK)
        hr = ITnef_AddProps(t, TNEF_PROP_EXCLUDE, 0, NULL, (LPSPropTagArray)&STORE_OWN);
    if (hr == S_OK)
        hr = ITnef_EncodeRecips(t, 0, NULL);
    WORD key = 0;
    LPSTnefProblemArray problems = NULL;
    if (hr == S_OK)
        hr = ITnef_Finish(t, 0, &key, &problems);
    MAPIFreeBuffer(problems);
    if (t != NULL)
        ITnef_Release(t);
    if (hr != S_OK) {
        fprintf(stderr, "encoding what was read failed: %s\n", fmapi_last_error());
        abort(); /* what was read must write */
    }
    LARGE_INTEGER zero = { .QuadPart = 0 };
    IStream_Seek(s, zero, STREAM_SEEK_SET, NULL);
    return s;
}

static HRESULT discard(void *ctx, const void *data, size_t len)
{
    return S_OK;
}

static void as_mime_part(const uint8_t *data, size_t size)
{
    gchar *b64 = g_base64_encode(data, size);
    gchar *mail = g_strdup_printf(
        "From: a@example.org\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        "Content-Type: text/plain\r\n\r\nt\r\n--b\r\n"
        "Content-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n",
        b64);
    LPMESSAGE m = NULL;
    if (IMAPIFolder_CreateMessage(folder, NULL, 0, &m) != S_OK)
        abort();
    HRESULT hr = fmapi_mime_import_buffer(mail, strlen(mail), m, CCSF_SMTP);
    if (hr != S_OK && fmapi_mime_last_error()[0] == '\0')
        abort();
    if (hr == S_OK) {
        /* what was imported exports, as it came and with TNEF */
        hr = fmapi_mime_export(m, CCSF_SMTP, discard, NULL);
        if (hr == S_OK)
            hr = fmapi_mime_export(m, CCSF_SMTP | CCSF_USE_TNEF, discard, NULL);
        if (hr != S_OK && hr != MAPI_E_TOO_COMPLEX) {
            fprintf(stderr, "export failed: %s\n", fmapi_mime_last_error());
            abort();
        }
    }
    IMessage_Release(m);
    g_free(mail);
    g_free(b64);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    IStream *s = stream_new(data, size);
    ULONG cp = 0, sub = 0;
    (void)GetTnefStreamCodepage(s, &cp, &sub);
    LPMESSAGE m = decode(s);
    IStream_Release(s);
    if (m != NULL) {
        IStream *again = encode(m);
        LPMESSAGE m2 = decode(again);
        if (m2 == NULL) {
            fprintf(stderr, "what was written does not read: %s\n", fmapi_last_error());
            abort();
        }
        IMessage_Release(m2);
        IStream_Release(again);
        IMessage_Release(m);
    }
    as_mime_part(data, size);
    return 0;
}
