/*
 * store/bulk_probe.h - is a message in a folder, and in what state: the
 * check every bulk operation makes on each entry before touching it.
 */
#ifndef FREEMAPI_STORE_BULK_PROBE_H
#define FREEMAPI_STORE_BULK_PROBE_H

#include "store/object.h"

typedef struct fm_bulk_probe {
    bool found; /* mid is a message of the folder */
    ULONG flags; /* its stored MSGFLAG_* bits */
    bool assoc;  /* it is an associated message */
} fm_bulk_probe;

/* Looks message mid up in folder fid: live messages only, or with
 * any_state soft-deleted ones too. what names the operation in errors. */
HRESULT fm_bulk_probe_message(fm_store *s, int64_t mid, int64_t fid, bool any_state,
                              const char *what, fm_bulk_probe *out);

#endif /* FREEMAPI_STORE_BULK_PROBE_H */
