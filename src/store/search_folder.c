/*
 * store/search_folder.c - search folders: SetSearchCriteria,
 * GetSearchCriteria, their counts and deleting through them (see
 * search_folder.h for what a search folder is here).
 *
 * The criteria live in search_criteria (the restriction as search_blob.c's
 * bytes, the last call's flags, the SEARCH_* state), search_scope (the
 * folders searched, in the caller's order) and, for a stopped or static
 * search, search_results (schema.c, version 6).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "store/bulk_delete.h"
#include "store/contents_table.h"
#include "store/entryid.h"
#include "store/folder.h"
#include "store/search_blob.h"
#include "store/search_folder.h"
#include "store/store_notify.h"

/* The state bits kept in search_criteria.state. */
#define STATE_KEPT                                                                                 \
    (SEARCH_RUNNING | SEARCH_REBUILD | SEARCH_RECURSIVE | SEARCH_FOREGROUND | SEARCH_STATIC)

/* ---- reading the criteria ---------------------------------------------------------- */

typedef struct criteria_row {
    bool found;
    void *blob; /* fm_malloc */
    size_t len;
    ULONG flags, state;
} criteria_row;

static void criteria_row_clear(criteria_row *r)
{
    fm_free(r->blob);
    memset(r, 0, sizeof *r);
}

/* Search folder sfid's row (store locked). */
static HRESULT criteria_read(fm_store *s, int64_t sfid, criteria_row *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(s->db, "SELECT restriction, flags, state FROM search_criteria "
                                      "WHERE fid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, sfid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        out->blob = fm_malloc(len ? len : 1);
        if (out->blob == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading search criteria");
        } else {
            if (len)
                memcpy(out->blob, p, len);
            out->len = len;
            out->flags = (ULONG)sqlite3_column_int64(st, 1);
            out->state = (ULONG)sqlite3_column_int64(st, 2);
            out->found = true;
        }
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(s->db, rc, "reading search criteria");
    }
    fm_db_finish(st);
    if (hr != S_OK)
        criteria_row_clear(out);
    return hr;
}

static bool state_frozen(ULONG state)
{
    return (state & (SEARCH_RUNNING | SEARCH_REBUILD)) == 0;
}

HRESULT fm_search_def_read(fm_store *s, int64_t sfid, fm_search_def *d)
{
    memset(d, 0, sizeof *d);
    criteria_row row;
    HRESULT hr = criteria_read(s, sfid, &row);
    if (hr != S_OK || !row.found)
        return hr;
    LPSRestriction res = NULL;
    hr = fm_search_blob_decode(row.blob, row.len, false, &res);
    if (hr == S_OK)
        hr = fmapi_restriction_compile(res, 0, &d->res);
    if (hr == MAPI_E_INVALID_PARAMETER || hr == MAPI_E_TOO_COMPLEX)
        hr = fm_error_set(MAPI_E_CORRUPT_STORE, "a search folder's saved restriction no longer "
                                                "compiles: %s", fm_error_text());
    MAPIFreeBuffer(res);
    if (hr == S_OK) {
        d->defined = true;
        d->state = row.state;
        d->frozen = state_frozen(row.state);
        d->recursive = (row.state & SEARCH_RECURSIVE) != 0;
    }
    criteria_row_clear(&row);
    return hr;
}

void fm_search_def_clear(fm_search_def *d)
{
    fmapi_restriction_free(d->res);
    memset(d, 0, sizeof *d);
}

/* ---- the container list ------------------------------------------------------------ */

/* The folders of lpContainerList as fids (fm_malloc'd), each a live generic
 * folder of this store other than the search folder itself (store locked). */
static HRESULT resolve_containers(fm_store *s, int64_t sfid, const ENTRYLIST *l, int64_t **out)
{
    *out = NULL;
    if (l->lpbin == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: lpContainerList->lpbin "
                                                      "is NULL");
    int64_t *fids = fm_calloc(l->cValues, sizeof *fids);
    if (fids == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a container list");
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < l->cValues && hr == S_OK; i++) {
        MAPIUID uid;
        int kind = 0;
        uint64_t id = 0;
        hr = fm_entryid_parse(l->lpbin[i].cb, (LPENTRYID)l->lpbin[i].lpb, &uid, &kind, &id);
        if (hr != S_OK)
            break;
        if (memcmp(uid.ab, s->uid.ab, 16) != 0)
            hr = fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "SetSearchCriteria: container %lu is a "
                                                      "folder of another store", (unsigned long)i);
        else if (kind != FM_EID_FOLDER)
            hr = fm_error_set(MAPI_E_INVALID_ENTRYID, "SetSearchCriteria: container %lu is not a "
                                                      "folder", (unsigned long)i);
        if (hr != S_OK)
            break;
        int64_t type = 0;
        hr = fm_db_select_int(s->db, "SELECT folder_type FROM folders WHERE fid = ?1 AND "
                              "deleted_at IS NULL", FM_DB_INTS((int64_t)id), 0, &type,
                              "reading a searched folder");
        if (hr == S_OK && type == 0)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "SetSearchCriteria: container %lu does not exist",
                              (unsigned long)i);
        else if (hr == S_OK && (type != FOLDER_GENERIC || (int64_t)id == sfid))
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: container %lu is a "
                              "search folder: a search reads no search folder's results, and no "
                              "search folder is in its own scope", (unsigned long)i);
        fids[i] = (int64_t)id;
    }
    if (hr != S_OK) {
        fm_free(fids);
        return hr;
    }
    *out = fids;
    return S_OK;
}

static HRESULT write_scope(fm_store *s, int64_t sfid, const int64_t *fids, ULONG n)
{
    HRESULT hr = fm_db_exec_ints(s->db, "DELETE FROM search_scope WHERE sfid = ?1",
                                 FM_DB_INTS(sfid), "saving a search's folders");
    for (ULONG i = 0; i < n && hr == S_OK; i++) /* OR IGNORE: a folder listed twice */
        hr = fm_db_exec_ints(s->db, "INSERT OR IGNORE INTO search_scope (sfid, fid, pos) "
                             "VALUES (?1, ?2, ?3)", FM_DB_INTS(sfid, fids[i], (int64_t)i),
                             "saving a search's folders");
    return hr;
}

/* ---- SetSearchCriteria -------------------------------------------------------------- */

static HRESULT check_flags(ULONG f)
{
    const ULONG known = STOP_SEARCH | RESTART_SEARCH | RECURSIVE_SEARCH | SHALLOW_SEARCH |
                        FOREGROUND_SEARCH | BACKGROUND_SEARCH | CONTENT_INDEXED_SEARCH |
                        NON_CONTENT_INDEXED_SEARCH | STATIC_SEARCH;
    if (f & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetSearchCriteria: unknown flags 0x%08lX",
                            (unsigned long)(f & ~known));
    static const struct {
        ULONG a, b;
        const char *what;
    } EXCLUSIVE[] = {
        { STOP_SEARCH, RESTART_SEARCH, "STOP_SEARCH and RESTART_SEARCH" },
        { RECURSIVE_SEARCH, SHALLOW_SEARCH, "RECURSIVE_SEARCH and SHALLOW_SEARCH" },
        { FOREGROUND_SEARCH, BACKGROUND_SEARCH, "FOREGROUND_SEARCH and BACKGROUND_SEARCH" },
        { CONTENT_INDEXED_SEARCH, NON_CONTENT_INDEXED_SEARCH,
          "CONTENT_INDEXED_SEARCH and NON_CONTENT_INDEXED_SEARCH" },
    };
    for (size_t i = 0; i < sizeof EXCLUSIVE / sizeof EXCLUSIVE[0]; i++)
        if ((f & EXCLUSIVE[i].a) && (f & EXCLUSIVE[i].b))
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: %s cannot be set "
                                "together", EXCLUSIVE[i].what);
    return S_OK;
}

/* The state after a call with flags f on a search whose state was old
 * (found false: the first call). *freeze: the results must be frozen now
 * (the state written first is SEARCH_REBUILD, then *final). */
static ULONG next_state(ULONG f, bool found, ULONG old, bool *freeze, ULONG *final)
{
    ULONG keep = found ? old : 0;
    ULONG st = keep & (SEARCH_RECURSIVE | SEARCH_FOREGROUND);
    if (f & RECURSIVE_SEARCH)
        st |= SEARCH_RECURSIVE;
    if (f & SHALLOW_SEARCH)
        st &= ~(ULONG)SEARCH_RECURSIVE;
    if (f & FOREGROUND_SEARCH)
        st |= SEARCH_FOREGROUND;
    if (f & BACKGROUND_SEARCH)
        st &= ~(ULONG)SEARCH_FOREGROUND;
    bool was_running = !found || !state_frozen(old);
    *freeze = false;
    if (f & STATIC_SEARCH) { /* populated once, then never updated */
        *freeze = true;
        *final = st | SEARCH_STATIC;
    } else if (f & STOP_SEARCH) {
        *freeze = was_running; /* a stopped search keeps what it had */
        *final = st;
    } else if ((f & RESTART_SEARCH) || was_running) {
        *final = st | SEARCH_RUNNING;
    } else { /* stopped, and not restarted: stays stopped with the new criteria */
        *final = st | (keep & SEARCH_STATIC);
    }
    return *freeze ? (st | SEARCH_REBUILD) : *final;
}

static HRESULT parent_of(fm_store *s, int64_t fid, int64_t *parent)
{
    return fm_db_select_int(s->db, "SELECT parent_fid FROM folders WHERE fid = ?1",
                            FM_DB_INTS(fid), 0, parent, "reading a search folder's parent");
}

/* The notifications of a finished (re)build of sfid: its counts may have
 * moved (ObjectModified, which also wakes its contents tables), and
 * fnevSearchComplete. Inside the transaction. */
static HRESULT notify_done(fm_store *s, int64_t sfid)
{
    static const ULONG COUNTS[2] = { PR_CONTENT_COUNT, PR_CONTENT_UNREAD };
    int64_t parent = 0;
    HRESULT hr = parent_of(s, sfid, &parent);
    if (hr == S_OK)
        hr = fm_store_notify_props(s, MAPI_FOLDER, sfid, parent, 2, COUNTS);
    if (hr == S_OK)
        hr = fm_store_notify_object(s, fnevSearchComplete, MAPI_FOLDER, sfid, parent, 0, 0);
    return hr;
}

typedef struct set_args {
    const void *blob; /* NULL: keep the saved restriction */
    size_t len;
    const int64_t *fids; /* NULL: keep the saved folders */
    ULONG nfids;
    ULONG flags;
} set_args;

/* The first transaction: criteria and state (store locked). */
static HRESULT write_criteria(fm_store *s, int64_t sfid, const set_args *a, bool *freeze,
                              ULONG *final)
{
    criteria_row old;
    HRESULT hr = criteria_read(s, sfid, &old);
    if (hr != S_OK)
        return hr;
    if (!old.found && (a->blob == NULL || a->fids == NULL)) {
        criteria_row_clear(&old);
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetSearchCriteria: the first search of a "
                            "folder needs a restriction and a container list (NULL keeps the "
                            "previous ones, and there are none)");
    }
    ULONG state = next_state(a->flags, old.found, old.state, freeze, final);
    sqlite3_stmt *st = NULL;
    hr = fm_db_prepare(s->db, "INSERT OR REPLACE INTO search_criteria (fid, restriction, flags, "
                              "state) VALUES (?1, ?2, ?3, ?4)", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, sfid);
        if (a->blob)
            fm_db_bind_blob(st, 2, a->blob, a->len);
        else
            fm_db_bind_blob(st, 2, old.blob, old.len);
        sqlite3_bind_int64(st, 3, a->flags);
        sqlite3_bind_int64(st, 4, state);
        hr = fm_db_run(s->db, st, "saving search criteria");
    }
    criteria_row_clear(&old);
    if (hr == S_OK && a->fids)
        hr = write_scope(s, sfid, a->fids, a->nfids);
    if (hr == S_OK && !state_frozen(state)) /* running: nothing frozen any more */
        hr = fm_db_exec_ints(s->db, "DELETE FROM search_results WHERE sfid = ?1",
                             FM_DB_INTS(sfid), "restarting a search");
    if (hr == S_OK && !*freeze)
        hr = notify_done(s, sfid);
    return hr;
}

/* The mids of search sfid's current results (a running evaluation), read
 * through its contents table; fm_malloc'd. */
static HRESULT current_results(fm_store *s, int64_t sfid, int64_t **mids, size_t *n)
{
    *mids = NULL;
    *n = 0;
    IMAPITable *t = NULL;
    HRESULT hr = fm_search_contents_table_open(s, sfid, 0, &t);
    if (hr != S_OK)
        return hr;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    int64_t *out = fm_calloc(rows->cRows ? rows->cRows : 1, sizeof *out);
    if (out == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory freezing a search");
    size_t k = 0;
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        int64_t mid = 0;
        if (PROP_TYPE(v->ulPropTag) == PT_BINARY &&
            fm_folder_message_id(s, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb, &mid) == S_OK)
            out[k++] = mid;
    }
    FreeProws(rows);
    if (hr != S_OK) {
        fm_free(out);
        return hr;
    }
    *mids = out;
    *n = k;
    return S_OK;
}

/* The second transaction of a stop: the results frozen, the state final.
 * Skipped when another SetSearchCriteria came in between (the state is no
 * longer the rebuild this one wrote). */
static HRESULT freeze(fm_store *s, int64_t sfid, ULONG final)
{
    int64_t *mids = NULL;
    size_t n = 0;
    HRESULT hr = current_results(s, sfid, &mids, &n);
    if (hr != S_OK)
        return hr;
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        int64_t state = 0;
        hr = fm_db_select_int(s->db, "SELECT state FROM search_criteria WHERE fid = ?1",
                              FM_DB_INTS(sfid), 0, &state, "freezing a search");
        bool mine = hr == S_OK && (state & SEARCH_REBUILD);
        if (mine)
            hr = fm_db_exec_ints(s->db, "DELETE FROM search_results WHERE sfid = ?1",
                                 FM_DB_INTS(sfid), "freezing a search");
        for (size_t i = 0; mine && hr == S_OK && i < n; i++)
            hr = fm_db_exec_ints(s->db, "INSERT OR IGNORE INTO search_results (sfid, mid) "
                                 "VALUES (?1, ?2)", FM_DB_INTS(sfid, mids[i]),
                                 "freezing a search");
        if (mine && hr == S_OK)
            hr = fm_db_exec_ints(s->db, "UPDATE search_criteria SET state = ?2 WHERE fid = ?1",
                                 FM_DB_INTS(sfid, (int64_t)final), "freezing a search");
        if (mine && hr == S_OK)
            hr = notify_done(s, sfid);
        hr = fm_db_end(s->db, hr);
    }
    fm_store_unlock(s);
    fm_free(mids);
    return hr;
}

HRESULT fm_search_set_criteria(fm_object *o, ULONG folder_type, LPSRestriction lpRestriction,
                               LPENTRYLIST lpContainerList, ULONG ulSearchFlags)
{
    if (folder_type != FOLDER_SEARCH)
        return fm_error_set(MAPI_E_NO_SUPPORT, "SetSearchCriteria: this is not a search folder");
    HRESULT hr = check_flags(ulSearchFlags);
    if (hr != S_OK)
        return hr;
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "SetSearchCriteria: the folder is open read-only");
    fm_store *s = o->store;
    set_args a = { .flags = ulSearchFlags };
    void *blob = NULL;
    int64_t *fids = NULL;
    if (lpRestriction) {
        fmapi_restriction *check = NULL; /* refuses what the engine cannot evaluate */
        hr = fmapi_restriction_compile(lpRestriction, 0, &check);
        fmapi_restriction_free(check);
        if (hr == S_OK)
            hr = fm_search_blob_encode(lpRestriction, &blob, &a.len);
        a.blob = blob;
    }
    fm_store_lock(s);
    if (hr == S_OK && lpContainerList && lpContainerList->cValues > 0) {
        hr = resolve_containers(s, o->id, lpContainerList, &fids);
        a.fids = fids;
        a.nfids = lpContainerList->cValues;
    }
    bool must_freeze = false;
    ULONG final = 0;
    if (hr == S_OK)
        hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        hr = write_criteria(s, o->id, &a, &must_freeze, &final);
        hr = fm_db_end(s->db, hr);
    }
    fm_store_unlock(s);
    fm_free(blob);
    fm_free(fids);
    if (hr == S_OK && must_freeze)
        hr = freeze(s, o->id, final);
    return hr;
}

HRESULT fm_search_finish_pending(fm_store *s)
{
    int64_t *fids = NULL;
    size_t n = 0;
    fm_store_lock(s);
    HRESULT hr = fm_db_select_ids(s->db, "SELECT fid FROM search_criteria WHERE state & 2",
                                  FM_DB_NO_INTS, &fids, &n, "finding unfinished searches");
    fm_store_unlock(s);
    for (size_t i = 0; i < n && hr == S_OK; i++) {
        int64_t flags = 0, state = 0;
        fm_store_lock(s);
        hr = fm_db_select_int(s->db, "SELECT flags FROM search_criteria WHERE fid = ?1",
                              FM_DB_INTS(fids[i]), 0, &flags, "finishing a search");
        if (hr == S_OK)
            hr = fm_db_select_int(s->db, "SELECT state FROM search_criteria WHERE fid = ?1",
                                  FM_DB_INTS(fids[i]), 0, &state, "finishing a search");
        fm_store_unlock(s);
        ULONG final = (ULONG)state & (SEARCH_RECURSIVE | SEARCH_FOREGROUND);
        if ((ULONG)flags & STATIC_SEARCH)
            final |= SEARCH_STATIC;
        if (hr == S_OK)
            hr = freeze(s, fids[i], final);
    }
    fm_free(fids);
    return hr;
}

/* ---- GetSearchCriteria --------------------------------------------------------------- */

static HRESULT read_scope(fm_store *s, int64_t sfid, LPENTRYLIST *out)
{
    int64_t *fids = NULL;
    size_t n = 0;
    HRESULT hr = fm_db_select_ids(s->db, "SELECT fid FROM search_scope WHERE sfid = ?1 "
                                  "ORDER BY pos", FM_DB_INTS(sfid), &fids, &n,
                                  "reading a search's folders");
    if (hr != S_OK)
        return hr;
    LPENTRYLIST l = NULL;
    size_t size = sizeof *l + n * (sizeof(SBinary) + FM_EID_SIZE);
    if (MAPIAllocateBuffer((ULONG)size, (void **)&l) != S_OK) {
        fm_free(fids);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a search's folders");
    }
    memset(l, 0, size);
    l->cValues = (ULONG)n;
    l->lpbin = n ? (SBinary *)(l + 1) : NULL;
    BYTE *eids = (BYTE *)(l + 1) + n * sizeof(SBinary);
    for (size_t i = 0; i < n; i++) {
        fm_entryid_write(&s->uid, FM_EID_FOLDER, (uint64_t)fids[i], eids + i * FM_EID_SIZE);
        l->lpbin[i].cb = FM_EID_SIZE;
        l->lpbin[i].lpb = eids + i * FM_EID_SIZE;
    }
    fm_free(fids);
    *out = l;
    return S_OK;
}

HRESULT fm_search_get_criteria(fm_object *o, ULONG folder_type, ULONG ulFlags,
                               LPSRestriction *lppRestriction, LPENTRYLIST *lppContainerList,
                               ULONG *lpulSearchState)
{
    if (lppRestriction)
        *lppRestriction = NULL;
    if (lppContainerList)
        *lppContainerList = NULL;
    if (folder_type != FOLDER_SEARCH)
        return fm_error_set(MAPI_E_NO_SUPPORT, "GetSearchCriteria: this is not a search folder");
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetSearchCriteria: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(ULONG)MAPI_UNICODE));
    fm_store *s = o->store;
    criteria_row row;
    LPSRestriction res = NULL;
    LPENTRYLIST list = NULL;
    fm_store_lock(s);
    HRESULT hr = criteria_read(s, o->id, &row);
    if (hr == S_OK && !row.found)
        hr = fm_error_set(MAPI_E_NOT_INITIALIZED, "GetSearchCriteria: no search criteria were "
                                                  "ever set on this folder");
    if (hr == S_OK && lppRestriction)
        hr = fm_search_blob_decode(row.blob, row.len, (ulFlags & MAPI_UNICODE) != 0, &res);
    if (hr == S_OK && lppContainerList)
        hr = read_scope(s, o->id, &list);
    fm_store_unlock(s);
    if (hr != S_OK) {
        MAPIFreeBuffer(res);
        MAPIFreeBuffer(list);
        criteria_row_clear(&row);
        return hr;
    }
    if (lpulSearchState) {
        ULONG st = row.state & STATE_KEPT;
        /* [MS-OXCFOLD]: SEARCH_COMPLETE once the (re)build is done. */
        *lpulSearchState = (st & SEARCH_REBUILD) ? st : (st | SEARCH_COMPLETE);
    }
    if (lppRestriction)
        *lppRestriction = res;
    if (lppContainerList)
        *lppContainerList = list;
    criteria_row_clear(&row);
    return S_OK;
}

/* ---- counts, deletes ---------------------------------------------------------------- */

HRESULT fm_search_count(fm_store *s, int64_t sfid, bool unread, LONG *out)
{
    *out = 0;
    IMAPITable *t = NULL;
    HRESULT hr = fm_search_contents_table_open(s, sfid, 0, &t);
    if (hr != S_OK)
        return hr;
    if (unread) {
        SRestriction r = { .rt = RES_BITMASK };
        r.res.resBitMask = (SBitMaskRestriction){ BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ };
        hr = IMAPITable_Restrict(t, &r, 0);
    }
    ULONG n = 0;
    if (hr == S_OK)
        hr = IMAPITable_GetRowCount(t, 0, &n);
    IMAPITable_Release(t);
    *out = (LONG)n;
    return hr;
}

/* Deletes message mid where it is when it is among sfid's results. */
static HRESULT delete_one(fm_store *s, int64_t sfid, int64_t mid, bool hard, bool *removed)
{
    *removed = false;
    bool has = false;
    HRESULT hr = fm_contents_search_has(s, sfid, mid, &has);
    if (hr != S_OK || !has)
        return hr;
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK) {
        int64_t fid = 0;
        hr = fm_db_select_int(s->db, "SELECT fid FROM messages WHERE mid = ?1 AND "
                              "deleted_at IS NULL", FM_DB_INTS(mid), 0, &fid,
                              "deleting a message");
        if (hr == S_OK && fid > 0)
            hr = fm_bulk_remove_message(s, mid, fid, hard, true, fm_store_now(), removed);
        hr = fm_db_end(s->db, hr);
    }
    fm_store_unlock(s);
    if (hr != S_OK)
        *removed = false;
    return hr;
}

HRESULT fm_search_delete_messages(fm_object *o, LPENTRYLIST lpMsgList, ULONG ulFlags)
{
    const ULONG known = MESSAGE_DIALOG | DELETE_HARD_DELETE;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "DeleteMessages: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if (lpMsgList == NULL || (lpMsgList->cValues > 0 && lpMsgList->lpbin == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "DeleteMessages: lpMsgList is NULL or "
                                                      "has no entries");
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "DeleteMessages: the folder is open read-only");
    bool partial = false;
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < lpMsgList->cValues && hr == S_OK; i++) {
        int64_t mid = 0;
        bool removed = false;
        const SBinary *b = &lpMsgList->lpbin[i];
        if (fm_folder_message_id(o->store, b->cb, (LPENTRYID)b->lpb, &mid) == S_OK)
            hr = delete_one(o->store, o->id, mid, (ulFlags & DELETE_HARD_DELETE) != 0, &removed);
        partial |= !removed;
    }
    if (hr == S_OK && partial)
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION, "DeleteMessages: some entries are not "
                            "among this search folder's results, or are submitted");
    return hr;
}
