/*
 * spool/spool_resolve.c - which site users a recipient row reaches.
 *
 * A row names its recipient by what the address book put in it: the
 * directory entry ID (users and lists of the site), an EX address (the
 * directory DN, "/o=freemapi/ou=<site>/cn=Recipients/cn=<alias>" with
 * bytes outside [A-Za-z0-9._-] as %XX), or an SMTP address. They are tried
 * in that order. A list reaches its members, lists among them expanded in
 * turn, each list once (membership loops end); users are counted once.
 */
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "mapitags.h"
#include "site/site_reader.h"
#include "spool/spool.h"

#define DIR_EID_SIZE 32

static const SPropValue *find(const fm_spool_recip *r, ULONG tag)
{
    for (ULONG i = 0; i < r->cValues; i++)
        if (r->props[i].ulPropTag == tag)
            return &r->props[i];
    return NULL;
}

static const char *string(const fm_spool_recip *r, ULONG tag)
{
    const SPropValue *v = find(r, tag);
    return v != NULL && v->Value.lpszA != NULL && v->Value.lpszA[0] ? v->Value.lpszA : NULL;
}

HRESULT fm_spool_entry(fmapi_site *site, int64_t id, fm_site_entry *out)
{
    fm_site_entry *page = NULL;
    size_t n = 0;
    HRESULT hr = fm_site_page(site, id - 1, 1, &page, &n);
    if (hr != S_OK)
        return hr;
    if (n == 1 && page[0].id == id) {
        *out = page[0];
        memset(&page[0], 0, sizeof page[0]); /* taken over */
    } else {
        hr = MAPI_E_NOT_FOUND;
    }
    fm_site_page_free(page, n);
    return hr;
}

/* The directory entry a freemapi directory entry ID names (see site/identity.h). */
static HRESULT by_entryid(fmapi_site *site, const SBinary *b, fm_site_entry *out)
{
    if (b->cb != DIR_EID_SIZE || b->lpb == NULL ||
        memcmp(b->lpb + 4, FM_SITE_DIRECTORY_UID.ab, 16) != 0 || b->lpb[20] != 1 ||
        (b->lpb[21] != FM_SITE_KIND_USER && b->lpb[21] != FM_SITE_KIND_LIST))
        return MAPI_E_NOT_FOUND;
    uint64_t id = 0;
    for (int i = 7; i >= 0; i--)
        id = (id << 8) | b->lpb[24 + i];
    if (id == 0 || id > INT64_MAX)
        return MAPI_E_NOT_FOUND;
    return fm_spool_entry(site, (int64_t)id, out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The alias after the last "/cn=" of an EX address, %XX undone, into buf. */
static bool dn_alias(const char *dn, char *buf, size_t cap)
{
    const char *last = NULL;
    for (const char *p = dn; (p = strchr(p, '/')) != NULL; p++)
        if (strncasecmp(p, "/cn=", 4) == 0)
            last = p + 4;
    if (last == NULL || *last == '\0')
        return false;
    size_t n = 0;
    for (const char *p = last; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            c = hexval(p[1]) * 16 + hexval(p[2]);
            p += 2;
        }
        if (n + 1 >= cap)
            return false;
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    return true;
}

const char *fm_spool_smtp_address(const fm_spool_recip *r)
{
    const char *smtp = string(r, PR_SMTP_ADDRESS_A);
    const char *type = string(r, PR_ADDRTYPE_A), *addr = string(r, PR_EMAIL_ADDRESS_A);
    if (smtp == NULL && type != NULL && strcasecmp(type, "SMTP") == 0)
        smtp = addr;
    return smtp;
}

static HRESULT find_entry(fmapi_site *site, const fm_spool_recip *r, fm_site_entry *out)
{
    const SPropValue *eid = find(r, PR_ENTRYID);
    HRESULT hr = MAPI_E_NOT_FOUND;
    if (eid != NULL)
        hr = by_entryid(site, &eid->Value.bin, out);
    if (hr != MAPI_E_NOT_FOUND)
        return hr;
    const char *type = string(r, PR_ADDRTYPE_A), *addr = string(r, PR_EMAIL_ADDRESS_A);
    char alias[4 * FM_SITE_NAME_MAX + 1];
    if (type != NULL && addr != NULL && strcasecmp(type, "EX") == 0 &&
        dn_alias(addr, alias, sizeof alias))
        return fm_site_find(site, alias, out);
    const char *smtp = fm_spool_smtp_address(r);
    if (smtp != NULL)
        return fm_site_find(site, smtp, out);
    return MAPI_E_NOT_FOUND;
}

/* A growing array of ids. */
typedef struct ids {
    int64_t *v;
    size_t n, cap;
} ids;

static bool ids_has(const ids *a, int64_t id)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == id)
            return true;
    return false;
}

static HRESULT ids_add(ids *a, int64_t id)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        int64_t *v = fm_realloc(a->v, cap * sizeof *v);
        if (v == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory expanding a list");
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = id;
    return S_OK;
}

/* Breadth first over lists: `lists` is both the queue and the visited set. */
static HRESULT expand(fmapi_site *site, int64_t list, ids *users)
{
    ids lists = { 0 };
    HRESULT hr = ids_add(&lists, list);
    for (size_t next = 0; hr == S_OK && next < lists.n; next++) {
        int64_t *members = NULL;
        size_t n = 0;
        hr = fm_site_members(site, lists.v[next], &members, &n);
        for (size_t i = 0; hr == S_OK && i < n; i++) {
            fm_site_entry e = { 0 };
            hr = fm_spool_entry(site, members[i], &e);
            if (hr == MAPI_E_NOT_FOUND) { /* removed meanwhile */
                hr = S_OK;
                continue;
            }
            ids *into = e.kind == FM_SITE_KIND_LIST ? &lists : users;
            if (hr == S_OK && !ids_has(into, e.id))
                hr = ids_add(into, e.id);
            fm_site_entry_clear(&e);
        }
        fm_free(members);
    }
    fm_free(lists.v);
    return hr;
}

HRESULT fm_spool_resolve(fmapi_site *site, fm_spool_recip *r, int64_t **users, size_t *n)
{
    *users = NULL;
    *n = 0;
    fm_site_entry e = { 0 };
    HRESULT hr = find_entry(site, r, &e);
    if (hr == MAPI_E_NOT_FOUND) {
        r->failed = true;
        r->reason = MAPI_REASON_TRANSFER_FAILED;
        r->diag = MAPI_DIAG_OR_NAME_UNRECOGNIZED;
        r->text = "The recipient is not known to this site, and no relay for outside "
                  "addresses is configured.";
        const char *smtp = fm_spool_smtp_address(r);
        bool local = false;
        hr = fm_site_is_local_domain(site, smtp, &local);
        if (hr == S_OK && local) { /* nobody's here: never for the relay (RFC 3463 5.1.1) */
            r->reason = MAPI_REASON_TRANSFER_IMPOSSIBLE;
            r->diag = MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN;
            r->text = "550 5.1.1 The recipient's domain is this site's, and no user or list "
                      "of the site has this address.";
        }
        r->outside = smtp != NULL && !local; /* spool_outbound.c may relay it */
        return hr;
    }
    ids out = { 0 };
    if (hr == S_OK)
        hr = e.kind == FM_SITE_KIND_LIST ? expand(site, e.id, &out) : ids_add(&out, e.id);
    fm_site_entry_clear(&e);
    if (hr != S_OK) {
        fm_free(out.v);
        return hr;
    }
    *users = out.v;
    *n = out.n;
    return S_OK;
}
