/*
 * ab/addrbook.h - what the session calls to open its address book.
 */
#ifndef FREEMAPI_AB_ADDRBOOK_H
#define FREEMAPI_AB_ADDRBOOK_H

#include "mapix.h"

/*
 * IMAPISession::OpenAddressBook's work: the address book of session (a
 * session made by MAPILogonEx), its global address list being the site
 * directory of the profile's site mailbox service (none without one).
 * ulFlags: AB_NO_DIALOG, MAPI_UNICODE (others: MAPI_E_UNKNOWN_FLAGS).
 * MAPI_E_INVALID_PARAMETER, MAPI_E_END_OF_SESSION, MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_addrbook_open(IMAPISession *session, ULONG ulFlags, LPADRBOOK *out);

#endif /* FREEMAPI_AB_ADDRBOOK_H */
