/*
 * ab/resolve.c - resolving one typed name to a recipient (ab.h), and
 * putting the result into an ADRENTRY.
 *
 * The containers of the search path are tried in turn (the GAL, then the
 * user's contacts); the first where the name matches anything decides.
 * A name that is an SMTP address ("a@b", "SMTP:a@b", "Name <a@b>") is the
 * directory entry with that address if there is one, else (when one-offs
 * are allowed) a one-off SMTP recipient. Any other name goes through ANR
 * (anr.c) over the whole directory: no match leaves it unresolved, one
 * match resolves it, several resolve it only when exactly one of them has
 * the name as its whole display name or alias (case-insensitively), and
 * are ambiguous otherwise. The scan holds one page of the directory at a
 * time and remembers two ids, whatever the directory's size.
 */
#include <string.h>
#include <strings.h>

#include "ab/ab.h"
#include "core/alloc.h"
#include "core/text.h"
#include "props/propvalue.h"

typedef struct scan_ctx {
    const char *name;
    ULONG matches, exact;
    int64_t first, first_exact;
} scan_ctx;

static bool same_name(const char *a, const char *b)
{
    if (a == NULL)
        return false;
    fm_text ta = fm_text_utf8(a), tb = fm_text_utf8(b);
    return fm_text_compare(&ta, &tb, FM_FOLD_CASE) == 0;
}

static HRESULT count_match(void *ctx, const fm_site_entry *e, ULONG c, const SPropValue *props)
{
    (void)c, (void)props;
    scan_ctx *s = ctx;
    if (s->matches++ == 0)
        s->first = e->id;
    if (same_name(e->display, s->name) || same_name(e->alias, s->name)) {
        if (s->exact++ == 0)
            s->first_exact = e->id;
    }
    return S_OK;
}

static HRESULT entry_result(fm_ab *ab, int64_t id, ULONG *c, LPSPropValue *props)
{
    fm_site_entry e;
    HRESULT hr = fm_ab_gal_get(ab, id, &e);
    if (hr != S_OK)
        return hr;
    hr = fm_ab_entry_props(ab->id->site, &e, ab->site_name, 0, NULL, c, props);
    fm_site_entry_clear(&e);
    return hr;
}

/* The address part of name when it is an SMTP address (into addr), and
 * the display part (into display, "" when none). */
static bool smtp_form(const char *name, char *addr, size_t cap, char *display)
{
    display[0] = '\0';
    const char *lt = strrchr(name, '<');
    size_t n = strlen(name);
    if (lt && n > 0 && name[n - 1] == '>') {
        size_t dl = (size_t)(lt - name);
        while (dl > 0 && name[dl - 1] == ' ')
            dl--;
        if (dl > 0 && name[0] == '"' && name[dl - 1] == '"' && dl >= 2) {
            memcpy(display, name + 1, dl - 2);
            display[dl - 2] = '\0';
        } else {
            memcpy(display, name, dl);
            display[dl] = '\0';
        }
        name = lt + 1;
        n = strlen(name) - 1;
    } else if (strncasecmp(name, "SMTP:", 5) == 0) {
        name += 5;
        n -= 5;
    }
    if (n == 0 || n >= cap || memchr(name, ' ', n) || !memchr(name, '@', n))
        return false;
    const char *at = memchr(name, '@', n);
    if (at == name || at == name + n - 1)
        return false;
    memcpy(addr, name, n);
    addr[n] = '\0';
    return true;
}

static bool in(const int64_t *path, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (path[i] == id)
            return true;
    return false;
}

static HRESULT resolve_smtp(fm_ab *ab, bool gal, const char *addr, const char *display,
                            bool oneoffs, int *outcome, ULONG *c, LPSPropValue *props)
{
    if (gal && ab->id != NULL) {
        fm_site_entry e;
        pthread_mutex_lock(&ab->id->lock);
        HRESULT hr = fm_site_find(ab->id->site, addr, &e);
        pthread_mutex_unlock(&ab->id->lock);
        if (hr == S_OK) {
            hr = fm_ab_entry_props(ab->id->site, &e, ab->site_name, 0, NULL, c, props);
            fm_site_entry_clear(&e);
            if (hr == S_OK)
                *outcome = FM_AB_RESOLVED;
            return hr;
        }
        if (hr != MAPI_E_NOT_FOUND)
            return hr;
    }
    if (!oneoffs)
        return S_OK;
    /* An Internet address gets no rich (TNEF) content, as CreateOneOff
     * documents for addresses it recognizes as Internet ones. */
    unsigned flags = MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO;
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = fm_ab_oneoff_make(display, "SMTP", addr, flags, NULL, &cb, &eid);
    if (hr != S_OK)
        return hr;
    fm_ab_oneoff o = { (char *)display, (char *)"SMTP", (char *)addr, flags };
    hr = fm_ab_oneoff_props(cb, eid, &o, NULL, c, props);
    MAPIFreeBuffer(eid);
    if (hr == S_OK)
        *outcome = FM_AB_RESOLVED;
    return hr;
}

/* ANR over one container: the outcome and, when resolved, the properties. */
static HRESULT resolve_in(fm_ab *ab, int64_t container, fmapi_restriction *res,
                          const char *name, int *outcome, ULONG *c, LPSPropValue *props)
{
    scan_ctx s = { name, 0, 0, 0, 0 };
    HRESULT hr = container == FM_AB_GAL ? fm_ab_gal_scan(ab, res, count_match, &s)
                                        : fm_ab_contacts_scan(ab, res, count_match, &s);
    if (hr != S_OK || s.matches == 0)
        return hr;
    int64_t id = s.matches == 1 ? s.first : s.exact == 1 ? s.first_exact : 0;
    if (id == 0) {
        *outcome = FM_AB_AMBIGUOUS;
        return S_OK;
    }
    hr = container == FM_AB_GAL ? entry_result(ab, id, c, props)
                                : fm_ab_contact_get(ab, id, c, props);
    if (hr == S_OK)
        *outcome = FM_AB_RESOLVED;
    return hr;
}

HRESULT fm_ab_resolve_one(fm_ab *ab, const char *name, const int64_t *path, size_t npath,
                          bool oneoffs, int *outcome, ULONG *c, LPSPropValue *props)
{
    *outcome = FM_AB_UNRESOLVED;
    *c = 0;
    *props = NULL;
    while (*name == ' ')
        name++;
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    if (n == 0 || n >= 1024)
        return S_OK;
    char trimmed[1024], addr[1024], display[1024];
    memcpy(trimmed, name, n);
    trimmed[n] = '\0';
    if (smtp_form(trimmed, addr, sizeof addr, display))
        return resolve_smtp(ab, in(path, npath, FM_AB_GAL), addr, display, oneoffs, outcome, c,
                            props);
    fmapi_restriction *res = NULL;
    HRESULT hr = fm_ab_anr_compile(trimmed, &res);
    for (size_t i = 0; hr == S_OK && i < npath && *outcome == FM_AB_UNRESOLVED; i++)
        if (fm_ab_has_container(ab, path[i]))
            hr = resolve_in(ab, path[i], res, trimmed, outcome, c, props);
    fmapi_restriction_free(res);
    return hr;
}

HRESULT fm_ab_adrentry_name(const ADRENTRY *entry, char *buf, size_t cap)
{
    for (ULONG i = 0; entry->rgPropVals && i < entry->cValues; i++) {
        const SPropValue *v = &entry->rgPropVals[i];
        if (v->ulPropTag == PR_DISPLAY_NAME_A && v->Value.lpszA)
            return fm_text_arg_utf8(v->Value.lpszA, false, buf, cap, "PR_DISPLAY_NAME");
        if (v->ulPropTag == PR_DISPLAY_NAME_W && v->Value.lpszW)
            return fm_text_arg_utf8(v->Value.lpszW, true, buf, cap, "PR_DISPLAY_NAME");
    }
    return MAPI_E_NOT_FOUND;
}

static bool id_in(ULONG c, const SPropValue *props, ULONG tag)
{
    for (ULONG i = 0; i < c; i++)
        if (PROP_ID(props[i].ulPropTag) == PROP_ID(tag))
            return true;
    return false;
}

static ULONG wanted_type(ULONG type, ULONG flags)
{
    if (!(flags & MAPI_UNICODE))
        return type;
    return type == PT_STRING8 ? PT_UNICODE : type == PT_MV_STRING8 ? PT_MV_UNICODE : type;
}

HRESULT fm_ab_adrentry_replace(ADRENTRY *entry, ULONG c, const SPropValue *props, ULONG flags)
{
    ULONG keep = 0;
    for (ULONG i = 0; entry->rgPropVals && i < entry->cValues; i++)
        if (!id_in(c, props, entry->rgPropVals[i].ulPropTag) &&
            PROP_TYPE(entry->rgPropVals[i].ulPropTag) != PT_ERROR)
            keep++;
    SPropValue *v = NULL;
    if (MAPIAllocateBuffer((ULONG)((c + keep) * sizeof *v), (void **)&v) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory resolving a name");
    ULONG n = 0;
    HRESULT hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < c; i++)
        hr = fm_props_copy_as(&v[n++], &props[i], wanted_type(PROP_TYPE(props[i].ulPropTag), flags),
                              MAPIAllocateMore, v);
    for (ULONG i = 0; hr == S_OK && entry->rgPropVals && i < entry->cValues; i++) {
        const SPropValue *old = &entry->rgPropVals[i];
        if (id_in(c, props, old->ulPropTag) || PROP_TYPE(old->ulPropTag) == PT_ERROR)
            continue;
        hr = fm_props_copy_as(&v[n++], old, PROP_TYPE(old->ulPropTag), MAPIAllocateMore, v);
    }
    if (hr != S_OK) {
        MAPIFreeBuffer(v);
        return hr;
    }
    MAPIFreeBuffer(entry->rgPropVals);
    entry->rgPropVals = v;
    entry->cValues = n;
    return S_OK;
}
