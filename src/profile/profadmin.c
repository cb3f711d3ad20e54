/*
 * profile/profadmin.c - MAPIAdminProfiles and IProfAdmin: the profiles of
 * the OS user (admin.h, profstore.h).
 *
 * Profile passwords are optional; when a profile has one (an Argon2id hash
 * in the profile store), the methods that take the old password check it
 * (MAPI_E_LOGON_FAILED). No method shows UI: MAPI_DIALOG is accepted and
 * ignored where documented.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/init.h"
#include "core/lasterr.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "profile/admin.h"
#include "site/pwhash.h"
#include "table/rowtable.h"

typedef struct fm_profadmin {
    const IProfAdminVtbl *lpVtbl;
    _Atomic ULONG refs;
    fm_profstore *ps;
    fm_lasterr err;
} fm_profadmin;

#define NAME_BUF 1024

static fm_profadmin *self(IProfAdmin *p)
{
    return (fm_profadmin *)p;
}

static HRESULT fail(IProfAdmin *This, HRESULT hr)
{
    return fm_lasterr_record(&self(This)->err, hr);
}

static HRESULT check_flags(const char *fn, ULONG flags, ULONG known)
{
    if (flags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "%s: unknown flags 0x%08lX", fn,
                            (unsigned long)(flags & ~known));
    return S_OK;
}

/* A profile name argument, checked. */
static HRESULT name_arg(LPTSTR s, ULONG flags, char *buf, const char *fn)
{
    if (s == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: no profile name", fn);
    HRESULT hr =
        fm_text_arg_utf8(s, (flags & MAPI_UNICODE) != 0, buf, NAME_BUF, "the profile name");
    if (hr == S_OK)
        hr = fm_profile_check_name(buf);
    return hr;
}

/* Finds the live profile name and checks password against it. */
static HRESULT open_profile(fm_profadmin *pa, LPTSTR name, LPTSTR password, ULONG flags,
                            const char *fn, fm_profile *out)
{
    char buf[NAME_BUF], pw[NAME_BUF];
    HRESULT hr = name_arg(name, flags, buf, fn);
    if (hr == S_OK)
        hr = fm_text_arg_utf8(password, (flags & MAPI_UNICODE) != 0, pw, sizeof pw, "the password");
    if (hr == S_OK)
        hr = fm_profile_find(pa->ps, buf, out);
    if (hr == S_OK && out->pwhash[0] != '\0' && !fm_pwhash_verify(out->pwhash, pw))
        hr = fm_error_set(MAPI_E_LOGON_FAILED, "%s: wrong password for profile \"%s\"", fn, buf);
    return hr;
}

static STDMETHODIMP profadmin_QueryInterface(IProfAdmin *This, REFIID riid, LPVOID *ppvObj)
{
    if (riid == NULL || ppvObj == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "QueryInterface: NULL argument");
    *ppvObj = NULL;
    if (!IsEqualIID(riid, &IID_IProfAdmin) && !IsEqualIID(riid, &IID_IUnknown))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "IProfAdmin: unsupported interface");
    atomic_fetch_add(&self(This)->refs, 1);
    *ppvObj = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) profadmin_AddRef(IProfAdmin *This)
{
    return atomic_fetch_add(&self(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) profadmin_Release(IProfAdmin *This)
{
    fm_profadmin *pa = self(This);
    ULONG left = atomic_fetch_sub(&pa->refs, 1) - 1;
    if (left == 0) {
        fm_profstore_close(pa->ps);
        fm_lasterr_clear(&pa->err);
        fm_free(pa);
    }
    return left;
}

static STDMETHODIMP profadmin_GetLastError(IProfAdmin *This, HRESULT hResult, ULONG ulFlags,
                                           LPMAPIERROR *lppMAPIError)
{
    return fm_lasterr_get(&self(This)->err, "IProfAdmin", hResult, ulFlags, lppMAPIError);
}

static const ULONG PROFILE_COLUMNS[] = { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE, PR_INSTANCE_KEY };

/* One profile of the table, as read. */
typedef struct profile_row {
    MAPIUID uid;
    char *name;
    bool is_default;
} profile_row;

static HRESULT read_profiles(fm_profstore *ps, profile_row **out, size_t *n)
{
    sqlite3_stmt *st;
    HRESULT hr = fm_db_prepare(ps->db,
                               "SELECT uid, name, is_default FROM profiles WHERE deleted = 0 "
                               "ORDER BY name COLLATE NOCASE",
                               &st);
    if (hr != S_OK)
        return hr;
    profile_row *rows = NULL;
    size_t count = 0, cap = 0;
    int rc;
    while (hr == S_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            profile_row *grown = fm_realloc(rows, cap * sizeof *rows);
            if (grown == NULL) {
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing profiles");
                break;
            }
            rows = grown;
        }
        profile_row *r = &rows[count];
        memcpy(r->uid.ab, sqlite3_column_blob(st, 0), 16);
        r->is_default = sqlite3_column_int(st, 2) != 0;
        if ((r->name = fm_db_column_dup(st, 1)) == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing profiles");
        else
            count++;
    }
    if (hr == S_OK && rc != SQLITE_DONE)
        hr = fm_db_error(ps->db, rc, "listing profiles");
    fm_db_finish(st);
    *out = rows;
    *n = count;
    return hr;
}

static HRESULT profile_table(fm_profstore *ps, ULONG flags, LPMAPITABLE *out)
{
    profile_row *rows = NULL;
    size_t n = 0;
    HRESULT hr = read_profiles(ps, &rows, &n);
    SPropValue *vals = NULL;
    if (hr == S_OK && n > 0 && (vals = fm_calloc(3 * n, sizeof *vals)) == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory listing profiles");
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        SPropValue *r = vals + 3 * i;
        r[0].ulPropTag = PR_DISPLAY_NAME_A;
        r[0].Value.lpszA = rows[i].name;
        r[1].ulPropTag = PR_DEFAULT_PROFILE;
        r[1].Value.b = (unsigned short)rows[i].is_default;
        r[2].ulPropTag = PR_INSTANCE_KEY;
        r[2].Value.bin.cb = 16;
        r[2].Value.bin.lpb = rows[i].uid.ab;
    }
    if (hr == S_OK)
        hr = fm_rowtable_open("GetProfileTable", n, 3, vals, PROFILE_COLUMNS, 2, flags, out);
    for (size_t i = 0; i < n; i++)
        fm_free(rows[i].name);
    fm_free(rows);
    fm_free(vals);
    return hr;
}

static STDMETHODIMP profadmin_GetProfileTable(IProfAdmin *This, ULONG ulFlags,
                                              LPMAPITABLE *lppTable)
{
    fm_profadmin *pa = self(This);
    if (lppTable == NULL)
        return fail(This, fm_error_set(MAPI_E_INVALID_PARAMETER, "GetProfileTable: lppTable is "
                                                                 "NULL"));
    pthread_mutex_lock(&pa->ps->lock);
    HRESULT hr = profile_table(pa->ps, ulFlags, lppTable);
    pthread_mutex_unlock(&pa->ps->lock);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_CreateProfile(IProfAdmin *This, LPTSTR lpszProfileName,
                                            LPTSTR lpszPassword, ULONG_PTR ulUIParam, ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    char name[NAME_BUF], pw[NAME_BUF];
    HRESULT hr = check_flags("CreateProfile", ulFlags,
                             MAPI_DEFAULT_SERVICES | MAPI_DIALOG | MAPI_UNICODE);
    if (hr == S_OK)
        hr = name_arg(lpszProfileName, ulFlags, name, "CreateProfile");
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszPassword, (ulFlags & MAPI_UNICODE) != 0, pw, sizeof pw,
                              "the password");
    MAPIUID uid;
    /* MAPI_DEFAULT_SERVICES: freemapi has no default services list (MAPI's
     * MAPISVC.INF [Default Services]); the profile starts empty either way. */
    if (hr == S_OK)
        hr = fm_profile_create(pa->ps, name, pw, &uid);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_DeleteProfile(IProfAdmin *This, LPTSTR lpszProfileName, ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    char name[NAME_BUF];
    fm_profile p;
    HRESULT hr = check_flags("DeleteProfile", ulFlags, MAPI_UNICODE);
    if (hr == S_OK)
        hr = name_arg(lpszProfileName, ulFlags, name, "DeleteProfile");
    pthread_mutex_lock(&pa->ps->lock);
    if (hr == S_OK)
        hr = fm_profile_find(pa->ps, name, &p);
    if (hr == S_OK)
        hr = fm_profile_delete(pa->ps, &p.uid);
    pthread_mutex_unlock(&pa->ps->lock);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_ChangeProfilePassword(IProfAdmin *This, LPTSTR lpszProfileName,
                                                    LPTSTR lpszOldPassword, LPTSTR lpszNewPassword,
                                                    ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    fm_profile p;
    char pw[NAME_BUF], hash[FM_PWHASH_SIZE] = "";
    HRESULT hr = check_flags("ChangeProfilePassword", ulFlags, MAPI_UNICODE);
    if (hr == S_OK)
        hr = open_profile(pa, lpszProfileName, lpszOldPassword, ulFlags, "ChangeProfilePassword",
                          &p);
    if (hr == S_OK)
        hr = fm_text_arg_utf8(lpszNewPassword, (ulFlags & MAPI_UNICODE) != 0, pw, sizeof pw,
                              "the new password");
    if (hr == S_OK && pw[0] != '\0')
        hr = fm_pwhash_make(pw, false, hash);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(pa->ps->db, "UPDATE profiles SET pwhash = ?2 WHERE uid = ?1", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, p.uid.ab, 16);
        fm_db_bind_text(st, 2, hash);
        hr = fm_db_run(pa->ps->db, st, "changing a profile password");
    }
    return fail(This, hr);
}

/* Copies every service and the other sections of profile from to to. */
static HRESULT copy_contents(fm_profstore *ps, const MAPIUID *from, const MAPIUID *to)
{
    fm_service *svcs = NULL;
    size_t n = 0;
    HRESULT hr = fm_service_list(ps, from, &svcs, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++)
        hr = fm_service_copy(ps, from, &svcs[i].uid, to, NULL);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(ps->db,
                           "INSERT INTO sections SELECT ?2, uid, props FROM sections WHERE "
                           "profile = ?1 AND uid NOT IN (SELECT uid FROM services WHERE "
                           "profile = ?1 UNION SELECT provider_uid FROM services WHERE "
                           "profile = ?1)",
                           &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, from->ab, 16);
        fm_db_bind_blob(st, 2, to->ab, 16);
        hr = fm_db_run(ps->db, st, "copying a profile");
    }
    fm_free(svcs);
    return hr;
}

static STDMETHODIMP profadmin_CopyProfile(IProfAdmin *This, LPTSTR lpszOldProfileName,
                                          LPTSTR lpszOldPassword, LPTSTR lpszNewProfileName,
                                          ULONG_PTR ulUIParam, ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    fm_profile p;
    char name[NAME_BUF];
    MAPIUID uid;
    HRESULT hr = check_flags("CopyProfile", ulFlags, MAPI_DIALOG | MAPI_UNICODE);
    if (hr == S_OK)
        hr = name_arg(lpszNewProfileName, ulFlags, name, "CopyProfile");
    pthread_mutex_lock(&pa->ps->lock);
    if (hr == S_OK)
        hr = open_profile(pa, lpszOldProfileName, lpszOldPassword, ulFlags, "CopyProfile", &p);
    if (hr == S_OK && (hr = fm_db_begin(pa->ps->db)) == S_OK) {
        hr = fm_profile_create(pa->ps, name, NULL, &uid);
        sqlite3_stmt *st;
        if (hr == S_OK)
            hr = fm_db_prepare(pa->ps->db, "UPDATE profiles SET pwhash = ?2 WHERE uid = ?1", &st);
        if (hr == S_OK) {
            fm_db_bind_blob(st, 1, uid.ab, 16);
            fm_db_bind_text(st, 2, p.pwhash);
            hr = fm_db_run(pa->ps->db, st, "copying a profile");
        }
        if (hr == S_OK)
            hr = copy_contents(pa->ps, &p.uid, &uid);
        hr = fm_db_end(pa->ps->db, hr);
    }
    pthread_mutex_unlock(&pa->ps->lock);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_RenameProfile(IProfAdmin *This, LPTSTR lpszOldProfileName,
                                            LPTSTR lpszOldPassword, LPTSTR lpszNewProfileName,
                                            ULONG_PTR ulUIParam, ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    fm_profile p;
    char name[NAME_BUF];
    HRESULT hr = check_flags("RenameProfile", ulFlags, MAPI_DIALOG | MAPI_UNICODE);
    if (hr == S_OK)
        hr = name_arg(lpszNewProfileName, ulFlags, name, "RenameProfile");
    pthread_mutex_lock(&pa->ps->lock);
    if (hr == S_OK)
        hr = open_profile(pa, lpszOldProfileName, lpszOldPassword, ulFlags, "RenameProfile", &p);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(pa->ps->db, "UPDATE profiles SET name = ?2 WHERE uid = ?1", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, p.uid.ab, 16);
        fm_db_bind_text(st, 2, name);
        hr = fm_db_run(pa->ps->db, st, "renaming a profile");
        if (hr == MAPI_E_COLLISION)
            hr = fm_error_set(MAPI_E_NO_ACCESS, "a profile named \"%s\" already exists", name);
    }
    pthread_mutex_unlock(&pa->ps->lock);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_SetDefaultProfile(IProfAdmin *This, LPTSTR lpszProfileName,
                                                ULONG ulFlags)
{
    fm_profadmin *pa = self(This);
    char name[NAME_BUF];
    fm_profile p;
    memset(&p, 0, sizeof p);
    HRESULT hr = check_flags("SetDefaultProfile", ulFlags, MAPI_UNICODE);
    /* NULL: no profile is the default any more. */
    if (hr == S_OK && lpszProfileName != NULL)
        hr = name_arg(lpszProfileName, ulFlags, name, "SetDefaultProfile");
    pthread_mutex_lock(&pa->ps->lock);
    if (hr == S_OK && lpszProfileName != NULL)
        hr = fm_profile_find(pa->ps, name, &p);
    sqlite3_stmt *st;
    if (hr == S_OK)
        hr = fm_db_prepare(pa->ps->db, "UPDATE profiles SET is_default = (uid = ?1)", &st);
    if (hr == S_OK) {
        fm_db_bind_blob(st, 1, p.uid.ab, 16);
        hr = fm_db_run(pa->ps->db, st, "setting the default profile");
    }
    pthread_mutex_unlock(&pa->ps->lock);
    return fail(This, hr);
}

static STDMETHODIMP profadmin_AdminServices(IProfAdmin *This, LPTSTR lpszProfileName,
                                            LPTSTR lpszPassword, ULONG_PTR ulUIParam, ULONG ulFlags,
                                            LPSERVICEADMIN *lppServiceAdmin)
{
    fm_profadmin *pa = self(This);
    fm_profile p;
    HRESULT hr = S_OK;
    if (lppServiceAdmin == NULL)
        hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "AdminServices: lppServiceAdmin is NULL");
    else
        *lppServiceAdmin = NULL;
    if (hr == S_OK)
        hr = check_flags("AdminServices", ulFlags, MAPI_UNICODE);
    pthread_mutex_lock(&pa->ps->lock);
    if (hr == S_OK)
        hr = open_profile(pa, lpszProfileName, lpszPassword, ulFlags, "AdminServices", &p);
    pthread_mutex_unlock(&pa->ps->lock);
    if (hr == S_OK)
        hr = fm_svcadmin_new(pa->ps, &p.uid, lppServiceAdmin);
    return fail(This, hr);
}

static const IProfAdminVtbl PROFADMIN_VTBL = {
    .QueryInterface = profadmin_QueryInterface,
    .AddRef = profadmin_AddRef,
    .Release = profadmin_Release,
    .GetLastError = profadmin_GetLastError,
    .GetProfileTable = profadmin_GetProfileTable,
    .CreateProfile = profadmin_CreateProfile,
    .DeleteProfile = profadmin_DeleteProfile,
    .ChangeProfilePassword = profadmin_ChangeProfilePassword,
    .CopyProfile = profadmin_CopyProfile,
    .RenameProfile = profadmin_RenameProfile,
    .SetDefaultProfile = profadmin_SetDefaultProfile,
    .AdminServices = profadmin_AdminServices,
};

STDAPI MAPIAdminProfiles(ULONG ulFlags, LPPROFADMIN *lppProfAdmin)
{
    if (lppProfAdmin == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIAdminProfiles: lppProfAdmin is NULL");
    *lppProfAdmin = NULL;
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "MAPIAdminProfiles: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    HRESULT hr = fm_init_check("MAPIAdminProfiles");
    if (hr != S_OK)
        return hr;
    fm_profadmin *pa = fm_calloc(1, sizeof *pa);
    if (pa == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory in MAPIAdminProfiles");
    hr = fm_profstore_open(&pa->ps);
    if (hr != S_OK) {
        fm_free(pa);
        return hr;
    }
    pa->lpVtbl = &PROFADMIN_VTBL;
    atomic_init(&pa->refs, 1);
    fm_lasterr_init(&pa->err);
    *lppProfAdmin = (LPPROFADMIN)pa;
    return S_OK;
}
