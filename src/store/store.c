/*
 * store/store.c - opening a store file, and creating a new one with its UID
 * and the standard folder tree.
 *
 * The folder tree a new store gets is the one Outlook and Exchange clients
 * look for: a root holding the IPM subtree ("Top of Information Store") and
 * the search root ("Finder"); under the IPM subtree the Inbox, Outbox, Sent
 * Items, Deleted Items, Drafts, Calendar, Contacts, Journal, Notes, Tasks
 * and Junk E-mail, each with the container class clients use to recognize
 * it. The store remembers which folder plays which role in store_meta, so
 * renaming a folder never loses its role.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "store/folder_acl.h"
#include "store/message_tree.h"
#include "store/propblob.h"
#include "store/schema.h"
#include "store/search_folder.h"
#include "store/store.h"
#include "store/store_notify.h"
#include "store/stream.h"

typedef struct std_folder_def {
    fm_std_folder role;
    fm_std_folder parent;
    const char *name;
    const char *container_class; /* NULL: none */
    ULONG folder_type;
} std_folder_def;

/* In creation order: a parent always comes before its children. */
static const std_folder_def STD_FOLDERS[FM_FOLDER_COUNT] = {
    { FM_FOLDER_ROOT, FM_FOLDER_ROOT, "Root", NULL, FOLDER_ROOT },
    { FM_FOLDER_IPM_SUBTREE, FM_FOLDER_ROOT, "Top of Information Store", NULL, FOLDER_GENERIC },
    { FM_FOLDER_SEARCH_ROOT, FM_FOLDER_ROOT, "Finder", NULL, FOLDER_GENERIC },
    { FM_FOLDER_INBOX, FM_FOLDER_IPM_SUBTREE, "Inbox", "IPF.Note", FOLDER_GENERIC },
    { FM_FOLDER_OUTBOX, FM_FOLDER_IPM_SUBTREE, "Outbox", "IPF.Note", FOLDER_GENERIC },
    { FM_FOLDER_SENT, FM_FOLDER_IPM_SUBTREE, "Sent Items", "IPF.Note", FOLDER_GENERIC },
    { FM_FOLDER_DELETED, FM_FOLDER_IPM_SUBTREE, "Deleted Items", "IPF.Note", FOLDER_GENERIC },
    { FM_FOLDER_DRAFTS, FM_FOLDER_IPM_SUBTREE, "Drafts", "IPF.Note", FOLDER_GENERIC },
    { FM_FOLDER_CALENDAR, FM_FOLDER_IPM_SUBTREE, "Calendar", "IPF.Appointment", FOLDER_GENERIC },
    { FM_FOLDER_CONTACTS, FM_FOLDER_IPM_SUBTREE, "Contacts", "IPF.Contact", FOLDER_GENERIC },
    { FM_FOLDER_JOURNAL, FM_FOLDER_IPM_SUBTREE, "Journal", "IPF.Journal", FOLDER_GENERIC },
    { FM_FOLDER_NOTES, FM_FOLDER_IPM_SUBTREE, "Notes", "IPF.StickyNote", FOLDER_GENERIC },
    { FM_FOLDER_TASKS, FM_FOLDER_IPM_SUBTREE, "Tasks", "IPF.Task", FOLDER_GENERIC },
    { FM_FOLDER_JUNK, FM_FOLDER_IPM_SUBTREE, "Junk E-mail", "IPF.Note", FOLDER_GENERIC },
};

int64_t fm_store_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* 1601-01-01 to 1970-01-01 is 11644473600 s. */
    return ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
}

void fm_store_lock(fm_store *s)
{
    pthread_mutex_lock(&s->lock);
}

void fm_store_unlock(fm_store *s)
{
    pthread_mutex_unlock(&s->lock);
}

int fm_store_std_role(const fm_store *s, int64_t fid)
{
    for (int i = 0; i < FM_FOLDER_COUNT; i++) {
        if (s->std_fid[i] == fid)
            return i;
    }
    return -1;
}

/* ---- store_meta ------------------------------------------------------------- */

static HRESULT meta_put(fm_db *db, const char *key, const void *value, int len)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "INSERT OR REPLACE INTO store_meta VALUES (?1, ?2)", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, "writing the store's records");
}

/* Reads key into buf (exactly len bytes expected). MAPI_E_NOT_FOUND when absent. */
static HRESULT meta_get(fm_db *db, const char *key, void *buf, int len)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, "SELECT value FROM store_meta WHERE key = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == len)
            memcpy(buf, sqlite3_column_blob(st, 0), (size_t)len);
        else
            hr = fm_error_set(MAPI_E_CORRUPT_STORE, "store record '%s' has the wrong size", key);
    } else if (rc == SQLITE_DONE) {
        hr = MAPI_E_NOT_FOUND;
    } else {
        hr = fm_db_error(db, rc, "reading the store's records");
    }
    fm_db_finish(st);
    return hr;
}

/* ---- creating a store --------------------------------------------------------- */

static HRESULT insert_folder(fm_db *db, int64_t parent, const std_folder_def *d, int64_t now,
                             int64_t *fid)
{
    SPropValue props[1];
    ULONG n = 0;
    if (d->container_class != NULL) {
        props[n].ulPropTag = PR_CONTAINER_CLASS_A;
        props[n++].Value.lpszA = (LPSTR)d->container_class;
    }
    void *blob = NULL;
    size_t len = 0;
    HRESULT hr = n ? fm_propblob_encode(n, props, &blob, &len) : S_OK;
    if (hr != S_OK)
        return hr;
    sqlite3_stmt *st;
    hr = fm_db_prepare(db, "INSERT INTO folders (parent_fid, display_name, folder_type, created, "
                           "modified, props) VALUES (?1, ?2, ?3, ?4, ?4, ?5)", &st);
    if (hr == S_OK) {
        if (parent)
            sqlite3_bind_int64(st, 1, parent);
        sqlite3_bind_text(st, 2, d->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)d->folder_type);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_blob(st, 5, blob ? blob : "", (int)len, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        hr = rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, "creating a standard folder");
        *fid = sqlite3_last_insert_rowid(db->conn);
        fm_db_finish(st);
    }
    fm_free(blob);
    return hr;
}

static HRESULT create_layout(fm_store *s)
{
    if (getrandom(s->uid.ab, sizeof s->uid.ab, 0) != (ssize_t)sizeof s->uid.ab)
        return fm_error_set(MAPI_E_CALL_FAILED, "cannot read random bytes for the store's UID");
    HRESULT hr = fm_db_begin(s->db);
    if (hr != S_OK)
        return hr;
    /* Another process may have laid the store out since we looked. */
    MAPIUID other = { { 0 } };
    hr = meta_get(s->db, "uid", other.ab, (int)sizeof other.ab);
    if (hr != MAPI_E_NOT_FOUND) {
        fm_db_rollback(s->db);
        if (hr != S_OK)
            return hr;
        s->uid = other;
        return meta_get(s->db, "std_folders", s->std_fid, (int)sizeof s->std_fid);
    }
    int64_t now = fm_store_now();
    hr = meta_put(s->db, "uid", s->uid.ab, (int)sizeof s->uid.ab);
    if (hr == S_OK)
        hr = meta_put(s->db, "created", &now, (int)sizeof now);
    for (int i = 0; hr == S_OK && i < FM_FOLDER_COUNT; i++) {
        const std_folder_def *d = &STD_FOLDERS[i];
        int64_t parent = d->role == FM_FOLDER_ROOT ? 0 : s->std_fid[d->parent];
        hr = insert_folder(s->db, parent, d, now, &s->std_fid[d->role]);
    }
    if (hr == S_OK)
        hr = meta_put(s->db, "std_folders", s->std_fid, (int)sizeof s->std_fid);
    if (hr == S_OK)
        return fm_db_commit(s->db);
    fm_db_rollback(s->db);
    return hr;
}

/* ---- open ------------------------------------------------------------------- */

static HRESULT load_layout(fm_store *s, unsigned flags)
{
    HRESULT hr = meta_get(s->db, "uid", s->uid.ab, (int)sizeof s->uid.ab);
    if (hr == MAPI_E_NOT_FOUND && !(flags & FM_DB_READONLY))
        return create_layout(s); /* a new file: fm_db_open made only the tables */
    if (hr == MAPI_E_NOT_FOUND)
        return fm_error_set(MAPI_E_CORRUPT_STORE, "the store has no UID record");
    if (hr == S_OK)
        hr = meta_get(s->db, "std_folders", s->std_fid, (int)sizeof s->std_fid);
    if (hr == MAPI_E_NOT_FOUND)
        hr = fm_error_set(MAPI_E_CORRUPT_STORE, "the store has no standard-folder record");
    return hr;
}

HRESULT fm_store_open(const char *path, unsigned flags, fm_store **out)
{
    *out = NULL;
    fm_store *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a store");
    atomic_init(&s->refs, 1);
    pthread_mutex_init(&s->lock, NULL);
    s->readonly = (flags & FM_DB_READONLY) != 0;
    HRESULT hr = fm_db_open(path, flags, &FM_STORE_SCHEMA, &s->db);
    if (hr == S_OK)
        hr = load_layout(s, flags);
    if (hr == S_OK)
        hr = fm_store_notify_open(s, path); /* after the layout: it needs the UID */
    if (hr == S_OK)
        hr = fm_namedprops_new(s->db, &s->names);
    if (hr == S_OK && !s->readonly)
        hr = fm_message_collect_garbage(s->db);
    if (hr == S_OK && !s->readonly)
        hr = fm_stream_collect_garbage(s->db);
    /* Searches a crash left half-stopped are frozen now; a failure leaves
     * them running and consistent, still showing SEARCH_REBUILD, for a
     * later open or SetSearchCriteria to finish (search_folder.h). */
    if (hr == S_OK && !s->readonly)
        (void)fm_search_finish_pending(s);
    if (hr != S_OK) {
        fm_store_notify_abandon(s);
        fm_store_release(s);
        return hr;
    }
    *out = s;
    return S_OK;
}

void fm_store_addref(fm_store *s)
{
    atomic_fetch_add(&s->refs, 1);
}

void fm_store_release(fm_store *s)
{
    if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    fm_store_set_transport(s, NULL, NULL);
    fm_store_set_guard(s, NULL, NULL);
    fm_store_set_principal(s, 0, false, NULL, NULL); /* folder_acl.c */
    fm_namedprops_free(s->names);
    fm_store_notify_close(s);
    fm_db_close(s->db);
    pthread_mutex_destroy(&s->lock);
    fm_free(s);
}
