/*
 * store/bulk_delete.c - DeleteMessages and EmptyFolder in bounded batches
 * (see bulk_delete.h and bulk_batch.h).
 */
#include "core/error.h"
#include "mapicode.h"
#include "store/bulk_batch.h"
#include "store/bulk_delete.h"
#include "store/bulk_folder.h"
#include "store/bulk_probe.h"
#include "store/folder.h"
#include "store/folder_row.h"
#include "store/message_tree.h"
#include "store/store_notify.h"

static HRESULT soft_delete(fm_store *s, int64_t mid, int64_t now)
{
    return fm_db_exec_ints(s->db,
                           "UPDATE messages SET deleted_at = ?2, change_num ="
                           " change_num + 1 WHERE mid = ?1",
                           FM_DB_INTS(mid, now), "deleting a message");
}

HRESULT fm_bulk_remove_message(fm_store *s, int64_t mid, int64_t fid, bool hard,
                               bool skip_submitted, int64_t now, bool *removed)
{
    fm_bulk_probe m = { 0 };
    *removed = false;
    HRESULT hr = fm_bulk_probe_message(s, mid, fid, hard, "deleting a message", &m);
    if (hr != S_OK || !m.found || (skip_submitted && (m.flags & MSGFLAG_SUBMIT)))
        return hr;
    hr = hard ? fm_message_delete_tree(s->db, mid) : soft_delete(s, mid, now);
    if (hr == S_OK)
        hr = fm_store_notify_object(s, fnevObjectDeleted, MAPI_MESSAGE, mid, fid, 0, 0);
    if (hr == S_OK && !m.assoc)
        hr = fm_store_notify_counts(s, fid,
                                    FM_COUNT_TOTAL | (m.flags & MSGFLAG_READ ? 0 : FM_COUNT_UNREAD));
    *removed = hr == S_OK;
    return hr;
}

/* ---- DeleteMessages ---------------------------------------------------------------- */

typedef struct list_delete {
    fm_store *s;
    int64_t fid;
    LPENTRYLIST list;
    bool hard;
    int64_t now;
    ULONG next, done;
    bool partial;
} list_delete;

static HRESULT list_delete_step(void *ctx, bool *more)
{
    list_delete *d = ctx;
    SBinary *b = &d->list->lpbin[d->next++];
    int64_t mid = 0;
    bool removed = false;
    HRESULT hr = S_OK;
    if (fm_folder_message_id(d->s, b->cb, (LPENTRYID)b->lpb, &mid) == S_OK)
        hr = fm_bulk_remove_message(d->s, mid, d->fid, d->hard, true, d->now, &removed);
    d->partial |= !removed;
    d->done++;
    *more = d->next < d->list->cValues;
    return hr;
}

static HRESULT check_list(LPENTRYLIST l, const char *fn)
{
    if (l == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpMsgList is NULL", fn);
    if (l->cValues > 0 && l->lpbin == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: lpMsgList->lpbin is NULL", fn);
    return S_OK;
}

HRESULT fm_bulk_delete_messages(fm_object *o, LPENTRYLIST lpMsgList, LPMAPIPROGRESS lpProgress,
                                ULONG ulFlags)
{
    const ULONG known = MESSAGE_DIALOG | DELETE_HARD_DELETE;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "DeleteMessages: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    HRESULT hr = check_list(lpMsgList, "DeleteMessages");
    if (hr != S_OK)
        return hr;
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "DeleteMessages: the folder is open read-only");
    list_delete d = { .s = o->store, .fid = o->id, .list = lpMsgList,
                      .hard = (ulFlags & DELETE_HARD_DELETE) != 0, .now = fm_store_now() };
    fm_progress pr;
    /* The progress object is used only with MESSAGE_DIALOG, as documented. */
    hr = fm_progress_start(&pr, (ulFlags & MESSAGE_DIALOG) ? lpProgress : NULL,
                           lpMsgList->cValues);
    if (hr != S_OK)
        return hr;
    if (lpMsgList->cValues == 0)
        return fm_progress_report(&pr, 0);
    fm_bulk_loop l = { .s = o->store, .step = list_delete_step, .ctx = &d, .pr = &pr,
                       .done = &d.done };
    hr = fm_bulk_run(&l);
    if (hr == S_OK && d.partial)
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION, "DeleteMessages: some entries are not "
                            "messages of this folder, or are submitted");
    return hr;
}

/* ---- clearing a folder ------------------------------------------------------------ */

typedef struct clear_ctx {
    fm_store *s;
    int64_t fid;
    int64_t max_mid; /* messages arriving during the clearing are left alone */
    bool hard, skip_submitted;
    int64_t now;
    int phase, nphase;
    int assoc[4];
    bool soft_rows[4]; /* the phase takes soft-deleted rows (hard deletes only) */
    ULONG *done;
    bool *partial;
} clear_ctx;

/* The first remaining message of the current phase, or 0. */
static HRESULT first_of_phase(clear_ctx *c, int64_t *mid)
{
    const char *sql =
        c->soft_rows[c->phase]
            ? "SELECT mid FROM messages WHERE fid = ?1 AND assoc = ?2 AND deleted_at IS NOT NULL"
              " AND mid <= ?3 LIMIT 1"
            : (c->skip_submitted ? "SELECT mid FROM messages WHERE fid = ?1 AND assoc = ?2 AND"
                                   " deleted_at IS NULL AND mid <= ?3 AND (flags & 4) = 0 LIMIT 1"
                                 : "SELECT mid FROM messages WHERE fid = ?1 AND assoc = ?2 AND"
                                   " deleted_at IS NULL AND mid <= ?3 LIMIT 1");
    return fm_db_select_int(c->s->db, sql, FM_DB_INTS(c->fid, c->assoc[c->phase], c->max_mid), 0,
                            mid, "emptying a folder");
}

static HRESULT clear_step(void *ctx, bool *more)
{
    clear_ctx *c = ctx;
    int64_t mid = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && mid == 0 && c->phase < c->nphase) {
        hr = first_of_phase(c, &mid);
        if (hr == S_OK && mid == 0)
            c->phase++;
    }
    if (hr != S_OK || mid == 0) {
        *more = false;
        return hr;
    }
    hr = c->hard ? fm_message_delete_tree(c->s->db, mid) : soft_delete(c->s, mid, c->now);
    if (hr == S_OK)
        (*c->done)++;
    return hr;
}

static void set_phases(clear_ctx *c, bool assoc, bool hard)
{
    for (int a = 0; a <= (assoc ? 1 : 0); a++) {
        c->assoc[c->nphase] = a;
        c->soft_rows[c->nphase++] = false;
        if (hard) {
            c->assoc[c->nphase] = a;
            c->soft_rows[c->nphase++] = true;
        }
    }
}

HRESULT fm_bulk_count_messages(fm_store *s, int64_t fid, bool assoc, bool hard, ULONG *out)
{
    int64_t n = 0;
    /* Each count spells its deleted_at test so it runs on its partial index. */
    const char *sql =
        hard ? (assoc ? "SELECT (SELECT count(*) FROM messages WHERE fid = ?1 AND"
                        " deleted_at IS NULL) + (SELECT count(*) FROM messages WHERE fid = ?1"
                        " AND deleted_at IS NOT NULL)"
                      : "SELECT (SELECT count(*) FROM messages WHERE fid = ?1 AND assoc = 0 AND"
                        " deleted_at IS NULL) + (SELECT count(*) FROM messages WHERE fid = ?1"
                        " AND assoc = 0 AND deleted_at IS NOT NULL)")
             : (assoc ? "SELECT count(*) FROM messages WHERE fid = ?1 AND deleted_at IS NULL"
                      : "SELECT count(*) FROM messages WHERE fid = ?1 AND assoc = 0"
                        " AND deleted_at IS NULL");
    fm_store_lock(s);
    HRESULT hr =
        fm_db_select_int(s->db, sql, FM_DB_INTS(fid), 0, &n, "counting a folder's messages");
    fm_store_unlock(s);
    *out = (ULONG)n;
    return hr;
}

static HRESULT max_mid(fm_store *s, int64_t *out)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db, "SELECT max(mid) FROM messages", FM_DB_NO_INTS, 0, out,
                                  "emptying a folder");
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_bulk_clear_messages(fm_store *s, int64_t fid, bool assoc, bool hard,
                               bool skip_submitted, fm_progress *pr, ULONG *done, bool *partial)
{
    clear_ctx c = { .s = s, .fid = fid, .hard = hard, .skip_submitted = skip_submitted,
                    .now = fm_store_now(), .done = done, .partial = partial };
    set_phases(&c, assoc, hard);
    HRESULT hr = max_mid(s, &c.max_mid);
    if (hr != S_OK)
        return hr;
    fm_bulk_loop l = { .s = s, .step = clear_step, .ctx = &c, .pr = pr, .done = done };
    hr = fm_bulk_run(&l);
    if (hr == S_OK && skip_submitted) {
        /* Only the submitted ones it found were left: not messages that
         * arrived meanwhile. */
        int64_t left = 0;
        fm_store_lock(s);
        hr = fm_db_select_int(s->db,
                              "SELECT EXISTS (SELECT 1 FROM messages WHERE fid = ?1 AND"
                              " assoc <= ?2 AND deleted_at IS NULL AND mid <= ?3 AND"
                              " (flags & 4) != 0)",
                              FM_DB_INTS(fid, assoc ? 1 : 0, c.max_mid), 0, &left,
                              "emptying a folder");
        fm_store_unlock(s);
        *partial |= left != 0;
    }
    return hr;
}

/* ---- EmptyFolder ---------------------------------------------------------------------- */

HRESULT fm_bulk_empty_folder(fm_object *o, LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    const ULONG known = FOLDER_DIALOG | DEL_ASSOCIATED | DELETE_HARD_DELETE;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "EmptyFolder: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if (!o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "EmptyFolder: the folder is open read-only");
    fm_store *s = o->store;
    bool hard = (ulFlags & DELETE_HARD_DELETE) != 0, assoc = (ulFlags & DEL_ASSOCIATED) != 0;
    ULONG nmsg = 0, nsub = 0;
    HRESULT hr = fm_bulk_count_messages(s, o->id, assoc, hard, &nmsg);
    if (hr == S_OK)
        hr = fm_bulk_count_subfolders(s, o->id, &nsub);
    fm_progress pr;
    if (hr == S_OK)
        hr = fm_progress_start(&pr, (ulFlags & FOLDER_DIALOG) ? lpProgress : NULL, nmsg + nsub);
    if (hr != S_OK)
        return hr;
    /* The progress counts messages first, then one item per subfolder. */
    ULONG done = 0;
    bool partial = false, kept = false;
    hr = fm_bulk_clear_messages(s, o->id, assoc, hard, true, &pr, &done, &partial);
    if (hr == S_OK)
        hr = fm_bulk_delete_children(s, o->id, hard, &pr, &done, &kept);
    if (hr == S_OK && (partial || kept))
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION, "EmptyFolder: %s were not deleted",
                            kept ? "the standard folders" : "submitted messages");
    return hr;
}
