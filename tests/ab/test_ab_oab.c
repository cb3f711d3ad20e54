/*
 * tests/ab/test_ab_oab.c - the offline address book of a site
 * (fmapi_site_generate_oab): every user and list comes back from our
 * reader with its DN, address, names and attributes, lists with their
 * members as DNs; bad input; an out-of-memory sweep.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "ab_fixture.h"
#include "core/text.h"
#include "oab/oab.h"

typedef struct seen {
    unsigned users, lists;
    bool dn[16], alice_attrs, staff_members, accents;
} seen;

static const char *str_of(ULONG c, const SPropValue *p, ULONG id)
{
    for (ULONG i = 0; i < c; i++)
        if (PROP_ID(p[i].ulPropTag) == id && PROP_TYPE(p[i].ulPropTag) == PT_STRING8)
            return p[i].Value.lpszA;
    return NULL;
}

static HRESULT on_record(void *ctx, const fm_oab_read_info *info, bool is_header, ULONG index,
                         ULONG c, const SPropValue *props)
{
    (void)info, (void)index;
    seen *s = ctx;
    if (is_header)
        return S_OK;
    const char *dn = str_of(c, props, PROP_ID(PR_EMAIL_ADDRESS));
    const char *smtp = str_of(c, props, PROP_ID(PR_SMTP_ADDRESS));
    assert_non_null(dn);
    assert_non_null(smtp);
    assert_non_null(strstr(dn, "/o=freemapi/ou=absite/cn=Recipients/cn="));
    const char *alias = strrchr(dn, '=') + 1;
    for (size_t i = 0; i < AB_NUSERS; i++)
        if (strcmp(alias, AB_USERS[i][0]) == 0) {
            assert_string_equal(smtp, AB_USERS[i][2]);
            assert_false(s->dn[i]);
            s->dn[i] = true;
            s->users++;
        }
    for (ULONG i = 0; i < c; i++) {
        if (props[i].ulPropTag == PR_DISPLAY_NAME_W) {
            char name[256];
            size_t n = fm_utf16_len(props[i].Value.lpszW);
            fm_utf16_to_utf8_into(props[i].Value.lpszW, n, name);
            if (strcmp(name, "Éloïse Dupré") == 0)
                s->accents = true;
        }
        if (props[i].ulPropTag == PR_TITLE_W && strcmp(alias, "alice") == 0)
            s->alice_attrs = true;
        if (PROP_ID(props[i].ulPropTag) == PROP_ID(FM_OAB_PR_EMS_AB_MEMBER_DNS) &&
            strcmp(alias, "staff") == 0) {
            assert_int_equal(props[i].Value.MVszW.cValues, 3);
            s->staff_members = true;
        }
    }
    if (strcmp(alias, "staff") == 0 || strcmp(alias, "team") == 0 || strcmp(alias, "solo") == 0)
        s->lists++;
    return S_OK;
}

/* The path of the .oab file in dir. */
static void find_plain(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    out[0] = '\0';
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".oab") == 0)
            snprintf(out, cap, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    assert_true(out[0] != '\0');
}

static void every_user_and_list_comes_back_from_the_oab(void **state)
{
    (void)state;
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(ab_site_dir(), 0, &site), S_OK);
    char dir[700];
    snprintf(dir, sizeof dir, "%s/oab1", fm_test_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    fmapi_oab_options o = { 0 };
    o.ulFlags = FMAPI_OAB_WRITE_UNCOMPRESSED;
    o.cPageSize = 2; /* several pages from the directory */
    fmapi_oab_result r;
    assert_int_equal(fmapi_site_generate_oab(site, dir, &o, &r), S_OK);
    assert_int_equal(r.cEntries, AB_NUSERS + 3);
    char plain[800];
    find_plain(dir, plain, sizeof plain);
    seen s;
    memset(&s, 0, sizeof s);
    fm_oab_read_info info;
    assert_int_equal(fm_oab_read_details(plain, on_record, &s, &info), S_OK);
    assert_int_equal(info.ulTotRecs, AB_NUSERS + 3);
    assert_int_equal(s.users, AB_NUSERS);
    assert_int_equal(s.lists, 3);
    assert_true(s.alice_attrs);
    assert_true(s.staff_members);
    assert_true(s.accents);
    fmapi_site_close(site);
}

static void generating_refuses_null_arguments(void **state)
{
    (void)state;
    fmapi_site *site = NULL;
    assert_int_equal(fmapi_site_open(ab_site_dir(), 0, &site), S_OK);
    assert_int_equal(fmapi_site_generate_oab(NULL, "/tmp", NULL, NULL), MAPI_E_INVALID_PARAMETER);
    assert_non_null(strstr(fmapi_last_error(), "site"));
    assert_int_equal(fmapi_site_generate_oab(site, NULL, NULL, NULL), MAPI_E_INVALID_PARAMETER);
    char dir[700];
    snprintf(dir, sizeof dir, "%s/no-such-dir", fm_test_tmpdir());
    assert_int_equal(fmapi_site_generate_oab(site, dir, NULL, NULL), MAPI_E_NOT_FOUND);
    fmapi_site_close(site);
}

typedef struct oom_ctx {
    fmapi_site *site;
    char dir[700];
} oom_ctx;

static HRESULT generate_once(void *ctx)
{
    oom_ctx *c = ctx;
    fmapi_oab_options o = { 0 };
    o.ulFlags = FMAPI_OAB_STORE_BLOCKS;
    return fmapi_site_generate_oab(c->site, c->dir, &o, NULL);
}

static void generating_survives_every_allocation_failure(void **state)
{
    (void)state;
    static oom_ctx c;
    assert_int_equal(fmapi_site_open(ab_site_dir(), 0, &c.site), S_OK);
    snprintf(c.dir, sizeof c.dir, "%s/oab-oom", fm_test_tmpdir());
    assert_int_equal(mkdir(c.dir, 0700), 0);
    assert_int_equal(generate_once(&c), S_OK); /* warm SQLite's caches */
    assert_true(fm_test_oom_sweep(generate_once, &c) > 10);
    fmapi_site_close(c.site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_user_and_list_comes_back_from_the_oab),
        cmocka_unit_test(generating_refuses_null_arguments),
        cmocka_unit_test(generating_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
