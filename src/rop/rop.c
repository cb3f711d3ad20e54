/*
 * rop/rop.c - the session context and fm_rop_execute: the extended buffer
 * framing of [MS-OXCRPC] 2.2.2.1 / 3.1.4.2.1.1 around the ROP input buffer
 * of [MS-OXCROPS] 2.2.1, and the dispatcher that hands each ROP request to
 * its handler in order ([MS-OXCROPS] 3.2.5.1).
 *
 * Input: RPC_HEADER_EXT (Version 0, Flags, Size, SizeActual) followed by
 * Size bytes of payload, repeated until the header with the Last flag; an
 * obfuscated payload (XorMagic) is reverted first, then a compressed one
 * (Compressed) decompressed, as 2.2.2.1 orders. Each payload is RopSize
 * (its own two bytes and the RopsList), the RopsList, and the
 * ServerObjectHandleTable filling the rest (4 bytes per handle).
 *
 * Output: one RPC_HEADER_EXT per input payload (the last has Last), never
 * compressed nor obfuscated, each payload RopSize, the responses and the
 * handle table as updated by the ROPs (same length as the request's,
 * 3.2.5.2). The whole output fits max_out: when a response would not, it is
 * taken back (with any handle it created) and the payload ends with a
 * RopBufferTooSmall response ([MS-OXCROPS] 2.2.15.1, 3.2.5.2) carrying the
 * requests not processed, which the client resends.
 *
 * A RopId the layer does not implement is answered with the failure
 * response (RopId, InputHandleIndex, ReturnValue ecNotSupported); as the
 * length of a request it does not know cannot be known, processing of that
 * payload stops there. A reserved RopId ([MS-OXCROPS] 2.2.2: "the server
 * SHOULD return an error for the RPC") and a request that cannot be parsed
 * (3.2.5.1: "the RPC MUST fail by returning 0x000004B6", ecRpcFormat) fail
 * the whole Execute with MAPI_E_CORRUPT_DATA, which the transport reports
 * as ecRpcFormat.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "rop/rop_int.h"

/* ---- the dispatch table ([MS-OXCROPS] 2.2.2) ---------------------------------- */
static const fm_rop_handler rop_handlers[256] = {
    [0x01] = fm_rop_release,                 /* RopRelease */
    [0x02] = fm_rop_open_folder,             /* RopOpenFolder */
    [0x03] = fm_rop_open_message,            /* RopOpenMessage */
    [0x04] = fm_rop_get_hierarchy_table,     /* RopGetHierarchyTable */
    [0x05] = fm_rop_get_contents_table,      /* RopGetContentsTable */
    [0x06] = fm_rop_create_message,          /* RopCreateMessage */
    [0x07] = fm_rop_get_properties_specific, /* RopGetPropertiesSpecific */
    [0x08] = fm_rop_get_properties_all,      /* RopGetPropertiesAll */
    [0x09] = fm_rop_get_properties_list,     /* RopGetPropertiesList */
    [0x0A] = fm_rop_set_properties,          /* RopSetProperties */
    [0x0B] = fm_rop_delete_properties,       /* RopDeleteProperties */
    [0x0C] = fm_rop_save_changes_message,    /* RopSaveChangesMessage */
    [0x0D] = fm_rop_remove_all_recipients,   /* RopRemoveAllRecipients */
    [0x0E] = fm_rop_modify_recipients,       /* RopModifyRecipients */
    [0x0F] = fm_rop_read_recipients,         /* RopReadRecipients */
    [0x12] = fm_rop_set_columns,             /* RopSetColumns */
    [0x13] = fm_rop_sort_table,              /* RopSortTable */
    [0x14] = fm_rop_restrict,                /* RopRestrict */
    [0x15] = fm_rop_query_rows,              /* RopQueryRows */
    [0x17] = fm_rop_query_position,          /* RopQueryPosition */
    [0x18] = fm_rop_seek_row,                /* RopSeekRow */
    [0x1C] = fm_rop_create_folder,           /* RopCreateFolder */
    [0x1D] = fm_rop_delete_folder,           /* RopDeleteFolder */
    [0x1E] = fm_rop_delete_messages,         /* RopDeleteMessages */
    [0x21] = fm_rop_get_attachment_table,    /* RopGetAttachmentTable */
    [0x22] = fm_rop_open_attachment,         /* RopOpenAttachment */
    [0x23] = fm_rop_create_attachment,       /* RopCreateAttachment */
    [0x25] = fm_rop_save_changes_attachment, /* RopSaveChangesAttachment */
    [0x27] = fm_rop_get_receive_folder,      /* RopGetReceiveFolder */
    [0x29] = fm_rop_register_notification,   /* RopRegisterNotification */
    [0x2B] = fm_rop_open_stream,             /* RopOpenStream */
    [0x2C] = fm_rop_read_stream,             /* RopReadStream */
    [0x2D] = fm_rop_write_stream,            /* RopWriteStream */
    [0x30] = fm_rop_set_search_criteria,     /* RopSetSearchCriteria */
    [0x31] = fm_rop_get_search_criteria,     /* RopGetSearchCriteria */
    [0x32] = fm_rop_submit_message,          /* RopSubmitMessage */
    [0x33] = fm_rop_move_copy_messages,      /* RopMoveCopyMessages */
    [0x37] = fm_rop_query_columns_all,       /* RopQueryColumnsAll */
    [0x43] = fm_rop_long_term_id_from_id,    /* RopLongTermIdFromId */
    [0x44] = fm_rop_id_from_long_term_id,    /* RopIdFromLongTermId */
    [0x55] = fm_rop_get_names_from_property_ids, /* RopGetNamesFromPropertyIds */
    [0x56] = fm_rop_get_property_ids_from_names, /* RopGetPropertyIdsFromNames */
    [0x58] = fm_rop_empty_folder,            /* RopEmptyFolder */
    [0x5D] = fm_rop_commit_stream,           /* RopCommitStream */
    [0x5E] = fm_rop_get_stream_size,         /* RopGetStreamSize */
    [0x91] = fm_rop_hard_delete_messages,    /* RopHardDeleteMessages */
    [0xFE] = fm_rop_logon,                   /* RopLogon */
};

/* RopId 0x00 is Reserved in the table of 2.2.2, and RopBufferTooSmall
 * (0xFF, 2.2.15.1) exists only as a response: never a request. Any other
 * RopId this layer does not implement is answered ecNotSupported. */
static bool rop_id_reserved(uint8_t id)
{
    return id == 0x00 || id == FM_ROP_BUFFER_TOO_SMALL;
}

/* ---- the session context ------------------------------------------------------ */
HRESULT fm_rop_context_new(fmapi_site *site, const char *user, fm_rop_context **out)
{
    fm_rop_context *ctx;

    if (!out)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_rop_context_new: no output");
    *out = NULL;
    if (!site || !user || !*user)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_rop_context_new: no site or user");
    ctx = fm_calloc(1, sizeof(*ctx));
    if (!ctx)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    ctx->site = site;
    ctx->user = fm_strdup(user);
    ctx->notify = fm_rop_waiter_new();
    if (!ctx->user || !ctx->notify) {
        fm_rop_waiter_release(ctx->notify);
        fm_free(ctx->user);
        fm_free(ctx);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = ctx;
    return S_OK;
}

void fm_rop_context_free(fm_rop_context *ctx)
{
    if (!ctx)
        return;
    fm_rop_handles_clear(&ctx->handles); /* Unadvises every registration first */
    fm_rop_waiter_release(ctx->notify);
    fm_free(ctx->user);
    fm_free(ctx);
}

/* ---- shared response helpers -------------------------------------------------- */
void fm_rop_put_failure(fm_rop_call *call, uint8_t index, uint32_t ec)
{
    fm_rop_put_u8(call->resp, call->rop_id);
    fm_rop_put_u8(call->resp, index);
    fm_rop_put_u32(call->resp, ec);
}

uint32_t fm_rop_ec(HRESULT hr)
{
    return SUCCEEDED(hr) ? 0 : (uint32_t)hr;
}

/* Rights are enforced on every request, not only at RopLogon: before each
 * Execute, every logon to another user's mailbox is checked again with
 * fmapi_site_rights, and one whose owner or full-access right is gone (or
 * whose mailbox was removed) is marked revoked, which fails every ROP on it
 * and on the objects opened from it with ecAccessDenied. A failure to read
 * the directory revokes too: nothing is let in on an error. */
static void context_recheck_rights(fm_rop_context *ctx)
{
    size_t i;

    for (i = 0; i < ctx->handles.count; i++) {
        fm_rop_object *obj = ctx->handles.slots[i];
        fm_rop_logon_state *ls;
        ULONG rights = 0;

        if (!obj || obj->kind != FM_ROP_OBJ_LOGON || !(ls = obj->state) || ls->revoked)
            continue;
        if (FAILED(fmapi_site_rights(ctx->site, ctx->user, ls->mailbox, &rights)) ||
            !(rights & (FMAPI_RIGHT_OWNER | FMAPI_RIGHT_FULL_ACCESS)))
            ls->revoked = true;
    }
}

/* ---- one payload -------------------------------------------------------------- */
typedef struct rop_payload {
    fm_rop_context *ctx;
    const uint8_t *rops; /* the RopsList */
    size_t rops_len;
    uint32_t *table;
    size_t table_len;
    size_t budget;       /* bytes the payload may take in the output */
    bool last;           /* the Last payload: RopNotify responses go at its end */
} rop_payload;

/* Ends the RopsList with RopBufferTooSmall: SizeNeeded and the requests
 * from offset `from` on ([MS-OXCROPS] 2.2.15.1). */
static HRESULT payload_too_small(const rop_payload *pl, fm_rop_writer *w, size_t from,
                                 size_t needed, size_t room)
{
    size_t rest = pl->rops_len - from;

    if (3 + rest > room)
        return fm_error_set(MAPI_E_TOO_BIG,
                            "ROP output buffer of %zu bytes cannot hold even RopBufferTooSmall",
                            pl->budget);
    fm_rop_put_u8(w, FM_ROP_BUFFER_TOO_SMALL);
    fm_rop_put_u16(w, (uint16_t)(needed > 0xFFFF ? 0xFFFF : needed));
    fm_rop_put_bytes(w, pl->rops + from, rest);
    return S_OK;
}

/* Takes back a response that did not fit, and the handle its ROP made. */
static void call_undo(fm_rop_call *call, size_t mark)
{
    call->resp->len = mark;
    if (call->created != FM_ROP_NO_HANDLE) {
        fm_rop_object *obj = fm_rop_object_find(call->ctx, call->created);
        size_t i;

        for (i = 0; i < call->table_len; i++)
            if (call->table[i] == call->created)
                call->table[i] = FM_ROP_NO_HANDLE;
        if (obj)
            fm_rop_object_release(call->ctx, obj);
    }
}

/* Runs the RopsList, writing the responses to w (after RopSize). */
static HRESULT payload_run(const rop_payload *pl, fm_rop_writer *w, size_t fixed)
{
    fm_rop_reader req;
    size_t start = w->len;

    fm_rop_reader_init(&req, pl->rops, pl->rops_len);
    while (fm_rop_reader_left(&req) > 0) {
        size_t from = req.pos, mark = w->len, used = w->len - start;
        size_t room = pl->budget - fixed > used ? pl->budget - fixed - used : 0;
        fm_rop_call call = {pl->ctx, 0, 0, 0, &req, w, pl->table, pl->table_len, room,
                            FM_ROP_NO_HANDLE};
        fm_rop_handler handler;
        HRESULT hr;

        call.rop_id = fm_rop_get_u8(&req);
        call.logon_id = fm_rop_get_u8(&req);
        call.input_index = fm_rop_get_u8(&req);
        if (req.bad)
            return fm_error_set(MAPI_E_CORRUPT_DATA, "ROP request %zu bytes in is truncated", from);
        if (rop_id_reserved(call.rop_id))
            return fm_error_set(MAPI_E_CORRUPT_DATA, "reserved RopId 0x%02X in a request",
                                call.rop_id);
        handler = rop_handlers[call.rop_id];
        if (!handler) {
            /* Unknown length: nothing after it can be parsed (see the top). */
            fm_rop_put_failure(&call, call.input_index, FM_EC_NOT_SUPPORTED);
            if (w->len - mark > room) {
                call_undo(&call, mark);
                return payload_too_small(pl, w, from, fixed + used + 6, room);
            }
            break;
        }
        hr = handler(&call);
        if (hr == MAPI_E_CORRUPT_DATA || req.bad) {
            if (call.created != FM_ROP_NO_HANDLE)
                call_undo(&call, mark);
            return fm_error_set(MAPI_E_CORRUPT_DATA, "ROP 0x%02X request %zu bytes in is %s",
                                call.rop_id, from, req.bad ? "truncated" : "malformed");
        }
        if (FAILED(hr) || w->oom) {
            call_undo(&call, mark);
            return FAILED(hr) ? hr : MAPI_E_NOT_ENOUGH_MEMORY;
        }
        if (w->len - mark > room) {
            size_t needed = fixed + used + (w->len - mark);
            call_undo(&call, mark);
            return payload_too_small(pl, w, from, needed, room);
        }
    }
    /* [MS-OXCNOTIF] 3.1.5.1: pending notifications ride at the end of the
     * ROP output, as many as fit; the rest wait for the next Execute. */
    if (pl->last) {
        size_t used = w->len - start;
        fm_rop_notify_drain(pl->ctx, w, pl->budget - fixed > used ? pl->budget - fixed - used : 0);
    }
    return w->oom ? MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
}

/* Parses one payload and appends header + response payload to w. */
static HRESULT payload_execute(fm_rop_context *ctx, const uint8_t *p, size_t len, size_t budget,
                               bool last, fm_rop_writer *w)
{
    fm_rop_reader r;
    rop_payload pl = {ctx, NULL, 0, NULL, 0, budget, last};
    size_t head = w->len, i, fixed;
    uint16_t rop_size;
    HRESULT hr = S_OK;

    fm_rop_reader_init(&r, p, len);
    rop_size = fm_rop_get_u16(&r);
    if (r.bad || rop_size < 2 || rop_size > len)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "RopSize %u does not fit a payload of %zu bytes",
                            (unsigned)rop_size, len);
    if ((len - rop_size) % 4 != 0)
        return fm_error_set(MAPI_E_CORRUPT_DATA,
                            "ServerObjectHandleTable of %zu bytes is not whole handles",
                            len - rop_size);
    pl.rops = p + 2;
    pl.rops_len = rop_size - 2u;
    pl.table_len = (len - rop_size) / 4;
    fixed = 2 + 4 * pl.table_len;
    if (fixed > budget)
        return fm_error_set(MAPI_E_TOO_BIG,
                            "ROP output buffer of %zu bytes cannot hold the handle table", budget);
    pl.table = fm_malloc((pl.table_len + 1) * sizeof(uint32_t));
    if (!pl.table)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    fm_rop_reader_init(&r, p + rop_size, len - rop_size);
    for (i = 0; i < pl.table_len; i++)
        pl.table[i] = fm_rop_get_u32(&r);

    fm_rop_put_bytes(w, "\0\0\0\0\0\0\0\0\0", FM_RPC_HEADER_SIZE + 2); /* header, RopSize */
    hr = payload_run(&pl, w, fixed);
    if (FAILED(hr))
        goto cleanup;
    rop_size = (uint16_t)(w->len - head - FM_RPC_HEADER_SIZE);
    for (i = 0; i < pl.table_len; i++)
        fm_rop_put_u32(w, pl.table[i]);
    if (w->oom) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    /* RPC_HEADER_EXT: Version 0, Flags, Size = SizeActual (uncompressed). */
    fm_rop_patch_u16(w, head + 2, last ? FM_RPC_LAST : 0);
    fm_rop_patch_u16(w, head + 4, (uint16_t)(w->len - head - FM_RPC_HEADER_SIZE));
    fm_rop_patch_u16(w, head + 6, (uint16_t)(w->len - head - FM_RPC_HEADER_SIZE));
    fm_rop_patch_u16(w, head + FM_RPC_HEADER_SIZE, rop_size);

cleanup:
    fm_free(pl.table);
    return hr;
}

/* The payload of one RPC_HEADER_EXT, reverted and decompressed into *out. */
static HRESULT payload_decode(uint16_t flags, const uint8_t *p, uint16_t size, uint16_t actual,
                              uint8_t **out)
{
    uint8_t *plain = fm_malloc((size_t)actual + 1), *packed = NULL;
    HRESULT hr = S_OK;
    size_t i;

    if (!plain)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(flags & FM_RPC_COMPRESSED)) {
        memcpy(plain, p, size);
        if (flags & FM_RPC_XORMAGIC) /* [MS-OXCRPC] 3.1.7.3: each byte XOR 0xA5 */
            for (i = 0; i < size; i++)
                plain[i] ^= 0xA5;
        *out = plain;
        return S_OK;
    }
    packed = fm_malloc((size_t)size + 1);
    if (!packed) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    memcpy(packed, p, size);
    if (flags & FM_RPC_XORMAGIC)
        for (i = 0; i < size; i++)
            packed[i] ^= 0xA5;
    hr = fm_rop_lz77_decompress(packed, size, plain, actual);

cleanup:
    fm_free(packed);
    if (FAILED(hr))
        fm_free(plain);
    else
        *out = plain;
    return hr;
}

HRESULT fm_rop_execute(fm_rop_context *ctx, const uint8_t *in, size_t in_len, size_t max_out,
                       uint8_t **out, size_t *out_len)
{
    fm_rop_writer w = {0};
    fm_rop_reader r;
    HRESULT hr = S_OK;
    bool last = false;

    if (!out || !out_len)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_rop_execute: no output");
    *out = NULL;
    *out_len = 0;
    if (!ctx || (!in && in_len))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fm_rop_execute: no context or input");
    context_recheck_rights(ctx);
    fm_rop_reader_init(&r, in, in_len);
    while (!last) {
        uint16_t version = fm_rop_get_u16(&r), flags = fm_rop_get_u16(&r);
        uint16_t size = fm_rop_get_u16(&r), actual = fm_rop_get_u16(&r);
        const uint8_t *p = r.bad ? NULL : fm_rop_get_bytes(&r, size);
        uint8_t *plain = NULL;
        size_t budget;

        if (r.bad) {
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "RopBuffer truncated at byte %zu", r.pos);
            goto cleanup;
        }
        /* [MS-OXCRPC] 2.2.2.1: Version MUST be 0; Size and SizeActual agree
         * unless Compressed, and then Size is the smaller. */
        if (version != 0 || (flags & ~(FM_RPC_COMPRESSED | FM_RPC_XORMAGIC | FM_RPC_LAST)) ||
            ((flags & FM_RPC_COMPRESSED) ? size >= actual : size != actual) ||
            actual > FM_RPC_MAX_PAYLOAD) {
            hr = fm_error_set(MAPI_E_CORRUPT_DATA,
                              "bad RPC_HEADER_EXT (version %u, flags 0x%04X, size %u/%u)",
                              (unsigned)version, (unsigned)flags, (unsigned)size, (unsigned)actual);
            goto cleanup;
        }
        last = (flags & FM_RPC_LAST) != 0;
        if (w.len + FM_RPC_HEADER_SIZE > max_out) {
            hr = fm_error_set(MAPI_E_TOO_BIG, "no room for a response header");
            goto cleanup;
        }
        budget = max_out - w.len - FM_RPC_HEADER_SIZE;
        if (budget > FM_RPC_MAX_PAYLOAD)
            budget = FM_RPC_MAX_PAYLOAD;
        hr = payload_decode(flags, p, size, actual, &plain);
        if (SUCCEEDED(hr))
            hr = payload_execute(ctx, plain, actual, budget, last, &w);
        fm_free(plain);
        if (FAILED(hr))
            goto cleanup;
    }
    if (fm_rop_reader_left(&r) != 0) {
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "%zu bytes after the Last RPC_HEADER_EXT payload",
                          fm_rop_reader_left(&r));
        goto cleanup;
    }
    *out = w.buf;
    *out_len = w.len;
    w.buf = NULL;

cleanup:
    fm_rop_writer_clear(&w);
    return hr;
}
