/*
 * store/bulk_soft_rows.c - rows of soft-deleted messages (see
 * bulk_soft_rows.h).
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "store/bulk_soft_rows.h"
#include "store/entryid.h"
#include "store/propblob.h"
#include "store/values.h"

/* The columns read, in this order. */
#define SOFT_SELECT                                                                         \
    "SELECT fid, subject, sender_name, message_class, delivery_time, size,"                \
    " flags | (assoc * 64) | (CASE WHEN EXISTS (SELECT 1 FROM attachments a"              \
    " WHERE a.mid = m.mid) THEN 16 ELSE 0 END), status, created, modified, deleted_at,"   \
    " props FROM messages m WHERE mid = ?1 AND deleted_at IS NOT NULL"
#define NCOMPUTED 14 /* values made from columns, at most */

static HRESULT no_sub_rows(void *context, ULONG ulSubObject, ULONG index, ULONG *lpcValues,
                           const SPropValue **lppProps)
{
    (void)context, (void)ulSubObject, (void)index, (void)lpcValues, (void)lppProps;
    return MAPI_E_NOT_FOUND;
}

static bool is_column(ULONG tag)
{
    static const ULONG ids[] = { PROP_ID(PR_SUBJECT), PROP_ID(PR_SENDER_NAME),
                                 PROP_ID(PR_MESSAGE_CLASS), PROP_ID(PR_MESSAGE_DELIVERY_TIME),
                                 PROP_ID(PR_MESSAGE_SIZE), PROP_ID(PR_MESSAGE_FLAGS),
                                 PROP_ID(PR_MSG_STATUS), PROP_ID(PR_CREATION_TIME),
                                 PROP_ID(PR_LAST_MODIFICATION_TIME), PROP_ID(PR_DELETED_ON),
                                 PROP_ID(PR_HASATTACH), PROP_ID(PR_ENTRYID),
                                 PROP_ID(PR_RECORD_KEY), PROP_ID(PR_PARENT_ENTRYID) };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (PROP_ID(tag) == ids[i])
            return true;
    return false;
}

static void put_text(SPropValue *v, ULONG *n, ULONG tag, sqlite3_stmt *st, int col,
                     void *root, HRESULT *hr)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    if (t == NULL || *hr != S_OK)
        return;
    size_t len = strlen(t) + 1;
    if (MAPIAllocateMore((ULONG)len, root, (void **)&v[*n].Value.lpszA) != S_OK) {
        *hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a deleted message");
        return;
    }
    memcpy(v[*n].Value.lpszA, t, len);
    v[(*n)++].ulPropTag = tag;
}

/* Fills v with the values made from the row's columns; *n counts them. */
static HRESULT column_values(fm_store *s, int64_t mid, sqlite3_stmt *st, SPropValue *v, ULONG *n,
                             void *root)
{
    HRESULT hr = S_OK;
    ULONG k = 0;
    int64_t fid = sqlite3_column_int64(st, 0);
    hr = fm_value_entryid(&v[k++], PR_ENTRYID, s, FM_EID_MESSAGE, mid, root);
    if (hr == S_OK)
        hr = fm_value_entryid(&v[k++], PR_RECORD_KEY, s, FM_EID_MESSAGE, mid, root);
    if (hr == S_OK)
        hr = fm_value_entryid(&v[k++], PR_PARENT_ENTRYID, s, FM_EID_FOLDER, fid, root);
    put_text(v, &k, PR_SUBJECT_A, st, 1, root, &hr);
    put_text(v, &k, PR_SENDER_NAME_A, st, 2, root, &hr);
    put_text(v, &k, PR_MESSAGE_CLASS_A, st, 3, root, &hr);
    if (sqlite3_column_type(st, 4) != SQLITE_NULL)
        fm_value_systime(&v[k++], PR_MESSAGE_DELIVERY_TIME, sqlite3_column_int64(st, 4));
    int64_t size = sqlite3_column_int64(st, 5);
    fm_value_long(&v[k++], PR_MESSAGE_SIZE, size > INT32_MAX ? INT32_MAX : (LONG)size);
    ULONG flags = (ULONG)sqlite3_column_int64(st, 6);
    fm_value_long(&v[k++], PR_MESSAGE_FLAGS, (LONG)flags);
    fm_value_long(&v[k++], PR_MSG_STATUS, (LONG)sqlite3_column_int64(st, 7));
    fm_value_systime(&v[k++], PR_CREATION_TIME, sqlite3_column_int64(st, 8));
    fm_value_systime(&v[k++], PR_LAST_MODIFICATION_TIME, sqlite3_column_int64(st, 9));
    fm_value_systime(&v[k++], PR_DELETED_ON, sqlite3_column_int64(st, 10));
    fm_value_bool(&v[k++], PR_HASATTACH, (flags & MSGFLAG_HASATTACH) != 0);
    *n = k;
    return hr;
}

/* Reads the row into one new MAPI buffer. */
static HRESULT read_row(fm_store *s, int64_t mid, ULONG *cvals, LPSPropValue *vals)
{
    sqlite3_stmt *st;
    fm_store_lock(s);
    HRESULT hr = fm_db_prepare(s->db, SOFT_SELECT, &st);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    sqlite3_bind_int64(st, 1, mid);
    int rc = sqlite3_step(st);
    ULONG nblob = 0;
    LPSPropValue blob = NULL, out = NULL;
    if (rc == SQLITE_DONE)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "message %lld is not soft-deleted", (long long)mid);
    else if (rc != SQLITE_ROW)
        hr = fm_db_error(s->db, rc, "reading a deleted message");
    if (hr == S_OK)
        hr = fm_propblob_decode(sqlite3_column_blob(st, 11),
                                (size_t)sqlite3_column_bytes(st, 11), NULL, &nblob, &blob);
    if (hr == S_OK &&
        MAPIAllocateBuffer((ULONG)((NCOMPUTED + nblob) * sizeof(SPropValue)), (void **)&out) !=
            S_OK)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a deleted message");
    ULONG n = 0;
    if (hr == S_OK)
        hr = column_values(s, mid, st, out, &n, out);
    for (ULONG i = 0; hr == S_OK && i < nblob; i++) {
        if (is_column(blob[i].ulPropTag))
            continue;
        if (PropCopyMore(&out[n], &blob[i], MAPIAllocateMore, out) != S_OK)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a deleted message");
        else
            n++;
    }
    fm_db_finish(st);
    fm_store_unlock(s);
    MAPIFreeBuffer(blob);
    if (hr != S_OK) {
        MAPIFreeBuffer(out);
        return hr;
    }
    *cvals = n;
    *vals = out;
    return S_OK;
}

HRESULT fm_soft_row_props(fm_store *s, int64_t mid, fmapi_restriction *res, ULONG *cvals,
                          LPSPropValue *vals, BOOL *match)
{
    HRESULT hr = read_row(s, mid, cvals, vals);
    if (match)
        *match = TRUE;
    if (hr != S_OK || res == NULL)
        return hr;
    fmapi_subobjects none = { .context = NULL, .get_row = no_sub_rows };
    hr = fmapi_restriction_eval(res, *cvals, *vals, &none, match);
    if (hr != S_OK) {
        MAPIFreeBuffer(*vals);
        *vals = NULL;
    }
    return hr;
}
