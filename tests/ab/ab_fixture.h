/*
 * tests/ab/ab_fixture.h - the site the address book tests share (users
 * with accented and mixed-case names, lists nested in a loop), a profile
 * holding its site mailbox service, and logging on.
 */
#ifndef FREEMAPI_TESTS_AB_FIXTURE_H
#define FREEMAPI_TESTS_AB_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../session/session_fixture.h" /* fx_first_service */
#include "edkmdb.h"
#include "fm_test.h"
#include "freemapi_ab.h"
#include "freemapi_site.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"

/* Users: alias, display name, address. */
static const char *const AB_USERS[][3] = {
    { "alice", "Alice Liddell", "alice@example.org" },
    { "bob", "Bob Builder", "bob@example.org" },
    { "bobby", "Bobby Tables", "bobby@example.org" },
    { "eloise", "Éloïse Dupré", "eloise@example.org" },
    { "jmuller", "Jürgen MÜLLER", "juergen.mueller@example.org" },
    { "zoe", "Zoë Ångström", "zoe@example.org" },
};
#define AB_NUSERS (sizeof AB_USERS / sizeof AB_USERS[0])

/* Lists: staff = {alice, bob, team}; team = {eloise, staff, zoe} (a loop
 * through staff); solo = {bobby}. */
static inline void ab_make_site(const char *dir)
{
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(dir, FMAPI_SITE_CREATE | FMAPI_SITE_WEAK_HASHES, &site),
                     S_OK);
    for (size_t i = 0; i < AB_NUSERS; i++)
        assert_int_equal(fmapi_site_add_user(site, AB_USERS[i][0], AB_USERS[i][1],
                                             AB_USERS[i][2], "pw"),
                         S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_TITLE, "Explorer"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_COMPANY, "Wonderland"),
                     S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_DEPARTMENT, "Tea"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_OFFICE, "Hole 1"), S_OK);
    assert_int_equal(fmapi_site_set_attribute(site, "alice", FMAPI_ATTR_PHONE, "+1 555 0100"),
                     S_OK);
    assert_int_equal(fmapi_site_add_list(site, "staff", "All Staff", "staff@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "team", "Team Rocket", "team@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_list(site, "solo", "Solo List", "solo@example.org"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "staff", "alice"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "staff", "bob"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "staff", "team"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "eloise"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "staff"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "team", "zoe"), S_OK);
    assert_int_equal(fmapi_site_add_member(site, "solo", "bobby"), S_OK);
    fmapi_site_close(site);
}

static inline const char *ab_site_dir(void)
{
    static char dir[600];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/absite", fm_test_tmpdir());
        ab_make_site(dir);
    }
    return dir;
}

/* A profile named name: the site mailbox of user, or (site NULL) an empty
 * profile with a plain store service. */
static inline void ab_make_profile(const char *name, const char *site, const char *user)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    assert_int_equal(IProfAdmin_CreateProfile(pa, (LPTSTR)name, NULL, 0, 0), S_OK);
    if (site != NULL) {
        LPSERVICEADMIN sa = NULL;
        assert_int_equal(IProfAdmin_AdminServices(pa, (LPTSTR)name, NULL, 0, 0, &sa), S_OK);
        assert_int_equal(IMsgServiceAdmin_CreateMsgService(sa, (LPTSTR)FMAPI_SERVICE_SITE,
                                                           (LPTSTR) "Mailbox", 0, 0),
                         S_OK);
        MAPIUID uid = fx_first_service(sa);
        SPropValue cfg[3];
        cfg[0].ulPropTag = PR_PROFILE_HOME_SERVER;
        cfg[0].Value.lpszA = (LPSTR)site;
        cfg[1].ulPropTag = PR_PROFILE_USER;
        cfg[1].Value.lpszA = (LPSTR)user;
        cfg[2].ulPropTag = PR_FMAPI_SITE_PASSWORD;
        cfg[2].Value.lpszA = (LPSTR) "pw";
        assert_int_equal(IMsgServiceAdmin_ConfigureMsgService(sa, &uid, 0, 0, 3, cfg), S_OK);
        IMsgServiceAdmin_Release(sa);
    }
    IProfAdmin_Release(pa);
}

static inline LPMAPISESSION ab_logon(const char *name)
{
    LPMAPISESSION s = NULL;
    assert_int_equal(MAPILogonEx(0, (LPTSTR)name, NULL,
                                 MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL, &s),
                     S_OK);
    return s;
}

#endif /* FREEMAPI_TESTS_AB_FIXTURE_H */
