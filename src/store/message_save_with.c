/*
 * store/message_save_with.c - a message save sharing its transaction with
 * the caller's statements (see message_save_with.h). The phases are those
 * of fmapi_message_save_group (message_row.h), for one message.
 */
#include "store/message.h"
#include "store/message_save_with.h"
#include "store/object.h"

static HRESULT write_with(fm_message_save *sv, fm_save_with_fn fn, void *ctx)
{
    fm_store *s = sv->o->store;
    int64_t now = fm_store_now();
    fm_store_lock(s);
    HRESULT hr = fm_db_begin(s->db);
    if (hr != S_OK) {
        fm_store_unlock(s);
        return hr;
    }
    hr = fm_message_save_write(sv, now);
    if (hr == S_OK && fn != NULL)
        hr = fn(ctx, s, sv->row->mid, now);
    hr = fm_db_end(s->db, hr);
    fm_store_unlock(s);
    return hr;
}

HRESULT fm_message_save_with(IMessage *msg, ULONG ulFlags, fm_save_with_fn fn, void *ctx)
{
    if (!fm_message_is_ours(msg))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "not a message of a freemapi store");
    fm_object *o = fm_object_of(msg);
    fm_message_save sv = { 0 };
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_message_group_prepare(msg, ulFlags, &sv);
    if (hr == S_OK)
        hr = write_with(&sv, fn, ctx);
    fm_message_save_clear(&sv);
    if (hr != S_OK) {
        fm_message_save_abort(&sv);
    } else {
        hr = fm_message_save_finish(&sv);
        fm_message_group_saved(msg, ulFlags);
    }
    pthread_mutex_unlock(&o->lock);
    return hr;
}
