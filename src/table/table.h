/*
 * table/table.h - the one IMAPITable implementation, and the interface a
 * container implements to be shown through it.
 *
 * Every table freemapi hands out (contents, hierarchy, recipients,
 * attachments, receive folders, later the session's store and profile
 * tables) is an fm_table over an fm_table_source. The table owns everything
 * MAPI defines about a view: the column set, the restriction, the sort order
 * and categories, the cursor, bookmarks and collapse state. The source only
 * answers "which rows match, in which order, and what is in them".
 *
 * How a view is held (table_view.c): an array of rows in view order. A row
 * carries its source id and the few values the view needs (sort keys,
 * category values, PR_MESSAGE_FLAGS for unread counts); the columns asked
 * for are read from the source only for the rows QueryRows returns, so a
 * million-message folder is never materialized. When the source can produce
 * rows in the requested order piece by piece (an index on the sort key),
 * rows are loaded as far as the cursor needs, and only a few pages of them
 * are kept (table_window.c);
 * otherwise the source's matching rows are loaded once and sorted here.
 *
 * Live tables: the source reports a generation number that changes with any
 * committed change (by this process or another). Each call checks it; when
 * it moved, the view is rebuilt and the cursor and bookmarks are found again
 * by their rows' keys, landing on the next row when theirs went away
 * (MAPI_W_POSITION_CHANGED for bookmarks).
 *
 * Threads: a table serializes its methods with its own lock.
 */
#ifndef FREEMAPI_TABLE_TABLE_H
#define FREEMAPI_TABLE_TABLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "freemapi_restriction.h"
#include "mapidefs.h"

/* One row of a view. Leaf rows come from the source; category heading rows
 * are made by the table. */
typedef struct fm_table_row {
    int64_t id;    /* the source's row id (> 0, unique in the source); 0 for headings */
    ULONG inst;    /* MV_INSTANCE expansion: value number from 1; 0 when not expanded */
    ULONG type;    /* TBL_LEAF_ROW, TBL_EXPANDED_CATEGORY, TBL_COLLAPSED_CATEGORY */
    ULONG depth;   /* headings: category level from 0; leaves: cCategories */
    ULONG count;   /* headings: leaf rows in the category */
    ULONG unread;  /* headings: of them, without MSGFLAG_READ */
    uint64_t hash; /* headings: identity of the category (its values) */
    ULONG cvals;
    LPSPropValue vals; /* the values the view needs (or the whole row: `full`) */
    bool full;         /* vals holds every property of the row */
    size_t pre;        /* the table's: place in the categorized pre-order */
    size_t vis;        /* the table's: visible index, SIZE_MAX when hidden */
} fm_table_row;

/* Rows a source appends for the table. The vals of every row may live in
 * one MAPI buffer per batch (root); the table frees roots, not rows. */
typedef struct fm_table_rows {
    fm_table_row *rows; /* fm_malloc'd */
    size_t n, cap;
    void **roots; /* MAPI buffers owning the rows' vals */
    size_t nroots, caproots;
} fm_table_rows;

/* Appends a row; it keeps pointers into buffers registered with
 * fm_table_rows_own. */
HRESULT fm_table_rows_push(fm_table_rows *r, const fm_table_row *row);
/* Makes r responsible for freeing MAPI buffer root (even on failure). */
HRESULT fm_table_rows_own(fm_table_rows *r, void *root);
void fm_table_rows_clear(fm_table_rows *r);

/* What a view asks of a source. */
typedef struct fm_table_query {
    const SSortOrderSet *sort; /* NULL or cSorts 0: the source's own order */
    fmapi_restriction *res;    /* compiled restriction, NULL: every row */
    const ULONG *tags;         /* properties each loaded row must carry */
    ULONG ntags;
} fm_table_query;

typedef struct fm_table_source fm_table_source;

typedef struct fm_table_source_ops {
    const char *name; /* for error text: "contents table" */
    /* The default column set (flags 0) or every column rows can have
     * (TBL_ALL_COLUMNS), as one MAPI buffer. */
    HRESULT (*columns)(fm_table_source *src, ULONG flags, LPSPropTagArray *out);
    /* A number that changes whenever rows may have changed. */
    HRESULT (*generation)(fm_table_source *src, uint64_t *out);
    /* Whether load can return rows in q's order, in pieces (after/max).
     * NULL: never. */
    bool (*can_order)(fm_table_source *src, const fm_table_query *q);
    /* Appends the rows matching q.res to out, each carrying at least
     * q.tags. ordered (only when can_order said so): in q.sort's order
     * (ties by id, in the direction of the last key), starting after row
     * `after` (NULL: from the first), at most max rows; *done when the last
     * row was reached. Not ordered: every matching row, any order, *done set. */
    HRESULT(*load)
    (fm_table_source *src, const fm_table_query *q, bool ordered, const fm_table_row *after,
     ULONG max, fm_table_rows *out, bool *done);
    /* Number of rows matching q, without loading them; NULL: the table
     * loads them to count. */
    HRESULT (*count)(fm_table_source *src, const fm_table_query *q, ULONG *out);
    /* The properties of leaf row `row` as one MAPI buffer (*cvals values);
     * MAPI_E_NOT_FOUND when it is gone. want: the columns the caller will
     * read (the source may return more, and gives a column it has no value
     * for as PT_ERROR or not at all); NULL: every property, as a restriction
     * needs. NULL when loaded rows are full. */
    HRESULT(*read_row)
    (fm_table_source *src, const fm_table_row *row, const SPropTagArray *want, ULONG *cvals,
     LPSPropValue *vals);
    /* Table notifications (table_advise.c): registers sink to be called,
     * from a notification thread, whenever rows may have changed (by this
     * process or another); *conn for unwatch. NULL: the source has no
     * change feed, and the table's Advise answers MAPI_E_NO_SUPPORT. */
    HRESULT (*watch)(fm_table_source *src, IMAPIAdviseSink *sink, ULONG_PTR *conn);
    void (*unwatch)(fm_table_source *src, ULONG_PTR conn);
    /* Frees the source (the table holds the only reference). */
    void (*release)(fm_table_source *src);
} fm_table_source_ops;

struct fm_table_source {
    const fm_table_source_ops *ops;
};

/*
 * A new table over src, which it takes over (released even on failure).
 * flags: MAPI_UNICODE makes PT_UNSPECIFIED string columns PT_UNICODE.
 * S_OK and *out holding one reference.
 */
HRESULT fm_table_new(fm_table_source *src, ULONG flags, IMAPITable **out);

/* ---- an in-memory source: rows produced by a callback ------------------------ */

/*
 * For containers with few rows (recipients, attachments, folders, receive
 * folders, profiles): load returns every row as one SRowSet (each row's
 * lpProps a MAPI buffer, freed by the table with FreeProws semantics); row
 * ids are the row indexes + 1 unless id_tag names a PT_LONG/PT_I8 property
 * holding a stable id. generation: NULL means the rows never change.
 */
typedef struct fm_memory_source_def {
    const char *name;
    void *context;
    HRESULT (*load)(void *context, LPSRowSet *rows);
    HRESULT (*generation)(void *context, uint64_t *out);
    void (*release)(void *context);
    /* The source's watch and unwatch (table notifications), or NULL. */
    HRESULT (*watch)(void *context, IMAPIAdviseSink *sink, ULONG_PTR *conn);
    void (*unwatch)(void *context, ULONG_PTR conn);
    const ULONG *default_columns; /* the default column set */
    ULONG ndefault;
    ULONG id_tag; /* 0: row index */
} fm_memory_source_def;

HRESULT fm_memory_source_new(const fm_memory_source_def *def, fm_table_source **out);

/* Helpers for load callbacks: an empty row set with room for n rows, and a
 * row (one MAPI buffer) of props plus extra, extra replacing any value of
 * props with the same property ID. */
HRESULT fm_rowset_new(size_t n, LPSRowSet *out);
/* Ends a load callback: on failure the row set made so far is freed and
 * *out set to NULL. Returns hr. */
HRESULT fm_rowset_finish(HRESULT hr, LPSRowSet *out);
HRESULT fm_row_from_props(SRow *row, ULONG c, const SPropValue *props, ULONG nextra,
                          const SPropValue *extra);

/* A table over a new memory source (def->release runs even on failure). */
HRESULT fm_memory_table_open(const fm_memory_source_def *def, ULONG flags, IMAPITable **out);

/* A table over a fixed row set (copied): the source of HrQueryAllRows-style
 * tables and tests. */
HRESULT fm_table_from_rows(const SRowSet *rows, const ULONG *default_columns, ULONG ndefault,
                           ULONG flags, IMAPITable **out);

#endif /* FREEMAPI_TABLE_TABLE_H */
