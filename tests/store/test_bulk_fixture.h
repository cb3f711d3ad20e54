/*
 * tests/store/test_bulk_fixture.h - helpers for the bulk-operation tests: a
 * recording IMAPIProgress that can cancel at its k-th Progress call,
 * folders filled with numbered messages, entry lists, and counts read with
 * a connection of the test's own.
 */
#ifndef FREEMAPI_TESTS_STORE_BULK_FIXTURE_H
#define FREEMAPI_TESTS_STORE_BULK_FIXTURE_H

#include <dirent.h>
#include <stdarg.h>

#include "store/bulk_batch.h"
#include "store/entryid.h"
#include "store_fixture.h"

/* ---- a recording progress object --------------------------------------------------- */

#define BX_MAX_CALLS 4096

typedef struct bx_call {
    char kind; /* 'P' Progress, 'F' GetFlags, 'n' GetMin, 'x' GetMax, 'L' SetLimits */
    ULONG a, b, c;
} bx_call;

typedef struct bx_progress {
    const IMAPIProgressVtbl *lpVtbl;
    ULONG flags, min, max;
    int cancel_at; /* the Progress call (1-based) that answers stop; 0: never */
    HRESULT cancel_with;
    int nprogress;
    int ncalls;
    bx_call calls[BX_MAX_CALLS];
} bx_progress;

static inline void bx_record(bx_progress *p, char kind, ULONG a, ULONG b, ULONG c)
{
    if (p->ncalls < BX_MAX_CALLS)
        p->calls[p->ncalls++] = (bx_call){ kind, a, b, c };
}

static STDMETHODIMP bx_QueryInterface(IMAPIProgress *This, REFIID riid, LPVOID *ppv)
{
    (void)riid;
    *ppv = This;
    return S_OK;
}
static STDMETHODIMP_(ULONG) bx_AddRef(IMAPIProgress *This)
{
    (void)This;
    return 1;
}
static STDMETHODIMP_(ULONG) bx_Release(IMAPIProgress *This)
{
    (void)This;
    return 1;
}
static STDMETHODIMP bx_Progress(IMAPIProgress *This, ULONG v, ULONG count, ULONG total)
{
    bx_progress *p = (bx_progress *)This;
    bx_record(p, 'P', v, count, total);
    return ++p->nprogress == p->cancel_at ? p->cancel_with : S_OK;
}
static STDMETHODIMP bx_GetFlags(IMAPIProgress *This, ULONG *f)
{
    bx_progress *p = (bx_progress *)This;
    bx_record(p, 'F', p->flags, 0, 0);
    *f = p->flags;
    return S_OK;
}
static STDMETHODIMP bx_GetMax(IMAPIProgress *This, ULONG *v)
{
    bx_progress *p = (bx_progress *)This;
    bx_record(p, 'x', p->max, 0, 0);
    *v = p->max;
    return S_OK;
}
static STDMETHODIMP bx_GetMin(IMAPIProgress *This, ULONG *v)
{
    bx_progress *p = (bx_progress *)This;
    bx_record(p, 'n', p->min, 0, 0);
    *v = p->min;
    return S_OK;
}
static STDMETHODIMP bx_SetLimits(IMAPIProgress *This, LPULONG lo, LPULONG hi, LPULONG f)
{
    bx_progress *p = (bx_progress *)This;
    bx_record(p, 'L', *lo, *hi, *f);
    p->min = *lo;
    p->max = *hi;
    p->flags = *f;
    return S_OK;
}

static const IMAPIProgressVtbl BX_PROGRESS_VTBL = {
    bx_QueryInterface, bx_AddRef, bx_Release, bx_Progress,
    bx_GetFlags,       bx_GetMax, bx_GetMin,  bx_SetLimits,
};

/* A progress object as MAPI initializes one: top level, range 1..1000. */
static inline void bx_progress_init(bx_progress *p, int cancel_at)
{
    memset(p, 0, sizeof *p);
    p->lpVtbl = &BX_PROGRESS_VTBL;
    p->flags = MAPI_TOP_LEVEL;
    p->min = 1;
    p->max = 1000;
    p->cancel_at = cancel_at;
    p->cancel_with = MAPI_E_USER_CANCEL;
}

static inline int bx_count_kind(const bx_progress *p, char kind)
{
    int n = 0;
    for (int i = 0; i < p->ncalls; i++)
        n += p->calls[i].kind == kind;
    return n;
}

/* ---- folders and messages ----------------------------------------------------------- */

/* The fid inside an object's PR_ENTRYID. */
/* A fresh store called name; its file's path is copied into out (600
 * bytes), which the tests use to look into the file. */
static inline LPMDB bx_new_store(const char *name, char *out)
{
    snprintf(out, 600, "%s", fx_store_path(name));
    LPMDB mdb = NULL;
    assert_int_equal(fmapi_store_open(out, FMAPI_STORE_CREATE, &mdb), S_OK);
    return mdb;
}

/* The companion stream files beside the store file store_path. */
static inline long bx_stream_files(const char *store_path)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s-streams", store_path);
    DIR *d = opendir(dir);
    long n = 0;
    if (d == NULL)
        return 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static inline int64_t bx_id_of(void *obj)
{
    LPSPropValue v = fx_get(obj, PR_ENTRYID);
    MAPIUID uid;
    int kind = 0;
    uint64_t id = 0;
    assert_int_equal(fm_entryid_parse(v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, &uid, &kind,
                                      &id), S_OK);
    MAPIFreeBuffer(v);
    return (int64_t)id;
}

/* Saves message number n into f: a subject "msg <n>", PR_IMPORTANCE n % 3, a
 * recipient, and with attach an attachment of len bytes (0: none). */
static inline void bx_put(LPMAPIFOLDER f, ULONG flags, long n, size_t attach_len)
{
    LPMESSAGE m = NULL;
    assert_int_equal(IMAPIFolder_CreateMessage(f, NULL, flags, &m), S_OK);
    char subject[64];
    snprintf(subject, sizeof subject, "msg %ld", n);
    SPropValue p[] = { { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = subject },
                       { .ulPropTag = PR_IMPORTANCE, .Value.l = (LONG)(n % 3) },
                       { .ulPropTag = PROP_TAG(PT_LONG, 0x6100), .Value.l = (LONG)n } };
    assert_int_equal(IMessage_SetProps(m, 3, p, NULL), S_OK);
    SPropValue r[] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = subject },
                       { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, list) = { 1, { { 0, 2, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&list), S_OK);
    if (attach_len > 0) {
        ULONG num;
        LPATTACH a = NULL;
        assert_int_equal(IMessage_CreateAttach(m, NULL, 0, &num, &a), S_OK);
        LPSTREAM s = NULL;
        assert_int_equal(IAttach_OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
                                              MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s), S_OK);
        static BYTE chunk[65536];
        memset(chunk, (int)(n & 0xFF), sizeof chunk);
        for (size_t done = 0; done < attach_len;) {
            ULONG w = 0, k = (ULONG)(attach_len - done < sizeof chunk ? attach_len - done
                                                                       : sizeof chunk);
            assert_int_equal(IStream_Write(s, chunk, k, &w), S_OK);
            done += w;
        }
        assert_int_equal(IStream_Commit(s, 0), S_OK);
        IStream_Release(s);
        assert_int_equal(IAttach_SaveChanges(a, 0), S_OK);
        IAttach_Release(a);
    }
    assert_int_equal(IMessage_SaveChanges(m, 0), S_OK);
    IMessage_Release(m);
}

/* Fills f with messages first..first+n-1, every third with a small attachment. */
static inline void bx_fill(LPMAPIFOLDER f, long first, ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        bx_put(f, 0, first + (long)i, (first + i) % 3 == 0 ? 300 : 0);
}

/* A new subfolder of parent. */
static inline LPMAPIFOLDER bx_subfolder(LPMAPIFOLDER parent, const char *name)
{
    LPMAPIFOLDER f = NULL;
    assert_int_equal(IMAPIFolder_CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
                                              0, &f), S_OK);
    return f;
}

/* The rows of f's contents table (flags: MAPI_ASSOCIATED, SHOW_SOFT_DELETES). */
static inline LPSRowSet bx_rows(LPMAPIFOLDER f, ULONG flags)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPIFolder_GetContentsTable(f, flags, &t), S_OK);
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_SUBJECT_A } };
    assert_int_equal(IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 0x7FFFFFFF, 0, &rows), S_OK);
    IMAPITable_Release(t);
    return rows;
}

static inline ULONG bx_count(LPMAPIFOLDER f, ULONG flags)
{
    LPSRowSet rows = bx_rows(f, flags);
    ULONG n = rows->cRows;
    FreeProws(rows);
    return n;
}

/* An ENTRYLIST of the entry IDs of f's messages (every step-th from first),
 * in one MAPI buffer. */
static inline LPENTRYLIST bx_list(LPMAPIFOLDER f, ULONG flags, ULONG first, ULONG step)
{
    LPSRowSet rows = bx_rows(f, flags);
    LPENTRYLIST l = NULL;
    assert_int_equal(MAPIAllocateBuffer(sizeof *l, (void **)&l), S_OK);
    l->cValues = 0;
    assert_int_equal(MAPIAllocateMore((ULONG)(sizeof(SBinary) * (rows->cRows + 1)), l,
                                      (void **)&l->lpbin), S_OK);
    for (ULONG i = first; i < rows->cRows; i += step) {
        SBinary *b = &rows->aRow[i].lpProps[0].Value.bin;
        assert_int_equal(MAPIAllocateMore(b->cb, l, (void **)&l->lpbin[l->cValues].lpb), S_OK);
        memcpy(l->lpbin[l->cValues].lpb, b->lpb, b->cb);
        l->lpbin[l->cValues++].cb = b->cb;
    }
    FreeProws(rows);
    return l;
}

/* A count read by the test's own connection (see fx_count). */
static inline long bx_sql(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline long bx_sql(const char *file, const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return fx_count(file, sql);
}

/* PRAGMA integrity_check run by the test's own connection says "ok". */
static inline bool bx_integrity_ok(const char *file)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    bool ok = false;
    if (sqlite3_open(file, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
        ok = sqlite3_step(st) == SQLITE_ROW &&
             strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return ok;
}

#endif /* FREEMAPI_TESTS_STORE_BULK_FIXTURE_H */
