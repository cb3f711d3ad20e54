/*
 * fuzz/fuzz_mapihttp.c - libFuzzer harness for the MAPI/HTTP mailbox
 * request bodies freemapid parses (server/mapihttp/emsmdb_body.c,
 * [MS-OXCMAPIHTTP] 2.2.4). The first byte picks the request type (Connect,
 * Execute, Disconnect, NotificationWait), the rest is the body. Every input
 * must parse or be MAPI_E_CORRUPT_DATA; what parses must point inside the
 * input and, written back field by field, give the input again (nothing
 * skipped, nothing read twice).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapicode.h"
#include "server/mapihttp/emsmdb_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const uint8_t *p, size_t n, const uint8_t *body, size_t len)
{
    if (n && (p < body || p + n > body + len))
        abort();
}

static void same(fm_mh_buf *b, const uint8_t *body, size_t len)
{
    if (b->hr != S_OK || b->len != len || (len && memcmp(b->data, body, len) != 0))
        abort();
    fm_mh_buf_clear(b);
}

static void connect_case(const uint8_t *body, size_t len)
{
    fm_mh_connect_req r;
    fm_mh_buf b = {0};
    HRESULT hr = fm_mh_parse_connect(body, len, &r);
    if (hr != S_OK) {
        if (hr != MAPI_E_CORRUPT_DATA)
            abort();
        return;
    }
    inside((const uint8_t *)r.user_dn, strlen(r.user_dn) + 1, body, len);
    inside(r.aux, r.aux_size, body, len);
    fm_mh_buf_ascii(&b, r.user_dn);
    fm_mh_buf_u32(&b, r.flags);
    fm_mh_buf_u32(&b, r.default_code_page);
    fm_mh_buf_u32(&b, r.lcid_sort);
    fm_mh_buf_u32(&b, r.lcid_string);
    fm_mh_buf_u32(&b, r.aux_size);
    fm_mh_buf_bytes(&b, r.aux, r.aux_size);
    same(&b, body, len);
}

static void execute_case(const uint8_t *body, size_t len)
{
    fm_mh_execute_req r;
    fm_mh_buf b = {0};
    HRESULT hr = fm_mh_parse_execute(body, len, &r);
    if (hr != S_OK) {
        if (hr != MAPI_E_CORRUPT_DATA)
            abort();
        return;
    }
    inside(r.rop_buffer, r.rop_buffer_size, body, len);
    inside(r.aux, r.aux_size, body, len);
    fm_mh_buf_u32(&b, r.flags);
    fm_mh_buf_u32(&b, r.rop_buffer_size);
    fm_mh_buf_bytes(&b, r.rop_buffer, r.rop_buffer_size);
    fm_mh_buf_u32(&b, r.max_rop_out);
    fm_mh_buf_u32(&b, r.aux_size);
    fm_mh_buf_bytes(&b, r.aux, r.aux_size);
    same(&b, body, len);
}

static void aux_case(const uint8_t *body, size_t len, int wait)
{
    fm_mh_aux_req r;
    fm_mh_buf b = {0};
    HRESULT hr = wait ? fm_mh_parse_notification_wait(body, len, &r)
                      : fm_mh_parse_disconnect(body, len, &r);
    if (hr != S_OK) {
        if (hr != MAPI_E_CORRUPT_DATA)
            abort();
        return;
    }
    inside(r.aux, r.aux_size, body, len);
    if (wait)
        fm_mh_buf_u32(&b, r.flags);
    fm_mh_buf_u32(&b, r.aux_size);
    fm_mh_buf_bytes(&b, r.aux, r.aux_size);
    same(&b, body, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t *body = data + 1;
    size_t len = size - 1;
    switch (data[0] & 3) {
    case 0: connect_case(body, len); break;
    case 1: execute_case(body, len); break;
    case 2: aux_case(body, len, 0); break;
    default: aux_case(body, len, 1); break;
    }
    return 0;
}
