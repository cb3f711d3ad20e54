/*
 * store/message_row.c - saving and reading message rows (see message_row.h).
 *
 * A few properties are copied out of the blob into columns of their own
 * (subject, sender name, message class, delivery time): the table layer
 * sorts and filters a million-message folder on them with indexes instead
 * of decoding every blob.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "store/folder_acl.h"
#include "store/message_row.h"
#include "store/propblob.h"
#include "store/schema.h"
#include "store/stream.h"
#include "store/store_notify.h"

HRESULT fm_message_row_read(fm_store *s, int64_t mid, fm_message_row *row)
{
    memset(row, 0, sizeof *row);
    fm_store_lock(s);
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT fid, parent_attach, assoc, flags, status, size, created,"
                               " modified, change_num, props,"
                               " (SELECT count(*) FROM attachments a WHERE a.mid = m.mid)"
                               " FROM messages m WHERE mid = ?1 AND deleted_at IS NULL",
                               &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            row->mid = mid;
            row->fid = sqlite3_column_int64(st, 0);
            row->parent_attach = sqlite3_column_int64(st, 1);
            row->assoc = sqlite3_column_int(st, 2) != 0;
            row->flags = (ULONG)sqlite3_column_int64(st, 3);
            row->status = (ULONG)sqlite3_column_int64(st, 4);
            row->size = (uint64_t)sqlite3_column_int64(st, 5);
            row->created = sqlite3_column_int64(st, 6);
            row->modified = sqlite3_column_int64(st, 7);
            row->change_num = sqlite3_column_int64(st, 8);
            row->props_len = (size_t)sqlite3_column_bytes(st, 9);
            row->attach_count = (ULONG)sqlite3_column_int64(st, 10);
            row->props = fm_malloc(row->props_len ? row->props_len : 1);
            if (row->props == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a message");
            else if (row->props_len)
                memcpy(row->props, sqlite3_column_blob(st, 9), row->props_len);
        } else if (rc == SQLITE_DONE) {
            hr = fm_error_set(MAPI_E_NOT_FOUND, "no message %lld in the store", (long long)mid);
        } else {
            hr = fm_db_error(s->db, rc, "reading a message");
        }
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

ULONG fm_message_row_flags(const fm_message_row *row)
{
    ULONG f = row->flags;
    if (row->attach_count > 0)
        f |= MSGFLAG_HASATTACH;
    if (row->assoc)
        f |= MSGFLAG_ASSOCIATED;
    return f;
}

/* ---- the indexed columns ------------------------------------------------------- */

static HRESULT read_hot(fm_object *o, fm_message_hot *h)
{
    SizedSPropTagArray(4, tags) = { 4, { PR_SUBJECT_A, PR_SENDER_NAME_A, PR_MESSAGE_CLASS_A,
                                         PR_MESSAGE_DELIVERY_TIME } };
    ULONG n = 0;
    memset(h, 0, sizeof *h);
    HRESULT hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&tags, 0, &n, &h->values);
    if (FAILED(hr))
        return hr;
    LPSPropValue v = h->values;
    h->subject = PROP_TYPE(v[0].ulPropTag) == PT_STRING8 ? v[0].Value.lpszA : NULL;
    h->sender = PROP_TYPE(v[1].ulPropTag) == PT_STRING8 ? v[1].Value.lpszA : NULL;
    h->message_class = PROP_TYPE(v[2].ulPropTag) == PT_STRING8 ? v[2].Value.lpszA : NULL;
    h->has_delivery = PROP_TYPE(v[3].ulPropTag) == PT_SYSTIME;
    if (h->has_delivery)
        h->delivery = (int64_t)(((uint64_t)v[3].Value.ft.dwHighDateTime << 32) |
                                v[3].Value.ft.dwLowDateTime);
    return S_OK;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s != NULL)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* ---- size ------------------------------------------------------------------------ */

static uint64_t streams_size(fm_object *o)
{
    fm_stream_prop *sp = NULL;
    size_t n = 0;
    uint64_t total = 0;
    if (fm_object_stream_props(o, &sp, &n) == S_OK) {
        for (size_t i = 0; i < n; i++)
            total += sp[i].size;
    }
    fm_free(sp);
    return total;
}

static uint64_t recipients_size(const fm_recipients *r)
{
    uint64_t total = 0;
    for (size_t i = 0; i < r->n; i++) {
        for (ULONG j = 0; j < r->rows[i].cValues; j++)
            total += UlPropSize(&r->rows[i].props[j]) + 8;
    }
    return total;
}

static uint64_t bag_size(fm_object *o)
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    uint64_t total = 0;
    if (SUCCEEDED(IPropData_GetProps(o->bag, NULL, 0, &n, &v))) {
        for (ULONG i = 0; i < n; i++)
            total += UlPropSize(&v[i]) + 8; /* value plus its tag and length */
    }
    MAPIFreeBuffer(v);
    return total;
}

uint64_t fm_message_size(fm_object *o, const fm_recipients *recips, const fm_attachments *atts)
{
    return bag_size(o) + streams_size(o) + recipients_size(recips) +
           fm_attachments_size(atts, o->store);
}

/* ---- saving --------------------------------------------------------------------- */

static HRESULT insert_row(fm_store *s, fm_message_row *row, const fm_message_hot *h,
                          const void *blob, size_t len, int64_t now)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "INSERT INTO messages (mid, fid, parent_attach, assoc, flags,"
                               " status, size, created, modified, change_num, delivery_time,"
                               " subject, sender_name, message_class, props)"
                               " VALUES (" FM_SCHEMA_NEXT_MID ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                               " 1, ?9, ?10, ?11, ?12, ?13)",
                               &st);
    if (hr != S_OK)
        return hr;
    if (row->fid)
        sqlite3_bind_int64(st, 1, row->fid);
    if (row->parent_attach)
        sqlite3_bind_int64(st, 2, row->parent_attach);
    sqlite3_bind_int(st, 3, row->assoc);
    sqlite3_bind_int64(st, 4, row->flags);
    sqlite3_bind_int64(st, 5, row->status);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)row->size);
    sqlite3_bind_int64(st, 7, row->created);
    sqlite3_bind_int64(st, 8, now);
    if (h->has_delivery)
        sqlite3_bind_int64(st, 9, h->delivery);
    bind_text_or_null(st, 10, h->subject);
    bind_text_or_null(st, 11, h->sender);
    bind_text_or_null(st, 12, h->message_class);
    sqlite3_bind_blob(st, 13, blob ? blob : "", (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        row->mid = sqlite3_last_insert_rowid(s->db->conn);
    else
        hr = fm_db_error(s->db, rc, "saving a new message");
    if (hr == S_OK && row->fid) /* a delegate's message is theirs (folder_acl.h) */
        hr = fm_acl_note_creator(s, row->mid);
    fm_db_finish(st);
    row->change_num = 1;
    return hr;
}

/* Checks the saved row against what we read: deleted, or changed by
 * another opener since. */
static HRESULT check_conflict(fm_store *s, const fm_message_row *row, ULONG flags)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT change_num, deleted_at, flags FROM messages WHERE mid = ?1",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, row->mid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || (rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL))
        hr = fm_error_set(MAPI_E_OBJECT_DELETED,
                          "SaveChanges: the message was deleted since it was opened");
    else if (rc != SQLITE_ROW)
        hr = fm_db_error(s->db, rc, "SaveChanges");
    else if (sqlite3_column_int64(st, 2) & MSGFLAG_SUBMIT)
        /* Queued for sending: locked until sent or taken back (AbortSubmit). */
        hr = fm_error_set(MAPI_E_SUBMITTED, "SaveChanges: the message is queued for sending");
    else if (sqlite3_column_int64(st, 0) != row->change_num && !(flags & FORCE_SAVE))
        hr = fm_error_set(MAPI_E_OBJECT_CHANGED,
                          "SaveChanges: another opener saved the message first "
                          "(use FORCE_SAVE to overwrite)");
    fm_db_finish(st);
    return hr;
}

static HRESULT update_row(fm_store *s, fm_message_row *row, const fm_message_hot *h,
                          const void *blob, size_t len, int64_t now)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "UPDATE messages SET flags = ?2, status = ?3, size = ?4,"
                               " modified = ?5, change_num = change_num + 1, delivery_time = ?6,"
                               " subject = ?7, sender_name = ?8, message_class = ?9, props = ?10"
                               " WHERE mid = ?1 RETURNING change_num",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, row->mid);
    sqlite3_bind_int64(st, 2, row->flags);
    sqlite3_bind_int64(st, 3, row->status);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)row->size);
    sqlite3_bind_int64(st, 5, now);
    if (h->has_delivery)
        sqlite3_bind_int64(st, 6, h->delivery);
    bind_text_or_null(st, 7, h->subject);
    bind_text_or_null(st, 8, h->sender);
    bind_text_or_null(st, 9, h->message_class);
    sqlite3_bind_blob(st, 10, blob ? blob : "", (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row->change_num = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE)
        hr = fm_db_error(s->db, rc, "saving a message");
    fm_db_finish(st);
    return hr;
}

static uint64_t pending_streams_size(const fm_object *o)
{
    uint64_t total = 0;
    for (size_t i = 0; i < o->npending; i++)
        total += o->pending[i].sid ? o->pending[i].size : 0;
    return total;
}

static HRESULT set_size(fm_store *s, fm_message_row *row, uint64_t size)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db, "UPDATE messages SET size = ?2 WHERE mid = ?1", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, row->mid);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
    int rc = sqlite3_step(st);
    fm_db_finish(st);
    if (rc != SQLITE_DONE)
        return fm_db_error(s->db, rc, "measuring a message");
    row->size = size;
    return S_OK;
}

/* PR_MESSAGE_SIZE as saved: everything the message occupies, measured in
 * the database (its row, recipients, attachments and all their streams). */
static HRESULT store_size(fm_store *s, fm_message_row *row)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
        "UPDATE messages SET size ="
        " length(props)"
        " + (SELECT coalesce(sum(length(props)), 0) FROM recipients WHERE mid = ?1)"
        " + (SELECT coalesce(sum(length(props)), 0) FROM attachments WHERE mid = ?1)"
        " + (SELECT coalesce(sum(size), 0) FROM streams WHERE owner_kind = ?2 AND owner_id = ?1)"
        " + (SELECT coalesce(sum(st.size), 0) FROM streams st JOIN attachments a"
        "    ON st.owner_kind = ?3 AND st.owner_id = a.aid WHERE a.mid = ?1)"
        " WHERE mid = ?1 RETURNING size", &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_int64(st, 1, row->mid);
    sqlite3_bind_int(st, 2, FM_STREAM_OWNER_MESSAGE);
    sqlite3_bind_int(st, 3, FM_STREAM_OWNER_ATTACHMENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row->size = (uint64_t)sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    fm_db_finish(st);
    return rc == SQLITE_DONE ? S_OK : fm_db_error(s->db, rc, "measuring a message");
}

/* Everything that happens inside the save transaction. */
static HRESULT save_in_transaction(fm_object *o, fm_message_row *row, fm_recipients *recips,
                                   fm_attachments *atts, const fm_message_hot *h, const void *blob,
                                   size_t len, ULONG flags, int64_t now)
{
    fm_store *s = o->store;
    HRESULT hr;
    bool is_new = row->mid == 0;
    if (is_new) {
        /* Everything of a new message is written now, so its size is known
         * without asking the database: all but the recipients' bytes first. */
        row->size = len + pending_streams_size(o) + fm_attachments_size(atts, s);
        hr = insert_row(s, row, h, blob, len, now);
        if (hr == S_OK)
            o->id = row->mid; /* streams are adopted under the new id */
    } else {
        hr = check_conflict(s, row, flags);
        if (hr == S_OK)
            hr = update_row(s, row, h, blob, len, now);
    }
    uint64_t rbytes = 0;
    if (hr == S_OK && recips->loaded && recips->dirty)
        hr = fm_recipients_save(recips, s, row->mid, &rbytes);
    if (hr == S_OK && atts->loaded)
        hr = fm_attachments_save(atts, s, row->mid);
    if (hr == S_OK)
        hr = fm_object_save_streams(o);
    if (hr == S_OK && is_new && rbytes > 0)
        hr = set_size(s, row, row->size + rbytes);
    else if (hr == S_OK && !is_new)
        hr = store_size(s, row); /* kept parts are in the database only */
    return hr;
}

HRESULT fm_message_save_prepare(fm_message_save *sv, fm_object *o, fm_message_row *row,
                                fm_recipients *recips, fm_attachments *atts, ULONG flags)
{
    memset(sv, 0, sizeof *sv);
    sv->o = o;
    sv->row = row;
    sv->recips = recips;
    sv->atts = atts;
    sv->flags = flags;
    sv->saved = *row;
    HRESULT hr = fm_object_spill_large(o); /* large values to scratch streams */
    if (hr == S_OK)
        hr = fm_object_encode_bag(o, &sv->blob, &sv->len);
    if (hr == S_OK)
        hr = read_hot(o, &sv->hot);
    return hr;
}

/* The save's notifications, in its transaction: ObjectCreated or
 * ObjectModified, and NewMail for a new message arriving in the Inbox (not
 * one being composed there: MSGFLAG_UNSENT). Embedded messages are part of
 * their attachment, whose message's save is what is announced. */
static HRESULT save_notify(fm_message_save *sv)
{
    fm_store *s = sv->o->store;
    const fm_message_row *row = sv->row;
    if (row->fid == 0)
        return S_OK;
    bool created = sv->saved.mid == 0;
    HRESULT hr = fm_store_notify_object(s, created ? fnevObjectCreated : fnevObjectModified,
                                        MAPI_MESSAGE, row->mid, row->fid, 0, 0);
    if (hr == S_OK && created && !row->assoc)
        hr = fm_store_notify_counts(s, row->fid,
                                    FM_COUNT_TOTAL | (fm_message_row_flags(row) & MSGFLAG_READ
                                                          ? 0
                                                          : FM_COUNT_UNREAD));
    if (hr == S_OK && created && !row->assoc && !(row->flags & MSGFLAG_UNSENT) &&
        fm_store_std_role(s, row->fid) == FM_FOLDER_INBOX) {
        fm_notify_record r = { .event = fnevNewMail, .obj_type = MAPI_MESSAGE, .id = row->mid,
                               .parent = row->fid, .msg_flags = fm_message_row_flags(row),
                               .msg_class = sv->hot.message_class };
        hr = fm_store_notify(s, &r);
    }
    return hr;
}

HRESULT fm_message_save_write(fm_message_save *sv, int64_t now)
{
    sv->now = now;
    HRESULT hr = save_in_transaction(sv->o, sv->row, sv->recips, sv->atts, &sv->hot, sv->blob,
                                     sv->len, sv->flags, now);
    return hr == S_OK ? save_notify(sv) : hr;
}

HRESULT fm_message_save_finish(fm_message_save *sv)
{
    sv->row->modified = sv->now;
    if (sv->atts->loaded) {
        fm_attachments_saved(sv->atts);
        sv->row->attach_count = fm_attachments_count(sv->atts);
    }
    fm_object_forget_pending(sv->o);
    /* The save is committed: the properties' IPROP_CLEAN marks are only
     * bookkeeping, and failing to set them must not report a save that
     * happened as one that did not. */
    (void)fm_object_mark_clean(sv->o);
    return S_OK;
}

void fm_message_save_abort(fm_message_save *sv)
{
    if (sv->row == NULL) /* refused before its save was prepared */
        return;
    *sv->row = sv->saved; /* nothing was saved: the object is as it was */
    sv->o->id = sv->row->mid;
    fm_attachments_rolled_back(sv->atts);
}

void fm_message_save_clear(fm_message_save *sv)
{
    fm_free(sv->blob);
    MAPIFreeBuffer(sv->hot.values);
    sv->blob = NULL;
    sv->hot.values = NULL;
}

HRESULT fm_message_row_save(fm_object *o, fm_message_row *row, fm_recipients *recips,
                            fm_attachments *atts, ULONG ulFlags)
{
    fm_store *s = o->store;
    fm_message_save sv;
    HRESULT hr = fm_message_save_prepare(&sv, o, row, recips, atts, ulFlags);
    if (hr != S_OK) {
        fm_message_save_clear(&sv);
        return hr;
    }
    fm_store_lock(s);
    hr = fm_db_begin(s->db);
    if (hr == S_OK)
        hr = fm_message_save_write(&sv, fm_store_now());
    if (hr == S_OK)
        hr = fm_db_commit(s->db);
    else
        fm_db_rollback(s->db);
    fm_store_unlock(s);
    fm_message_save_clear(&sv);
    if (hr != S_OK) {
        fm_message_save_abort(&sv);
        return hr;
    }
    return fm_message_save_finish(&sv);
}

HRESULT fm_message_row_set_read(fm_store *s, fm_message_row *row, bool read, bool clear_rn,
                                bool clear_nrn)
{
    ULONG f = read ? (row->flags | MSGFLAG_READ) : (row->flags & ~MSGFLAG_READ);
    if (clear_rn)
        f &= ~MSGFLAG_RN_PENDING;
    if (clear_nrn)
        f &= ~MSGFLAG_NRN_PENDING;
    if (row->mid != 0) {
        /* One transaction with its fnevObjectModified, so tables and
         * registrations on the message or its folder hear of it. */
        fm_store_lock(s);
        sqlite3_stmt *st = NULL;
        HRESULT hr = fm_db_begin(s->db);
        bool began = hr == S_OK;
        if (hr == S_OK)
            hr = fm_db_prepare(s->db, "UPDATE messages SET flags = ?2 WHERE mid = ?1 AND "
                                      "deleted_at IS NULL", &st);
        if (hr == S_OK) {
            sqlite3_bind_int64(st, 1, row->mid);
            sqlite3_bind_int64(st, 2, f);
            int rc = sqlite3_step(st);
            if (rc != SQLITE_DONE)
                hr = fm_db_error(s->db, rc, "SetReadFlag");
            else if (sqlite3_changes(s->db->conn) == 0)
                hr = fm_error_set(MAPI_E_OBJECT_DELETED, "SetReadFlag: the message was deleted");
            fm_db_finish(st);
        }
        if (hr == S_OK && f != row->flags)
            hr = fm_store_notify_read(s, row->mid, row->fid);
        if (began)
            hr = fm_db_end(s->db, hr);
        fm_store_unlock(s);
        if (hr != S_OK)
            return hr;
    }
    row->flags = f;
    return S_OK;
}
