/*
 * tests/profile/test_svcadmin.c - IMsgServiceAdmin, IProviderAdmin and
 * IProfSect: the built-in services, configuration without UI, copy,
 * rename, delete, provider tables, primary identity, transport order,
 * profile sections; bad input and out-of-memory sweeps.
 */
#include "profile_fixture.h"

static const char *site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/site", fm_test_tmpdir());
        fmapi_site *site = NULL;
        assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                         S_OK);
        assert_int_equal(fmapi_site_add_user(site, "carol", "Carol", "carol@x.org", "c-pw"),
                         S_OK);
        fmapi_site_close(site);
    }
    return dir;
}

/* A new profile name and its service admin. */
static LPSERVICEADMIN new_profile(const char *name)
{
    LPPROFADMIN pa = fx_admin();
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa), S_OK);
    IProfAdmin_Release(pa);
    return sa;
}

static void create_service_shows_in_the_tables(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc1");
    assert_int_equal(fx_service_count(sa), 0);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE,
                                                       (LPTSTR) "Archive", 0, 0),
                     S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE, NULL, 0,
                                                       SERVICE_UI_ALLOWED),
                     S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), S_OK);
    LPSRowSet rows = fx_rows(t);
    assert_int_equal(rows->cRows, 2);
    assert_string_equal(fx_col(&rows->aRow[0], PR_SERVICE_NAME_A)->Value.lpszA,
                        FMAPI_SERVICE_STORE);
    assert_string_equal(fx_col(&rows->aRow[0], PR_DISPLAY_NAME_A)->Value.lpszA, "Archive");
    assert_string_equal(fx_col(&rows->aRow[1], PR_DISPLAY_NAME_A)->Value.lpszA,
                        "freemapi site mailbox"); /* the default display name */
    assert_true(fx_col(&rows->aRow[1], PR_RESOURCE_FLAGS)->Value.l & SERVICE_PRIMARY_IDENTITY);
    FreeProws(rows);
    assert_int_equal(IMsgServiceAdmin_GetProviderTable(sa, 0, &t), S_OK);
    rows = fx_rows(t);
    assert_int_equal(rows->cRows, 2);
    assert_int_equal(fx_col(&rows->aRow[0], PR_RESOURCE_TYPE)->Value.l, MAPI_STORE_PROVIDER);
    FreeProws(rows);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR) "MSPST MS", NULL, 0, 0),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, NULL, NULL, 0, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       SERVICE_UI_ALWAYS),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       0x1000),
                     MAPI_E_UNKNOWN_FLAGS);
    LPMAPIERROR err = NULL;
    assert_int_equal(IMsgServiceAdmin_GetLastError(sa, MAPI_E_UNKNOWN_FLAGS, 0, &err), S_OK);
    assert_string_equal((char *)err->lpszComponent, "IMsgServiceAdmin");
    assert_non_null(strstr((char *)err->lpszError, "CreateMsgService"));
    MAPIFreeBuffer(err);
    IMsgServiceAdmin_Release(sa);
}

static void configure_store_service_creates_the_store(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc2");
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       0),
                     S_OK);
    MAPIUID uid = fx_service_uid(sa, 0);
    /* Missing configuration. */
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 0, NULL),
                     MAPI_E_UNCONFIGURED);
    char path[700];
    snprintf(path, sizeof path, "%s/svc2.fmdb", fm_test_tmpdir());
    static WCHAR wpath[700];
    for (size_t i = 0; i <= strlen(path); i++)
        wpath[i] = (WCHAR)path[i];
    SPropValue cfg = { .ulPropTag = PR_PST_PATH_W };
    cfg.Value.lpszW = wpath;
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, MAPI_UNICODE, 1, &cfg),
                     S_OK);
    assert_int_equal(access(path, F_OK), 0);
    /* The section remembers it, as UTF-8 under the PT_STRING8 tag. */
    LPPROFSECT sect = NULL;
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, NULL, 0, &sect), S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)sect, PR_PST_PATH_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, path);
    MAPIFreeBuffer(v);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)sect, PR_STORE_RECORD_KEY, &v), S_OK);
    assert_int_equal(v->Value.bin.cb, 16);
    MAPIFreeBuffer(v);
    IProfSect_Release(sect);
    MAPIUID none = { { 1, 2, 3 } };
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &none, 0, 0, 1, &cfg),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, SERVICE_UI_ALWAYS, 1, &cfg),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0x4000, 1, &cfg),
                     MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, NULL, 0, 0, 1, &cfg),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, NULL),
                     MAPI_E_INVALID_PARAMETER);
    IMsgServiceAdmin_Release(sa);
}

static void configure_site_service_checks_user_and_password(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc3");
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE, NULL, 0,
                                                       0),
                     S_OK);
    MAPIUID uid = fx_service_uid(sa, 0);
    SPropValue cfg[3];
    cfg[0].ulPropTag = PR_PROFILE_HOME_SERVER;
    cfg[0].Value.lpszA = (LPSTR)site_dir();
    cfg[1].ulPropTag = PR_PROFILE_USER;
    cfg[1].Value.lpszA = "nobody";
    cfg[2].ulPropTag = PR_FMAPI_SITE_PASSWORD;
    cfg[2].Value.lpszA = "c-pw";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, cfg),
                     MAPI_E_UNCONFIGURED);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 2, cfg),
                     MAPI_E_NOT_FOUND);
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 3, cfg),
                     MAPI_E_LOGON_FAILED);
    cfg[1].Value.lpszA = "carol";
    cfg[2].Value.lpszA = "wrong";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 3, cfg),
                     MAPI_E_LOGON_FAILED);
    cfg[2].Value.lpszA = "c-pw";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 3, cfg), S_OK);
    /* A later configuration merges with the stored one. */
    SPropValue user = { .ulPropTag = PR_PROFILE_USER };
    user.Value.lpszA = "carol@x.org";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, MSG_SERVICE_UI_READ_ONLY,
                                                          1, &user),
                     S_OK);
    cfg[0].Value.lpszA = "/nonexistent/site";
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 1, cfg),
                     MAPI_E_NOT_FOUND);
    IMsgServiceAdmin_Release(sa);
}

static void rename_copy_delete_services(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc4");
    LPSERVICEADMIN other = new_profile("svc4b");
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE,
                                                       (LPTSTR) "One", 0, 0),
                     S_OK);
    MAPIUID uid = fx_service_uid(sa, 0);
    assert_int_equal(IMsgServiceAdmin_RenameMsgService(sa, &uid, 0, (LPTSTR) "Uno"), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), S_OK);
    LPSRowSet rows = fx_rows(t);
    assert_string_equal(fx_col(&rows->aRow[0], PR_DISPLAY_NAME_A)->Value.lpszA, "Uno");
    FreeProws(rows);
    assert_int_equal(IMsgServiceAdmin_RenameMsgService(sa, &uid, 0, NULL),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgServiceAdmin_RenameMsgService(sa, &uid, 0x2, (LPTSTR) "x"),
                     MAPI_E_UNKNOWN_FLAGS);

    assert_int_equal(IMsgServiceAdmin_CopyMsgService(sa, &uid, (LPTSTR) "Copied", NULL,
                                                     &IID_IMsgServiceAdmin, other, 0, 0),
                     S_OK);
    assert_int_equal(fx_service_count(other), 1);
    MAPIUID copied = fx_service_uid(other, 0);
    assert_true(memcmp(copied.ab, uid.ab, 16) != 0);
    assert_int_equal(IMsgServiceAdmin_CopyMsgService(sa, &uid, NULL, NULL, &IID_IMsgServiceAdmin,
                                                     NULL, 0, 0),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgServiceAdmin_CopyMsgService(sa, &uid, NULL, NULL, &IID_IProfAdmin, other,
                                                     0, 0),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);

    assert_int_equal(IMsgServiceAdmin_DeleteMsgService(sa, &uid), S_OK);
    assert_int_equal(fx_service_count(sa), 0);
    assert_int_equal(IMsgServiceAdmin_DeleteMsgService(sa, &uid), MAPI_E_NOT_FOUND);
    assert_int_equal(IMsgServiceAdmin_DeleteMsgService(sa, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fx_service_count(other), 1); /* the copy is its own */
    IMsgServiceAdmin_Release(other);
    IMsgServiceAdmin_Release(sa);
}

static void providers_identity_and_transport_order(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc5");
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0,
                                                       0),
                     S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE, NULL, 0,
                                                       0),
                     S_OK);
    MAPIUID store = fx_service_uid(sa, 0), site = fx_service_uid(sa, 1);
    assert_int_equal(IMsgServiceAdmin_SetPrimaryIdentity(sa, &store, 0), MAPI_E_NO_ACCESS);
    assert_int_equal(IMsgServiceAdmin_SetPrimaryIdentity(sa, &site, 0), S_OK);
    assert_int_equal(IMsgServiceAdmin_SetPrimaryIdentity(sa, &site, 1), MAPI_E_UNKNOWN_FLAGS);
    assert_int_equal(IMsgServiceAdmin_MsgServiceTransportOrder(sa, 0, NULL, 0), S_OK);
    assert_int_equal(IMsgServiceAdmin_MsgServiceTransportOrder(sa, 1, &store, 0),
                     MAPI_E_NOT_FOUND);

    LPPROVIDERADMIN prov = NULL;
    assert_int_equal(IMsgServiceAdmin_AdminProviders(sa, &site, 0, &prov), S_OK);
    LPMAPITABLE t = NULL;
    assert_int_equal(IProviderAdmin_GetProviderTable(prov, 0, &t), S_OK);
    LPSRowSet rows = fx_rows(t);
    assert_int_equal(rows->cRows, 1); /* only this service's provider */
    assert_memory_equal(fx_col(&rows->aRow[0], PR_SERVICE_UID)->Value.bin.lpb, site.ab, 16);
    MAPIUID puid;
    memcpy(puid.ab, fx_col(&rows->aRow[0], PR_PROVIDER_UID)->Value.bin.lpb, 16);
    FreeProws(rows);
    MAPIUID made;
    assert_int_equal(IProviderAdmin_CreateProvider(prov, (LPTSTR) "x", 0, NULL, 0, 0, &made),
                     MAPI_E_NO_SUPPORT);
    assert_int_equal(IProviderAdmin_DeleteProvider(prov, &puid), MAPI_E_NO_SUPPORT);
    assert_int_equal(IProviderAdmin_DeleteProvider(prov, &store), MAPI_E_NOT_FOUND);
    LPPROFSECT sect = NULL;
    assert_int_equal(IProviderAdmin_OpenProfileSection(prov, &puid, NULL, 0, &sect), S_OK);
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)sect, PR_RESOURCE_TYPE, &v), S_OK);
    assert_int_equal(v->Value.l, MAPI_STORE_PROVIDER);
    MAPIFreeBuffer(v);
    IProfSect_Release(sect);
    assert_int_equal(IProviderAdmin_OpenProfileSection(prov, NULL, NULL, 0, &sect), S_OK);
    assert_int_equal(HrGetOneProp((LPMAPIPROP)sect, PR_SERVICE_NAME_A, &v), S_OK);
    assert_string_equal(v->Value.lpszA, FMAPI_SERVICE_SITE);
    MAPIFreeBuffer(v);
    IProfSect_Release(sect);
    LPMAPIERROR err = NULL;
    assert_int_equal(IProviderAdmin_GetLastError(prov, MAPI_E_NOT_FOUND, 0, &err), S_OK);
    assert_string_equal((char *)err->lpszComponent, "IProviderAdmin");
    MAPIFreeBuffer(err);
    IProviderAdmin_Release(prov);
    assert_int_equal(IMsgServiceAdmin_AdminProviders(sa, &site, 0x1, &prov),
                     MAPI_E_UNKNOWN_FLAGS);
    IMsgServiceAdmin_Release(sa);
}

static void profile_sections_store_every_property_type(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svc6");
    MAPIUID uid = { { 0xAB, 0xCD } };
    LPPROFSECT sect = NULL;
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, &IID_IProfSect, MAPI_MODIFY,
                                                         &sect),
                     S_OK);
    static BYTE bytes[] = { 1, 2, 3 };
    static LPSTR strs[] = { "a", "b" };
    static LONG longs[] = { 7, 8, 9 };
    static WCHAR wide[] = u"wide ✓";
    GUID guid = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
    SPropValue v[12];
    memset(v, 0, sizeof v);
    v[0].ulPropTag = PROP_TAG(PT_I2, 0x6601);
    v[0].Value.i = -3;
    v[1].ulPropTag = PROP_TAG(PT_LONG, 0x6602);
    v[1].Value.l = 123456;
    v[2].ulPropTag = PROP_TAG(PT_R4, 0x6603);
    v[2].Value.flt = 1.5f;
    v[3].ulPropTag = PROP_TAG(PT_DOUBLE, 0x6604);
    v[3].Value.dbl = 2.25;
    v[4].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6605);
    v[4].Value.b = 1;
    v[5].ulPropTag = PROP_TAG(PT_I8, 0x6606);
    v[5].Value.li.QuadPart = 1LL << 40;
    v[6].ulPropTag = PROP_TAG(PT_STRING8, 0x6607);
    v[6].Value.lpszA = "text";
    v[7].ulPropTag = PROP_TAG(PT_UNICODE, 0x6608);
    v[7].Value.lpszW = wide;
    v[8].ulPropTag = PROP_TAG(PT_BINARY, 0x6609);
    v[8].Value.bin.cb = 3;
    v[8].Value.bin.lpb = bytes;
    v[9].ulPropTag = PROP_TAG(PT_CLSID, 0x660A);
    v[9].Value.lpguid = &guid;
    v[10].ulPropTag = PROP_TAG(PT_MV_STRING8, 0x660B);
    v[10].Value.MVszA.cValues = 2;
    v[10].Value.MVszA.lppszA = strs;
    v[11].ulPropTag = PROP_TAG(PT_MV_LONG, 0x660C);
    v[11].Value.MVl.cValues = 3;
    v[11].Value.MVl.lpl = longs;
    assert_int_equal(IProfSect_SetProps(sect, 12, v, NULL), S_OK);
    assert_int_equal(IProfSect_SaveChanges(sect, KEEP_OPEN_READWRITE), S_OK);
    IProfSect_Release(sect);

    /* Another object sees them (read-only without MAPI_MODIFY). */
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, NULL, 0, &sect), S_OK);
    ULONG c = 0;
    LPSPropValue got = NULL;
    assert_int_equal(IProfSect_GetProps(sect, NULL, MAPI_UNICODE, &c, &got), S_OK);
    assert_int_equal(c, 12);
    LPSPropValue w = PpropFindProp(got, c, PROP_TAG(PT_UNICODE, 0x6608));
    assert_non_null(w);
    assert_memory_equal(w->Value.lpszW, wide, sizeof wide);
    assert_int_equal(PpropFindProp(got, c, PROP_TAG(PT_MV_LONG, 0x660C))->Value.MVl.lpl[2], 9);
    assert_int_equal(PpropFindProp(got, c, PROP_TAG(PT_I8, 0x6606))->Value.li.QuadPart,
                     1LL << 40);
    MAPIFreeBuffer(got);
    assert_int_not_equal(IProfSect_SetProps(sect, 1, v, NULL), S_OK);
    assert_int_equal(IProfSect_SaveChanges(sect, 0), MAPI_E_NO_ACCESS);
    IProfSect_Release(sect);

    /* DeleteProps is stored too. */
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, NULL, MAPI_MODIFY, &sect),
                     S_OK);
    SizedSPropTagArray(1, del) = { 1, { PROP_TAG(PT_LONG, 0x6602) } };
    assert_int_equal(IProfSect_DeleteProps(sect, (LPSPropTagArray)&del, NULL), S_OK);
    IProfSect_Release(sect);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, NULL, 0, &sect), S_OK);
    assert_int_equal(IProfSect_GetProps(sect, NULL, 0, &c, &got), S_OK);
    assert_int_equal(c, 11);
    MAPIFreeBuffer(got);
    IProfSect_Release(sect);

    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, NULL, NULL, 0, &sect),
                     MAPI_E_INVALID_PARAMETER);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, &IID_IMessage, 0, &sect),
                     MAPI_E_INTERFACE_NOT_SUPPORTED);
    assert_int_equal(IMsgServiceAdmin_OpenProfileSection(sa, &uid, NULL, 0x4, &sect),
                     MAPI_E_UNKNOWN_FLAGS);
    IMsgServiceAdmin_Release(sa);
}

/* ---- out of memory --------------------------------------------------------------- */

static HRESULT oom_services(void *ctx)
{
    LPSERVICEADMIN sa = ctx;
    HRESULT hr = IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_STORE, NULL, 0, 0);
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    if (hr == S_OK)
        hr = IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t);
    if (hr == S_OK) {
        hr = IMAPITable_QueryRows(t, 100, 0, &rows);
        IMAPITable_Release(t);
    }
    /* Delete every service, leftovers of failed runs included. */
    for (ULONG i = 0; hr == S_OK && i < rows->cRows; i++) {
        LPSPropValue uid = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                         PR_SERVICE_UID);
        LPPROFSECT sect = NULL;
        hr = IMsgServiceAdmin_OpenProfileSection(sa, (LPMAPIUID)uid->Value.bin.lpb, NULL,
                                                 MAPI_MODIFY, &sect);
        if (hr == S_OK) {
            SPropValue v = { .ulPropTag = PR_COMMENT_A };
            v.Value.lpszA = "x";
            hr = IProfSect_SetProps(sect, 1, &v, NULL);
            IProfSect_Release(sect);
        }
        if (hr == S_OK)
            hr = IMsgServiceAdmin_DeleteMsgService(sa, (LPMAPIUID)uid->Value.bin.lpb);
    }
    if (rows != NULL)
        FreeProws(rows);
    return hr;
}

static void out_of_memory_sweep(void **state)
{
    (void)state;
    LPSERVICEADMIN sa = new_profile("svcoom");
    assert_int_equal(oom_services(sa), S_OK);
    assert_true(fm_test_oom_sweep(oom_services, sa) > 20);
    /* A clean run removes whatever failed runs left. */
    assert_int_equal(oom_services(sa), S_OK);
    assert_int_equal(fx_service_count(sa), 0);
    IMsgServiceAdmin_Release(sa);
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
        cmocka_unit_test(create_service_shows_in_the_tables),
        cmocka_unit_test(configure_store_service_creates_the_store),
        cmocka_unit_test(configure_site_service_checks_user_and_password),
        cmocka_unit_test(rename_copy_delete_services),
        cmocka_unit_test(providers_identity_and_transport_order),
        cmocka_unit_test(profile_sections_store_every_property_type),
        cmocka_unit_test(out_of_memory_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
