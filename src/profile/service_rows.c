/*
 * profile/service_rows.c - message services as stored in a profile:
 * reading, creating, deleting and copying them with their profile
 * sections (profstore.h, admin.h), and the message service and provider
 * tables.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "profile/admin.h"
#include "profile/services.h"
#include "site/pwhash.h"
#include "table/rowtable.h"

static SPropValue bin(ULONG tag, const MAPIUID *uid)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.bin.cb = 16;
    v.Value.bin.lpb = (LPBYTE)uid->ab;
    return v;
}

static SPropValue str(ULONG tag, const char *s)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.lpszA = (LPSTR)s;
    return v;
}

static SPropValue lng(ULONG tag, ULONG l)
{
    SPropValue v = { .ulPropTag = tag };
    v.Value.l = (LONG)l;
    return v;
}

/* Writes the service's and its provider's sections. */
static HRESULT write_sections(fm_profstore *ps, const MAPIUID *profile, const fm_service_def *def,
                              const char *display, const MAPIUID *uid, const MAPIUID *prov)
{
    SPropValue svc[] = {
        str(PR_SERVICE_NAME_A, def->name), str(PR_DISPLAY_NAME_A, display),
        bin(PR_SERVICE_UID, uid), lng(PR_RESOURCE_FLAGS, def->service_flags),
        bin(PR_PROVIDER_UID, prov),
    };
    SPropValue pv[] = {
        bin(PR_PROVIDER_UID, prov), bin(PR_SERVICE_UID, uid),
        str(PR_SERVICE_NAME_A, def->name), str(PR_DISPLAY_NAME_A, display),
        str(PR_PROVIDER_DISPLAY_A, def->display), lng(PR_RESOURCE_TYPE, MAPI_STORE_PROVIDER),
    };
    HRESULT hr = fm_section_write(ps, profile, uid, 5, svc);
    if (hr == S_OK)
        hr = fm_section_write(ps, profile, prov, 6, pv);
    return hr;
}

static HRESULT insert_service(fm_profstore *ps, const MAPIUID *profile, const fm_service_def *def,
                              const char *display, const MAPIUID *uid, const MAPIUID *prov)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db,
                               "INSERT INTO services (uid, profile, name, display, ord, "
                               "provider_uid) VALUES (?1, ?2, ?3, ?4, (SELECT "
                               "coalesce(max(ord), 0) + 1 FROM services WHERE profile = ?2), ?5)",
                               &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, uid->ab, 16);
    fm_db_bind_blob(st, 2, profile->ab, 16);
    fm_db_bind_text(st, 3, def->name);
    fm_db_bind_text(st, 4, display);
    fm_db_bind_blob(st, 5, prov->ab, 16);
    hr = fm_db_run(ps->db, st, "adding a message service");
    if (hr == S_OK)
        hr = write_sections(ps, profile, def, display, uid, prov);
    return hr;
}

HRESULT fm_service_create(fm_profstore *ps, const MAPIUID *profile, const char *name,
                          const char *display, MAPIUID *uid)
{
    const fm_service_def *def = fm_service_def_find(name);
    if (def == NULL)
        return fm_error_set(MAPI_E_NOT_FOUND, "there is no message service named \"%s\"", name);
    MAPIUID prov;
    fm_profstore_new_uid(uid);
    fm_profstore_new_uid(&prov);
    pthread_mutex_lock(&ps->lock);
    HRESULT hr = fm_db_begin(ps->db);
    if (hr == S_OK) {
        hr = insert_service(ps, profile, def, display && display[0] ? display : def->display,
                            uid, &prov);
        hr = fm_db_end(ps->db, hr);
    }
    pthread_mutex_unlock(&ps->lock);
    return hr;
}

/* Runs sql with ?1 = profile and ?2 = uid. */
static HRESULT run2(fm_profstore *ps, const char *sql, const MAPIUID *profile, const MAPIUID *uid,
                    const char *what)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, sql, &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    fm_db_bind_blob(st, 2, uid->ab, 16);
    return fm_db_run(ps->db, st, what);
}

HRESULT fm_service_delete(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid)
{
    fm_service svc;
    pthread_mutex_lock(&ps->lock);
    HRESULT hr = fm_db_begin(ps->db);
    if (hr == S_OK) {
        hr = fm_service_get(ps, profile, uid, &svc);
        if (hr == S_OK && memcmp(svc.uid.ab, uid->ab, 16) != 0)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "that is a provider's UID, not a service's");
        if (hr == S_OK)
            hr = run2(ps, "DELETE FROM sections WHERE profile = ?1 AND uid = ?2", profile,
                      &svc.provider_uid, "deleting a message service");
        if (hr == S_OK)
            hr = run2(ps, "DELETE FROM sections WHERE profile = ?1 AND uid = ?2", profile, uid,
                      "deleting a message service");
        if (hr == S_OK)
            hr = run2(ps, "DELETE FROM services WHERE profile = ?1 AND uid = ?2", profile, uid,
                      "deleting a message service");
        hr = fm_db_end(ps->db, hr);
    }
    pthread_mutex_unlock(&ps->lock);
    return hr;
}

/* Copies section from of profile to section to of dst, replacing the UIDs
 * and (when given) the display name it holds. */
static HRESULT copy_section(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *from,
                            const MAPIUID *dst, const MAPIUID *to, const MAPIUID *svc,
                            const MAPIUID *prov, const char *display)
{
    ULONG c = 0;
    LPSPropValue v = NULL;
    HRESULT hr = fm_section_read(ps, profile, from, &c, &v);
    for (ULONG i = 0; hr == S_OK && i < c; i++) {
        if (v[i].ulPropTag == PR_SERVICE_UID)
            v[i].Value.bin.lpb = (LPBYTE)svc->ab;
        else if (v[i].ulPropTag == PR_PROVIDER_UID)
            v[i].Value.bin.lpb = (LPBYTE)prov->ab;
        else if (PROP_ID(v[i].ulPropTag) == PROP_ID(PR_DISPLAY_NAME_A) && display)
            v[i] = str(PR_DISPLAY_NAME_A, display);
    }
    if (hr == S_OK)
        hr = fm_section_write(ps, dst, to, c, v);
    MAPIFreeBuffer(v);
    return hr;
}

HRESULT fm_service_copy(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                        const MAPIUID *dst, const char *display)
{
    fm_service svc;
    MAPIUID nuid, nprov;
    fm_profstore_new_uid(&nuid);
    fm_profstore_new_uid(&nprov);
    pthread_mutex_lock(&ps->lock);
    HRESULT hr = fm_db_begin(ps->db);
    if (hr == S_OK) {
        hr = fm_service_get(ps, profile, uid, &svc);
        const fm_service_def *def = hr == S_OK ? fm_service_def_find(svc.name) : NULL;
        if (hr == S_OK && def == NULL)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "unknown message service \"%s\"", svc.name);
        if (hr == S_OK)
            hr = insert_service(ps, dst, def, display ? display : svc.display, &nuid, &nprov);
        if (hr == S_OK)
            hr = copy_section(ps, profile, &svc.uid, dst, &nuid, &nuid, &nprov, display);
        if (hr == S_OK)
            hr = copy_section(ps, profile, &svc.provider_uid, dst, &nprov, &nuid, &nprov,
                              display);
        hr = fm_db_end(ps->db, hr);
    }
    pthread_mutex_unlock(&ps->lock);
    return hr;
}

/* ---- reading ------------------------------------------------------------------ */

static void read_service(sqlite3_stmt *st, fm_service *out)
{
    memset(out, 0, sizeof *out);
    if (sqlite3_column_bytes(st, 0) == 16)
        memcpy(out->uid.ab, sqlite3_column_blob(st, 0), 16);
    if (sqlite3_column_bytes(st, 1) == 16)
        memcpy(out->provider_uid.ab, sqlite3_column_blob(st, 1), 16);
    const char *name = (const char *)sqlite3_column_text(st, 2);
    const char *display = (const char *)sqlite3_column_text(st, 3);
    snprintf(out->name, sizeof out->name, "%s", name ? name : "");
    snprintf(out->display, sizeof out->display, "%s", display ? display : "");
    out->order = sqlite3_column_int(st, 4);
    out->primary_identity = sqlite3_column_int(st, 5) != 0;
}

#define SERVICE_SELECT                                                                   \
    "SELECT uid, provider_uid, name, display, ord, primary_identity FROM services "

HRESULT fm_service_list(fm_profstore *ps, const MAPIUID *profile, fm_service **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db, SERVICE_SELECT "WHERE profile = ?1 ORDER BY ord", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            fm_service *grown = fm_realloc(*out, cap * sizeof **out);
            if (grown == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading services");
                break;
            }
            *out = grown;
        }
        read_service(st, &(*out)[(*n)++]);
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(ps->db, rc, "reading the message services");
    fm_db_finish(st);
    if (hr != S_OK) {
        fm_free(*out);
        *out = NULL;
        *n = 0;
    }
    return hr;
}

HRESULT fm_service_get(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                       fm_service *out)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(
        ps->db, SERVICE_SELECT "WHERE profile = ?1 AND (uid = ?2 OR provider_uid = ?2)", &st);
    if (hr != S_OK)
        return hr;
    fm_db_bind_blob(st, 1, profile->ab, 16);
    fm_db_bind_blob(st, 2, uid->ab, 16);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_service(st, out);
    else if (rc == SQLITE_DONE)
        hr = fm_error_set(MAPI_E_NOT_FOUND, "no such message service in the profile");
    else
        hr = fm_db_error(ps->db, rc, "reading a message service");
    fm_db_finish(st);
    return hr;
}

/* ---- tables ----------------------------------------------------------------------- */

static const ULONG SERVICE_COLUMNS[] = {
    PR_INSTANCE_KEY, PR_SERVICE_UID, PR_SERVICE_NAME_A, PR_DISPLAY_NAME_A, PR_RESOURCE_FLAGS,
};
#define NSERVICE_COLS (sizeof SERVICE_COLUMNS / sizeof SERVICE_COLUMNS[0])

static const ULONG PROVIDER_COLUMNS[] = {
    PR_INSTANCE_KEY,     PR_PROVIDER_UID,   PR_SERVICE_UID,       PR_SERVICE_NAME_A,
    PR_DISPLAY_NAME_A,   PR_PROVIDER_DISPLAY_A, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS,
    PR_PROVIDER_ORDINAL,
};
#define NPROVIDER_COLS (sizeof PROVIDER_COLUMNS / sizeof PROVIDER_COLUMNS[0])

static HRESULT read_services(fm_profstore *ps, const MAPIUID *profile, fm_service **svcs,
                             size_t *n)
{
    pthread_mutex_lock(&ps->lock);
    HRESULT hr = fm_service_list(ps, profile, svcs, n);
    pthread_mutex_unlock(&ps->lock);
    return hr;
}

HRESULT fm_service_table(fm_profstore *ps, const MAPIUID *profile, ULONG flags,
                         LPMAPITABLE *out)
{
    fm_service *svcs = NULL;
    size_t n = 0;
    HRESULT hr = read_services(ps, profile, &svcs, &n);
    SPropValue *vals = NULL;
    if (hr == S_OK && n > 0 && (vals = fm_calloc(n * NSERVICE_COLS, sizeof *vals)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making a table");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        const fm_service_def *def = fm_service_def_find(svcs[i].name);
        ULONG rflags = def ? def->service_flags : 0;
        if (svcs[i].primary_identity)
            rflags |= SERVICE_PRIMARY_IDENTITY;
        SPropValue *r = vals + i * NSERVICE_COLS;
        r[0] = bin(PR_INSTANCE_KEY, &svcs[i].uid);
        r[1] = bin(PR_SERVICE_UID, &svcs[i].uid);
        r[2] = str(PR_SERVICE_NAME_A, svcs[i].name);
        r[3] = str(PR_DISPLAY_NAME_A, svcs[i].display);
        r[4] = lng(PR_RESOURCE_FLAGS, rflags);
    }
    if (hr == S_OK)
        hr = fm_rowtable_open("GetMsgServiceTable", n, NSERVICE_COLS, vals, SERVICE_COLUMNS,
                              NSERVICE_COLS, flags, out);
    fm_free(vals);
    fm_free(svcs);
    return hr;
}

HRESULT fm_provider_table(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *svc,
                          ULONG flags, LPMAPITABLE *out)
{
    fm_service *svcs = NULL;
    size_t n = 0, rows = 0;
    HRESULT hr = read_services(ps, profile, &svcs, &n);
    SPropValue *vals = NULL;
    if (hr == S_OK && n > 0 && (vals = fm_calloc(n * NPROVIDER_COLS, sizeof *vals)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory making a table");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        if (svc != NULL && memcmp(svc->ab, svcs[i].uid.ab, 16) != 0)
            continue;
        const fm_service_def *def = fm_service_def_find(svcs[i].name);
        SPropValue *r = vals + rows * NPROVIDER_COLS;
        r[0] = bin(PR_INSTANCE_KEY, &svcs[i].provider_uid);
        r[1] = bin(PR_PROVIDER_UID, &svcs[i].provider_uid);
        r[2] = bin(PR_SERVICE_UID, &svcs[i].uid);
        r[3] = str(PR_SERVICE_NAME_A, svcs[i].name);
        r[4] = str(PR_DISPLAY_NAME_A, svcs[i].display);
        r[5] = str(PR_PROVIDER_DISPLAY_A, def ? def->display : svcs[i].name);
        r[6] = lng(PR_RESOURCE_TYPE, MAPI_STORE_PROVIDER);
        r[7] = lng(PR_RESOURCE_FLAGS, 0);
        r[8] = lng(PR_PROVIDER_ORDINAL, (ULONG)rows);
        rows++;
    }
    if (hr == S_OK)
        hr = fm_rowtable_open("GetProviderTable", rows, NPROVIDER_COLS, vals, PROVIDER_COLUMNS,
                              NPROVIDER_COLS, flags, out);
    fm_free(vals);
    fm_free(svcs);
    return hr;
}
