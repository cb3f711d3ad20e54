/*
 * msg/object_streams.c - OpenProperty on messages and attachments of a
 * .msg file: value streams, embedded messages and OLE storages.
 *
 * Reading opens the value's own stream (stream properties), or a memory
 * stream over the value (properties in the bag), in the width asked for.
 * Writing (MAPI_MODIFY, MAPI_CREATE) goes to a temporary stream of the
 * object's storage, "__fmtmp_NNNNNNNN": the property is *pending* until
 * SaveChanges moves the stream into place (fm_msg_apply_pending), and
 * Release without SaveChanges destroys it. PT_STRING8 text written this
 * way is UTF-8 and is turned into UTF-16 at save, piece by piece, so that
 * the file stays Unicode whatever the size.
 *
 * PR_ATTACH_DATA_OBJ opens the attachment's __substg1.0_3701000D storage:
 * as an IMessage (an embedded message, at most FM_MSG_MAX_DEPTH deep) or
 * as the IStorage itself (an OLE attachment).
 */
#include <stdio.h>
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "msg/msg.h"

#define STG_RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define STG_RW (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)
#define OBJ_NAME u"__substg1.0_3701000D"
#define CHUNK (64u * 1024u)
#define OPEN_FLAGS (MAPI_CREATE | MAPI_MODIFY | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS)

long fm_msg_find_sprop(const fm_msg_obj *o, ULONG tag)
{
    for (size_t i = 0; i < o->nsprops; i++) {
        if (PROP_ID(o->sprops[i].tag) == PROP_ID(tag))
            return (long)i;
    }
    return -1;
}

long fm_msg_find_pending(const fm_msg_obj *o, ULONG tag)
{
    for (size_t i = 0; i < o->npending; i++) {
        if (PROP_ID(o->pending[i].tag) == PROP_ID(tag))
            return (long)i;
    }
    return -1;
}

static void drop_one_pending(fm_msg_obj *o, size_t i)
{
    fm_msg_pending *p = &o->pending[i];
    WCHAR w[32];
    fm_msg_wname(p->tmp, w);
    if (p->s != NULL)
        IStream_Release(p->s);
    IStorage_DestroyElement(o->stg, w);
    memmove(p, p + 1, (o->npending - i - 1) * sizeof *p);
    o->npending--;
}

void fm_msg_drop_pending(fm_msg_obj *o)
{
    while (o->npending > 0)
        drop_one_pending(o, o->npending - 1);
}

void fm_msg_forget_prop(fm_msg_obj *o, ULONG tag)
{
    long i = fm_msg_find_sprop(o, tag);
    if (i >= 0) {
        memmove(&o->sprops[i], &o->sprops[i + 1], (o->nsprops - (size_t)i - 1) * sizeof *o->sprops);
        o->nsprops--;
    }
    for (size_t k = 0; k < o->nbad; k++) {
        if (PROP_ID(o->bad[k].tag) == PROP_ID(tag)) {
            memmove(&o->bad[k], &o->bad[k + 1], (o->nbad - k - 1) * sizeof *o->bad);
            o->nbad--;
            break;
        }
    }
    i = fm_msg_find_pending(o, tag);
    if (i >= 0)
        drop_one_pending(o, (size_t)i);
}

/* ---- reading ---------------------------------------------------------------------- */

/* The bytes a stream of a string in the bag holds: no terminator. */
static HRESULT bag_stream(fm_msg_obj *o, ULONG tag, IStream **out)
{
    SizedSPropTagArray(1, one) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IPropData_GetProps(o->bag, (LPSPropTagArray)&one,
                                    PROP_TYPE(tag) == PT_UNICODE ? MAPI_UNICODE : 0, &n, &v);
    if (SUCCEEDED(hr) && (n != 1 || PROP_TYPE(v[0].ulPropTag) == PT_ERROR))
        hr = fm_error_set(MAPI_E_NOT_FOUND, "OpenProperty: no property 0x%08lX",
                          (unsigned long)tag);
    if (hr == S_OK || hr == MAPI_W_ERRORS_RETURNED) {
        const SPropValue *x = &v[0];
        switch (PROP_TYPE(x->ulPropTag)) {
        case PT_BINARY: hr = fm_cfb_memstream_new(x->Value.bin.lpb, x->Value.bin.cb, false, out); break;
        case PT_STRING8:
            hr = fm_cfb_memstream_new(x->Value.lpszA, strlen(x->Value.lpszA), false, out);
            break;
        case PT_UNICODE: {
            size_t len = fm_utf16_len(x->Value.lpszW);
            unsigned char *b = fm_malloc(2 * len + 1);
            hr = b == NULL ? fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: out of memory")
                           : S_OK;
            for (size_t i = 0; hr == S_OK && i < len; i++)
                fm_cfb_put16(b + 2 * i, x->Value.lpszW[i]);
            if (hr == S_OK)
                hr = fm_cfb_memstream_new(b, 2 * len, false, out);
            fm_free(b);
            break;
        }
        default:
            hr = fm_error_set(MAPI_E_INVALID_TYPE, "OpenProperty: type 0x%04lX is not a stream",
                              (unsigned long)PROP_TYPE(x->ulPropTag));
        }
    }
    o->tree->free_buffer(v);
    return hr;
}

/* A stream property opened as the other string width: converted whole. */
static HRESULT converted_stream(IStream *in, bool to_utf8, IStream **out)
{
    STATSTG st;
    HRESULT hr = IStream_Stat(in, &st, STATFLAG_NONAME);
    if (hr == S_OK && st.cbSize.QuadPart > FM_MSG_ANSI_MAX)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: the text is too large to "
                          "open in the other width (open it as stored)");
    size_t n = hr == S_OK ? (size_t)st.cbSize.QuadPart : 0;
    unsigned char *b = hr == S_OK ? fm_malloc(n + 2) : NULL;
    char *u8 = NULL;
    if (hr == S_OK && b == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: out of memory");
    ULONG got = 0;
    if (hr == S_OK && n > 0)
        hr = IStream_Read(in, b, (ULONG)n, &got);
    if (hr == S_OK && to_utf8) {
        WCHAR *w = fm_malloc(n + 2);
        u8 = fm_malloc(3 * (n / 2) + 1);
        if (w == NULL || u8 == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: out of memory");
        for (size_t i = 0; hr == S_OK && i < got / 2; i++)
            w[i] = fm_cfb_le16(b + 2 * i);
        size_t len = hr == S_OK ? fm_utf16_to_utf8_into(w, got / 2, u8) : 0;
        if (hr == S_OK)
            hr = fm_cfb_memstream_new(u8, len, false, out);
        fm_free(w);
    } else if (hr == S_OK) {
        WCHAR *w = fm_malloc((got + 1) * sizeof *w);
        unsigned char *le = fm_malloc(2 * (size_t)got + 1);
        if (w == NULL || le == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: out of memory");
        size_t len = hr == S_OK ? fm_utf8_to_utf16_into((char *)b, got, w, got + 1) : 0;
        for (size_t i = 0; hr == S_OK && i < len; i++)
            fm_cfb_put16(le + 2 * i, w[i]);
        if (hr == S_OK)
            hr = fm_cfb_memstream_new(le, 2 * len, false, out);
        fm_free(w);
        fm_free(le);
    }
    fm_free(u8);
    fm_free(b);
    return hr;
}

static HRESULT read_stream(fm_msg_obj *o, ULONG tag, IStream **out)
{
    long i = fm_msg_find_pending(o, tag);
    HRESULT hr;
    if (i >= 0) {
        /* A pending value: a second view of the temporary stream, from its start. */
        hr = IStream_Clone(o->pending[i].s, out);
        if (hr == S_OK) {
            LARGE_INTEGER zero = { .QuadPart = 0 };
            IStream_Seek(*out, zero, STREAM_SEEK_SET, NULL);
        }
        return fm_msg_stg_hr(hr);
    }
    i = fm_msg_find_sprop(o, tag);
    if (i < 0)
        return bag_stream(o, tag, out);
    ULONG stored = o->sprops[i].tag;
    WCHAR name[32];
    fm_msg_substg_name(stored, name);
    IStream *s = NULL;
    hr = IStorage_OpenStream(o->stg, name, NULL, STG_RD, 0, &s);
    if (hr != S_OK)
        return fm_msg_stg_hr(hr);
    ULONG want = PROP_TYPE(tag);
    bool text = want == PT_STRING8 || want == PT_UNICODE;
    if (!text || want == PROP_TYPE(stored)) {
        *out = s;
        return S_OK;
    }
    hr = converted_stream(s, want == PT_STRING8, out);
    IStream_Release(s);
    return hr;
}

/* ---- writing ---------------------------------------------------------------------- */

static HRESULT add_pending(fm_msg_obj *o, ULONG tag, IStream *s, const char *tmp)
{
    if (o->npending == o->cappending) {
        size_t cap = o->cappending ? o->cappending * 2 : 4;
        fm_msg_pending *p = fm_realloc(o->pending, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenProperty: out of memory");
        o->pending = p;
        o->cappending = cap;
    }
    fm_msg_pending *p = &o->pending[o->npending++];
    p->tag = tag;
    snprintf(p->tmp, sizeof p->tmp, "%s", tmp);
    p->s = s;
    return S_OK;
}

static HRESULT write_stream(fm_msg_obj *o, ULONG tag, bool create, IStream **out)
{
    char tmp[32];
    WCHAR w[32];
    snprintf(tmp, sizeof tmp, "__fmtmp_%08X", (unsigned)o->tree->tmp_seq++);
    fm_msg_wname(tmp, w);
    IStream *s = NULL, *old = NULL;
    HRESULT hr = IStorage_CreateStream(o->stg, w, STG_RW | STGM_CREATE, 0, 0, &s);
    if (hr != S_OK)
        return fm_msg_stg_hr(hr);
    /* MAPI_MODIFY alone edits the current value. */
    if (!create && read_stream(o, tag, &old) == S_OK) {
        ULARGE_INTEGER all = { .QuadPart = UINT64_MAX };
        LARGE_INTEGER zero = { .QuadPart = 0 };
        hr = IStream_CopyTo(old, s, all, NULL, NULL);
        if (hr == S_OK)
            hr = IStream_Seek(s, zero, STREAM_SEEK_SET, NULL);
        IStream_Release(old);
    }
    if (hr == S_OK) {
        fm_msg_forget_prop(o, tag);
        SizedSPropTagArray(1, one) = { 1, { tag } };
        IPropData_DeleteProps(o->bag, (LPSPropTagArray)&one, NULL);
        hr = add_pending(o, tag, s, tmp);
    }
    if (hr != S_OK) {
        IStream_Release(s);
        IStorage_DestroyElement(o->stg, w);
        return fm_msg_stg_hr(hr);
    }
    IStream_AddRef(s); /* the pending entry keeps one, the caller gets one */
    o->dirty = true;
    *out = s;
    return S_OK;
}

/* ---- embedded messages and storages ----------------------------------------------------- */

static HRESULT open_object(fm_msg_obj *o, LPCIID iid, bool write, bool create, LPUNKNOWN *out)
{
    bool message = IsEqualIID(iid, &IID_IMessage);
    if (!message && !IsEqualIID(iid, &IID_IStorage))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenProperty: PR_ATTACH_DATA_OBJ "
                                                            "opens as IMessage or IStorage");
    if (o->kind != FM_MSG_ATTACH)
        return fm_error_set(MAPI_E_NO_SUPPORT, "OpenProperty: PR_ATTACH_DATA_OBJ belongs to "
                                               "attachments");
    unsigned depth = o->parent != NULL ? o->parent->depth + 1 : 1;
    if (message && depth > FM_MSG_MAX_DEPTH)
        return fm_error_set(MAPI_E_TOO_COMPLEX, "OpenProperty: embedded messages nest deeper "
                            "than %u", FM_MSG_MAX_DEPTH);
    IStorage *sub = NULL;
    HRESULT hr;
    if (create)
        hr = IStorage_CreateStorage(o->stg, OBJ_NAME, STG_RW | STGM_CREATE, 0, 0, &sub);
    else if (!o->has_object)
        return fm_error_set(MAPI_E_NOT_FOUND, "OpenProperty: the attachment holds no object "
                                              "(open it with MAPI_CREATE)");
    else
        hr = IStorage_OpenStorage(o->stg, OBJ_NAME, NULL, write ? STG_RW : STG_RD, NULL, 0, &sub);
    if (hr == STG_E_ACCESSDENIED)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenProperty: the attachment's object is open "
                                              "already");
    if (hr != S_OK)
        return fm_msg_stg_hr(hr);
    if (create || write) {
        o->has_object = true;
        o->dirty = true;
    }
    if (!message) {
        *out = (LPUNKNOWN)sub;
        return S_OK;
    }
    fm_msg_obj *m = NULL;
    hr = fm_msg_obj_open(o->tree, FM_MSG_MESSAGE, sub, true, depth, o, &m);
    IStorage_Release(sub);
    if (hr == S_OK)
        *out = (LPUNKNOWN)&m->iface.msg;
    return hr;
}

HRESULT fm_msg_open_property(fm_msg_obj *o, ULONG tag, LPCIID iid, ULONG opts, ULONG flags,
                             LPUNKNOWN *out)
{
    if (flags & ~(ULONG)OPEN_FLAGS)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenProperty: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~(ULONG)OPEN_FLAGS));
    bool create = (flags & MAPI_CREATE) != 0, write = create || (flags & MAPI_MODIFY);
    if (write && !o->tree->writable)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenProperty: the message's storage is read-only");
    if (PROP_ID(tag) == PROP_ID(PR_ATTACH_DATA_OBJ) && !IsEqualIID(iid, &IID_IStream))
        return open_object(o, iid, write, create, out);
    if (!IsEqualIID(iid, &IID_IStream) && !IsEqualIID(iid, &IID_IStreamDocfile))
        return fm_error_set(MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenProperty: 0x%08lX opens as "
                            "IStream", (unsigned long)tag);
    ULONG type = PROP_TYPE(tag);
    if (type != PT_BINARY && type != PT_STRING8 && type != PT_UNICODE)
        return fm_error_set(MAPI_E_INVALID_TYPE, "OpenProperty: type 0x%04lX cannot be a stream",
                            (unsigned long)type);
    IStream *s = NULL;
    HRESULT hr = write ? write_stream(o, tag, create, &s) : read_stream(o, tag, &s);
    if (hr == S_OK)
        *out = (LPUNKNOWN)s;
    return hr;
}

/* ---- at save ---------------------------------------------------------------------------- */

/* A PT_STRING8 (UTF-8) pending stream rewritten as UTF-16LE, in pieces;
 * a sequence cut by a piece's end waits for the next piece. */
static HRESULT to_unicode(fm_msg_obj *o, fm_msg_pending *p)
{
    char tmp[32];
    WCHAR w[32];
    snprintf(tmp, sizeof tmp, "__fmtmp_%08X", (unsigned)o->tree->tmp_seq++);
    fm_msg_wname(tmp, w);
    IStream *in = NULL, *out = NULL;
    unsigned char *buf = fm_malloc(CHUNK + 4);
    WCHAR *wide = fm_malloc((CHUNK + 5) * sizeof *wide);
    HRESULT hr = buf && wide ? IStream_Clone(p->s, &in)
                             : fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SaveChanges: out of memory");
    if (hr == S_OK)
        hr = IStorage_CreateStream(o->stg, w, STG_RW | STGM_CREATE, 0, 0, &out);
    LARGE_INTEGER zero = { .QuadPart = 0 };
    if (hr == S_OK)
        hr = IStream_Seek(in, zero, STREAM_SEEK_SET, NULL);
    size_t carry = 0;
    while (hr == S_OK) {
        ULONG got = 0;
        hr = IStream_Read(in, buf + carry, CHUNK, &got);
        if (hr != S_OK)
            break;
        size_t n = carry + got, cut = n;
        /* Keep an unfinished UTF-8 sequence for the next piece. */
        if (got > 0) {
            size_t back = 0;
            while (back < 3 && back < n && (buf[n - 1 - back] & 0xC0) == 0x80)
                back++;
            if (back < n) {
                unsigned char lead = buf[n - 1 - back];
                size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                if (need > back + 1)
                    cut = n - back - 1;
            }
        }
        size_t units = fm_utf8_to_utf16_into((char *)buf, cut, wide, CHUNK + 5);
        for (size_t i = 0; i < units; i++) {
            unsigned char le[2];
            fm_cfb_put16(le, wide[i]);
            memcpy((unsigned char *)wide + 2 * i, le, 2);
        }
        if (units > 0)
            hr = IStream_Write(out, wide, (ULONG)(2 * units), NULL);
        carry = n - cut;
        memmove(buf, buf + cut, carry);
        if (got == 0)
            break;
    }
    if (in != NULL)
        IStream_Release(in);
    fm_free(buf);
    fm_free(wide);
    if (hr != S_OK) {
        if (out != NULL)
            IStream_Release(out);
        IStorage_DestroyElement(o->stg, w);
        return fm_msg_stg_hr(hr);
    }
    WCHAR old[32];
    fm_msg_wname(p->tmp, old);
    IStream_Release(p->s);
    IStorage_DestroyElement(o->stg, old);
    p->s = out;
    p->tag = CHANGE_PROP_TYPE(p->tag, PT_UNICODE);
    snprintf(p->tmp, sizeof p->tmp, "%s", tmp);
    return S_OK;
}

/* Small values go back to the bag, so that GetProps answers them. */
static HRESULT reload_small(fm_msg_obj *o, ULONG tag, const WCHAR *name, uint64_t size, bool *done)
{
    *done = false;
    if (size > FM_MSG_LOAD_MAX)
        return S_OK;
    IStream *s = NULL;
    HRESULT hr = IStorage_OpenStream(o->stg, name, NULL, STG_RD, 0, &s);
    unsigned char *b = hr == S_OK ? fm_malloc((size_t)size + 2) : NULL;
    if (hr == S_OK && b == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SaveChanges: out of memory");
    ULONG got = 0;
    if (hr == S_OK && size > 0)
        hr = IStream_Read(s, b, (ULONG)size, &got);
    if (s != NULL)
        IStream_Release(s);
    if (hr == S_OK) {
        SPropValue v = { .ulPropTag = tag };
        WCHAR *w = NULL;
        if (PROP_TYPE(tag) == PT_UNICODE) {
            w = fm_malloc(((size_t)got / 2 + 1) * sizeof *w);
            if (w == NULL)
                hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SaveChanges: out of memory");
            for (size_t i = 0; w != NULL && i < got / 2; i++)
                w[i] = fm_cfb_le16(b + 2 * i);
            if (w != NULL) {
                size_t n = got / 2;
                while (n > 0 && w[n - 1] == 0)
                    n--;
                w[n] = 0;
            }
            v.Value.lpszW = w;
        } else {
            v.Value.bin.cb = got;
            v.Value.bin.lpb = b;
        }
        if (hr == S_OK)
            hr = IPropData_SetProps(o->bag, 1, &v, NULL);
        fm_free(w);
        *done = hr == S_OK;
    }
    fm_free(b);
    return fm_msg_stg_hr(hr);
}

static HRESULT apply_one(fm_msg_obj *o, fm_msg_pending *p)
{
    HRESULT hr = PROP_TYPE(p->tag) == PT_STRING8 ? to_unicode(o, p) : S_OK;
    if (hr != S_OK)
        return hr;
    WCHAR final[32], tmp[32];
    fm_msg_substg_name(p->tag, final);
    fm_msg_wname(p->tmp, tmp);
    IStorage_DestroyElement(o->stg, final);
    STATSTG st;
    hr = IStream_Stat(p->s, &st, STATFLAG_NONAME);
    IStream_Release(p->s);
    p->s = NULL;
    if (hr == S_OK && IStorage_RenameElement(o->stg, tmp, final) != S_OK) {
        /* The caller still has it open: copy it, and its view is reverted. */
        IStorage *stg = o->stg;
        IStream *in = NULL, *out = NULL;
        hr = IStorage_CreateStream(stg, final, STG_RW | STGM_CREATE, 0, 0, &out);
        if (hr == S_OK)
            hr = IStorage_OpenStream(stg, tmp, NULL, STG_RD, 0, &in);
        if (hr == STG_E_ACCESSDENIED)
            hr = fm_error_set(MAPI_E_NO_ACCESS, "SaveChanges: release the property's stream "
                                                "first");
        ULARGE_INTEGER all = { .QuadPart = UINT64_MAX };
        if (hr == S_OK)
            hr = IStream_CopyTo(in, out, all, NULL, NULL);
        if (in != NULL)
            IStream_Release(in);
        if (out != NULL)
            IStream_Release(out);
        if (hr == S_OK)
            IStorage_DestroyElement(stg, tmp);
    }
    if (hr != S_OK)
        return fm_msg_stg_hr(hr);
    bool small = false;
    hr = reload_small(o, p->tag, final, st.cbSize.QuadPart, &small);
    if (hr == S_OK && !small) {
        if (o->nsprops == o->capsprops) {
            size_t cap = o->capsprops ? o->capsprops * 2 : 4;
            fm_msg_stream_prop *sp = fm_realloc(o->sprops, cap * sizeof *sp);
            if (sp == NULL)
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SaveChanges: out of memory");
            o->sprops = sp;
            o->capsprops = cap;
        }
        o->sprops[o->nsprops++] = (fm_msg_stream_prop){ p->tag, st.cbSize.QuadPart };
    }
    return hr;
}

HRESULT fm_msg_apply_pending(fm_msg_obj *o)
{
    HRESULT hr = S_OK;
    while (hr == S_OK && o->npending > 0) {
        fm_msg_pending p = o->pending[0];
        hr = apply_one(o, &p);
        if (hr != S_OK) {
            o->pending[0] = p; /* still pending; Release drops it */
            break;
        }
        memmove(&o->pending[0], &o->pending[1], (o->npending - 1) * sizeof *o->pending);
        o->npending--;
    }
    return hr;
}
