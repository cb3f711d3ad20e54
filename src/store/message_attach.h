/*
 * store/message_attach.h - what an IAttach asks of the message it belongs
 * to: its saved state when opened, and taking its changes when saved.
 */
#ifndef FREEMAPI_STORE_MESSAGE_ATTACH_H
#define FREEMAPI_STORE_MESSAGE_ATTACH_H

#include "store/object.h"

/* A copy of attachment num's state: aid, properties (fm_malloc), and the
 * committed streams awaiting the message's save (fm_malloc, not owned). */
typedef struct fm_attach_state {
    int64_t aid;
    void *blob;
    size_t len;
    fm_pending_stream *streams;
    size_t nstreams;
    int64_t embedded_mid; /* a pending embedded message (not owned by the copy) */
} fm_attach_state;

HRESULT fm_message_attach_state(fm_object *msg, ULONG num, fm_attach_state *out);
void fm_attach_state_clear(fm_attach_state *st);

/* IAttach::SaveChanges: attachment num's properties become blob (taken
 * over), and its pending streams are merged into the message's (the owned
 * ones change hands: the caller must mark them not owned). */
HRESULT fm_message_attach_commit(fm_object *msg, ULONG num, void *blob, size_t len,
                                 const fm_pending_stream *streams, size_t n,
                                 int64_t embedded_mid);

/* An embedded message of attach was saved (as scratch message mid). */
void fm_attach_embedded_saved(IAttach *attach, int64_t mid);

/* Opens embedded message mid (read-only) or creates one, owned by attach. */
HRESULT fm_message_open_embedded(IAttach *attach, fm_store *s, int64_t mid, IMessage **out);

/* Opens scratch copy mid of an embedded message for changing: its saves go
 * to attach like a new one's. */
HRESULT fm_message_open_embedded_copy(IAttach *attach, fm_store *s, int64_t mid, IMessage **out);

/* Creates the IAttach for attachment num of message msg. */
HRESULT fm_attach_open(IMessage *msg, ULONG num, bool writable, bool is_new, IAttach **out);

#endif /* FREEMAPI_STORE_MESSAGE_ATTACH_H */
