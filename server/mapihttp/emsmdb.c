/*
 * server/mapihttp/emsmdb.c - Connect, Execute, Disconnect,
 * NotificationWait and PING on /mapi/emsmdb/ (emsmdb.h). Execute hands the
 * RopBuffer to the ROP layer (src/rop/rop.h) under the session's lock, so
 * one session context runs one Execute at a time.
 */
#include "server/mapihttp/emsmdb.h"

#include <stdatomic.h>
#include <stdio.h>

#include "core/alloc.h"
#include "core/error.h"
#include "rop/rop.h"
#include "server/core/log.h"

/* [MS-OXCRPC] 3.1.4.2: the ROP output buffer is at most 0x40000 bytes. */
#define ROP_OUT_MAX 0x40000u
/* [MS-OXCDATA] 2.4: the buffer given cannot hold the response. */
#define EC_BUFFER_TOO_SMALL 0x0000047Du
/* Connect response values (2.2.4.1.2): how long a client may wait between
 * requests before the session may end, and how it retries. */
#define MAX_POLLING_INTERVAL_MS 60000u
#define MAX_RETRY_COUNT 6u
#define RETRY_DELAY_MS 10000u

static void rop_state_free(void *state)
{
    fm_rop_context_free(state);
}

/* The session named by the request's cookie, acquired; else the reply
 * carries the protocol error and NULL is returned. */
static fm_srv_session *session_of(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    fm_srv_session *s = NULL;
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, FM_MH_COOKIE);
    if (cookie == NULL) {
        fm_mh_reply_error(r, FM_MH_RC_MISSING_COOKIE, "the " FM_MH_COOKIE " cookie is missing");
        return NULL;
    }
    HRESULT hr = fm_srv_session_acquire(m->sessions, cookie, req->user->id, &s);
    if (hr == MAPI_E_INVALID_PARAMETER)
        fm_mh_reply_error(r, FM_MH_RC_INVALID_CONTEXT_COOKIE, "invalid session context cookie");
    else if (hr == MAPI_E_NO_ACCESS)
        fm_mh_reply_error(r, FM_MH_RC_NO_PRIVILEGE, "the session context is another user's");
    else if (hr != S_OK)
        fm_mh_reply_error(r, FM_MH_RC_CONTEXT_NOT_FOUND, "no such session context");
    return s;
}

static void body_error(fm_mh_reply *r)
{
    fm_mh_reply_error(r, FM_MH_RC_INVALID_REQUEST_BODY, "the request body is malformed");
}

void fm_emsmdb_connect(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    fm_mh_connect_req in;
    fm_rop_context *ctx = NULL;
    if (fm_mh_parse_connect(req->body, req->body_len, &in) != S_OK) {
        body_error(r);
        return;
    }
    HRESULT hr = fm_rop_context_new(m->site, req->user->alias, &ctx);
    if (hr == S_OK)
        hr = fm_srv_session_create(m->sessions, req->user->id, ctx, rop_state_free, r->cookie);
    if (hr != S_OK) {
        fm_srv_log(FM_LOG_WARN, "Connect of %s refused: %s", req->user->alias, fm_error_text());
        fm_mh_reply_error(r, FM_MH_RC_UNKNOWN_FAILURE,
                          hr == MAPI_E_NOT_ENOUGH_RESOURCES ? "too many session contexts"
                                                            : "cannot create a session context");
        r->cookie[0] = '\0';
        return;
    }
    fm_mh_connect_resp out = {.error_code = 0, .max_polling_interval = MAX_POLLING_INTERVAL_MS,
                              .max_retry_count = MAX_RETRY_COUNT, .retry_delay = RETRY_DELAY_MS,
                              .dn_prefix = "", .display_name = req->user->display};
    fm_mh_write_connect(&r->body, &out);
}

/* Runs the ROPs and writes the Execute response body. */
static void run_rops(fm_rop_context *ctx, const fm_mh_execute_req *in, fm_mh_reply *r)
{
    uint8_t *out = NULL;
    size_t out_len = 0;
    size_t max_out = in->max_rop_out < ROP_OUT_MAX ? in->max_rop_out : ROP_OUT_MAX;
    HRESULT hr = fm_rop_execute(ctx, in->rop_buffer, in->rop_buffer_size, max_out, &out,
                                &out_len);
    if (hr == S_OK)
        fm_mh_write_execute(&r->body, 0, 0, out, (uint32_t)out_len);
    else if (hr == MAPI_E_TOO_BIG)
        fm_mh_write_execute(&r->body, EC_BUFFER_TOO_SMALL, 0, NULL, 0);
    else if (hr == MAPI_E_CORRUPT_DATA)
        fm_mh_reply_error(r, FM_MH_RC_INVALID_REQUEST_BODY, "the RopBuffer is malformed");
    else
        fm_mh_reply_error(r, FM_MH_RC_UNKNOWN_FAILURE, "the ROPs could not be run");
    fm_free(out);
}

void fm_emsmdb_execute(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    fm_mh_execute_req in;
    if (fm_mh_parse_execute(req->body, req->body_len, &in) != S_OK) {
        body_error(r);
        return;
    }
    fm_srv_session *s = session_of(m, req, r);
    if (s == NULL)
        return;
    run_rops(fm_srv_session_state(s), &in, r);
    fm_srv_session_release(m->sessions, s, 0);
}

void fm_emsmdb_disconnect(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    fm_mh_aux_req in;
    if (fm_mh_parse_disconnect(req->body, req->body_len, &in) != S_OK) {
        body_error(r);
        return;
    }
    fm_srv_session *s = session_of(m, req, r);
    if (s == NULL)
        return;
    fm_srv_session_release(m->sessions, s, 1);
    r->expire_cookie = true;
    fm_mh_write_disconnect(&r->body, 0);
}

void fm_emsmdb_notification_wait(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    fm_mh_aux_req in;
    if (fm_mh_parse_notification_wait(req->body, req->body_len, &in) != S_OK) {
        body_error(r);
        return;
    }
    fm_srv_session *s = session_of(m, req, r);
    if (s == NULL)
        return;
    /* 2.2.4.4: held until an event is pending or the wait ends. The wait
     * holds a reference on the context's queue, not the session, so an
     * Execute of the same session runs meanwhile and a Disconnect or expiry
     * frees nothing under it. The worker thread is held for the wait. */
    fm_rop_waiter *w = fm_rop_context_waiter(fm_srv_session_state(s));
    fm_srv_session_release(m->sessions, s, 0);
    bool pending = w && fm_rop_waiter_wait(w, atomic_load(&m->notification_wait_ms));
    fm_rop_waiter_release(w);
    fm_mh_write_notification_wait(&r->body, 0, pending ? 1 : 0);
}

void fm_emsmdb_ping(fm_mh_module *m, const fm_srv_request *req, fm_mh_reply *r)
{
    /* 2.2.3.3.1: PING only asks whether the endpoint answers; no body. */
}
