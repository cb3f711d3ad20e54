/*
 * store/progress.h - reporting a long operation's progress to a caller's
 * IMAPIProgress, and hearing its request to cancel.
 *
 * The rules follow Microsoft's "Displaying Progress Step by Step": the
 * provider first asks GetFlags. At the top level (MAPI_TOP_LEVEL set) it
 * owns the range: it calls SetLimits(0, total items, MAPI_TOP_LEVEL) and
 * reports ulValue = items done with ulCount/ulTotal = items done/total.
 * For work nested inside another operation (the flag clear) the range is the
 * caller's: GetMin/GetMax give it, ulValue moves through it in proportion to
 * the items done, and ulCount/ulTotal are 0. Any return other than S_OK
 * from Progress is a request to stop: the operation ends at the batch
 * boundary with MAPI_E_USER_CANCEL.
 */
#ifndef FREEMAPI_STORE_PROGRESS_H
#define FREEMAPI_STORE_PROGRESS_H

#include <stdbool.h>
#include "mapidefs.h"

typedef struct fm_progress {
    LPMAPIPROGRESS p; /* NULL: nothing is reported, nothing can cancel */
    bool top;
    ULONG min, max; /* the range ulValue moves in */
    ULONG total;    /* items of this level */
} fm_progress;

/* Starts reporting on p (may be NULL) for total items. */
HRESULT fm_progress_start(fm_progress *pr, LPMAPIPROGRESS p, ULONG total);

/* Reports done items of total; MAPI_E_USER_CANCEL when the caller asks to
 * stop. */
HRESULT fm_progress_report(fm_progress *pr, ULONG done);

/* Work on items [done, done + 1) of a top-level operation is nested: makes
 * the progress object's flags clear and its range that item's share, so a
 * level started on it after this reports within the slice. */
HRESULT fm_progress_enter_nested(fm_progress *pr, ULONG done);

/* Back to the top level after fm_progress_enter_nested. */
HRESULT fm_progress_leave_nested(fm_progress *pr);

#endif /* FREEMAPI_STORE_PROGRESS_H */
