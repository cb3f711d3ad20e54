/*
 * site/site_auth.c - checking a site user's password (fm_site_authenticate,
 * site.h) so that guessing teaches little: which names exist, nothing; a
 * password, a few tries per name and then one per wait, twice as long
 * after each failure up to a cap (the policy in freemapi_site.h).
 *
 * Every answer costs one Argon2id verification at the site's cost: a user's
 * own hash, or for an unknown or ambiguous name, a list, a user without a
 * password, a dummy hash of the same cost. Failures are counted per entry
 * (so a user's alias and address share one count) or, for a name that is
 * no entry, per name, with the same rules, so the back-off does not tell
 * names apart either. The counts are rows of the directory database, so a
 * new process, or another one, continues them.
 *
 * A try is counted as a failure before its password is checked, inside the
 * write transaction that checked the wait, and cleared if the password is
 * right: processes trying one name in parallel cannot get more tries than
 * the policy gives one after the other.
 */
#include <string.h>
#include <time.h>

#include "site/pwhash.h"
#include "site/site.h"

int64_t fm_site_logon_delay_ms(unsigned failures)
{
    if (failures <= FM_SITE_LOGON_FREE_FAILURES)
        return 0;
    unsigned doublings = failures - FM_SITE_LOGON_FREE_FAILURES - 1;
    if (doublings >= 30)
        return FM_SITE_LOGON_MAX_DELAY_MS;
    int64_t delay = FM_SITE_LOGON_FIRST_DELAY_MS << doublings;
    return delay < FM_SITE_LOGON_MAX_DELAY_MS ? delay : FM_SITE_LOGON_MAX_DELAY_MS;
}

/* Wall-clock milliseconds: the counts outlive processes and reboots. */
static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whom a count belongs to: an entry (id > 0), else the name as given. */
typedef struct counted {
    int64_t id;
    const char *name;
} counted;

static void bind_who(sqlite3_stmt *st, const counted *who)
{
    if (who->id > 0)
        sqlite3_bind_int64(st, 1, who->id);
    else
        sqlite3_bind_null(st, 1);
    fm_db_bind_text(st, 2, who->id > 0 ? NULL : who->name);
}

/* The stored count of who and when its next try is allowed (0, 0 if none,
 * or forgotten). */
static HRESULT read_count(fmapi_site *site, const counted *who, int64_t now, int64_t *failures,
                          int64_t *not_before)
{
    *failures = *not_before = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                                "SELECT failures, not_before, last_attempt FROM logon_failures "
                                "WHERE entry_id = ?1 OR name = ?2",
                                &st);
    if (hr != S_OK)
        return hr;
    bind_who(st, who);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_int64(st, 2) >= now - FM_SITE_LOGON_FORGET_MS) {
        *failures = sqlite3_column_int64(st, 0);
        *not_before = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        hr = fm_db_error(site->db, rc, "reading the logon failures");
    }
    fm_db_finish(st);
    return hr;
}

static HRESULT write_count(fmapi_site *site, const counted *who, int64_t failures,
                           int64_t not_before, int64_t now)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(site->db,
                                "INSERT INTO logon_failures (entry_id, name, failures, "
                                "not_before, last_attempt) VALUES (?1, ?2, ?3, ?4, ?5) "
                                "ON CONFLICT DO UPDATE SET failures = excluded.failures, "
                                "not_before = excluded.not_before, "
                                "last_attempt = excluded.last_attempt",
                                &st);
    if (hr != S_OK)
        return hr;
    bind_who(st, who);
    sqlite3_bind_int64(st, 3, failures);
    sqlite3_bind_int64(st, 4, not_before);
    sqlite3_bind_int64(st, 5, now);
    hr = fm_db_run(site->db, st, "counting a logon failure");
    /* Names tried once and never again must not pile up: forget old ones. */
    if (hr == S_OK)
        hr = fm_db_prepare(site->db, "DELETE FROM logon_failures WHERE last_attempt < ?1", &st);
    if (hr == S_OK) {
        sqlite3_bind_int64(st, 1, now - FM_SITE_LOGON_FORGET_MS);
        hr = fm_db_run(site->db, st, "forgetting old logon failures");
    }
    return hr;
}

/*
 * In one write transaction: *wait_ms > 0 when who must still wait (nothing
 * written), else this try is counted as a failure and its successor's wait
 * set. A deadline further away than the cap (the clock was set back) is
 * taken as the cap.
 */
static HRESULT charge(fmapi_site *site, const counted *who, int64_t *wait_ms)
{
    *wait_ms = 0;
    HRESULT hr = fm_db_begin(site->db);
    if (hr != S_OK)
        return hr;
    int64_t now = now_ms(), failures = 0, not_before = 0;
    hr = read_count(site, who, now, &failures, &not_before);
    if (hr == S_OK && not_before > now) {
        *wait_ms = not_before - now;
        if (*wait_ms > FM_SITE_LOGON_MAX_DELAY_MS)
            *wait_ms = FM_SITE_LOGON_MAX_DELAY_MS;
    } else if (hr == S_OK) {
        failures++;
        unsigned n = (unsigned)(failures < 1000 ? failures : 1000);
        hr = write_count(site, who, failures, now + fm_site_logon_delay_ms(n), now);
    }
    return fm_db_end(site->db, hr);
}

static void clear_count(fmapi_site *site, int64_t id)
{
    sqlite3_stmt *st;
    if (fm_db_prepare(site->db, "DELETE FROM logon_failures WHERE entry_id = ?1", &st) != S_OK)
        return;
    sqlite3_bind_int64(st, 1, id);
    (void)fm_db_run(site->db, st, "clearing the logon failures");
}

static HRESULT logon_failed(void)
{
    return fm_error_set(MAPI_E_LOGON_FAILED, "logon to the site failed: unknown user or wrong "
                                             "password");
}

HRESULT fm_site_authenticate(fmapi_site *site, const char *name, const char *password,
                             fm_site_entry *out)
{
    fm_site_entry e;
    HRESULT hr = fm_site_find(site, name, &e);
    if (hr != S_OK && hr != MAPI_E_NOT_FOUND && hr != MAPI_E_AMBIGUOUS_RECIP)
        return hr; /* could not read: not an answer about the name */
    bool known = hr == S_OK;
    bool usable = known && e.kind == FM_SITE_KIND_USER && fm_pwhash_usable(e.pwhash);
    counted who = { known ? e.id : 0, name };
    int64_t wait_ms = 0;
    hr = charge(site, &who, &wait_ms);
    /* On a full disk the try cannot be counted; refusing it would lock every
     * user out of the mailboxes they need to free space in. Argon2id's cost
     * still bounds the guessing while the disk is full. */
    if (hr == MAPI_E_NOT_ENOUGH_DISK)
        hr = S_OK;
    if (hr == S_OK && wait_ms > 0)
        hr = fm_error_set(MAPI_E_LOGON_FAILED, "logon to the site failed: too many failed "
                                               "logons with this name; try again in %lld s",
                          (long long)((wait_ms + 999) / 1000));
    if (hr == S_OK) {
        char dummy[FM_PWHASH_SIZE];
        fm_pwhash_dummy(site->weak_hashes, dummy);
        bool right = fm_pwhash_verify(usable ? e.pwhash : dummy, password ? password : "");
        if (!(right && usable))
            hr = logon_failed();
    }
    if (hr != S_OK) {
        if (known)
            fm_site_entry_clear(&e);
        memset(out, 0, sizeof *out);
        return hr;
    }
    /* The logon stands even if the count cannot be cleared now (out of
     * memory): it stays until the next right password clears it. */
    clear_count(site, e.id);
    *out = e;
    return S_OK;
}
