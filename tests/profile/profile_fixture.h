/*
 * tests/profile/profile_fixture.h - a profile store in the test's
 * temporary directory and small helpers over IProfAdmin's tables.
 */
#ifndef FREEMAPI_TESTS_PROFILE_FIXTURE_H
#define FREEMAPI_TESTS_PROFILE_FIXTURE_H

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

static inline void fx_profile_env(void)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/profiles", fm_test_tmpdir());
    setenv("FREEMAPI_PROFILE_DIR", dir, 1);
}

static inline LPPROFADMIN fx_admin(void)
{
    LPPROFADMIN pa = NULL;
    assert_int_equal(MAPIAdminProfiles(0, &pa), S_OK);
    return pa;
}

/* Every row of table t (FreeProws them). */
static inline LPSRowSet fx_rows(LPMAPITABLE t)
{
    LPSRowSet rows = NULL;
    assert_int_equal(IMAPITable_QueryRows(t, 1000, 0, &rows), S_OK);
    IMAPITable_Release(t);
    return rows;
}

static inline LPSPropValue fx_col(const SRow *row, ULONG tag)
{
    return PpropFindProp(row->lpProps, row->cValues, tag);
}

/* Whether the profile table lists name, and whether as the default. */
static inline bool fx_listed(LPPROFADMIN pa, const char *name, bool *is_default)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IProfAdmin_GetProfileTable(pa, 0, &t), S_OK);
    LPSRowSet rows = fx_rows(t);
    bool found = false;
    for (ULONG i = 0; i < rows->cRows; i++) {
        LPSPropValue n = fx_col(&rows->aRow[i], PR_DISPLAY_NAME_A);
        if (n != NULL && strcmp(n->Value.lpszA, name) == 0) {
            found = true;
            if (is_default)
                *is_default = fx_col(&rows->aRow[i], PR_DEFAULT_PROFILE)->Value.b != 0;
        }
    }
    FreeProws(rows);
    return found;
}

/* The UID of row i of the message service table. */
static inline MAPIUID fx_service_uid(LPSERVICEADMIN sa, ULONG i)
{
    LPMAPITABLE t = NULL;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), S_OK);
    LPSRowSet rows = fx_rows(t);
    assert_true(rows->cRows > i);
    MAPIUID uid;
    memcpy(uid.ab, fx_col(&rows->aRow[i], PR_SERVICE_UID)->Value.bin.lpb, 16);
    FreeProws(rows);
    return uid;
}

static inline ULONG fx_service_count(LPSERVICEADMIN sa)
{
    LPMAPITABLE t = NULL;
    ULONG n = 0;
    assert_int_equal(IMsgServiceAdmin_GetMsgServiceTable(sa, 0, &t), S_OK);
    assert_int_equal(IMAPITable_GetRowCount(t, 0, &n), S_OK);
    IMAPITable_Release(t);
    return n;
}

#endif /* FREEMAPI_TESTS_PROFILE_FIXTURE_H */
