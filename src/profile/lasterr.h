/*
 * profile/lasterr.h - the last error of an admin object or session, for its
 * GetLastError: the text of the last failing call on that object (whatever
 * thread made it), under the object's own lock.
 */
#ifndef FREEMAPI_PROFILE_LASTERR_H
#define FREEMAPI_PROFILE_LASTERR_H

#include <pthread.h>

#include "core/error.h"

typedef struct fm_lasterr {
    pthread_mutex_t lock;
    HRESULT hr;
    char text[FM_ERROR_TEXT_MAX];
} fm_lasterr;

void fm_lasterr_init(fm_lasterr *e);
void fm_lasterr_destroy(fm_lasterr *e);
/* Records the thread's error text when hr is a failure; returns hr. */
HRESULT fm_lasterr_record(fm_lasterr *e, HRESULT hr);
/* GetLastError: the MAPIERROR of the last failure recorded (the text is
 * used when hResult is the code it was recorded with). */
HRESULT fm_lasterr_get(fm_lasterr *e, const char *component, HRESULT hResult, ULONG ulFlags,
                       LPMAPIERROR *lppMAPIError);

/* A text argument (LPTSTR: UTF-16 with MAPI_UNICODE) as UTF-8 into buf. */
HRESULT fm_tstr_arg(const void *s, ULONG flags, char *buf, size_t cap, const char *what);

#endif /* FREEMAPI_PROFILE_LASTERR_H */
