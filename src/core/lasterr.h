/*
 * core/lasterr.h - the last error of an object, for its GetLastError: the
 * code and text of the last failing call on that object, whatever thread
 * made it. Every freemapi object that has GetLastError keeps one (stores,
 * folders, messages, attachments, tables, IPropData, sessions, admin
 * objects, address book objects); its own lock makes it safe to record and
 * read from several threads at once.
 *
 * Pattern: a method ends with `return fm_lasterr_record(&o->err, hr);`,
 * which keeps the thread's error text (core/error.h) when hr is a failure
 * and returns hr unchanged.
 */
#ifndef FREEMAPI_CORE_LASTERR_H
#define FREEMAPI_CORE_LASTERR_H

#include <pthread.h>

#include "core/error.h"

typedef struct fm_lasterr {
    pthread_mutex_t lock;
    HRESULT hr;
    char text[FM_ERROR_TEXT_MAX];
} fm_lasterr;

/* Sets up e with no error recorded. */
void fm_lasterr_init(fm_lasterr *e);
/* Releases what e holds (its lock); e is not freed. */
void fm_lasterr_clear(fm_lasterr *e);
/* Records hr and the thread's error text when hr is a failure; returns hr. */
HRESULT fm_lasterr_record(fm_lasterr *e, HRESULT hr);
/* GetLastError: the MAPIERROR for hResult (fm_error_make_mapierror), with
 * the recorded text when hResult is the code it was recorded with. */
HRESULT fm_lasterr_get(fm_lasterr *e, const char *component, HRESULT hResult, ULONG ulFlags,
                       LPMAPIERROR *lppMAPIError);

#endif /* FREEMAPI_CORE_LASTERR_H */
