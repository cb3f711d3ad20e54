/*
 * store/store_tables.c - the store's small tables: a folder's hierarchy
 * table and the receive folder table, as in-memory table sources
 * (table/memory_source.c).
 *
 * Rows are built from the objects themselves (each folder opened and asked
 * GetProps(NULL)), so a table row always carries what opening the folder
 * shows, computed properties included; folders are few enough for that.
 * Every load reads the store afresh and the generation is the store's, so
 * the tables are live across processes.
 *
 * Hierarchy rows carry PR_FID (the folder's id, stable: it identifies the
 * row across rebuilds) and PR_DEPTH: 1 for a direct subfolder, one more per
 * level below with CONVENIENT_DEPTH, which lists folders depth-first so a
 * folder's subfolders follow it.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "store/contents_table.h"
#include "store/entryid.h"
#include "store/folder.h"
#include "store/folder_acl.h"
#include "store/store_notify.h"
#include "store/values.h"

typedef struct store_ctx {
    fm_store *store;
    int64_t fid;
    ULONG flags;
} store_ctx;

static HRESULT store_generation(void *context, uint64_t *out)
{
    store_ctx *c = context;
    HRESULT denied = fm_store_check_access(c->store);
    if (denied != S_OK)
        return denied;
    fm_store_lock(c->store);
    HRESULT hr = fm_db_generation(c->store->db, out);
    fm_store_unlock(c->store);
    return hr;
}

/* Table notifications: every event of the store (a subfolder's counts,
 * folders deeper down with CONVENIENT_DEPTH, receive folders), from any
 * process; the tables are small, so hearing too much costs little. */
static HRESULT store_watch(void *context, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    store_ctx *c = context;
    return fm_store_table_watch(c->store, 0, sink, conn);
}

static void store_unwatch(void *context, ULONG_PTR conn)
{
    store_ctx *c = context;
    fm_store_table_unwatch(c->store, conn);
}

static void store_release(void *context)
{
    store_ctx *c = context;
    fm_store_release(c->store);
    fm_free(c);
}

/* A row of every property of folder fid, plus extra. MAPI_E_NOT_FOUND when
 * the folder went away meanwhile. */
static HRESULT folder_row(fm_store *s, int64_t fid, ULONG flags, ULONG nextra,
                          const SPropValue *extra, SRow *row)
{
    IMAPIFolder *f = NULL;
    HRESULT hr = fm_folder_open(s, fid, false, &f);
    if (hr != S_OK)
        return hr;
    ULONG c = 0;
    LPSPropValue props = NULL;
    hr = IMAPIFolder_GetProps(f, NULL, flags & MAPI_UNICODE, &c, &props);
    if (hr == MAPI_W_ERRORS_RETURNED)
        hr = S_OK;
    if (hr == S_OK)
        hr = fm_row_from_props(row, c, props, nextra, extra);
    MAPIFreeBuffer(props);
    IMAPIFolder_Release(f);
    return hr;
}

/* The row of soft-deleted folder fid (SHOW_SOFT_DELETES), made from its
 * database row: it can no longer be opened. */
static HRESULT soft_folder_row(fm_store *s, int64_t fid, ULONG nextra, const SPropValue *extra,
                               SRow *row)
{
    sqlite3_stmt *st;
    fm_store_lock(s);
    HRESULT hr = fm_db_prepare(s->db, "SELECT parent_fid, display_name, folder_type, deleted_at"
                                      " FROM folders WHERE fid = ?1 AND deleted_at IS NOT NULL",
                               &st);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    sqlite3_bind_int64(st, 1, fid);
    int rc = sqlite3_step(st);
    void *root = NULL;
    if (rc == SQLITE_DONE)
        hr = MAPI_E_NOT_FOUND;
    else if (rc != SQLITE_ROW)
        hr = fm_db_error(s->db, rc, "reading a deleted folder");
    else if (MAPIAllocateBuffer(1, &root) != S_OK)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a deleted folder");
    SPropValue v[6];
    memset(v, 0, sizeof v);
    if (hr == S_OK)
        hr = fm_value_entryid(&v[0], PR_ENTRYID, s, FM_EID_FOLDER, fid, root);
    if (hr == S_OK)
        hr = fm_value_entryid(&v[1], PR_RECORD_KEY, s, FM_EID_FOLDER, fid, root);
    if (hr == S_OK)
        hr = fm_value_entryid(&v[2], PR_PARENT_ENTRYID, s, FM_EID_FOLDER,
                              sqlite3_column_int64(st, 0), root);
    if (hr == S_OK) {
        v[3].ulPropTag = PR_DISPLAY_NAME_A;
        v[3].Value.lpszA = (LPSTR)sqlite3_column_text(st, 1);
        if (v[3].Value.lpszA == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a deleted folder");
        fm_value_long(&v[4], PR_FOLDER_TYPE, (LONG)sqlite3_column_int64(st, 2));
        fm_value_systime(&v[5], PR_DELETED_ON, sqlite3_column_int64(st, 3));
    }
    if (hr == S_OK)
        hr = fm_row_from_props(row, 6, v, nextra, extra);
    fm_db_finish(st);
    fm_store_unlock(s);
    MAPIFreeBuffer(root);
    return hr;
}

/* ---- hierarchy --------------------------------------------------------------- */

typedef struct folder_ref {
    int64_t fid;
    ULONG depth;
} folder_ref;

/* Appends the subfolders of fid (and, when deep, theirs after each). */
static HRESULT list_folders(fm_store *s, int64_t fid, ULONG depth, bool deep, bool soft,
                            folder_ref **list, size_t *n)
{
    int64_t *kids = NULL;
    size_t nk = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_ids(s->db,
                                  soft ? "SELECT fid FROM folders WHERE parent_fid = ?1 AND "
                                         "deleted_at IS NOT NULL ORDER BY fid"
                                       : "SELECT fid FROM folders WHERE parent_fid = ?1 AND "
                                         "deleted_at IS NULL ORDER BY fid",
                                  FM_DB_INTS(fid), &kids, &nk, "reading subfolders");
    fm_store_unlock(s);
    for (size_t i = 0; i < nk && hr == S_OK; i++) {
        folder_ref *p = fm_realloc(*list, (*n + 1) * sizeof *p);
        if (p == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading subfolders");
            break;
        }
        *list = p;
        p[(*n)++] = (folder_ref){kids[i], depth};
        if (deep && depth < 64)
            hr = list_folders(s, kids[i], depth + 1, deep, soft, list, n);
    }
    fm_free(kids);
    return hr;
}

static HRESULT hierarchy_load(void *context, LPSRowSet *out)
{
    store_ctx *c = context;
    folder_ref *list = NULL;
    size_t n = 0;
    bool soft = (c->flags & SHOW_SOFT_DELETES) != 0;
    HRESULT hr = list_folders(c->store, c->fid, 1, (c->flags & CONVENIENT_DEPTH) != 0, soft,
                              &list, &n);
    LPSRowSet set = NULL;
    if (hr == S_OK)
        hr = fm_rowset_new(n, &set);
    for (size_t i = 0; i < n && hr == S_OK; i++) {
        if (!fm_acl_visible(c->store, list[i].fid)) /* a delegate's view (folder_acl.h) */
            continue;
        SPropValue extra[2] = {{.ulPropTag = PR_DEPTH}, {.ulPropTag = PR_FID}};
        extra[0].Value.l = (LONG)list[i].depth;
        extra[1].Value.li.QuadPart = list[i].fid;
        hr = soft ? soft_folder_row(c->store, list[i].fid, 2, extra, &set->aRow[set->cRows])
                  : folder_row(c->store, list[i].fid, c->flags, 2, extra, &set->aRow[set->cRows]);
        if (hr == S_OK)
            set->cRows++;
        else if (hr == MAPI_E_NOT_FOUND) /* deleted meanwhile */
            hr = S_OK;
    }
    fm_free(list);
    if (hr != S_OK) {
        if (set)
            FreeProws(set);
        return hr;
    }
    *out = set;
    return S_OK;
}

static const ULONG HIERARCHY_COLUMNS[] = {
    PR_INSTANCE_KEY, PR_ENTRYID,         PR_RECORD_KEY,    PR_DISPLAY_NAME,
    PR_DEPTH,        PR_FOLDER_TYPE,     PR_CONTENT_COUNT, PR_CONTENT_UNREAD,
    PR_SUBFOLDERS,   PR_CONTAINER_CLASS, PR_OBJECT_TYPE,
};

static HRESULT open_memory_table(fm_store *s, int64_t fid, ULONG flags, const char *name,
                                 HRESULT (*load)(void *, LPSRowSet *), const ULONG *cols,
                                 ULONG ncols, ULONG id_tag, IMAPITable **out)
{
    *out = NULL;
    store_ctx *c = fm_calloc(1, sizeof *c);
    if (c == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    fm_store_addref(s);
    c->store = s;
    c->fid = fid;
    c->flags = flags;
    fm_memory_source_def def = {.name = name,
                                .context = c,
                                .load = load,
                                .generation = store_generation,
                                .release = store_release,
                                .watch = store_watch,
                                .unwatch = store_unwatch,
                                .default_columns = cols,
                                .ndefault = ncols,
                                .id_tag = id_tag};
    return fm_memory_table_open(&def, flags & MAPI_UNICODE, out);
}

HRESULT fm_hierarchy_table_open(fm_store *s, int64_t fid, ULONG flags, IMAPITable **out)
{
    return open_memory_table(s, fid, flags, "hierarchy", hierarchy_load, HIERARCHY_COLUMNS,
                             sizeof HIERARCHY_COLUMNS / sizeof HIERARCHY_COLUMNS[0], PR_FID, out);
}

/* ---- receive folders ------------------------------------------------------------ */

typedef struct receive_entry {
    char *cls; /* fm_malloc'd UTF-8 */
    int64_t fid;
} receive_entry;

static HRESULT read_receive(fm_store *s, receive_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    fm_store_lock(s);
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT r.message_class, r.fid FROM receive_folders r JOIN folders f"
                               " ON f.fid = r.fid AND f.deleted_at IS NULL"
                               " ORDER BY r.message_class",
                               &st);
    int rc = SQLITE_DONE;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        receive_entry *p = fm_realloc(*out, (*n + 1) * sizeof *p);
        char *cls = fm_strdup((const char *)sqlite3_column_text(st, 0));
        if (p)
            *out = p;
        if (p == NULL || cls == NULL) {
            fm_free(cls);
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading receive folders");
            break;
        }
        p[*n].cls = cls;
        p[(*n)++].fid = sqlite3_column_int64(st, 1);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, "reading receive folders");
    if (st)
        fm_db_finish(st);
    fm_store_unlock(s);
    return hr;
}

static HRESULT receive_load(void *context, LPSRowSet *out)
{
    store_ctx *c = context;
    receive_entry *e = NULL;
    size_t n = 0;
    HRESULT hr = read_receive(c->store, &e, &n);
    LPSRowSet set = NULL;
    if (hr == S_OK)
        hr = fm_rowset_new(n, &set);
    for (size_t i = 0; i < n && hr == S_OK; i++) {
        BYTE eid[FM_EID_SIZE];
        fm_entryid_write(&c->store->uid, FM_EID_FOLDER, (uint64_t)e[i].fid, eid);
        SPropValue v[3] = {{.ulPropTag = PR_MESSAGE_CLASS_A},
                           {.ulPropTag = PR_ENTRYID},
                           {.ulPropTag = PR_RECORD_KEY}};
        v[0].Value.lpszA = e[i].cls;
        v[1].Value.bin.cb = v[2].Value.bin.cb = FM_EID_SIZE;
        v[1].Value.bin.lpb = v[2].Value.bin.lpb = eid;
        hr = fm_row_from_props(&set->aRow[set->cRows], 3, v, 0, NULL);
        if (hr == S_OK)
            set->cRows++;
    }
    for (size_t i = 0; i < n; i++)
        fm_free(e[i].cls);
    fm_free(e);
    if (hr != S_OK) {
        if (set)
            FreeProws(set);
        return hr;
    }
    *out = set;
    return S_OK;
}

static const ULONG RECEIVE_COLUMNS[] = {PR_INSTANCE_KEY, PR_MESSAGE_CLASS, PR_ENTRYID,
                                        PR_RECORD_KEY};

HRESULT fm_receive_table_open(fm_store *s, ULONG flags, IMAPITable **out)
{
    return open_memory_table(s, 0, flags, "receive folder", receive_load, RECEIVE_COLUMNS,
                             sizeof RECEIVE_COLUMNS / sizeof RECEIVE_COLUMNS[0], 0, out);
}
