/*
 * mimeconv/convsess.c - IConverterSession (iconvertersession.h) and the
 * CoCreateInstance that makes it (objbase.h), in libfreemapi-mime, over the
 * converter's public API (freemapi_mime.h).
 *
 * MIMEToMAPI reads the caller's IStream to its end and converts the bytes
 * with fmapi_mime_import_buffer. MAPIToMIMEStm converts with
 * fmapi_mime_export straight into the caller's IStream; when the session's
 * options ask for more than the converter's defaults (an encoding, text
 * wrapping, the RFC 822 save format) the MIME text is built in memory,
 * parsed back with GMime, changed and written out:
 *   - SetEncoding: the content transfer encoding of the outermost body's
 *     text parts (attachments keep the encoding the converter chose, as the
 *     reference says Outlook does). 7bit or 8bit where the text cannot be
 *     sent so (8-bit bytes for 7bit; NUL or lines over 998 bytes for
 *     either) is quoted-printable instead: a header must not lie about its
 *     body.
 *   - SetTextWrapping(TRUE, n): the outermost text/plain body's lines are
 *     broken at the last space within n characters (a word longer than n
 *     stays whole).
 *   - SetSaveFormat(SAVE_RFC822): no MIME; the headers other than MIME's,
 *     the text body, and each attachment uuencoded after it
 *     ("begin 644 name" ... "end").
 * Errors are HRESULTs with the text in fmapi_last_error(); the converter's
 * MAPI_E_UNKNOWN_FLAGS becomes E_INVALIDARG, as the reference gives.
 */
#include <gmime/gmime.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "freemapi_error.h"
#include "freemapi_mime.h"
#include "iconvertersession.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "objbase.h"

#define IMPORT_FLAGS                                                                      \
    (CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_USE_RTF | CCSF_EMBEDDED_MESSAGE |                \
     CCSF_GLOBAL_MESSAGE | CCSF_PRESERVE_SOURCE)
#define EXPORT_FLAGS                                                                      \
    (CCSF_SMTP | CCSF_NOHEADERS | CCSF_USE_TNEF | CCSF_INCLUDE_BCC | CCSF_8BITHEADERS |   \
     CCSF_USE_RTF | CCSF_PLAIN_TEXT_ONLY | CCSF_NO_MSGID | CCSF_EMBEDDED_MESSAGE |        \
     CCSF_GLOBAL_MESSAGE | CCSF_PRESERVE_SOURCE)

typedef struct conv_session {
    const IConverterSessionVtbl *lpVtbl;
    atomic_ulong refs;
    LPADRBOOK adrbook;
    ENCODINGTYPE encoding; /* IET_UNKNOWN: the converter's choice */
    bool wrap;
    ULONG wrap_width;
    MIMESAVETYPE save_format;
} conv_session;

static conv_session *self(IConverterSession *This)
{
    return (conv_session *)(void *)This;
}

static HRESULT fail(HRESULT hr, const char *text)
{
    return fmapi_error_set(hr, text);
}

/* ---- IUnknown ----------------------------------------------------------------- */
static STDMETHODIMP convsess_QueryInterface(IConverterSession *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL || riid == NULL)
        return E_INVALIDARG;
    if (!IsEqualIID(riid, &IID_IConverterSession) && !IsEqualIID(riid, &IID_IUnknown)) {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&self(This)->refs, 1);
    *ppv = This;
    return S_OK;
}

static STDMETHODIMP_(ULONG) convsess_AddRef(IConverterSession *This)
{
    return (ULONG)(atomic_fetch_add(&self(This)->refs, 1) + 1);
}

static STDMETHODIMP_(ULONG) convsess_Release(IConverterSession *This)
{
    conv_session *s = self(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&s->refs, 1) - 1);
    if (left == 0) {
        if (s->adrbook != NULL)
            s->adrbook->lpVtbl->Release(s->adrbook);
        free(s);
    }
    return left;
}

/* ---- options ------------------------------------------------------------------ */
static STDMETHODIMP convsess_SetAdrBook(IConverterSession *This, LPADRBOOK pab)
{
    conv_session *s = self(This);
    if (pab != NULL)
        pab->lpVtbl->AddRef(pab);
    if (s->adrbook != NULL)
        s->adrbook->lpVtbl->Release(s->adrbook);
    s->adrbook = pab;
    return S_OK;
}

static STDMETHODIMP convsess_SetEncoding(IConverterSession *This, ENCODINGTYPE et)
{
    switch (et) {
    case IET_BASE64:
    case IET_UUENCODE:
    case IET_QP:
    case IET_7BIT:
    case IET_8BIT:
        self(This)->encoding = et;
        return S_OK;
    default:
        return fail(E_INVALIDARG, "IConverterSession::SetEncoding: only IET_BASE64, "
                                  "IET_UUENCODE, IET_QP, IET_7BIT and IET_8BIT are supported");
    }
}

static STDMETHODIMP convsess_SetTextWrapping(IConverterSession *This, BOOL fWrapText, ULONG ulWrapWidth)
{
    conv_session *s = self(This);
    s->wrap = fWrapText && ulWrapWidth > 0;
    s->wrap_width = ulWrapWidth;
    return S_OK;
}

static STDMETHODIMP convsess_SetSaveFormat(IConverterSession *This, MIMESAVETYPE mstSaveFormat)
{
    if (mstSaveFormat != SAVE_RFC822 && mstSaveFormat != SAVE_RFC1521)
        return fail(E_INVALIDARG, "IConverterSession::SetSaveFormat: SAVE_RFC822 or "
                                  "SAVE_RFC1521");
    self(This)->save_format = mstSaveFormat;
    return S_OK;
}

static STDMETHODIMP convsess_SetCharSet(IConverterSession *This, BOOL fApply, HCHARSET hcharset,
                                  CSETAPPLYTYPE csetapplytype)
{
    if (fApply && hcharset != NULL)
        return fail(MAPI_E_NO_SUPPORT, "IConverterSession::SetCharSet: freemapi writes UTF-8 "
                                       "and has no MIME OLE character set handles");
    return S_OK;
}

static STDMETHODIMP convsess_PlaceHolder(IConverterSession *This)
{
    return E_NOTIMPL;
}

/* ---- MIME -> MAPI ------------------------------------------------------------- */
static HRESULT read_all(LPSTREAM stm, char **data, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    STATSTG st;
    if (stm->lpVtbl->Stat(stm, &st, STATFLAG_NONAME) == S_OK && st.cbSize.QuadPart < 0x40000000u)
        cap = (size_t)st.cbSize.QuadPart + 1;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap < 65536 ? 65536 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                return fail(MAPI_E_NOT_ENOUGH_MEMORY, "IConverterSession::MIMEToMAPI: out of "
                                                      "memory reading the stream");
            }
            buf = nb;
            cap = ncap;
        }
        ULONG got = 0;
        HRESULT hr = stm->lpVtbl->Read(stm, buf + n, (ULONG)(cap - n), &got);
        if (FAILED(hr)) {
            free(buf);
            return hr;
        }
        if (got == 0)
            break;
        n += got;
    }
    *data = buf;
    *len = n;
    return S_OK;
}

static HRESULT flags_error(HRESULT hr)
{
    return hr == MAPI_E_UNKNOWN_FLAGS ? E_INVALIDARG : hr;
}

static STDMETHODIMP convsess_MIMEToMAPI(IConverterSession *This, LPSTREAM pstm, LPMESSAGE pmsg,
                                  LPCSTR pszSrcSrv, ULONG ulFlags)
{
    if (pstm == NULL || pmsg == NULL)
        return fail(E_INVALIDARG, "IConverterSession::MIMEToMAPI: NULL stream or message");
    if (pszSrcSrv != NULL)
        return fail(E_INVALIDARG, "IConverterSession::MIMEToMAPI: pszSrcSrv must be NULL");
    if (ulFlags & ~(ULONG)IMPORT_FLAGS)
        return fail(E_INVALIDARG, "IConverterSession::MIMEToMAPI: unknown flags");
    char *data = NULL;
    size_t len = 0;
    HRESULT hr = read_all(pstm, &data, &len);
    if (hr != S_OK)
        return hr;
    /* International (RFC 6530) headers are read whatever the flag says;
     * leaving the source as it was is all the converter ever does. */
    ULONG flags = ulFlags & ~(ULONG)(CCSF_GLOBAL_MESSAGE | CCSF_PRESERVE_SOURCE);
    hr = flags_error(fmapi_mime_import_buffer(data, len, pmsg, flags));
    free(data);
    return hr;
}

/* ---- MAPI -> MIME ------------------------------------------------------------- */
typedef struct stream_out {
    LPSTREAM stm;
} stream_out;

static HRESULT write_stream(void *ctx, const void *data, size_t len)
{
    LPSTREAM stm = ((stream_out *)ctx)->stm;
    const char *p = data;
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len, put = 0;
        HRESULT hr = stm->lpVtbl->Write(stm, p, chunk, &put);
        if (FAILED(hr))
            return hr;
        if (put == 0)
            return fail(STG_E_MEDIUMFULL, "IConverterSession::MAPIToMIMEStm: the stream "
                                          "took no bytes");
        p += put;
        len -= put;
    }
    return S_OK;
}

static HRESULT write_gstring(void *ctx, const void *data, size_t len)
{
    g_string_append_len(ctx, data, (gssize)len);
    return S_OK;
}

static bool is_text_part(GMimeObject *o)
{
    if (!GMIME_IS_PART(o) || g_mime_part_is_attachment((GMimePart *)o))
        return false;
    return g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "*");
}

/* The text parts of the outermost body: the top part if it is text, the
 * text parts of a multipart/alternative or /related, the first part of a
 * multipart/mixed (the attachments follow it). */
static void body_parts(GMimeObject *o, GPtrArray *out, int depth)
{
    if (depth > 8)
        return;
    if (is_text_part(o)) {
        g_ptr_array_add(out, o);
        return;
    }
    if (!GMIME_IS_MULTIPART(o))
        return;
    GMimeMultipart *mp = (GMimeMultipart *)o;
    int n = g_mime_multipart_get_count(mp);
    if (g_mime_content_type_is_type(g_mime_object_get_content_type(o), "multipart", "mixed"))
        n = n > 0 ? 1 : 0;
    for (int i = 0; i < n; i++)
        body_parts(g_mime_multipart_get_part(mp, i), out, depth + 1);
}

/* The decoded content of a part (its transfer encoding undone). */
static GByteArray *part_bytes(GMimePart *part)
{
    GByteArray *bytes = g_byte_array_new();
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (w != NULL) {
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
        g_mime_stream_mem_set_owner((GMimeStreamMem *)mem, FALSE);
        g_mime_data_wrapper_write_to_stream(w, mem);
        g_object_unref(mem);
    }
    return bytes;
}

static void set_part_bytes(GMimePart *part, const guint8 *p, size_t n)
{
    GMimeStream *mem = g_mime_stream_mem_new_with_buffer((const char *)p, n);
    GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(part, w);
    g_object_unref(w);
    g_object_unref(mem);
}

/* Whether the bytes can go as 7bit (eight_bit false) or 8bit. */
static bool fits_unencoded(const GByteArray *b, bool eight_bit)
{
    size_t line = 0;
    for (guint i = 0; i < b->len; i++) {
        guint8 c = b->data[i];
        if (c == '\n') {
            line = 0;
            continue;
        }
        if (c == 0 || (c >= 0x80 && !eight_bit) || ++line > 998)
            return false;
    }
    return true;
}

static void apply_encoding(GMimePart *part, ENCODINGTYPE et)
{
    GMimeContentEncoding enc = GMIME_CONTENT_ENCODING_DEFAULT;
    switch (et) {
    case IET_BASE64:
        enc = GMIME_CONTENT_ENCODING_BASE64;
        break;
    case IET_UUENCODE:
        enc = GMIME_CONTENT_ENCODING_UUENCODE;
        break;
    case IET_QP:
        enc = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
        break;
    case IET_7BIT:
    case IET_8BIT: {
        GByteArray *b = part_bytes(part);
        bool eight = et == IET_8BIT;
        enc = fits_unencoded(b, eight)
                  ? (eight ? GMIME_CONTENT_ENCODING_8BIT : GMIME_CONTENT_ENCODING_7BIT)
                  : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
        g_byte_array_unref(b);
        break;
    }
    default:
        return;
    }
    g_mime_part_set_content_encoding(part, enc);
}

/* Breaks lines longer than width characters (UTF-8) at their last space
 * within the width; line ends are CRLF or LF as they were. */
static GByteArray *wrap_text(const GByteArray *in, ULONG width)
{
    GByteArray *out = g_byte_array_sized_new(in->len + in->len / 16 + 2);
    const guint8 *p = in->data, *end = in->data + in->len;
    while (p < end) {
        const guint8 *eol = memchr(p, '\n', (size_t)(end - p));
        const guint8 *stop = eol ? eol : end;
        const guint8 *text_end = (stop > p && stop[-1] == '\r') ? stop - 1 : stop;
        bool crlf = text_end != stop;
        const guint8 *line = p;
        for (;;) {
            ULONG chars = 0;
            const guint8 *q = line, *space = NULL;
            while (q < text_end && chars < width) {
                if (*q == ' ')
                    space = q;
                q++;
                while (q < text_end && (*q & 0xC0) == 0x80)
                    q++;
                chars++;
            }
            if (q >= text_end)
                break; /* the rest fits */
            if (*q == ' ') {
                space = q;
            } else if (space == NULL || space == line) {
                /* one word longer than the width: it stays whole */
                while (q < text_end && *q != ' ')
                    q++;
                if (q >= text_end)
                    break;
                space = q;
            }
            g_byte_array_append(out, line, (guint)(space - line));
            g_byte_array_append(out, (const guint8 *)(crlf ? "\r\n" : "\n"), crlf ? 2 : 1);
            line = space + 1;
        }
        g_byte_array_append(out, line, (guint)(stop - line));
        if (eol != NULL) {
            g_byte_array_append(out, eol, 1);
            p = eol + 1;
        } else {
            p = end;
        }
    }
    return out;
}

/* ---- the RFC 822 save format ------------------------------------------------ */
static void put(GByteArray *out, const char *s)
{
    g_byte_array_append(out, (const guint8 *)s, (guint)strlen(s));
}

/* Text with its line ends as CRLF. */
static void put_crlf(GByteArray *out, const guint8 *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
            g_byte_array_append(out, (const guint8 *)"\r", 1);
        g_byte_array_append(out, p + i, 1);
    }
}

static void uu_line(GByteArray *out, const guint8 *p, size_t n)
{
    guint8 c = (guint8)(n ? n + 32 : '`');
    g_byte_array_append(out, &c, 1);
    for (size_t i = 0; i < n; i += 3) {
        guint8 a = p[i], b = i + 1 < n ? p[i + 1] : 0, d = i + 2 < n ? p[i + 2] : 0;
        guint8 v[4] = { (guint8)(a >> 2), (guint8)(((a & 3) << 4) | (b >> 4)),
                        (guint8)(((b & 15) << 2) | (d >> 6)), (guint8)(d & 63) };
        for (int k = 0; k < 4; k++)
            v[k] = v[k] ? (guint8)(v[k] + 32) : '`';
        g_byte_array_append(out, v, 4);
    }
    put(out, "\r\n");
}

static void uuencode(GByteArray *out, const char *name, const GByteArray *data)
{
    put(out, "\r\nbegin 644 ");
    for (const char *c = name; *c; c++) /* one line, no control characters */
        g_byte_array_append(out, (const guint8 *)((unsigned char)*c < 32 ? "_" : c), 1);
    put(out, "\r\n");
    for (guint i = 0; i < data->len; i += 45)
        uu_line(out, data->data + i, data->len - i < 45 ? data->len - i : 45);
    uu_line(out, NULL, 0);
    put(out, "end\r\n");
}

static bool in_list(GPtrArray *list, gconstpointer p)
{
    for (guint i = 0; i < list->len; i++) {
        if (g_ptr_array_index(list, i) == p)
            return true;
    }
    return false;
}

typedef struct rfc822_ctx {
    GByteArray *out;
    GPtrArray *body;
    int count;
} rfc822_ctx;

static void attachments(GMimeObject *o, rfc822_ctx *c, int depth)
{
    if (depth > FMAPI_MIME_MAX_DEPTH)
        return;
    if (GMIME_IS_MULTIPART(o)) {
        GMimeMultipart *mp = (GMimeMultipart *)o;
        bool alternative =
            g_mime_content_type_is_type(g_mime_object_get_content_type(o), "multipart",
                                        "alternative");
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimeObject *child = g_mime_multipart_get_part(mp, i);
            /* the other forms of the body are not attachments */
            if (alternative && is_text_part(child))
                continue;
            attachments(child, c, depth + 1);
        }
        return;
    }
    char name[64];
    c->count++;
    if (GMIME_IS_MESSAGE_PART(o)) {
        GMimeMessage *inner = g_mime_message_part_get_message((GMimeMessagePart *)o);
        if (inner == NULL)
            return;
        GByteArray *bytes = g_byte_array_new();
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
        g_mime_stream_mem_set_owner((GMimeStreamMem *)mem, FALSE);
        g_mime_object_write_to_stream((GMimeObject *)inner, NULL, mem);
        g_object_unref(mem);
        snprintf(name, sizeof name, "message%d.eml", c->count);
        uuencode(c->out, name, bytes);
        g_byte_array_unref(bytes);
        return;
    }
    if (!GMIME_IS_PART(o) || in_list(c->body, o))
        return;
    const char *file = g_mime_part_get_filename((GMimePart *)o);
    if (file == NULL || file[0] == '\0') {
        snprintf(name, sizeof name, "attachment%d.dat", c->count);
        file = name;
    }
    GByteArray *bytes = part_bytes((GMimePart *)o);
    uuencode(c->out, file, bytes);
    g_byte_array_unref(bytes);
}

static bool mime_header(const char *name)
{
    return g_ascii_strcasecmp(name, "MIME-Version") == 0 ||
           g_ascii_strncasecmp(name, "Content-", 8) == 0;
}

static GByteArray *as_rfc822(GMimeMessage *msg, GPtrArray *body)
{
    GByteArray *out = g_byte_array_new();
    GMimeHeaderList *headers = g_mime_object_get_header_list((GMimeObject *)msg);
    int n = g_mime_header_list_get_count(headers);
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
        const char *name = g_mime_header_get_name(h);
        const char *raw = g_mime_header_get_raw_value(h);
        if (mime_header(name) || raw == NULL)
            continue;
        put(out, name);
        put(out, ":");
        size_t len = strlen(raw);
        while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r'))
            len--;
        if (len == 0 || (raw[0] != ' ' && raw[0] != '\t'))
            put(out, " ");
        put_crlf(out, (const guint8 *)raw, len);
        put(out, "\r\n");
    }
    put(out, "\r\n");
    /* the body: its plain text if it has one, else its first text part */
    GMimeObject *text = NULL;
    for (guint i = 0; i < body->len && text == NULL; i++) {
        GMimeObject *o = g_ptr_array_index(body, i);
        if (g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "plain"))
            text = o;
    }
    if (text == NULL && body->len > 0)
        text = g_ptr_array_index(body, 0);
    if (text != NULL && GMIME_IS_TEXT_PART(text)) {
        char *utf8 = g_mime_text_part_get_text((GMimeTextPart *)text);
        if (utf8 != NULL)
            put_crlf(out, (const guint8 *)utf8, strlen(utf8));
        g_free(utf8);
    }
    if (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n", 2) != 0)
        put(out, "\r\n");
    rfc822_ctx c = { out, body, 0 };
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (top != NULL)
        attachments(top, &c, 0);
    return out;
}

/* ---- MAPIToMIMEStm ------------------------------------------------------------ */
static HRESULT write_with_options(conv_session *s, const GString *mime, LPSTREAM stm)
{
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(mime->str, mime->len);
    GMimeParser *parser = g_mime_parser_new_with_stream(in);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(in);
    if (msg == NULL)
        return fail(MAPI_E_CALL_FAILED, "IConverterSession::MAPIToMIMEStm: the converter's "
                                        "output did not parse");
    GPtrArray *body = g_ptr_array_new();
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (top != NULL)
        body_parts(top, body, 0);
    for (guint i = 0; i < body->len; i++) {
        GMimePart *part = g_ptr_array_index(body, i);
        if (s->wrap && g_mime_content_type_is_type(
                           g_mime_object_get_content_type((GMimeObject *)part), "text", "plain")) {
            GByteArray *b = part_bytes(part);
            GByteArray *w = wrap_text(b, s->wrap_width);
            GMimeContentEncoding enc = g_mime_part_get_content_encoding(part);
            set_part_bytes(part, w->data, w->len);
            g_mime_part_set_content_encoding(part, enc);
            g_byte_array_unref(w);
            g_byte_array_unref(b);
        }
        if (s->encoding != IET_UNKNOWN)
            apply_encoding(part, s->encoding);
    }
    GByteArray *bytes;
    if (s->save_format == SAVE_RFC822) {
        bytes = as_rfc822(msg, body);
    } else {
        bytes = g_byte_array_new();
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
        g_mime_stream_mem_set_owner((GMimeStreamMem *)mem, FALSE);
        GMimeFormatOptions *opts = g_mime_format_options_new();
        g_mime_format_options_set_newline_format(opts, GMIME_NEWLINE_FORMAT_DOS);
        g_mime_object_write_to_stream((GMimeObject *)msg, opts, mem);
        g_mime_format_options_free(opts);
        g_object_unref(mem);
    }
    g_ptr_array_unref(body);
    g_object_unref(msg);
    stream_out out = { stm };
    HRESULT hr = write_stream(&out, bytes->data, bytes->len);
    g_byte_array_unref(bytes);
    return hr;
}

static STDMETHODIMP convsess_MAPIToMIMEStm(IConverterSession *This, LPMESSAGE pmsg, LPSTREAM pstm,
                                     ULONG ulFlags)
{
    conv_session *s = self(This);
    if (pstm == NULL || pmsg == NULL)
        return fail(E_INVALIDARG, "IConverterSession::MAPIToMIMEStm: NULL message or stream");
    if (ulFlags & ~(ULONG)EXPORT_FLAGS)
        return fail(E_INVALIDARG, "IConverterSession::MAPIToMIMEStm: unknown flags");
    /* An international message carries its headers as raw UTF-8; the
     * source message is never changed by a conversion. */
    ULONG flags = ulFlags & ~(ULONG)(CCSF_GLOBAL_MESSAGE | CCSF_PRESERVE_SOURCE);
    if (ulFlags & CCSF_GLOBAL_MESSAGE)
        flags |= CCSF_8BITHEADERS;
    bool options = s->encoding != IET_UNKNOWN || s->wrap || s->save_format == SAVE_RFC822;
    if (!options) {
        stream_out out = { pstm };
        return flags_error(fmapi_mime_export(pmsg, flags, write_stream, &out));
    }
    GString *mime = g_string_new(NULL);
    HRESULT hr = flags_error(fmapi_mime_export(pmsg, flags, write_gstring, mime));
    if (hr == S_OK)
        hr = write_with_options(s, mime, pstm);
    g_string_free(mime, TRUE);
    return hr;
}

static const IConverterSessionVtbl conv_vtbl = {
    convsess_QueryInterface, convsess_AddRef,          convsess_Release,       convsess_SetAdrBook,
    convsess_SetEncoding,    convsess_PlaceHolder,     convsess_MIMEToMAPI,    convsess_MAPIToMIMEStm,
    convsess_PlaceHolder,    convsess_PlaceHolder,     convsess_PlaceHolder,   convsess_SetTextWrapping,
    convsess_SetSaveFormat,  convsess_PlaceHolder,     convsess_SetCharSet,
};

/* ---- CoCreateInstance ----------------------------------------------------------- */
STDAPI CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext, REFIID riid,
                        LPVOID *ppv)
{
    if (ppv == NULL || rclsid == NULL || riid == NULL)
        return E_INVALIDARG;
    *ppv = NULL;
    if (!IsEqualCLSID(rclsid, &CLSID_IConverterSession) ||
        !(dwClsContext & CLSCTX_INPROC_SERVER))
        return fail(REGDB_E_CLASSNOTREG, "CoCreateInstance: the class is not registered "
                                         "(freemapi provides CLSID_IConverterSession, in "
                                         "process)");
    if (pUnkOuter != NULL)
        return fail(CLASS_E_NOAGGREGATION, "CoCreateInstance: IConverterSession cannot be "
                                           "aggregated");
    conv_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return fail(E_OUTOFMEMORY, "CoCreateInstance: out of memory");
    s->lpVtbl = &conv_vtbl;
    atomic_init(&s->refs, 1);
    s->encoding = IET_UNKNOWN;
    s->save_format = SAVE_RFC1521;
    IConverterSession *obj = (IConverterSession *)(void *)s;
    HRESULT hr = convsess_QueryInterface(obj, riid, ppv);
    convsess_Release(obj);
    return hr;
}
