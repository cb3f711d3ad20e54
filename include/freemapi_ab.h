/*
 * freemapi_ab.h - the address book's public extensions (freemapi's own):
 * the one-off entry ID flags MAPI documents for mapidefs.h, the expanded
 * membership of distribution lists, and generating the offline address
 * book from a site's directory.
 */
#ifndef FREEMAPI_AB_H
#define FREEMAPI_AB_H

#include "freemapi_oab.h"
#include "freemapi_site.h"
#include "mapidefs.h"

FREEMAPI_BEGIN_DECLS

/* The flags WORD of a one-off entry ID ([MS-OXCDATA] 2.2.5.1; "One-Off
 * Entry Identifiers" in the MAPI reference), in Intel byte order. */
#ifndef MAPI_ONE_OFF_UNICODE
#define MAPI_ONE_OFF_UNICODE 0x8000
#endif
#ifndef MAPI_ONE_OFF_NO_RICH_INFO
#define MAPI_ONE_OFF_NO_RICH_INFO 0x0001
#endif

/* IDistList::GetContentsTable flag (freemapi's): the list's users with
 * nested lists expanded, each user once, loops cut. */
#define FMAPI_AB_EXPAND_LISTS ((ULONG)0x00100000)

/*
 * Generates the offline address book of site's directory (every user and
 * list: DN and SMTP address as the primary keys, names, addresses, the
 * directory attributes, lists' members as DNs) into the existing directory
 * dir, as fmapi_oab_generate does; options may be NULL (sequence 1, name
 * "\Global Address List", the site's DN and a fixed GUID) and its
 * ulSequence, name, dn and guid, when set, are used. lpResult may be NULL.
 * A user or list without an SMTP address (a primary key) is left out of the
 * OAB and counted in lpResult->cSkipped; the others are still written.
 * Errors: those of fmapi_oab_generate and of reading the directory.
 */
FREEMAPI_PUBLIC HRESULT fmapi_site_generate_oab(fmapi_site *site, const char *dir,
                                                const fmapi_oab_options *options,
                                                fmapi_oab_result *lpResult);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_AB_H */
