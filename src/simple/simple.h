/*
 * simple/simple.h - Simple MAPI (mapi.h) over the Extended MAPI session:
 * what its files share. A Simple MAPI session handle (LHANDLE) is an
 * fm_simple: an IMAPISession with its default store and address book,
 * registered so that a stale or made-up handle is refused with
 * MAPI_E_INVALID_SESSION instead of being followed.
 *
 * Files: simple_logon.c (MAPILogon, MAPILogoff, handles), simple_send.c
 * (MAPISendMail, MAPISendMailW), simple_resolve.c (MAPIResolveName),
 * simple_dialogs.c (MAPIAddress, MAPIDetails, MAPISendDocuments: dialogs
 * this library does not have).
 */
#ifndef FREEMAPI_SIMPLE_SIMPLE_H
#define FREEMAPI_SIMPLE_SIMPLE_H

#include <stdbool.h>

#include "mapi.h"
#include "mapix.h"

typedef struct fm_simple {
    struct fm_simple *next; /* the registry of live handles */
    IMAPISession *session;
    LPMDB store;   /* the default store, opened for writing */
    LPADRBOOK ab;
} fm_simple;

/*
 * The session a call works in: lhSession's (S_OK, *temp false), or with
 * lhSession 0 a session logged on to the default profile for this call
 * only (*temp true: give it back with fm_simple_put). Simple MAPI codes:
 * MAPI_E_INVALID_SESSION, MAPI_E_LOGIN_FAILURE, MAPI_E_INSUFFICIENT_MEMORY.
 */
ULONG fm_simple_get(LHANDLE lhSession, fm_simple **out, bool *temp);
void fm_simple_put(fm_simple *s, bool temp);

/* The Simple MAPI code for an Extended MAPI failure. */
ULONG fm_simple_code(HRESULT hr);

#endif /* FREEMAPI_SIMPLE_SIMPLE_H */
