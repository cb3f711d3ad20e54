/*
 * ab/props.c - the properties of a directory entry and of a one-off
 * recipient (ab.h), built as one MAPI buffer.
 *
 * A user or list carries PR_ENTRYID/PR_RECORD_KEY (its directory entry
 * ID), PR_SEARCH_KEY ("EX:<DN>" upper-cased, NUL included), PR_DISPLAY_NAME,
 * PR_TRANSMITABLE_DISPLAY_NAME, PR_ACCOUNT (the alias), PR_ADDRTYPE "EX",
 * PR_EMAIL_ADDRESS (the DN), PR_SMTP_ADDRESS, PR_EMS_AB_PROXY_ADDRESSES
 * ("SMTP:<address>"), PR_DISPLAY_TYPE, PR_OBJECT_TYPE, PR_SEND_RICH_INFO,
 * the directory attributes when set (PR_TITLE, PR_COMPANY_NAME,
 * PR_DEPARTMENT_NAME, PR_OFFICE_LOCATION, PR_BUSINESS_TELEPHONE_NUMBER) and,
 * when the display name has two or more words and no comma, PR_GIVEN_NAME
 * (the first) and PR_SURNAME (the last).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "oab/oab.h"
#include "site/site_reader.h"

#define MAX_PROPS 24
#define MEMBER_DNS PROP_TAG(PT_MV_STRING8, PROP_ID(FM_OAB_PR_EMS_AB_MEMBER_DNS))

typedef struct builder {
    SPropValue *v;
    void *root; /* the MAPI buffer everything is linked to */
    ULONG n;
    HRESULT hr;
} builder;

static void *more(builder *b, size_t size)
{
    void *p = NULL;
    if (b->hr == S_OK && MAPIAllocateMore((ULONG)size, b->root, &p) != S_OK)
        b->hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
    return b->hr == S_OK ? p : NULL;
}

static char *dup_more(builder *b, const char *s, size_t n)
{
    char *p = more(b, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void add_str(builder *b, ULONG tag, const char *s)
{
    if (s == NULL || s[0] == '\0' || b->n >= MAX_PROPS)
        return;
    char *p = dup_more(b, s, strlen(s));
    if (p == NULL)
        return;
    b->v[b->n].ulPropTag = tag;
    b->v[b->n++].Value.lpszA = p;
}

static void add_long(builder *b, ULONG tag, LONG l)
{
    b->v[b->n].ulPropTag = tag;
    b->v[b->n++].Value.l = l;
}

static void add_bin(builder *b, ULONG tag, const void *data, size_t n)
{
    BYTE *p = more(b, n);
    if (p == NULL)
        return;
    memcpy(p, data, n);
    b->v[b->n].ulPropTag = tag;
    b->v[b->n].Value.bin.cb = (ULONG)n;
    b->v[b->n++].Value.bin.lpb = p;
}

static void add_mv(builder *b, ULONG tag, char **strs, ULONG n)
{
    if (n == 0)
        return;
    LPSTR *arr = more(b, n * sizeof *arr);
    for (ULONG i = 0; arr && i < n; i++)
        arr[i] = strs[i];
    if (arr == NULL)
        return;
    b->v[b->n].ulPropTag = tag;
    b->v[b->n].Value.MVszA.cValues = n;
    b->v[b->n++].Value.MVszA.lppszA = arr;
}

static bool word_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == ';';
}

/* The words of the display name, into keys (which has room). */
static ULONG add_words(builder *b, const char *s, char **keys, ULONG n, ULONG cap)
{
    for (const char *p = s; *p && n < cap;) {
        while (*p && word_sep(*p))
            p++;
        const char *start = p;
        while (*p && !word_sep(*p))
            p++;
        if (p > start && (keys[n] = dup_more(b, start, (size_t)(p - start))) != NULL)
            n++;
    }
    return n;
}

static void add_names(builder *b, const char *display)
{
    if (display == NULL || strchr(display, ',') != NULL)
        return;
    const char *first_end = display;
    while (*first_end && !word_sep(*first_end))
        first_end++;
    const char *last = display + strlen(display);
    while (last > display && word_sep(last[-1]))
        last--;
    const char *last_start = last;
    while (last_start > display && !word_sep(last_start[-1]))
        last_start--;
    if (last_start <= first_end || first_end == display)
        return;
    char *given = dup_more(b, display, (size_t)(first_end - display));
    char *sur = dup_more(b, last_start, (size_t)(last - last_start));
    if (given && sur) {
        add_str(b, PR_GIVEN_NAME_A, given);
        add_str(b, PR_SURNAME_A, sur);
    }
}

#define ANR_KEYS_MAX 40

static void add_anr(builder *b, const fm_site_entry *e)
{
    char *keys[ANR_KEYS_MAX];
    ULONG n = 0;
    if (e->display && (keys[n] = dup_more(b, e->display, strlen(e->display))) != NULL)
        n++;
    n = add_words(b, e->display ? e->display : "", keys, n, ANR_KEYS_MAX - 3);
    if (e->alias && (keys[n] = dup_more(b, e->alias, strlen(e->alias))) != NULL)
        n++;
    if (e->smtp && (keys[n] = dup_more(b, e->smtp, strlen(e->smtp))) != NULL)
        n++;
    const char *at = e->smtp ? strchr(e->smtp, '@') : NULL;
    if (at && (keys[n] = dup_more(b, e->smtp, (size_t)(at - e->smtp))) != NULL)
        n++;
    if (b->hr == S_OK)
        add_mv(b, FM_AB_PR_ANR_KEYS, keys, n);
}

static void add_members(builder *b, fmapi_site *site, const fm_site_entry *e,
                        const char *site_name)
{
    int64_t *ids = NULL;
    size_t n = 0;
    HRESULT hr = fm_site_members(site, e->id, &ids, &n);
    if (hr != S_OK) {
        b->hr = hr;
        return;
    }
    char **dns = n ? more(b, n * sizeof *dns) : NULL;
    ULONG got = 0;
    for (size_t i = 0; dns && i < n && b->hr == S_OK; i++) {
        fm_site_entry *m = NULL;
        size_t k = 0;
        hr = fm_site_page(site, ids[i] - 1, 1, &m, &k);
        if (hr != S_OK) {
            b->hr = hr;
            break;
        }
        char *dn = (k == 1 && m[0].id == ids[i]) ? fm_ab_dn(site_name, m[0].alias) : NULL;
        if (k == 1 && m[0].id == ids[i] && dn == NULL)
            b->hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a list");
        fm_site_page_free(m, k);
        if (dn && (dns[got] = dup_more(b, dn, strlen(dn))) != NULL)
            got++;
        fm_free(dn);
    }
    fm_free(ids);
    if (b->hr == S_OK)
        add_mv(b, MEMBER_DNS, dns, got);
}

static HRESULT start(builder *b, void *parent)
{
    b->n = 0;
    b->hr = S_OK;
    b->v = NULL;
    size_t size = MAX_PROPS * sizeof(SPropValue);
    SCODE sc = parent ? MAPIAllocateMore((ULONG)size, parent, (void **)&b->v)
                      : MAPIAllocateBuffer((ULONG)size, (void **)&b->v);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
    memset(b->v, 0, size);
    b->root = parent ? parent : b->v;
    return S_OK;
}

static HRESULT finish(builder *b, void *parent, ULONG *c, LPSPropValue *props)
{
    if (b->hr != S_OK) {
        if (parent == NULL)
            MAPIFreeBuffer(b->v);
        return b->hr;
    }
    *c = b->n;
    *props = b->v;
    return S_OK;
}

static void add_entry(builder *b, fmapi_site *site, const fm_site_entry *e,
                      const char *site_name, unsigned how)
{
    BYTE eid[FM_AB_EID_SIZE];
    fm_ab_eid_write(e->kind, e->id, eid);
    add_bin(b, PR_ENTRYID, eid, sizeof eid);
    add_bin(b, PR_RECORD_KEY, eid, sizeof eid);
    char *dn = fm_ab_dn(site_name, e->alias ? e->alias : "");
    if (dn == NULL) {
        b->hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the directory");
        return;
    }
    size_t dnlen = strlen(dn);
    char *key = more(b, dnlen + 4);
    if (key) {
        memcpy(key, "EX:", 3);
        for (size_t i = 0; i <= dnlen; i++)
            key[3 + i] = (char)toupper((unsigned char)dn[i]);
        add_bin(b, PR_SEARCH_KEY, key, dnlen + 4);
    }
    add_str(b, PR_EMAIL_ADDRESS_A, dn);
    fm_free(dn);
    add_str(b, PR_ADDRTYPE_A, "EX");
    add_str(b, PR_DISPLAY_NAME_A, e->display);
    add_str(b, PR_TRANSMITABLE_DISPLAY_NAME_A, e->display);
    add_str(b, PR_ACCOUNT_A, e->alias);
    add_str(b, PR_SMTP_ADDRESS_A, e->smtp);
    if (e->smtp && e->smtp[0]) {
        char *proxy = more(b, strlen(e->smtp) + 6);
        if (proxy) {
            memcpy(proxy, "SMTP:", 5);
            strcpy(proxy + 5, e->smtp);
            add_mv(b, PR_EMS_AB_PROXY_ADDRESSES_A, &proxy, 1);
        }
    }
    bool list = e->kind == FM_SITE_KIND_LIST;
    add_long(b, PR_DISPLAY_TYPE, list ? DT_DISTLIST : DT_MAILUSER);
    add_long(b, PR_OBJECT_TYPE, list ? MAPI_DISTLIST : MAPI_MAILUSER);
    b->v[b->n].ulPropTag = PR_SEND_RICH_INFO;
    b->v[b->n++].Value.b = TRUE;
    add_str(b, PR_TITLE_A, e->title);
    add_str(b, PR_COMPANY_NAME_A, e->company);
    add_str(b, PR_DEPARTMENT_NAME_A, e->department);
    add_str(b, PR_OFFICE_LOCATION_A, e->office);
    add_str(b, PR_BUSINESS_TELEPHONE_NUMBER_A, e->phone);
    add_names(b, e->display);
    if (how & FM_AB_PROPS_ANR)
        add_anr(b, e);
    if ((how & FM_AB_PROPS_MEMBERS) && list && b->hr == S_OK)
        add_members(b, site, e, site_name);
}

HRESULT fm_ab_entry_props(fmapi_site *site, const fm_site_entry *e, const char *site_name,
                          unsigned how, void *parent, ULONG *c, LPSPropValue *props)
{
    builder b;
    HRESULT hr = start(&b, parent);
    if (hr != S_OK)
        return hr;
    add_entry(&b, site, e, site_name, how);
    return finish(&b, parent, c, props);
}

HRESULT fm_ab_oneoff_props(ULONG cb, const ENTRYID *eid, const fm_ab_oneoff *o, void *parent,
                           ULONG *c, LPSPropValue *props)
{
    builder b;
    HRESULT hr = start(&b, parent);
    if (hr != S_OK)
        return hr;
    add_bin(&b, PR_ENTRYID, eid, cb);
    add_bin(&b, PR_RECORD_KEY, eid, cb);
    size_t tl = strlen(o->type), al = strlen(o->address);
    char *key = more(&b, tl + al + 2);
    if (key) {
        for (size_t i = 0; i < tl; i++)
            key[i] = (char)toupper((unsigned char)o->type[i]);
        key[tl] = ':';
        for (size_t i = 0; i <= al; i++)
            key[tl + 1 + i] = (char)toupper((unsigned char)o->address[i]);
        add_bin(&b, PR_SEARCH_KEY, key, tl + al + 2);
    }
    add_str(&b, PR_DISPLAY_NAME_A, o->name[0] ? o->name : o->address);
    add_str(&b, PR_TRANSMITABLE_DISPLAY_NAME_A, o->name[0] ? o->name : o->address);
    add_str(&b, PR_ADDRTYPE_A, o->type);
    add_str(&b, PR_EMAIL_ADDRESS_A, o->address);
    if (strcasecmp(o->type, "SMTP") == 0)
        add_str(&b, PR_SMTP_ADDRESS_A, o->address);
    add_long(&b, PR_DISPLAY_TYPE, DT_MAILUSER);
    add_long(&b, PR_OBJECT_TYPE, MAPI_MAILUSER);
    b.v[b.n].ulPropTag = PR_SEND_RICH_INFO;
    b.v[b.n++].Value.b = (o->flags & MAPI_ONE_OFF_NO_RICH_INFO) ? FALSE : TRUE;
    return finish(&b, parent, c, props);
}

HRESULT fm_ab_contact_entry_props(const fm_site_entry *e, unsigned how, ULONG *c,
                                  LPSPropValue *props)
{
    builder b;
    HRESULT hr = start(&b, NULL);
    if (hr != S_OK)
        return hr;
    BYTE eid[FM_AB_EID_SIZE];
    fm_ab_eid_write(FM_AB_KIND_CONTACT, e->id, eid);
    add_bin(&b, PR_ENTRYID, eid, sizeof eid);
    add_bin(&b, PR_RECORD_KEY, eid, sizeof eid);
    size_t al = strlen(e->smtp);
    char *key = more(&b, al + 6);
    if (key) {
        memcpy(key, "SMTP:", 5);
        for (size_t i = 0; i <= al; i++)
            key[5 + i] = (char)toupper((unsigned char)e->smtp[i]);
        add_bin(&b, PR_SEARCH_KEY, key, al + 6);
    }
    add_str(&b, PR_DISPLAY_NAME_A, e->display);
    add_str(&b, PR_TRANSMITABLE_DISPLAY_NAME_A, e->display);
    add_str(&b, PR_ADDRTYPE_A, "SMTP");
    add_str(&b, PR_EMAIL_ADDRESS_A, e->smtp);
    add_str(&b, PR_SMTP_ADDRESS_A, e->smtp);
    add_long(&b, PR_DISPLAY_TYPE, DT_MAILUSER);
    add_long(&b, PR_OBJECT_TYPE, MAPI_MAILUSER);
    b.v[b.n].ulPropTag = PR_SEND_RICH_INFO;
    b.v[b.n++].Value.b = FALSE;
    add_names(&b, e->display);
    if (how & FM_AB_PROPS_ANR)
        add_anr(&b, e);
    return finish(&b, NULL, c, props);
}
