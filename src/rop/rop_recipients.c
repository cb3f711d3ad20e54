/*
 * rop/rop_recipients.c - the recipient ROPs ([MS-OXCROPS] 2.2.6.4-2.2.6.6,
 * [MS-OXCMSG] 3.2.5.4-3.2.5.6) on the store's IMessage::ModifyRecipients
 * and recipient table: RopRemoveAllRecipients, RopModifyRecipients,
 * RopReadRecipients, and the recipient rows RopOpenMessage returns; with the
 * RecipientRow structure of [MS-OXCDATA] 2.8.3 both ways.
 *
 * A RecipientRow carries the recipient's standard properties in fields of
 * its own, announced by RecipientFlags (2.8.3.1), then a PropertyRow of the
 * first RecipientColumnCount columns of the ROP's RecipientColumns. The
 * fields map onto properties so:
 *   Type SMTP (0x3)          PR_ADDRTYPE "SMTP"
 *   Type X500DN (0x1)        PR_ADDRTYPE "EX", X500DN -> PR_EMAIL_ADDRESS,
 *                            DisplayType -> PR_DISPLAY_TYPE
 *   NoType + O, AddressType  PR_ADDRTYPE (a null-terminated ASCII string)
 *   E EmailAddress           PR_EMAIL_ADDRESS
 *   D DisplayName            PR_DISPLAY_NAME
 *   I SimpleDisplayName      PR_7BIT_DISPLAY_NAME (the 7-bit, printable name)
 *   T TransmittableDisplayName, or S (the same as DisplayName)
 *                            PR_TRANSMITABLE_DISPLAY_NAME
 *   N (no rich text)         PR_SEND_RICH_INFO FALSE
 * The strings are UTF-16LE when U is set; this layer always sends U and
 * takes 8-bit strings only when they are ASCII (the client's code page is
 * not known here). What it cannot represent it refuses with ecNotSupported
 * and fm_error_set text rather than drop: the R flag, AddressPrefixUsed
 * other than 0 (an X500DN abbreviated against a bulk-transfer prefix), the
 * Types MsMail, Fax, ProfessionalOfficeSystem and the two
 * PersonalDistributionList types (whose PR_ADDRTYPE the specifications
 * read here do not name), and RecipientType bits beyond To/Cc/Bcc (the
 * values of [MS-OXCMSG] 2.2.3.1.2 were not found).
 *
 * Row ids: the client names recipients by RowId, and a RowId it has not
 * used yet creates a recipient ([MS-OXCMSG] 3.2.5.5), while the store gives
 * each new row its PR_ROWID itself. A recipient's RowId on the wire is its
 * PR_ROWID, except for the rows a client created through this message
 * object, whose RowId -> PR_ROWID pairs the object keeps (recip_ids).
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "rop/rop_int.h"
#include "rop/rop_props.h"

#define KIND(k) (1u << (k))

/* RecipientFlags ([MS-OXCDATA] 2.8.3.1), as masks of the 16-bit value. */
#define RF_TYPE 0x0007u
#define RF_E 0x0008u
#define RF_D 0x0010u
#define RF_T 0x0020u
#define RF_S 0x0040u
#define RF_R 0x0080u
#define RF_N 0x0100u
#define RF_U 0x0200u
#define RF_I 0x0400u
#define RF_O 0x8000u
#define RT_NOTYPE 0x0u
#define RT_X500DN 0x1u
#define RT_SMTP 0x3u

#define EC_NOT_FOUND 0x8004010Fu
#define EC_BUFFER_TOO_SMALL 0x0000047Du
/* CodePageId of a row whose strings are all UTF-16LE (U set): 1200. */
#define CODEPAGE_UTF16LE 1200

/* The recipient table columns read: the row's id and type, the properties
 * the RecipientRow's own fields carry, then the RecipientColumns sent as
 * RecipientProperties (extra_cols). */
enum { C_ROWID, C_TYPE, C_DISPLAY, C_EMAIL, C_ADDRTYPE, C_TRANSMIT, C_SIMPLE, C_RICH, C_EXTRA };
#define N_EXTRA 6
#define N_COLS (C_EXTRA + N_EXTRA)
static const SizedSPropTagArray(N_COLS, read_cols) = {
    N_COLS,
    {PR_ROWID, PR_RECIPIENT_TYPE, PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W,
     PR_TRANSMITABLE_DISPLAY_NAME_W, PR_7BIT_DISPLAY_NAME_W, PR_SEND_RICH_INFO,
     PR_ENTRYID, PR_SEARCH_KEY, PR_DISPLAY_TYPE, PR_OBJECT_TYPE, PR_RESPONSIBILITY,
     PR_SMTP_ADDRESS_W}};
static const SizedSPropTagArray(N_EXTRA, extra_cols) = {
    N_EXTRA,
    {PR_ENTRYID, PR_SEARCH_KEY, PR_DISPLAY_TYPE, PR_OBJECT_TYPE, PR_RESPONSIBILITY,
     PR_SMTP_ADDRESS_W}};

/* ---- RowId <-> PR_ROWID --------------------------------------------------------- */
typedef struct recip_ids {
    uint32_t *wire;
    ULONG *store;
    size_t n, cap;
} recip_ids;

static void recip_ids_free(void *p)
{
    recip_ids *m = p;

    if (!m)
        return;
    fm_free(m->wire);
    fm_free(m->store);
    fm_free(m);
}

static recip_ids *ids_of(const fm_rop_object *msg)
{
    return msg->state_free == recip_ids_free ? msg->state : NULL;
}

static uint32_t wire_of(const recip_ids *m, ULONG store)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->store[i] == store)
            return m->wire[i];
    return store;
}

static bool is_target(const recip_ids *m, ULONG store)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->store[i] == store)
            return true;
    return false;
}

/* The PR_ROWID RowId `wire` names among rows, if any. */
static bool store_of(const recip_ids *m, const SRowSet *rows, uint32_t wire, ULONG *out)
{
    size_t i;

    for (i = 0; m && i < m->n; i++)
        if (m->wire[i] == wire) {
            *out = m->store[i];
            return true;
        }
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *id = &rows->aRow[i].lpProps[C_ROWID];
        if (id->ulPropTag == PR_ROWID && id->Value.ul == wire && !is_target(m, wire)) {
            *out = wire;
            return true;
        }
    }
    return false;
}

static void ids_drop(recip_ids *m, uint32_t wire)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->wire[i] == wire) {
            m->wire[i] = m->wire[m->n - 1];
            m->store[i] = m->store[m->n - 1];
            m->n--;
            return;
        }
}

static HRESULT ids_add(fm_rop_object *msg, uint32_t wire, ULONG store)
{
    recip_ids *m = ids_of(msg);

    if (!m) {
        if (msg->state) /* a message object holds no other state */
            return fm_error_set(MAPI_E_CALL_FAILED, "message object state in use");
        m = fm_calloc(1, sizeof(*m));
        if (!m)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        msg->state = m;
        msg->state_free = recip_ids_free;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 8;
        uint32_t *w = fm_realloc(m->wire, cap * sizeof(*w));
        ULONG *s;
        if (!w)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        m->wire = w;
        s = fm_realloc(m->store, cap * sizeof(*s));
        if (!s)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        m->store = s;
        m->cap = cap;
    }
    m->wire[m->n] = wire;
    m->store[m->n] = store;
    m->n++;
    return S_OK;
}

/* ---- the recipient table -------------------------------------------------------- */
HRESULT fm_rop_recipients_read(LPMESSAGE msg, LPSRowSet *out)
{
    LPMAPITABLE t = NULL;
    HRESULT hr;

    *out = NULL;
    hr = msg->lpVtbl->GetRecipientTable(msg, MAPI_UNICODE, &t);
    if (SUCCEEDED(hr))
        hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&read_cols, 0);
    if (SUCCEEDED(hr))
        hr = t->lpVtbl->QueryRows(t, 0x7FFFFFFF, 0, out);
    if (t)
        t->lpVtbl->Release(t);
    if (FAILED(hr) && *out) {
        FreeProws(*out);
        *out = NULL;
    }
    return hr;
}

/* ---- encoding a RecipientRow ---------------------------------------------------- */
static const WCHAR *str_of(const SPropValue *v)
{
    return PROP_TYPE(v->ulPropTag) == PT_UNICODE ? v->Value.lpszW : NULL;
}

static bool wstr_ascii(const WCHAR *s)
{
    for (; *s; s++)
        if ((unsigned)*s >= 0x80)
            return false;
    return true;
}

/* Whether s is the ASCII string a, ignoring case. */
static bool wstr_is(const WCHAR *s, const char *a)
{
    for (; *s && *a; s++, a++) {
        unsigned c = (unsigned)*s;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c != (unsigned char)*a)
            return false;
    }
    return !*s && !*a;
}

static bool wstr_eq(const WCHAR *a, const WCHAR *b)
{
    for (; *a && *a == *b; a++, b++)
        ;
    return *a == *b;
}

static void put_ascii(fm_rop_writer *w, const WCHAR *s)
{
    for (; *s; s++)
        fm_rop_put_u8(w, (uint8_t)*s);
    fm_rop_put_u8(w, 0);
}

/* The RecipientRow of one row of read_cols. */
static void put_recipient_row(fm_rop_writer *w, const SPropValue *v)
{
    const WCHAR *disp = str_of(&v[C_DISPLAY]), *email = str_of(&v[C_EMAIL]);
    const WCHAR *atype = str_of(&v[C_ADDRTYPE]), *tx = str_of(&v[C_TRANSMIT]);
    const WCHAR *simple = str_of(&v[C_SIMPLE]);
    const SPropValue *dtype = &v[C_EXTRA + 2];
    bool x500 = atype && email && wstr_is(atype, "EX") && wstr_ascii(email);
    uint16_t flags = RF_U;

    if (x500)
        flags |= RT_X500DN;
    else if (atype && wstr_is(atype, "SMTP"))
        flags |= RT_SMTP;
    else if (atype && wstr_ascii(atype))
        flags |= RF_O; /* NoType: the AddressType field names it */
    if (email && !x500)
        flags |= RF_E;
    if (disp)
        flags |= RF_D;
    if (tx && disp && wstr_eq(tx, disp))
        flags |= RF_S;
    else if (tx)
        flags |= RF_T;
    if (simple)
        flags |= RF_I;
    if (v[C_RICH].ulPropTag == PR_SEND_RICH_INFO && !v[C_RICH].Value.b)
        flags |= RF_N;
    fm_rop_put_u16(w, flags);
    if (x500) {
        fm_rop_put_u8(w, 0); /* AddressPrefixUsed: the whole DN follows */
        fm_rop_put_u8(w, dtype->ulPropTag == PR_DISPLAY_TYPE ? (uint8_t)dtype->Value.l : 0);
        put_ascii(w, email);
    }
    if (flags & RF_O)
        put_ascii(w, atype);
    if (flags & RF_E)
        fm_rop_put_value(w, PR_EMAIL_ADDRESS_W, &v[C_EMAIL]);
    if (flags & RF_D)
        fm_rop_put_value(w, PR_DISPLAY_NAME_W, &v[C_DISPLAY]);
    if (flags & RF_I)
        fm_rop_put_value(w, PR_7BIT_DISPLAY_NAME_W, &v[C_SIMPLE]);
    if (flags & RF_T)
        fm_rop_put_value(w, PR_TRANSMITABLE_DISPLAY_NAME_W, &v[C_TRANSMIT]);
    fm_rop_put_u16(w, N_EXTRA); /* RecipientColumnCount */
    fm_rop_put_row(w, (const SPropTagArray *)&extra_cols, &v[C_EXTRA]);
}

/* [RowId (ReadRecipientRow only)], RecipientType (1), CodePageId (2),
 * Reserved (2), RecipientRowSize (2), RecipientRow: [MS-OXCROPS]
 * 2.2.6.1.2.1 OpenRecipientRow and 2.2.6.6.2.1 ReadRecipientRow. */
static void put_wrapped_row(fm_rop_writer *w, const SPropValue *v, bool with_id, uint32_t wire)
{
    size_t at;

    if (with_id)
        fm_rop_put_u32(w, wire);
    fm_rop_put_u8(w, v[C_TYPE].ulPropTag == PR_RECIPIENT_TYPE ? (uint8_t)(v[C_TYPE].Value.l & 0x0F)
                                                              : 0);
    fm_rop_put_u16(w, CODEPAGE_UTF16LE);
    fm_rop_put_u16(w, 0);
    at = w->len;
    fm_rop_put_u16(w, 0);
    put_recipient_row(w, v);
    fm_rop_patch_u16(w, at, (uint16_t)(w->len - at - 2));
}

void fm_rop_put_open_recipients(fm_rop_call *call, const SRowSet *rows, size_t start)
{
    fm_rop_writer *w = call->resp;
    size_t count_at;
    ULONG i, n = 0;

    fm_rop_put_u16(w, (uint16_t)(rows->cRows > 0xFFFF ? 0xFFFF : rows->cRows));
    if (rows->cRows == 0) {
        fm_rop_put_u16(w, 0); /* ColumnCount */
        fm_rop_put_u8(w, 0);  /* RowCount */
        return;
    }
    fm_rop_put_tag_array(w, (const SPropTagArray *)&extra_cols); /* ColumnCount, RecipientColumns */
    count_at = w->len;
    fm_rop_put_u8(w, 0);
    /* As many rows as fit; the client reads the rest with RopReadRecipients
     * ([MS-OXCMSG] 3.1.5.6: it compares RecipientCount and RowCount). */
    for (i = 0; i < rows->cRows && n < 0xFF; i++) {
        size_t mark = w->len;
        put_wrapped_row(w, rows->aRow[i].lpProps, false, 0);
        if (w->oom)
            return;
        if (w->len - start > call->room) {
            w->len = mark;
            break;
        }
        n++;
    }
    w->buf[count_at] = (uint8_t)n;
}

/* ---- decoding a RecipientRow ---------------------------------------------------- */
static HRESULT get_string(fm_rop_reader *r, ULONG id, bool unicode, void *parent, SPropValue *v,
                          uint32_t *ec)
{
    HRESULT hr = fm_rop_get_value(r, PROP_TAG(unicode ? PT_UNICODE : PT_STRING8, id), parent, v);

    if (SUCCEEDED(hr) && !r->bad && !unicode)
        for (const char *s = v->Value.lpszA; *s; s++)
            if ((unsigned char)*s >= 0x80) {
                *ec = FM_EC_NOT_SUPPORTED;
                return fm_error_set(MAPI_E_NO_SUPPORT,
                                    "RecipientRow: an 8-bit string that is not ASCII (the "
                                    "client's code page is not known here); send it as Unicode");
            }
    return hr;
}

static uint32_t refuse(const char *what)
{
    fm_error_set(MAPI_E_NO_SUPPORT, "RecipientRow: %s is not supported", what);
    return FM_EC_NOT_SUPPORTED;
}

/* Puts v at the end of vals, or over a value of the same property id. */
static void set_prop(SPropValue *vals, ULONG *n, const SPropValue *v)
{
    for (ULONG i = 0; i < *n; i++)
        if (PROP_ID(vals[i].ulPropTag) == PROP_ID(v->ulPropTag)) {
            vals[i] = *v;
            return;
        }
    vals[(*n)++] = *v;
}

/* The standard fields of a RecipientRow after its flags. */
static HRESULT get_fields(fm_rop_reader *r, uint16_t flags, SPropValue *vals, ULONG *n,
                          uint32_t *ec)
{
    static const struct { uint16_t flag; ULONG id; } strs[] = {
        {RF_E, PROP_ID(PR_EMAIL_ADDRESS_W)},
        {RF_D, PROP_ID(PR_DISPLAY_NAME_W)},
        {RF_I, PROP_ID(PR_7BIT_DISPLAY_NAME_W)},
        {RF_T, PROP_ID(PR_TRANSMITABLE_DISPLAY_NAME_W)},
    };
    unsigned type = flags & RF_TYPE;
    bool unicode = (flags & RF_U) != 0;
    SPropValue v;
    HRESULT hr;
    size_t i;

    if (type == RT_X500DN) {
        uint8_t prefix = fm_rop_get_u8(r), dtype = fm_rop_get_u8(r);
        if (prefix != 0) {
            *ec = refuse("an X500DN abbreviated by AddressPrefixUsed");
            return S_OK;
        }
        hr = fm_rop_get_value(r, PR_EMAIL_ADDRESS_A, vals, &v);
        if (FAILED(hr) || r->bad)
            return hr;
        set_prop(vals, n, &v);
        v.ulPropTag = PR_ADDRTYPE_A;
        v.Value.lpszA = (LPSTR) "EX";
        set_prop(vals, n, &v);
        v.ulPropTag = PR_DISPLAY_TYPE;
        v.Value.l = dtype;
        set_prop(vals, n, &v);
    } else if (type == RT_SMTP) {
        v.ulPropTag = PR_ADDRTYPE_A;
        v.Value.lpszA = (LPSTR) "SMTP";
        set_prop(vals, n, &v);
    } else if (type != RT_NOTYPE) {
        *ec = refuse("this address Type (MsMail, Fax, PROFS or a personal distribution list)");
        return S_OK;
    } else if (flags & RF_O) {
        hr = get_string(r, PROP_ID(PR_ADDRTYPE_A), false, vals, &v, ec);
        if (FAILED(hr) || r->bad || *ec)
            return hr;
        set_prop(vals, n, &v);
    }
    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        if (!(flags & strs[i].flag))
            continue;
        hr = get_string(r, strs[i].id, unicode, vals, &v, ec);
        if (FAILED(hr) || r->bad || *ec)
            return hr;
        set_prop(vals, n, &v);
        if (strs[i].flag == RF_D && (flags & RF_S) && !(flags & RF_T)) {
            v.ulPropTag = PROP_TAG(PROP_TYPE(v.ulPropTag), PROP_ID(PR_TRANSMITABLE_DISPLAY_NAME_W));
            set_prop(vals, n, &v);
        }
    }
    if (flags & RF_N) {
        v.ulPropTag = PR_SEND_RICH_INFO;
        v.Value.b = FALSE;
        set_prop(vals, n, &v);
    }
    return S_OK;
}

/*
 * One RecipientRow (the whole of r) of a recipient of RecipientType rtype,
 * with RecipientColumns cols, into *out (one MAPI buffer, *count values,
 * one slot spare for PR_ROWID). *ec is set (0 otherwise) for a row this
 * layer refuses; r bad for a malformed one.
 */
static HRESULT get_recipient_row(fm_rop_reader *r, const ULONG *cols, uint16_t ncols,
                                 uint8_t rtype, LPSPropValue *out, ULONG *count, uint32_t *ec)
{
    uint16_t flags = fm_rop_get_u16(r), ncol;
    LPSPropValue vals = NULL, row = NULL;
    ULONG n = 0, i;
    SPropValue v;
    HRESULT hr;

    *out = NULL;
    *count = 0;
    *ec = 0;
    if (r->bad)
        return S_OK;
    if (flags & RF_R) {
        *ec = refuse("the R flag (another transport responsible for delivery)");
        return S_OK;
    }
    if (rtype & 0xF0 || (rtype & 0x0F) > 3) {
        *ec = refuse("a RecipientType other than 0-3");
        return S_OK;
    }
    hr = MAPIAllocateBuffer((ULONG)((12u + ncols) * sizeof(SPropValue)), (void **)&vals);
    if (FAILED(hr))
        return hr;
    v.ulPropTag = PR_RECIPIENT_TYPE;
    v.Value.l = rtype;
    set_prop(vals, &n, &v);
    hr = get_fields(r, flags, vals, &n, ec);
    if (FAILED(hr) || r->bad || *ec)
        goto cleanup;
    ncol = fm_rop_get_u16(r); /* RecipientColumnCount: the first ncol of cols */
    if (r->bad || ncol > ncols) {
        r->bad = true;
        goto cleanup;
    }
    hr = MAPIAllocateMore((ULONG)((ncol ? ncol : 1u) * sizeof(SPropValue)), vals, (void **)&row);
    if (FAILED(hr))
        goto cleanup;
    memset(row, 0, (ncol ? ncol : 1u) * sizeof(SPropValue));
    hr = fm_rop_get_row(r, cols, ncol, vals, row);
    if (FAILED(hr) || r->bad)
        goto cleanup;
    if (fm_rop_reader_left(r) != 0) { /* RecipientRowSize says more than the row holds */
        r->bad = true;
        goto cleanup;
    }
    for (i = 0; i < ncol; i++)
        if (PROP_TYPE(row[i].ulPropTag) != PT_ERROR && PROP_ID(row[i].ulPropTag) !=
                                                             PROP_ID(PR_ROWID))
            set_prop(vals, &n, &row[i]);
    *out = vals;
    *count = n;
    vals = NULL;
cleanup:
    MAPIFreeBuffer(vals);
    return hr;
}

/* ---- the ROPs ------------------------------------------------------------------- */
static void put_result(fm_rop_call *call, uint32_t ec)
{
    fm_rop_put_failure(call, call->input_index, ec); /* RopId, InputHandleIndex, ReturnValue */
}

/* [MS-OXCROPS] 2.2.6.4.1: RopId 0x0D, LogonId, InputHandleIndex, Reserved
 * (4). Response 2.2.6.4.2: RopId, InputHandleIndex, ReturnValue. */
HRESULT fm_rop_remove_all_recipients(fm_rop_call *call)
{
    SizedADRLIST(1, none) = {0, {{0, 0, NULL}}};
    fm_rop_object *obj;
    recip_ids *m;
    uint32_t ec;
    HRESULT hr;

    (void)fm_rop_get_u32(call->req);
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_MESSAGE), &ec);
    if (!obj) {
        put_result(call, ec);
        return S_OK;
    }
    hr = ((LPMESSAGE)obj->unk)->lpVtbl->ModifyRecipients((LPMESSAGE)obj->unk, 0,
                                                          (LPADRLIST)&none);
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        return hr;
    if (SUCCEEDED(hr) && (m = ids_of(obj)) != NULL)
        m->n = 0;
    put_result(call, fm_rop_ec(hr));
    return S_OK;
}

typedef struct mod_row {
    uint32_t wire;
    ULONG n;
    LPSPropValue props; /* NULL: remove the recipient (RecipientRowSize 0) */
} mod_row;

/* The highest PR_ROWID among rows: the row ModifyRecipients(MODRECIP_ADD)
 * just made (the store numbers new rows upward). */
static ULONG newest_row(const SRowSet *rows)
{
    ULONG best = 0;

    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *id = &rows->aRow[i].lpProps[C_ROWID];
        if (id->ulPropTag == PR_ROWID && id->Value.ul > best)
            best = id->Value.ul;
    }
    return best;
}

/* One ModifyRecipientRow applied ([MS-OXCMSG] 3.2.5.5). */
static HRESULT apply_row(fm_rop_object *obj, mod_row *row)
{
    LPMESSAGE msg = (LPMESSAGE)obj->unk;
    SizedADRLIST(1, list) = {1, {{0, 0, NULL}}};
    SPropValue rowid = {PR_ROWID, 0, {0}};
    LPSRowSet rows = NULL;
    ULONG sid = 0, flags;
    bool found;
    HRESULT hr;

    hr = fm_rop_recipients_read(msg, &rows);
    if (FAILED(hr))
        return hr;
    found = store_of(ids_of(obj), rows, row->wire, &sid);
    FreeProws(rows);
    rows = NULL;
    rowid.Value.ul = sid;
    if (!row->props) {
        if (!found) /* nothing to delete */
            return S_OK;
        list.aEntries[0].cValues = 1;
        list.aEntries[0].rgPropVals = &rowid;
        flags = MODRECIP_REMOVE;
    } else {
        list.aEntries[0].cValues = row->n;
        list.aEntries[0].rgPropVals = row->props;
        if (found)
            row->props[list.aEntries[0].cValues++] = rowid;
        flags = found ? MODRECIP_MODIFY : MODRECIP_ADD;
    }
    hr = msg->lpVtbl->ModifyRecipients(msg, flags, (LPADRLIST)&list);
    if (FAILED(hr))
        return hr;
    if (flags == MODRECIP_REMOVE)
        ids_drop(ids_of(obj), row->wire);
    if (flags != MODRECIP_ADD)
        return S_OK;
    hr = fm_rop_recipients_read(msg, &rows);
    if (SUCCEEDED(hr)) {
        sid = newest_row(rows);
        if (sid != row->wire || is_target(ids_of(obj), sid))
            hr = ids_add(obj, row->wire, sid);
    }
    FreeProws(rows);
    return hr;
}

/* [MS-OXCROPS] 2.2.6.5.1: RopId 0x0E, LogonId, InputHandleIndex,
 * ColumnCount (2), RecipientColumns (PropertyTags), RowCount (2),
 * RecipientRows: ModifyRecipientRow (2.2.6.5.1.1) = RowId (4),
 * RecipientType (1), RecipientRowSize (2), RecipientRow (absent when the
 * size is 0: the recipient is deleted). Response 2.2.6.5.2: RopId,
 * InputHandleIndex, ReturnValue. Every row is decoded before any is
 * applied, so a row refused leaves the recipients as they were. */
HRESULT fm_rop_modify_recipients(fm_rop_call *call)
{
    fm_rop_reader *r = call->req;
    uint16_t ncols = fm_rop_get_u16(r), nrows = 0, i;
    ULONG *cols = NULL;
    mod_row *rows = NULL;
    fm_rop_object *obj;
    uint32_t ec = 0;
    HRESULT hr = S_OK;

    if (r->bad || (size_t)ncols * 4 > fm_rop_reader_left(r))
        return MAPI_E_CORRUPT_DATA;
    cols = fm_malloc(((size_t)ncols + 1) * sizeof(*cols));
    if (!cols)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = 0; i < ncols; i++)
        cols[i] = fm_rop_get_u32(r);
    nrows = fm_rop_get_u16(r);
    if (r->bad || (size_t)nrows * 7 > fm_rop_reader_left(r)) {
        hr = MAPI_E_CORRUPT_DATA;
        goto cleanup;
    }
    rows = fm_calloc((size_t)nrows + 1, sizeof(*rows));
    if (!rows) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    for (i = 0; i < nrows; i++) {
        uint8_t rtype;
        uint16_t size;
        const uint8_t *p;
        fm_rop_reader sub;

        rows[i].wire = fm_rop_get_u32(r);
        rtype = fm_rop_get_u8(r);
        size = fm_rop_get_u16(r);
        p = fm_rop_get_bytes(r, size);
        if (r->bad) {
            hr = MAPI_E_CORRUPT_DATA;
            goto cleanup;
        }
        if (size == 0 || ec != 0)
            continue;
        fm_rop_reader_init(&sub, p, size);
        hr = get_recipient_row(&sub, cols, ncols, rtype, &rows[i].props, &rows[i].n, &ec);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY || hr == MAPI_E_CORRUPT_DATA)
            goto cleanup;
        if (FAILED(hr)) { /* a row refused (ecNotSupported...): this ROP fails, not the request */
            ec = fm_rop_ec(hr);
            hr = S_OK;
            continue;
        }
        if (sub.bad) {
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "RopModifyRecipients: RecipientRow %u is "
                                                   "malformed", (unsigned)i);
            goto cleanup;
        }
    }
    {
        uint32_t in_ec;
        obj = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_MESSAGE), &in_ec);
        if (!obj)
            ec = in_ec;
    }
    for (i = 0; ec == 0 && i < nrows; i++) {
        hr = apply_row(obj, &rows[i]);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            goto cleanup;
        ec = fm_rop_ec(hr);
        hr = S_OK;
    }
    put_result(call, ec);
cleanup:
    for (i = 0; rows && i < nrows; i++)
        MAPIFreeBuffer(rows[i].props);
    fm_free(rows);
    fm_free(cols);
    return hr;
}

/* Row order of a ReadRecipients answer: by RowId, as the client asks for
 * the rest from the next RowId ([MS-OXCMSG] 3.1.5.6). */
typedef struct wire_row {
    uint32_t wire;
    const SRow *row;
} wire_row;

static int wire_cmp(const void *a, const void *b)
{
    uint32_t x = ((const wire_row *)a)->wire, y = ((const wire_row *)b)->wire;
    return x < y ? -1 : x > y;
}

/* [MS-OXCROPS] 2.2.6.6.1: RopId 0x0F, LogonId, InputHandleIndex, RowId
 * (4), Reserved (2). Response 2.2.6.6.2: RopId, InputHandleIndex,
 * ReturnValue, RowCount (1), RecipientRows (ReadRecipientRow). From the
 * recipient RowId names (RowId 0: from the first), as many as fit
 * ([MS-OXCMSG] 3.2.5.6): ecNotFound when there is none, ecBufferTooSmall
 * when not even one fits. */
HRESULT fm_rop_read_recipients(fm_rop_call *call)
{
    fm_rop_writer *w = call->resp;
    uint32_t from = fm_rop_get_u32(call->req), ec;
    size_t start = w->len, count_at, k, first;
    LPSRowSet rows = NULL;
    wire_row *order = NULL;
    fm_rop_object *obj;
    ULONG i, n = 0;
    HRESULT hr;

    (void)fm_rop_get_u16(call->req); /* Reserved */
    if (call->req->bad)
        return MAPI_E_CORRUPT_DATA;
    obj = fm_rop_input(call, call->input_index, KIND(FM_ROP_OBJ_MESSAGE), &ec);
    if (!obj) {
        put_result(call, ec);
        return S_OK;
    }
    hr = fm_rop_recipients_read((LPMESSAGE)obj->unk, &rows);
    if (FAILED(hr)) {
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        put_result(call, fm_rop_ec(hr));
        return S_OK;
    }
    order = fm_malloc((rows->cRows + 1) * sizeof(*order));
    if (!order) {
        FreeProws(rows);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < rows->cRows; i++) {
        const SPropValue *id = &rows->aRow[i].lpProps[C_ROWID];
        order[i].wire = wire_of(ids_of(obj), id->ulPropTag == PR_ROWID ? id->Value.ul : 0);
        order[i].row = &rows->aRow[i];
    }
    qsort(order, rows->cRows, sizeof(*order), wire_cmp);
    for (first = 0; first < rows->cRows && from != 0 && order[first].wire != from; first++)
        ;
    if (first >= rows->cRows) {
        fm_error_set(MAPI_E_NOT_FOUND, "RopReadRecipients: no recipient with RowId %lu",
                     (unsigned long)from);
        put_result(call, EC_NOT_FOUND);
        goto cleanup;
    }
    put_result(call, 0);
    count_at = w->len;
    fm_rop_put_u8(w, 0);
    for (k = first; k < rows->cRows && n < 0xFF; k++) {
        size_t mark = w->len;
        put_wrapped_row(w, order[k].row->lpProps, true, order[k].wire);
        if (w->oom)
            goto cleanup;
        if (w->len - start > call->room) {
            w->len = mark;
            break;
        }
        n++;
    }
    if (n == 0) {
        w->len = start;
        put_result(call, EC_BUFFER_TOO_SMALL);
    } else {
        w->buf[count_at] = (uint8_t)n;
    }
cleanup:
    fm_free(order);
    FreeProws(rows);
    return S_OK;
}
