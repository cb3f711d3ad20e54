/*
 * rop/rop_handles.c - the Server object handle table of a session context
 * ([MS-OXCROPS] 1.3.1, 3.2.5.1): a handle (uint32) names a Server object,
 * which holds a MAPI object and a reference on the object it came from.
 * RopRelease takes a handle out of the table; the object is released when
 * no child needs it any more. A handle is generation << 16 | slot, so a
 * released handle never names the object later put in its slot, and no
 * handle is 0xFFFFFFFF (the "no handle" clients fill the table with).
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "rop/rop_int.h"

static void object_unref(fm_rop_object *obj)
{
    while (obj && --obj->refs == 0) {
        fm_rop_object *parent = obj->parent;

        if (obj->state_free)
            obj->state_free(obj->state);
        if (obj->unk)
            obj->unk->lpVtbl->Release(obj->unk);
        fm_free(obj);
        obj = parent;
    }
}

void fm_rop_handles_clear(fm_rop_handles *h)
{
    size_t i;

    /* Children first: a later slot may hold an object opened from an
     * earlier one, but references keep every parent alive until its last
     * child goes, so any order frees everything exactly once. */
    for (i = 0; i < h->count; i++)
        if (h->slots[i])
            object_unref(h->slots[i]);
    fm_free(h->slots);
    fm_free(h->gens);
    memset(h, 0, sizeof(*h));
}

static HRESULT handles_slot(fm_rop_handles *h, size_t *slot)
{
    size_t i;

    for (i = 0; i < h->count; i++)
        if (!h->slots[i]) {
            *slot = i;
            return S_OK;
        }
    if (h->count == FM_ROP_MAX_OBJECTS)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "a session holds at most %d objects",
                            FM_ROP_MAX_OBJECTS);
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        fm_rop_object **slots = fm_realloc(h->slots, cap * sizeof(*slots));
        uint16_t *gens;

        if (!slots)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        h->slots = slots;
        gens = fm_realloc(h->gens, cap * sizeof(*gens));
        if (!gens)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        h->gens = gens;
        h->cap = cap;
    }
    h->slots[h->count] = NULL;
    h->gens[h->count] = 0;
    *slot = h->count++;
    return S_OK;
}

HRESULT fm_rop_object_add(fm_rop_context *ctx, fm_rop_kind kind, fm_rop_object *parent,
                          uint8_t logon_id, LPUNKNOWN unk, fm_rop_object **out)
{
    fm_rop_object *obj = fm_calloc(1, sizeof(*obj));
    size_t slot = 0;
    HRESULT hr;

    *out = NULL;
    if (!obj) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto fail;
    }
    hr = handles_slot(&ctx->handles, &slot);
    if (FAILED(hr))
        goto fail;
    obj->kind = kind;
    obj->refs = 1;
    obj->logon_id = logon_id;
    obj->unk = unk;
    obj->parent = parent;
    if (parent)
        parent->refs++;
    /* generation 0x7FFF at most, so no handle is 0xFFFFFFFF */
    obj->handle = (uint32_t)ctx->handles.gens[slot] << 16 | (uint32_t)slot;
    ctx->handles.slots[slot] = obj;
    *out = obj;
    return S_OK;

fail:
    fm_free(obj);
    if (unk)
        unk->lpVtbl->Release(unk);
    return hr;
}

fm_rop_object *fm_rop_object_find(fm_rop_context *ctx, uint32_t handle)
{
    size_t slot = handle & 0xFFFF;
    fm_rop_object *obj;

    if (slot >= ctx->handles.count)
        return NULL;
    obj = ctx->handles.slots[slot];
    return obj && obj->handle == handle ? obj : NULL;
}

void fm_rop_object_release(fm_rop_context *ctx, fm_rop_object *obj)
{
    size_t slot = obj->handle & 0xFFFF, i;

    if (obj->handle == FM_ROP_NO_HANDLE)
        return;
    ctx->handles.slots[slot] = NULL;
    ctx->handles.gens[slot] = (uint16_t)((ctx->handles.gens[slot] + 1) & 0x7FFF);
    obj->handle = FM_ROP_NO_HANDLE;
    for (i = 0; i < 256; i++)
        if (ctx->logons[i] == obj)
            ctx->logons[i] = NULL;
    /* The objects opened through a released logon go with it: their
     * handles name nothing from now on (ecNullObject). */
    if (obj->kind == FM_ROP_OBJ_LOGON && obj->state)
        ((fm_rop_logon_state *)obj->state)->released = true;
    object_unref(obj);
}

fm_rop_object *fm_rop_input(fm_rop_call *call, uint8_t index, unsigned kinds, uint32_t *ec)
{
    fm_rop_object *obj;

    /* [MS-OXCROPS] 3.2.5.1: an invalid index fails the ROP with 0x4B9;
     * so does a handle that names nothing, or an object of another logon
     * or of a kind the ROP does not act on. */
    *ec = FM_EC_NULL_OBJECT;
    if (index >= call->table_len)
        return NULL;
    obj = fm_rop_object_find(call->ctx, call->table[index]);
    if (!obj || obj->logon_id != call->logon_id || !(kinds & (1u << obj->kind)))
        return NULL;
    /* Rights are checked again at every Execute (rop.c): an object of a
     * mailbox whose right was revoked answers ecAccessDenied. */
    if (fm_rop_logon_of(obj) && fm_rop_logon_of(obj)->released)
        return NULL;
    if (fm_rop_logon_of(obj) && fm_rop_logon_of(obj)->revoked) {
        *ec = 0x80070005u;
        return NULL;
    }
    *ec = 0;
    return obj;
}

bool fm_rop_output_ok(const fm_rop_call *call, uint8_t index)
{
    return index < call->table_len;
}

void fm_rop_set_output(fm_rop_call *call, uint8_t index, fm_rop_object *obj)
{
    call->table[index] = obj->handle;
    call->created = obj->handle;
}

fm_rop_object *fm_rop_input_out(fm_rop_call *call, unsigned kinds, uint8_t out_index,
                                uint32_t *ec)
{
    fm_rop_object *in = fm_rop_input(call, call->input_index, kinds, ec);

    if (in && !fm_rop_output_ok(call, out_index)) {
        *ec = FM_EC_NULL_OBJECT;
        return NULL;
    }
    return in;
}

void fm_rop_put_ok(fm_rop_call *call, uint8_t index)
{
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, index);
    fm_rop_put_u32(call->resp, 0);
}

HRESULT fm_rop_failed(fm_rop_call *call, uint8_t index, HRESULT hr)
{
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    fm_rop_put_failure(call, index, fm_rop_ec(hr));
    return S_OK;
}

HRESULT fm_rop_output_object(fm_rop_call *call, fm_rop_kind kind, fm_rop_object *parent,
                             uint8_t out_index, LPUNKNOWN unk)
{
    fm_rop_object *obj;
    HRESULT hr = fm_rop_object_add(call->ctx, kind, parent, call->logon_id, unk, &obj);

    if (FAILED(hr))
        return hr;
    fm_rop_set_output(call, out_index, obj);
    fm_rop_put_ok(call, out_index);
    return S_OK;
}
