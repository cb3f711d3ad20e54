/*
 * store/namedprops.c - a store's named-property map: names to IDs
 * 0x8000..0xFFFE and back, kept in the named_props table (see namedprops.h).
 *
 * Rows are never deleted or changed, so a mapping read from a committed row
 * is true for the life of the store and can be cached without invalidation.
 * What can change is absence: another process may add a name at any moment,
 * so only found mappings are cached and every miss goes to the database.
 * Mappings seen inside a caller's open transaction are not cached, because
 * that transaction may still be rolled back.
 *
 * Creating a name is lookup-then-insert inside one write transaction
 * (BEGIN IMMEDIATE): the unique index on (guid, kind, lid, name) cannot
 * stop duplicates by itself, because one of lid/name is always NULL and
 * SQLite treats NULLs as distinct in unique indexes.
 *
 * String names compare exactly (case-sensitively, code unit for code unit
 * after conversion to UTF-8). The MAPI reference for GetIDsFromNames and
 * MAPINAMEID describes a name as a GUID plus a Unicode string and promises
 * no case folding; comparing exactly never merges two names a client keeps
 * apart.
 *
 * GUIDs are stored as their 16-byte little-endian wire form ([MS-OXCDATA]),
 * independent of host byte order.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "store/namedprops.h"

#define NAME_BUCKETS 1024u
#define ID_BUCKETS 1024u
/* Short names are converted to UTF-8 on the stack. */
#define KEY_INLINE 512u

typedef struct cache_entry {
    struct cache_entry *next_by_name;
    struct cache_entry *next_by_id;
    uint32_t hash;
    ULONG id;
    BYTE guid[16];
    ULONG kind;
    LONG lid;
    size_t name_len; /* UTF-8 bytes (MNID_STRING) */
    char name[];     /* NUL-terminated */
} cache_entry;

struct fm_namedprops {
    fm_db *db;
    pthread_mutex_t lock; /* guards the cache; database work runs outside it */
    size_t count;
    size_t evict_next; /* slots are replaced oldest first once the cache is full */
    cache_entry *slots[FM_NAMEDPROPS_CACHE_MAX];
    cache_entry *by_name[NAME_BUCKETS];
    cache_entry *by_id[ID_BUCKETS];
};

/* A name in the form the table stores it. */
typedef struct name_key {
    BYTE guid[16];
    ULONG kind;
    LONG lid;
    const char *name; /* UTF-8, NUL-terminated (MNID_STRING) */
    size_t name_len;
    uint32_t hash;
    char *heap; /* fm_malloc'd conversion buffer, or NULL */
    char inline_buf[KEY_INLINE];
} name_key;

/* The columns of one named_props row, borrowed from a statement or entry. */
typedef struct name_row {
    const BYTE *guid;
    ULONG kind;
    LONG lid;
    const char *name;
    size_t name_len;
} name_row;

/* ---- GUIDs and hashing --------------------------------------------------- */

static void guid_to_bytes(const GUID *g, BYTE *b)
{
    for (int i = 0; i < 4; i++)
        b[i] = (BYTE)(g->Data1 >> (8 * i));
    b[4] = (BYTE)g->Data2;
    b[5] = (BYTE)(g->Data2 >> 8);
    b[6] = (BYTE)g->Data3;
    b[7] = (BYTE)(g->Data3 >> 8);
    memcpy(b + 8, g->Data4, 8);
}

static void guid_from_bytes(const BYTE *b, GUID *g)
{
    g->Data1 = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
               (uint32_t)b[3] << 24;
    g->Data2 = (uint16_t)(b[4] | b[5] << 8);
    g->Data3 = (uint16_t)(b[6] | b[7] << 8);
    memcpy(g->Data4, b + 8, 8);
}

static uint32_t fnv1a(uint32_t h, const void *data, size_t n)
{
    const BYTE *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint32_t hash_row(const name_row *r)
{
    uint32_t h = fnv1a(2166136261u, r->guid, 16);
    BYTE k = (BYTE)r->kind;
    h = fnv1a(h, &k, 1);
    if (r->kind == MNID_ID) {
        BYTE lid[4] = { (BYTE)r->lid, (BYTE)((ULONG)r->lid >> 8), (BYTE)((ULONG)r->lid >> 16),
                        (BYTE)((ULONG)r->lid >> 24) };
        return fnv1a(h, lid, 4);
    }
    return fnv1a(h, r->name, r->name_len);
}

static name_row key_row(const name_key *k)
{
    name_row r = { k->guid, k->kind, k->lid, k->name, k->name_len };
    return r;
}

static int row_equal(const name_row *a, const name_row *b)
{
    if (a->kind != b->kind || memcmp(a->guid, b->guid, 16) != 0)
        return 0;
    if (a->kind == MNID_ID)
        return a->lid == b->lid;
    return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

/* ---- the cache --------------------------------------------------------------- */

static cache_entry *entry_new(ULONG id, const name_row *r, uint32_t hash)
{
    size_t len = r->kind == MNID_STRING ? r->name_len : 0;
    cache_entry *e = fm_malloc(sizeof *e + len + 1);
    if (e == NULL)
        return NULL;
    e->next_by_name = e->next_by_id = NULL;
    e->hash = hash;
    e->id = id;
    memcpy(e->guid, r->guid, 16);
    e->kind = r->kind;
    e->lid = r->kind == MNID_ID ? r->lid : 0;
    e->name_len = len;
    if (len > 0)
        memcpy(e->name, r->name, len);
    e->name[len] = '\0';
    return e;
}

static name_row entry_row(const cache_entry *e)
{
    name_row r = { e->guid, e->kind, e->lid, e->name, e->name_len };
    return r;
}

static void unlink_entry(fm_namedprops *np, cache_entry *e)
{
    cache_entry **p = &np->by_name[e->hash % NAME_BUCKETS];
    while (*p != e)
        p = &(*p)->next_by_name;
    *p = e->next_by_name;
    p = &np->by_id[e->id % ID_BUCKETS];
    while (*p != e)
        p = &(*p)->next_by_id;
    *p = e->next_by_id;
}

static cache_entry *find_by_id(fm_namedprops *np, ULONG id)
{
    for (cache_entry *e = np->by_id[id % ID_BUCKETS]; e != NULL; e = e->next_by_id)
        if (e->id == id)
            return e;
    return NULL;
}

/* Caching is an optimisation: when memory is short the mapping is simply
 * not remembered. A full cache replaces its oldest entry. */
static void cache_add(fm_namedprops *np, ULONG id, const name_row *r)
{
    uint32_t hash = hash_row(r);
    cache_entry *e = entry_new(id, r, hash);
    if (e == NULL)
        return;
    pthread_mutex_lock(&np->lock);
    if (find_by_id(np, id) != NULL) { /* another thread got there first */
        pthread_mutex_unlock(&np->lock);
        fm_free(e);
        return;
    }
    size_t slot;
    if (np->count < FM_NAMEDPROPS_CACHE_MAX) {
        slot = np->count++;
    } else {
        slot = np->evict_next;
        np->evict_next = (slot + 1) % FM_NAMEDPROPS_CACHE_MAX;
        unlink_entry(np, np->slots[slot]);
        fm_free(np->slots[slot]);
    }
    np->slots[slot] = e;
    e->next_by_name = np->by_name[hash % NAME_BUCKETS];
    np->by_name[hash % NAME_BUCKETS] = e;
    e->next_by_id = np->by_id[id % ID_BUCKETS];
    np->by_id[id % ID_BUCKETS] = e;
    pthread_mutex_unlock(&np->lock);
}

static int cache_id_of(fm_namedprops *np, const name_key *k, ULONG *id)
{
    name_row want = key_row(k);
    int found = 0;
    pthread_mutex_lock(&np->lock);
    for (cache_entry *e = np->by_name[k->hash % NAME_BUCKETS]; e != NULL;
         e = e->next_by_name) {
        name_row have = entry_row(e);
        if (e->hash == k->hash && row_equal(&have, &want)) {
            *id = e->id;
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&np->lock);
    return found;
}

/* ---- the object ------------------------------------------------------------------ */

HRESULT fm_namedprops_new(fm_db *db, fm_namedprops **out)
{
    if (out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_namedprops_new: out is NULL");
    *out = NULL;
    if (db == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_namedprops_new: no store database");
    fm_namedprops *np = fm_calloc(1, sizeof *np);
    if (np == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a named-property map");
    if (pthread_mutex_init(&np->lock, NULL) != 0) {
        fm_free(np);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "cannot create a named-property lock");
    }
    np->db = db;
    *out = np;
    return S_OK;
}

void fm_namedprops_free(fm_namedprops *np)
{
    if (np == NULL)
        return;
    for (size_t i = 0; i < np->count; i++)
        fm_free(np->slots[i]);
    pthread_mutex_destroy(&np->lock);
    fm_free(np);
}

/* ---- names in, keys out ------------------------------------------------------------ */

static int is_ps_mapi(const GUID *g)
{
    return IsEqualGUID(g, &PS_MAPI);
}

static void key_release(name_key *k)
{
    fm_free(k->heap);
    k->heap = NULL;
}

/* Checks a caller's name and converts it to the stored form. */
static HRESULT key_from_name(const MAPINAMEID *name, name_key *k)
{
    k->heap = NULL;
    if (name == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "named property: the name is NULL");
    if (name->lpguid == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "named property: lpguid is NULL");
    guid_to_bytes(name->lpguid, k->guid);
    k->kind = name->ulKind;
    k->lid = 0;
    k->name = NULL;
    k->name_len = 0;
    if (name->ulKind == MNID_ID) {
        k->lid = name->Kind.lID;
    } else if (name->ulKind == MNID_STRING) {
        const WCHAR *s = name->Kind.lpwstrName;
        if (s == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER, "named property: string name is NULL");
        size_t n = fm_utf16_len(s);
        if (!fm_utf16_valid(s, n))
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "named property: string name is not valid UTF-16");
        char *buf = k->inline_buf;
        if (3 * n + 1 > KEY_INLINE) {
            buf = k->heap = fm_malloc(3 * n + 1);
            if (buf == NULL)
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY,
                                    "out of memory converting a named-property name");
        }
        k->name_len = fm_utf16_to_utf8_into(s, n, buf);
        k->name = buf;
    } else {
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "named property: unknown ulKind %lu",
                            (unsigned long)name->ulKind);
    }
    name_row r = key_row(k);
    k->hash = hash_row(&r);
    return S_OK;
}

/* PS_MAPI names are the ordinary property IDs 0x0001..0x7FFF: documented as
 * mapping to the ID they name, never stored. String names cannot be in it. */
static HRESULT ps_mapi_id(const MAPINAMEID *name, ULONG *id)
{
    if (name->ulKind == MNID_STRING)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "named property: PS_MAPI has no string names");
    if (name->ulKind != MNID_ID)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "named property: unknown ulKind %lu",
                            (unsigned long)name->ulKind);
    LONG lid = name->Kind.lID;
    if (lid < 1 || lid >= FM_NAMEDPROP_ID_MIN)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "named property: PS_MAPI id 0x%lX is not a property ID "
                            "in 0x0001..0x7FFF", (unsigned long)(ULONG)lid);
    *id = (ULONG)lid;
    return S_OK;
}

static HRESULT not_found_name(const name_key *k)
{
    if (k->kind == MNID_ID)
        return fm_error_set(MAPI_E_NOT_FOUND, "no named property with id 0x%lX in that set",
                            (unsigned long)(ULONG)k->lid);
    return fm_error_set(MAPI_E_NOT_FOUND, "no named property \"%.120s\" in that set", k->name);
}

/* ---- the table ------------------------------------------------------------------------- */

static int bind_key(sqlite3_stmt *st, const name_key *k)
{
    int rc = sqlite3_bind_blob(st, 1, k->guid, 16, SQLITE_STATIC);
    if (rc == SQLITE_OK && k->kind == MNID_ID)
        rc = sqlite3_bind_int64(st, 2, k->lid);
    else if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, k->name, (int)k->name_len, SQLITE_STATIC);
    return rc;
}

/* S_OK with *id when the name is in the table, S_FALSE when not. The
 * "IS NULL" terms let SQLite use all four columns of the index; without
 * them a string lookup scans every name of the property set. */
static HRESULT select_id(fm_db *db, const name_key *k, ULONG *id)
{
    static const char *const sql[2] = {
        "SELECT id FROM named_props WHERE guid = ?1 AND kind = 0 AND lid = ?2"
        " AND name IS NULL",
        "SELECT id FROM named_props WHERE guid = ?1 AND kind = 1 AND lid IS NULL"
        " AND name = ?2",
    };
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db, sql[k->kind], &st);
    if (hr != S_OK)
        return hr;
    int rc = bind_key(st, k);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = (ULONG)sqlite3_column_int64(st, 0);
        hr = S_OK;
    } else if (rc == SQLITE_DONE) {
        hr = S_FALSE;
    } else {
        hr = fm_db_error(db, rc, "looking up a named property");
    }
    fm_db_finish(st);
    return hr;
}

#define WHAT_ID "choosing a named-property ID"

/* The next ID: MAX(id)+1 while that fits (IDs are never freed, so this is
 * the lowest free one in practice), else the lowest gap. */
static HRESULT next_free_id(fm_db *db, ULONG *id)
{
    int64_t v;
    HRESULT hr =
        fm_db_select_int(db, "SELECT MAX(id) FROM named_props", FM_DB_NO_INTS, -1, &v, WHAT_ID);
    if (hr != S_OK)
        return hr;
    if (v < 0) {
        *id = FM_NAMEDPROP_ID_MIN;
        return S_OK;
    }
    if (v < FM_NAMEDPROP_ID_MAX) {
        *id = (ULONG)v + 1;
        return S_OK;
    }
    hr = fm_db_select_int(db,
                          "SELECT MIN(x) FROM ("
                          " SELECT 32768 AS x WHERE NOT EXISTS"
                          "  (SELECT 1 FROM named_props WHERE id = 32768)"
                          " UNION ALL SELECT id + 1 FROM named_props"
                          "  WHERE id < 65534 AND id + 1 NOT IN (SELECT id FROM named_props))",
                          FM_DB_NO_INTS, -1, &v, WHAT_ID);
    if (hr != S_OK)
        return hr;
    if (v < 0)
        return fm_error_set(MAPI_E_NOT_ENOUGH_RESOURCES,
                            "all 32,767 named-property IDs of the store are in use");
    *id = (ULONG)v;
    return S_OK;
}

static HRESULT insert_name(fm_db *db, const name_key *k, ULONG id)
{
    sqlite3_stmt *st;
    const char *sql = k->kind == MNID_ID
                          ? "INSERT INTO named_props (guid, lid, name, kind, id)"
                            " VALUES (?1, ?2, NULL, 0, ?3)"
                          : "INSERT INTO named_props (guid, name, lid, kind, id)"
                            " VALUES (?1, ?2, NULL, 1, ?3)";
    HRESULT hr = fm_db_prepare(db, sql, &st);
    if (hr != S_OK)
        return hr;
    int rc = bind_key(st, k);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    hr = rc == SQLITE_DONE ? S_OK : fm_db_error(db, rc, "adding a named property");
    fm_db_finish(st);
    return hr;
}

/* Lookup-then-insert in one write transaction, so that two connections
 * creating the same name serialize and the second finds the first's row. */
static HRESULT create_id(fm_db *db, const name_key *k, ULONG *id)
{
    unsigned outer = db->txn_depth;
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK)
        return hr;
    hr = select_id(db, k, id);
    if (hr == S_FALSE) {
        hr = next_free_id(db, id);
        if (hr == S_OK)
            hr = insert_name(db, k, *id);
    }
    if (hr == S_OK)
        return fm_db_commit(db);
    /* The failed statement was undone by SQLite; inside a caller's
     * transaction, leave the decision about the rest to the caller. */
    if (outer == 0)
        fm_db_rollback(db);
    else
        fm_db_commit(db);
    return hr;
}

HRESULT fm_namedprops_id_of(fm_namedprops *np, const MAPINAMEID *name, int create, ULONG *lpulId)
{
    if (np == NULL || lpulId == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_namedprops_id_of: NULL argument");
    if (name != NULL && name->lpguid != NULL && is_ps_mapi(name->lpguid))
        return ps_mapi_id(name, lpulId);
    name_key k;
    HRESULT hr = key_from_name(name, &k);
    if (hr != S_OK) {
        key_release(&k);
        return hr;
    }
    ULONG id;
    /* Only mappings from committed rows may be cached (see the top). */
    int cacheable = np->db->txn_depth == 0;
    if (cache_id_of(np, &k, &id)) {
        hr = S_OK;
    } else {
        hr = select_id(np->db, &k, &id);
        if (hr == S_FALSE)
            hr = create ? create_id(np->db, &k, &id) : not_found_name(&k);
        if (hr == S_OK && cacheable) {
            name_row r = key_row(&k);
            cache_add(np, id, &r);
        }
    }
    if (hr == S_OK)
        *lpulId = id;
    key_release(&k);
    return hr;
}

/* ---- IDs to names ------------------------------------------------------------------------ */

/* One MAPI block: the MAPINAMEID, then its GUID, then its UTF-16 string. */
static HRESULT build_name(const name_row *r, void *parent, LPMAPINAMEID *out)
{
    size_t guid_at = (sizeof(MAPINAMEID) + 7) & ~(size_t)7;
    size_t str_at = guid_at + sizeof(GUID);
    size_t units = r->kind == MNID_STRING ? r->name_len + 1 : 0;
    void *p;
    if (fm_alloc_mapi(str_at + units * sizeof(WCHAR), parent, &p) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a property name");
    LPMAPINAMEID n = p;
    n->lpguid = (LPGUID)((BYTE *)p + guid_at);
    guid_from_bytes(r->guid, n->lpguid);
    n->ulKind = r->kind;
    if (r->kind == MNID_ID) {
        n->Kind.lID = r->lid;
    } else {
        n->Kind.lpwstrName = (LPWSTR)((BYTE *)p + str_at);
        fm_utf8_to_utf16_into(r->name, r->name_len, n->Kind.lpwstrName, units);
    }
    *out = n;
    return S_OK;
}

static HRESULT name_from_cache(fm_namedprops *np, ULONG id, void *parent, LPMAPINAMEID *out,
                               int *found)
{
    HRESULT hr = S_OK;
    pthread_mutex_lock(&np->lock);
    cache_entry *e = find_by_id(np, id);
    *found = e != NULL;
    if (e != NULL) {
        name_row r = entry_row(e);
        hr = build_name(&r, parent, out);
    }
    pthread_mutex_unlock(&np->lock);
    return hr;
}

static HRESULT corrupt_row(fm_db *db, ULONG id)
{
    return fm_error_set(MAPI_E_CORRUPT_STORE, "named property 0x%04lX has a damaged row (%s)",
                        (unsigned long)id, db->path);
}

/* Reads the row of id into r (columns borrowed from st). S_FALSE: none. */
static HRESULT read_row(fm_db *db, sqlite3_stmt *st, ULONG id, name_row *r)
{
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return S_FALSE;
    if (rc != SQLITE_ROW)
        return fm_db_error(db, rc, "reading a named property");
    r->guid = sqlite3_column_blob(st, 0);
    if (r->guid == NULL && sqlite3_errcode(db->conn) == SQLITE_NOMEM)
        return fm_db_error(db, SQLITE_NOMEM, "reading a named property");
    if (r->guid == NULL || sqlite3_column_bytes(st, 0) != 16)
        return corrupt_row(db, id);
    r->kind = (ULONG)sqlite3_column_int64(st, 1);
    r->lid = (LONG)sqlite3_column_int64(st, 2);
    r->name = NULL;
    r->name_len = 0;
    if (r->kind == MNID_STRING) {
        r->name = (const char *)sqlite3_column_text(st, 3);
        if (r->name == NULL && sqlite3_errcode(db->conn) == SQLITE_NOMEM)
            return fm_db_error(db, SQLITE_NOMEM, "reading a named property");
        if (r->name == NULL)
            return corrupt_row(db, id);
        r->name_len = (size_t)sqlite3_column_bytes(st, 3);
    } else if (r->kind != MNID_ID) {
        return corrupt_row(db, id);
    }
    return S_OK;
}

static HRESULT name_from_db(fm_namedprops *np, ULONG id, void *parent, LPMAPINAMEID *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(np->db,
                               "SELECT guid, kind, lid, name FROM named_props WHERE id = ?1", &st);
    if (hr != S_OK)
        return hr;
    name_row r;
    hr = read_row(np->db, st, id, &r);
    if (hr == S_FALSE)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "named-property ID 0x%04lX is not assigned",
                          (unsigned long)id);
    if (hr == S_OK)
        hr = build_name(&r, parent, out);
    if (hr == S_OK && np->db->txn_depth == 0)
        cache_add(np, id, &r);
    fm_db_finish(st);
    return hr;
}

HRESULT fm_namedprops_name_of(fm_namedprops *np, ULONG id, void *parent, LPMAPINAMEID *out)
{
    if (np == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_namedprops_name_of: NULL argument");
    *out = NULL;
    if (id == PROP_ID_NULL || id > FM_NAMEDPROP_ID_MAX)
        return fm_error_set(MAPI_E_NOT_FOUND, "property ID 0x%lX has no name",
                            (unsigned long)id);
    if (id < FM_NAMEDPROP_ID_MIN) {
        name_row r = { NULL, MNID_ID, (LONG)id, NULL, 0 };
        BYTE guid[16];
        guid_to_bytes(&PS_MAPI, guid);
        r.guid = guid;
        return build_name(&r, parent, out);
    }
    int found;
    HRESULT hr = name_from_cache(np, id, parent, out, &found);
    if (found || hr != S_OK)
        return hr;
    return name_from_db(np, id, parent, out);
}

/* ---- every name ------------------------------------------------------------------------------ */

/* Collects the IDs first, so that fn may use the store (even this map). */
static HRESULT collect_ids(fm_db *db, const GUID *guid, ULONG **ids, size_t *n)
{
    BYTE g[16];
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(db,
                               guid != NULL
                                   ? "SELECT id FROM named_props WHERE guid = ?1 ORDER BY id"
                                   : "SELECT id FROM named_props ORDER BY id",
                               &st);
    if (hr != S_OK)
        return hr;
    int rc = SQLITE_OK;
    if (guid != NULL) {
        guid_to_bytes(guid, g);
        rc = sqlite3_bind_blob(st, 1, g, 16, SQLITE_STATIC);
    }
    size_t cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            ULONG *grown = fm_realloc(*ids, ncap * sizeof **ids);
            if (grown == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing names");
                break;
            }
            *ids = grown;
            cap = ncap;
        }
        (*ids)[(*n)++] = (ULONG)sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(db, rc, "listing named properties");
    fm_db_finish(st);
    return hr;
}

HRESULT fm_namedprops_foreach(fm_namedprops *np, const GUID *guid,
                              HRESULT (*fn)(void *ctx, ULONG id), void *ctx)
{
    if (np == NULL || fn == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_namedprops_foreach: NULL argument");
    ULONG *ids = NULL;
    size_t n = 0;
    HRESULT hr = collect_ids(np->db, guid, &ids, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        HRESULT r = fn(ctx, ids[i]);
        if (FAILED(r))
            hr = r;
    }
    fm_free(ids);
    return hr;
}
