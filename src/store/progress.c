/*
 * store/progress.c - IMAPIProgress reporting for bulk operations (see
 * progress.h for the rules followed).
 */
#include "core/error.h"
#include "mapicode.h"
#include "store/progress.h"

static HRESULT cancelled(HRESULT hr)
{
    /* (ULONG) first: an HRESULT is a 32-bit LONG, sign-extended otherwise */
    return fm_error_set(MAPI_E_USER_CANCEL, "the progress object asked to stop (0x%08lX)",
                        (unsigned long)(ULONG)hr);
}

HRESULT fm_progress_start(fm_progress *pr, LPMAPIPROGRESS p, ULONG total)
{
    pr->p = p;
    pr->top = false;
    pr->min = 0;
    pr->max = total;
    pr->total = total;
    if (p == NULL)
        return S_OK;
    ULONG flags = 0;
    HRESULT hr = IMAPIProgress_GetFlags(p, &flags);
    if (hr != S_OK)
        return fm_error_set(hr, "IMAPIProgress::GetFlags failed");
    pr->top = (flags & MAPI_TOP_LEVEL) != 0;
    if (pr->top) {
        ULONG lo = 0, hi = total, f = MAPI_TOP_LEVEL;
        hr = IMAPIProgress_SetLimits(p, &lo, &hi, &f);
        if (hr != S_OK)
            return fm_error_set(hr, "IMAPIProgress::SetLimits failed");
        return S_OK;
    }
    hr = IMAPIProgress_GetMin(p, &pr->min);
    if (hr == S_OK)
        hr = IMAPIProgress_GetMax(p, &pr->max);
    if (hr != S_OK)
        return fm_error_set(hr, "IMAPIProgress::GetMin/GetMax failed");
    if (pr->max < pr->min)
        pr->max = pr->min;
    return S_OK;
}

/* ulValue for done items: min at the start, max at the end. */
static ULONG value_of(const fm_progress *pr, ULONG done)
{
    if (pr->total == 0)
        return pr->max;
    if (done > pr->total)
        done = pr->total;
    return pr->min + (ULONG)((unsigned long long)(pr->max - pr->min) * done / pr->total);
}

HRESULT fm_progress_report(fm_progress *pr, ULONG done)
{
    if (pr->p == NULL)
        return S_OK;
    if (done > pr->total)
        done = pr->total;
    HRESULT hr = pr->top ? IMAPIProgress_Progress(pr->p, value_of(pr, done), done, pr->total)
                         : IMAPIProgress_Progress(pr->p, value_of(pr, done), 0, 0);
    return hr == S_OK ? S_OK : cancelled(hr);
}

HRESULT fm_progress_enter_nested(fm_progress *pr, ULONG done)
{
    if (pr->p == NULL)
        return S_OK;
    ULONG lo = value_of(pr, done), hi = value_of(pr, done + 1), f = 0;
    HRESULT hr = IMAPIProgress_SetLimits(pr->p, &lo, &hi, &f);
    return hr == S_OK ? S_OK : fm_error_set(hr, "IMAPIProgress::SetLimits failed");
}

HRESULT fm_progress_leave_nested(fm_progress *pr)
{
    if (pr->p == NULL)
        return S_OK;
    ULONG lo = pr->min, hi = pr->max, f = pr->top ? MAPI_TOP_LEVEL : 0;
    HRESULT hr = IMAPIProgress_SetLimits(pr->p, &lo, &hi, &f);
    return hr == S_OK ? S_OK : fm_error_set(hr, "IMAPIProgress::SetLimits failed");
}
