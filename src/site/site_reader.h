/*
 * site/site_reader.h - paging through a site's directory: the users and
 * lists (in id order) with the attributes an address book shows, and a
 * list's members. For the address book (global address list); a page is
 * bounded by the caller, so a 100,000-entry directory is never loaded whole.
 */
#ifndef FREEMAPI_SITE_SITE_READER_H
#define FREEMAPI_SITE_SITE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "site/site.h"

/*
 * Up to max entries with id > after, in id order, into an fm_malloc'd
 * array (*n of them; free with fm_site_page_free). Password hashes are not
 * read. *n < max means the end was reached.
 */
HRESULT fm_site_page(fmapi_site *site, int64_t after, size_t max, fm_site_entry **out,
                     size_t *n);
void fm_site_page_free(fm_site_entry *entries, size_t n);

/* The entry ids of list's members, ascending (fm_malloc'd, NULL when none). */
HRESULT fm_site_members(fmapi_site *site, int64_t list, int64_t **ids, size_t *n);

#endif /* FREEMAPI_SITE_SITE_READER_H */
