/*
 * freemapi_msg.h - .msg files ([MS-OXMSG]) in and out of message stores:
 * freemapi's extension over OpenIMsgOnIStg (imessage.h).
 *
 * Both calls copy everything a message is made of: every property (named
 * ones matched by name, large ones in constant memory through streams),
 * recipients, attachments, embedded messages to any depth (up to 64
 * levels) and OLE storage attachments where the destination holds them.
 * What identifies a message in its container (entry IDs, record and source
 * keys) is the destination's own. Files are written Unicode, whole, 0600,
 * and appear under their name only once complete. When something cannot
 * be copied (a damaged property of the file, a named property with no
 * name), the rest is still copied and the call returns
 * MAPI_W_ERRORS_RETURNED with what was lost in fmapi_last_error().
 */
#ifndef FREEMAPI_MSG_H
#define FREEMAPI_MSG_H

#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* fmapi_msg_save flags */
#define FMAPI_MSG_REPLACE ((ULONG)0x00000001) /* replace an existing file */
/* fmapi_msg_import flags */
#define FMAPI_MSG_ASSOCIATED ((ULONG)0x00000040) /* an associated message (MAPI_ASSOCIATED) */
/* The new message is handed over unsaved in *lppMessage (required): the
 * caller adds to it and saves it, so what it adds is saved in the same
 * transaction (an import's own key, say), or releases it to drop it. */
#define FMAPI_MSG_UNSAVED ((ULONG)0x00000080)

/*
 * Writes lpMessage (any IMessage, read-only is enough) to a new .msg file
 * at path (UTF-8). Without FMAPI_MSG_REPLACE an existing file is
 * MAPI_E_COLLISION. On failure nothing is left at path.
 */
STDAPI fmapi_msg_save(LPMESSAGE lpMessage, const char *path, ULONG ulFlags);

/*
 * Reads the .msg file at path into a new message of lpFolder and saves it
 * (unless FMAPI_MSG_UNSAVED). lppMessage, if not NULL, gets the message
 * (release it). Damaged
 * files: MAPI_E_CORRUPT_DATA (nothing imported) when the file's structure
 * cannot be read, MAPI_W_ERRORS_RETURNED when only some properties could
 * not be.
 */
STDAPI fmapi_msg_import(LPMAPIFOLDER lpFolder, const char *path, ULONG ulFlags,
                        LPMESSAGE *lppMessage);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MSG_H */
