/*
 * tnef/tnef_decode.c - ExtractProps: a TNEF stream into a message.
 *
 * The stream is read once, front to back: the message's attributes, then
 * each attachment's, from its attAttachRenddata on. Down-level attributes
 * ([MS-OXTNEF] 2.1.3.3) become their properties unless attMAPIProps (or
 * attAttachment) carries the same property, which wins whatever the order.
 * An attachment is created at its attAttachRenddata and saved when the next
 * one starts (or the stream ends), so one is open at a time; the message is
 * left for the caller to save. Checksums that do not match, attributes
 * this reader does not know and properties the message refuses are
 * problems, reported, not failures; a stream that ends inside an attribute
 * keeps what came before it.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

#define ATTACH_TARGET(d) ((d)->att != NULL ? (LPMAPIPROP)(d)->att : NULL)

static HRESULT set_one(tn_decoder *d, LPMAPIPROP obj, SPropValue v)
{
    return obj == NULL ? S_OK : tn_dec_set(d, obj, 1, &v, false);
}

static HRESULT set_string(tn_decoder *d, LPMAPIPROP obj, ULONG tag, const BYTE *p, size_t n)
{
    size_t units = 0;
    WCHAR *w = tn_cp_to_utf16(d->cp, p, n, &units);
    if (w == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for text");
    SPropValue v = { .ulPropTag = CHANGE_PROP_TYPE(tag, PT_UNICODE), .Value.lpszW = w };
    HRESULT hr = set_one(d, obj, v);
    fm_free(w);
    return hr;
}

static HRESULT set_time(tn_decoder *d, LPMAPIPROP obj, ULONG tag, const BYTE *p, size_t n)
{
    FILETIME ft;
    if (n < 14 || !tn_dtr_to_filetime(p, &ft)) {
        tn_problem(&d->t->problems, d->component, 0, tag, MAPI_E_CORRUPT_DATA);
        return S_OK;
    }
    SPropValue v = { .ulPropTag = tag, .Value.ft = ft };
    return set_one(d, obj, v);
}

static HRESULT set_binary(tn_decoder *d, LPMAPIPROP obj, ULONG tag, const BYTE *p, size_t n)
{
    SPropValue v = { .ulPropTag = tag, .Value.bin = { (ULONG)n, (LPBYTE)p } };
    return set_one(d, obj, v);
}

static HRESULT set_hex(tn_decoder *d, ULONG tag, const BYTE *p, size_t n)
{
    size_t len = 0;
    BYTE *b = tn_unhex((const char *)p, n, &len);
    if (b == NULL) { /* not hex: the bytes as they are */
        size_t k = n;
        while (k > 0 && p[k - 1] == 0)
            k--;
        return set_binary(d, (LPMAPIPROP)d->m, tag, p, k);
    }
    HRESULT hr = set_binary(d, (LPMAPIPROP)d->m, tag, b, len);
    fm_free(b);
    return hr;
}

static uint16_t get16(const BYTE *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const BYTE *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* "TYPE:address" split into the address type and the address. */
static HRESULT set_address(tn_decoder *d, ULONG name_tag, ULONG type_tag, ULONG addr_tag,
                           const BYTE *name, size_t nlen, const BYTE *addr, size_t alen)
{
    HRESULT hr = nlen > 0 ? set_string(d, (LPMAPIPROP)d->m, name_tag, name, nlen) : S_OK;
    while (alen > 0 && addr[alen - 1] == 0)
        alen--;
    const BYTE *colon = alen > 0 ? memchr(addr, ':', alen) : NULL;
    if (hr == S_OK && colon != NULL) {
        hr = set_string(d, (LPMAPIPROP)d->m, type_tag, addr, (size_t)(colon - addr));
        if (hr == S_OK)
            hr = set_string(d, (LPMAPIPROP)d->m, addr_tag, colon + 1,
                            alen - (size_t)(colon - addr) - 1);
    } else if (hr == S_OK && alen > 0) {
        hr = set_string(d, (LPMAPIPROP)d->m, addr_tag, addr, alen);
    }
    return hr;
}

/* attFrom: a TRP header, the name, "TYPE:address". */
static HRESULT dec_from(tn_decoder *d, const BYTE *p, size_t n)
{
    if (n < 8)
        return S_OK;
    size_t cch = get16(p + 4), cb = get16(p + 6);
    if (8 + cch > n)
        cch = n - 8;
    if (8 + cch + cb > n)
        cb = n - 8 - cch;
    return set_address(d, PR_SENDER_NAME_W, PR_SENDER_ADDRTYPE_W, PR_SENDER_EMAIL_ADDRESS_W, p + 8,
                       cch, p + 8 + cch, cb);
}

/* attOwner / attSentFor: counted name, counted "TYPE:address". */
static HRESULT dec_owner(tn_decoder *d, const BYTE *p, size_t n, bool sent)
{
    if (n < 2)
        return S_OK;
    size_t nl = get16(p);
    if (2 + nl + 2 > n)
        return S_OK;
    size_t al = get16(p + 2 + nl);
    if (2 + nl + 2 + al > n)
        al = n - 4 - nl;
    if (sent)
        return set_address(d, PR_SENT_REPRESENTING_NAME_W, PR_SENT_REPRESENTING_ADDRTYPE_W,
                           PR_SENT_REPRESENTING_EMAIL_ADDRESS_W, p + 2, nl, p + 4 + nl, al);
    return set_address(d, PR_RCVD_REPRESENTING_NAME_W, PR_RCVD_REPRESENTING_ADDRTYPE_W,
                       PR_RCVD_REPRESENTING_EMAIL_ADDRESS_W, p + 2, nl, p + 4 + nl, al);
}

static bool class_is_response(tn_decoder *d)
{
    LPSPropValue v = NULL;
    bool yes = false;
    if (HrGetOneProp((LPMAPIPROP)d->m, PR_MESSAGE_CLASS_A, &v) == S_OK)
        yes = strncasecmp(v->Value.lpszA, "IPM.Schedule.Meeting.Resp.", 26) == 0;
    MAPIFreeBuffer(v);
    return yes;
}

/* One down-level attribute, read whole (p, n). */
static HRESULT dec_legacy(tn_decoder *d, BYTE level, ULONG id, const BYTE *p, size_t n)
{
    LPMAPIPROP msg = (LPMAPIPROP)d->m;
    if (level == LVL_ATTACHMENT) {
        LPMAPIPROP a = ATTACH_TARGET(d);
        switch (id) {
        case attAttachTitle: return set_string(d, a, PR_ATTACH_FILENAME_W, p, n);
        case attAttachCreateDate: return set_time(d, a, PR_CREATION_TIME, p, n);
        case attAttachModifyDate: return set_time(d, a, PR_LAST_MODIFICATION_TIME, p, n);
        case attAttachMetaFile: return set_binary(d, a, PR_ATTACH_RENDERING, p, n);
        case attAttachTransportFilename:
            return set_string(d, a, PR_ATTACH_TRANSPORT_NAME_W, p, n);
        default: break;
        }
    }
    switch (id) {
    case attTnefVersion: return S_OK;
    case attOemCodepage:
        if (n >= 4 && get32(p) != 0)
            d->cp = get32(p);
        return S_OK;
    case attFrom: return dec_from(d, p, n);
    case attSubject: return set_string(d, msg, PR_SUBJECT_W, p, n);
    case attDateSent: return set_time(d, msg, PR_CLIENT_SUBMIT_TIME, p, n);
    case attDateRecd: return set_time(d, msg, PR_MESSAGE_DELIVERY_TIME, p, n);
    case attDateModified: return set_time(d, msg, PR_LAST_MODIFICATION_TIME, p, n);
    case attDateStart: return set_time(d, msg, PR_START_DATE, p, n);
    case attDateEnd: return set_time(d, msg, PR_END_DATE, p, n);
    case attMessageClass:
    case attOriginalMessageClass: {
        char cls[512];
        size_t k = n < sizeof cls - 1 ? n : sizeof cls - 1;
        memcpy(cls, p, k);
        cls[k] = '\0';
        const char *mapped = tn_class_from_legacy(cls);
        SPropValue v = { .ulPropTag = id == attMessageClass ? PR_MESSAGE_CLASS_A
                                                             : PR_ORIG_MESSAGE_CLASS_A,
                         .Value.lpszA = (LPSTR)mapped };
        return set_one(d, msg, v);
    }
    case attMessageStatus: {
        if (n < 1)
            return S_OK;
        BYTE f = p[0];
        LONG flags = 0;
        if (f & fmsRead)
            flags |= MSGFLAG_READ;
        if (!(f & fmsModified))
            flags |= MSGFLAG_UNMODIFIED;
        if (f & fmsSubmitted)
            flags |= MSGFLAG_SUBMIT;
        if (f & fmsHasAttach)
            flags |= MSGFLAG_HASATTACH;
        if (f & fmsLocal)
            flags |= MSGFLAG_UNSENT;
        SPropValue v = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = flags };
        return set_one(d, msg, v);
    }
    case attPriority: {
        if (n < 2)
            return S_OK;
        unsigned prio = get16(p);
        LONG imp = prio == prioHigh ? IMPORTANCE_HIGH
                   : prio == prioLow ? IMPORTANCE_LOW
                                     : IMPORTANCE_NORMAL;
        SPropValue v = { .ulPropTag = PR_IMPORTANCE, .Value.l = imp };
        return set_one(d, msg, v);
    }
    case attMessageID: return set_hex(d, PR_SEARCH_KEY, p, n);
    case attParentID: return set_hex(d, PR_PARENT_KEY, p, n);
    case attConversationID: return set_hex(d, PR_CONVERSATION_KEY, p, n);
    case attOwner: return dec_owner(d, p, n, !class_is_response(d));
    case attSentFor: return dec_owner(d, p, n, true);
    case attDelegate: return set_binary(d, msg, PR_RCVD_REPRESENTING_ENTRYID, p, n);
    case attAidOwner: {
        if (n < 4)
            return S_OK;
        SPropValue v = { .ulPropTag = PR_OWNER_APPT_ID, .Value.l = (LONG)get32(p) };
        return set_one(d, msg, v);
    }
    case attRequestRes: {
        if (n < 2)
            return S_OK;
        SPropValue v = { .ulPropTag = PR_RESPONSE_REQUESTED, .Value.b = get16(p) != 0 };
        return set_one(d, msg, v);
    }
    default:
        tn_problem(&d->t->problems, d->component, id, 0, MAPI_E_NO_SUPPORT);
        return S_OK;
    }
}

/* ---- attachments ----------------------------------------------------------------- */
/* An attachment that says it is an embedded message but carried none is
 * a file (what data it has stays), so that no reader fails opening it. */
static void fix_embedded(tn_decoder *d)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_ATTACH_METHOD } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IAttach_GetProps(d->att, (LPSPropTagArray)&tags, 0, &n, &v);
    bool embedded = hr == S_OK && v[0].ulPropTag == PR_ATTACH_METHOD &&
                    v[0].Value.l == ATTACH_EMBEDDED_MSG;
    MAPIFreeBuffer(v);
    if (!embedded)
        return;
    LPMESSAGE inner = NULL;
    hr = IAttach_OpenProperty(d->att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                              (LPUNKNOWN *)&inner);
    if (hr == S_OK) {
        IMessage_Release(inner);
        return;
    }
    SPropValue file = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
    IAttach_SetProps(d->att, 1, &file, NULL);
    tn_problem(&d->t->problems, d->component, attAttachment, PR_ATTACH_DATA_OBJ,
               MAPI_E_CORRUPT_DATA);
}

static HRESULT close_attach(tn_decoder *d)
{
    if (d->att == NULL)
        return S_OK;
    fix_embedded(d);
    HRESULT hr = IAttach_SaveChanges(d->att, 0);
    if (hr != S_OK)
        tn_problem(&d->t->problems, d->component, attAttachment, 0, hr);
    IAttach_Release(d->att);
    d->att = NULL;
    d->att_ids.n = 0; /* a new component */
    return S_OK;
}

static HRESULT open_attach(tn_decoder *d)
{
    HRESULT hr = close_attach(d);
    ULONG num = 0;
    if (hr == S_OK)
        hr = IMessage_CreateAttach(d->m, NULL, 0, &num, &d->att);
    if (hr != S_OK)
        return fm_error_set(tn_io_status(hr), "TNEF: an attachment could not be created");
    d->component = num;
    d->att_ids.n = 0;
    SPropValue v = { .ulPropTag = PR_ATTACH_METHOD, .Value.l = ATTACH_BY_VALUE };
    return set_one(d, (LPMAPIPROP)d->att, v);
}

static HRESULT dec_renddata(tn_decoder *d, const BYTE *p, size_t n)
{
    HRESULT hr = open_attach(d);
    if (hr != S_OK || n < TNEF_RENDDATA_SIZE)
        return hr;
    unsigned atyp = get16(p);
    SPropValue v[2] = {
        { .ulPropTag = PR_ATTACH_METHOD,
          .Value.l = atyp == atypOle ? ATTACH_OLE : ATTACH_BY_VALUE },
        { .ulPropTag = PR_RENDERING_POSITION, .Value.l = (LONG)get32(p + 2) },
    };
    return tn_dec_set(d, (LPMAPIPROP)d->att, 2, v, false);
}

/* attAttachData: straight into the attachment's data stream. */
static HRESULT dec_attach_data(tn_decoder *d, uint32_t len)
{
    if (d->att == NULL) {
        HRESULT hr = open_attach(d); /* data with no attAttachRenddata before it */
        if (hr != S_OK)
            return hr;
    }
    if (tn_dec_from_props(d, (LPMAPIPROP)d->att, PR_ATTACH_DATA_BIN))
        return tn_skip(d->r, len);
    LPSTREAM s = NULL;
    HRESULT hr = IAttach_OpenProperty(d->att, PR_ATTACH_DATA_BIN, &IID_IStream, STGM_WRITE,
                                      MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
    if (hr != S_OK) {
        tn_problem(&d->t->problems, d->component, attAttachData, PR_ATTACH_DATA_BIN, hr);
        return tn_skip(d->r, len);
    }
    hr = tn_copy_out(d->r, len, s);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    IStream_Release(s);
    return hr;
}

/* attBody: streamed into PR_BODY, decoded from the code page. */
static HRESULT dec_body(tn_decoder *d, uint32_t len)
{
    if (!tn_dec_wanted(d, (LPMAPIPROP)d->m, PR_BODY_W) ||
        tn_dec_from_props(d, (LPMAPIPROP)d->m, PR_BODY_W))
        return tn_skip(d->r, len);
    LPSTREAM s = NULL;
    HRESULT hr = IMessage_OpenProperty(d->m, PR_BODY_W, &IID_IStream, STGM_WRITE,
                                       MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&s);
    if (hr != S_OK) {
        tn_problem(&d->t->problems, 0, attBody, PR_BODY_W, hr);
        return tn_skip(d->r, len);
    }
    enum { CHUNK = 65536 };
    BYTE *in = fm_malloc(CHUNK);
    WCHAR *out = fm_malloc((CHUNK + 16) * sizeof(WCHAR));
    tn_cpconv conv;
    tn_cpconv_open(&conv, d->cp);
    if (in == NULL || out == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for the body");
    uint32_t left = len;
    while (hr == S_OK && left > 0) {
        size_t k = left < CHUNK ? left : CHUNK;
        hr = tn_read(d->r, in, k);
        left -= (uint32_t)k;
        size_t units = hr == S_OK ? tn_cpconv_feed(&conv, in, k, out, CHUNK + 16, left == 0) : 0;
        if (left == 0)
            while (units > 0 && out[units - 1] == 0)
                units--;
        ULONG wrote = 0;
        if (hr == S_OK && units > 0)
            hr = IStream_Write(s, out, (ULONG)(units * sizeof(WCHAR)), &wrote);
    }
    tn_cpconv_close(&conv);
    fm_free(in);
    fm_free(out);
    if (hr == S_OK)
        hr = IStream_Commit(s, STGC_DEFAULT);
    IStream_Release(s);
    return hr;
}

/* ---- the stream ------------------------------------------------------------------ */
static bool at_end(tn_decoder *d)
{
    if (d->r->end != UINT64_MAX)
        return d->r->pos >= d->r->end;
    return !tn_more(d->r);
}

/* One attribute: its data handled, its checksum checked. */
static HRESULT dec_attribute(tn_decoder *d)
{
    BYTE level = 0;
    uint32_t id = 0, len = 0;
    HRESULT hr = tn_u8(d->r, &level);
    if (hr == S_OK)
        hr = tn_u32(d->r, &id);
    if (hr == S_OK)
        hr = tn_u32(d->r, &len);
    if (hr != S_OK)
        return hr;
    if (level != LVL_MESSAGE && level != LVL_ATTACHMENT)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: attribute level %u", level);
    if (len > d->r->end - d->r->pos)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: attribute 0x%08X of %u bytes does "
                                                 "not fit", (unsigned)id, len);
    uint64_t start = d->r->sum;
    bool attach_level = level == LVL_ATTACHMENT;
    bool skip_attach = attach_level && !d->want_attach;
    if (skip_attach) {
        hr = tn_skip(d->r, len);
    } else if (id == attAttachRenddata && attach_level) {
        BYTE rd[TNEF_RENDDATA_SIZE] = { 0 };
        size_t k = len < sizeof rd ? len : sizeof rd;
        hr = tn_read(d->r, rd, k);
        if (hr == S_OK)
            hr = tn_skip(d->r, len - k);
        if (hr == S_OK)
            hr = dec_renddata(d, rd, k);
    } else if (id == attAttachData && attach_level) {
        hr = dec_attach_data(d, len);
    } else if (id == attAttachment && attach_level) {
        if (d->att == NULL)
            hr = open_attach(d);
        if (hr == S_OK)
            hr = tn_dec_props(d, (LPMAPIPROP)d->att, len, attAttachment);
    } else if (id == attMAPIProps) {
        LPMAPIPROP obj = attach_level && d->att != NULL ? (LPMAPIPROP)d->att : (LPMAPIPROP)d->m;
        ULONG keep = d->component;
        if (obj == (LPMAPIPROP)d->m)
            d->component = 0;
        hr = tn_dec_props(d, obj, len, attMAPIProps);
        d->component = keep;
    } else if (id == attRecipTable) {
        hr = d->want_recips ? tn_dec_recips(d, len) : tn_skip(d->r, len);
    } else if (id == attBody && !attach_level) {
        hr = dec_body(d, len);
    } else if (len > TN_MAX_HELD) {
        tn_problem(&d->t->problems, d->component, id, 0, MAPI_E_TOO_BIG);
        hr = tn_skip(d->r, len);
    } else {
        BYTE *data = fm_malloc(len ? len : 1);
        if (data == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for an attribute");
        hr = tn_read(d->r, data, len);
        if (hr == S_OK)
            hr = dec_legacy(d, level, id, data, len);
        fm_free(data);
    }
    if (hr != S_OK)
        return hr;
    uint16_t sum = (uint16_t)((d->r->sum - start) & 0xFFFF);
    uint16_t want = 0;
    hr = tn_u16(d->r, &want);
    if (hr == S_OK && want != sum && id != attMessageClass && id != attOriginalMessageClass)
        tn_problem(&d->t->problems, d->component, id, 0, MAPI_E_CORRUPT_DATA);
    return hr;
}

HRESULT tn_decode_message(tn_decoder *d)
{
    uint32_t sig = 0;
    uint16_t key = 0;
    HRESULT hr = tn_u32(d->r, &sig);
    if (hr == S_OK && sig != TNEF_SIGNATURE)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "TNEF: no TNEF signature (0x%08X)", sig);
    if (hr == S_OK)
        hr = tn_u16(d->r, &key);
    if (hr != S_OK)
        return hr;
    if (d->cp == 0)
        d->cp = 1252;
    while (hr == S_OK && !at_end(d))
        hr = dec_attribute(d);
    HRESULT closed = close_attach(d);
    if (hr == MAPI_E_CORRUPT_DATA && d->depth == 0) {
        /* cut short or garbled: what came before stays, reported */
        tn_problem(&d->t->problems, d->component, 0, 0, hr);
        hr = S_OK;
    }
    return hr != S_OK ? hr : closed;
}

HRESULT tn_extract(fm_tnef *t, ULONG flags, LPSPropTagArray list)
{
    tn_reader r;
    HRESULT hr = tn_reader_init(&r, t->stream);
    if (hr != S_OK)
        return hr;
    tn_decoder d = { .t = t, .r = &r, .m = t->msg, .want_attach = true, .want_recips = true };
    if (list != NULL) {
        d.filter = list->aulPropTag;
        d.nfilter = list->cValues;
        d.include = (flags & TNEF_PROP_INCLUDE) != 0;
        bool attach_listed = false, recips_listed = false;
        for (ULONG i = 0; i < list->cValues; i++) {
            attach_listed |= PROP_ID(list->aulPropTag[i]) == PROP_ID(PR_MESSAGE_ATTACHMENTS);
            recips_listed |= PROP_ID(list->aulPropTag[i]) == PROP_ID(PR_MESSAGE_RECIPIENTS);
        }
        d.want_attach = d.include ? attach_listed : !attach_listed;
        d.want_recips = d.include ? recips_listed : !recips_listed;
    }
    hr = tn_decode_message(&d);
    tn_dec_clear(&d);
    tn_reader_clear(&r);
    return hr;
}
