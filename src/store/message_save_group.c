/*
 * store/message_save_group.c - fmapi_message_save_group: several message
 * saves in one transaction (see include/freemapi_message.h).
 *
 * Each save goes through the same phases as IMessage::SaveChanges
 * (store/message_row.h): every message is encoded first, outside the
 * transaction, so the write lock is held only while rows are written; then
 * all are written in one transaction; after the commit each is marked
 * saved, after a failure each is put back as it was. The group is all or
 * nothing, so no object ever believes a rolled-back save happened.
 *
 * The objects' locks are taken in address order, whatever the order of the
 * caller's array, so two threads saving overlapping groups cannot deadlock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_error.h"
#include "freemapi_message.h"
#include "mapicode.h"
#include "store/message.h"
#include "store/object.h"

typedef struct group {
    ULONG n;
    LPMESSAGE *msgs;      /* the caller's order */
    fm_object **locked;   /* the same objects in address order */
    fm_message_save *sv;  /* one per message, in the caller's order */
    ULONG prepared;       /* how many sv entries need clearing */
} group;

static int by_address(const void *a, const void *b)
{
    const fm_object *x = *(fm_object *const *)a, *y = *(fm_object *const *)b;
    return (x > y) - (x < y);
}

static HRESULT check_arguments(ULONG n, LPMESSAGE *msgs, ULONG flags)
{
    const ULONG known = KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE |
                        MAPI_DEFERRED_ERRORS;
    if (msgs == NULL || n == 0 || n > FMAPI_SAVE_GROUP_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_message_save_group: %lu messages (1 to %d, not NULL)",
                            (unsigned long)n, FMAPI_SAVE_GROUP_MAX);
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "fmapi_message_save_group: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~known));
    if ((flags & KEEP_OPEN_READONLY) && (flags & KEEP_OPEN_READWRITE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_message_save_group: "
                                                      "KEEP_OPEN_READONLY and "
                                                      "KEEP_OPEN_READWRITE together");
    for (ULONG i = 0; i < n; i++) {
        if (msgs[i] == NULL)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "fmapi_message_save_group: message %lu is NULL",
                                (unsigned long)i);
    }
    return S_OK;
}

/* Sorts the objects and refuses a message listed twice or another store's. */
static HRESULT order_locks(group *g)
{
    for (ULONG i = 0; i < g->n; i++)
        g->locked[i] = fm_object_of(g->msgs[i]);
    qsort(g->locked, g->n, sizeof *g->locked, by_address);
    for (ULONG i = 1; i < g->n; i++) {
        if (g->locked[i] == g->locked[i - 1])
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "fmapi_message_save_group: a message is listed twice");
    }
    return S_OK;
}

static void unlock_all(group *g, ULONG count)
{
    for (ULONG i = count; i-- > 0;)
        pthread_mutex_unlock(&g->locked[i]->lock);
}

/* Prefixes the recorded error text with the message's position. */
static HRESULT blame(HRESULT hr, ULONG i)
{
    char text[512];
    snprintf(text, sizeof text, "%s", fmapi_last_error());
    return fm_error_set(hr, "fmapi_message_save_group: message %lu: %s", (unsigned long)i, text);
}

static HRESULT prepare_all(group *g, ULONG flags)
{
    fm_store *store = NULL;
    for (ULONG i = 0; i < g->n; i++) {
        HRESULT hr = fm_message_group_prepare(g->msgs[i], flags, &g->sv[i]);
        g->prepared = i + 1;
        if (hr != S_OK)
            return blame(hr, i);
        if (store != NULL && g->sv[i].o->store != store)
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "fmapi_message_save_group: message %lu is in another store",
                                (unsigned long)i);
        store = g->sv[i].o->store;
    }
    return S_OK;
}

static HRESULT write_all(group *g)
{
    fm_store *s = g->sv[0].o->store;
    int64_t now = fm_store_now();
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    for (ULONG i = 0; hr == S_OK && i < g->n; i++) {
        hr = fm_message_save_write(&g->sv[i], now);
        if (hr != S_OK)
            hr = blame(hr, i);
    }
    if (hr == S_OK)
        hr = fm_db_commit(s->db);
    else
        fm_db_rollback(s->db);
    fm_store_unlock(s);
    return hr;
}

/* After the commit: every message is saved; the first failure to mark one
 * clean is reported (the data is in the store either way). */
static HRESULT finish_all(group *g, ULONG flags)
{
    HRESULT first = S_OK;
    for (ULONG i = 0; i < g->n; i++) {
        HRESULT hr = fm_message_save_finish(&g->sv[i]);
        if (hr == S_OK)
            fm_message_group_saved(g->msgs[i], flags);
        else if (first == S_OK)
            first = blame(hr, i);
    }
    return first;
}

static HRESULT save_locked(group *g, ULONG flags)
{
    HRESULT hr = prepare_all(g, flags);
    if (hr == S_OK)
        hr = write_all(g);
    for (ULONG i = 0; i < g->prepared; i++)
        fm_message_save_clear(&g->sv[i]);
    if (hr != S_OK) {
        for (ULONG i = 0; i < g->prepared; i++)
            fm_message_save_abort(&g->sv[i]);
        return hr;
    }
    return finish_all(g, flags);
}

FREEMAPI_PUBLIC HRESULT fmapi_message_save_group(ULONG cMessages, LPMESSAGE *lppMessages,
                                                 ULONG ulFlags)
{
    HRESULT hr = check_arguments(cMessages, lppMessages, ulFlags);
    if (hr != S_OK)
        return hr;
    group g = { .n = cMessages, .msgs = lppMessages };
    g.locked = fm_malloc(cMessages * sizeof *g.locked);
    g.sv = fm_calloc(cMessages, sizeof *g.sv);
    if (g.locked == NULL || g.sv == NULL) {
        fm_free(g.locked);
        fm_free(g.sv);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory saving a group of messages");
    }
    /* Foreign objects must be refused before their lock is touched. */
    for (ULONG i = 0; i < cMessages && hr == S_OK; i++) {
        if (!fm_message_is_ours(lppMessages[i]))
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER,
                              "fmapi_message_save_group: message %lu is not a message of a "
                              "freemapi store",
                              (unsigned long)i);
    }
    if (hr == S_OK)
        hr = order_locks(&g);
    if (hr == S_OK) {
        for (ULONG i = 0; i < cMessages; i++)
            pthread_mutex_lock(&g.locked[i]->lock);
        hr = save_locked(&g, ulFlags);
        unlock_all(&g, cMessages);
    }
    fm_free(g.locked);
    fm_free(g.sv);
    return hr;
}
