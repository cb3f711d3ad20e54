/*
 * store/bulk_copy.c - CopyMessages and folder-wide copies and moves, local
 * and across stores (see bulk_copy.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapix.h"
#include "store/bulk_batch.h"
#include "store/bulk_copy.h"
#include "store/store_notify.h"
#include "store/bulk_cursor.h"
#include "store/bulk_delete.h"
#include "store/bulk_probe.h"
#include "store/folder.h"
#include "store/folder_row.h"
#include "store/message.h"
#include "store/message_tree.h"
#include "store/message_save_with.h"
#include "store/submit_queue.h"

HRESULT fm_bulk_dest_of(fm_store *s, void *dest, fm_bulk_dest *out)
{
    fm_object *d = fm_folder_local(dest);
    out->fid = 0;
    out->remote = dest;
    if (d != NULL && memcmp(d->store->uid.ab, s->uid.ab, sizeof s->uid.ab) == 0) {
        out->fid = d->id;
        out->remote = NULL;
        if (!d->writable)
            return fm_error_set(MAPI_E_NO_ACCESS, "the destination folder is open read-only");
        return fm_folder_exists(s, d->id);
    }
    return S_OK;
}

static HRESULT set_folder(fm_store *s, int64_t mid, int64_t fid)
{
    return fm_db_exec_ints(s->db,
                           "UPDATE messages SET fid = ?2, parent_attach = NULL,"
                           " change_num = change_num + 1 WHERE mid = ?1",
                           FM_DB_INTS(mid, fid), "moving a message");
}

/* One message within the store, inside the batch's transaction. */
static HRESULT local_one(fm_store *s, int64_t mid, int64_t from, int64_t to, bool move,
                         bool *copied)
{
    fm_bulk_probe m = { 0 };
    HRESULT hr = fm_bulk_probe_message(s, mid, from, false, "copying a message", &m);
    *copied = m.found;
    if (hr != S_OK || !*copied || (move && from == to))
        return hr;
    /* Both counts may move (an unread message moved or copied). */
    unsigned counts = m.assoc ? 0 : FM_COUNT_TOTAL | (m.flags & MSGFLAG_READ ? 0 : FM_COUNT_UNREAD);
    if (move) {
        hr = set_folder(s, mid, to);
        if (hr == S_OK)
            hr = fm_store_notify_object(s, fnevObjectMoved, MAPI_MESSAGE, mid, to, mid, from);
        if (hr == S_OK)
            hr = fm_store_notify_counts(s, from, counts);
        if (hr == S_OK)
            hr = fm_store_notify_counts(s, to, counts);
        return hr;
    }
    int64_t copy = 0;
    hr = fm_message_clone_tree(s->db, mid, 0, &copy);
    if (hr == S_OK)
        hr = set_folder(s, copy, to);
    if (hr == S_OK)
        hr = fm_store_notify_object(s, fnevObjectCopied, MAPI_MESSAGE, copy, to, mid, from);
    if (hr == S_OK)
        hr = fm_store_notify_counts(s, to, counts);
    return hr;
}

/*
 * One message to another store: its own destination save, then (move) the
 * source's deletion. The two stores are two files, with no transaction
 * spanning both, so a move keeps every message in one place this way:
 *
 * - Into a freemapi store the copy carries a "moved from" key: a row of the
 *   destination's delivered table (origin: the source store's UID; qid: -mid,
 *   as submissions use positive ones; target MOVE_TARGET), written in the
 *   transaction that saves the copy. A move that finds the key of a copy
 *   still there (an earlier run saved it, then was interrupted) makes no
 *   second copy: it only deletes the source, finishing that run.
 * - When the source's deletion fails after the copy was saved, the copy is
 *   deleted again (rolled back), so the message stays in the source alone;
 *   should that deletion fail too, the key left behind lets the next run
 *   finish the move instead of copying again.
 */
#define MOVE_TARGET 0

typedef struct move_key {
    const MAPIUID *origin;
    int64_t qid;
    int64_t copy; /* the copy's mid in the destination, once saved */
} move_key;

static HRESULT claim_move(void *ctx, fm_store *t, int64_t mid, int64_t now)
{
    move_key *k = ctx;
    k->copy = mid;
    return fm_delivered_claim(t, k->origin, k->qid, MOVE_TARGET, mid, now);
}

/* Whether an earlier, interrupted move left its copy in t (*done). */
static HRESULT moved_before(fm_store *t, const move_key *k, bool *done)
{
    int64_t copy = 0;
    fm_store_lock(t);
    HRESULT hr = fm_delivered_live_copy(t, k->origin, k->qid, MOVE_TARGET, &copy);
    fm_store_unlock(t);
    *done = hr == S_OK && copy > 0;
    return hr;
}

/* The copy of message src in dest, saved; *eid its entry ID (for a roll
 * back), freed by the caller. */
static HRESULT save_copy(fm_store *s, int64_t mid, bool assoc, IMAPIFolder *dest,
                         fm_store *t, move_key *k, LPSPropValue *eid)
{
    IMessage *src = NULL, *dst = NULL;
    HRESULT hr = fm_message_open(s, mid, false, &src);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(dest, NULL, assoc ? MAPI_ASSOCIATED : 0, &dst);
    LPSPropProblemArray problems = NULL;
    if (hr == S_OK)
        hr = IMessage_CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dst, 0, &problems);
    MAPIFreeBuffer(problems);
    if (hr == S_OK)
        hr = t != NULL && k != NULL ? fm_message_save_with(dst, 0, claim_move, k)
                                    : IMessage_SaveChanges(dst, 0);
    if (hr == S_OK && eid != NULL && HrGetOneProp((LPMAPIPROP)dst, PR_ENTRYID, eid) != S_OK)
        *eid = NULL; /* no roll back possible: the key (if any) still guards a re-run */
    if (dst != NULL)
        IMessage_Release(dst);
    if (src != NULL)
        IMessage_Release(src);
    return hr;
}

/* Deletes the copy just made, after the source's deletion failed. */
static void roll_back_copy(IMAPIFolder *dest, LPSPropValue eid)
{
    if (eid == NULL)
        return;
    ENTRYLIST l = { .cValues = 1, .lpbin = &eid->Value.bin };
    HRESULT hr = IMAPIFolder_DeleteMessages(dest, &l, 0, NULL, DELETE_HARD_DELETE);
    (void)hr; /* the caller reports the first failure; the key covers this one */
}

static HRESULT remove_source(fm_store *s, int64_t mid, int64_t from)
{
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    bool removed = false;
    if (hr == S_OK) {
        hr = fm_bulk_remove_message(s, mid, from, true, false, 0, &removed);
        hr = hr == S_OK ? fm_db_commit(s->db) : (fm_db_rollback(s->db), hr);
    }
    fm_store_unlock(s);
    return hr;
}

/* Takes the store locks itself. */
static HRESULT remote_one(fm_store *s, int64_t mid, int64_t from, IMAPIFolder *dest, bool move,
                          bool *copied)
{
    fm_bulk_probe m = { 0 };
    fm_store_lock(s);
    HRESULT hr = fm_bulk_probe_message(s, mid, from, false, "copying a message", &m);
    fm_store_unlock(s);
    *copied = m.found;
    if (hr != S_OK || !*copied)
        return hr;
    if (!move)
        return save_copy(s, mid, m.assoc, dest, NULL, NULL, NULL);
    fm_object *d = fm_folder_local(dest);
    fm_store *t = d != NULL ? d->store : NULL;
    move_key k = { .origin = &s->uid, .qid = -mid };
    bool done = false;
    if (t != NULL)
        hr = moved_before(t, &k, &done);
    LPSPropValue eid = NULL;
    if (hr == S_OK && !done)
        hr = save_copy(s, mid, m.assoc, dest, t, &k, &eid);
    if (hr == S_OK) {
        hr = remove_source(s, mid, from);
        if (hr != S_OK) {
            HRESULT first = hr;
            char text[512];
            snprintf(text, sizeof text, "%s", fm_error_text());
            roll_back_copy(dest, eid);
            hr = fm_error_set(first, "%s", text);
        }
    }
    MAPIFreeBuffer(eid);
    return hr;
}

/* ---- CopyMessages --------------------------------------------------------------------- */

typedef struct list_copy {
    fm_store *s;
    int64_t from;
    fm_bulk_dest dest;
    LPENTRYLIST list;
    bool move;
    ULONG next, done;
    bool partial;
} list_copy;

static HRESULT list_copy_item(list_copy *c)
{
    SBinary *b = &c->list->lpbin[c->next++];
    int64_t mid = 0;
    bool copied = false;
    HRESULT hr = S_OK;
    if (fm_folder_message_id(c->s, b->cb, (LPENTRYID)b->lpb, &mid) == S_OK)
        hr = c->dest.remote ? remote_one(c->s, mid, c->from, c->dest.remote, c->move, &copied)
                            : local_one(c->s, mid, c->from, c->dest.fid, c->move, &copied);
    c->partial |= !copied;
    c->done++;
    return hr;
}

static HRESULT list_copy_step(void *ctx, bool *more)
{
    list_copy *c = ctx;
    HRESULT hr = list_copy_item(c);
    *more = c->next < c->list->cValues;
    return hr;
}

/* Remote copies save into another store one message at a time: no batch
 * transaction of ours spans them, but progress and cancel keep the same
 * rhythm (after a batch's count of messages or its time). */
static HRESULT remote_run(HRESULT (*item)(void *ctx, bool *more), void *ctx, fm_progress *pr,
                          const ULONG *done)
{
    unsigned rows = 0, ms = 0;
    fm_bulk_batch_limits(&rows, &ms);
    HRESULT hr = fm_progress_report(pr, *done);
    bool more = true;
    while (hr == S_OK && more) {
        double t0 = fm_bulk_now_ms();
        for (unsigned n = 0; hr == S_OK && more && n < rows && fm_bulk_now_ms() - t0 < ms; n++)
            hr = item(ctx, &more);
        if (hr == S_OK)
            hr = fm_progress_report(pr, *done);
    }
    return hr;
}

static HRESULT copy_args(fm_object *o, LPENTRYLIST l, LPCIID iid, void *dest, ULONG flags)
{
    const ULONG known = MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK;
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "CopyMessages: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~known));
    if (l == NULL || (l->cValues > 0 && l->lpbin == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyMessages: no message list");
    if (dest == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "CopyMessages: no destination folder");
    if (iid != NULL && !IsEqualIID(iid, &IID_IMAPIFolder))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED,
                            "CopyMessages: the destination must be an IMAPIFolder");
    if ((flags & MESSAGE_MOVE) && !o->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "CopyMessages: moving out of a read-only folder");
    return S_OK;
}

HRESULT fm_bulk_copy_messages(fm_object *o, LPENTRYLIST lpMsgList, LPCIID lpInterface,
                              LPVOID lpDestFolder, LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    HRESULT hr = copy_args(o, lpMsgList, lpInterface, lpDestFolder, ulFlags);
    list_copy c = { .s = o->store, .from = o->id, .list = lpMsgList,
                    .move = (ulFlags & MESSAGE_MOVE) != 0 };
    if (hr == S_OK)
        hr = fm_bulk_dest_of(o->store, lpDestFolder, &c.dest);
    fm_progress pr;
    if (hr == S_OK)
        hr = fm_progress_start(&pr, (ulFlags & MESSAGE_DIALOG) ? lpProgress : NULL,
                               lpMsgList->cValues);
    if (hr != S_OK)
        return hr;
    if (lpMsgList->cValues == 0)
        return fm_progress_report(&pr, 0);
    if (c.dest.remote != NULL) {
        hr = remote_run(list_copy_step, &c, &pr, &c.done);
    } else {
        fm_bulk_loop l = { .s = o->store, .step = list_copy_step, .ctx = &c, .pr = &pr,
                           .done = &c.done };
        hr = fm_bulk_run(&l);
    }
    if (hr == S_OK && c.partial)
        return fm_error_set(MAPI_W_PARTIAL_COMPLETION,
                            "CopyMessages: some entries are not messages of this folder");
    return hr;
}

/* ---- a whole folder's messages -------------------------------------------------------- */

typedef struct folder_copy {
    fm_store *s;
    int64_t from;
    const fm_bulk_dest *dest;
    bool move;
    int assoc;
    fm_bulk_cursor cur; /* copies walk the folder; moves take its first message */
    int64_t max_mid;
    ULONG *done;
} folder_copy;

/* The next message to copy or move (store locked), or 0. */
static HRESULT folder_next(folder_copy *c, int64_t *mid)
{
    HRESULT hr = S_OK;
    for (*mid = 0; hr == S_OK && *mid == 0 && c->assoc < 2;) {
        if (c->move && c->dest->remote == NULL) {
            hr = fm_db_select_int(c->s->db,
                                  "SELECT mid FROM messages WHERE fid = ?1 AND"
                                  " assoc = ?2 AND deleted_at IS NULL AND mid <= ?3"
                                  " LIMIT 1",
                                  FM_DB_INTS(c->from, c->assoc, c->max_mid), 0, mid,
                                  "moving a folder's messages");
        } else {
            hr = fm_bulk_cursor_next(c->s->db, &c->cur, mid);
        }
        if (hr == S_OK && *mid == 0 && ++c->assoc < 2)
            fm_bulk_cursor_init(&c->cur, c->from, c->assoc, c->max_mid);
    }
    return hr;
}

static HRESULT folder_local_step(void *ctx, bool *more)
{
    folder_copy *c = ctx;
    int64_t mid = 0;
    HRESULT hr = folder_next(c, &mid);
    if (hr != S_OK || mid == 0) {
        *more = false;
        return hr;
    }
    bool copied = false;
    hr = local_one(c->s, mid, c->from, c->dest->fid, c->move, &copied);
    *c->done += copied;
    return hr;
}

static HRESULT folder_remote_item(void *ctx, bool *more)
{
    folder_copy *c = ctx;
    int64_t mid = 0;
    fm_store_lock(c->s);
    HRESULT hr = folder_next(c, &mid);
    fm_store_unlock(c->s);
    if (hr != S_OK || mid == 0) {
        *more = false;
        return hr;
    }
    bool copied = false;
    hr = remote_one(c->s, mid, c->from, c->dest->remote, c->move, &copied);
    *c->done += copied;
    return hr;
}

HRESULT fm_bulk_copy_folder_messages(fm_store *s, int64_t from, const fm_bulk_dest *d,
                                     bool move, fm_progress *pr, ULONG *done)
{
    folder_copy c = { .s = s, .from = from, .dest = d, .move = move, .done = done };
    fm_store_lock(s);
    HRESULT hr = fm_db_select_int(s->db, "SELECT max(mid) FROM messages", FM_DB_NO_INTS, 0,
                                  &c.max_mid, "copying a folder");
    fm_store_unlock(s);
    if (hr != S_OK)
        return hr;
    fm_bulk_cursor_init(&c.cur, from, 0, c.max_mid);
    if (d->remote != NULL)
        return remote_run(folder_remote_item, &c, pr, done);
    fm_bulk_loop l = { .s = s, .step = folder_local_step, .ctx = &c, .pr = pr, .done = done };
    return fm_bulk_run(&l);
}
