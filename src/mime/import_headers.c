/*
 * mime/import_headers.c - the envelope of an Internet message as MAPI
 * properties: subject (with prefix and normalized subject), originator and
 * sender, recipients, times, identifiers, importance, and the header block
 * verbatim in PR_TRANSPORT_MESSAGE_HEADERS.
 *
 * GMime decodes RFC 2047 words into UTF-8; values are stored as PT_UNICODE.
 * Raw 8-bit header text that is not UTF-8 is read in the charset uchardet
 * finds for all such text of the message (not byte by byte as Latin-1),
 * and the header block's bytes are then kept in the skeleton as they came,
 * so an export writes them back unchanged.
 */
#include <ctype.h>
#include <string.h>

#include "mime/mime.h"

/* ---- 8-bit header text ------------------------------------------------------ */
static bool needs_charset(const char *raw)
{
    return raw != NULL && !fm_mime_is_ascii(raw, strlen(raw)) && !g_utf8_validate(raw, -1, NULL);
}

/* The charset of the message's raw 8-bit header text that is not UTF-8,
 * found once (into im's buffer) from all of it. */
static const char *header_charset(fm_import *im, char *buf, size_t cap)
{
    if (buf[0] != '\0')
        return buf;
    GString *all = g_string_new(NULL);
    GMimeHeaderList *list = g_mime_object_get_header_list((GMimeObject *)im->msg);
    int n = list ? g_mime_header_list_get_count(list) : 0;
    for (int i = 0; i < n; i++) {
        const char *raw = g_mime_header_get_raw_value(g_mime_header_list_get_header_at(list, i));
        if (needs_charset(raw)) {
            g_string_append(all, raw);
            g_string_append_c(all, ' ');
        }
    }
    fm_mime_charset_guess(all->str, all->len, buf, cap);
    fm_mime_warn("8-bit header text is not UTF-8: read as %s, the bytes kept", buf);
    g_string_free(all, TRUE);
    return buf;
}

/* raw (8-bit, not UTF-8) as UTF-8 text in the message's header charset. */
static char *raw_to_utf8(fm_import *im, const char *raw)
{
    const char *cs = header_charset(im, im->header_cs, sizeof im->header_cs);
    GString *u = fm_mime_charset_to_utf8(raw, strlen(raw), cs);
    if (u == NULL)
        u = fm_mime_charset_to_utf8(raw, strlen(raw), "iso-8859-1");
    return g_string_free(u, FALSE);
}

static GMimeHeader *find_header(GMimeMessage *msg, const char *name)
{
    GMimeHeaderList *list = g_mime_object_get_header_list((GMimeObject *)msg);
    return list ? g_mime_header_list_get_header(list, name) : NULL;
}

/* The subject, decoded (caller frees), or NULL. */
static char *subject_text(fm_import *im)
{
    GMimeHeader *h = find_header(im->msg, "Subject");
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (!needs_charset(raw)) {
        const char *s = g_mime_message_get_subject(im->msg);
        return s ? g_strdup(s) : NULL;
    }
    char *u = raw_to_utf8(im, raw);
    char *d = g_mime_utils_header_decode_text(fm_mime_parser_options(), u);
    g_free(u);
    return g_strstrip(d);
}

/* The addresses of a header, its 8-bit text read in the message's header
 * charset (caller unrefs), or NULL when there are none. */
static InternetAddressList *addresses(fm_import *im, const char *name, GMimeAddressType type)
{
    GMimeHeader *h = find_header(im->msg, name);
    const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
    if (!needs_charset(raw)) {
        InternetAddressList *l = g_mime_message_get_addresses(im->msg, type);
        return l ? g_object_ref(l) : NULL;
    }
    char *u = raw_to_utf8(im, raw);
    InternetAddressList *l = internet_address_list_parse(fm_mime_parser_options(), u);
    g_free(u);
    return l;
}

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

static HRESULT set_originators(fm_import *im, LPMAPIPROP obj)
{
    InternetAddressList *fl = addresses(im, "From", GMIME_ADDRESS_TYPE_FROM);
    InternetAddressList *sl = addresses(im, "Sender", GMIME_ADDRESS_TYPE_SENDER);
    InternetAddressMailbox *from = first_mailbox(fl);
    InternetAddressMailbox *sender = first_mailbox(sl);
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
    if (fl != NULL)
        g_object_unref(fl);
    if (sl != NULL)
        g_object_unref(sl);
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

static void unref_list(InternetAddressList *l)
{
    if (l != NULL)
        g_object_unref(l);
}

static HRESULT add_recipients(LPMESSAGE m, InternetAddressList *to, InternetAddressList *cc,
                              InternetAddressList *bcc)
{
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

static HRESULT set_recipients(fm_import *im)
{
    InternetAddressList *to = addresses(im, "To", GMIME_ADDRESS_TYPE_TO);
    InternetAddressList *cc = addresses(im, "Cc", GMIME_ADDRESS_TYPE_CC);
    InternetAddressList *bcc = (im->flags & CCSF_INCLUDE_BCC)
                                   ? addresses(im, "Bcc", GMIME_ADDRESS_TYPE_BCC)
                                   : NULL;
    HRESULT hr = add_recipients(im->m, to, cc, bcc);
    unref_list(to);
    unref_list(cc);
    unref_list(bcc);
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

/* The importance a header value names, from a table of (prefix, importance),
 * or -1. */
typedef struct importance_word {
    const char *word;
    LONG importance;
} importance_word;

static LONG importance_of(GMimeMessage *msg, const char *name, const importance_word *words)
{
    const char *v = g_mime_object_get_header((GMimeObject *)msg, name);
    if (v == NULL)
        return -1;
    while (*v == ' ' || *v == '\t')
        v++;
    for (; words->word != NULL; words++) {
        if (g_ascii_strncasecmp(v, words->word, strlen(words->word)) == 0)
            return words->importance;
    }
    return -1;
}

/* [MS-OXCMAIL] 2.2.3.2.5: Importance (low/normal/high) when present, else
 * X-Priority (1-5), Priority (non-urgent/normal/urgent) or X-MSMail-Priority
 * (low/normal/high). */
static HRESULT set_importance(GMimeMessage *msg, LPMAPIPROP obj)
{
    static const importance_word IMPORTANCE[] = { { "high", IMPORTANCE_HIGH },
                                                  { "low", IMPORTANCE_LOW },
                                                  { "normal", IMPORTANCE_NORMAL },
                                                  { NULL, 0 } };
    static const importance_word X_PRIORITY[] = {
        { "1", IMPORTANCE_HIGH }, { "2", IMPORTANCE_HIGH },  { "3", IMPORTANCE_NORMAL },
        { "4", IMPORTANCE_LOW },  { "5", IMPORTANCE_LOW },   { NULL, 0 }
    };
    static const importance_word PRIORITY[] = { { "urgent", IMPORTANCE_HIGH },
                                                { "non-urgent", IMPORTANCE_LOW },
                                                { "normal", IMPORTANCE_NORMAL },
                                                { NULL, 0 } };
    LONG importance = importance_of(msg, "Importance", IMPORTANCE);
    if (importance < 0)
        importance = importance_of(msg, "X-Priority", X_PRIORITY);
    if (importance < 0)
        importance = importance_of(msg, "Priority", PRIORITY);
    if (importance < 0)
        importance = importance_of(msg, "X-MSMail-Priority", IMPORTANCE);
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
/* Appends raw header text, bare LF made CRLF: UTF-8 kept, other 8-bit
 * text read in the message's header charset (*changed set then). */
static void append_raw(fm_import *im, GString *out, const char *s, bool *changed)
{
    char *conv = NULL;
    if (needs_charset(s)) {
        conv = raw_to_utf8(im, s);
        s = conv;
        *changed = true;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && (p == s || p[-1] != '\r'))
            g_string_append_c(out, '\r');
        g_string_append_c(out, *p);
    }
    g_free(conv);
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

/* The message's header bytes as they came, for the skeleton. */
static void keep_raw_headers(fm_import *im, GPtrArray *all)
{
    if (im->src->stream == NULL || im->top_blank < 0 || all->len == 0)
        return;
    gint64 start = g_mime_header_get_offset(all->pdata[0]);
    if (start < 0 || im->top_blank < start)
        return;
    GMimeStream *s = g_mime_stream_substream(im->src->stream, start, im->top_blank);
    GByteArray *a = g_byte_array_new();
    char buf[4096];
    ssize_t n;
    while ((n = g_mime_stream_read(s, buf, sizeof buf)) > 0)
        g_byte_array_append(a, (const guint8 *)buf, (guint)n);
    g_object_unref(s);
    im->raw_headers = a;
}

static HRESULT set_transport_headers(fm_import *im)
{
    GPtrArray *all = g_ptr_array_new();
    add_headers(all, (GMimeObject *)im->msg);
    add_headers(all, g_mime_message_get_mime_part(im->msg));
    g_ptr_array_sort(all, by_offset);
    HRESULT hr = S_OK;
    if (all->len > 0) {
        GString *block = g_string_sized_new(1024);
        bool changed = false;
        for (guint i = 0; i < all->len; i++) {
            GMimeHeader *h = all->pdata[i];
            const char *raw = g_mime_header_get_raw_value(h);
            append_raw(im, block, g_mime_header_get_name(h), &changed);
            g_string_append_c(block, ':');
            append_raw(im, block, raw ? raw : "", &changed);
            if (block->len < 2 || block->str[block->len - 1] != '\n')
                g_string_append(block, "\r\n");
        }
        hr = fm_mime_set_string((LPMAPIPROP)im->m, PR_TRANSPORT_MESSAGE_HEADERS_W, block->str);
        im->headers_hash = fm_hash_bytes(block->str, block->len);
        if (im->depth == 0 && im->src->header_nul)
            changed = true; /* GMime's values stop at the NUL; the bytes go on */
        if (changed && im->raw_headers == NULL)
            keep_raw_headers(im, all);
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
HRESULT fm_mime_import_headers(fm_import *im)
{
    LPMAPIPROP obj = (LPMAPIPROP)im->m;
    SPropValue cls = { .ulPropTag = PR_MESSAGE_CLASS_W };
    WCHAR ipm_note[] = { 'I', 'P', 'M', '.', 'N', 'o', 't', 'e', 0 };
    cls.Value.lpszW = ipm_note;
    HRESULT hr = fm_mime_set(obj, &cls);
    char *subject = subject_text(im);
    if (hr == S_OK && subject != NULL)
        hr = set_subject(obj, subject);
    g_free(subject);
    GMimeMessage *msg = im->msg;
    if (hr == S_OK)
        hr = set_originators(im, obj);
    if (hr == S_OK)
        hr = set_recipients(im);
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
        hr = set_transport_headers(im);
    if (hr == S_OK && (im->flags & CCSF_EMBEDDED_MESSAGE))
        hr = set_sent_state(msg, obj);
    return hr;
}

/* The empty line ending an embedded message's header block. */
static gint64 embedded_blank(const fm_import_source *src, GMimeMessage *msg)
{
    gint64 last = -1;
    GMimeObject *objs[2] = { (GMimeObject *)msg, g_mime_message_get_mime_part(msg) };
    for (int k = 0; k < 2; k++) {
        GMimeHeaderList *list = objs[k] ? g_mime_object_get_header_list(objs[k]) : NULL;
        int n = list ? g_mime_header_list_get_count(list) : 0;
        for (int i = 0; i < n; i++) {
            gint64 at = g_mime_header_get_offset(g_mime_header_list_get_header_at(list, i));
            if (at > last)
                last = at;
        }
    }
    gint64 blank = -1;
    if (src->stream != NULL && last >= 0 && fm_mime_body_start(src->stream, last, &blank) < 0)
        blank = -1;
    return blank;
}

static HRESULT import_with(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth,
                           const fm_import_source *src, fm_region *r, gint64 top_blank)
{
    fm_import im;
    memset(&im, 0, sizeof im);
    im.m = m;
    im.flags = flags;
    im.depth = depth;
    im.src = src;
    im.region = r;
    im.msg = msg;
    im.top_blank = top_blank;
    HRESULT hr = fm_mime_import_headers(&im);
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (hr == S_OK && top != NULL)
        hr = fm_mime_import_parts(&im, top);
    if (im.raw_headers != NULL)
        g_byte_array_unref(im.raw_headers);
    return hr;
}

HRESULT fm_mime_import(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth,
                       const fm_import_source *src)
{
    return import_with(msg, m, flags, depth, src, NULL, src->headers_end);
}

HRESULT fm_mime_import_embedded(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth,
                                const fm_import_source *src, fm_region *r)
{
    return import_with(msg, m, flags, depth, src, r, embedded_blank(src, msg));
}
