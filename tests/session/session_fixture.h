/*
 * tests/session/session_fixture.h - a site and a profile store in the test's
 * temporary directory, and the steps most session tests share: create a
 * profile holding a site mailbox service, log on, open the default store.
 */
#ifndef FREEMAPI_TESTS_SESSION_FIXTURE_H
#define FREEMAPI_TESTS_SESSION_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edkmdb.h"
#include "fm_test.h"
#include "freemapi_site.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

/* The site every test uses, made once per process (weak hashes: fast). */
static inline const char *fx_site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/site", fm_test_tmpdir());
        fmapi_site *site = NULL;
        assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                         S_OK);
        assert_int_equal(fmapi_site_add_user(site, "alice", "Alice Liddell",
                                             "alice@example.org", "alice-pw"), S_OK);
        assert_int_equal(fmapi_site_add_user(site, "bob", "Bob Builder", "bob@example.org",
                                             "bob-pw"), S_OK);
        assert_int_equal(fmapi_site_add_user(site, "svc", "Service Account",
                                             "svc@example.org", "svc-pw"), S_OK);
        assert_int_equal(fmapi_site_grant(site, "svc", "alice", FMAPI_RIGHT_IMPERSONATION),
                         S_OK);
        fmapi_site_close(site);
    }
    return dir;
}

/* Points the profile store at the test's directory. */
static inline void fx_profile_env(void)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
}

/* The UID of the first service of the profile behind admin. */
static inline MAPIUID fx_first_service(LPSERVICEADMIN admin)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(admin, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1, 0, &rows), S_OK);
    assert_int_equal(rows->cRows, 1);
    LPSPropValue v = PpropFindProp(rows->aRow[0].lpProps, rows->aRow[0].cValues, PR_SERVICE_UID);
    assert_non_null(v);
    MAPIUID uid;
    memcpy(uid.ab, v->Value.bin.lpb, 16);
    FreeProws(rows);
    IMAPITable_Release(t);
    return uid;
}

/* Creates profile name holding a site mailbox for user (password remembered
 * when password is not NULL). */
static inline void fx_make_site_profile(const char *name, const char *user, const char *password)
{
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0), S_OK);
    LPSERVICEADMIN sa = NULL;
    assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa), S_OK);
    assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE,
                                                       (LPTSTR) "Mailbox", 0, 0),
                     S_OK);
    MAPIUID uid = fx_first_service(sa);
    SPropValue cfg[3];
    cfg[0].ulPropTag = PR_PROFILE_HOME_SERVER;
    cfg[0].Value.lpszA = (LPSTR)fx_site_dir();
    cfg[1].ulPropTag = PR_PROFILE_USER;
    cfg[1].Value.lpszA = (LPSTR)user;
    cfg[2].ulPropTag = PR_FMAPI_SITE_PASSWORD;
    cfg[2].Value.lpszA = (LPSTR)password;
    assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, password ? 3 : 2, cfg),
                     S_OK);
    IMsgServiceAdmin_Release(sa);
    IProfAdmin_Release(pa);
}

static inline void fx_delete_profile(const char *name)
{
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_DeleteProfile(pa, (LPTSTR)name, 0), S_OK);
    IProfAdmin_Release(pa);
}

static inline LPMAPISESSION fx_logon(const char *name)
{
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR)name, NULL, MAPI_EXTENDED | MAPI_NEW_SESSION |
                                                            MAPI_NO_MAIL, &s),
                     S_OK);
    return s;
}

/* The entry ID of the session's default store (MAPIFreeBuffer it). */
static inline LPSPropValue fx_default_store_eid(LPMAPISESSION s)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMAPISession_GetMsgStoresTable(s, 0, &t), S_OK);
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 10, 0, &rows), S_OK);
    LPSPropValue out = NULL;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue def = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                         PR_DEFAULT_STORE);
        if (def && def->Value.b) {
            LPSPropValue eid = PpropFindProp(rows->aRow[i].lpProps, rows->aRow[i].cValues,
                                             PR_ENTRYID);
            assert_non_null(eid);
            assert_int_equal(ScDupPropset(1, eid, MAPIAllocateBuffer, &out), S_OK);
        }
    }
    FreeProws(rows);
    IMAPITable_Release(t);
    assert_non_null(out);
    return out;
}

static inline LPMDB fx_open_default(LPMAPISESSION s)
{
    LPSPropValue eid = fx_default_store_eid(s);
    LPMDB mdb = NULL;
    assert_int_equal(IMAPISession_OpenMsgStore(s, 0, eid->Value.bin.cb,
                                               (LPENTRYID)eid->Value.bin.lpb, NULL,
                                               MDB_WRITE | MDB_NO_DIALOG, &mdb),
                     S_OK);
    MAPIFreeBuffer(eid);
    return mdb;
}

#endif /* FREEMAPI_TESTS_SESSION_FIXTURE_H */
