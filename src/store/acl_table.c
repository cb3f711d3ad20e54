/*
 * store/acl_table.c - IExchangeModifyTable on a folder's PR_ACL_TABLE: the
 * folder's permissions as a table (GetTable) and their changes as a ROWLIST
 * applied in one transaction (ModifyTable). Semantics in freemapi_acl.h.
 */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/lasterr.h"
#include "freemapi_acl.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "store/folder_acl.h"
#include "table/rowtable.h"

#define FREEBUSY (frightsFreeBusySimple | frightsFreeBusyDetailed)

typedef struct fm_acl_table {
    const IExchangeModifyTableVtbl *lpVtbl;
    _Atomic ULONG refs;
    fm_store *store;
    int64_t fid;
    fm_lasterr err;
} fm_acl_table;

static fm_acl_table *self(IExchangeModifyTable *p)
{
    return (fm_acl_table *)p;
}

static HRESULT fail(IExchangeModifyTable *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

static STDMETHODIMP acl_QueryInterface(IExchangeModifyTable *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IExchangeModifyTable) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "the ACL table is an "
                                                            "IExchangeModifyTable");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) acl_AddRef(IExchangeModifyTable *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) acl_Release(IExchangeModifyTable *This)
{
    fm_acl_table *t = self(This);
    ULONG left = atomic_fetch_sub(&t->refs, 1) - 1;
    if (left == 0) {
        fm_store_release(t->store);
        fm_lasterr_clear(&t->err);
        fm_free(t);
    }
    return left;
}

static STDMETHODIMP acl_GetLastError(IExchangeModifyTable *This, HRESULT hResult, ULONG ulFlags,
                                     LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&self(This)->err, "IExchangeModifyTable", hResult, ulFlags,
                          lppMAPIError);
}

/* ---- GetTable ------------------------------------------------------------------- */

static const ULONG ACL_COLUMNS[] = { PR_MEMBER_ID, PR_MEMBER_ENTRYID, PR_MEMBER_RIGHTS,
                                     PR_MEMBER_NAME_A };
#define NCOLS 4

/* One stored row, read for GetTable. */
typedef struct acl_row {
    int64_t member;
    BYTE eid[FM_ACL_MEMBER_EID_SIZE];
    char *name;
    ULONG rights;
} acl_row;

static void rows_free(acl_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fm_free(rows[i].name);
    fm_free(rows);
}

/* Default, Anonymous and the explicit rows of fid (store locked). */
static HRESULT read_rows(fm_store *s, int64_t fid, acl_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t have = 0;
    HRESULT hr = fm_db_select_int(s->db, "SELECT count(*) FROM sqlite_master WHERE type = "
                                         "'table' AND name = 'fm_acl'",
                                  FM_DB_NO_INTS, 0, &have, "reading folder permissions");
    size_t cap = 2;
    acl_row *rows = hr == S_OK ? fm_calloc(cap, sizeof *rows) : NULL;
    if (hr == S_OK && rows == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading an ACL table");
    if (hr != S_OK)
        return hr;
    rows[0].member = FMAPI_ACL_MEMBER_DEFAULT;
    rows[1].member = FMAPI_ACL_MEMBER_ANONYMOUS;
    size_t k = 2;
    sqlite3_stmt *st = NULL;
    if (have)
        hr = fm_db_prepare(s->db, "SELECT member, name, rights FROM fm_acl WHERE fid = ?1 "
                                  "ORDER BY member",
                           &st);
    if (st != NULL)
        sqlite3_bind_int64(st, 1, fid);
    int rc = SQLITE_DONE;
    while (st != NULL && hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t member = sqlite3_column_int64(st, 0);
        ULONG rights = (ULONG)sqlite3_column_int64(st, 2);
        if (member == FMAPI_ACL_MEMBER_DEFAULT || member == FMAPI_ACL_MEMBER_ANONYMOUS) {
            rows[member == FMAPI_ACL_MEMBER_DEFAULT ? 0 : 1].rights = rights;
            continue;
        }
        if (k == cap) {
            acl_row *p = fm_realloc(rows, cap * 2 * sizeof *rows);
            if (p == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading an ACL "
                                                            "table");
                break;
            }
            rows = p;
            cap *= 2;
        }
        const char *name = (const char *)sqlite3_column_text(st, 1);
        memset(&rows[k], 0, sizeof rows[k]);
        rows[k].member = member;
        rows[k].rights = rights;
        fm_acl_member_entryid(member, rows[k].eid);
        if ((rows[k].name = fm_strdup(name ? name : "")) == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading an ACL table");
            break;
        }
        k++;
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, "reading folder permissions");
    fm_db_finish(st);
    if (hr != S_OK) {
        rows_free(rows, k);
        return hr;
    }
    *out = rows;
    *n = k;
    return S_OK;
}

static HRESULT make_table(const acl_row *rows, size_t n, ULONG flags, LPMAPITABLE *out)
{
    SPropValue *vals = fm_calloc(n * NCOLS, sizeof *vals);
    if (vals == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making an ACL table");
    ULONG mask = (flags & ACLTABLE_FREEBUSY) ? ~(ULONG)0 : ~(ULONG)FREEBUSY;
    for (size_t i = 0; i < n; i++) {
        SPropValue *v = vals + i * NCOLS;
        bool special = i < 2;
        v[0].ulPropTag = PR_MEMBER_ID;
        v[0].Value.li.QuadPart = rows[i].member;
        v[1].ulPropTag = PR_MEMBER_ENTRYID;
        v[1].Value.bin.cb = special ? 0 : FM_ACL_MEMBER_EID_SIZE;
        v[1].Value.bin.lpb = (LPBYTE)rows[i].eid;
        v[2].ulPropTag = PR_MEMBER_RIGHTS;
        v[2].Value.l = (LONG)(rows[i].rights & mask);
        v[3].ulPropTag = PR_MEMBER_NAME_A;
        v[3].Value.lpszA = (LPSTR)(i == 0 ? "Default" : i == 1 ? "Anonymous" : rows[i].name);
    }
    HRESULT hr = fm_rowtable_open("GetTable", n, NCOLS, vals, ACL_COLUMNS, NCOLS,
                                  flags & MAPI_UNICODE, out);
    fm_free(vals);
    return hr;
}

static STDMETHODIMP acl_GetTable(IExchangeModifyTable *This, ULONG ulFlags, LPMAPITABLE *lppTable)
{
    fm_acl_table *t = self(This);
    if (lppTable == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetTable: lppTable is NULL"));
    *lppTable = NULL;
    if (ulFlags & ~(ACLTABLE_FREEBUSY | MAPI_UNICODE))
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetTable: unknown flags 0x%08lX",
                                       (unsigned long)ulFlags));
    HRESULT hr = fm_store_check_access(t->store);
    if (hr == S_OK)
        hr = fm_acl_require(t->store, t->fid, frightsVisible, "GetTable");
    acl_row *rows = NULL;
    size_t n = 0;
    if (hr == S_OK) {
        fm_store_lock(t->store);
        hr = read_rows(t->store, t->fid, &rows, &n);
        fm_store_unlock(t->store);
    }
    if (hr == S_OK)
        hr = make_table(rows, n, ulFlags, lppTable);
    rows_free(rows, n);
    return fail(This, hr);
}

/* ---- ModifyTable ---------------------------------------------------------------- */

/* One ROWENTRY, checked and resolved before the transaction. */
typedef struct acl_op {
    ULONG kind; /* ROW_ADD, ROW_MODIFY, ROW_REMOVE */
    int64_t member;
    ULONG rights;
    char *name; /* ROW_ADD: the member's display name */
} acl_op;

static void ops_free(acl_op *ops, size_t n)
{
    for (size_t i = 0; ops != NULL && i < n; i++)
        fm_free(ops[i].name);
    fm_free(ops);
}

static const SPropValue *find(const ROWENTRY *e, ULONG tag)
{
    for (ULONG i = 0; e->rgPropVals != NULL && i < e->cValues; i++)
        if (e->rgPropVals[i].ulPropTag == tag)
            return &e->rgPropVals[i];
    return NULL;
}

static bool special(int64_t member)
{
    return member == FMAPI_ACL_MEMBER_DEFAULT || member == FMAPI_ACL_MEMBER_ANONYMOUS;
}

/* The name ROW_ADD gives member: the directory's, else the row's own. */
static HRESULT member_name(fm_store *s, const ROWENTRY *e, int64_t member, char **out)
{
    if (s->acl_dir != NULL)
        return s->acl_dir->member_name(s->acl_dir_ctx, member, out);
    const SPropValue *n = find(e, PR_MEMBER_NAME_A);
    *out = fm_strdup(n != NULL ? n->Value.lpszA : "");
    return *out ? S_OK : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in ModifyTable");
}

static HRESULT check_entry(fm_store *s, ULONG i, const ROWENTRY *e, acl_op *op)
{
    op->kind = e->ulRowFlags;
    if (op->kind == ROW_EMPTY)
        return S_OK;
    if (op->kind != ROW_ADD && op->kind != ROW_MODIFY && op->kind != ROW_REMOVE)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: row %lu has unknown row "
                                                      "flags 0x%08lX",
                            (unsigned long)i, (unsigned long)e->ulRowFlags);
    if (e->cValues > 0 && e->rgPropVals == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: row %lu has no values",
                            (unsigned long)i);
    const SPropValue *id = find(e, PR_MEMBER_ID);
    const SPropValue *eid = find(e, PR_MEMBER_ENTRYID);
    const SPropValue *rights = find(e, PR_MEMBER_RIGHTS);
    if (op->kind != ROW_REMOVE && rights == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: row %lu has no "
                                                      "PR_MEMBER_RIGHTS", (unsigned long)i);
    if (rights != NULL && (rights->Value.ul & ~(ULONG)FMAPI_RIGHTS_VALID))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: row %lu has unknown rights "
                                                      "0x%08lX", (unsigned long)i,
                            (unsigned long)(rights->Value.ul & ~(ULONG)FMAPI_RIGHTS_VALID));
    op->rights = rights ? rights->Value.ul : 0;
    HRESULT hr = S_OK;
    if (op->kind == ROW_ADD && eid != NULL && eid->Value.bin.cb > 0)
        hr = fm_acl_member_of_entryid(eid->Value.bin.cb, eid->Value.bin.lpb, &op->member);
    else if (id != NULL)
        op->member = (int64_t)id->Value.li.QuadPart; /* Default and Anonymous by ROW_ADD too */
    else
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: row %lu names no member "
                                                      "(%s)", (unsigned long)i,
                            op->kind == ROW_ADD ? "PR_MEMBER_ENTRYID" : "PR_MEMBER_ID");
    if (hr == S_OK && op->kind == ROW_ADD && !special(op->member))
        hr = member_name(s, e, op->member, &op->name);
    return hr;
}

static HRESULT apply_one(fm_store *s, int64_t fid, const acl_op *op, ULONG flags)
{
    if (op->kind == ROW_EMPTY)
        return S_OK;
    int64_t old = -1; /* -1: no row */
    HRESULT hr = fm_db_select_int(s->db, "SELECT rights FROM fm_acl WHERE fid = ?1 AND "
                                         "member = ?2",
                                  FM_DB_INTS(fid, op->member), -1, &old,
                                  "reading folder permissions");
    if (hr != S_OK)
        return hr;
    if (op->kind != ROW_ADD && old < 0 && !special(op->member))
        return fm_error_set(MAPI_E_NOT_FOUND, "ModifyTable: member %lld is not in the folder's "
                                              "ACL table", (long long)op->member);
    if (op->kind == ROW_REMOVE)
        return fm_db_exec_ints(s->db, "DELETE FROM fm_acl WHERE fid = ?1 AND member = ?2",
                               FM_DB_INTS(fid, op->member), "changing folder permissions");
    /* Without ACLTABLE_FREEBUSY the free/busy bits are kept as they were. */
    ULONG rights = op->rights;
    if (!(flags & ACLTABLE_FREEBUSY))
        rights = (rights & ~(ULONG)FREEBUSY) | ((old < 0 ? 0 : (ULONG)old) & FREEBUSY);
    sqlite3_stmt *st;
    hr = fm_db_prepare(s->db,
                       "INSERT INTO fm_acl (fid, member, name, rights) VALUES (?1, ?2, "
                       "ifnull(?3, ''), ?4) ON CONFLICT (fid, member) DO UPDATE SET rights = "
                       "excluded.rights, name = ifnull(?3, name)",
                       &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, fid);
    sqlite3_bind_int64(st, 2, op->member);
    if (op->name != NULL)
        fm_db_bind_text(st, 3, op->name);
    sqlite3_bind_int64(st, 4, rights);
    return fm_db_run(s->db, st, "changing folder permissions");
}

static HRESULT apply(fm_store *s, int64_t fid, const acl_op *ops, size_t n, ULONG flags)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        hr = fm_acl_ensure_tables(s);
        if (hr == S_OK && (flags & ROWLIST_REPLACE))
            hr = fm_db_exec_ints(s->db, "DELETE FROM fm_acl WHERE fid = ?1", FM_DB_INTS(fid),
                                 "replacing folder permissions");
        for (size_t i = 0; i < n && hr == S_OK; i++)
            hr = apply_one(s, fid, &ops[i], flags);
        /* Rows left with no right are no rows. */
        if (hr == S_OK)
            hr = fm_db_exec_ints(s->db, "DELETE FROM fm_acl WHERE fid = ?1 AND rights = 0",
                                 FM_DB_INTS(fid), "changing folder permissions");
        hr = fm_db_end(s->db, hr);
    }
    fm_store_unlock(s);
    return hr;
}

static STDMETHODIMP acl_ModifyTable(IExchangeModifyTable *This, ULONG ulFlags, LPROWLIST lpMods)
{
    fm_acl_table *t = self(This);
    fm_store *s = t->store;
    if (ulFlags & ~(ROWLIST_REPLACE | ACLTABLE_FREEBUSY))
        return fail(This, fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ModifyTable: unknown flags "
                                                             "0x%08lX", (unsigned long)ulFlags));
    if (lpMods == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "ModifyTable: lpMods is "
                                                                 "NULL"));
    HRESULT hr = fm_store_check_access(s);
    if (hr == S_OK && s->readonly)
        hr = fm_error_set(MAPI_E_NO_ACCESS, "ModifyTable: the store is open read-only");
    if (hr == S_OK)
        hr = fm_acl_require(s, t->fid, frightsOwner, "ModifyTable");
    acl_op *ops = NULL;
    size_t n = lpMods->cEntries;
    if (hr == S_OK && n > 0 && (ops = fm_calloc(n, sizeof *ops)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in ModifyTable");
    for (size_t i = 0; i < n && hr == S_OK; i++)
        hr = check_entry(s, (ULONG)i, &lpMods->aEntries[i], &ops[i]);
    if (hr == S_OK)
        hr = apply(s, t->fid, ops, n, ulFlags);
    ops_free(ops, n);
    return fail(This, hr);
}

static const IExchangeModifyTableVtbl ACL_VTBL = {
    .QueryInterface = acl_QueryInterface,
    .AddRef = acl_AddRef,
    .Release = acl_Release,
    .GetLastError = acl_GetLastError,
    .GetTable = acl_GetTable,
    .ModifyTable = acl_ModifyTable,
};

HRESULT fm_acl_table_open(fm_store *s, int64_t fid, IExchangeModifyTable **out)
{
    *out = NULL;
    HRESULT hr = fm_acl_require(s, fid, frightsVisible, "OpenProperty(PR_ACL_TABLE)");
    if (hr != S_OK)
        return hr;
    fm_acl_table *t = fm_calloc(1, sizeof *t);
    if (t == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening an ACL table");
    t->lpVtbl = &ACL_VTBL;
    atomic_init(&t->refs, 1);
    fm_store_addref(s);
    t->store = s;
    t->fid = fid;
    fm_lasterr_init(&t->err);
    *out = (IExchangeModifyTable *)t;
    return S_OK;
}
