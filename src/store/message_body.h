/*
 * store/message_body.h - a message's bodies kept in sync as Exchange keeps
 * them: the bodies a client wrote are kept as written, and PR_BODY, PR_HTML,
 * PR_RTF_COMPRESSED, PR_RTF_IN_SYNC and PR_NATIVE_BODY_INFO that it did not
 * write are derived from them when read (message_body.c).
 */
#ifndef FREEMAPI_STORE_MESSAGE_BODY_H
#define FREEMAPI_STORE_MESSAGE_BODY_H

#include "store/object.h"

/* The tags fm_message_body_derive answers, in their natural types. */
#define FM_MESSAGE_N_DERIVED 5
/* PR_NATIVE_BODY_INFO and PR_RTF_IN_SYNC are listed; the derived bodies
 * are not (message_body.c says why). */
#define FM_MESSAGE_N_DERIVED_LISTED 2
extern const ULONG FM_MESSAGE_DERIVED[FM_MESSAGE_N_DERIVED];

/* The fm_object_class derived hook of messages (see store/object.h). */
HRESULT fm_message_body_derive(fm_object *o, const fm_stream_prop *sp, size_t nsp, ULONG tag,
                               void *parent, SPropValue *out);

#endif /* FREEMAPI_STORE_MESSAGE_BODY_H */
