/*
 * store/bulk_batch.c - the batched, time-bounded loop of bulk operations
 * (see bulk_batch.h).
 */
#include <pthread.h>
#include <time.h>

#include "store/bulk_batch.h"
#include "store/stream.h"

static unsigned batch_rows = FM_BULK_BATCH_ROWS;
static unsigned batch_ms = FM_BULK_BATCH_MS;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static fm_bulk_stats stats;

double fm_bulk_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void fm_bulk_set_batch_limits(unsigned rows, unsigned ms)
{
    batch_rows = rows ? rows : FM_BULK_BATCH_ROWS;
    batch_ms = ms ? ms : FM_BULK_BATCH_MS;
}

void fm_bulk_batch_limits(unsigned *rows, unsigned *ms)
{
    *rows = batch_rows;
    *ms = batch_ms;
}

void fm_bulk_stats_get(fm_bulk_stats *out)
{
    pthread_mutex_lock(&stats_lock);
    *out = stats;
    pthread_mutex_unlock(&stats_lock);
}

void fm_bulk_stats_reset(void)
{
    pthread_mutex_lock(&stats_lock);
    stats = (fm_bulk_stats){ 0 };
    pthread_mutex_unlock(&stats_lock);
}

static void record(double work, double commit)
{
    double ms = work + commit;
    pthread_mutex_lock(&stats_lock);
    stats.batches++;
    stats.total_ms += ms;
    if (ms > stats.max_ms)
        stats.max_ms = ms;
    if (work > stats.max_work_ms)
        stats.max_work_ms = work;
    if (commit > stats.max_commit_ms)
        stats.max_commit_ms = commit;
    pthread_mutex_unlock(&stats_lock);
}

/* Whether a stream kept in a file was dropped and waits for collection. */
static HRESULT files_dropped(fm_db *db, bool *out)
{
    int64_t n = 0;
    HRESULT hr = fm_db_select_int(db,
                                  "SELECT EXISTS (SELECT 1 FROM streams WHERE owner_kind"
                                  " IS NULL AND owner_id = 0)",
                                  FM_DB_NO_INTS, 0, &n, "looking for dropped streams");
    *out = n != 0;
    return hr;
}

/* One batch: *more false when the step found nothing left. */
static HRESULT one_batch(const fm_bulk_loop *l, bool *more, bool *dropped)
{
    fm_db *db = l->s->db;
    fm_store_lock(l->s);
    HRESULT hr = fm_db_begin(db);
    if (hr != S_OK) {
        fm_store_unlock(l->s);
        return hr;
    }
    double t0 = fm_bulk_now_ms();
    unsigned n = 0;
    while (hr == S_OK && *more && n < batch_rows && fm_bulk_now_ms() - t0 < batch_ms) {
        hr = l->step(l->ctx, more);
        n++;
    }
    if (hr == S_OK)
        hr = files_dropped(db, dropped);
    double t1 = fm_bulk_now_ms();
    if (hr == S_OK)
        hr = fm_db_commit(db);
    else
        fm_db_rollback(db);
    record(t1 - t0, fm_bulk_now_ms() - t1);
    fm_store_unlock(l->s);
    return hr;
}

HRESULT fm_bulk_run(const fm_bulk_loop *l)
{
    fm_progress none = { 0 };
    fm_progress *pr = l->pr ? l->pr : &none;
    HRESULT hr = fm_progress_report(pr, *l->done);
    bool more = true;
    while (hr == S_OK && more) {
        bool dropped = false;
        hr = one_batch(l, &more, &dropped);
        if (hr == S_OK && dropped) {
            fm_store_lock(l->s);
            hr = fm_stream_collect_garbage(l->s->db);
            fm_store_unlock(l->s);
        }
        if (hr == S_OK)
            hr = fm_progress_report(pr, *l->done);
    }
    return hr;
}
