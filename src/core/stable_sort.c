/*
 * core/stable_sort.c - bottom-up merge sort (see stable_sort.h).
 *
 * Bottom-up so there is no recursion to bound, with runs of 8 first sorted
 * by insertion (cheaper than merging tiny runs). Elements move with memcpy,
 * so any element size works; tables sort arrays of row structs.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/stable_sort.h"
#include "mapicode.h"

#define RUN 8

static void insertion_sort(char *a, size_t n, size_t size, fm_compare_fn cmp, void *ctx, char *tmp)
{
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(tmp, a + i * size, size);
        while (j > 0 && cmp(a + (j - 1) * size, tmp, ctx) > 0) {
            memcpy(a + j * size, a + (j - 1) * size, size);
            j--;
        }
        memcpy(a + j * size, tmp, size);
    }
}

/* Merges src[lo, mid) and src[mid, hi) into dst[lo, hi); left wins ties. */
static void merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
                  fm_compare_fn cmp, void *ctx)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (cmp(src + j * size, src + i * size, ctx) < 0)
            memcpy(dst + k++ * size, src + j++ * size, size);
        else
            memcpy(dst + k++ * size, src + i++ * size, size);
    }
    if (i < mid)
        memcpy(dst + k * size, src + i * size, (mid - i) * size);
    else if (j < hi)
        memcpy(dst + k * size, src + j * size, (hi - j) * size);
}

HRESULT fm_stable_sort(void *base, size_t n, size_t size, fm_compare_fn cmp, void *ctx)
{
    if (n < 2)
        return S_OK;
    char *scratch = fm_malloc(n * size + size);
    if (scratch == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory sorting %zu rows", n);
    char *a = base, *b = scratch, *tmp = scratch + n * size;
    for (size_t lo = 0; lo < n; lo += RUN)
        insertion_sort(a + lo * size, (n - lo < RUN) ? n - lo : RUN, size, cmp, ctx, tmp);
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(a, b, lo, mid, hi, size, cmp, ctx);
        }
        char *t = a;
        a = b;
        b = t;
    }
    if (a != base)
        memcpy(base, a, n * size);
    fm_free(scratch);
    return S_OK;
}
