/*
 * simple/simple.h - Simple MAPI (mapi.h) over the Extended MAPI session:
 * what its files share. A Simple MAPI session handle (LHANDLE) is an
 * fm_simple: an IMAPISession with its default store and address book,
 * registered so that a stale or made-up handle is refused with
 * MAPI_E_INVALID_SESSION instead of being followed.
 *
 * Files: simple_logon.c (MAPILogon, MAPILogoff, handles), simple_send.c
 * (MAPISendMail, MAPISendMailW), simple_compose.c (recipients and files of
 * a MapiMessage), simple_msgid.c (message identifiers), simple_find.c
 * (MAPIFindNext), simple_read.c (MAPIReadMail), simple_save.c
 * (MAPISaveMail), simple_delete.c (MAPIDeleteMail), simple_resolve.c
 * (MAPIResolveName), simple_composer.c (MAPI_DIALOG and MAPISendDocuments
 * through the desktop's mail composer), simple_dialogs.c (MAPIAddress and
 * MAPIDetails: dialogs this library does not have).
 */
#ifndef FREEMAPI_SIMPLE_SIMPLE_H
#define FREEMAPI_SIMPLE_SIMPLE_H

#include <stdbool.h>
#include <stdint.h>

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

/* ---- simple_compose.c: building a message from a MapiMessage ------------- */

/* m's recipients (all but MAPI_ORIG), resolved, added to msg. */
ULONG fm_simple_add_recipients(fm_simple *s, IMessage *msg, const MapiMessage *m);

/* File f attached to msg by value (saved: the message is not). */
ULONG fm_simple_attach_file(IMessage *msg, const MapiFileDesc *f);

/* The folder of s's store named by entry-ID property tag (PR_IPM_*). */
HRESULT fm_simple_open_folder(fm_simple *s, ULONG tag, LPMAPIFOLDER *out);

/* ---- simple_read.c and simple_read_files.c: MAPIReadMail's parts ----------- */

/* A copy of s (NULL stays NULL) in root's MAPI block. */
HRESULT fm_simple_strdup(const char *s, void *root, LPSTR *out);

/* "type:address" in root's block (NULL when there is no address). */
HRESULT fm_simple_address(const char *type, const char *addr, void *root, LPSTR *out);

/* The note text and files of msg into m, as flags ask (MAPI_BODY_AS_FILE,
 * MAPI_SUPPRESS_ATTACH). Files go into a new private directory whose path
 * is written into dir (left "" when none was made). */
ULONG fm_simple_read_content(LPMESSAGE msg, FLAGS flags, MapiMessage *m, char *dir,
                             size_t dsize);

/* Removes dir and the files written into it (after a failed read). */
void fm_simple_remove_files(MapiMessage *m, const char *dir);

/* ---- simple_composer.c: the desktop's mail composer ------------------------ */

/* Hands m (recipients, subject, note text, files by path) to the desktop's
 * mail composer through xdg-email; what names the calling function in
 * error texts. MAPI_E_NOT_SUPPORTED when there is none. */
ULONG fm_simple_composer(const MapiMessage *m, const char *what);

/* ---- simple_msgid.c: message identifiers ------------------------------------ */

#define FM_SIMPLE_MSGID_LEN 32

/* A message's place in MAPIFindNext's order: its delivery time, then its id. */
typedef struct fm_simple_msgid {
    uint64_t time; /* PR_MESSAGE_DELIVERY_TIME (FILETIME), 0 when absent */
    uint64_t mid;  /* the message's id in the default store (never 0) */
} fm_simple_msgid;

void fm_simple_msgid_format(const fm_simple_msgid *id, char out[FM_SIMPLE_MSGID_LEN + 1]);
bool fm_simple_msgid_parse(const char *text, fm_simple_msgid *id);

/* The identifier of a message from its PR_ENTRYID and (or NULL)
 * PR_MESSAGE_DELIVERY_TIME values; false when eid is not a message's. */
bool fm_simple_msgid_of(const SPropValue *eid, const SPropValue *time, fm_simple_msgid *id);

/* Opens the message text identifies (flags as for OpenEntry). Simple MAPI
 * codes: MAPI_E_INVALID_MESSAGE for a malformed or unknown identifier. */
ULONG fm_simple_open_message(fm_simple *s, const char *text, ULONG flags, LPMESSAGE *out);

#endif /* FREEMAPI_SIMPLE_SIMPLE_H */
