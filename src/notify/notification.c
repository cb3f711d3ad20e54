/*
 * notify/notification.c - ScCountNotifications, ScCopyNotifications and
 * ScRelocNotifications: an array of NOTIFICATION structures and everything
 * they point to, laid out in one contiguous block, counted, and moved.
 *
 * Layout (the same rule as ScCopyProps, props/propblock.c): the NOTIFICATION
 * array first, then each notification's data in array order, every piece
 * starting on an 8-byte boundary. What a notification points to depends on
 * its ulEventType (the member of the info union it uses):
 *
 *   fnevCriticalError          err: entry ID, MAPIERROR and its two strings
 *   fnevNewMail                newmail: entry ID, parent ID, message class
 *   fnevObject* / SearchComplete  obj: entry, parent, old, old parent IDs, tags
 *   fnevTableModified          tab: propIndex, propPrior, row.lpProps
 *   fnevExtended               ext: pbEventParameters
 *   fnevStatusObjectModified   statobj: entry ID, lpPropVals
 *
 * Strings are 8-bit or UTF-16 as the structure's ulFlags says (MAPI_UNICODE).
 * Any other ulEventType (none, or several bits) is an invalid notification.
 *
 * ScCopyNotifications copies whether or not pcb is NULL: its parameter text
 * calls pcb optional and says what it receives; a sentence of its Remarks
 * says nothing is copied without it, which would leave pvDst unwritten and
 * contradicts the parameter, so freemapi follows the parameter (as
 * ScCopyProps does).
 */
#include <stdbool.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "mapicode.h"
#include "mapiutil.h"
#include "props/propvalue.h"

/* ---- counting (and validating) ---------------------------------------------- */

static HRESULT bad(int i, const char *what)
{
    return fm_error_set(MAPI_E_INVALID_PARAMETER, "notification %d: %s", i, what);
}

/* Bytes of an entry ID (or any counted byte string); NULL with cb > 0 is bad. */
static HRESULT count_bytes(int i, ULONG cb, const void *p, uint64_t *total)
{
    if (cb != 0 && p == NULL)
        return bad(i, "a byte count without its pointer");
    *total += FM_PROPS_ALIGN(cb);
    return S_OK;
}

static uint64_t string_bytes(const void *s, bool wide)
{
    if (s == NULL)
        return 0;
    size_t n = wide ? (fm_utf16_len(s) + 1) * sizeof(WCHAR) : strlen(s) + 1;
    return FM_PROPS_ALIGN(n);
}

static HRESULT count_props(int i, ULONG c, const SPropValue *v, uint64_t *total)
{
    if (c != 0 && v == NULL)
        return bad(i, "a property count without its array");
    *total += FM_PROPS_ALIGN((uint64_t)c * sizeof(SPropValue));
    for (ULONG k = 0; k < c; k++) {
        uint64_t extra;
        HRESULT hr = fm_props_value_extra(&v[k], 0, &extra);
        if (hr != S_OK)
            return hr;
        *total += extra;
    }
    return S_OK;
}

static HRESULT count_value(const SPropValue *v, uint64_t *total)
{
    uint64_t extra;
    HRESULT hr = fm_props_value_extra(v, 0, &extra);
    *total += extra;
    return hr;
}

static HRESULT count_error(int i, const ERROR_NOTIFICATION *e, uint64_t *total)
{
    HRESULT hr = count_bytes(i, e->cbEntryID, e->lpEntryID, total);
    if (hr != S_OK || e->lpMAPIError == NULL)
        return hr;
    bool wide = (e->ulFlags & MAPI_UNICODE) != 0;
    *total += FM_PROPS_ALIGN(sizeof(MAPIERROR)) + string_bytes(e->lpMAPIError->lpszError, wide) +
              string_bytes(e->lpMAPIError->lpszComponent, wide);
    return S_OK;
}

static HRESULT count_object(int i, const OBJECT_NOTIFICATION *o, uint64_t *total)
{
    HRESULT hr = count_bytes(i, o->cbEntryID, o->lpEntryID, total);
    if (hr == S_OK)
        hr = count_bytes(i, o->cbParentID, o->lpParentID, total);
    if (hr == S_OK)
        hr = count_bytes(i, o->cbOldID, o->lpOldID, total);
    if (hr == S_OK)
        hr = count_bytes(i, o->cbOldParentID, o->lpOldParentID, total);
    if (hr == S_OK && o->lpPropTagArray != NULL)
        *total += FM_PROPS_ALIGN(CbNewSPropTagArray((uint64_t)o->lpPropTagArray->cValues));
    return hr;
}

static HRESULT count_one(int i, const NOTIFICATION *n, uint64_t *total)
{
    switch (n->ulEventType) {
    case fnevCriticalError: return count_error(i, &n->info.err, total);
    case fnevNewMail: {
        const NEWMAIL_NOTIFICATION *m = &n->info.newmail;
        HRESULT hr = count_bytes(i, m->cbEntryID, m->lpEntryID, total);
        if (hr == S_OK)
            hr = count_bytes(i, m->cbParentID, m->lpParentID, total);
        *total += string_bytes(m->lpszMessageClass, (m->ulFlags & MAPI_UNICODE) != 0);
        return hr;
    }
    case fnevObjectCreated:
    case fnevObjectDeleted:
    case fnevObjectModified:
    case fnevObjectMoved:
    case fnevObjectCopied:
    case fnevSearchComplete: return count_object(i, &n->info.obj, total);
    case fnevTableModified: {
        const TABLE_NOTIFICATION *t = &n->info.tab;
        HRESULT hr = count_value(&t->propIndex, total);
        if (hr == S_OK)
            hr = count_value(&t->propPrior, total);
        if (hr == S_OK)
            hr = count_props(i, t->row.cValues, t->row.lpProps, total);
        return hr;
    }
    case fnevExtended:
        return count_bytes(i, n->info.ext.cb, n->info.ext.pbEventParameters, total);
    case fnevStatusObjectModified: {
        const STATUS_OBJECT_NOTIFICATION *s = &n->info.statobj;
        HRESULT hr = count_bytes(i, s->cbEntryID, s->lpEntryID, total);
        if (hr == S_OK)
            hr = count_props(i, s->cValues, s->lpPropVals, total);
        return hr;
    }
    default:
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "notification %d: event type 0x%08lX is not one notification event",
                            i, (unsigned long)n->ulEventType);
    }
}

/* Validates the array and totals its block size. */
static HRESULT block_size(const char *fn, int cntf, const NOTIFICATION *rgntf, uint64_t *total)
{
    if (cntf < 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: negative count %d", fn, cntf);
    if (cntf > 0 && rgntf == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: notification array is NULL", fn);
    *total = FM_PROPS_ALIGN((uint64_t)cntf * sizeof(NOTIFICATION));
    for (int i = 0; i < cntf; i++) {
        HRESULT hr = count_one(i, &rgntf[i], total);
        if (hr != S_OK)
            return hr;
        if (*total > UINT32_MAX)
            break;
    }
    if (*total > UINT32_MAX)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: block of more than 4 GiB", fn);
    return S_OK;
}

STDAPI_(SCODE) ScCountNotifications(int cntf, LPNOTIFICATION rgntf, ULONG *pcb)
{
    uint64_t total;
    HRESULT hr = block_size("ScCountNotifications", cntf, rgntf, &total);
    if (hr == S_OK && pcb != NULL)
        *pcb = (ULONG)total;
    return hr;
}

/* ---- copying ------------------------------------------------------------------ */

/* Copies n bytes to *cursor (NULL for none) and advances by the aligned size. */
static void *put(char **cursor, const void *src, size_t n)
{
    if (src == NULL || n == 0)
        return NULL;
    void *at = *cursor;
    memcpy(at, src, n);
    *cursor += FM_PROPS_ALIGN(n);
    return at;
}

static void *put_string(char **cursor, const void *s, bool wide)
{
    if (s == NULL)
        return NULL;
    return put(cursor, s, wide ? (fm_utf16_len(s) + 1) * sizeof(WCHAR) : strlen(s) + 1);
}

static SPropValue *put_props(char **cursor, ULONG c, const SPropValue *src)
{
    if (src == NULL)
        return NULL;
    SPropValue *out = (SPropValue *)*cursor;
    *cursor += FM_PROPS_ALIGN((uint64_t)c * sizeof(SPropValue));
    for (ULONG k = 0; k < c; k++)
        fm_props_value_place(&out[k], &src[k], cursor);
    return out;
}

static void copy_error(ERROR_NOTIFICATION *e, char **cursor)
{
    e->lpEntryID = put(cursor, e->lpEntryID, e->cbEntryID);
    if (e->lpMAPIError == NULL)
        return;
    bool wide = (e->ulFlags & MAPI_UNICODE) != 0;
    MAPIERROR *m = put(cursor, e->lpMAPIError, sizeof(MAPIERROR));
    m->lpszError = put_string(cursor, m->lpszError, wide);
    m->lpszComponent = put_string(cursor, m->lpszComponent, wide);
    e->lpMAPIError = m;
}

static void copy_object(OBJECT_NOTIFICATION *o, char **cursor)
{
    o->lpEntryID = put(cursor, o->lpEntryID, o->cbEntryID);
    o->lpParentID = put(cursor, o->lpParentID, o->cbParentID);
    o->lpOldID = put(cursor, o->lpOldID, o->cbOldID);
    o->lpOldParentID = put(cursor, o->lpOldParentID, o->cbOldParentID);
    if (o->lpPropTagArray != NULL)
        o->lpPropTagArray =
            put(cursor, o->lpPropTagArray, CbNewSPropTagArray(o->lpPropTagArray->cValues));
}

/* Copies *src into *dst (which may be src), its data at *cursor. */
static void copy_one(NOTIFICATION *dst, const NOTIFICATION *src, char **cursor)
{
    NOTIFICATION n = *src;
    switch (n.ulEventType) {
    case fnevCriticalError: copy_error(&n.info.err, cursor); break;
    case fnevNewMail: {
        NEWMAIL_NOTIFICATION *m = &n.info.newmail;
        m->lpEntryID = put(cursor, m->lpEntryID, m->cbEntryID);
        m->lpParentID = put(cursor, m->lpParentID, m->cbParentID);
        m->lpszMessageClass =
            put_string(cursor, m->lpszMessageClass, (m->ulFlags & MAPI_UNICODE) != 0);
        break;
    }
    case fnevTableModified: {
        TABLE_NOTIFICATION *t = &n.info.tab;
        fm_props_value_place(&t->propIndex, &t->propIndex, cursor);
        fm_props_value_place(&t->propPrior, &t->propPrior, cursor);
        t->row.lpProps = put_props(cursor, t->row.cValues, t->row.lpProps);
        break;
    }
    case fnevExtended:
        n.info.ext.pbEventParameters = put(cursor, n.info.ext.pbEventParameters, n.info.ext.cb);
        break;
    case fnevStatusObjectModified: {
        STATUS_OBJECT_NOTIFICATION *s = &n.info.statobj;
        s->lpEntryID = put(cursor, s->lpEntryID, s->cbEntryID);
        s->lpPropVals = put_props(cursor, s->cValues, s->lpPropVals);
        break;
    }
    default: copy_object(&n.info.obj, cursor); break;
    }
    *dst = n;
}

STDAPI_(SCODE) ScCopyNotifications(int cntf, LPNOTIFICATION rgntf, LPVOID pvDst, ULONG *pcb)
{
    uint64_t total;
    HRESULT hr = block_size("ScCopyNotifications", cntf, rgntf, &total);
    if (hr != S_OK)
        return hr;
    if (pvDst == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ScCopyNotifications: pvDst is NULL");
    NOTIFICATION *out = pvDst;
    char *cursor = (char *)pvDst + FM_PROPS_ALIGN((uint64_t)cntf * sizeof(NOTIFICATION));
    for (int i = 0; i < cntf; i++)
        copy_one(&out[i], &rgntf[i], &cursor);
    if (pcb != NULL)
        *pcb = (ULONG)total;
    return S_OK;
}

/* ---- relocating ----------------------------------------------------------------- */

/*
 * As in ScRelocProps (props/propreloc.c): pointers are rebased from old to
 * new by integer arithmetic (either base may be 0, as for a block written to
 * disk), and data inside the block that holds further pointers (a MAPIERROR,
 * property arrays) is read where the block lives now: at the old base when
 * rgntf is the old base, else at the new base.
 */
typedef struct reloc {
    uintptr_t old_base, new_base, readable_base;
} reloc;

static void *moved(const reloc *r, const void *p)
{
    return p == NULL ? NULL : (void *)((uintptr_t)p - r->old_base + r->new_base);
}

static void *readable(const reloc *r, const void *p)
{
    return (void *)((uintptr_t)p - r->old_base + r->readable_base);
}

static void reloc_value(const reloc *r, SPropValue *v)
{
    ULONG type = fm_props_value_type(v->ulPropTag);
    switch (type) {
    case PT_STRING8: v->Value.lpszA = moved(r, v->Value.lpszA); return;
    case PT_UNICODE: v->Value.lpszW = moved(r, v->Value.lpszW); return;
    case PT_BINARY: v->Value.bin.lpb = moved(r, v->Value.bin.lpb); return;
    case PT_CLSID: v->Value.lpguid = moved(r, v->Value.lpguid); return;
    default: break;
    }
    if (fm_props_mv_elem_size(type) == 0 || v->Value.MVl.lpl == NULL)
        return;
    ULONG c = v->Value.MVl.cValues;
    if (type == PT_MV_STRING8 || type == PT_MV_UNICODE) {
        void **a = readable(r, v->Value.MVszA.lppszA);
        for (ULONG k = 0; k < c; k++)
            a[k] = moved(r, a[k]);
    } else if (type == PT_MV_BINARY) {
        SBinary *b = readable(r, v->Value.MVbin.lpbin);
        for (ULONG k = 0; k < c; k++)
            b[k].lpb = moved(r, b[k].lpb);
    }
    v->Value.MVl.lpl = moved(r, v->Value.MVl.lpl);
}

static SPropValue *reloc_props(const reloc *r, ULONG c, SPropValue *p)
{
    if (p == NULL)
        return NULL;
    SPropValue *v = readable(r, p);
    for (ULONG k = 0; k < c; k++)
        reloc_value(r, &v[k]);
    return moved(r, p);
}

static void reloc_error(const reloc *r, ERROR_NOTIFICATION *e)
{
    e->lpEntryID = moved(r, e->lpEntryID);
    if (e->lpMAPIError == NULL)
        return;
    MAPIERROR *m = readable(r, e->lpMAPIError);
    m->lpszError = moved(r, m->lpszError);
    m->lpszComponent = moved(r, m->lpszComponent);
    e->lpMAPIError = moved(r, e->lpMAPIError);
}

static void reloc_one(const reloc *r, NOTIFICATION *n)
{
    switch (n->ulEventType) {
    case fnevCriticalError: reloc_error(r, &n->info.err); break;
    case fnevNewMail:
        n->info.newmail.lpEntryID = moved(r, n->info.newmail.lpEntryID);
        n->info.newmail.lpParentID = moved(r, n->info.newmail.lpParentID);
        n->info.newmail.lpszMessageClass = moved(r, n->info.newmail.lpszMessageClass);
        break;
    case fnevTableModified:
        reloc_value(r, &n->info.tab.propIndex);
        reloc_value(r, &n->info.tab.propPrior);
        n->info.tab.row.lpProps = reloc_props(r, n->info.tab.row.cValues, n->info.tab.row.lpProps);
        break;
    case fnevExtended:
        n->info.ext.pbEventParameters = moved(r, n->info.ext.pbEventParameters);
        break;
    case fnevStatusObjectModified:
        n->info.statobj.lpEntryID = moved(r, n->info.statobj.lpEntryID);
        n->info.statobj.lpPropVals =
            reloc_props(r, n->info.statobj.cValues, n->info.statobj.lpPropVals);
        break;
    default:
        n->info.obj.lpEntryID = moved(r, n->info.obj.lpEntryID);
        n->info.obj.lpParentID = moved(r, n->info.obj.lpParentID);
        n->info.obj.lpOldID = moved(r, n->info.obj.lpOldID);
        n->info.obj.lpOldParentID = moved(r, n->info.obj.lpOldParentID);
        n->info.obj.lpPropTagArray = moved(r, n->info.obj.lpPropTagArray);
        break;
    }
}

static bool one_event(ULONG type)
{
    return type == fnevCriticalError || type == fnevNewMail || type == fnevObjectCreated ||
           type == fnevObjectDeleted || type == fnevObjectModified || type == fnevObjectMoved ||
           type == fnevObjectCopied || type == fnevSearchComplete || type == fnevTableModified ||
           type == fnevExtended || type == fnevStatusObjectModified;
}

STDAPI_(SCODE)
ScRelocNotifications(int cntf, LPNOTIFICATION rgntf, LPVOID pvBaseOld, LPVOID pvBaseNew, ULONG *pcb)
{
    if (cntf < 0 || (cntf > 0 && rgntf == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ScRelocNotifications: bad count %d or NULL notification array", cntf);
    for (int i = 0; i < cntf; i++) {
        if (!one_event(rgntf[i].ulEventType))
            return fm_error_set(MAPI_E_INVALID_PARAMETER,
                                "ScRelocNotifications: notification %d has event type 0x%08lX", i,
                                (unsigned long)rgntf[i].ulEventType);
    }
    reloc r = { (uintptr_t)pvBaseOld, (uintptr_t)pvBaseNew, (uintptr_t)pvBaseNew };
    if ((void *)rgntf == pvBaseOld)
        r.readable_base = r.old_base;
    /* Count where the pointers can be followed: before moving them when
     * they stay readable only at the old base, after otherwise. */
    uint64_t total = 0;
    HRESULT hr = S_OK;
    if (pcb != NULL && r.readable_base == r.old_base)
        hr = block_size("ScRelocNotifications", cntf, rgntf, &total);
    if (hr != S_OK)
        return hr;
    for (int i = 0; i < cntf; i++)
        reloc_one(&r, &rgntf[i]);
    if (pcb != NULL && r.readable_base != r.old_base)
        hr = block_size("ScRelocNotifications", cntf, rgntf, &total);
    if (hr == S_OK && pcb != NULL)
        *pcb = (ULONG)total;
    return hr;
}
