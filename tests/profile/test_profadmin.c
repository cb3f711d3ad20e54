/*
 * tests/profile/test_profadmin.c - MAPIAdminProfiles and every IProfAdmin
 * method: the profile table, create, delete, copy, rename, default,
 * passwords, AdminServices, GetLastError; flags, bad names, a damaged
 * profile store, and out-of-memory sweeps.
 */
#include <sys/stat.h>

#include "profile/profstore.h"
#include "profile_fixture.h"

static void create_lists_the_profile_in_the_table(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Work", NULL, 0, 0), S_OK);
    bool def = true;
    assert_true(fx_listed(pa, "Work", &def));
    assert_false(def);
    /* The same name again, in any case, is refused. */
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "WORK", NULL, 0, 0), MAPI_E_NO_ACCESS);
    /* MAPI_DEFAULT_SERVICES and MAPI_DIALOG are accepted; no UI appears. */
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Home", NULL, 0,
                                              MAPI_DEFAULT_SERVICES | MAPI_DIALOG),
                     S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "X", NULL, 0, 0x100),
                     MAPI_E_UNKNOWN_FLAGS);
    IProfAdmin_Release(pa);
}

static void profile_table_columns_and_unicode(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    static const WCHAR name[] = u"Prüfung";
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, MAPI_UNICODE), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IProfAdmin_GetProfileTable(pa, MAPI_UNICODE, &t), S_OK);
    LPSPropTagArray cols = NULL;
    assert_int_equal(IMAPITable_QueryColumns(t, 0, &cols), S_OK);
    assert_int_equal(cols->cValues, 2);
    assert_int_equal(cols->aulPropTag[0], PR_DISPLAY_NAME_W);
    assert_int_equal(cols->aulPropTag[1], PR_DEFAULT_PROFILE);
    MAPIFreeBuffer(cols);
    LPSRowSet rows = fx_rows(t);
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue v = fx_col(&rows->aRow[i], PR_DISPLAY_NAME_W);
        /* compare up to the first difference or NUL: other profiles'
         * names may be shorter than this one */
        size_t k = 0;
        while (v && k < sizeof name / sizeof name[0] && v->Value.lpszW[k] == name[k] &&
               name[k] != 0)
            k++;
        if (v && k < sizeof name / sizeof name[0] && name[k] == 0 && v->Value.lpszW[k] == 0)
            found = true;
    }
    FreeProws(rows);
    assert_true(found);
    assert_int_equal(IProfAdmin_GetProfileTable(pa, 0x4, &t), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfAdmin_GetProfileTable(pa, 0, NULL), MAPI_E_INVALID_PARAMETER);
    IProfAdmin_Release(pa);
}

static void names_over_64_characters_are_refused(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    char name[80];
    memset(name, 'n', 65);
    name[65] = '\0';
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0),
                     MAPI_E_INVALID_PARAMETER);
    LPMAPIERROR err = NULL;
    assert_int_equal(IProfAdmin_GetLastError(pa, MAPI_E_INVALID_PARAMETER, 0, &err), S_OK);
    assert_non_null(strstr((char *)err->lpszError, "64"));
    assert_string_equal((char *)err->lpszComponent, "IProfAdmin");
    MAPIFreeBuffer(err);
    name[64] = '\0';
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, NULL, NULL, 0, 0), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "", NULL, 0, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "a\nb", NULL, 0, 0),
                     MAPI_E_INVALID_PARAMETER);
    IProfAdmin_Release(pa);
}

static void delete_unknown_is_not_found_and_delete_removes(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR) "Nobody", 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Gone", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR) "Gone", 0), S_OK);
    assert_false(fx_listed(pa, "Gone", NULL));
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR) "Gone", 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR) "Gone", 0x2), MAPI_E_UNKNOWN_FLAGS);
    /* The name is free again, for a different profile. */
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Gone", NULL, 0, 0), S_OK);
    IProfAdmin_Release(pa);
}

static void default_profile_is_one_at_most(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "D1", NULL, 0, 0), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "D2", NULL, 0, 0), S_OK);
    bool def = false;
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "D1", 0), S_OK);
    assert_true(fx_listed(pa, "D1", &def) && def);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "D2", 0), S_OK);
    assert_true(fx_listed(pa, "D1", &def) && !def);
    assert_true(fx_listed(pa, "D2", &def) && def);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, NULL, 0), S_OK);
    assert_true(fx_listed(pa, "D2", &def) && !def);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "None", 0), MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_SetDefaultProfile(pa, (LPTSTR) "D1", 0x8), MAPI_E_UNKNOWN_FLAGS);
    IProfAdmin_Release(pa);
}

static void rename_and_copy(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Src", NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "Src", NULL, 0, 0, &sa), S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE,
                                                       (LPTSTR) "My store", 0, 0),
                     S_OK);
    MAPIUID src_svc = fx_service_uid(sa, 0);
    IMsgServiceAdmin_Release(sa);

    assert_int_equal(IProfAdmin_CopyProfile(pa, (LPTSTR) "Src", NULL, (LPTSTR) "Copy", 0, 0),
                     S_OK);
    assert_true(fx_listed(pa, "Src", NULL) && fx_listed(pa, "Copy", NULL));
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "Copy", NULL, 0, 0, &sa), S_OK);
    assert_int_equal(fx_service_count(sa), 1);
    MAPIUID copy_svc = fx_service_uid(sa, 0);
    assert_true(memcmp(src_svc.ab, copy_svc.ab, 16) != 0); /* its own service UID */
    IMsgServiceAdmin_Release(sa);
    assert_int_equal(IProfAdmin_CopyProfile(pa, (LPTSTR) "Src", NULL, (LPTSTR) "Copy", 0, 0),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(IProfAdmin_CopyProfile(pa, (LPTSTR) "None", NULL, (LPTSTR) "C2", 0, 0),
                     MAPI_E_NOT_FOUND);

    assert_int_equal(IProfAdmin_RenameProfile(pa, (LPTSTR) "Copy", NULL, (LPTSTR) "Renamed", 0,
                                              0),
                     S_OK);
    assert_false(fx_listed(pa, "Copy", NULL));
    assert_true(fx_listed(pa, "Renamed", NULL));
    assert_int_equal(IProfAdmin_RenameProfile(pa, (LPTSTR) "Renamed", NULL, (LPTSTR) "Src", 0,
                                              0),
                     MAPI_E_NO_ACCESS);
    assert_int_equal(IProfAdmin_RenameProfile(pa, (LPTSTR) "None", NULL, (LPTSTR) "Z", 0, 0),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IProfAdmin_RenameProfile(pa, (LPTSTR) "Renamed", NULL, (LPTSTR) "Z", 0,
                                              0x1000),
                     MAPI_E_UNKNOWN_FLAGS);
    IProfAdmin_Release(pa);
}

static void profile_passwords_guard_admin_methods(void **state)
{
    (void)state;
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Locked", (LPTSTR) "pw1", 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "Locked", (LPTSTR) "bad", 0, 0, &sa),
                     MAPI_E_LOGON_FAILED);
    assert_null(sa);
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "Locked", (LPTSTR) "pw1", 0, 0, &sa),
                     S_OK);
    IMsgServiceAdmin_Release(sa);
    assert_int_equal(IProfAdmin_ChangeProfilePassword(pa, (LPTSTR) "Locked", (LPTSTR) "bad",
                                                      (LPTSTR) "pw2", 0),
                     MAPI_E_LOGON_FAILED);
    assert_int_equal(IProfAdmin_ChangeProfilePassword(pa, (LPTSTR) "Locked", (LPTSTR) "pw1",
                                                      (LPTSTR) "pw2", 0),
                     S_OK);
    assert_int_equal(IProfAdmin_CopyProfile(pa, (LPTSTR) "Locked", (LPTSTR) "pw1",
                                            (LPTSTR) "L2", 0, 0),
                     MAPI_E_LOGON_FAILED);
    assert_int_equal(IProfAdmin_RenameProfile(pa, (LPTSTR) "Locked", (LPTSTR) "pw2",
                                              (LPTSTR) "Locked2", 0, 0),
                     S_OK);
    assert_int_equal(IProfAdmin_ChangeProfilePassword(pa, (LPTSTR) "Locked2", (LPTSTR) "pw2",
                                                      (LPTSTR) "pw3", 0x4),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR) "Locked2", (LPTSTR) "pw2", 0, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    IProfAdmin_Release(pa);
}

static void admin_needs_initialization_and_validates_arguments(void **state)
{
    (void)state;
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(MAPIAdminProfiles(1, &pa), MAPI_E_UNKNOWN_FLAGS);
    MAPIUninitialize();
    assert_int_equal(MAPIAdminProfiles(0, &pa), MAPI_E_NOT_INITIALIZED);
    assert_int_equal(MAPIInitialize(NULL), S_OK);
    pa = fx_admin();
    LPUNKNOWN unk = NULL;
    assert_int_equal(IProfAdmin_QueryInterface(pa, &IID_IUnknown, (void **)&unk), S_OK);
    IUnknown_Release(unk);
    assert_int_equal(IProfAdmin_QueryInterface(pa, &IID_IMAPIProp, (void **)&unk),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    IProfAdmin_Release(pa);
}

static void a_damaged_profile_store_is_corrupt_data(void **state)
{
    (void)state;
    char dir[700], db[800];
    snprintf(dir, sizeof dir, "%s/damaged-profiles", fm_test_tmpdir());
    mkdir(dir, 0700);
    snprintf(db, sizeof db, "%s/profiles.db", dir);
    FILE *f = fopen(db, "w");
    fputs("not SQLite at all, but long enough for SQLite to read a whole header from it and "
          "decide that this is not a database file.", f);
    fclose(f);
    char saved[700];
    snprintf(saved, sizeof saved, "%s", getenv("FREEMAPI_PROFILE_DIR"));
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), MAPI_E_CORRUPT_DATA);
    assert_non_null(strstr(fmapi_last_error(), "profile store"));
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR) "Any", NULL, 0, &s), MAPI_E_CORRUPT_DATA);
    setenv("FREEMAPI_PROFILE_DIR", saved, 1);
    /* The user's real profile store is untouched. */
    pa = fx_admin();
    assert_true(fx_listed(pa, "Src", NULL));
    IProfAdmin_Release(pa);
}

/* Without FREEMAPI_PROFILE_DIR the store goes to $XDG_CONFIG_HOME/freemapi,
 * made with every missing parent, each 0700, as the XDG base directory
 * rules ask. */
static void the_profile_directory_is_made_with_its_parents(void **state)
{
    (void)state;
    char saved[700], config[700], dir[800];
    snprintf(saved, sizeof saved, "%s", getenv("FREEMAPI_PROFILE_DIR"));
    snprintf(config, sizeof config, "%s/fresh-home/not/yet/config", fm_test_tmpdir());
    unsetenv("FREEMAPI_PROFILE_DIR");
    setenv("XDG_CONFIG_HOME", config, 1);
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR) "Fresh", NULL, 0, 0), S_OK);
    assert_true(fx_listed(pa, "Fresh", NULL));
    IProfAdmin_Release(pa);
    snprintf(dir, sizeof dir, "%s/freemapi/profiles.db", config);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(stat(config, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    unsetenv("XDG_CONFIG_HOME");
    setenv("FREEMAPI_PROFILE_DIR", saved, 1);
}

/* ---- out of memory ---------------------------------------------------------- */

/* A failed run may leave its profiles behind: each run first removes what
 * an earlier one left, so the store (and the work of each run) stays the
 * same size. */
static HRESULT oom_profile_lifecycle(void *ctx)
{
    (void)ctx;
    const char *a = "oomA", *b = "oomB";
    LPPROFADMIN pa = NULL;
    HRESULT hr = MAPIAdminProfiles(0, &pa);
    if (hr != S_OK)
        return hr;
    for (int i = 0; i < 2 && hr == S_OK; i++) {
        hr = IProfAdmin_DeleteProfile(pa, (LPTSTR)(i ? b : a), 0);
        if (hr == MAPI_E_NOT_FOUND)
            hr = S_OK;
    }
    if (hr == S_OK)
        hr = IProfAdmin_CreateProfile(pa, (LPTSTR)a, NULL, 0, 0);
    LPMAPITABLE t = NULL;
    if (hr == S_OK)
        hr = IProfAdmin_GetProfileTable(pa, 0, &t);
    if (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
        if (hr == S_OK)
            FreeProws(rows);
        IMAPITable_Release(t);
    }
    if (hr == S_OK)
        hr = IProfAdmin_SetDefaultProfile(pa, (LPTSTR)a, 0);
    if (hr == S_OK)
        hr = IProfAdmin_CopyProfile(pa, (LPTSTR)a, NULL, (LPTSTR)b, 0, 0);
    if (hr == S_OK)
        hr = IProfAdmin_DeleteProfile(pa, (LPTSTR)b, 0);
    if (hr == S_OK)
        hr = IProfAdmin_DeleteProfile(pa, (LPTSTR)a, 0);
    if (hr != S_OK) {
        LPMAPIERROR err = NULL;
        if (IProfAdmin_GetLastError(pa, hr, 0, &err) == S_OK)
            MAPIFreeBuffer(err);
    }
    IProfAdmin_Release(pa);
    return hr;
}

static void out_of_memory_sweep(void **state)
{
    (void)state;
    assert_int_equal(oom_profile_lifecycle(NULL), S_OK);
    assert_true(fm_test_oom_sweep(oom_profile_lifecycle, NULL) > 20);
}

static int setup(void **state)
{
    (void)state;
    fx_profile_env();
    return MAPIInitialize(NULL) == S_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    MAPIUninitialize();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_lists_the_profile_in_the_table),
        cmocka_unit_test(profile_table_columns_and_unicode),
        cmocka_unit_test(names_over_64_characters_are_refused),
        cmocka_unit_test(delete_unknown_is_not_found_and_delete_removes),
        cmocka_unit_test(default_profile_is_one_at_most),
        cmocka_unit_test(rename_and_copy),
        cmocka_unit_test(profile_passwords_guard_admin_methods),
        cmocka_unit_test(admin_needs_initialization_and_validates_arguments),
        cmocka_unit_test(a_damaged_profile_store_is_corrupt_data),
        cmocka_unit_test(the_profile_directory_is_made_with_its_parents),
        cmocka_unit_test(out_of_memory_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
