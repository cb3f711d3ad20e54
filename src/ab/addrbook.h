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

/* Whether eid is the address book's to answer for: a directory entry,
 * container or contact entry ID (FM_SITE_DIRECTORY_UID, malformed ones
 * included, so the address book says what is wrong), or a one-off entry ID.
 * The session routes these to its address book (entryid.c). */
bool fm_addrbook_is_entryid(ULONG cb, const ENTRYID *eid);

/* IAddrBook::CompareEntryIDs of two address book entry IDs: *result TRUE
 * when they name the same entry (one-offs: the same address type and
 * address, ignoring case). MAPI_E_UNKNOWN_ENTRYID (another provider's),
 * MAPI_E_INVALID_ENTRYID (malformed). */
HRESULT fm_addrbook_compare_entryids(ULONG cb1, const ENTRYID *e1, ULONG cb2, const ENTRYID *e2,
                                     ULONG *result);

#endif /* FREEMAPI_AB_ADDRBOOK_H */
