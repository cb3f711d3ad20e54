/*
 * core/stable_sort.h - a stable merge sort with a context argument.
 *
 * qsort is neither stable nor given a context in C11 (qsort_r is a GNU
 * extension with a different signature on other systems); tables need both:
 * rows that compare equal keep the source's order, and comparisons need the
 * table's sort order.
 */
#ifndef FREEMAPI_CORE_STABLE_SORT_H
#define FREEMAPI_CORE_STABLE_SORT_H

#include <stddef.h>

#include "mapidefs.h"

typedef int (*fm_compare_fn)(const void *a, const void *b, void *ctx);

/* Sorts n elements of size bytes at base. S_OK, or MAPI_E_NOT_ENOUGH_MEMORY
 * (the array is then unchanged) for the scratch copy it needs. */
HRESULT fm_stable_sort(void *base, size_t n, size_t size, fm_compare_fn cmp, void *ctx);

#endif /* FREEMAPI_CORE_STABLE_SORT_H */
