/*
 * restrict/restrict.h - the compiled form of an SRestriction, shared by the
 * compiler (compile.c), the evaluator (eval.c) and the row lookup (row.c).
 *
 * One fm_rnode per SRestriction node, with everything evaluation needs
 * copied in and prepared: folded search strings, compiled patterns, deep
 * copies of constants. Nodes and copies live in blocks owned by the
 * fmapi_restriction and are freed together.
 */
#ifndef FREEMAPI_RESTRICT_RESTRICT_H
#define FREEMAPI_RESTRICT_RESTRICT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/regex.h"
#include "freemapi_restriction.h"

typedef struct fm_rnode fm_rnode;

struct fm_rnode {
    ULONG rt;
    ULONG op;        /* relop (PROPERTY, COMPAREPROPS, SIZE) or relBMR */
    ULONG tag;       /* ulPropTag / ulPropTag1 / ulSubObject */
    ULONG tag2;      /* ulPropTag2 */
    ULONG num;       /* ulMask (BITMASK), cb (SIZE), ulCount (COUNT) */
    ULONG mode;      /* FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX */
    unsigned fold;   /* FM_FOLD_* of a string RES_CONTENT */
    bool any;        /* RES_PROPERTY: single constant against MV tag */
    bool binary;     /* RES_CONTENT on PT_BINARY */
    ULONG nkids;
    fm_rnode *kids;  /* AND/OR children; NOT/SUB/COMMENT/COUNT: one or none */
    SPropValue value;   /* RES_PROPERTY constant, a deep copy */
    const char *needle; /* RES_CONTENT: folded UTF-8, or the bytes */
    size_t nlen;
    fm_regex *re;       /* RELOP_RE */
    fm_rnode *next_re;  /* the restriction's list of nodes owning a pattern */
    ULONG hint, hint2;  /* where the tags were last found in a row */
    ULONG counted;      /* RES_COUNT: matches so far */
};

struct fmapi_restriction {
    fm_rnode root;
    void *blocks;      /* owned allocations, a singly linked list */
    fm_rnode *regexes; /* nodes whose re must be freed */
};

/*
 * Finds the value for tag in a row, as freemapi_restriction.h describes
 * (string widths interchangeable, PT_UNSPECIFIED finds any type, a PT_ERROR
 * value counts as absent, an MV tag also finds a single instance value).
 * A row value tagged with MV_INSTANCE is an instance of an expanded MV
 * column and is returned through *tmp as a single value of the base type.
 * *hint is the index to try first and is updated on a hit. NULL if absent.
 */
const SPropValue *fm_restrict_find(ULONG cValues, const SPropValue *props, ULONG tag,
                                   ULONG *hint, SPropValue *tmp);

#endif /* FREEMAPI_RESTRICT_RESTRICT_H */
