/*
 * mime/import_headers.c - the envelope of an Internet message as MAPI
 * properties: subject (with prefix and normalized subject), originator and
 * sender, recipients, times, identifiers, importance, and the header block
 * verbatim in PR_TRANSPORT_MESSAGE_HEADERS.
 *
 * GMime decodes RFC 2047 words and 8-bit header text (trying UTF-8, then
 * its fallback charsets) into UTF-8; values are stored as PT_UNICODE.
 */
#include <ctype.h>
#include <string.h>

#include "mime/mime.h"

/* ---- subject --------------------------------------------------------------- */
/* [MS-OXCMSG]: a prefix is one to three characters, not digits or spaces,
 * followed by ": " ("RE: ", "FW: ", "AW: "). */
static size_t subject_prefix_len(const char *s)
{
    size_t chars = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && *p != ':' && chars < 4) {
        if (isspace(*p) || isdigit(*p))
            return 0;
        /* Count UTF-8 characters, not bytes. */
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        chars++;
    }
    if (chars < 1 || chars > 3 || p[0] != ':' || p[1] != ' ')
        return 0;
    return (size_t)((const char *)p - s) + 2;
}

static HRESULT set_subject(LPMAPIPROP obj, const char *subject)
{
    size_t plen = subject_prefix_len(subject);
    char prefix[32] = "";
    if (plen > 0 && plen < sizeof prefix) {
        memcpy(prefix, subject, plen);
        prefix[plen] = '\0';
    } else {
        plen = 0;
    }
    HRESULT hr = fm_mime_set_string(obj, PR_SUBJECT_W, subject);
    if (hr == S_OK)
        hr = fm_mime_set_string(obj, PR_SUBJECT_PREFIX_W, prefix);
    if (hr == S_OK)
        hr = fm_mime_set_string(obj, PR_NORMALIZED_SUBJECT_W, subject + plen);
    return hr;
}

/* ---- addresses --------------------------------------------------------------- */
/* The first mailbox of a list, looking inside groups. */
static InternetAddressMailbox *first_mailbox(InternetAddressList *list)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            return (InternetAddressMailbox *)a;
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            InternetAddressMailbox *m =
                first_mailbox(internet_address_group_get_members((InternetAddressGroup *)a));
            if (m != NULL)
                return m;
        }
    }
    return NULL;
}

/* A MAPI search key: "SMTP:" + upper-case address + NUL ([MS-OXCMSG]). */
static HRESULT search_key(const char *addr, void *parent, SBinary *out)
{
    size_t n = strlen(addr);
    BYTE *key = NULL;
    if (MAPIAllocateMore((ULONG)(n + 6), parent, (void **)&key) != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a search key");
    memcpy(key, "SMTP:", 5);
    for (size_t i = 0; i < n; i++)
        key[5 + i] = (BYTE)toupper((unsigned char)addr[i]);
    key[5 + n] = 0;
    out->cb = (ULONG)(n + 6);
    out->lpb = key;
    return S_OK;
}

/* Sets the five properties of an originator (sender or sent-representing). */
static HRESULT set_person(LPMAPIPROP obj, InternetAddressMailbox *mb, ULONG name_tag,
                          ULONG email_tag, ULONG type_tag, ULONG key_tag)
{
    const char *addr = internet_address_mailbox_get_addr(mb);
    const char *name = internet_address_get_name((InternetAddress *)mb);
    if (addr == NULL)
        addr = "";
    if (name == NULL || name[0] == '\0')
        name = addr;
    SPropValue *v = NULL;
    if (MAPIAllocateBuffer(4 * sizeof *v, (void **)&v) != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for an originator");
    HRESULT hr;
    v[0].ulPropTag = CHANGE_PROP_TYPE(name_tag, PT_UNICODE);
    v[1].ulPropTag = CHANGE_PROP_TYPE(email_tag, PT_UNICODE);
    v[2].ulPropTag = CHANGE_PROP_TYPE(type_tag, PT_UNICODE);
    v[3].ulPropTag = key_tag;
    if ((hr = fm_mime_utf16(name, strlen(name), v, &v[0].Value.lpszW)) == S_OK &&
        (hr = fm_mime_utf16(addr, strlen(addr), v, &v[1].Value.lpszW)) == S_OK &&
        (hr = fm_mime_utf16("SMTP", 4, v, &v[2].Value.lpszW)) == S_OK &&
        (hr = search_key(addr, v, &v[3].Value.bin)) == S_OK) {
        LPSPropProblemArray problems = NULL;
        hr = obj->lpVtbl->SetProps(obj, 4, v, &problems);
        MAPIFreeBuffer(problems);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "setting the originator");
    }
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT set_originators(GMimeMessage *msg, LPMAPIPROP obj)
{
    InternetAddressMailbox *from = first_mailbox(g_mime_message_get_from(msg));
    InternetAddressMailbox *sender = first_mailbox(g_mime_message_get_sender(msg));
    HRESULT hr = S_OK;
    if (sender == NULL)
        sender = from;
    if (from != NULL)
        hr = set_person(obj, from, PR_SENT_REPRESENTING_NAME_W,
                        PR_SENT_REPRESENTING_EMAIL_ADDRESS_W, PR_SENT_REPRESENTING_ADDRTYPE_W,
                        PR_SENT_REPRESENTING_SEARCH_KEY);
    if (hr == S_OK && sender != NULL)
        hr = set_person(obj, sender, PR_SENDER_NAME_W, PR_SENDER_EMAIL_ADDRESS_W,
                        PR_SENDER_ADDRTYPE_W, PR_SENDER_SEARCH_KEY);
    return hr;
}

/* ---- recipients ---------------------------------------------------------------- */
#define RECIP_PROPS 6

/* Counts the mailboxes of a list, groups flattened. */
static ULONG count_mailboxes(InternetAddressList *list)
{
    ULONG n = 0;
    int len = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < len; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            n++;
        else if (INTERNET_ADDRESS_IS_GROUP(a))
            n += count_mailboxes(internet_address_group_get_members((InternetAddressGroup *)a));
    }
    return n;
}

static HRESULT fill_row(ADRENTRY *row, InternetAddressMailbox *mb, ULONG type)
{
    SPropValue *v = NULL;
    if (MAPIAllocateBuffer(RECIP_PROPS * sizeof *v, (void **)&v) != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for a recipient");
    row->rgPropVals = v;
    row->cValues = RECIP_PROPS;
    const char *addr = internet_address_mailbox_get_addr(mb);
    const char *name = internet_address_get_name((InternetAddress *)mb);
    if (addr == NULL)
        addr = "";
    if (name == NULL || name[0] == '\0')
        name = addr;
    HRESULT hr;
    v[0].ulPropTag = PR_DISPLAY_NAME_W;
    v[1].ulPropTag = PR_EMAIL_ADDRESS_W;
    v[2].ulPropTag = PR_ADDRTYPE_W;
    v[3].ulPropTag = PR_SMTP_ADDRESS_W;
    v[4].ulPropTag = PR_RECIPIENT_TYPE;
    v[4].Value.l = (LONG)type;
    v[5].ulPropTag = PR_SEARCH_KEY;
    if ((hr = fm_mime_utf16(name, strlen(name), v, &v[0].Value.lpszW)) != S_OK ||
        (hr = fm_mime_utf16(addr, strlen(addr), v, &v[1].Value.lpszW)) != S_OK ||
        (hr = fm_mime_utf16("SMTP", 4, v, &v[2].Value.lpszW)) != S_OK ||
        (hr = fm_mime_utf16(addr, strlen(addr), v, &v[3].Value.lpszW)) != S_OK)
        return hr;
    return search_key(addr, v, &v[5].Value.bin);
}

static HRESULT fill_rows(ADRLIST *al, InternetAddressList *list, ULONG type)
{
    int len = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < len; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        HRESULT hr = S_OK;
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            hr = fill_row(&al->aEntries[al->cEntries++], (InternetAddressMailbox *)a, type);
        else if (INTERNET_ADDRESS_IS_GROUP(a))
            hr = fill_rows(al, internet_address_group_get_members((InternetAddressGroup *)a),
                           type);
        if (hr != S_OK)
            return hr;
    }
    return S_OK;
}

static HRESULT set_recipients(GMimeMessage *msg, LPMESSAGE m, ULONG flags)
{
    InternetAddressList *to = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO);
    InternetAddressList *cc = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC);
    InternetAddressList *bcc = (flags & CCSF_INCLUDE_BCC)
                                   ? g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_BCC)
                                   : NULL;
    ULONG n = count_mailboxes(to) + count_mailboxes(cc) + count_mailboxes(bcc);
    if (n == 0)
        return S_OK;
    ADRLIST *al = NULL;
    if (MAPIAllocateBuffer(CbNewADRLIST(n), (void **)&al) != S_OK)
        return fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory for the recipients");
    memset(al, 0, CbNewADRLIST(n));
    HRESULT hr = fill_rows(al, to, MAPI_TO);
    if (hr == S_OK)
        hr = fill_rows(al, cc, MAPI_CC);
    if (hr == S_OK)
        hr = fill_rows(al, bcc, MAPI_BCC);
    if (hr == S_OK) {
        hr = IMessage_ModifyRecipients(m, MODRECIP_ADD, al);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "adding the recipients");
    }
    for (ULONG i = 0; i < al->cEntries; i++)
        MAPIFreeBuffer(al->aEntries[i].rgPropVals);
    MAPIFreeBuffer(al);
    return hr;
}

/* ---- times, identifiers, importance ------------------------------------------- */
static HRESULT set_time(LPMAPIPROP obj, ULONG tag, GDateTime *dt)
{
    if (dt == NULL)
        return S_OK;
    SPropValue v = { .ulPropTag = tag };
    v.Value.ft = fm_mime_filetime(g_date_time_to_unix(dt));
    return fm_mime_set(obj, &v);
}

/* The date of the newest (topmost) Received header: the text after its
 * last ';'. */
static HRESULT set_delivery_time(GMimeMessage *msg, LPMAPIPROP obj)
{
    const char *received = g_mime_object_get_header((GMimeObject *)msg, "Received");
    const char *semi = received ? strrchr(received, ';') : NULL;
    if (semi == NULL)
        return S_OK;
    GDateTime *dt = g_mime_utils_header_decode_date(semi + 1);
    HRESULT hr = set_time(obj, PR_MESSAGE_DELIVERY_TIME, dt);
    if (dt != NULL)
        g_date_time_unref(dt);
    return hr;
}

static HRESULT set_header_string(GMimeMessage *msg, LPMAPIPROP obj, const char *name, ULONG tag)
{
    const char *value = g_mime_object_get_header((GMimeObject *)msg, name);
    if (value == NULL)
        return S_OK;
    while (*value == ' ' || *value == '\t')
        value++;
    return fm_mime_set_string(obj, tag, value);
}

/* Importance (RFC 2156 "low"/"normal"/"high") or else X-Priority 1-5. */
static HRESULT set_importance(GMimeMessage *msg, LPMAPIPROP obj)
{
    const char *imp = g_mime_object_get_header((GMimeObject *)msg, "Importance");
    const char *xp = g_mime_object_get_header((GMimeObject *)msg, "X-Priority");
    LONG importance = -1;
    if (imp != NULL) {
        while (*imp == ' ')
            imp++;
        if (g_ascii_strncasecmp(imp, "high", 4) == 0)
            importance = IMPORTANCE_HIGH;
        else if (g_ascii_strncasecmp(imp, "low", 3) == 0)
            importance = IMPORTANCE_LOW;
        else if (g_ascii_strncasecmp(imp, "normal", 6) == 0)
            importance = IMPORTANCE_NORMAL;
    }
    if (importance < 0 && xp != NULL) {
        while (*xp == ' ')
            xp++;
        if (*xp == '1' || *xp == '2')
            importance = IMPORTANCE_HIGH;
        else if (*xp == '4' || *xp == '5')
            importance = IMPORTANCE_LOW;
        else if (*xp == '3')
            importance = IMPORTANCE_NORMAL;
    }
    if (importance < 0)
        return S_OK;
    SPropValue v[2] = { { .ulPropTag = PR_IMPORTANCE, .Value.l = importance },
                        { .ulPropTag = PR_PRIORITY,
                          .Value.l = importance == IMPORTANCE_HIGH  ? PRIO_URGENT
                                     : importance == IMPORTANCE_LOW ? PRIO_NONURGENT
                                                                    : PRIO_NORMAL } };
    HRESULT hr = fm_mime_set(obj, &v[0]);
    return hr == S_OK ? fm_mime_set(obj, &v[1]) : hr;
}

/* ---- the header block -------------------------------------------------------- */
/* Appends raw header text: UTF-8 kept, other 8-bit bytes read as Latin-1;
 * bare LF made CRLF. */
static void append_raw(GString *out, const char *s)
{
    bool utf8 = g_utf8_validate(s, -1, NULL);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n' && (p == (const unsigned char *)s || p[-1] != '\r'))
            g_string_append_c(out, '\r');
        if (*p >= 0x80 && !utf8)
            g_string_append_unichar(out, *p);
        else
            g_string_append_c(out, (char)*p);
    }
}

/* GMime keeps the message's headers and its top part's (Content-*) in two
 * lists; the header block interleaves them as they came, by offset. */
static gint by_offset(gconstpointer a, gconstpointer b)
{
    gint64 x = g_mime_header_get_offset(*(GMimeHeader *const *)a);
    gint64 y = g_mime_header_get_offset(*(GMimeHeader *const *)b);
    return x < y ? -1 : x > y;
}

static void add_headers(GPtrArray *all, GMimeObject *obj)
{
    GMimeHeaderList *list = obj ? g_mime_object_get_header_list(obj) : NULL;
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++)
        g_ptr_array_add(all, g_mime_header_list_get_header_at(list, i));
}

static HRESULT set_transport_headers(GMimeMessage *msg, LPMAPIPROP obj)
{
    GPtrArray *all = g_ptr_array_new();
    add_headers(all, (GMimeObject *)msg);
    add_headers(all, g_mime_message_get_mime_part(msg));
    g_ptr_array_sort(all, by_offset);
    HRESULT hr = S_OK;
    if (all->len > 0) {
        GString *block = g_string_sized_new(1024);
        for (guint i = 0; i < all->len; i++) {
            GMimeHeader *h = all->pdata[i];
            const char *raw = g_mime_header_get_raw_value(h);
            append_raw(block, g_mime_header_get_name(h));
            g_string_append_c(block, ':');
            append_raw(block, raw ? raw : "");
            if (block->len < 2 || block->str[block->len - 1] != '\n')
                g_string_append(block, "\r\n");
        }
        hr = fm_mime_set_string(obj, PR_TRANSPORT_MESSAGE_HEADERS_W, block->str);
        g_string_free(block, TRUE);
    }
    g_ptr_array_unref(all);
    return hr;
}

/* ---- sent or unsent ------------------------------------------------------------ */
/* CCSF_EMBEDDED_MESSAGE on import, as Microsoft documents it for MIMEToMAPI:
 * the message is marked read, and it stays unsent (a draft) only when an
 * X-Unsent header says 1. Without the flag the message keeps what the store
 * gives a new message (unsent), and X-Unsent is ignored. */
static HRESULT set_sent_state(GMimeMessage *msg, LPMAPIPROP obj)
{
    const char *unsent = g_mime_object_get_header((GMimeObject *)msg, "X-Unsent");
    while (unsent != NULL && (*unsent == ' ' || *unsent == '\t'))
        unsent++;
    bool draft = unsent != NULL && unsent[0] == '1' &&
                 (unsent[1] == '\0' || unsent[1] == ' ' || unsent[1] == '\t' ||
                  unsent[1] == '\r' || unsent[1] == '\n');
    LPSPropValue v = NULL;
    HRESULT hr = HrGetOneProp(obj, PR_MESSAGE_FLAGS, &v);
    LONG f = hr == S_OK ? v->Value.l : 0;
    MAPIFreeBuffer(v);
    if (hr != S_OK && hr != MAPI_E_NOT_FOUND)
        return fm_mime_fail_mapi(hr, "reading the message flags");
    f |= MSGFLAG_READ;
    f = draft ? (f | MSGFLAG_UNSENT) : (f & ~MSGFLAG_UNSENT);
    SPropValue set = { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = f };
    return fm_mime_set(obj, &set);
}

/* ---- all together ------------------------------------------------------------- */
HRESULT fm_mime_import_headers(GMimeMessage *msg, LPMESSAGE m, ULONG flags)
{
    LPMAPIPROP obj = (LPMAPIPROP)m;
    SPropValue cls = { .ulPropTag = PR_MESSAGE_CLASS_W };
    WCHAR ipm_note[] = { 'I', 'P', 'M', '.', 'N', 'o', 't', 'e', 0 };
    cls.Value.lpszW = ipm_note;
    HRESULT hr = fm_mime_set(obj, &cls);
    const char *subject = g_mime_message_get_subject(msg);
    if (hr == S_OK && subject != NULL)
        hr = set_subject(obj, subject);
    if (hr == S_OK)
        hr = set_originators(msg, obj);
    if (hr == S_OK)
        hr = set_recipients(msg, m, flags);
    if (hr == S_OK)
        hr = set_time(obj, PR_CLIENT_SUBMIT_TIME, g_mime_message_get_date(msg));
    if (hr == S_OK)
        hr = set_delivery_time(msg, obj);
    if (hr == S_OK)
        hr = set_header_string(msg, obj, "Message-ID", PR_INTERNET_MESSAGE_ID_W);
    if (hr == S_OK)
        hr = set_header_string(msg, obj, "In-Reply-To", PR_IN_REPLY_TO_ID_W);
    if (hr == S_OK)
        hr = set_header_string(msg, obj, "References", PR_INTERNET_REFERENCES_W);
    if (hr == S_OK)
        hr = set_importance(msg, obj);
    if (hr == S_OK)
        hr = set_transport_headers(msg, obj);
    if (hr == S_OK && (flags & CCSF_EMBEDDED_MESSAGE))
        hr = set_sent_state(msg, obj);
    return hr;
}
