/*
 * store/receive.c - receive folders (see receive.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "mapix.h"
#include "store/entryid.h"
#include "store/folder_row.h"
#include "store/receive.h"

/* The class as UTF-8 in buf; "" for NULL. */
static HRESULT class_utf8(LPTSTR cls, ULONG flags, char *buf, size_t cap)
{
    HRESULT hr = fm_text_arg_utf8(cls, (flags & MAPI_UNICODE) != 0, buf, cap, "the message class");
    if (hr == S_OK && strlen(buf) > FM_MESSAGE_CLASS_MAX)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "message class is longer than %d bytes",
                          FM_MESSAGE_CLASS_MAX);
    return hr;
}

HRESULT fm_receive_set(fm_store *s, LPTSTR lpszClass, ULONG ulFlags, ULONG cbEntryID,
                       LPENTRYID lpEntryID)
{
    if (ulFlags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "SetReceiveFolder: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~MAPI_UNICODE));
    if (s->readonly)
        return fm_error_set(MAPI_E_NO_ACCESS, "SetReceiveFolder: the store is read-only");
    char cls[FM_MESSAGE_CLASS_MAX * 3 + 4];
    HRESULT hr = class_utf8(lpszClass, ulFlags, cls, sizeof cls);
    if (hr != S_OK)
        return hr;
    int64_t fid = 0;
    if (cbEntryID > 0 || lpEntryID != NULL) {
        MAPIUID uid;
        int kind;
        uint64_t id;
        hr = fm_entryid_parse(cbEntryID, lpEntryID, &uid, &kind, &id);
        if (hr != S_OK)
            return hr;
        if (memcmp(uid.ab, s->uid.ab, 16) != 0)
            return fm_error_set(MAPI_E_UNKNOWN_ENTRYID, "SetReceiveFolder: another store's folder");
        if (kind != FM_EID_FOLDER)
            return fm_error_set(MAPI_E_INVALID_ENTRYID, "SetReceiveFolder: not a folder");
        fid = (int64_t)id;
        hr = fm_folder_exists(s, fid);
        if (hr != S_OK)
            return hr;
    }
    fm_store_lock(s);
    sqlite3_stmt *st;
    hr = fm_db_prepare(s->db, fid ? "INSERT OR REPLACE INTO receive_folders VALUES (?1, ?2)"
                                  : "DELETE FROM receive_folders WHERE message_class = ?1",
                       &st);
    if (hr == S_OK) {
        sqlite3_bind_text(st, 1, cls, -1, SQLITE_STATIC);
        if (fid)
            sqlite3_bind_int64(st, 2, fid);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
            hr = fm_db_error(s->db, rc, "SetReceiveFolder");
        fm_db_finish(st);
    }
    fm_store_unlock(s);
    return hr;
}

/* The folder set for exactly cls (and still existing), or 0. */
static HRESULT lookup(fm_store *s, const char *cls, int64_t *fid, char *explicit_cls, size_t cap)
{
    *fid = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(s->db,
                               "SELECT r.fid, r.message_class FROM receive_folders r JOIN folders f"
                               " ON f.fid = r.fid AND f.deleted_at IS NULL"
                               " WHERE r.message_class = ?1",
                               &st);
    if (hr != S_OK)
        return hr;
    sqlite3_bind_text(st, 1, cls, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *fid = sqlite3_column_int64(st, 0);
        snprintf(explicit_cls, cap, "%s", (const char *)sqlite3_column_text(st, 1));
    } else if (rc != SQLITE_DONE) {
        hr = fm_db_error(s->db, rc, "GetReceiveFolder");
    }
    fm_db_finish(st);
    return hr;
}

static HRESULT explicit_out(const char *cls, ULONG flags, void *parent, LPTSTR *out)
{
    if (flags & MAPI_UNICODE)
        return fm_utf8_to_utf16_mapi(cls, parent, (LPWSTR *)(void *)out);
    char *copy;
    HRESULT hr = fm_alloc_mapi(strlen(cls) + 1, parent, (void **)&copy);
    if (hr == S_OK) {
        memcpy(copy, cls, strlen(cls) + 1);
        *out = (LPTSTR)copy;
    }
    return hr;
}

HRESULT fm_receive_get(fm_store *s, LPTSTR lpszClass, ULONG ulFlags, ULONG *lpcbEntryID,
                       LPENTRYID *lppEntryID, LPTSTR *lppszExplicitClass)
{
    if (lpcbEntryID == NULL || lppEntryID == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetReceiveFolder: NULL out pointer");
    *lpcbEntryID = 0;
    *lppEntryID = NULL;
    if (lppszExplicitClass != NULL)
        *lppszExplicitClass = NULL;
    if (ulFlags & ~MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "GetReceiveFolder: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~MAPI_UNICODE));
    char cls[FM_MESSAGE_CLASS_MAX * 3 + 4];
    char found[FM_MESSAGE_CLASS_MAX * 3 + 4] = "";
    HRESULT hr = class_utf8(lpszClass, ulFlags, cls, sizeof cls);
    int64_t fid = 0;
    fm_store_lock(s);
    /* Try the class, then each shorter prefix of whole components, then "". */
    while (hr == S_OK) {
        hr = lookup(s, cls, &fid, found, sizeof found);
        if (hr != S_OK || fid != 0 || cls[0] == '\0')
            break;
        char *dot = strrchr(cls, '.');
        if (dot != NULL)
            *dot = '\0';
        else
            cls[0] = '\0';
    }
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    if (fid == 0) { /* nothing set, not even the default: the Inbox */
        fid = s->std_fid[FM_FOLDER_INBOX];
        found[0] = '\0';
    }
    hr = fm_entryid_make(&s->uid, FM_EID_FOLDER, (uint64_t)fid, NULL, lpcbEntryID, lppEntryID);
    if (hr == S_OK && lppszExplicitClass != NULL) {
        hr = explicit_out(found, ulFlags, NULL, lppszExplicitClass);
        if (hr != S_OK) {
            MAPIFreeBuffer(*lppEntryID);
            *lppEntryID = NULL;
            *lpcbEntryID = 0;
        }
    }
    return hr;
}
