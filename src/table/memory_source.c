/*
 * table/memory_source.c - a table source over rows a callback produces all
 * at once: the source of every table whose container holds few rows
 * (recipients, attachments, subfolders, receive folders, profiles), and of
 * fm_table_from_rows.
 *
 * Each load asks the callback for every row afresh, so the rows are always
 * the container's current ones; the restriction is evaluated here and the
 * table sorts. Rows are full: QueryRows needs nothing more from the source.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "table/table.h"

typedef struct memory_source {
    fm_table_source base;
    fm_memory_source_def def;
    ULONG *defaults; /* owned copy of def.default_columns */
} memory_source;

static int64_t row_id(const memory_source *m, const SRow *row, size_t index)
{
    if (m->def.id_tag) {
        for (ULONG i = 0; i < row->cValues; i++) {
            const SPropValue *v = &row->lpProps[i];
            if (v->ulPropTag != m->def.id_tag)
                continue;
            if (PROP_TYPE(v->ulPropTag) == PT_LONG)
                return (int64_t)(uint32_t)v->Value.l + 1;
            if (PROP_TYPE(v->ulPropTag) == PT_I8)
                return v->Value.li.QuadPart + 1;
        }
    }
    return (int64_t)index + 1;
}

static HRESULT take_rows(memory_source *m, LPSRowSet rows, fmapi_restriction *res,
                         fm_table_rows *out)
{
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < rows->cRows; i++) {
        SRow *row = &rows->aRow[i];
        BOOL match = TRUE;
        if (hr == S_OK && res)
            hr = fmapi_restriction_eval(res, row->cValues, row->lpProps, NULL, &match);
        if (hr != S_OK || !match) {
            MAPIFreeBuffer(row->lpProps);
            row->lpProps = NULL;
            continue;
        }
        fm_table_row r = {.id = row_id(m, row, i),
                          .type = TBL_LEAF_ROW,
                          .full = true,
                          .cvals = row->cValues,
                          .vals = row->lpProps};
        hr = fm_table_rows_own(out, row->lpProps);
        row->lpProps = NULL;
        if (hr == S_OK)
            hr = fm_table_rows_push(out, &r);
    }
    MAPIFreeBuffer(rows);
    return hr;
}

static HRESULT memory_load(fm_table_source *src, const fm_table_query *q, bool ordered,
                           const fm_table_row *after, ULONG max, fm_table_rows *out, bool *done)
{
    (void)ordered;
    (void)after;
    (void)max;
    memory_source *m = (memory_source *)src;
    LPSRowSet rows = NULL;
    HRESULT hr = m->def.load(m->def.context, &rows);
    if (hr != S_OK)
        return hr;
    *done = true;
    return take_rows(m, rows, q->res, out);
}

static HRESULT memory_generation(fm_table_source *src, uint64_t *out)
{
    memory_source *m = (memory_source *)src;
    if (m->def.generation)
        return m->def.generation(m->def.context, out);
    *out = 0;
    return S_OK;
}

static bool tag_listed(const ULONG *tags, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++)
        if (tags[i] == tag)
            return true;
    return false;
}

/* Every tag any current row has, after the default columns. */
static HRESULT all_columns(memory_source *m, LPSPropTagArray *out)
{
    LPSRowSet rows = NULL;
    HRESULT hr = m->def.load(m->def.context, &rows);
    if (hr != S_OK)
        return hr;
    ULONG max = m->def.ndefault + 1;
    for (ULONG i = 0; i < rows->cRows; i++)
        max += rows->aRow[i].cValues;
    LPSPropTagArray tags = NULL;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(max), (void **)&tags) != S_OK) {
        FreeProws(rows);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing columns");
    }
    ULONG n = 0;
    for (ULONG i = 0; i < m->def.ndefault; i++)
        if (!tag_listed(tags->aulPropTag, n, m->defaults[i]))
            tags->aulPropTag[n++] = m->defaults[i];
    if (!tag_listed(tags->aulPropTag, n, PR_INSTANCE_KEY))
        tags->aulPropTag[n++] = PR_INSTANCE_KEY;
    for (ULONG r = 0; r < rows->cRows; r++)
        for (ULONG i = 0; i < rows->aRow[r].cValues; i++) {
            ULONG tag = rows->aRow[r].lpProps[i].ulPropTag;
            if (PROP_TYPE(tag) != PT_ERROR && !tag_listed(tags->aulPropTag, n, tag))
                tags->aulPropTag[n++] = tag;
        }
    tags->cValues = n;
    FreeProws(rows);
    *out = tags;
    return S_OK;
}

static HRESULT memory_columns(fm_table_source *src, ULONG flags, LPSPropTagArray *out)
{
    memory_source *m = (memory_source *)src;
    if (flags & TBL_ALL_COLUMNS)
        return all_columns(m, out);
    ULONG n = m->def.ndefault;
    if (MAPIAllocateBuffer(CbNewSPropTagArray(n ? n : 1), (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing columns");
    (*out)->cValues = n;
    if (n)
        memcpy((*out)->aulPropTag, m->defaults, n * sizeof(ULONG));
    return S_OK;
}

static HRESULT memory_watch(fm_table_source *src, IMAPIAdviseSink *sink, ULONG_PTR *conn)
{
    memory_source *m = (memory_source *)src;
    return m->def.watch(m->def.context, sink, conn);
}

static void memory_unwatch(fm_table_source *src, ULONG_PTR conn)
{
    memory_source *m = (memory_source *)src;
    m->def.unwatch(m->def.context, conn);
}

static void memory_release(fm_table_source *src)
{
    memory_source *m = (memory_source *)src;
    if (m->def.release)
        m->def.release(m->def.context);
    fm_free(m->defaults);
    fm_free(m);
}

HRESULT fm_memory_source_new(const fm_memory_source_def *def, fm_table_source **out)
{
    /* The ops live after the struct: each source has its own name. */
    memory_source *m = fm_calloc(1, sizeof *m + sizeof(fm_table_source_ops));
    ULONG *defaults = fm_malloc((def->ndefault ? def->ndefault : 1) * sizeof *defaults);
    if (m == NULL || defaults == NULL) {
        fm_free(m);
        fm_free(defaults);
        if (def->release)
            def->release(def->context);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    }
    fm_table_source_ops *ops = (fm_table_source_ops *)(m + 1);
    *ops = (fm_table_source_ops){.name = def->name ? def->name : "table",
                                 .columns = memory_columns,
                                 .generation = memory_generation,
                                 .load = memory_load,
                                 .release = memory_release};
    if (def->watch != NULL && def->unwatch != NULL) {
        ops->watch = memory_watch;
        ops->unwatch = memory_unwatch;
    }
    if (def->ndefault)
        memcpy(defaults, def->default_columns, def->ndefault * sizeof *defaults);
    m->base.ops = ops;
    m->def = *def;
    m->defaults = defaults;
    *out = &m->base;
    return S_OK;
}

HRESULT fm_rowset_new(size_t n, LPSRowSet *out)
{
    if (MAPIAllocateBuffer(CbNewSRowSet(n), (void **)out) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a table");
    (*out)->cRows = 0;
    return S_OK;
}

HRESULT fm_rowset_finish(HRESULT hr, LPSRowSet *out)
{
    if (hr != S_OK && *out != NULL) {
        FreeProws(*out);
        *out = NULL;
    }
    return hr;
}

static bool id_in(ULONG n, const SPropValue *v, ULONG tag)
{
    for (ULONG i = 0; i < n; i++)
        if (PROP_ID(v[i].ulPropTag) == PROP_ID(tag))
            return true;
    return false;
}

HRESULT fm_row_from_props(SRow *row, ULONG c, const SPropValue *props, ULONG nextra,
                          const SPropValue *extra)
{
    SPropValue *all = fm_malloc((c + nextra + 1) * sizeof *all);
    if (all == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a table row");
    ULONG n = 0;
    for (ULONG i = 0; i < c; i++)
        if (!id_in(nextra, extra, props[i].ulPropTag))
            all[n++] = props[i];
    for (ULONG i = 0; i < nextra; i++)
        all[n++] = extra[i];
    row->ulAdrEntryPad = 0;
    row->cValues = n;
    row->lpProps = NULL;
    SCODE sc = ScDupPropset((int)n, all, MAPIAllocateBuffer, &row->lpProps);
    fm_free(all);
    return sc == S_OK ? S_OK : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
}

HRESULT fm_memory_table_open(const fm_memory_source_def *def, ULONG flags, IMAPITable **out)
{
    *out = NULL;
    fm_table_source *src = NULL;
    HRESULT hr = fm_memory_source_new(def, &src);
    if (hr == S_OK)
        hr = fm_table_new(src, flags, out);
    return hr;
}

/* ---- a table over fixed rows -------------------------------------------------- */

typedef struct fixed_rows {
    LPSRowSet rows; /* our copy: the set and each row's lpProps */
} fixed_rows;

static HRESULT fixed_load(void *context, LPSRowSet *out)
{
    const fixed_rows *f = context;
    LPSRowSet set = NULL;
    if (MAPIAllocateBuffer(CbNewSRowSet(f->rows->cRows), (void **)&set) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading rows");
    set->cRows = 0;
    for (ULONG i = 0; i < f->rows->cRows; i++) {
        const SRow *r = &f->rows->aRow[i];
        SRow *d = &set->aRow[set->cRows];
        d->ulAdrEntryPad = 0;
        d->cValues = r->cValues;
        d->lpProps = NULL;
        SCODE sc = r->cValues
                       ? ScDupPropset((int)r->cValues, r->lpProps, MAPIAllocateBuffer, &d->lpProps)
                       : S_OK;
        if (sc != S_OK) {
            /* ScDupPropset's own text says which value was refused. */
            FreeProws(set);
            return sc;
        }
        set->cRows++;
    }
    *out = set;
    return S_OK;
}

static void fixed_release(void *context)
{
    fixed_rows *f = context;
    if (f->rows)
        FreeProws(f->rows);
    fm_free(f);
}

HRESULT fm_table_from_rows(const SRowSet *rows, const ULONG *default_columns, ULONG ndefault,
                           ULONG flags, IMAPITable **out)
{
    *out = NULL;
    fixed_rows *f = fm_calloc(1, sizeof *f);
    if (f == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    fixed_rows tmp = {(LPSRowSet)rows};
    HRESULT hr = fixed_load(&tmp, &f->rows);
    if (hr != S_OK) {
        fm_free(f);
        return hr;
    }
    fm_memory_source_def def = {.name = "row set",
                                .context = f,
                                .load = fixed_load,
                                .release = fixed_release,
                                .default_columns = default_columns,
                                .ndefault = ndefault};
    return fm_memory_table_open(&def, flags, out);
}
