/*
 * store/folder_status.c - IMAPIFolder::GetMessageStatus and
 * SetMessageStatus (folder.h): the status bits of a message of the folder.
 */
#include "store/entryid.h"
#include "store/folder.h"

HRESULT fm_folder_message_id(fm_store *s, ULONG cb, LPENTRYID eid, int64_t *mid)
{
    MAPIUID uid;
    int kind;
    uint64_t id;
    HRESULT hr = fm_entryid_parse(cb, eid, &uid, &kind, &id);
    if (hr != S_OK)
        return hr;
    if (memcmp(uid.ab, s->uid.ab, 16) != 0)
        return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "the entry ID belongs to another store");
    if (kind != FM_EID_MESSAGE)
        return fm_error_set(MAPI_E_INVALID_ENTRYID, "the entry ID does not name a message");
    *mid = (int64_t)id;
    return S_OK;
}

HRESULT fm_folder_message_status(fm_object *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                                 ULONG ulFlags, ULONG ulNewStatus, ULONG ulMask, ULONG *lpulStatus,
                                 bool set)
{
    const char *fn = set ? "SetMessageStatus" : "GetMessageStatus";
    if (!set && lpulStatus == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: NULL out pointer", fn);
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)ulFlags);
    if (set && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "%s: the folder is open read-only", fn);
    int64_t mid = 0;
    HRESULT hr = fm_folder_message_id(o->store, cbEntryID, lpEntryID, &mid);
    if (hr != S_OK)
        return hr;
    fm_store *s = o->store;
    fm_store_lock(s);
    hr = set ? fm_db_begin(s->db) : S_OK;
    sqlite3_stmt *st = NULL;
    if (hr == S_OK)
        hr = fm_db_prepare(s->db, "SELECT status FROM messages WHERE mid = ?1 AND fid = ?2 "
                                  "AND deleted_at IS NULL", &st);
    ULONG old = 0;
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, mid);
        sqlite3_bind_int64(st, 2, o->id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            old = (ULONG)sqlite3_column_int64(st, 0);
        else if (rc == SQLITE_DONE)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "%s: no such message in this folder", fn);
        else
            hr = fm_db_error(s->db, rc, fn);
        fm_db_finish(st);
    }
    if (hr == S_OK && set) {
        ULONG now = (old & ~ulMask) | (ulNewStatus & ulMask);
        hr = fm_db_prepare(s->db, "UPDATE messages SET status = ?2 WHERE mid = ?1", &st);
        if (hr == S_OK) {
            sqlite3_bind_int64(st, 1, mid);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
            int rc = sqlite3_step(st);
            if (rc != SQLITE_DONE)
                hr = fm_db_error(s->db, rc, fn);
            fm_db_finish(st);
        }
    }
    if (set)
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    fm_store_unlock(s);
    if (hr == S_OK && lpulStatus != NULL)
        *lpulStatus = old;
    return hr;
}
