/*
 * core/limits.h - limits freemapi imposes where MAPI leaves them open.
 *
 * Each is checked at the entry point that would otherwise recurse or
 * allocate without bound, and exceeding it gives a documented error with
 * text naming the limit.
 */
#ifndef FREEMAPI_CORE_LIMITS_H
#define FREEMAPI_CORE_LIMITS_H

/* Deepest nesting of an SRestriction (RES_AND/OR/NOT/SUBRESTRICTION/COMMENT/
 * COUNT/ANNOTATION levels), counting the top level as 1. Deeper ones are
 * refused with MAPI_E_TOO_COMPLEX by the engine and reported bad by
 * FBadRestriction. Real clients nest a few dozen levels at most. */
#define FM_RESTRICTION_MAX_DEPTH 256

/* Most values in one multi-valued property that freemapi accepts. */
#define FM_MV_MAX_VALUES (1u << 24)

#endif /* FREEMAPI_CORE_LIMITS_H */
