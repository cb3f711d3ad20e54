/*
 * mime/props.c - writing converted values into MAPI objects: single
 * properties with readable error text, and content streamed from GMime into
 * a property through OpenProperty(IID_IStream) in chunks, so a part of any
 * size takes constant memory. Small contents (the common case) go through
 * SetProps, which costs the store less than a stream.
 */
#include <string.h>

#include "mapiguid.h"
#include "mime/mime.h"

/* Contents up to this size are set with SetProps, larger ones streamed:
 * a stream costs the store SQLite writes at once, SetProps nothing until
 * the save. Text stays small enough that even as UTF-16 it is under the
 * store's 64 KB GetProps limit, so it reads back in one call whatever type
 * the store keeps it as (its save moves values over 16 KB to streams, and
 * for now turns Unicode into PT_STRING8 when it does). */
#define SMALL_CONTENT (60 * 1024)
#define SMALL_TEXT (30 * 1024)
#define CHUNK (64 * 1024)

HRESULT fm_mime_set(LPMAPIPROP obj, const SPropValue *v)
{
    LPSPropProblemArray problems = NULL;
    HRESULT hr = obj->lpVtbl->SetProps(obj, 1, (LPSPropValue)v, &problems);
    if (hr == S_OK && problems != NULL && problems->cProblem > 0)
        hr = problems->aProblem[0].scode;
    MAPIFreeBuffer(problems);
    if (hr != S_OK) {
        char what[64];
        snprintf(what, sizeof what, "setting property 0x%08lX", (unsigned long)v->ulPropTag);
        return fm_mime_fail_mapi(hr, what);
    }
    return S_OK;
}

HRESULT fm_mime_set_string(LPMAPIPROP obj, ULONG tag, const char *utf8)
{
    return fm_mime_set_string_len(obj, tag, utf8, strlen(utf8));
}

HRESULT fm_mime_set_string_len(LPMAPIPROP obj, ULONG tag, const char *utf8, size_t len)
{
    if (len > SMALL_TEXT) { /* a huge header: streamed, and kept Unicode */
        GMimeStream *mem = g_mime_stream_mem_new_with_buffer(utf8, len);
        HRESULT hr = fm_mime_stream_to_prop(mem, obj, tag, true, NULL);
        g_object_unref(mem);
        return hr;
    }
    SPropValue v = { .ulPropTag = CHANGE_PROP_TYPE(tag, PT_UNICODE) };
    HRESULT hr = fm_mime_utf16(utf8, len, NULL, &v.Value.lpszW);
    if (hr != S_OK)
        return hr;
    hr = fm_mime_set(obj, &v);
    MAPIFreeBuffer(v.Value.lpszW);
    return hr;
}

/* Reads up to cap bytes (fewer only at the end of src); -1 on error. */
static ssize_t read_full(GMimeStream *src, char *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = g_mime_stream_read(src, buf + got, cap - got);
        /* A file stream bounded to a part (the content of a message read
         * from a descriptor) returns -1, not 0, once at its bound: that is
         * the end of the part, not an error. */
        if (n < 0 && g_mime_stream_eos(src))
            break;
        if (n < 0)
            return got > 0 ? (ssize_t)got : -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

typedef struct sink {
    LPMAPIPROP obj;
    ULONG tag;
    bool wide;
    fm_hash *hash;
    fm_utf8_decoder dec;
    WCHAR *wbuf;
    LPSTREAM stream;
    uint64_t size;
} sink;

static HRESULT sink_write(sink *s, const char *data, size_t n, bool last)
{
    if (s->hash != NULL)
        fm_hash_feed(s->hash, data, n);
    const void *out = data;
    size_t len = n;
    if (s->wide) {
        len = fm_mime_utf8_feed(&s->dec, data, n, s->wbuf, last) * sizeof(WCHAR);
        out = s->wbuf;
    }
    ULONG written = 0;
    HRESULT hr = len ? IStream_Write(s->stream, out, (ULONG)len, &written) : S_OK;
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "writing a body or attachment stream");
    s->size += len;
    return S_OK;
}

static HRESULT set_small(sink *s, const char *data, size_t n)
{
    if (s->hash != NULL)
        fm_hash_feed(s->hash, data, n);
    SPropValue v = { .ulPropTag = s->tag };
    HRESULT hr;
    if (s->wide) {
        hr = fm_mime_utf16(data, n, NULL, &v.Value.lpszW);
        if (hr != S_OK)
            return hr;
        size_t units = 0;
        while (v.Value.lpszW[units])
            units++;
        s->size = units * sizeof(WCHAR);
        hr = fm_mime_set(s->obj, &v);
        MAPIFreeBuffer(v.Value.lpszW);
        return hr;
    }
    v.Value.bin.cb = (ULONG)n;
    v.Value.bin.lpb = (LPBYTE)(n ? data : "");
    s->size = n;
    return fm_mime_set(s->obj, &v);
}

static HRESULT stream_rest(sink *s, GMimeStream *src, char *buf, size_t have)
{
    HRESULT hr = s->obj->lpVtbl->OpenProperty(s->obj, s->tag, &IID_IStream, 0,
                                              MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s->stream);
    if (hr != S_OK)
        return fm_mime_fail_mapi(hr, "opening a property stream");
    hr = sink_write(s, buf, have, false);
    while (hr == S_OK) {
        ssize_t n = read_full(src, buf, CHUNK);
        if (n < 0) {
            hr = fm_mime_fail(MAPI_E_CORRUPT_DATA, "reading a MIME part failed");
            break;
        }
        hr = sink_write(s, buf, (size_t)n, n == 0);
        if (n == 0)
            break;
    }
    if (hr == S_OK) {
        hr = IStream_Commit(s->stream, STGC_DEFAULT);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "committing a property stream");
    }
    IStream_Release(s->stream);
    s->stream = NULL;
    return hr;
}

HRESULT fm_mime_stream_to_prop(GMimeStream *src, LPMAPIPROP obj, ULONG tag, bool wide,
                               fm_hash *hash)
{
    sink s = { .obj = obj, .tag = CHANGE_PROP_TYPE(tag, wide ? PT_UNICODE : PT_BINARY),
               .wide = wide, .hash = hash };
    char *buf = fm_mime_alloc(CHUNK + 1);
    if (wide && buf != NULL)
        s.wbuf = fm_mime_alloc((CHUNK + 8) * sizeof(WCHAR));
    if (buf == NULL || (wide && s.wbuf == NULL)) {
        fm_mime_free(buf);
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory converting a MIME part");
    }
    HRESULT hr;
    size_t small = wide ? SMALL_TEXT : SMALL_CONTENT;
    ssize_t n = read_full(src, buf, small + 1);
    if (n < 0)
        n = 0; /* an unreadable part is an empty one */
    if ((size_t)n <= small)
        hr = set_small(&s, buf, (size_t)n);
    else
        hr = stream_rest(&s, src, buf, (size_t)n);
    fm_mime_free(s.wbuf);
    fm_mime_free(buf);
    return hr;
}

/* The tag (with the type it is stored as) of the property with tag's ID;
 * tag itself if the list cannot be read. Asking the stream under the other
 * type would be refused (MAPI_E_NO_SUPPORT). */
static ULONG stored_tag(LPMAPIPROP obj, ULONG tag)
{
    LPSPropTagArray tags = NULL;
    ULONG found = tag;
    if (obj->lpVtbl->GetPropList(obj, 0, &tags) != S_OK)
        return tag;
    for (ULONG i = 0; i < tags->cValues; i++) {
        ULONG t = tags->aulPropTag[i];
        if (PROP_ID(t) == PROP_ID(tag) &&
            (PROP_TYPE(t) == PT_UNICODE || PROP_TYPE(t) == PT_STRING8 || PROP_TYPE(t) == PT_BINARY))
            found = t;
    }
    MAPIFreeBuffer(tags);
    return found;
}

HRESULT fm_mime_read_prop_stream(LPMAPIPROP obj, ULONG tag, GString *out)
{
    LPSTREAM s = NULL;
    tag = stored_tag(obj, tag);
    HRESULT hr = obj->lpVtbl->OpenProperty(obj, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&s);
    if (hr != S_OK)
        return hr;
    bool wide = PROP_TYPE(tag) == PT_UNICODE;
    char *buf = fm_mime_alloc(65536);
    char *utf8 = wide ? fm_mime_alloc(3 * 32768 + 4) : NULL;
    fm_utf16_encoder enc = { 0 };
    if (buf == NULL || (wide && utf8 == NULL))
        hr = fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a body");
    while (hr == S_OK) {
        ULONG got = 0;
        hr = IStream_Read(s, buf, 65536, &got);
        if (hr != S_OK)
            break;
        if (wide) {
            size_t n = fm_mime_utf16_feed(&enc, (const WCHAR *)(void *)buf, got / 2, utf8, got == 0);
            g_string_append_len(out, utf8, (gssize)n);
        } else {
            g_string_append_len(out, buf, got);
        }
        if (got == 0)
            break;
    }
    fm_mime_free(utf8);
    fm_mime_free(buf);
    IStream_Release(s);
    return hr;
}

ULONG fm_mime_part_tag(LPMAPIPROP obj, bool create)
{
    static const WCHAR PART_NAME[] = { 'x', '-', 'f', 'r', 'e', 'e', 'm', 'a', 'p', 'i', '-', 'm',
                                       'i', 'm', 'e', '-', 'p', 'a', 'r', 't', 0 };
    MAPINAMEID name = { (LPGUID)&PS_PUBLIC_STRINGS, MNID_STRING, { .lpwstrName = NULL } };
    name.Kind.lpwstrName = (LPWSTR)PART_NAME;
    LPMAPINAMEID names[1] = { &name };
    LPSPropTagArray tags = NULL;
    ULONG tag = 0;
    HRESULT hr = obj->lpVtbl->GetIDsFromNames(obj, 1, names, create ? MAPI_CREATE : 0, &tags);
    if (hr == S_OK && tags->cValues == 1 && PROP_TYPE(tags->aulPropTag[0]) != PT_ERROR)
        tag = CHANGE_PROP_TYPE(tags->aulPropTag[0], PT_LONG);
    MAPIFreeBuffer(tags);
    return tag;
}

ULONG fm_mime_named_tag(LPMAPIPROP obj, const GUID *guid, LONG id, const char *name,
                        bool create)
{
    MAPINAMEID nm = { (LPGUID)guid, name ? MNID_STRING : MNID_ID, { .lID = id } };
    WCHAR *wname = NULL;
    if (name != NULL) {
        if (fm_mime_utf16(name, strlen(name), NULL, &wname) != S_OK)
            return 0;
        nm.Kind.lpwstrName = wname;
    }
    LPMAPINAMEID names[1] = { &nm };
    LPSPropTagArray tags = NULL;
    ULONG tag = 0;
    HRESULT hr = obj->lpVtbl->GetIDsFromNames(obj, 1, names, create ? MAPI_CREATE : 0, &tags);
    if (hr == S_OK && tags->cValues == 1 && PROP_TYPE(tags->aulPropTag[0]) != PT_ERROR)
        tag = tags->aulPropTag[0];
    MAPIFreeBuffer(tags);
    MAPIFreeBuffer(wname);
    return tag;
}

HRESULT fm_mime_set_named_string(LPMAPIPROP obj, const GUID *guid, const char *name,
                                 char *value)
{
    ULONG tag = fm_mime_named_tag(obj, guid, 0, name, true);
    HRESULT hr = S_OK;
    if (tag != 0)
        hr = fm_mime_set_string(obj, CHANGE_PROP_TYPE(tag, PT_UNICODE), value);
    g_free(value);
    return hr;
}

char *fm_mime_get_named_string(LPMAPIPROP obj, const GUID *guid, const char *name)
{
    ULONG tag = fm_mime_named_tag(obj, guid, 0, name, false);
    if (tag == 0)
        return NULL;
    LPSPropValue v = NULL;
    char *out = NULL;
    if (HrGetOneProp(obj, CHANGE_PROP_TYPE(tag, PT_STRING8), &v) == S_OK)
        out = g_strdup(v->Value.lpszA);
    MAPIFreeBuffer(v);
    return out;
}

char *fm_mime_get_string_prop(LPMAPIPROP obj, ULONG tag)
{
    LPSPropValue v = NULL;
    char *out = NULL;
    if (HrGetOneProp(obj, CHANGE_PROP_TYPE(tag, PT_STRING8), &v) == S_OK && v->Value.lpszA[0])
        out = g_strdup(v->Value.lpszA);
    MAPIFreeBuffer(v);
    return out;
}
