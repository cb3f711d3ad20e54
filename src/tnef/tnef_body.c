/*
 * tnef/tnef_body.c - ITnef::OpenTaggedBody: the message's text with a tag
 * where each attachment is rendered, "[[ NAME : KEY in STREAM ]]" (NAME the
 * attachment's file name, KEY its key: the stream's first key for the first
 * attachment, and on in attachment order; STREAM the TNEF stream's name),
 * in the message's code page.
 *
 * Read, the stream holds the body with the tags at the attachments'
 * PR_RENDERING_POSITION. Opened with MAPI_MODIFY (or MAPI_CREATE), what is
 * written is taken at Commit: the tags of this stream come out, the rest
 * becomes PR_BODY, and each tagged attachment's PR_RENDERING_POSITION is
 * where its tag stood. The text is held whole (a body, not an attachment).
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

typedef struct tagged {
    IStream base;
    atomic_ulong refs;
    IStream *inner; /* a spool */
    ITnef *owner;
    fm_tnef *t;
    IMessage *m;
    bool write;
} tagged;

static tagged *tg(IStream *p)
{
    return (tagged *)p;
}

/* The attachments' numbers, names and rendering positions, in order. */
typedef struct att_info {
    ULONG num;
    LONG position;
    char name[256];
} att_info;

static HRESULT attachments(IMessage *m, att_info **out, ULONG *n)
{
    *out = NULL;
    *n = 0;
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(m, 0, &t);
    if (hr != S_OK)
        return hr;
    SizedSPropTagArray(4, cols) = { 4, { PR_ATTACH_NUM, PR_RENDERING_POSITION,
                                         PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_FILENAME_A } };
    SizedSSortOrderSet(1, order) = { 1, 0, 0, { { PR_ATTACH_NUM, TABLE_SORT_ASCEND } } };
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, (LPSSortOrderSet)&order, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    *out = fm_calloc(rows->cRows ? rows->cRows : 1, sizeof **out);
    if (*out == NULL) {
        FreeProws(rows);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *p = rows->aRow[i].lpProps;
        att_info *a = &(*out)[(*n)++];
        a->num = PROP_TYPE(p[0].ulPropTag) == PT_LONG ? (ULONG)p[0].Value.l : i;
        a->position = PROP_TYPE(p[1].ulPropTag) == PT_LONG ? p[1].Value.l : -1;
        const char *name = PROP_TYPE(p[2].ulPropTag) == PT_STRING8   ? p[2].Value.lpszA
                           : PROP_TYPE(p[3].ulPropTag) == PT_STRING8 ? p[3].Value.lpszA
                                                                     : "";
        snprintf(a->name, sizeof a->name, "%s", name);
    }
    FreeProws(rows);
    return S_OK;
}

/* The body, tagged, into the spool. */
static HRESULT fill(tagged *s)
{
    LPSPropValue body = NULL;
    HRESULT hr = HrGetOneProp((LPMAPIPROP)s->m, PR_BODY_W, &body);
    WCHAR *text = NULL;
    size_t units = 0;
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) { /* a large body: through its stream */
        LPSTREAM bs = NULL;
        hr = IMessage_OpenProperty(s->m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&bs);
        uint64_t size = hr == S_OK ? tn_stream_size(bs) : 0;
        text = hr == S_OK ? fm_malloc((size_t)size + sizeof(WCHAR)) : NULL;
        ULONG got = 0;
        if (text != NULL)
            hr = IStream_Read(bs, text, (ULONG)size, &got);
        units = got / sizeof(WCHAR);
        if (bs != NULL)
            IStream_Release(bs);
    } else if (hr == S_OK) {
        units = tn_wlen(body->Value.lpszW);
        text = fm_malloc((units + 1) * sizeof(WCHAR));
        if (text != NULL)
            memcpy(text, body->Value.lpszW, units * sizeof(WCHAR));
    } else if (hr == MAPI_E_NOT_FOUND) {
        hr = S_OK;
        text = fm_malloc(sizeof(WCHAR));
    }
    MAPIFreeBuffer(body);
    if (hr == S_OK && text == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    att_info *atts = NULL;
    ULONG natt = 0;
    if (hr == S_OK)
        hr = attachments(s->m, &atts, &natt);
    ULONG cp = tn_message_cp(s->m);
    size_t at = 0;
    /* walk the text; before each position, the tags of the attachments there */
    for (size_t pos = 0; hr == S_OK && pos <= units; pos++) {
        for (ULONG i = 0; i < natt; i++) {
            if (atts[i].position < 0 || (size_t)atts[i].position != pos)
                continue;
            size_t n = 0;
            bool lossy = false;
            char *chunk = tn_utf16_to_cp(cp, text + at, pos - at, &n, &lossy);
            char tag[600];
            int k = snprintf(tag, sizeof tag, "[[ %s : %u in %s ]]", atts[i].name,
                             (unsigned)(s->t->key + i), s->t->name);
            ULONG wrote = 0;
            if (chunk != NULL && n > 1)
                IStream_Write(s->inner, chunk, (ULONG)(n - 1), &wrote);
            fm_free(chunk);
            IStream_Write(s->inner, tag, (ULONG)k, &wrote);
            at = pos;
        }
    }
    if (hr == S_OK) {
        size_t n = 0;
        bool lossy = false;
        char *rest = tn_utf16_to_cp(cp, text + at, units - at, &n, &lossy);
        ULONG wrote = 0;
        if (rest != NULL && n > 1)
            IStream_Write(s->inner, rest, (ULONG)(n - 1), &wrote);
        fm_free(rest);
    }
    fm_free(atts);
    fm_free(text);
    tn_stream_rewind(s->inner);
    return hr;
}

/* The written text: its tags out, the body and the positions in. */
static HRESULT take(tagged *s)
{
    uint64_t size = tn_stream_size(s->inner);
    char *text = fm_malloc((size_t)size + 1);
    if (text == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenTaggedBody: out of memory");
    tn_stream_rewind(s->inner);
    ULONG got = 0;
    HRESULT hr = IStream_Read(s->inner, text, (ULONG)size, &got);
    text[got] = '\0';
    att_info *atts = NULL;
    ULONG natt = 0;
    if (hr == S_OK)
        hr = attachments(s->m, &atts, &natt);
    ULONG cp = tn_message_cp(s->m);
    /* the body without the tags, as UTF-16, built as we go */
    WCHAR *body = fm_malloc(((size_t)got + 1) * 2 * sizeof(WCHAR));
    size_t units = 0;
    if (hr == S_OK && body == NULL)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    const char *p = text, *end = text + got;
    while (hr == S_OK && p < end) {
        const char *open = strstr(p, "[[ ");
        const char *close = open ? strstr(open, " ]]") : NULL;
        const char *seg_end = open && close ? open : end;
        size_t n = 0;
        WCHAR *w = tn_cp_to_utf16(cp, p, (size_t)(seg_end - p), &n);
        if (w == NULL) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        memcpy(body + units, w, n * sizeof(WCHAR));
        units += n;
        fm_free(w);
        if (seg_end == end)
            break;
        /* "[[ name : key in stream ]]" */
        char inner[600];
        size_t ilen = (size_t)(close - open - 3);
        snprintf(inner, sizeof inner, "%.*s", (int)(ilen < sizeof inner ? ilen : sizeof inner - 1),
                 open + 3);
        const char *colon = strrchr(inner, ':');
        unsigned key = 0;
        char stream[300] = "";
        bool ours = colon != NULL && sscanf(colon + 1, " %u in %299[^\n]", &key, stream) == 2 &&
                    strcmp(stream, s->t->name) == 0 && key >= s->t->key &&
                    key - s->t->key < natt;
        if (ours) {
            LPATTACH a = NULL;
            if (IMessage_OpenAttach(s->m, atts[key - s->t->key].num, NULL, MAPI_MODIFY, &a) ==
                S_OK) {
                SPropValue v = { .ulPropTag = PR_RENDERING_POSITION, .Value.l = (LONG)units };
                IAttach_SetProps(a, 1, &v, NULL);
                IAttach_SaveChanges(a, 0);
                IAttach_Release(a);
            }
        } else { /* not a tag of ours: text */
            size_t k = (size_t)(close + 3 - open);
            WCHAR *t2 = tn_cp_to_utf16(cp, open, k, &n);
            if (t2 != NULL) {
                memcpy(body + units, t2, n * sizeof(WCHAR));
                units += n;
                fm_free(t2);
            }
        }
        p = close + 3;
    }
    if (hr == S_OK) {
        body[units] = 0;
        SPropValue v = { .ulPropTag = PR_BODY_W, .Value.lpszW = body };
        hr = IMessage_SetProps(s->m, 1, &v, NULL);
    }
    fm_free(body);
    fm_free(atts);
    fm_free(text);
    return hr == S_OK ? S_OK : fm_error_set(tn_io_status(hr), "OpenTaggedBody: the body could not be set");
}

/* ---- IStream, forwarded to the spool ---------------------------------------------- */
static HRESULT STDMETHODCALLTYPE tagged_QueryInterface(IStream *This, REFIID riid, LPVOID *out)
{
    if (out == NULL || riid == NULL)
        return E_POINTER;
    if (!IsEqualGUID(riid, &IID_IUnknown) && !IsEqualGUID(riid, &IID_IStream) &&
        !IsEqualGUID(riid, &IID_ISequentialStream)) {
        *out = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&tg(This)->refs, 1);
    *out = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE tagged_AddRef(IStream *This)
{
    return (ULONG)(atomic_fetch_add(&tg(This)->refs, 1) + 1);
}

static ULONG STDMETHODCALLTYPE tagged_Release(IStream *This)
{
    tagged *s = tg(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        IStream_Release(s->inner);
        IMessage_Release(s->m);
        ITnef_Release(s->owner);
        fm_free(s);
    }
    return left;
}

static HRESULT STDMETHODCALLTYPE tagged_Read(IStream *This, void *pv, ULONG cb, ULONG *got)
{
    return IStream_Read(tg(This)->inner, pv, cb, got);
}

static HRESULT STDMETHODCALLTYPE tagged_Write(IStream *This, const void *pv, ULONG cb, ULONG *wrote)
{
    if (!tg(This)->write)
        return STG_E_ACCESSDENIED;
    return IStream_Write(tg(This)->inner, pv, cb, wrote);
}

static HRESULT STDMETHODCALLTYPE tagged_Seek(IStream *This, LARGE_INTEGER move, DWORD origin,
                                        ULARGE_INTEGER *pos)
{
    return IStream_Seek(tg(This)->inner, move, origin, pos);
}

static HRESULT STDMETHODCALLTYPE tagged_SetSize(IStream *This, ULARGE_INTEGER size)
{
    if (!tg(This)->write)
        return STG_E_ACCESSDENIED;
    return IStream_SetSize(tg(This)->inner, size);
}

static HRESULT STDMETHODCALLTYPE tagged_CopyTo(IStream *This, IStream *dst, ULARGE_INTEGER cb,
                                           ULARGE_INTEGER *r, ULARGE_INTEGER *w)
{
    return IStream_CopyTo(tg(This)->inner, dst, cb, r, w);
}

static HRESULT STDMETHODCALLTYPE tagged_Commit(IStream *This, DWORD flags)
{
    tagged *s = tg(This);
    return s->write ? take(s) : S_OK;
}

static HRESULT STDMETHODCALLTYPE tagged_Revert(IStream *This)
{
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE tagged_LockRegion(IStream *This, ULARGE_INTEGER off, ULARGE_INTEGER cb,
                                        DWORD type)
{
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE tagged_Stat(IStream *This, STATSTG *st, DWORD flag)
{
    return IStream_Stat(tg(This)->inner, st, flag);
}

static HRESULT STDMETHODCALLTYPE tagged_Clone(IStream *This, IStream **out)
{
    if (out != NULL)
        *out = NULL;
    return STG_E_INVALIDFUNCTION;
}

static const IStreamVtbl TAGGED_VTBL = {
    tagged_QueryInterface,      tagged_AddRef, tagged_Release, tagged_Read, tagged_Write, tagged_Seek, tagged_SetSize,
    tagged_CopyTo, tagged_Commit,  tagged_Revert,  tagged_LockRegion, tagged_LockRegion,  tagged_Stat, tagged_Clone,
};

HRESULT tn_open_tagged_body(fm_tnef *t, LPMESSAGE m, ULONG flags, LPSTREAM *out)
{
    tagged *s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenTaggedBody: out of memory");
    HRESULT hr = tn_spool_new(&s->inner);
    if (hr != S_OK) {
        fm_free(s);
        return hr;
    }
    s->base.lpVtbl = &TAGGED_VTBL;
    atomic_init(&s->refs, 1);
    s->owner = &t->base;
    ITnef_AddRef(s->owner);
    s->t = t;
    s->m = m;
    IMessage_AddRef(m);
    s->write = (flags & (MAPI_MODIFY | MAPI_CREATE)) != 0;
    if (!(flags & MAPI_CREATE))
        hr = fill(s);
    if (hr != S_OK) {
        IStream_Release(&s->base);
        return fm_error_set(tn_io_status(hr), "OpenTaggedBody: the body could not be read");
    }
    *out = &s->base;
    return S_OK;
}
