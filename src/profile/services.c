/*
 * profile/services.c - the built-in message services and their
 * configuration (services.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/text.h"
#include "edkmdb.h"
#include "freemapi_site.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "profile/services.h"
#include "site/site.h"
#include "store/store.h"

static const char *const STORE_REQUIRED[] = { "PR_PST_PATH", NULL };
static const char *const SITE_REQUIRED[] = { "PR_PROFILE_HOME_SERVER", "PR_PROFILE_USER", NULL };

static const fm_service_def SERVICE_DEFS[] = {
    { FMAPI_SERVICE_STORE, "freemapi store file", SERVICE_DEFAULT_STORE,
      STORE_REQUIRED },
    { FMAPI_SERVICE_SITE, "freemapi site mailbox",
      SERVICE_DEFAULT_STORE | SERVICE_SINGLE_COPY | SERVICE_PRIMARY_IDENTITY, SITE_REQUIRED },
};

const fm_service_def *fm_service_def_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof SERVICE_DEFS / sizeof SERVICE_DEFS[0]; i++)
        if (strcmp(SERVICE_DEFS[i].name, name) == 0)
            return &SERVICE_DEFS[i];
    return NULL;
}

bool fm_props_utf8(const SPropValue *vals, ULONG c, ULONG id, char *buf, size_t cap)
{
    for (ULONG i = 0; vals && i < c; i++) {
        if (PROP_ID(vals[i].ulPropTag) != id)
            continue;
        if (PROP_TYPE(vals[i].ulPropTag) == PT_STRING8 && vals[i].Value.lpszA) {
            return snprintf(buf, cap, "%s", vals[i].Value.lpszA) < (int)cap;
        }
        if (PROP_TYPE(vals[i].ulPropTag) == PT_UNICODE && vals[i].Value.lpszW) {
            size_t n = fm_utf16_len(vals[i].Value.lpszW);
            if (3 * n + 1 > cap)
                return false;
            fm_utf16_to_utf8_into(vals[i].Value.lpszW, n, buf);
            return true;
        }
    }
    return false;
}

void fm_service_config_clear(fm_service_config *c)
{
    fm_free(c->path);
    fm_free(c->site);
    fm_free(c->user);
    fm_free(c->password);
    memset(c, 0, sizeof *c);
}

static const SPropValue *find_id(const SPropValue *v, ULONG c, ULONG id)
{
    for (ULONG i = 0; v && i < c; i++)
        if (PROP_ID(v[i].ulPropTag) == id)
            return &v[i];
    return NULL;
}

/* Fills out from a section's properties; MAPI_E_UNCONFIGURED when incomplete. */
static HRESULT config_from(const fm_service *svc, ULONG c, const SPropValue *v,
                           fm_service_config *out)
{
    memset(out, 0, sizeof *out);
    char a[4096], b[4096], pw[1024];
    if (strcmp(svc->name, FMAPI_SERVICE_STORE) == 0) {
        out->kind = FM_SERVICE_KIND_STORE;
        if (!fm_props_utf8(v, c, PROP_ID(PR_PST_PATH_A), a, sizeof a) || a[0] == '\0')
            return fm_error_set(MAPI_E_UNCONFIGURED, "message service \"%s\" (%s) has no "
                                                     "PR_PST_PATH", svc->display, svc->name);
        if ((out->path = fm_strdup(a)) == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a service");
    } else if (strcmp(svc->name, FMAPI_SERVICE_SITE) == 0) {
        out->kind = FM_SERVICE_KIND_SITE;
        if (!fm_props_utf8(v, c, PROP_ID(PR_PROFILE_HOME_SERVER), a, sizeof a) || a[0] == '\0' ||
            !fm_props_utf8(v, c, PROP_ID(PR_PROFILE_USER), b, sizeof b) || b[0] == '\0')
            return fm_error_set(MAPI_E_UNCONFIGURED, "message service \"%s\" (%s) needs "
                                                     "PR_PROFILE_HOME_SERVER and PR_PROFILE_USER",
                                svc->display, svc->name);
        bool has_pw = fm_props_utf8(v, c, PROP_ID(PR_FMAPI_SITE_PASSWORD), pw, sizeof pw);
        if ((out->site = fm_strdup(a)) == NULL || (out->user = fm_strdup(b)) == NULL ||
            (has_pw && (out->password = fm_strdup(pw)) == NULL)) {
            fm_service_config_clear(out);
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a service");
        }
    } else {
        return fm_error_set(MAPI_E_NOT_FOUND, "unknown message service \"%s\"", svc->name);
    }
    const SPropValue *uid = find_id(v, c, PROP_ID(PR_STORE_RECORD_KEY));
    if (uid && PROP_TYPE(uid->ulPropTag) == PT_BINARY && uid->Value.bin.cb == 16) {
        memcpy(out->store_uid.ab, uid->Value.bin.lpb, 16);
        out->has_uid = true;
    }
    return S_OK;
}

HRESULT fm_service_config_read(fm_profstore *ps, const MAPIUID *profile, const fm_service *svc,
                               fm_service_config *out)
{
    memset(out, 0, sizeof *out);
    ULONG c = 0;
    LPSPropValue v = NULL;
    HRESULT hr = fm_section_read(ps, profile, &svc->uid, &c, &v);
    if (hr == S_OK)
        hr = config_from(svc, c, v, out);
    MAPIFreeBuffer(v);
    return hr;
}

/* Checks the configuration works and finds the store's UID. */
static HRESULT probe(fm_service_config *cfg)
{
    if (cfg->kind == FM_SERVICE_KIND_STORE) {
        fm_store *s = NULL;
        HRESULT hr = fm_store_open(cfg->path, FM_DB_CREATE, &s);
        if (hr != S_OK)
            return hr;
        cfg->store_uid = s->uid;
        fm_store_release(s);
        return S_OK;
    }
    fmapi_site *site = NULL;
    HRESULT hr = fmapi_site_open(cfg->site, 0, &site);
    fm_site_entry e;
    if (hr == S_OK && cfg->password != NULL)
        hr = fm_site_authenticate(site, cfg->user, cfg->password, &e);
    else if (hr == S_OK)
        hr = fm_site_find(site, cfg->user, &e);
    if (hr == S_OK) {
        if (e.kind != FM_SITE_KIND_USER || !e.has_store)
            hr = fm_error_set(MAPI_E_NOT_FOUND, "%s has no mailbox", cfg->user);
        cfg->store_uid = e.store_uid;
        fm_site_entry_clear(&e);
    }
    fmapi_site_close(site);
    return hr;
}

/* The section's properties with props merged in (props win), plus the
 * store UID, as one MAPI buffer. */
static HRESULT merge(ULONG c0, const SPropValue *v0, ULONG c1, const SPropValue *v1,
                     const MAPIUID *uid, ULONG *cout, LPSPropValue *out)
{
    LPSPropValue all = NULL;
    if (MAPIAllocateBuffer((c0 + c1 + 1) * sizeof *all, (void **)&all) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory configuring a service");
    ULONG n = 0;
    for (ULONG i = 0; i < c1; i++) {
        if (PROP_TYPE(v1[i].ulPropTag) == PT_ERROR || PROP_ID(v1[i].ulPropTag) ==
                                                          PROP_ID(PR_STORE_RECORD_KEY))
            continue;
        if (PropCopyMore(&all[n], (LPSPropValue)&v1[i], MAPIAllocateMore, all) != S_OK) {
            MAPIFreeBuffer(all);
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory configuring a service");
        }
        n++;
    }
    for (ULONG i = 0; i < c0; i++) {
        if (find_id(all, n, PROP_ID(v0[i].ulPropTag)) != NULL ||
            PROP_ID(v0[i].ulPropTag) == PROP_ID(PR_STORE_RECORD_KEY))
            continue;
        all[n++] = v0[i]; /* points into v0, which outlives the write */
    }
    all[n].ulPropTag = PR_STORE_RECORD_KEY;
    all[n].Value.bin.cb = 16;
    all[n].Value.bin.lpb = (LPBYTE)uid->ab;
    *cout = n + 1;
    *out = all;
    return S_OK;
}

HRESULT fm_service_configure(fm_profstore *ps, const MAPIUID *profile, const fm_service *svc,
                             ULONG cvals, const SPropValue *props)
{
    ULONG c0 = 0, c = 0;
    LPSPropValue v0 = NULL, all = NULL;
    MAPIUID none = { { 0 } };
    HRESULT hr = fm_section_read(ps, profile, &svc->uid, &c0, &v0);
    if (hr == S_OK)
        hr = merge(c0, v0, cvals, props, &none, &c, &all);
    fm_service_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (hr == S_OK)
        hr = config_from(svc, c, all, &cfg);
    if (hr == S_OK)
        hr = probe(&cfg);
    if (hr == S_OK) {
        all[c - 1].Value.bin.lpb = cfg.store_uid.ab;
        hr = fm_section_write(ps, profile, &svc->uid, c, all);
    }
    fm_service_config_clear(&cfg);
    MAPIFreeBuffer(all);
    MAPIFreeBuffer(v0);
    return hr;
}
