/*
 * tnef/tnef_encode.c - Finish and FinishComponent: a message into a TNEF
 * stream ([MS-OXTNEF] 2.1.3, 2.2).
 *
 * The stream: the signature and key; the message's attributes
 * (attTnefVersion, attOemCodepage, attMessageClass, the other down-level
 * attributes, attMAPIProps, attRecipTable); then each attachment's, from
 * attAttachRenddata to attAttachment. Which properties go in is what the
 * AddProps calls queued (TNEF_PROP_INCLUDE/EXCLUDE, for the message, the
 * attachments or one attachment), with the SetProps values in place of the
 * message's. How they go in is the stream's mode: TNEF_BEST_DATA (the
 * default) writes the down-level attributes and puts in attMAPIProps every
 * property besides those the down-level attributes carry whole (a subject
 * the code page can spell, a time with no fraction of a second, ...);
 * TNEF_COMPATIBILITY writes both always; TNEF_PURE only attMAPIProps and
 * attAttachment.
 *
 * Sizes come before data, so everything is measured first: held values
 * exactly, large values by their streams' sizes, an embedded message by
 * encoding it into a spool, the body by converting it into one.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

/* What one encoding run takes from a message. */
typedef struct job {
    IMessage *m;
    bool everything;           /* an embedded message: all of it */
    const tn_rule *rules;
    ULONG nrules;
    const tn_override *over;
    ULONG nover;
    bool recips;
    LPMAPITABLE rtable;
    /* FinishComponent: the properties listed (NULL: all) and custom values */
    const ULONG *only;
    ULONG nonly;
    const SPropValue *custom;
    ULONG ncustom;
    bool component;
} job;

typedef struct want_ctx {
    const job *j;
    bool attach;
    ULONG num;
} want_ctx;

static bool listed(const ULONG *tags, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++) {
        if (PROP_ID(tags[i]) == PROP_ID(tag))
            return true;
    }
    return false;
}

static bool rule_applies(const tn_rule *r, bool attach, ULONG num)
{
    if (r->flags & TNEF_PROP_MESSAGE_ONLY)
        return !attach;
    if (r->flags & TNEF_PROP_ATTACHMENTS_ONLY)
        return attach;
    if (r->flags & (TNEF_PROP_CONTAINED | TNEF_PROP_CONTAINED_TNEF))
        return attach && r->elem == num;
    return true;
}

/* 1: wanted; 0: not; -1: no rule speaks of this component. */
static int rules_want(const job *j, bool attach, ULONG num, ULONG tag)
{
    int answer = -1;
    for (ULONG i = 0; i < j->nrules; i++) {
        const tn_rule *r = &j->rules[i];
        if (!rule_applies(r, attach, num))
            continue;
        bool in = listed(r->tags, r->n, tag);
        if ((r->flags & TNEF_PROP_INCLUDE) ? in : !in)
            return 1;
        answer = 0;
    }
    return answer;
}

static bool want(void *ctx, ULONG tag)
{
    const want_ctx *w = ctx;
    const job *j = w->j;
    if (j->everything)
        return true;
    if (j->component)
        return j->only == NULL || listed(j->only, j->nonly, tag);
    int r = rules_want(j, w->attach, w->num, tag);
    if (r >= 0)
        return r == 1;
    /* an attachment no rule names comes whole when the message's rules take
     * its attachments (PR_MESSAGE_ATTACHMENTS) */
    return w->attach && rules_want(j, false, 0, PR_MESSAGE_ATTACHMENTS) == 1;
}

static bool attachments_wanted(const job *j)
{
    if (j->everything)
        return true;
    if (rules_want(j, false, 0, PR_MESSAGE_ATTACHMENTS) == 1)
        return true;
    for (ULONG i = 0; i < j->nrules; i++) {
        if (j->rules[i].flags & (TNEF_PROP_ATTACHMENTS_ONLY | TNEF_PROP_CONTAINED |
                                 TNEF_PROP_CONTAINED_TNEF))
            return true;
    }
    return false;
}

static bool attachment_wanted(const job *j, ULONG num)
{
    if (j->everything || rules_want(j, false, 0, PR_MESSAGE_ATTACHMENTS) == 1)
        return true;
    for (ULONG i = 0; i < j->nrules; i++) {
        if (rule_applies(&j->rules[i], true, num) &&
            !(j->rules[i].flags & TNEF_PROP_MESSAGE_ONLY) &&
            (j->rules[i].flags & (TNEF_PROP_ATTACHMENTS_ONLY | TNEF_PROP_CONTAINED |
                                  TNEF_PROP_CONTAINED_TNEF)))
            return true;
    }
    return false;
}

/* ---- values ---------------------------------------------------------------------- */
static const SPropValue *held(const tn_propset *ps, ULONG tag)
{
    const tn_prop *p = tn_propset_find(ps, tag);
    if (p == NULL || p->v == NULL || PROP_TYPE(p->v->ulPropTag) != PROP_TYPE(tag))
        return NULL;
    return p->v;
}

static int index_of(const tn_propset *ps, ULONG tag)
{
    for (ULONG i = 0; i < ps->n; i++) {
        if (PROP_ID(ps->p[i].tag) == PROP_ID(tag))
            return (int)i;
    }
    return -1;
}

/* The property is carried whole by its down-level attribute: no need for
 * it in attMAPIProps (TNEF_BEST_DATA). */
static void carried_whole(const tn_encoder *e, const tn_propset *ps, bool *use, ULONG tag)
{
    int i = index_of(ps, tag);
    if (i >= 0 && e->mode == TNEF_BEST_DATA)
        use[i] = false;
}

static void att_bytes(tn_writer *w, BYTE level, ULONG id, const void *p, size_t n)
{
    tn_att_begin(w, level, id, (uint32_t)n);
    tn_put(w, p, n);
    tn_att_end(w);
}

/* A string property in the code page: its attribute; *lossy set. */
static bool att_string(tn_encoder *e, tn_writer *w, BYTE level, ULONG id, const tn_propset *ps,
                       ULONG tag, bool *lossy)
{
    const SPropValue *v = held(ps, CHANGE_PROP_TYPE(tag, PT_UNICODE));
    *lossy = true;
    if (v == NULL)
        return false;
    size_t n = 0;
    char *s = tn_utf16_to_cp(e->cp, v->Value.lpszW, tn_wlen(v->Value.lpszW), &n, lossy);
    if (s == NULL)
        return false;
    att_bytes(w, level, id, s, n);
    fm_free(s);
    return true;
}

static bool att_time(tn_writer *w, BYTE level, ULONG id, const tn_propset *ps, ULONG tag,
                     bool *lossy)
{
    const SPropValue *v = held(ps, tag);
    *lossy = true;
    if (v == NULL)
        return false;
    BYTE dtr[14];
    tn_dtr_from_filetime(v->Value.ft, dtr, lossy);
    att_bytes(w, level, id, dtr, sizeof dtr);
    return true;
}

static bool att_hex(tn_writer *w, ULONG id, const tn_propset *ps, ULONG tag)
{
    const SPropValue *v = held(ps, tag);
    if (v == NULL)
        return false;
    char *hex = tn_hex(v->Value.bin.lpb, v->Value.bin.cb);
    if (hex == NULL)
        return false;
    att_bytes(w, LVL_MESSAGE, id, hex, strlen(hex) + 1);
    fm_free(hex);
    return true;
}

/* "TYPE:address" and the name of one of the address groups, in the code
 * page; NULL when there is no address. */
typedef struct address {
    char *name, *email;
    size_t nlen, elen;
    bool lossy;
} address;

static bool get_address(tn_encoder *e, const tn_propset *ps, ULONG name_tag, ULONG type_tag,
                        ULONG addr_tag, address *a)
{
    memset(a, 0, sizeof *a);
    const SPropValue *nm = held(ps, CHANGE_PROP_TYPE(name_tag, PT_UNICODE));
    const SPropValue *ty = held(ps, CHANGE_PROP_TYPE(type_tag, PT_UNICODE));
    const SPropValue *ad = held(ps, CHANGE_PROP_TYPE(addr_tag, PT_UNICODE));
    if (ad == NULL && nm == NULL)
        return false;
    static const WCHAR EMPTY[1] = { 0 };
    const WCHAR *type = ty ? ty->Value.lpszW : EMPTY;
    const WCHAR *addr = ad ? ad->Value.lpszW : EMPTY;
    size_t tl = tn_wlen(type), al = tn_wlen(addr);
    WCHAR *both = fm_malloc((tl + al + 2) * sizeof(WCHAR));
    if (both == NULL)
        return false;
    memcpy(both, type, tl * sizeof(WCHAR));
    both[tl] = ':';
    memcpy(both + tl + 1, addr, al * sizeof(WCHAR));
    both[tl + 1 + al] = 0;
    bool l1 = false, l2 = false;
    a->name = tn_utf16_to_cp(e->cp, nm ? nm->Value.lpszW : EMPTY,
                             nm ? tn_wlen(nm->Value.lpszW) : 0, &a->nlen, &l1);
    a->email = tn_utf16_to_cp(e->cp, both, tl + al + 1, &a->elen, &l2);
    fm_free(both);
    /* a ':' in the type cannot be told from the separator */
    bool colon = false;
    for (size_t i = 0; i < tl; i++)
        colon |= type[i] == ':';
    a->lossy = l1 || l2 || colon || ty == NULL || ad == NULL || nm == NULL;
    if (a->name == NULL || a->email == NULL) {
        fm_free(a->name);
        fm_free(a->email);
        return false;
    }
    return true;
}

static void address_clear(address *a)
{
    fm_free(a->name);
    fm_free(a->email);
}

/* attFrom: a TRP header, the name, the address, 8 empty bytes. */
static void att_from(tn_writer *w, const address *a)
{
    uint32_t len = (uint32_t)(8 + a->nlen + a->elen + 8);
    tn_att_begin(w, LVL_MESSAGE, attFrom, len);
    tn_put_u16(w, trpidOneOff);
    tn_put_u16(w, (uint16_t)len);
    tn_put_u16(w, (uint16_t)a->nlen);
    tn_put_u16(w, (uint16_t)a->elen);
    tn_put(w, a->name, a->nlen);
    tn_put(w, a->email, a->elen);
    tn_put_zeros(w, 8);
    tn_att_end(w);
}

/* attOwner / attSentFor: counted name, counted address. */
static void att_owner(tn_writer *w, ULONG id, const address *a)
{
    tn_att_begin(w, LVL_MESSAGE, id, (uint32_t)(4 + a->nlen + a->elen));
    tn_put_u16(w, (uint16_t)a->nlen);
    tn_put(w, a->name, a->nlen);
    tn_put_u16(w, (uint16_t)a->elen);
    tn_put(w, a->email, a->elen);
    tn_att_end(w);
}

static void lossless_address(const tn_encoder *e, const tn_propset *ps, bool *use,
                             const address *a, ULONG n, ULONG t, ULONG m)
{
    if (a->lossy)
        return;
    carried_whole(e, ps, use, n);
    carried_whole(e, ps, use, t);
    carried_whole(e, ps, use, m);
}

/* attBody: PR_BODY in the code page, through a spool when it is large. */
static HRESULT att_body(tn_encoder *e, tn_writer *w, const tn_propset *ps, bool *lossy)
{
    const tn_prop *p = tn_propset_find(ps, PR_BODY_W);
    *lossy = true;
    if (p == NULL || PROP_TYPE(p->tag) != PT_UNICODE)
        return S_OK;
    if (p->v != NULL) {
        size_t n = 0;
        char *s = tn_utf16_to_cp(e->cp, p->v->Value.lpszW, tn_wlen(p->v->Value.lpszW), &n,
                                 lossy);
        if (s == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for the body");
        att_bytes(w, LVL_MESSAGE, attBody, s, n);
        fm_free(s);
        return S_OK;
    }
    IStream *spool = NULL;
    HRESULT hr = tn_spool_new(&spool);
    if (hr != S_OK)
        return hr;
    enum { UNITS = 32768 };
    WCHAR *in = fm_malloc((UNITS + 1) * sizeof(WCHAR));
    BYTE *raw = fm_malloc(UNITS * 2);
    if (in == NULL || raw == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for the body");
    tn_stream_rewind(p->embedded);
    *lossy = false;
    size_t carry = 0; /* a high surrogate waiting for its pair */
    while (hr == S_OK) {
        ULONG got = 0;
        hr = IStream_Read(p->embedded, raw, UNITS * 2, &got);
        if (hr != S_OK || got == 0)
            break;
        size_t units = got / 2;
        for (size_t i = 0; i < units; i++)
            memcpy(&in[carry + i], raw + 2 * i, 2); /* native units, as stored */
        units += carry;
        carry = units > 0 && in[units - 1] >= 0xD800 && in[units - 1] < 0xDC00;
        size_t n = 0;
        bool l = false;
        char *s = tn_utf16_to_cp(e->cp, in, units - carry, &n, &l);
        if (s == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for the body");
            break;
        }
        *lossy |= l;
        ULONG wrote = 0;
        hr = IStream_Write(spool, s, (ULONG)(n - 1), &wrote);
        fm_free(s);
        if (carry)
            in[0] = in[units - 1];
    }
    if (hr == S_OK) {
        static const BYTE NUL = 0;
        ULONG wrote = 0;
        *lossy |= carry != 0;
        hr = IStream_Write(spool, &NUL, 1, &wrote);
    }
    fm_free(in);
    fm_free(raw);
    uint64_t size = tn_stream_size(spool);
    if (hr == S_OK && size > 0xFFFFFFF0u)
        hr = fm_error_set(MAPI_E_TOO_BIG, "TNEF: a body over 4 GB");
    if (hr == S_OK) {
        tn_att_begin(w, LVL_MESSAGE, attBody, (uint32_t)size);
        tn_put_stream(w, spool);
        tn_att_end(w);
    }
    IStream_Release(spool);
    return hr;
}

/* ---- the message -------------------------------------------------------------------- */
static HRESULT load_component(tn_encoder *e, const job *j, LPMAPIPROP obj, bool attach,
                              ULONG num, tn_propset *ps)
{
    want_ctx ctx = { j, attach, num };
    HRESULT hr = tn_propset_load(e, obj, NULL, 0, want, &ctx, ps);
    for (ULONG i = 0; hr == S_OK && i < j->nover; i++) {
        const tn_override *o = &j->over[i];
        if (o->attach == attach && (!attach || o->elem == num))
            hr = tn_propset_override(ps, o->n, o->vals);
    }
    if (hr == S_OK && j->custom != NULL) /* FinishComponent: the component's own */
        hr = tn_propset_override(ps, j->ncustom, j->custom);
    return hr;
}

static HRESULT write_recips(tn_encoder *e, tn_writer *w, const job *j);

static HRESULT write_props(tn_encoder *e, tn_writer *w, BYTE level, ULONG id,
                           const tn_propset *ps, const bool *use)
{
    uint64_t size = tn_props_size(e, ps, use);
    if (size > 0xFFFFFFF0u)
        return fm_error_set(MAPI_E_TOO_BIG, "TNEF: properties over 4 GB");
    tn_att_begin(w, level, id, (uint32_t)size);
    tn_props_write(e, w, ps, use);
    tn_att_end(w);
    return tn_writer_flush(w);
}

static bool is_meeting(const char *cls)
{
    return cls != NULL && strncasecmp(cls, "IPM.Schedule.Meeting.", 21) == 0;
}

static HRESULT encode_message(tn_encoder *e, tn_writer *w, const job *j)
{
    tn_propset ps;
    HRESULT hr = load_component(e, j, (LPMAPIPROP)j->m, false, 0, &ps);
    if (hr != S_OK)
        return hr;
    bool *use = fm_calloc(ps.n ? ps.n : 1, sizeof *use);
    if (use == NULL) {
        tn_propset_clear(&ps);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    }
    for (ULONG i = 0; i < ps.n; i++)
        use[i] = true;
    /* attTnefVersion and attOemCodepage open the message's attributes */
    tn_att_begin(w, LVL_MESSAGE, attTnefVersion, 4);
    tn_put_u32(w, TNEF_VERSION);
    tn_att_end(w);
    tn_att_begin(w, LVL_MESSAGE, attOemCodepage, 8);
    tn_put_u32(w, e->cp);
    tn_put_u32(w, 0);
    tn_att_end(w);
    const SPropValue *cls = held(&ps, PR_MESSAGE_CLASS_W);
    char *cls8 = NULL;
    if (cls != NULL) {
        size_t n = 0;
        bool lossy = false;
        cls8 = tn_utf16_to_cp(20127, cls->Value.lpszW, tn_wlen(cls->Value.lpszW), &n, &lossy);
    }
    if (e->mode != TNEF_PURE) {
        bool lossy = false;
        if (cls8 != NULL) {
            const char *legacy = tn_class_to_legacy(cls8);
            att_bytes(w, LVL_MESSAGE, attMessageClass, legacy, strlen(legacy) + 1);
            if (strcmp(tn_class_from_legacy(legacy), cls8) == 0)
                carried_whole(e, &ps, use, PR_MESSAGE_CLASS_W);
        }
        address a;
        if (get_address(e, &ps, PR_SENDER_NAME_W, PR_SENDER_ADDRTYPE_W,
                        PR_SENDER_EMAIL_ADDRESS_W, &a)) {
            att_from(w, &a);
            lossless_address(e, &ps, use, &a, PR_SENDER_NAME_W, PR_SENDER_ADDRTYPE_W,
                             PR_SENDER_EMAIL_ADDRESS_W);
            address_clear(&a);
        }
        if (att_string(e, w, LVL_MESSAGE, attSubject, &ps, PR_SUBJECT_W, &lossy) && !lossy)
            carried_whole(e, &ps, use, PR_SUBJECT_W);
        static const struct {
            ULONG id, tag;
        } TIMES[] = { { attDateSent, PR_CLIENT_SUBMIT_TIME },
                      { attDateRecd, PR_MESSAGE_DELIVERY_TIME },
                      { attDateModified, PR_LAST_MODIFICATION_TIME } };
        for (size_t i = 0; i < sizeof TIMES / sizeof *TIMES; i++) {
            if (att_time(w, LVL_MESSAGE, TIMES[i].id, &ps, TIMES[i].tag, &lossy) && !lossy)
                carried_whole(e, &ps, use, TIMES[i].tag);
        }
        const SPropValue *flags = held(&ps, PR_MESSAGE_FLAGS);
        if (flags != NULL) {
            LONG f = flags->Value.l;
            BYTE status = (BYTE)(((f & MSGFLAG_READ) ? fmsRead : 0) |
                                 ((f & MSGFLAG_UNMODIFIED) ? 0 : fmsModified) |
                                 ((f & MSGFLAG_SUBMIT) ? fmsSubmitted : 0) |
                                 ((f & MSGFLAG_HASATTACH) ? fmsHasAttach : 0) |
                                 ((f & MSGFLAG_UNSENT) ? fmsLocal : 0));
            att_bytes(w, LVL_MESSAGE, attMessageStatus, &status, 1);
        }
        const SPropValue *imp = held(&ps, PR_IMPORTANCE);
        if (imp != NULL) {
            uint16_t prio = imp->Value.l == IMPORTANCE_HIGH  ? prioHigh
                            : imp->Value.l == IMPORTANCE_LOW ? prioLow
                                                             : prioNorm;
            BYTE b[2] = { (BYTE)prio, (BYTE)(prio >> 8) };
            att_bytes(w, LVL_MESSAGE, attPriority, b, 2);
            if (imp->Value.l >= IMPORTANCE_LOW && imp->Value.l <= IMPORTANCE_HIGH)
                carried_whole(e, &ps, use, PR_IMPORTANCE);
        }
        if (att_hex(w, attMessageID, &ps, PR_SEARCH_KEY))
            carried_whole(e, &ps, use, PR_SEARCH_KEY);
        if (att_hex(w, attParentID, &ps, PR_PARENT_KEY))
            carried_whole(e, &ps, use, PR_PARENT_KEY);
        if (att_hex(w, attConversationID, &ps, PR_CONVERSATION_KEY))
            carried_whole(e, &ps, use, PR_CONVERSATION_KEY);
        const SPropValue *orig = held(&ps, PR_ORIG_MESSAGE_CLASS_W);
        if (orig != NULL) {
            size_t n = 0;
            bool l = false;
            char *o8 = tn_utf16_to_cp(20127, orig->Value.lpszW, tn_wlen(orig->Value.lpszW), &n,
                                      &l);
            if (o8 != NULL) {
                const char *legacy = tn_class_to_legacy(o8);
                att_bytes(w, LVL_MESSAGE, attOriginalMessageClass, legacy, strlen(legacy) + 1);
                if (!l && strcmp(tn_class_from_legacy(legacy), o8) == 0)
                    carried_whole(e, &ps, use, PR_ORIG_MESSAGE_CLASS_W);
                fm_free(o8);
            }
        }
        if (is_meeting(cls8)) {
            bool response = strncasecmp(cls8, "IPM.Schedule.Meeting.Resp.", 26) == 0;
            address o;
            bool have = response ? get_address(e, &ps, PR_RCVD_REPRESENTING_NAME_W,
                                               PR_RCVD_REPRESENTING_ADDRTYPE_W,
                                               PR_RCVD_REPRESENTING_EMAIL_ADDRESS_W, &o)
                                 : get_address(e, &ps, PR_SENT_REPRESENTING_NAME_W,
                                               PR_SENT_REPRESENTING_ADDRTYPE_W,
                                               PR_SENT_REPRESENTING_EMAIL_ADDRESS_W, &o);
            if (have) {
                att_owner(w, attOwner, &o);
                address_clear(&o);
            }
            if (get_address(e, &ps, PR_SENT_REPRESENTING_NAME_W,
                            PR_SENT_REPRESENTING_ADDRTYPE_W,
                            PR_SENT_REPRESENTING_EMAIL_ADDRESS_W, &o)) {
                att_owner(w, attSentFor, &o);
                lossless_address(e, &ps, use, &o, PR_SENT_REPRESENTING_NAME_W,
                                 PR_SENT_REPRESENTING_ADDRTYPE_W,
                                 PR_SENT_REPRESENTING_EMAIL_ADDRESS_W);
                address_clear(&o);
            }
            if (att_time(w, LVL_MESSAGE, attDateStart, &ps, PR_START_DATE, &lossy) && !lossy)
                carried_whole(e, &ps, use, PR_START_DATE);
            if (att_time(w, LVL_MESSAGE, attDateEnd, &ps, PR_END_DATE, &lossy) && !lossy)
                carried_whole(e, &ps, use, PR_END_DATE);
            const SPropValue *aid = held(&ps, PR_OWNER_APPT_ID);
            if (aid != NULL) {
                tn_att_begin(w, LVL_MESSAGE, attAidOwner, 4);
                tn_put_u32(w, (uint32_t)aid->Value.l);
                tn_att_end(w);
                carried_whole(e, &ps, use, PR_OWNER_APPT_ID);
            }
            const SPropValue *rr = held(&ps, PR_RESPONSE_REQUESTED);
            if (rr != NULL) {
                BYTE b[2] = { rr->Value.b != 0, 0 };
                att_bytes(w, LVL_MESSAGE, attRequestRes, b, 2);
                carried_whole(e, &ps, use, PR_RESPONSE_REQUESTED);
            }
            const SPropValue *del = held(&ps, PR_RCVD_REPRESENTING_ENTRYID);
            if (del != NULL) {
                att_bytes(w, LVL_MESSAGE, attDelegate, del->Value.bin.lpb, del->Value.bin.cb);
                carried_whole(e, &ps, use, PR_RCVD_REPRESENTING_ENTRYID);
            }
        }
        hr = att_body(e, w, &ps, &lossy);
        if (hr == S_OK && !lossy)
            carried_whole(e, &ps, use, PR_BODY_W);
    }
    fm_free(cls8);
    if (hr == S_OK)
        hr = write_props(e, w, LVL_MESSAGE, attMAPIProps, &ps, use);
    if (hr == S_OK && j->recips)
        hr = write_recips(e, w, j);
    fm_free(use);
    tn_propset_clear(&ps);
    return hr == S_OK ? tn_writer_flush(w) : hr;
}

/* ---- recipients --------------------------------------------------------------------- */
/* One row's values as a property set (8-bit strings made UTF-16). */
static HRESULT row_set(LPSPropValue row, ULONG n, tn_propset *ps, LPSPropValue *copy)
{
    memset(ps, 0, sizeof *ps);
    *copy = NULL;
    SCODE sc = ScDupPropset((int)n, row, MAPIAllocateBuffer, copy);
    if (sc != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a recipient");
    ps->p = fm_calloc(n ? n : 1, sizeof *ps->p);
    if (ps->p == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a recipient");
    for (ULONG i = 0; i < n; i++) {
        LPSPropValue v = &(*copy)[i];
        ULONG type = PROP_TYPE(v->ulPropTag);
        if (type == PT_ERROR || PROP_ID(v->ulPropTag) >= 0x8000 || !tn_type_known(type) ||
            type == PT_OBJECT || type == PT_MV_STRING8)
            continue;
        if (type == PT_STRING8) {
            size_t units = 0;
            WCHAR *w = tn_cp_to_utf16(65001, v->Value.lpszA, strlen(v->Value.lpszA), &units);
            LPWSTR into = NULL;
            if (w == NULL ||
                MAPIAllocateMore((ULONG)((units + 1) * sizeof(WCHAR)), *copy, (void **)&into) !=
                    S_OK) {
                fm_free(w);
                return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for a name");
            }
            memcpy(into, w, (units + 1) * sizeof(WCHAR));
            fm_free(w);
            v->ulPropTag = CHANGE_PROP_TYPE(v->ulPropTag, PT_UNICODE);
            v->Value.lpszW = into;
        }
        ps->p[ps->n].tag = v->ulPropTag;
        ps->p[ps->n].v = v;
        ps->n++;
    }
    return S_OK;
}

static HRESULT write_recips(tn_encoder *e, tn_writer *w, const job *j)
{
    LPMAPITABLE t = j->rtable;
    HRESULT hr = S_OK;
    if (t == NULL) {
        hr = IMessage_GetRecipientTable(j->m, MAPI_UNICODE, &t);
        if (hr != S_OK)
            return fm_error_set(tn_io_status(hr), "TNEF: the recipients could not be read");
    } else {
        IMAPITable_AddRef(t);
        hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    }
    /* the rows go through a spool: the attribute's length comes first */
    IStream *spool = NULL;
    if (hr == S_OK)
        hr = tn_spool_new(&spool);
    tn_writer rw;
    memset(&rw, 0, sizeof rw);
    if (hr == S_OK)
        hr = tn_writer_init(&rw, spool);
    uint32_t rows = 0;
    while (hr == S_OK) {
        LPSRowSet set = NULL;
        hr = IMAPITable_QueryRows(t, 64, 0, &set);
        if (hr != S_OK)
            break;
        ULONG got = set->cRows;
        for (ULONG i = 0; hr == S_OK && i < got; i++) {
            tn_propset ps;
            LPSPropValue copy = NULL;
            hr = row_set(set->aRow[i].lpProps, set->aRow[i].cValues, &ps, &copy);
            if (hr == S_OK) {
                tn_props_write(e, &rw, &ps, NULL);
                rows++;
            }
            fm_free(ps.p);
            MAPIFreeBuffer(copy);
        }
        FreeProws(set);
        if (got == 0)
            break;
    }
    if (hr == S_OK)
        hr = tn_writer_flush(&rw);
    tn_writer_clear(&rw);
    IMAPITable_Release(t);
    if (hr == S_OK) {
        uint64_t size = 4 + tn_stream_size(spool);
        if (size > 0xFFFFFFF0u)
            hr = fm_error_set(MAPI_E_TOO_BIG, "TNEF: a recipient table over 4 GB");
        if (hr == S_OK) {
            tn_att_begin(w, LVL_MESSAGE, attRecipTable, (uint32_t)size);
            tn_put_u32(w, rows);
            tn_put_stream(w, spool);
            tn_att_end(w);
        }
    }
    if (spool != NULL)
        IStream_Release(spool);
    return hr;
}

/* ---- attachments -------------------------------------------------------------------- */
static HRESULT embed(tn_encoder *e, LPATTACH att, tn_propset *ps)
{
    if (e->depth + 1 >= TN_MAX_DEPTH) {
        tn_problem(e->problems, 0, attAttachment, PR_ATTACH_DATA_OBJ, MAPI_E_TOO_COMPLEX);
        return S_OK;
    }
    IMessage *emb = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                      (LPUNKNOWN *)&emb);
    if (hr != S_OK) {
        tn_problem(e->problems, 0, attAttachment, PR_ATTACH_DATA_OBJ, hr);
        return S_OK;
    }
    IStream *spool = NULL;
    hr = tn_spool_new(&spool);
    if (hr == S_OK)
        hr = tn_encode_embedded(e, emb, spool);
    IMessage_Release(emb);
    tn_prop *p = hr == S_OK ? fm_realloc(ps->p, (ps->n + 1) * sizeof *p) : NULL;
    if (hr == S_OK && p == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    if (hr != S_OK) {
        if (spool != NULL)
            IStream_Release(spool);
        return hr;
    }
    ps->p = p;
    memset(&p[ps->n], 0, sizeof *p);
    p[ps->n].tag = PR_ATTACH_DATA_OBJ;
    p[ps->n].embedded = spool;
    p[ps->n].large = tn_stream_size(spool);
    ps->n++;
    return S_OK;
}

/* The data of an OLE attachment: its object's bytes, or its binary data. */
static HRESULT ole_data(LPATTACH att, IStream **out)
{
    *out = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IStream, 0, 0,
                                      (LPUNKNOWN *)out);
    if (hr != S_OK)
        hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                  (LPUNKNOWN *)out);
    return hr;
}

static HRESULT encode_attachment(tn_encoder *e, tn_writer *w, const job *j, ULONG num)
{
    LPATTACH att = NULL;
    HRESULT hr = IMessage_OpenAttach(j->m, num, NULL, 0, &att);
    if (hr != S_OK)
        return fm_error_set(tn_io_status(hr), "TNEF: attachment %lu could not be opened", (unsigned long)num);
    tn_propset ps;
    hr = load_component(e, j, (LPMAPIPROP)att, true, num, &ps);
    if (hr != S_OK) {
        IAttach_Release(att);
        return hr;
    }
    const SPropValue *m = held(&ps, PR_ATTACH_METHOD);
    LONG method = m != NULL ? m->Value.l : (LONG)ATTACH_BY_VALUE;
    if (method == ATTACH_EMBEDDED_MSG)
        hr = embed(e, att, &ps);
    bool *use = hr == S_OK ? fm_calloc(ps.n ? ps.n : 1, sizeof *use) : NULL;
    if (hr == S_OK && use == NULL)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    for (ULONG i = 0; use != NULL && i < ps.n; i++)
        use[i] = true;
    if (hr == S_OK) {
        BYTE rd[TNEF_RENDDATA_SIZE] = { 0 };
        const SPropValue *pos = held(&ps, PR_RENDERING_POSITION);
        uint32_t position = pos != NULL ? (uint32_t)pos->Value.l : 0xFFFFFFFFu;
        uint16_t atyp = method == ATTACH_OLE ? atypOle : atypFile;
        rd[0] = (BYTE)atyp;
        rd[1] = (BYTE)(atyp >> 8);
        for (int k = 0; k < 4; k++)
            rd[2 + k] = (BYTE)(position >> (8 * k));
        att_bytes(w, LVL_ATTACHMENT, attAttachRenddata, rd, sizeof rd);
        if (pos != NULL && e->mode != TNEF_PURE)
            carried_whole(e, &ps, use, PR_RENDERING_POSITION);
        if (e->mode == TNEF_BEST_DATA && (method == ATTACH_BY_VALUE || method == ATTACH_OLE))
            carried_whole(e, &ps, use, PR_ATTACH_METHOD);
    }
    if (hr == S_OK && e->mode != TNEF_PURE) {
        bool lossy = false;
        if (att_string(e, w, LVL_ATTACHMENT, attAttachTitle, &ps, PR_ATTACH_FILENAME_W,
                       &lossy) &&
            !lossy)
            carried_whole(e, &ps, use, PR_ATTACH_FILENAME_W);
        if (att_time(w, LVL_ATTACHMENT, attAttachCreateDate, &ps, PR_CREATION_TIME, &lossy) &&
            !lossy)
            carried_whole(e, &ps, use, PR_CREATION_TIME);
        if (att_time(w, LVL_ATTACHMENT, attAttachModifyDate, &ps, PR_LAST_MODIFICATION_TIME,
                     &lossy) &&
            !lossy)
            carried_whole(e, &ps, use, PR_LAST_MODIFICATION_TIME);
        const SPropValue *meta = held(&ps, PR_ATTACH_RENDERING);
        if (meta != NULL) {
            att_bytes(w, LVL_ATTACHMENT, attAttachMetaFile, meta->Value.bin.lpb,
                      meta->Value.bin.cb);
            carried_whole(e, &ps, use, PR_ATTACH_RENDERING);
        }
        if (att_string(e, w, LVL_ATTACHMENT, attAttachTransportFilename, &ps,
                       PR_ATTACH_TRANSPORT_NAME_W, &lossy) &&
            !lossy)
            carried_whole(e, &ps, use, PR_ATTACH_TRANSPORT_NAME_W);
        /* the data: by value from PR_ATTACH_DATA_BIN, OLE from its object */
        int di = index_of(&ps, PR_ATTACH_DATA_BIN);
        IStream *ole = NULL;
        if (method == ATTACH_OLE && ole_data(att, &ole) == S_OK) {
            uint64_t size = tn_stream_size(ole);
            if (size <= 0xFFFFFFF0u) {
                tn_att_begin(w, LVL_ATTACHMENT, attAttachData, (uint32_t)size);
                tn_put_stream(w, ole);
                tn_att_end(w);
                if (di >= 0)
                    use[di] = false;
            }
            IStream_Release(ole);
        } else if (di >= 0 && method != ATTACH_EMBEDDED_MSG &&
                   PROP_TYPE(ps.p[di].tag) == PT_BINARY) {
            const tn_prop *d = &ps.p[di];
            if (d->v != NULL) {
                att_bytes(w, LVL_ATTACHMENT, attAttachData, d->v->Value.bin.lpb,
                          d->v->Value.bin.cb);
            } else {
                tn_att_begin(w, LVL_ATTACHMENT, attAttachData, (uint32_t)d->large);
                tn_put_stream(w, d->embedded);
                tn_att_end(w);
            }
            use[di] = false; /* carried whole, in every mode but PURE */
        }
    }
    if (hr == S_OK)
        hr = write_props(e, w, LVL_ATTACHMENT, attAttachment, &ps, use);
    fm_free(use);
    tn_propset_clear(&ps);
    IAttach_Release(att);
    return hr;
}

/* The numbers of the message's attachments, in order (fm_free). */
static HRESULT attachment_numbers(IMessage *m, ULONG **nums, ULONG *n)
{
    *nums = NULL;
    *n = 0;
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(m, 0, &t);
    if (hr != S_OK)
        return fm_error_set(tn_io_status(hr), "TNEF: the attachments could not be listed");
    SizedSPropTagArray(1, cols) = { 1, { PR_ATTACH_NUM } };
    SizedSSortOrderSet(1, order) = { 1, 0, 0, { { PR_ATTACH_NUM, TABLE_SORT_ASCEND } } };
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, (LPSSortOrderSet)&order, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return fm_error_set(tn_io_status(hr), "TNEF: the attachments could not be listed");
    *nums = fm_malloc((rows->cRows ? rows->cRows : 1) * sizeof(ULONG));
    if (*nums == NULL) {
        FreeProws(rows);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: out of memory");
    }
    for (ULONG i = 0; i < rows->cRows; i++) {
        if (PROP_TYPE(rows->aRow[i].lpProps[0].ulPropTag) == PT_LONG)
            (*nums)[(*n)++] = (ULONG)rows->aRow[i].lpProps[0].Value.l;
    }
    FreeProws(rows);
    return S_OK;
}

static void header(tn_writer *w, WORD key)
{
    tn_put_u32(w, TNEF_SIGNATURE);
    tn_put_u16(w, key);
}

static HRESULT encode_all(tn_encoder *e, tn_writer *w, const job *j, WORD key)
{
    header(w, key);
    HRESULT hr = encode_message(e, w, j);
    if (hr != S_OK || !attachments_wanted(j))
        return hr;
    ULONG *nums = NULL, n = 0;
    hr = attachment_numbers(j->m, &nums, &n);
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        if (attachment_wanted(j, nums[i]))
            hr = encode_attachment(e, w, j, nums[i]);
        if (hr == S_OK)
            hr = tn_writer_flush(w);
    }
    fm_free(nums);
    return hr;
}

static ULONG mode_of(ULONG flags)
{
    if (flags & TNEF_PURE)
        return TNEF_PURE;
    if (flags & TNEF_COMPATIBILITY)
        return TNEF_COMPATIBILITY;
    return TNEF_BEST_DATA;
}

HRESULT tn_encode_embedded(tn_encoder *e, IMessage *m, IStream *s)
{
    tn_encoder sub = { .t = e->t, .m = m, .mode = e->mode, .cp = tn_message_cp(m),
                       .depth = e->depth + 1, .problems = e->problems };
    job j = { .m = m, .everything = true, .recips = true };
    tn_writer w;
    HRESULT hr = tn_writer_init(&w, s);
    if (hr == S_OK)
        hr = encode_all(&sub, &w, &j, e->t->key);
    if (hr == S_OK)
        hr = tn_writer_flush(&w);
    else
        tn_writer_flush(&w);
    tn_writer_clear(&w);
    return hr;
}

static void top(fm_tnef *t, tn_encoder *e, job *j)
{
    *e = (tn_encoder){ .t = t, .m = t->msg, .mode = mode_of(t->flags), .cp = tn_message_cp(t->msg),
                       .problems = &t->problems };
    *j = (job){ .m = t->msg, .rules = t->rules, .nrules = t->nrules, .over = t->over,
                .nover = t->nover, .recips = t->recips, .rtable = t->rtable };
}

HRESULT tn_finish(fm_tnef *t)
{
    tn_encoder e;
    job j;
    top(t, &e, &j);
    tn_writer w;
    HRESULT hr = tn_writer_init(&w, t->stream);
    if (hr == S_OK && (t->flags & TNEF_COMPONENT_ENCODING)) {
        if (!t->started)
            header(&w, t->key);
    } else if (hr == S_OK) {
        hr = encode_all(&e, &w, &j, t->key);
    }
    HRESULT flushed = tn_writer_flush(&w);
    tn_writer_clear(&w);
    if (hr == S_OK)
        hr = flushed;
    if (hr == S_OK) {
        HRESULT c = IStream_Commit(t->stream, STGC_DEFAULT);
        if (FAILED(c) && c != E_NOTIMPL && c != STG_E_INVALIDFUNCTION)
            hr = fm_error_set(c, "TNEF: the stream could not be committed");
    }
    return hr;
}

HRESULT tn_finish_component(fm_tnef *t, ULONG flags, ULONG id, LPSPropTagArray custom_list,
                            LPSPropValue custom, LPSPropTagArray list)
{
    tn_encoder e;
    job j;
    top(t, &e, &j);
    j.component = true;
    j.only = list != NULL ? list->aulPropTag : NULL;
    j.nonly = list != NULL ? list->cValues : 0;
    j.custom = custom;
    j.ncustom = custom_list != NULL ? custom_list->cValues : 0;
    tn_writer w;
    HRESULT hr = tn_writer_init(&w, t->stream);
    if (hr == S_OK && !t->started) {
        header(&w, t->key);
        t->started = true;
    }
    if (hr == S_OK)
        hr = flags == TNEF_COMPONENT_MESSAGE ? encode_message(&e, &w, &j)
                                             : encode_attachment(&e, &w, &j, id);
    HRESULT flushed = tn_writer_flush(&w);
    tn_writer_clear(&w);
    return hr == S_OK ? flushed : hr;
}
