/*
 * rtf/rtfsync.c - RTFSync: makes PR_BODY and PR_RTF_COMPRESSED of a message
 * say the same thing, through the message's own IMessage methods.
 *
 * RTF_SYNC_BODY_CHANGED: the text becomes \fromtext RTF ([MS-OXRTFEX]),
 * compressed ([MS-OXRTFCP]). RTF_SYNC_RTF_CHANGED: the RTF's text becomes
 * the body: the encapsulated text of \fromtext RTF, the visible text of any
 * other. With both flags, the RTF wins unless its text already equals the
 * body. Either way PR_RTF_IN_SYNC becomes TRUE, with the PR_RTF_SYNC_*
 * properties describing the body's significant (non-white-space)
 * characters: their count, the CRC of their UTF-8 bytes ([MS-OXRTFCP]'s
 * CRC) and the first 64 of them; the prefix and trailing counts are 0.
 * Nothing is saved: *lpfMessageUpdated tells the caller to SaveChanges.
 */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiguid.h"
#include "mapiutil.h"
#include "rtf/lzfu.h"
#include "rtf/rtf.h"
#include "rtf/rtfsync.h"

#define SMALL_VALUE 32768

/* The whole of stream s. */
static HRESULT stream_all(IStream *s, fm_rtf_buf *out)
{
    char buf[65536];
    HRESULT hr = S_OK;
    for (;;) {
        ULONG got = 0;
        hr = s->lpVtbl->Read(s, buf, sizeof buf, &got);
        if (hr != S_OK || got == 0)
            break;
        hr = fm_rtf_buf_put(out, buf, got);
        if (hr != S_OK)
            break;
    }
    return hr == S_OK && out->p == NULL ? fm_rtf_buf_put(out, "", 0) : hr;
}

static HRESULT open_stream(LPMESSAGE m, ULONG tag, ULONG flags, IStream **s)
{
    return m->lpVtbl->OpenProperty(m, tag, &IID_IStream, flags ? STGM_READWRITE : STGM_READ,
                                   flags, (LPUNKNOWN *)s);
}

HRESULT fm_rtf_message_read_rtf(LPMESSAGE m, fm_rtf_buf *rtf)
{
    IStream *s = NULL;
    fm_rtf_buf comp = { NULL, 0, 0 };
    HRESULT hr = open_stream(m, PR_RTF_COMPRESSED, 0, &s);
    if (hr == S_OK)
        hr = stream_all(s, &comp);
    if (s)
        s->lpVtbl->Release(s);
    uint8_t *raw = NULL;
    size_t n = 0;
    if (hr == S_OK)
        hr = fm_lzfu_decompress((const uint8_t *)comp.p, comp.n, &raw, &n);
    fm_rtf_buf_clear(&comp);
    if (hr == S_OK)
        hr = fm_rtf_buf_put(rtf, raw, n);
    fm_free(raw);
    return hr;
}

HRESULT fm_rtf_message_write_rtf(LPMESSAGE m, const char *rtf, size_t n)
{
    uint8_t *comp = NULL;
    size_t cn = 0;
    IStream *s = NULL;
    HRESULT hr = fm_lzfu_compress((const uint8_t *)rtf, n, true, &comp, &cn);
    if (hr == S_OK)
        hr = open_stream(m, PR_RTF_COMPRESSED, MAPI_CREATE | MAPI_MODIFY, &s);
    ULARGE_INTEGER zero = { .QuadPart = 0 };
    if (hr == S_OK)
        hr = s->lpVtbl->SetSize(s, zero);
    size_t done = 0;
    while (hr == S_OK && done < cn) {
        ULONG chunk = cn - done > 65536 ? 65536 : (ULONG)(cn - done), put = 0;
        hr = s->lpVtbl->Write(s, comp + done, chunk, &put);
        done += put;
    }
    if (hr == S_OK)
        hr = s->lpVtbl->Commit(s, STGC_DEFAULT);
    if (s)
        s->lpVtbl->Release(s);
    fm_free(comp);
    return hr;
}

HRESULT fm_rtf_message_read_text(LPMESSAGE m, ULONG tag, fm_rtf_buf *out)
{
    SizedSPropTagArray(1, one) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = m->lpVtbl->GetProps(m, (LPSPropTagArray)&one, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    if (PROP_TYPE(v->ulPropTag) != PT_ERROR) {
        char *u8 = NULL;
        hr = PROP_TYPE(tag) == PT_UNICODE ? fm_utf16_to_utf8_mapi(v->Value.lpszW, NULL, &u8)
                                          : S_OK;
        if (hr == S_OK)
            hr = fm_rtf_buf_puts(out, u8 ? u8 : v->Value.lpszA);
        MAPIFreeBuffer(u8);
        MAPIFreeBuffer(v);
        return hr;
    }
    hr = v->Value.err;
    MAPIFreeBuffer(v);
    if (hr != MAPI_E_NOT_ENOUGH_MEMORY)
        return hr == MAPI_E_NOT_FOUND ? fm_error_set(hr, "the message has no such body") : hr;
    /* Too big to get whole: its stream (UTF-16 for PT_UNICODE). */
    IStream *s = NULL;
    fm_rtf_buf raw = { NULL, 0, 0 };
    hr = open_stream(m, tag, 0, &s);
    if (hr == S_OK)
        hr = stream_all(s, &raw);
    if (s)
        s->lpVtbl->Release(s);
    if (hr == S_OK && PROP_TYPE(tag) == PT_UNICODE) {
        char *u8 = NULL;
        WCHAR *w = fm_malloc(raw.n + sizeof(WCHAR));
        if (w == NULL) {
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "RTFSync: out of memory");
        } else {
            memcpy(w, raw.p, raw.n);
            w[raw.n / sizeof(WCHAR)] = 0;
            hr = fm_utf16_to_utf8_mapi(w, NULL, &u8);
            fm_free(w);
        }
        if (hr == S_OK)
            hr = fm_rtf_buf_puts(out, u8);
        MAPIFreeBuffer(u8);
    } else if (hr == S_OK) {
        hr = fm_rtf_buf_put(out, raw.p, raw.n);
    }
    fm_rtf_buf_clear(&raw);
    return hr;
}

HRESULT fm_rtf_message_write_text(LPMESSAGE m, ULONG tag, const char *utf8)
{
    WCHAR *w = NULL;
    HRESULT hr = fm_utf8_to_utf16_mapi(utf8, NULL, &w);
    if (hr != S_OK)
        return hr;
    size_t units = fm_utf16_len(w);
    if (units * sizeof(WCHAR) < SMALL_VALUE) {
        SPropValue v = { .ulPropTag = tag, .Value.lpszW = w };
        LPSPropProblemArray problems = NULL;
        hr = m->lpVtbl->SetProps(m, 1, &v, &problems);
        if (hr == S_OK && problems != NULL && problems->cProblem > 0)
            hr = problems->aProblem[0].scode;
        MAPIFreeBuffer(problems);
    } else {
        IStream *s = NULL;
        hr = open_stream(m, tag, MAPI_CREATE | MAPI_MODIFY, &s);
        ULARGE_INTEGER zero = { .QuadPart = 0 };
        if (hr == S_OK)
            hr = s->lpVtbl->SetSize(s, zero);
        size_t bytes = units * sizeof(WCHAR), done = 0;
        while (hr == S_OK && done < bytes) {
            ULONG chunk = bytes - done > 65536 ? 65536 : (ULONG)(bytes - done), put = 0;
            hr = s->lpVtbl->Write(s, (const char *)w + done, chunk, &put);
            done += put;
        }
        if (hr == S_OK)
            hr = s->lpVtbl->Commit(s, STGC_DEFAULT);
        if (s)
            s->lpVtbl->Release(s);
    }
    MAPIFreeBuffer(w);
    return hr;
}

/* ---- the sync properties ------------------------------------------------------------- */
static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static HRESULT set_sync_props(LPMESSAGE m, const char *text)
{
    uint32_t crc = 0;
    LONG count = 0;
    char tag[65];
    size_t ntag = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (is_space(*p))
            continue;
        crc = fm_lzfu_crc(crc, p, 1);
        if ((*p & 0xC0) != 0x80)
            count++;
        if (ntag < 64 && ((*p & 0xC0) != 0x80 || ntag > 0))
            tag[ntag++] = (char)*p;
    }
    while (ntag > 0 && ((unsigned char)tag[ntag - 1] & 0xC0) == 0xC0)
        ntag--; /* no half character at the end */
    tag[ntag] = '\0';
    SPropValue v[6];
    v[0].ulPropTag = PR_RTF_IN_SYNC;
    v[0].Value.b = TRUE;
    v[1].ulPropTag = PR_RTF_SYNC_BODY_CRC;
    v[1].Value.l = (LONG)crc;
    v[2].ulPropTag = PR_RTF_SYNC_BODY_COUNT;
    v[2].Value.l = count;
    v[3].ulPropTag = PR_RTF_SYNC_BODY_TAG_A;
    v[3].Value.lpszA = tag;
    v[4].ulPropTag = PR_RTF_SYNC_PREFIX_COUNT;
    v[4].Value.l = 0;
    v[5].ulPropTag = PR_RTF_SYNC_TRAILING_COUNT;
    v[5].Value.l = 0;
    LPSPropProblemArray problems = NULL;
    HRESULT hr = m->lpVtbl->SetProps(m, 6, v, &problems);
    MAPIFreeBuffer(problems);
    return hr;
}

/* Whether two texts differ only in white space. */
static int same_significant(const char *a, const char *b)
{
    for (;;) {
        while (*a && is_space((unsigned char)*a))
            a++;
        while (*b && is_space((unsigned char)*b))
            b++;
        if (*a != *b)
            return 0;
        if (*a == '\0')
            return 1;
        a++;
        b++;
    }
}

HRESULT fm_rtf_text_of(const char *rtf, size_t n, fm_rtf_buf *text)
{
    fm_rtf_kind kind;
    if (fm_rtf_detect(rtf, n) == FM_RTF_FROM_TEXT)
        return fm_rtf_deencapsulate(rtf, n, &kind, text);
    return fm_rtf_to_text(rtf, n, text);
}

static HRESULT body_from_rtf(LPMESSAGE m, ULONG flags, BOOL *updated)
{
    fm_rtf_buf rtf = { NULL, 0, 0 }, text = { NULL, 0, 0 }, body = { NULL, 0, 0 };
    HRESULT hr = fm_rtf_message_read_rtf(m, &rtf);
    if (hr == S_OK)
        hr = fm_rtf_text_of(rtf.p, rtf.n, &text);
    int have_body = 0;
    if (hr == S_OK && (flags & RTF_SYNC_BODY_CHANGED)) {
        HRESULT b = fm_rtf_message_read_text(m, PR_BODY_W, &body);
        have_body = b == S_OK;
        if (b != S_OK && b != MAPI_E_NOT_FOUND)
            hr = b;
    }
    if (hr == S_OK && !(have_body && same_significant(body.p, text.p))) {
        hr = fm_rtf_message_write_text(m, PR_BODY_W, text.p);
        *updated = TRUE;
    }
    if (hr == S_OK) {
        hr = set_sync_props(m, text.p);
        *updated = TRUE;
    }
    fm_rtf_buf_clear(&rtf);
    fm_rtf_buf_clear(&text);
    fm_rtf_buf_clear(&body);
    return hr;
}

static HRESULT rtf_from_body(LPMESSAGE m, BOOL *updated)
{
    fm_rtf_buf body = { NULL, 0, 0 }, rtf = { NULL, 0, 0 };
    HRESULT hr = fm_rtf_message_read_text(m, PR_BODY_W, &body);
    if (hr == S_OK)
        hr = fm_rtf_from_text(body.p, body.n, &rtf);
    if (hr == S_OK)
        hr = fm_rtf_message_write_rtf(m, rtf.p, rtf.n);
    if (hr == S_OK)
        hr = set_sync_props(m, body.p);
    if (hr == S_OK)
        *updated = TRUE;
    fm_rtf_buf_clear(&body);
    fm_rtf_buf_clear(&rtf);
    return hr;
}

STDAPI RTFSync(LPMESSAGE lpMessage, ULONG ulFlags, BOOL *lpfMessageUpdated)
{
    if (lpMessage == NULL || lpfMessageUpdated == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "RTFSync: NULL argument");
    *lpfMessageUpdated = FALSE;
    if (ulFlags & ~(RTF_SYNC_RTF_CHANGED | RTF_SYNC_BODY_CHANGED))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "RTFSync: unknown flags %08lX",
                            (unsigned long)ulFlags);
    if (ulFlags & RTF_SYNC_RTF_CHANGED)
        return body_from_rtf(lpMessage, ulFlags, lpfMessageUpdated);
    if (ulFlags & RTF_SYNC_BODY_CHANGED)
        return rtf_from_body(lpMessage, lpfMessageUpdated);
    return S_OK;
}
