/*
 * store/contents_table.c - a folder's contents table: the table source that
 * reads the messages table with SQL (see table/table.h for the interface).
 *
 * Scale is the point: a folder may hold a million messages. So:
 *   - rows are ordered by SQL when an index gives the order (no sort: by
 *     message id; PR_MESSAGE_DELIVERY_TIME either way: the partial index
 *     messages_by_delivery), and the table loads only the pages it reaches,
 *     continuing each time after the last row it has (keyset paging, so
 *     page 20,000 costs what page 1 does). Rows without a delivery time
 *     come after all others, in both directions, as SSortOrder documents;
 *   - a restriction that names only properties the messages table keeps in
 *     columns (subject, sender name, message class, delivery time, size,
 *     flags, status, creation and modification times, has-attachments) is
 *     pushed down: SQLite calls the restriction engine (fm_match) on the
 *     columns, without decoding a property blob or opening a message;
 *   - anything else (other properties, RES_SUBRESTRICTION, RES_COUNT) is
 *     evaluated on the message as IMessage::GetProps returns it, with its
 *     recipients and attachments;
 *   - the columns QueryRows returns come from IMessage::GetProps too, for
 *     the rows of the page only, so a table shows exactly what opening the
 *     message shows.
 * A search folder's table (search_folder.h) is this source with another
 * scope (the live messages of the searched folders, found by a recursive
 * query, or a stopped search's frozen results) and the search's criteria as
 * a second restriction, pushed down or evaluated on the message the same
 * way; it watches the whole store, since its rows come from anywhere.
 * Both paths run the same restriction engine on the same values, so they
 * agree; tests/store/test_contents_pushdown.c checks that on random
 * restrictions with pushdown switched off (FREEMAPI_NO_PUSHDOWN=1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "restrict/restrict.h"
#include "store/bulk_soft_rows.h"
#include "store/contents_table.h"
#include "store/entryid.h"
#include "store/folder_acl.h"
#include "store/message.h"
#include "store/recipients.h"
#include "store/search_folder.h"
#include "store/store_notify.h"
#include "store/values.h"

typedef struct contents_source {
    fm_table_source base;
    fm_store *store;
    int64_t fid;
    bool assoc;
    bool soft; /* SHOW_SOFT_DELETES: the soft-deleted messages, not the live ones */
    /* A search folder's contents (search_folder.h): the messages of its
     * scope that match its criteria, or the frozen results of a stopped
     * search, read again whenever the store's generation moves. */
    bool search;
    int64_t only_mid; /* > 0: that message alone (fm_contents_search_has) */
    bool have_def;
    uint64_t def_gen;
    fm_search_def def;
} contents_source;

/* ---- the columns SQL reads ---------------------------------------------------- */

#define HAS_ATTACH_SQL "EXISTS (SELECT 1 FROM attachments a WHERE a.mid = m.mid)"
/* The hot columns as the message reports them (flags with HASATTACH and
 * ASSOCIATED), in HOT_TAGS order; HOT_SELECT adds the id in front. */
#define HOT_ARGS                                                                                   \
    "m.delivery_time, m.subject, m.sender_name, m.message_class, m.size,"                          \
    " m.flags | (CASE WHEN " HAS_ATTACH_SQL " THEN 16 ELSE 0 END) | (m.assoc * 64),"               \
    " m.status, m.created, m.modified, " HAS_ATTACH_SQL
#define HOT_SELECT "m.mid, " HOT_ARGS
#define NHOT 10 /* columns after mid, in HOT_SELECT order */

static const ULONG HOT_TAGS[NHOT] = {
    PR_MESSAGE_DELIVERY_TIME,  PR_SUBJECT_A,     PR_SENDER_NAME_A, PR_MESSAGE_CLASS_A,
    PR_MESSAGE_SIZE,           PR_MESSAGE_FLAGS, PR_MSG_STATUS,    PR_CREATION_TIME,
    PR_LAST_MODIFICATION_TIME, PR_HASATTACH,
};

static bool hot_id(ULONG tag)
{
    for (int i = 0; i < NHOT; i++)
        if (PROP_ID(HOT_TAGS[i]) == PROP_ID(tag))
            return true;
    return false;
}

static void put_time(SPropValue *v, ULONG tag, int64_t t)
{
    v->ulPropTag = tag;
    v->Value.ft.dwLowDateTime = (DWORD)((uint64_t)t & 0xFFFFFFFFu);
    v->Value.ft.dwHighDateTime = (DWORD)((uint64_t)t >> 32);
}

/* The message's values of the hot columns, from SQL values vals[0..NHOT)
 * (sqlite3_value or a statement's columns through get). Strings point into
 * SQLite's memory: valid until the next step. */
typedef struct hot_reader {
    sqlite3_stmt *st; /* read columns first..first+NHOT */
    int first;
    sqlite3_value **args;
} hot_reader;

static int hot_type(const hot_reader *r, int i)
{
    return r->st ? sqlite3_column_type(r->st, r->first + i) : sqlite3_value_type(r->args[i]);
}

static int64_t hot_int(const hot_reader *r, int i)
{
    return r->st ? sqlite3_column_int64(r->st, r->first + i) : sqlite3_value_int64(r->args[i]);
}

static const char *hot_text(const hot_reader *r, int i)
{
    return (const char *)(r->st ? sqlite3_column_text(r->st, r->first + i)
                                : sqlite3_value_text(r->args[i]));
}

static ULONG hot_props(const hot_reader *r, SPropValue out[NHOT])
{
    ULONG n = 0;
    for (int i = 0; i < NHOT; i++) {
        if (hot_type(r, i) == SQLITE_NULL)
            continue;
        SPropValue *v = &out[n];
        memset(v, 0, sizeof *v);
        ULONG tag = HOT_TAGS[i];
        switch (PROP_TYPE(tag)) {
        case PT_SYSTIME:
            put_time(v, tag, hot_int(r, i));
            break;
        case PT_STRING8:
            v->ulPropTag = tag;
            v->Value.lpszA = (LPSTR)hot_text(r, i);
            if (v->Value.lpszA == NULL)
                continue;
            break;
        case PT_BOOLEAN:
            v->ulPropTag = tag;
            v->Value.b = hot_int(r, i) != 0;
            break;
        default: {
            int64_t x = hot_int(r, i);
            v->ulPropTag = tag;
            v->Value.l = x > INT32_MAX ? INT32_MAX : (LONG)x;
        }
        }
        n++;
    }
    return n;
}

/* ---- pushdown: the restriction engine inside SQLite ----------------------------- */

#define MATCH_POINTER "freemapi.restriction"

static void sql_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    fmapi_restriction *r = sqlite3_value_pointer(argv[0], MATCH_POINTER);
    if (r == NULL || argc != NHOT + 1) {
        sqlite3_result_error(ctx, "fm_match: no restriction", -1);
        return;
    }
    hot_reader rd = {.args = argv + 1};
    SPropValue props[NHOT];
    ULONG n = hot_props(&rd, props);
    BOOL match = FALSE;
    HRESULT hr = fmapi_restriction_eval(r, n, props, NULL, &match);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        sqlite3_result_error_nomem(ctx);
    else if (hr != S_OK)
        sqlite3_result_error(ctx, fm_error_text(), -1);
    else
        sqlite3_result_int(ctx, match ? 1 : 0);
}

/* Once per store connection (with the store lock held). */
static HRESULT register_functions(fm_store *s)
{
    if (s->table_functions)
        return S_OK;
    int rc = sqlite3_create_function(s->db->conn, "fm_match", NHOT + 1, SQLITE_UTF8, NULL,
                                     sql_match, NULL, NULL);
    if (rc != SQLITE_OK)
        return fm_db_error(s->db, rc, "registering table functions");
    s->table_functions = true;
    return S_OK;
}

/* Whether every node of a compiled restriction can be evaluated on the hot
 * columns alone. */
static bool node_is_hot(const fm_rnode *n)
{
    switch (n->rt) {
    case RES_AND:
    case RES_OR:
    case RES_NOT:
    case RES_COMMENT:
    case RES_ANNOTATION:
        for (ULONG i = 0; i < n->nkids; i++)
            if (!node_is_hot(&n->kids[i]))
                return false;
        return true;
    case RES_COMPAREPROPS:
        return hot_id(n->tag) && hot_id(n->tag2);
    case RES_CONTENT:
    case RES_PROPERTY:
    case RES_BITMASK:
    case RES_SIZE:
    case RES_EXIST:
        return hot_id(n->tag) && !(PROP_TYPE(n->tag) & MV_FLAG);
    default: /* RES_SUBRESTRICTION, RES_COUNT */
        return false;
    }
}

static bool pushdown_enabled(void)
{
    const char *e = getenv("FREEMAPI_NO_PUSHDOWN");
    return e == NULL || *e == '\0' || *e == '0';
}

/* How a query filters: nothing, in SQL, or on opened messages. */
typedef enum filter_kind { FILTER_NONE, FILTER_SQL, FILTER_MESSAGE } filter_kind;

static filter_kind filter_of(const fm_table_query *q)
{
    if (q->res == NULL)
        return FILTER_NONE;
    return pushdown_enabled() && node_is_hot(&q->res->root) ? FILTER_SQL : FILTER_MESSAGE;
}

/* ---- evaluating on a message ------------------------------------------------------ */

typedef struct subrows {
    IMessage *msg;
    LPSRowSet rows[2]; /* recipients, attachments: read on first use */
} subrows;

static HRESULT sub_get_row(void *context, ULONG ulSubObject, ULONG index, ULONG *lpcValues,
                           const SPropValue **lppProps)
{
    subrows *s = context;
    int k = ulSubObject == PR_MESSAGE_RECIPIENTS ? 0 : 1;
    if (s->rows[k] == NULL) {
        LPMAPITABLE t = NULL;
        HRESULT hr = k == 0 ? IMessage_GetRecipientTable(s->msg, MAPI_UNICODE, &t)
                            : IMessage_GetAttachmentTable(s->msg, MAPI_UNICODE, &t);
        if (hr == S_OK) {
            LPSPropTagArray all = NULL;
            hr = IMAPITable_QueryColumns(t, TBL_ALL_COLUMNS, &all);
            if (hr == S_OK)
                hr = HrQueryAllRows(t, all, NULL, NULL, 0, &s->rows[k]);
            MAPIFreeBuffer(all);
            IMAPITable_Release(t);
        }
        if (hr != S_OK)
            return hr;
    }
    if (index >= s->rows[k]->cRows)
        return MAPI_E_NOT_FOUND;
    *lpcValues = s->rows[k]->aRow[index].cValues;
    *lppProps = s->rows[k]->aRow[index].lpProps;
    return S_OK;
}

/* The columns of want that GetProps gives, as a new MAPI buffer: the
 * table makes PR_INSTANCE_KEY, the heading columns and MV_INSTANCE values
 * itself, and a PT_NULL column never has a value. */
static HRESULT columns_to_read(const SPropTagArray *want, LPSPropTagArray *out)
{
    LPSPropTagArray tags = NULL;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(want->cValues), (void **)&tags) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading table rows");
    ULONG n = 0;
    for (ULONG i = 0; i < want->cValues; i++) {
        ULONG tag = want->aulPropTag[i];
        if ((PROP_TYPE(tag) & MV_INSTANCE) || PROP_TYPE(tag) == PT_NULL)
            continue;
        switch (PROP_ID(tag)) {
        case PROP_ID(PR_INSTANCE_KEY):
        case PROP_ID(PR_ROW_TYPE):
        case PROP_ID(PR_DEPTH):
        case PROP_ID(PR_CONTENT_COUNT):
        case PROP_ID(PR_CONTENT_UNREAD):
            continue;
        default:
            tags->aulPropTag[n++] = tag;
        }
    }
    tags->cValues = n;
    *out = tags;
    return S_OK;
}

/* Whether the only column GetProps would be asked for is PR_ENTRYID. */
static bool only_entryid(const SPropTagArray *tags)
{
    return tags->cValues == 1 && PROP_ID(tags->aulPropTag[0]) == PROP_ID(PR_ENTRYID) &&
           (PROP_TYPE(tags->aulPropTag[0]) == PT_BINARY ||
            PROP_TYPE(tags->aulPropTag[0]) == PT_UNSPECIFIED);
}

/* A row of PR_ENTRYID alone, the columns a program walking a folder to open
 * each message asks for: made from the id after one index lookup that the
 * message is still there, without opening it. */
static HRESULT entryid_row(contents_source *c, int64_t mid, ULONG *cvals, LPSPropValue *vals)
{
    fm_store_lock(c->store);
    sqlite3_stmt *st = NULL;
    HRESULT hr = fm_db_prepare(c->store->db,
                               "SELECT 1 FROM messages WHERE mid = ?1 AND deleted_at IS NULL", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            hr = MAPI_E_NOT_FOUND;
        else if (rc != SQLITE_ROW)
            hr = fm_db_error(c->store->db, rc, "reading a folder's contents");
        fm_db_finish(st);
    }
    fm_store_unlock(c->store);
    if (hr != S_OK)
        return hr;
    if (MAPIAllocateBuffer(sizeof(SPropValue), (void **)vals) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading table rows");
    hr = fm_value_entryid(*vals, PR_ENTRYID, c->store, FM_EID_MESSAGE, mid, *vals);
    if (hr != S_OK) {
        MAPIFreeBuffer(*vals);
        *vals = NULL;
        return hr;
    }
    *cvals = 1;
    return S_OK;
}

/* The properties of message mid as GetProps gives them: every one (want
 * NULL), or want's columns (see columns_to_read); MAPI_E_NOT_FOUND when it
 * is gone. With res (and want NULL), also whether it matches (else *match
 * TRUE). Asking only for the columns matters: a row of PR_ENTRYID need not
 * copy and convert a 10 KB body. */
static HRESULT message_props(contents_source *c, int64_t mid, fmapi_restriction *res,
                             fmapi_restriction *res2, const SPropTagArray *want, ULONG *cvals,
                             LPSPropValue *vals, BOOL *match)
{
    if (c->soft)
        return fm_soft_row_props(c->store, mid, res, cvals, vals, match);
    LPSPropTagArray tags = NULL;
    HRESULT hr = want ? columns_to_read(want, &tags) : S_OK;
    if (hr != S_OK)
        return hr;
    if (tags && only_entryid(tags)) {
        MAPIFreeBuffer(tags);
        return entryid_row(c, mid, cvals, vals);
    }
    IMessage *msg = NULL;
    hr = fm_message_open(c->store, mid, false, &msg);
    if (hr != S_OK) {
        MAPIFreeBuffer(tags);
        return hr;
    }
    if (tags && tags->cValues == 0) {
        *cvals = 0;
        hr = MAPIAllocateBuffer(sizeof(SPropValue), (void **)vals) == S_OK
                 ? S_OK
                 : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading table rows");
    } else {
        hr = IMessage_GetProps(msg, tags, MAPI_UNICODE, cvals, vals);
    }
    MAPIFreeBuffer(tags);
    if (hr == MAPI_W_ERRORS_RETURNED)
        hr = S_OK;
    if (match)
        *match = TRUE;
    if (hr == S_OK && (res || res2)) {
        subrows sub = {.msg = msg};
        fmapi_subobjects so = {.context = &sub, .get_row = sub_get_row};
        if (res)
            hr = fmapi_restriction_eval(res, *cvals, *vals, &so, match);
        if (hr == S_OK && *match && res2) /* a search folder's criteria */
            hr = fmapi_restriction_eval(res2, *cvals, *vals, &so, match);
        for (int k = 0; k < 2; k++)
            if (sub.rows[k])
                FreeProws(sub.rows[k]);
        if (hr != S_OK) {
            MAPIFreeBuffer(*vals);
            *vals = NULL;
        }
    }
    IMessage_Release(msg);
    return hr;
}

/* ---- the SQL of a load ----------------------------------------------------------------- */

typedef enum order_kind { ORDER_ID, ORDER_DELIVERY } order_kind;

static bool sorted_by_delivery(const SSortOrderSet *s)
{
    return s && s->cSorts == 1 &&
           PROP_ID(s->aSort[0].ulPropTag) == PROP_ID(PR_MESSAGE_DELIVERY_TIME) &&
           (PROP_TYPE(s->aSort[0].ulPropTag) == PT_SYSTIME);
}

/* A page of one segment. Segments: for ORDER_ID one; for ORDER_DELIVERY the
 * messages with a delivery time (seg 0), then those without (seg 1). */
typedef struct page_sql {
    char text[2048];
} page_sql;

/* Which messages a query reads: a folder's, or a search folder's (?1 the
 * search folder, ?9 whether the search is recursive): the live messages of
 * the folders it searches (and their subfolders: generic folders only, a
 * search never reads another search's results), or the frozen results. */
typedef enum scope_kind { SCOPE_FOLDER, SCOPE_SEARCH, SCOPE_FROZEN } scope_kind;

#define SEARCH_SCOPE_SQL                                                                           \
    "fid IN (WITH RECURSIVE sc(fid) AS (SELECT s.fid FROM search_scope s WHERE s.sfid = ?1"    \
    " UNION SELECT f.fid FROM folders f JOIN sc ON f.parent_fid = sc.fid WHERE ?9"                 \
    " AND f.deleted_at IS NULL AND f.folder_type = 1)"                                            \
    " SELECT sc.fid FROM sc JOIN folders g ON g.fid = sc.fid"                                      \
    " WHERE g.deleted_at IS NULL AND g.folder_type = 1)"
#define FROZEN_SCOPE_SQL "m.mid IN (SELECT r.mid FROM search_results r WHERE r.sfid = ?1)"

typedef struct sql_shape {
    scope_kind scope;
    filter_kind filter;  /* the table's restriction */
    filter_kind sfilter; /* the search's criteria */
    bool only_mid;
} sql_shape;

static void build_sql(page_sql *p, bool soft, const sql_shape *sh, order_kind o, int seg,
                      bool desc, bool after, bool count)
{
    const char *dir = desc ? "DESC" : "ASC";
    const char *cmp = desc ? "<" : ">";
    char where[1536];
    /* A search's pages in message-id order walk the messages by id and test
     * each one's folder ("+" keeps SQLite off the folder index): each page
     * then costs its own rows, where reading the scope's folders through
     * their index would sort all of them again for every page. */
    const char *scope = sh->scope == SCOPE_SEARCH
                            ? (o == ORDER_ID && !count ? "+m." SEARCH_SCOPE_SQL " AND "
                                                       : "m." SEARCH_SCOPE_SQL " AND ")
                        : sh->scope == SCOPE_FROZEN ? FROZEN_SCOPE_SQL " AND "
                                                    : "m.fid = ?1 AND ";
    filter_kind f = sh->filter;
    /* Spelled out either way, so that SQLite picks the matching partial index. */
    int n = snprintf(where, sizeof where, "%sm.assoc = ?2 AND m.deleted_at %s%s%s%s", scope,
                     soft ? "IS NOT NULL" : "IS NULL",
                     f == FILTER_SQL ? " AND fm_match(?3, " HOT_ARGS ")" : "",
                     sh->sfilter == FILTER_SQL ? " AND fm_match(?7, " HOT_ARGS ")" : "",
                     sh->only_mid ? " AND m.mid = ?8" : "");
    if (o == ORDER_DELIVERY && seg == 0) {
        n += snprintf(where + n, sizeof where - (size_t)n, " AND m.delivery_time IS NOT NULL");
        if (after)
            n += snprintf(where + n, sizeof where - (size_t)n,
                          " AND m.delivery_time %s= ?4 AND (m.delivery_time %s ?4 OR m.mid %s ?5)",
                          cmp, cmp, cmp);
    } else if (o == ORDER_DELIVERY) {
        n += snprintf(where + n, sizeof where - (size_t)n, " AND m.delivery_time IS NULL");
        if (after)
            n += snprintf(where + n, sizeof where - (size_t)n, " AND m.mid %s ?5", cmp);
    } else if (after) {
        n += snprintf(where + n, sizeof where - (size_t)n, " AND m.mid %s ?5", cmp);
    }
    if (count) {
        snprintf(p->text, sizeof p->text, "SELECT count(*) FROM messages m WHERE %s", where);
        return;
    }
    if (o == ORDER_DELIVERY && seg == 0)
        snprintf(p->text, sizeof p->text,
                 "SELECT " HOT_SELECT " FROM messages m WHERE %s"
                 " ORDER BY m.delivery_time %s, m.mid %s LIMIT ?6",
                 where, dir, dir);
    else
        snprintf(p->text, sizeof p->text,
                 "SELECT " HOT_SELECT " FROM messages m WHERE %s ORDER BY m.mid %s LIMIT ?6", where,
                 dir);
}

/* A candidate row read by SQL: its id and hot values, copied. */
typedef struct candidate {
    int64_t mid;
    int64_t delivery;
    bool has_delivery;
    ULONG nhot;
    LPSPropValue hot; /* MAPIAllocateMore'd on the load's root */
} candidate;

typedef struct cand_list {
    candidate *c;
    size_t n, cap;
} cand_list;

static HRESULT cand_push(cand_list *l, sqlite3_stmt *st, void *root)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        candidate *p = fm_realloc(l->c, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a folder");
        l->c = p;
        l->cap = cap;
    }
    candidate *c = &l->c[l->n];
    memset(c, 0, sizeof *c);
    c->mid = sqlite3_column_int64(st, 0);
    c->has_delivery = sqlite3_column_type(st, 1) != SQLITE_NULL;
    c->delivery = sqlite3_column_int64(st, 1);
    hot_reader rd = {.st = st, .first = 1};
    SPropValue tmp[NHOT];
    ULONG n = hot_props(&rd, tmp);
    if (MAPIAllocateMore((ULONG)(n ? n : 1) * sizeof(SPropValue), root, (void **)&c->hot) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a folder");
    for (ULONG i = 0; i < n; i++)
        if (PropCopyMore(&c->hot[i], &tmp[i], MAPIAllocateMore, root) != S_OK)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a folder");
    c->nhot = n;
    l->n++;
    return S_OK;
}

typedef struct load_args {
    sql_shape shape;
    filter_kind filter; /* shape.filter */
    order_kind order;
    bool desc;
    fmapi_restriction *res;
    fmapi_restriction *sres; /* a running search's criteria */
} load_args;

/* Prepares sql with the bindings every contents query shares: the folder,
 * associated or not, and the pushed-down restriction. */
static HRESULT prepare_query(contents_source *c, const load_args *a, const char *sql,
                             sqlite3_stmt **st)
{
    HRESULT hr = fm_db_prepare(c->store->db, sql, st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(*st, 1, c->fid);
    sqlite3_bind_int(*st, 2, c->assoc ? 1 : 0);
    if (a->filter == FILTER_SQL)
        sqlite3_bind_pointer(*st, 3, a->res, MATCH_POINTER, NULL);
    if (a->shape.sfilter == FILTER_SQL)
        sqlite3_bind_pointer(*st, 7, a->sres, MATCH_POINTER, NULL);
    if (a->shape.only_mid)
        sqlite3_bind_int64(*st, 8, c->only_mid);
    if (a->shape.scope == SCOPE_SEARCH)
        sqlite3_bind_int(*st, 9, c->def.recursive ? 1 : 0);
    return S_OK;
}

/* Runs one page query of segment seg after (mid, delivery) when has_after. */
static HRESULT run_page(contents_source *c, const load_args *a, int seg, bool has_after,
                        int64_t after_mid, int64_t after_delivery, ULONG max, void *root,
                        cand_list *out, bool *seg_done)
{
    page_sql p;
    build_sql(&p, c->soft, &a->shape, a->order, seg, a->desc, has_after, false);
    fm_store_lock(c->store);
    sqlite3_stmt *st = NULL;
    HRESULT hr = prepare_query(c, a, p.text, &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 4, after_delivery);
        sqlite3_bind_int64(st, 5, after_mid);
        sqlite3_bind_int64(st, 6, max);
        ULONG got = 0;
        int rc;
        while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            hr = cand_push(out, st, root);
            got++;
        }
        if (hr == S_OK && rc != SQLITE_DONE)
            hr = fm_db_error(c->store->db, rc, "reading a folder's contents");
        *seg_done = got < max;
        fm_db_finish(st);
    }
    fm_store_unlock(c->store);
    return hr;
}

/* ---- building rows ------------------------------------------------------------------- */

static bool tags_all_hot(const fm_table_query *q)
{
    for (ULONG i = 0; i < q->ntags; i++)
        if (!hot_id(q->tags[i]))
            return false;
    return true;
}

/* Appends candidate c as a view row (if it matches, for FILTER_MESSAGE). */
static HRESULT add_candidate(contents_source *c, const load_args *a, const candidate *cand,
                             bool need_full, fm_table_rows *out, bool *added)
{
    *added = false;
    fm_table_row row = {
        .id = cand->mid, .type = TBL_LEAF_ROW, .cvals = cand->nhot, .vals = cand->hot};
    bool on_message = a->filter == FILTER_MESSAGE || a->shape.sfilter == FILTER_MESSAGE;
    if (!on_message && !need_full) {
        *added = true;
        return fm_table_rows_push(out, &row);
    }
    ULONG cvals = 0;
    LPSPropValue vals = NULL;
    BOOL match = TRUE;
    HRESULT hr = message_props(c, cand->mid, a->filter == FILTER_MESSAGE ? a->res : NULL,
                               a->shape.sfilter == FILTER_MESSAGE ? a->sres : NULL, NULL, &cvals,
                               &vals, &match);
    if (hr == MAPI_E_NOT_FOUND) /* deleted since the query */
        return S_OK;
    if (hr != S_OK)
        return hr;
    if (!match) {
        MAPIFreeBuffer(vals);
        return S_OK;
    }
    hr = fm_table_rows_own(out, vals);
    if (hr != S_OK)
        return hr;
    row.cvals = cvals;
    row.vals = vals;
    row.full = true;
    *added = true;
    return fm_table_rows_push(out, &row);
}

static void args_of(const contents_source *c, const fm_table_query *q, load_args *a)
{
    memset(a, 0, sizeof *a);
    a->filter = filter_of(q);
    a->order = sorted_by_delivery(q->sort) ? ORDER_DELIVERY : ORDER_ID;
    a->desc = a->order == ORDER_DELIVERY && (q->sort->aSort[0].ulOrder & TABLE_SORT_DESCEND);
    a->res = q->res;
    a->shape.filter = a->filter;
    a->shape.only_mid = c->only_mid > 0;
    if (c->search) {
        a->shape.scope = c->def.frozen ? SCOPE_FROZEN : SCOPE_SEARCH;
        if (!c->def.frozen && c->def.res) {
            a->sres = c->def.res;
            a->shape.sfilter = pushdown_enabled() && node_is_hot(&c->def.res->root)
                                   ? FILTER_SQL
                                   : FILTER_MESSAGE;
        }
    }
}

/* A search folder's criteria as the store has them now (read again when a
 * commit moved the generation): *empty when none were ever set. */
static HRESULT search_refresh(contents_source *c, bool *empty)
{
    *empty = false;
    if (!c->search)
        return S_OK;
    fm_store_lock(c->store);
    uint64_t gen = 0;
    HRESULT hr = fm_db_generation(c->store->db, &gen);
    if (hr == S_OK && (!c->have_def || gen != c->def_gen)) {
        fm_search_def_clear(&c->def);
        c->have_def = false;
        hr = fm_search_def_read(c->store, c->fid, &c->def);
        if (hr == S_OK) {
            c->have_def = true;
            c->def_gen = gen;
        }
    }
    fm_store_unlock(c->store);
    *empty = hr == S_OK && !c->def.defined;
    return hr;
}

static HRESULT contents_load(fm_table_source *src, const fm_table_query *q, bool ordered,
                             const fm_table_row *after, ULONG max, fm_table_rows *out, bool *done)
{
    contents_source *c = (contents_source *)src;
    bool empty = false;
    HRESULT hr = search_refresh(c, &empty);
    if (hr != S_OK || empty) {
        *done = true;
        return hr;
    }
    load_args a;
    args_of(c, q, &a);
    if (!ordered) {
        a.order = ORDER_ID;
        a.desc = false;
        max = 0x7FFFFFFF;
        after = NULL;
    }
    bool need_full = !tags_all_hot(q);
    void *root = NULL;
    if (MAPIAllocateBuffer(1, &root) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a folder");
    hr = fm_table_rows_own(out, root);
    if (hr != S_OK)
        return hr;
    /* Where to continue: after the last candidate read (matching or not). */
    bool has_after = after != NULL;
    int64_t after_mid = after ? after->id : 0, after_delivery = 0;
    int seg = 0;
    if (after && a.order == ORDER_DELIVERY) {
        const SPropValue *d = PpropFindProp(after->vals, after->cvals, PR_MESSAGE_DELIVERY_TIME);
        if (d)
            after_delivery =
                (int64_t)(((uint64_t)d->Value.ft.dwHighDateTime << 32) | d->Value.ft.dwLowDateTime);
        else
            seg = 1;
    }
    ULONG added_total = 0;
    int nseg = a.order == ORDER_DELIVERY ? 2 : 1;
    *done = false;
    while (hr == S_OK && added_total < max) {
        if (seg >= nseg) {
            *done = true;
            break;
        }
        cand_list cl = {0};
        bool seg_done = false;
        hr = run_page(c, &a, seg, has_after, after_mid, after_delivery, max - added_total, root,
                      &cl, &seg_done);
        for (size_t i = 0; i < cl.n && hr == S_OK; i++) {
            bool added = false;
            hr = add_candidate(c, &a, &cl.c[i], need_full, out, &added);
            added_total += added;
        }
        if (hr == S_OK && cl.n) {
            has_after = true;
            after_mid = cl.c[cl.n - 1].mid;
            after_delivery = cl.c[cl.n - 1].delivery;
        }
        fm_free(cl.c);
        if (seg_done) {
            seg++;
            has_after = false;
        }
    }
    return hr;
}

static HRESULT contents_count(fm_table_source *src, const fm_table_query *q, ULONG *out)
{
    contents_source *c = (contents_source *)src;
    bool empty = false;
    HRESULT hr = search_refresh(c, &empty);
    *out = 0;
    if (hr != S_OK || empty)
        return hr;
    load_args a;
    args_of(c, q, &a);
    if (a.filter == FILTER_MESSAGE || a.shape.sfilter == FILTER_MESSAGE) {
        /* Evaluated message by message: load them and count. */
        fm_table_rows rows = {0};
        bool done = false;
        hr = contents_load(src, q, false, NULL, 0, &rows, &done);
        *out = (ULONG)rows.n;
        fm_table_rows_clear(&rows);
        return hr;
    }
    page_sql p;
    build_sql(&p, c->soft, &a.shape, ORDER_ID, 0, false, false, true);
    fm_store_lock(c->store);
    sqlite3_stmt *st = NULL;
    hr = prepare_query(c, &a, p.text, &st);
    if (hr == S_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = (ULONG)sqlite3_column_int64(st, 0);
        else
            hr = fm_db_error(c->store->db, rc, "counting a folder's contents");
        fm_db_finish(st);
    }
    fm_store_unlock(c->store);
    return hr;
}

static bool contents_can_order(fm_table_source *src, const fm_table_query *q)
{
    (void)src;
    return q->sort == NULL || q->sort->cSorts == 0 || sorted_by_delivery(q->sort);
}

static HRESULT contents_read_row(fm_table_source *src, const fm_table_row *row,
                                 const SPropTagArray *want, ULONG *cvals, LPSPropValue *vals)
{
    return message_props((contents_source *)src, row->id, NULL, NULL, want, cvals, vals, NULL);
}

static HRESULT contents_generation(fm_table_source *src, uint64_t *out)
{
    contents_source *c = (contents_source *)src;
    HRESULT denied = fm_store_check_access(c->store);
    if (denied == S_OK) /* a revoked ReadAny stops the open table (folder_acl.h) */
        denied = fm_acl_require(c->store, c->fid, frightsReadAny, "QueryRows");
    if (denied != S_OK)
        return denied;
    fm_store_lock(c->store);
    HRESULT hr = fm_db_generation(c->store->db, out);
    fm_store_unlock(c->store);
    return hr;
}

static const ULONG DEFAULT_COLUMNS[] = {
    PR_INSTANCE_KEY,
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_MESSAGE_CLASS,
    PR_SUBJECT,
    PR_SENDER_NAME,
    PR_DISPLAY_TO,
    PR_MESSAGE_DELIVERY_TIME,
    PR_MESSAGE_FLAGS,
    PR_MESSAGE_SIZE,
    PR_HASATTACH,
    PR_MSG_STATUS,
    PR_LAST_MODIFICATION_TIME,
};

static const ULONG MORE_COLUMNS[] = {
    PR_CLIENT_SUBMIT_TIME,
    PR_SENT_REPRESENTING_NAME,
    PR_DISPLAY_CC,
    PR_DISPLAY_BCC,
    PR_IMPORTANCE,
    PR_SENSITIVITY,
    PR_PRIORITY,
    PR_CREATION_TIME,
    PR_SEARCH_KEY,
    PR_PARENT_ENTRYID,
    PR_NORMALIZED_SUBJECT,
    PR_CONVERSATION_TOPIC,
    PR_INTERNET_MESSAGE_ID,
    PR_SENDER_EMAIL_ADDRESS,
    PR_OBJECT_TYPE,
    PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY,
    PR_STORE_SUPPORT_MASK,
};

static HRESULT contents_columns(fm_table_source *src, ULONG flags, LPSPropTagArray *out)
{
    (void)src;
    ULONG nd = sizeof DEFAULT_COLUMNS / sizeof DEFAULT_COLUMNS[0];
    ULONG nm = (flags & TBL_ALL_COLUMNS) ? sizeof MORE_COLUMNS / sizeof MORE_COLUMNS[0] : 0;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(nd + nm), (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing columns");
    (*out)->cValues = nd + nm;
    memcpy((*out)->aulPropTag, DEFAULT_COLUMNS, sizeof DEFAULT_COLUMNS);
    if (nm)
        memcpy((*out)->aulPropTag + nd, MORE_COLUMNS, sizeof MORE_COLUMNS);
    return S_OK;
}

/* Table notifications: the folder's events, from any process. */
static HRESULT contents_watch(fm_table_source *src, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    contents_source *c = (contents_source *)src;
    /* A search folder's rows come from anywhere in the store. */
    uint64_t key = c->search ? 0 : fm_store_notify_key(MAPI_FOLDER, c->fid);
    return fm_store_table_watch(c->store, key, sink, conn);
}

static void contents_unwatch(fm_table_source *src, ULONG_PTR conn)
{
    contents_source *c = (contents_source *)src;
    fm_store_table_unwatch(c->store, conn);
}

static void contents_release(fm_table_source *src)
{
    contents_source *c = (contents_source *)src;
    fm_search_def_clear(&c->def);
    fm_store_release(c->store);
    fm_free(c);
}

static const fm_table_source_ops CONTENTS_OPS = {
    .name = "contents",
    .columns = contents_columns,
    .generation = contents_generation,
    .can_order = contents_can_order,
    .load = contents_load,
    .count = contents_count,
    .read_row = contents_read_row,
    .watch = contents_watch,
    .unwatch = contents_unwatch,
    .release = contents_release,
};

static HRESULT open_source(fm_store *s, int64_t fid, bool associated, bool search, ULONG flags,
                           IMAPITable **out)
{
    fm_store_lock(s);
    HRESULT hr = register_functions(s);
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    contents_source *c = fm_calloc(1, sizeof *c);
    if (c == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a contents table");
    c->base.ops = &CONTENTS_OPS;
    fm_store_addref(s);
    c->store = s;
    c->fid = fid;
    c->assoc = associated;
    c->soft = !search && (flags & SHOW_SOFT_DELETES) != 0;
    c->search = search;
    return fm_table_new(&c->base, flags & ~SHOW_SOFT_DELETES, out);
}

HRESULT fm_contents_table_open(fm_store *s, int64_t fid, bool associated, ULONG flags,
                               IMAPITable **out)
{
    return open_source(s, fid, associated, false, flags, out);
}

HRESULT fm_search_contents_table_open(fm_store *s, int64_t sfid, ULONG flags, IMAPITable **out)
{
    return open_source(s, sfid, false, true, flags, out);
}

HRESULT fm_contents_search_has(fm_store *s, int64_t sfid, int64_t mid, bool *has)
{
    *has = false;
    fm_store_lock(s);
    HRESULT hr = register_functions(s);
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    contents_source c = { .base.ops = &CONTENTS_OPS, .store = s, .fid = sfid, .search = true,
                          .only_mid = mid };
    fm_table_query q = { 0 };
    ULONG n = 0;
    hr = contents_count(&c.base, &q, &n);
    fm_search_def_clear(&c.def);
    *has = hr == S_OK && n > 0;
    return hr;
}
