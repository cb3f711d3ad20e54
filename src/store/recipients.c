/*
 * store/recipients.c - a message's recipient rows (see recipients.h).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "props/validate.h"
#include "store/propblob.h"
#include "store/recipients.h"

static void free_rows(fm_recip *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        MAPIFreeBuffer(rows[i].props);
}

void fm_recipients_clear(fm_recipients *r)
{
    free_rows(r->rows, r->n);
    fm_free(r->rows);
    memset(r, 0, sizeof *r);
}

static HRESULT reserve(fm_recip **rows, size_t *cap, size_t need)
{
    if (need <= *cap)
        return S_OK;
    size_t c = *cap ? *cap : 4;
    while (c < need)
        c *= 2;
    fm_recip *a = fm_realloc(*rows, c * sizeof *a);
    if (a == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory holding recipients");
    *rows = a;
    *cap = c;
    return S_OK;
}

HRESULT fm_recipients_load(fm_recipients *r, fm_store *s, int64_t mid)
{
    if (r->loaded)
        return S_OK;
    if (mid == 0) {
        r->loaded = true;
        r->next_row_id = 1;
        return S_OK;
    }
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db, "SELECT row_id, props FROM recipients WHERE mid = ?1 "
                                      "ORDER BY row_id", &st);
    fm_recip *rows = NULL;
    size_t n = 0, cap = 0;
    ULONG next = 1;
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        int rc;
        while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            hr = reserve(&rows, &cap, n + 1);
            if (hr != S_OK)
                break;
            fm_recip *row = &rows[n];
            row->row_id = (ULONG)sqlite3_column_int64(st, 0);
            row->props = NULL;
            hr = fm_propblob_decode(sqlite3_column_blob(st, 1),
                                    (size_t)sqlite3_column_bytes(st, 1), NULL, &row->cValues,
                                    &row->props);
            if (hr == S_OK) {
                n++;
                if (row->row_id >= next)
                    next = row->row_id + 1;
            }
        }
        if (hr == S_OK && rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "reading recipients");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    if (hr != S_OK) {
        free_rows(rows, n);
        fm_free(rows);
        return hr;
    }
    r->rows = rows;
    r->n = n;
    r->cap = cap;
    r->next_row_id = next;
    r->loaded = true;
    return S_OK;
}

/* A copy of an entry's properties without PR_ROWID and without the values
 * that carry nothing (PT_ERROR, PT_NULL). */
static HRESULT copy_entry(const ADRENTRY *e, ULONG *count, LPSPropValue *out)
{
    *count = 0;
    *out = NULL;
    SPropValue *keep = fm_malloc((e->cValues ? e->cValues : 1) * sizeof *keep);
    if (keep == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ModifyRecipients: out of memory");
    ULONG k = 0;
    for (ULONG i = 0; i < e->cValues; i++) {
        ULONG tag = e->rgPropVals[i].ulPropTag;
        if (PROP_ID(tag) == PROP_ID(PR_ROWID) || PROP_TYPE(tag) == PT_ERROR ||
            PROP_TYPE(tag) == PT_NULL)
            continue;
        keep[k++] = e->rgPropVals[i];
    }
    HRESULT hr = S_OK;
    if (k > 0)
        hr = ScDupPropset((int)k, keep, MAPIAllocateBuffer, out);
    if (hr == S_OK)
        *count = k;
    fm_free(keep);
    return hr;
}

static const SPropValue *find_rowid(const ADRENTRY *e)
{
    for (ULONG i = 0; i < e->cValues; i++) {
        if (e->rgPropVals[i].ulPropTag == PR_ROWID)
            return &e->rgPropVals[i];
    }
    return NULL;
}

static long index_of(const fm_recip *rows, size_t n, ULONG row_id)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].row_id == row_id)
            return (long)i;
    }
    return -1;
}

static HRESULT check_list(ULONG flags, const ADRLIST *l)
{
    const ULONG known = MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE;
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ModifyRecipients: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~known));
    if ((flags & (flags - 1)) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ModifyRecipients: MODRECIP_ADD, _MODIFY and _REMOVE exclude "
                            "one another");
    if (l == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyRecipients: lpMods is NULL");
    for (ULONG i = 0; i < l->cEntries; i++) {
        const ADRENTRY *e = &l->aEntries[i];
        if (e->cValues > 0 && e->rgPropVals == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "ModifyRecipients: entry %lu has no property array",
                                (unsigned long)i);
        HRESULT hr = fm_validate_prop_array(e->cValues, e->rgPropVals, "ModifyRecipients");
        if (hr != S_OK)
            return hr;
        if ((flags & (MODRECIP_MODIFY | MODRECIP_REMOVE)) && find_rowid(e) == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "ModifyRecipients: entry %lu has no PR_ROWID",
                                (unsigned long)i);
    }
    return S_OK;
}

/* Builds the new row set in rows/n (a private copy), leaving r untouched. */
static HRESULT apply(const fm_recipients *r, ULONG flags, const ADRLIST *l, fm_recip **out,
                     size_t *out_n, ULONG *next)
{
    fm_recip *rows = NULL;
    size_t n = 0, cap = 0;
    *next = r->next_row_id ? r->next_row_id : 1;
    HRESULT hr = reserve(&rows, &cap, r->n + l->cEntries + 1);
    /* Start from the current rows (sharing their buffers until committed),
     * except when replacing all of them. */
    if (hr == S_OK && flags != 0 && r->n > 0) {
        memcpy(rows, r->rows, r->n * sizeof *rows);
        n = r->n;
    }
    for (ULONG i = 0; hr == S_OK && i < l->cEntries; i++) {
        const ADRENTRY *e = &l->aEntries[i];
        if (flags == 0 || flags == MODRECIP_ADD) {
            fm_recip row = { (*next)++, 0, NULL };
            hr = copy_entry(e, &row.cValues, &row.props);
            if (hr == S_OK)
                rows[n++] = row;
            continue;
        }
        long at = index_of(rows, n, find_rowid(e)->Value.ul);
        if (at < 0) {
            hr = fm_error_set(MAPI_E_NOT_FOUND, "ModifyRecipients: no recipient with PR_ROWID %lu",
                              (unsigned long)find_rowid(e)->Value.ul);
        } else if (flags == MODRECIP_REMOVE) {
            memmove(&rows[at], &rows[at + 1], (n - (size_t)at - 1) * sizeof *rows);
            n--;
        } else {
            fm_recip row = { rows[at].row_id, 0, NULL };
            hr = copy_entry(e, &row.cValues, &row.props);
            if (hr == S_OK)
                rows[at] = row;
        }
    }
    if (hr != S_OK) {
        /* Free only the buffers this call made. */
        for (size_t i = 0; i < n; i++) {
            if (index_of(r->rows, r->n, rows[i].row_id) < 0 ||
                r->rows[index_of(r->rows, r->n, rows[i].row_id)].props != rows[i].props)
                MAPIFreeBuffer(rows[i].props);
        }
        fm_free(rows);
        return hr;
    }
    *out = rows;
    *out_n = n;
    return S_OK;
}

HRESULT fm_recipients_modify(fm_recipients *r, ULONG ulFlags, const ADRLIST *lpMods)
{
    HRESULT hr = check_list(ulFlags, lpMods);
    if (hr != S_OK)
        return hr;
    fm_recip *rows;
    size_t n;
    ULONG next;
    hr = apply(r, ulFlags, lpMods, &rows, &n, &next);
    if (hr != S_OK)
        return hr;
    /* Commit: free the old buffers that are no longer in the new set. */
    for (size_t i = 0; i < r->n; i++) {
        bool kept = false;
        for (size_t j = 0; j < n && !kept; j++)
            kept = rows[j].props == r->rows[i].props;
        if (!kept)
            MAPIFreeBuffer(r->rows[i].props);
    }
    fm_free(r->rows);
    r->rows = rows;
    r->n = n;
    r->cap = n;
    r->next_row_id = next;
    r->dirty = true;
    return S_OK;
}

HRESULT fm_recipients_save(const fm_recipients *r, fm_store *s, int64_t mid, uint64_t *bytes)
{
    *bytes = 0;
    sqlite3_stmt *del, *ins;
    HRESULT hr = fm_db_prepare(s->db, "DELETE FROM recipients WHERE mid = ?1", &del);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(del, 1, mid);
    int rc = sqlite3_step(del);
    fm_db_finish(del);
    if (rc != SQLITE_DONE)
        return fm_db_error(s->db, rc, "saving recipients");
    hr = fm_db_prepare(s->db, "INSERT INTO recipients (mid, row_id, props) VALUES (?1, ?2, ?3)",
                       &ins);
    for (size_t i = 0; hr == S_OK && i < r->n; i++) {
        void *blob = NULL;
        size_t len = 0;
        hr = fm_propblob_encode(r->rows[i].cValues, r->rows[i].props, &blob, &len);
        if (hr != S_OK)
            break;
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, mid);
        sqlite3_bind_int64(ins, 2, r->rows[i].row_id);
        sqlite3_bind_blob(ins, 3, blob ? blob : "", (int)len, SQLITE_STATIC);
        rc = sqlite3_step(ins);
        fm_free(blob);
        if (rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "saving recipients");
        *bytes += len;
    }
    if (ins != NULL)
        fm_db_finish(ins);
    return hr;
}

/* The display name of a row as UTF-8 text (empty when it has none). */
static fm_text row_name(const fm_recip *row)
{
    for (ULONG i = 0; i < row->cValues; i++) {
        const SPropValue *v = &row->props[i];
        if (v->ulPropTag == PR_DISPLAY_NAME_A)
            return fm_text_utf8(v->Value.lpszA);
        if (v->ulPropTag == PR_DISPLAY_NAME_W)
            return fm_text_utf16(v->Value.lpszW);
    }
    return fm_text_utf8("");
}

static bool row_is(const fm_recip *row, ULONG type)
{
    for (ULONG i = 0; i < row->cValues; i++) {
        if (row->props[i].ulPropTag == PR_RECIPIENT_TYPE)
            return (row->props[i].Value.ul & ~(ULONG)MAPI_SUBMITTED) == type;
    }
    return false;
}

HRESULT fm_recipients_display(const fm_recipients *r, ULONG type, void *parent, char **out)
{
    size_t total = 1;
    for (size_t i = 0; i < r->n; i++) {
        if (row_is(&r->rows[i], type))
            total += row_name(&r->rows[i]).len * 3 + 2;
    }
    char *s;
    HRESULT hr = fm_alloc_mapi(total, parent, (void **)&s);
    if (hr != S_OK)
        return hr;
    size_t at = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!row_is(&r->rows[i], type))
            continue;
        fm_text t = row_name(&r->rows[i]);
        if (at > 0) {
            memcpy(s + at, "; ", 2);
            at += 2;
        }
        if (t.wide) {
            at += fm_utf16_to_utf8_into(t.data, t.len, s + at);
        } else {
            memcpy(s + at, t.data, t.len);
            at += t.len;
        }
    }
    s[at] = '\0';
    *out = s;
    return S_OK;
}
