/*
 * table/table_internal.h - the state of an fm_table, shared by the files
 * that implement its methods (table_object.c, table_view.c, table_rows.c,
 * table_seek.c, table_categories.c). Not for use outside src/table/.
 *
 * Positions (the cursor, bookmarks) are indexes into the visible rows. While
 * the view stands they stay right by themselves; when it is rebuilt (the
 * source changed, or a new restriction or sort order) each is turned into a
 * key first (the row's id and sort values) and found again afterwards.
 */
#ifndef FREEMAPI_TABLE_TABLE_INTERNAL_H
#define FREEMAPI_TABLE_TABLE_INTERNAL_H

#include "core/lasterr.h"
#include "table/table.h"

/* Rows one load from an ordered source asks for. */
#define FM_TABLE_CHUNK 512
/* Bookmarks one table holds at most. */
#define FM_TABLE_MAX_BOOKMARKS 4096
/* Category levels a sort order may have. */
#define FM_TABLE_MAX_CATEGORIES 16
/* Size of PR_INSTANCE_KEY values: an 8-byte id and a 4-byte instance. */
#define FM_INSTANCE_KEY_SIZE 12
/* Bit set in a heading's id part, never in a leaf's. */
#define FM_HEADING_BIT ((uint64_t)1 << 63)

/* Segments of an ordered view held in memory at once (FM_TABLE_CHUNK rows
 * each): the others keep only their anchor and are read again when needed. */
#define FM_VIEW_SEGMENTS_HELD 4

/* A view row's place, to find it again in a rebuilt view. */
typedef struct fm_table_key {
    bool at_begin;  /* the view was empty; with by_anchor: offset from the start */
    bool by_anchor; /* the row was not held: id and vals are the row before its
                       segment, offset its distance from that segment's start */
    size_t offset;
    int64_t id;
    ULONG inst, type;
    uint64_t hash;
    ULONG cvals;
    LPSPropValue vals; /* MAPI buffer: copy of the row's values, or NULL */
} fm_table_key;

typedef struct fm_table_bookmark {
    bool used;
    bool moved; /* its row went away: MAPI_W_POSITION_CHANGED on next use */
    size_t index;
    fm_table_key key; /* only while the view is rebuilt */
} fm_table_bookmark;

/* One category level: the sort keys whose values make it (a column and the
 * TABLE_SORT_COMBINE columns joined to it), and how categories of this
 * level are ordered among themselves (by the first key, or by the max/min
 * of another column when a TABLE_SORT_CATEG_MAX/MIN entry follows). */
typedef struct fm_table_level {
    ULONG first, nkeys; /* range in the sort order's aSort */
    ULONG agg_tag;      /* 0, or the column aggregated */
    ULONG agg_order;    /* TABLE_SORT_CATEG_MAX or _MIN */
} fm_table_level;

/* One load of an ordered view: rows [start, start + n), read after the
 * anchor row. While held, rows has them; otherwise rows is empty and they
 * are read again after the anchor (the same rows: the view is rebuilt when
 * the source's generation moves). */
typedef struct fm_view_segment {
    size_t start, n;
    fm_table_row anchor; /* copy (vals: MAPI buffer) of row start - 1; none for start 0 */
    fm_table_rows rows;
    uint64_t used; /* the view's tick at its last use */
} fm_view_segment;

typedef struct fm_table_view {
    bool built;
    bool ordered; /* rows are a prefix loaded from an ordered source */
    bool done;    /* every row is loaded */
    uint64_t generation;
    fm_table_rows leaves; /* leaf rows in view order */
    fm_table_row *heads;  /* category headings (fm_malloc) */
    size_t nheads;
    fm_table_row **order; /* categorized: headings and leaves, pre-order */
    size_t norder;
    fm_table_row **vis; /* categorized: the visible ones */
    size_t nvis;
    ULONG expand_tag; /* the MV_INSTANCE column rows are expanded on, 0 */
    /* Ordered views: the rows met so far, in segments of which at most
     * FM_VIEW_SEGMENTS_HELD are in memory (table_window.c). */
    fm_view_segment *segs;
    size_t nsegs, capsegs;
    size_t known;      /* rows in the segments */
    size_t held;       /* segments whose rows are in memory */
    uint64_t tick;
    fm_table_row tail; /* copy of the last row met: the next load continues after it */
} fm_table_view;

typedef struct fm_table {
    const IMAPITableVtbl *lpVtbl;
    _Atomic ULONG refs;
    pthread_mutex_t lock;
    fm_table_source *src;
    ULONG flags;              /* MAPI_UNICODE */
    LPSPropTagArray cols;     /* MAPI buffer */
    LPSSortOrderSet sort;     /* MAPI buffer or NULL */
    SSortOrderSet *leaf_sort; /* sort without CATEG_MAX/MIN entries (MAPI buffer) */
    fm_table_level levels[FM_TABLE_MAX_CATEGORIES];
    ULONG nlevels;
    ULONG expanded; /* cExpanded */
    fmapi_restriction *res;
    ULONG *need; /* tags loaded rows carry (fm_malloc) */
    ULONG nneed;
    fm_table_view view;
    size_t cursor;
    fm_table_key cursor_key;
    fm_table_bookmark *bm;
    size_t nbm;
    uint64_t *toggled; /* headings whose state differs from the default */
    size_t ntoggled;
    fm_lasterr err; /* GetLastError */
    /* Advise (table_advise.c): advise_lock serializes Advise, Unadvise and
     * the end of the table; watch is made at the first Advise. */
    pthread_mutex_t advise_lock;
    struct fm_table_watch *watch;
} fm_table;

/* ---- table_view.c ---- */

/* Makes sure the view reflects the source as it is now: builds it, or
 * rebuilds it when the source's generation moved (positions kept by key). */
HRESULT fm_view_refresh(fm_table *t);
/* Drops the view (positions go to the beginning); the next refresh builds it. */
void fm_view_reset(fm_table *t);
/* Rows visible now (loaded so far, for an ordered view not done). */
size_t fm_view_size(const fm_table *t);
fm_table_row *fm_view_row(fm_table *t, size_t index);
/* Loads until at least `want` rows are visible or the view is complete. */
HRESULT fm_view_ensure(fm_table *t, size_t want);
/* Loads every row. */
HRESULT fm_view_complete(fm_table *t);
/* Builds the categorized row lists (headings, visibility) from the leaves. */
HRESULT fm_view_categorize(fm_table *t);
/* Recomputes which rows are visible after a toggle; positions follow
 * their rows (a hidden row's position goes to the row after its heading). */
HRESULT fm_view_revisible(fm_table *t);
/* Orders two leaf rows as the view does (sort keys, then id, then instance). */
int fm_view_compare_leaves(const fm_table *t, const fm_table_row *a, const fm_table_row *b);
/* The value of tag in row (MV_INSTANCE columns give the row's instance),
 * or NULL. */
const SPropValue *fm_view_value(const fm_table_row *row, ULONG tag);

/* ---- table_window.c ---- */

/* Ordered views: the query a load uses, the row at index (< fm_view_size;
 * read again when its segment was dropped), the row if held (else NULL),
 * one more segment loaded after the last (view.done when none is left),
 * the first row not before probe (loading as needed), the key of the
 * position at index when its row is not held, and freeing the segments. */
void fm_view_query(const fm_table *t, fm_table_query *q);
HRESULT fm_view_at(fm_table *t, size_t index, fm_table_row **row);
fm_table_row *fm_window_held(fm_table *t, size_t index);
HRESULT fm_window_extend(fm_table *t);
HRESULT fm_window_locate(fm_table *t, const fm_table_row *probe, size_t *index,
                         fm_table_row **found);
HRESULT fm_window_anchor_key(fm_table *t, size_t index, fm_table_key *k);
void fm_window_clear(fm_table_view *v);

/* ---- table_categories.c ---- */

/* Parses t->sort into levels and the leaf sort. */
HRESULT fm_categories_parse(fm_table *t);
/* Whether a heading at depth has a value for tag: the category columns of
 * its level and the levels above (its other columns are its first leaf's,
 * not its own). */
bool fm_categories_shows(const fm_table *t, ULONG depth, ULONG tag);
/* Whether heading hash is expanded now. */
bool fm_categories_expanded(const fm_table *t, uint64_t hash, ULONG depth);

/* ---- table_rows.c ---- */

/* The full values of row (reading the source if the view holds only keys),
 * as a MAPI buffer the caller frees. */
HRESULT fm_rows_full(fm_table *t, const fm_table_row *row, const SPropTagArray *want,
                     ULONG *cvals, LPSPropValue *vals);
/* Row as the caller sees it with the current columns: one MAPI buffer. */
HRESULT fm_rows_project(fm_table *t, const fm_table_row *row, const SPropValue *full, ULONG cfull,
                        SRow *out);
/* The engine's own values of a row (PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH,
 * heading counts) for tag; false when tag is not one of them. */
bool fm_rows_engine_value(const fm_table *t, const fm_table_row *row, ULONG tag, BYTE *keybuf,
                          SPropValue *out);
void fm_rows_instance_key(const fm_table_row *row, BYTE out[FM_INSTANCE_KEY_SIZE]);

/* ---- table_seek.c ---- */

/* The index a BOOKMARK stands for (loading rows as needed); *moved when a
 * bookmark's row went away. MAPI_E_INVALID_BOOKMARK. */
HRESULT fm_seek_origin(fm_table *t, BOOKMARK bk, size_t *index, bool *moved);
/* Frees every bookmark's and the cursor's saved key. */
void fm_seek_free_keys(fm_table *t);

/* ---- table_advise.c ---- */

/* The view the client sees changed by its own call (Restrict, SortTable,
 * SetColumns, ExpandRow, ...): what later changes are compared with is
 * taken again, and `done` (TABLE_SORT_DONE, ..., or 0) is sent to the
 * registrations. Lock held; nothing when nobody advised. */
void fm_table_advise_view_changed(fm_table *t, ULONG done);
/* Ends the table's watch and registrations (the table is going away). */
void fm_table_advise_clear(fm_table *t);

/* Records hr and the thread's text on t; returns hr. */
HRESULT fm_table_fail(fm_table *t, HRESULT hr);

#endif /* FREEMAPI_TABLE_TABLE_INTERNAL_H */
