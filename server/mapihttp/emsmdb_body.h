/*
 * server/mapihttp/emsmdb_body.h - the binary request and response bodies of
 * the mailbox endpoint (/mapi/emsmdb/) of MAPI over HTTP, [MS-OXCMAPIHTTP]
 * 2.2.4: parsed from and written to plain byte buffers, with no HTTP in
 * sight, so that libFuzzer (fuzz/fuzz_mapihttp.c) reaches every parser.
 *
 * All integers are little-endian. A parser either fills its struct and
 * returns S_OK or returns MAPI_E_CORRUPT_DATA with fm_error_set text; the
 * variable-length fields of a parsed request point into the caller's
 * buffer (nothing is allocated). Writers return fm_malloc'd buffers.
 */
#ifndef FREEMAPI_SERVER_MAPIHTTP_EMSMDB_BODY_H
#define FREEMAPI_SERVER_MAPIHTTP_EMSMDB_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "mapicode.h"
#include "mapidefs.h"

/* The auxiliary buffer of requests and responses ([MS-OXCRPC] 3.1.4.1.1.1)
 * is bounded there at 0x1008 bytes. */
#define FM_MH_AUX_MAX 0x1008u

/* 2.2.4.1.1 Connect request body. */
typedef struct fm_mh_connect_req {
    const char *user_dn; /* NUL-terminated ASCII inside the buffer */
    uint32_t flags, default_code_page, lcid_sort, lcid_string;
    const uint8_t *aux;
    uint32_t aux_size;
} fm_mh_connect_req;

/* 2.2.4.2.1 Execute request body. */
typedef struct fm_mh_execute_req {
    uint32_t flags;
    const uint8_t *rop_buffer;
    uint32_t rop_buffer_size;
    uint32_t max_rop_out;
    const uint8_t *aux;
    uint32_t aux_size;
} fm_mh_execute_req;

/* 2.2.4.3.1 Disconnect request body (and 2.2.4.4.1 NotificationWait's,
 * whose Flags field comes first). */
typedef struct fm_mh_aux_req {
    uint32_t flags; /* NotificationWait only */
    const uint8_t *aux;
    uint32_t aux_size;
} fm_mh_aux_req;

HRESULT fm_mh_parse_connect(const uint8_t *body, size_t len, fm_mh_connect_req *out);
HRESULT fm_mh_parse_execute(const uint8_t *body, size_t len, fm_mh_execute_req *out);
HRESULT fm_mh_parse_disconnect(const uint8_t *body, size_t len, fm_mh_aux_req *out);
HRESULT fm_mh_parse_notification_wait(const uint8_t *body, size_t len, fm_mh_aux_req *out);

/* A growable byte buffer for the writers (fm_malloc'd data). */
typedef struct fm_mh_buf {
    uint8_t *data;
    size_t len, cap;
    HRESULT hr; /* the first failure; later appends do nothing */
} fm_mh_buf;

void fm_mh_buf_u32(fm_mh_buf *b, uint32_t v);
void fm_mh_buf_bytes(fm_mh_buf *b, const void *p, size_t n);
/* s (UTF-8 restricted to ASCII for 8-bit fields) as NUL-terminated ASCII. */
void fm_mh_buf_ascii(fm_mh_buf *b, const char *s);
/* s (UTF-8) as NUL-terminated UTF-16LE. */
void fm_mh_buf_utf16(fm_mh_buf *b, const char *s);
void fm_mh_buf_clear(fm_mh_buf *b);

/* 2.2.4.1.2 Connect success response body. */
typedef struct fm_mh_connect_resp {
    uint32_t error_code, max_polling_interval, max_retry_count, retry_delay;
    const char *dn_prefix, *display_name;
} fm_mh_connect_resp;
void fm_mh_write_connect(fm_mh_buf *b, const fm_mh_connect_resp *r);
/* 2.2.4.2.2 Execute success response body. */
void fm_mh_write_execute(fm_mh_buf *b, uint32_t error_code, uint32_t flags, const uint8_t *rops,
                         uint32_t rops_size);
/* 2.2.4.3.2 Disconnect success response body. */
void fm_mh_write_disconnect(fm_mh_buf *b, uint32_t error_code);
/* 2.2.4.4.2 NotificationWait success response body. */
void fm_mh_write_notification_wait(fm_mh_buf *b, uint32_t error_code, uint32_t event_pending);
/* The failure response body of every request type (2.2.4.1.3, 2.2.4.2.3,
 * ...): StatusCode (non-zero) and an empty auxiliary buffer. */
void fm_mh_write_failure(fm_mh_buf *b, uint32_t status_code);

#endif /* FREEMAPI_SERVER_MAPIHTTP_EMSMDB_BODY_H */
