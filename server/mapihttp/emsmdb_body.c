/*
 * server/mapihttp/emsmdb_body.c - parsers and writers of the mailbox
 * endpoint's binary bodies ([MS-OXCMAPIHTTP] 2.2.4; see emsmdb_body.h).
 * Each parser reads through a bounded cursor: a field that runs past the
 * end, a size larger than what is left, or bytes left over after the last
 * field make the body corrupt.
 */
#include "server/mapihttp/emsmdb_body.h"

#include <stdbool.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

typedef struct cursor {
    const uint8_t *p;
    size_t left;
    bool bad;
} cursor;

static uint32_t rd_u32(cursor *c)
{
    if (c->bad || c->left < 4) {
        c->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
                 (uint32_t)c->p[3] << 24;
    c->p += 4;
    c->left -= 4;
    return v;
}

static const uint8_t *rd_bytes(cursor *c, uint32_t n)
{
    if (c->bad || c->left < n) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    c->left -= n;
    return p;
}

/* A NUL-terminated ASCII string: bytes 0x01..0x7F then NUL. */
static const char *rd_ascii(cursor *c)
{
    if (c->bad)
        return NULL;
    const uint8_t *nul = memchr(c->p, 0, c->left);
    if (nul == NULL) {
        c->bad = true;
        return NULL;
    }
    for (const uint8_t *q = c->p; q < nul; q++)
        if (*q >= 0x80) {
            c->bad = true;
            return NULL;
        }
    const char *s = (const char *)c->p;
    size_t n = (size_t)(nul - c->p) + 1;
    c->p += n;
    c->left -= n;
    return s;
}

/* AuxiliaryBufferSize then AuxiliaryBuffer, bounded as [MS-OXCRPC] bounds it. */
static void rd_aux(cursor *c, const uint8_t **aux, uint32_t *size)
{
    *size = rd_u32(c);
    if (!c->bad && *size > FM_MH_AUX_MAX)
        c->bad = true;
    *aux = rd_bytes(c, *size);
}

static HRESULT finish(const cursor *c, const char *what)
{
    if (c->bad)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "%s request body is truncated or malformed",
                            what);
    if (c->left != 0)
        return fm_error_set(MAPI_E_CORRUPT_DATA, "%s request body has %zu bytes after its end",
                            what, c->left);
    return S_OK;
}

/* [MS-OXCMAPIHTTP] 2.2.4.1.1: UserDn (ASCII, NUL), Flags, DefaultCodePage,
 * LcidSort, LcidString, AuxiliaryBufferSize, AuxiliaryBuffer. */
HRESULT fm_mh_parse_connect(const uint8_t *body, size_t len, fm_mh_connect_req *out)
{
    cursor c = {body, body ? len : 0, body == NULL};
    memset(out, 0, sizeof *out);
    out->user_dn = rd_ascii(&c);
    out->flags = rd_u32(&c);
    out->default_code_page = rd_u32(&c);
    out->lcid_sort = rd_u32(&c);
    out->lcid_string = rd_u32(&c);
    rd_aux(&c, &out->aux, &out->aux_size);
    return finish(&c, "Connect");
}

/* [MS-OXCMAPIHTTP] 2.2.4.2.1: Flags, RopBufferSize, RopBuffer, MaxRopOut,
 * AuxiliaryBufferSize, AuxiliaryBuffer. */
HRESULT fm_mh_parse_execute(const uint8_t *body, size_t len, fm_mh_execute_req *out)
{
    cursor c = {body, body ? len : 0, body == NULL};
    memset(out, 0, sizeof *out);
    out->flags = rd_u32(&c);
    out->rop_buffer_size = rd_u32(&c);
    out->rop_buffer = rd_bytes(&c, out->rop_buffer_size);
    out->max_rop_out = rd_u32(&c);
    rd_aux(&c, &out->aux, &out->aux_size);
    return finish(&c, "Execute");
}

/* [MS-OXCMAPIHTTP] 2.2.4.3.1: AuxiliaryBufferSize, AuxiliaryBuffer. */
HRESULT fm_mh_parse_disconnect(const uint8_t *body, size_t len, fm_mh_aux_req *out)
{
    cursor c = {body, body ? len : 0, body == NULL};
    memset(out, 0, sizeof *out);
    rd_aux(&c, &out->aux, &out->aux_size);
    return finish(&c, "Disconnect");
}

/* [MS-OXCMAPIHTTP] 2.2.4.4.1: Flags (reserved), AuxiliaryBufferSize,
 * AuxiliaryBuffer. */
HRESULT fm_mh_parse_notification_wait(const uint8_t *body, size_t len, fm_mh_aux_req *out)
{
    cursor c = {body, body ? len : 0, body == NULL};
    memset(out, 0, sizeof *out);
    out->flags = rd_u32(&c);
    rd_aux(&c, &out->aux, &out->aux_size);
    return finish(&c, "NotificationWait");
}

/* ---- writers ------------------------------------------------------------ */

static bool buf_reserve(fm_mh_buf *b, size_t n)
{
    if (b->hr != S_OK)
        return false;
    if (n > SIZE_MAX - b->len) {
        b->hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return false;
    }
    if (b->len + n <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n)
        cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
    uint8_t *p = fm_malloc(cap);
    if (p == NULL) {
        b->hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "response body of %zu bytes", cap);
        return false;
    }
    if (b->len)
        memcpy(p, b->data, b->len);
    fm_free(b->data);
    b->data = p;
    b->cap = cap;
    return true;
}

void fm_mh_buf_bytes(fm_mh_buf *b, const void *p, size_t n)
{
    if (n == 0 || !buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void fm_mh_buf_u32(fm_mh_buf *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fm_mh_buf_bytes(b, le, 4);
}

void fm_mh_buf_ascii(fm_mh_buf *b, const char *s)
{
    for (; s && *s; s++) {
        uint8_t ch = (uint8_t)*s < 0x80 ? (uint8_t)*s : (uint8_t)'?';
        fm_mh_buf_bytes(b, &ch, 1);
    }
    uint8_t nul = 0;
    fm_mh_buf_bytes(b, &nul, 1);
}

/* Decodes one UTF-8 sequence at *s (advancing it); U+FFFD for bad bytes. */
static uint32_t utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp;
    int n;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) { cp = p[0] & 0x1F; n = 1; }
    else if ((p[0] & 0xF0) == 0xE0) { cp = p[0] & 0x0F; n = 2; }
    else if ((p[0] & 0xF8) == 0xF0) { cp = p[0] & 0x07; n = 3; }
    else { *s = p + 1; return 0xFFFD; }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + i;
            return 0xFFFD;
        }
        cp = cp << 6 | (p[i] & 0x3F);
    }
    *s = p + n + 1;
    return cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000) ? 0xFFFD : cp;
}

static void buf_u16(fm_mh_buf *b, uint32_t u)
{
    uint8_t le[2] = {(uint8_t)u, (uint8_t)(u >> 8)};
    fm_mh_buf_bytes(b, le, 2);
}

void fm_mh_buf_utf16(fm_mh_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        uint32_t cp = utf8_next(&p);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf_u16(b, 0xD800 | (cp >> 10));
            buf_u16(b, 0xDC00 | (cp & 0x3FF));
        } else {
            buf_u16(b, cp);
        }
    }
    buf_u16(b, 0);
}

void fm_mh_buf_clear(fm_mh_buf *b)
{
    fm_free(b->data);
    memset(b, 0, sizeof *b);
}

/* [MS-OXCMAPIHTTP] 2.2.4.1.2: StatusCode, ErrorCode, MaxPollingInterval,
 * MaxRetryCount, RetryDelay, DnPrefix (ASCII), DisplayName (Unicode),
 * AuxiliaryBufferSize, AuxiliaryBuffer. */
void fm_mh_write_connect(fm_mh_buf *b, const fm_mh_connect_resp *r)
{
    fm_mh_buf_u32(b, 0);
    fm_mh_buf_u32(b, r->error_code);
    fm_mh_buf_u32(b, r->max_polling_interval);
    fm_mh_buf_u32(b, r->max_retry_count);
    fm_mh_buf_u32(b, r->retry_delay);
    fm_mh_buf_ascii(b, r->dn_prefix);
    fm_mh_buf_utf16(b, r->display_name);
    fm_mh_buf_u32(b, 0);
}

/* [MS-OXCMAPIHTTP] 2.2.4.2.2: StatusCode, ErrorCode, Flags, RopBufferSize,
 * RopBuffer, AuxiliaryBufferSize, AuxiliaryBuffer. */
void fm_mh_write_execute(fm_mh_buf *b, uint32_t error_code, uint32_t flags, const uint8_t *rops,
                         uint32_t rops_size)
{
    fm_mh_buf_u32(b, 0);
    fm_mh_buf_u32(b, error_code);
    fm_mh_buf_u32(b, flags);
    fm_mh_buf_u32(b, rops_size);
    fm_mh_buf_bytes(b, rops, rops_size);
    fm_mh_buf_u32(b, 0);
}

/* [MS-OXCMAPIHTTP] 2.2.4.3.2: StatusCode, ErrorCode, AuxiliaryBufferSize,
 * AuxiliaryBuffer. */
void fm_mh_write_disconnect(fm_mh_buf *b, uint32_t error_code)
{
    fm_mh_buf_u32(b, 0);
    fm_mh_buf_u32(b, error_code);
    fm_mh_buf_u32(b, 0);
}

/* [MS-OXCMAPIHTTP] 2.2.4.4.2: StatusCode, ErrorCode, EventPending,
 * AuxiliaryBufferSize, AuxiliaryBuffer. */
void fm_mh_write_notification_wait(fm_mh_buf *b, uint32_t error_code, uint32_t event_pending)
{
    fm_mh_buf_u32(b, 0);
    fm_mh_buf_u32(b, error_code);
    fm_mh_buf_u32(b, event_pending);
    fm_mh_buf_u32(b, 0);
}

/* [MS-OXCMAPIHTTP] 2.2.4.1.3 (and the other request types' failure
 * bodies): StatusCode, AuxiliaryBufferSize, AuxiliaryBuffer. */
void fm_mh_write_failure(fm_mh_buf *b, uint32_t status_code)
{
    fm_mh_buf_u32(b, status_code);
    fm_mh_buf_u32(b, 0);
}
