/*
 * tools/mapi/progress.c - an IMAPIProgress for the terminal, and Ctrl-C.
 *
 * Long operations (rm, empty, import, export) report through MAPI's own
 * progress interface, so a Ctrl-C reaches the library the documented way:
 * the next Progress call returns MAPI_E_USER_CANCEL, the operation stops
 * after its current batch with everything done so far kept, and the tool
 * exits 130. On a terminal the bar shows done/total and the rate, redrawn
 * at most ten times a second; elsewhere nothing is drawn.
 *
 * SIGINT and SIGTERM are caught without SA_RESTART, so a blocking call of
 * the tool's own (a password read from standard input, a wait for the
 * first-use lock) returns EINTR and the command stops; the handler also
 * writes to the interrupt pipe, which the relay threads (relay.c) poll, so
 * a FIFO read or written through the MIME library stops too. SIGXFSZ is
 * ignored: a write past the file size limit fails with EFBIG, reported as
 * MAPI_E_NOT_ENOUGH_DISK, instead of killing the process mid-write.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mapiguid.h"

static volatile sig_atomic_t interrupted;
static int wake[2] = { -1, -1 }; /* the interrupt pipe */

static void on_interrupt(int sig)
{
    (void)sig;
    int saved = errno;
    interrupted = 1;
    if (wake[1] >= 0) {
        ssize_t n = write(wake[1], "!", 1); /* async-signal-safe; never blocks */
        (void)n;
    }
    errno = saved;
}

void cli_catch_interrupt(void)
{
    if (cli_pipe(wake, true) != 0)
        wake[0] = wake[1] = -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sa.sa_flags = 0; /* no SA_RESTART: blocking calls return EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

int cli_interrupt_fd(void)
{
    return wake[0];
}

bool cli_cancelled(void)
{
    return interrupted != 0;
}

typedef struct progress {
    const IMAPIProgressVtbl *lpVtbl;
    ULONG refs;
    bool draw;
    const char *label;
    ULONG flags, min, max;
    double started, last_draw;
    unsigned long done, total;
    bool drawn;
} progress;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(progress *p, bool final)
{
    double t = now_seconds();
    if (!p->draw || (!final && t - p->last_draw < 0.1))
        return;
    p->last_draw = t;
    double elapsed = t - p->started;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    char bar[31];
    int filled = p->total ? (int)(30.0 * (double)p->done / (double)p->total) : 0;
    if (filled > 30)
        filled = 30;
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(30 - filled));
    bar[30] = '\0';
    if (p->total)
        fprintf(stderr, "\r%s [%s] %lu/%lu  %.0f/s ", p->label, bar, p->done, p->total, rate);
    else
        fprintf(stderr, "\r%s %lu  %.0f/s ", p->label, p->done, rate);
    p->drawn = true;
    if (final)
        fputc('\n', stderr);
}

static STDMETHODIMP progress_QueryInterface(IMAPIProgress *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return MAPI_E_INVALID_PARAMETER;
    if (memcmp(riid, &IID_IUnknown, sizeof(GUID)) == 0 ||
        memcmp(riid, &IID_IMAPIProgress, sizeof(GUID)) == 0) {
        ((progress *)This)->refs++;
        *ppv = This;
        return S_OK;
    }
    *ppv = NULL;
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static STDMETHODIMP_(ULONG) progress_AddRef(IMAPIProgress *This)
{
    return ++((progress *)This)->refs;
}

static STDMETHODIMP_(ULONG) progress_Release(IMAPIProgress *This)
{
    progress *p = (progress *)This;
    if (--p->refs > 0)
        return p->refs;
    free(p);
    return 0;
}

/* ulCount/ulTotal are items when the provider gives them; otherwise the
 * value within min..max is shown as a count of that range. */
static STDMETHODIMP progress_Progress(IMAPIProgress *This, ULONG ulValue, ULONG ulCount,
                                      ULONG ulTotal)
{
    progress *p = (progress *)This;
    if (ulTotal != 0) {
        p->done = ulCount;
        p->total = ulTotal;
    } else {
        p->done = ulValue >= p->min ? ulValue - p->min : 0;
        p->total = p->max > p->min ? p->max - p->min : 0;
    }
    draw(p, false);
    return interrupted ? MAPI_E_USER_CANCEL : S_OK;
}

static STDMETHODIMP progress_GetFlags(IMAPIProgress *This, ULONG *lpulFlags)
{
    if (lpulFlags == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lpulFlags = ((progress *)This)->flags;
    return S_OK;
}

static STDMETHODIMP progress_GetMax(IMAPIProgress *This, ULONG *lpulMax)
{
    if (lpulMax == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lpulMax = ((progress *)This)->max;
    return S_OK;
}

static STDMETHODIMP progress_GetMin(IMAPIProgress *This, ULONG *lpulMin)
{
    if (lpulMin == NULL)
        return MAPI_E_INVALID_PARAMETER;
    *lpulMin = ((progress *)This)->min;
    return S_OK;
}

static STDMETHODIMP progress_SetLimits(IMAPIProgress *This, LPULONG lpulMin, LPULONG lpulMax,
                                       LPULONG lpulFlags)
{
    progress *p = (progress *)This;
    if (lpulMin != NULL)
        p->min = *lpulMin;
    if (lpulMax != NULL)
        p->max = *lpulMax;
    if (lpulFlags != NULL)
        p->flags = *lpulFlags;
    return S_OK;
}

static const IMAPIProgressVtbl PROGRESS_VTBL = {
    .QueryInterface = progress_QueryInterface,
    .AddRef = progress_AddRef,
    .Release = progress_Release,
    .Progress = progress_Progress,
    .GetFlags = progress_GetFlags,
    .GetMax = progress_GetMax,
    .GetMin = progress_GetMin,
    .SetLimits = progress_SetLimits,
};

LPMAPIPROGRESS cli_progress_new(cli *c, const char *label)
{
    progress *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->lpVtbl = &PROGRESS_VTBL;
    p->refs = 1;
    p->draw = c->tty && !c->quiet && !c->json;
    p->label = label;
    p->flags = MAPI_TOP_LEVEL;
    p->min = 1;
    p->max = 1000;
    p->started = now_seconds();
    return (LPMAPIPROGRESS)p;
}

bool cli_progress_step(LPMAPIPROGRESS lp, unsigned long done, unsigned long total)
{
    progress *p = (progress *)lp;
    if (p != NULL) {
        p->done = done;
        p->total = total;
        draw(p, false);
    }
    return !interrupted;
}

void cli_progress_done(LPMAPIPROGRESS lp)
{
    progress *p = (progress *)lp;
    if (p == NULL)
        return;
    if (p->drawn)
        draw(p, true);
    IMAPIProgress_Release(lp);
}
