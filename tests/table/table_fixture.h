/*
 * tests/table/table_fixture.h - what the table engine tests share: rows
 * built as compound literals, tables over them (fixed, or live over a
 * source whose rows and generation the test changes between calls), and
 * short ways to read a table's rows back.
 *
 * Rows carry TAG_ID (a stable PT_LONG id, the memory source's id_tag in
 * live tables), so a test names rows by id and compares id sequences.
 */
#ifndef FREEMAPI_TESTS_TABLE_FIXTURE_H
#define FREEMAPI_TESTS_TABLE_FIXTURE_H

#include <limits.h>
#include <string.h>

#include "core/alloc.h"
#include "fm_test.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "table/table.h"

#define TAG_ID PROP_TAG(PT_LONG, 0x6700)
#define TAG_NUM PROP_TAG(PT_LONG, 0x6701)
#define TAG_STR PROP_TAG(PT_STRING8, 0x6702)
#define TAG_WSTR PROP_TAG(PT_UNICODE, 0x6703)
#define TAG_MVS PROP_TAG(PT_MV_STRING8, 0x6704)
#define TAG_MVL PROP_TAG(PT_MV_LONG, 0x6705)
#define TAG_NUM2 PROP_TAG(PT_LONG, 0x6706)
#define TAG_DATE PROP_TAG(PT_SYSTIME, 0x6707)

#define FX_MAXV 10
#define FX_MAXROWS 64
/* The id fx_ids gives a row without TAG_ID (a heading). */
#define FX_NONE ((LONG)INT_MIN)

typedef struct fx_row {
    ULONG c;
    SPropValue v[FX_MAXV];
} fx_row;

static inline SPropValue fx_long(ULONG tag, LONG l)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.l = l;
    return p;
}

static inline SPropValue fx_str(ULONG tag, const char *s)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.lpszA = (LPSTR)s;
    return p;
}

static inline SPropValue fx_wstr(ULONG tag, const WCHAR *s)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.lpszW = (LPWSTR)s;
    return p;
}

static inline SPropValue fx_mvs(ULONG tag, char **v, ULONG n)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.MVszA.cValues = n;
    p.Value.MVszA.lppszA = v;
    return p;
}

static inline SPropValue fx_mvl(ULONG tag, LONG *v, ULONG n)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.MVl.cValues = n;
    p.Value.MVl.lpl = v;
    return p;
}

static inline SPropValue fx_time(ULONG tag, ULONGLONG t)
{
    SPropValue p = {.ulPropTag = tag};
    p.Value.ft.dwLowDateTime = (DWORD)t;
    p.Value.ft.dwHighDateTime = (DWORD)(t >> 32);
    return p;
}

/* A row: FX_ROW(fx_long(TAG_ID, 1), fx_str(TAG_STR, "a")) */
#define FX_ROW(...)                                                                                \
    ((fx_row){.c = (ULONG)(sizeof((SPropValue[]){__VA_ARGS__}) / sizeof(SPropValue)),             \
              .v = {__VA_ARGS__}})

#define FX_N(a) ((ULONG)(sizeof(a) / sizeof((a)[0])))

/* A row set pointing into rows (not owning their values). */
static inline LPSRowSet fx_rowset(const fx_row *rows, ULONG n)
{
    LPSRowSet set = NULL;
    assert_int_equal(MAPIAllocateBuffer(CbNewSRowSet(n ? n : 1), (void **)&set), S_OK);
    set->cRows = n;
    for (ULONG i = 0; i < n; i++) {
        set->aRow[i].ulAdrEntryPad = 0;
        set->aRow[i].cValues = rows[i].c;
        set->aRow[i].lpProps = (LPSPropValue)rows[i].v;
    }
    return set;
}

/* A table over fixed rows; default columns are TAG_ID alone. */
static inline IMAPITable *fx_table(const fx_row *rows, ULONG n, ULONG flags)
{
    static const ULONG defaults[] = {TAG_ID};
    LPSRowSet set = fx_rowset(rows, n);
    IMAPITable *t = NULL;
    HRESULT hr = fm_table_from_rows(set, defaults, 1, flags, &t);
    MAPIFreeBuffer(set);
    assert_int_equal(hr, S_OK);
    assert_non_null(t);
    return t;
}

/* Sets the columns to the tags given. */
#define FX_COLS(t, ...)                                                                            \
    do {                                                                                           \
        ULONG fx_tags_[] = {__VA_ARGS__};                                                          \
        SizedSPropTagArray(FX_N(fx_tags_), fx_cols_);                                              \
        fx_cols_.cValues = FX_N(fx_tags_);                                                         \
        memcpy(fx_cols_.aulPropTag, fx_tags_, sizeof fx_tags_);                                    \
        assert_int_equal(IMAPITable_SetColumns((t), (LPSPropTagArray)&fx_cols_, 0), S_OK);         \
    } while (0)

/* Sorts by (tag, order) pairs with cCategories/cExpanded. */
static inline HRESULT fx_sort(IMAPITable *t, ULONG ccat, ULONG cexp, ULONG n,
                              const SSortOrder *keys)
{
    SizedSSortOrderSet(8, s);
    s.cSorts = n;
    s.cCategories = ccat;
    s.cExpanded = cexp;
    memcpy(s.aSort, keys, n * sizeof *keys);
    return IMAPITable_SortTable(t, (LPSSortOrderSet)&s, 0);
}

#define FX_SORT(t, ccat, cexp, ...)                                                                \
    fx_sort((t), (ccat), (cexp),                                                                   \
            (ULONG)(sizeof((SSortOrder[]){__VA_ARGS__}) / sizeof(SSortOrder)),                     \
            (SSortOrder[]){__VA_ARGS__})

#define ASC(tag) ((SSortOrder){(tag), TABLE_SORT_ASCEND})
#define DESC(tag) ((SSortOrder){(tag), TABLE_SORT_DESCEND})

/* The value of column tag (by id) in row r, or NULL. */
static inline const SPropValue *fx_col(const SRow *r, ULONG tag)
{
    for (ULONG i = 0; i < r->cValues; i++)
        if (PROP_ID(r->lpProps[i].ulPropTag) == PROP_ID(tag))
            return &r->lpProps[i];
    return NULL;
}

/* Column tag's PT_LONG value in row r; FX_NONE when it is PT_ERROR. */
static inline LONG fx_long_of(const SRow *r, ULONG tag)
{
    const SPropValue *v = fx_col(r, tag);
    assert_non_null(v);
    if (PROP_TYPE(v->ulPropTag) == PT_ERROR)
        return FX_NONE;
    assert_int_equal(PROP_TYPE(v->ulPropTag), PT_LONG);
    return v->Value.l;
}

/* QueryRows(count, flags) and the TAG_ID of each row returned (FX_NONE for
 * rows without one); returns how many rows came back. */
static inline ULONG fx_ids(IMAPITable *t, LONG count, ULONG flags, LONG *ids, ULONG max)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, count, flags, &rows), S_OK);
    assert_non_null(rows);
    ULONG n = rows->cRows;
    assert_true(n <= max);
    for (ULONG i = 0; i < n; i++)
        ids[i] = fx_long_of(&rows->aRow[i], TAG_ID);
    FreeProws(rows);
    return n;
}

/* Asserts the next QueryRows(count, flags) returns exactly the ids given. */
#define FX_EXPECT(t, count, flags, ...)                                                            \
    do {                                                                                           \
        LONG fx_want_[] = {__VA_ARGS__};                                                           \
        LONG fx_got_[FX_MAXROWS];                                                                  \
        ULONG fx_n_ = fx_ids((t), (count), (flags), fx_got_, FX_MAXROWS);                          \
        fx_expect_ids_(fx_got_, fx_n_, fx_want_, FX_N(fx_want_), __FILE__, __LINE__);              \
    } while (0)

/* Asserts the next QueryRows(count, flags) returns no row. */
#define FX_EXPECT_NONE(t, count, flags)                                                            \
    do {                                                                                           \
        LONG fx_got_[FX_MAXROWS];                                                                  \
        assert_int_equal(fx_ids((t), (count), (flags), fx_got_, FX_MAXROWS), 0);                   \
    } while (0)

static inline void fx_expect_ids_(const LONG *got, ULONG ngot, const LONG *want, ULONG nwant,
                                  const char *file, int line)
{
    int same = ngot == nwant;
    for (ULONG i = 0; same && i < nwant; i++)
        same = got[i] == want[i];
    if (same)
        return;
    print_error("%s:%d: rows differ\n  want:", file, line);
    for (ULONG i = 0; i < nwant; i++)
        print_error(" %ld", (long)want[i]);
    print_error("\n  got: ");
    for (ULONG i = 0; i < ngot; i++)
        print_error(" %ld", (long)got[i]);
    print_error("\n");
    fail();
}

static inline ULONG fx_count(IMAPITable *t)
{
    ULONG n = 0xDEADBEEF;
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    return n;
}

static inline ULONG fx_pos(IMAPITable *t)
{
    ULONG row = 0xDEADBEEF, num = 0, den = 0;
    assert_int_equal(IMAPITable_QueryPosition(t, &row, &num, &den), S_OK);
    return row;
}

static inline void fx_seek(IMAPITable *t, BOOKMARK origin, LONG n)
{
    assert_int_equal(IMAPITable_SeekRow(t, origin, n, NULL), S_OK);
}

/* The table's GetLastError text for hr must contain what. */
static inline void fx_last_error_mentions(IMAPITable *t, HRESULT hr, const char *what)
{
    LPMAPIERROR err = NULL;
    assert_int_equal(IMAPITable_GetLastError(t, hr, 0, &err), S_OK);
    assert_non_null(err);
    assert_non_null(err->lpszError);
    if (strstr((const char *)err->lpszError, what) == NULL) {
        print_error("GetLastError(0x%08lX) is \"%s\", expected it to mention \"%s\"\n",
                    (unsigned long)hr, (const char *)err->lpszError, what);
        MAPIFreeBuffer(err);
        fail();
    }
    MAPIFreeBuffer(err);
}

/* ---- a live table: rows and generation the test changes ------------------- */

typedef struct fx_live {
    fx_row rows[FX_MAXROWS];
    ULONG n;
    uint64_t generation;
    int loads;           /* how many times the source was read */
    HRESULT fail_load;   /* returned by the next loads when not S_OK */
    HRESULT fail_gen;    /* returned by generation when not S_OK */
    int released;
} fx_live;

static inline HRESULT fx_live_load(void *ctx, LPSRowSet *out)
{
    fx_live *l = ctx;
    l->loads++;
    if (l->fail_load != S_OK)
        return fm_error_set(l->fail_load, "test source: load fails");
    LPSRowSet set = NULL;
    if (MAPIAllocateBuffer(CbNewSRowSet(l->n ? l->n : 1), (void **)&set) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    set->cRows = 0;
    for (ULONG i = 0; i < l->n; i++) {
        SRow *r = &set->aRow[i];
        r->ulAdrEntryPad = 0;
        r->cValues = l->rows[i].c;
        if (ScDupPropset((int)r->cValues, (LPSPropValue)l->rows[i].v, MAPIAllocateBuffer,
                         &r->lpProps) != S_OK) {
            FreeProws(set);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        set->cRows++;
    }
    *out = set;
    return S_OK;
}

static inline HRESULT fx_live_generation(void *ctx, uint64_t *out)
{
    fx_live *l = ctx;
    if (l->fail_gen != S_OK)
        return fm_error_set(l->fail_gen, "test source: generation fails");
    *out = l->generation;
    return S_OK;
}

static inline void fx_live_release(void *ctx)
{
    ((fx_live *)ctx)->released++;
}

/* A table over l's rows; ids are TAG_ID values. */
static inline IMAPITable *fx_live_table(fx_live *l, ULONG flags)
{
    static const ULONG defaults[] = {TAG_ID};
    fm_memory_source_def def = {.name = "test rows",
                                .context = l,
                                .load = fx_live_load,
                                .generation = fx_live_generation,
                                .release = fx_live_release,
                                .default_columns = defaults,
                                .ndefault = 1,
                                .id_tag = TAG_ID};
    fm_table_source *src = NULL;
    assert_int_equal(fm_memory_source_new(&def, &src), S_OK);
    IMAPITable *t = NULL;
    assert_int_equal(fm_table_new(src, flags, &t), S_OK);
    return t;
}

/* Removes the row with id from l (the generation moves). */
static inline void fx_live_remove(fx_live *l, LONG id)
{
    for (ULONG i = 0; i < l->n; i++) {
        if (l->rows[i].v[0].Value.l == id) {
            memmove(&l->rows[i], &l->rows[i + 1], (l->n - i - 1) * sizeof l->rows[0]);
            l->n--;
            l->generation++;
            return;
        }
    }
    fail_msg("no row %ld to remove", (long)id);
}

/* Inserts row at index (the generation moves). */
static inline void fx_live_insert(fx_live *l, ULONG at, fx_row row)
{
    assert_true(l->n < FX_MAXROWS && at <= l->n);
    memmove(&l->rows[at + 1], &l->rows[at], (l->n - at) * sizeof l->rows[0]);
    l->rows[at] = row;
    l->n++;
    l->generation++;
}

#endif /* FREEMAPI_TESTS_TABLE_FIXTURE_H */
