/*
 * ab/addrbook.h - what the session calls to open its address book.
 */
#ifndef FREEMAPI_AB_ADDRBOOK_H
#define FREEMAPI_AB_ADDRBOOK_H

#include "mapix.h"
#include "site/identity.h"

/*
 * IMAPISession::OpenAddressBook's work: the address book of the session
 * whose identity is id, its global address list being id's site directory
 * (NULL: a profile without a site mailbox service; the address book has its
 * root alone). The address book takes its own reference to id.
 * ulFlags: AB_NO_DIALOG, MAPI_UNICODE (others: MAPI_E_UNKNOWN_FLAGS).
 * MAPI_E_INVALID_PARAMETER, MAPI_E_NOT_ENOUGH_MEMORY.
 */
HRESULT fm_addrbook_open(fm_identity *id, ULONG ulFlags, LPADRBOOK *out);

#endif /* FREEMAPI_AB_ADDRBOOK_H */
