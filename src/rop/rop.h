/*
 * rop/rop.h - the remote-operations layer of freemapid: the ROP codec and
 * dispatcher that an Execute request ([MS-OXCMAPIHTTP] 2.2.4.2) hands its
 * ROP buffer to.
 *
 * A ROP is a MAPI call serialized ([MS-OXCROPS]), so the layer is a codec
 * and a dispatcher, not a second store: each ROP is decoded, mapped onto the
 * existing store/table/site code (the objects' vtables), and its results
 * encoded. The transport (listeners, TLS, authentication, the MAPI/HTTP
 * envelope) is the daemon's; this layer sees one authenticated user's
 * session context and its Execute buffers.
 *
 * Threads: a context is used by one thread at a time (one Execute at a
 * time per session context, as the MAPI/HTTP session serializes them).
 */
#ifndef FREEMAPI_ROP_ROP_H
#define FREEMAPI_ROP_ROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapidefs.h"
#include "freemapi_site.h"

typedef struct fm_rop_context fm_rop_context;

/* One session context (one MAPI/HTTP Connect) of the authenticated site user `user` (alias or
 * SMTP address) on `site`. The context owns its logons and its server object handle table. */
HRESULT fm_rop_context_new(fmapi_site *site, const char *user, fm_rop_context **out);
void fm_rop_context_free(fm_rop_context *ctx);

/* One Execute: `in` is the request's RopBuffer ([MS-OXCMAPIHTTP] 2.2.4.2.1: RPC_HEADER_EXT
 * headers each followed by its payload, [MS-OXCRPC] 2.2.2.1 / 3.1.4.2.1.1; the payload is
 * RopSize + ROP requests + the ServerObjectHandleTable, [MS-OXCROPS] 2.2.1). Writes the RopBuffer
 * of the response into *out (fm_malloc'd, the caller fm_free's), never more than max_out bytes.
 * S_OK when the buffer was well formed (each ROP's own error is in its response, as Exchange does);
 * MAPI_E_CORRUPT_DATA (with fm_error_set text) for a malformed buffer, MAPI_E_NOT_ENOUGH_MEMORY.
 * (Also MAPI_E_INVALID_PARAMETER for NULL arguments, and MAPI_E_TOO_BIG when max_out cannot hold
 * even the header, handle table and a RopBufferTooSmall response: the transport answers that
 * as ecBufferTooSmall.) */
HRESULT fm_rop_execute(fm_rop_context *ctx, const uint8_t *in, size_t in_len, size_t max_out,
                       uint8_t **out, size_t *out_len);

/*
 * Notifications ([MS-OXCMAPIHTTP] NotificationWait): the RopNotify
 * responses of a context's RopRegisterNotification objects wait in a queue
 * until an Execute carries them. A waiter is a reference on that queue, so
 * it outlives the context safely: fm_rop_context_waiter (NULL for a NULL
 * context), fm_rop_waiter_wait (true as soon as one is pending, false after
 * timeout_ms without), fm_rop_waiter_lost (notifications not queued: queue
 * full or out of memory), fm_rop_waiter_release. Any thread.
 */
typedef struct fm_rop_waiter fm_rop_waiter;
fm_rop_waiter *fm_rop_context_waiter(fm_rop_context *ctx);
bool fm_rop_waiter_wait(fm_rop_waiter *w, unsigned timeout_ms);
uint64_t fm_rop_waiter_lost(fm_rop_waiter *w);
void fm_rop_waiter_release(fm_rop_waiter *w);

#endif /* FREEMAPI_ROP_ROP_H */
