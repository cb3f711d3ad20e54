/*
 * tests/server/test_notify_wait.c - notifications over MAPI/HTTP against a
 * running freemapid: one session registers (RopRegisterNotification), a
 * second session of the same user creates a message in the Inbox, and the
 * first session's NotificationWait ([MS-OXCMAPIHTTP] 2.2.4.4, held until
 * the store's notification thread has queued the event) answers
 * EventPending; its next Execute carries the RopNotify ObjectCreated naming
 * its notification handle, the Inbox and the new MID. Then, nothing left,
 * an Execute carries no RopNotify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <sys/wait.h>

#include "fm_test.h"
#include "mh_client.h"

#define USERPW "alice:" FM_SERVER_PW

static fm_server srv;

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (fm_server_setup(&srv) != 0)
        return -1;
    srv.notification_wait = 30; /* held until the event is queued (a bound only) */
    if (fm_server_write_conf(&srv) != 0)
        return -1;
    return fm_server_start(&srv);
}

static int group_teardown(void **state)
{
    (void)state;
    int status = fm_server_stop(&srv);
    curl_global_cleanup();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

typedef struct ropbuf {
    uint8_t b[1024];
    size_t len;
} ropbuf;

static void rb1(ropbuf *r, uint8_t v) { r->b[r->len++] = v; }
static void rb2(ropbuf *r, uint16_t v) { rb1(r, (uint8_t)v); rb1(r, (uint8_t)(v >> 8)); }
static void rb4(ropbuf *r, uint32_t v) { rb2(r, (uint16_t)v); rb2(r, (uint16_t)(v >> 16)); }
static void rb8(ropbuf *r, uint64_t v) { rb4(r, (uint32_t)v); rb4(r, (uint32_t)(v >> 32)); }

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)mh_get32(p) | (uint64_t)mh_get32(p + 4) << 32;
}

/* One Execute of the RopsList rops with handles[0..n) over the Unix socket;
 * the response's RopsList into out (out_len) and its handles into handles. */
static void execute(const char *cookie, const ropbuf *rops, uint32_t *handles, size_t n,
                    uint8_t *out, size_t *out_len)
{
    uint8_t buf[2048], body[2304];
    size_t payload = 2 + rops->len + 4 * n, i;
    mh_resp r;

    buf[0] = buf[1] = 0;
    buf[2] = 0x04, buf[3] = 0; /* Last */
    buf[4] = buf[6] = (uint8_t)payload;
    buf[5] = buf[7] = (uint8_t)(payload >> 8);
    buf[8] = (uint8_t)(rops->len + 2);
    buf[9] = (uint8_t)((rops->len + 2) >> 8);
    memcpy(buf + 10, rops->b, rops->len);
    for (i = 0; i < n; i++)
        mh_put32(buf + 10 + rops->len + 4 * i, handles[i]);
    mh_req q = {.transport = MH_UNIX, .type = "Execute", .userpw = USERPW, .cookie = cookie,
                .body = body,
                .len = mh_execute_body(body, buf, (uint32_t)(8 + payload), 0x8000)};
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.rc, 0);
    assert_int_equal(mh_get32(r.body + 4), 0); /* ErrorCode */
    const uint8_t *h = r.body + 16;           /* RPC_HEADER_EXT */
    unsigned rop_size = h[8] | h[9] << 8;
    assert_true(rop_size >= 2);
    *out_len = rop_size - 2u;
    memcpy(out, h + 10, *out_len);
    for (i = 0; i < n; i++)
        handles[i] = mh_get32(h + 8 + rop_size + 4 * i);
    mh_resp_clear(&r);
}

/* RopLogon of alice's own mailbox into [0]; returns the Inbox's FID. */
static uint64_t logon(const char *cookie, uint32_t *handles, size_t n)
{
    static const char dn[] = "/o=freemapi/ou=test/cn=Recipients/cn=alice";
    uint8_t out[1024];
    size_t len;
    ropbuf r = {{0}, 0};

    rb1(&r, 0xFE); rb1(&r, 0); rb1(&r, 0); rb1(&r, 0x01); rb4(&r, 0x01000000); rb4(&r, 0);
    rb2(&r, sizeof dn);
    memcpy(r.b + r.len, dn, sizeof dn);
    r.len += sizeof dn;
    execute(cookie, &r, handles, n, out, &len);
    assert_int_equal(out[0], 0xFE);
    assert_int_equal(mh_get32(out + 2), 0);
    return get64(out + 7 + 8 * 4); /* FolderIds[4]: the Inbox */
}

typedef struct waiter {
    const char *cookie;
    int ok;
    uint32_t pending;
} waiter;

static void *wait_call(void *p)
{
    waiter *w = p;
    uint8_t aux0[8] = {0};
    mh_resp r;
    mh_req q = {.transport = MH_UNIX, .type = "NotificationWait", .userpw = USERPW,
                .cookie = w->cookie, .body = aux0, .len = sizeof aux0};

    w->ok = mh_call(&srv, &q, &r) == 0 && r.status == 200 && r.rc == 0 && r.body_len == 16;
    if (w->ok)
        w->pending = mh_get32(r.body + 8); /* EventPending */
    mh_resp_clear(&r);
    return NULL;
}

static void another_sessions_new_message_reaches_notification_wait_and_execute(void **state)
{
    (void)state;
    char a[128], b[128];
    uint32_t ha[2] = {0xFFFFFFFFu, 0xFFFFFFFFu}, hb[2] = {0xFFFFFFFFu, 0xFFFFFFFFu};
    uint8_t out[1024];
    size_t len;
    ropbuf r = {{0}, 0};
    waiter w;
    uint64_t inbox;

    assert_int_equal(mh_connect(&srv, MH_UNIX, USERPW, a), 0);
    assert_int_equal(mh_connect(&srv, MH_UNIX, USERPW, b), 0);
    inbox = logon(a, ha, 2);
    /* RopRegisterNotification: logon [0] -> [1], ObjectCreated, whole store */
    rb1(&r, 0x29); rb1(&r, 0); rb1(&r, 0); rb1(&r, 1); rb1(&r, 0x04); rb1(&r, 0); rb1(&r, 1);
    execute(a, &r, ha, 2, out, &len);
    assert_int_equal(len, 6);
    assert_int_equal(out[0], 0x29);
    assert_int_equal(mh_get32(out + 2), 0);
    assert_int_not_equal(ha[1], 0xFFFFFFFFu);

    /* the other session: CreateMessage in the Inbox, SaveChangesMessage */
    assert_true(logon(b, hb, 2) == inbox);
    r.len = 0;
    rb1(&r, 0x06); rb1(&r, 0); rb1(&r, 0); rb1(&r, 1); rb2(&r, 0x0FFF); rb8(&r, inbox);
    rb1(&r, 0);
    rb1(&r, 0x0C); rb1(&r, 0); rb1(&r, 1); rb1(&r, 1); rb1(&r, 0x02);
    execute(b, &r, hb, 2, out, &len);
    assert_int_equal(out[0], 0x06);
    assert_int_equal(mh_get32(out + 2), 0);
    assert_int_equal(out[7], 0x0C);
    assert_int_equal(mh_get32(out + 9), 0);
    uint64_t mid = get64(out + 14);

    /* Delivery is asynchronous (a notification thread of the server): the
     * wait is held until the event is queued. */
    w.cookie = a;
    w.ok = 0;
    w.pending = 0;
    (void)wait_call(&w);
    assert_true(w.ok);
    assert_int_equal(w.pending, 1);

    /* the first session collects it: an empty RopsList */
    r.len = 0;
    execute(a, &r, ha, 2, out, &len);
    assert_int_equal(len, 26);
    assert_int_equal(out[0], 0x2A);              /* RopNotify */
    assert_int_equal(mh_get32(out + 1), ha[1]);  /* NotificationHandle */
    assert_int_equal(out[5], 0);                 /* LogonId */
    assert_int_equal(out[6] | out[7] << 8, 0x8004); /* ObjectCreated, M */
    assert_true(get64(out + 8) == inbox);
    assert_true(get64(out + 16) == mid);
    r.len = 0;
    execute(a, &r, ha, 2, out, &len);
    assert_int_equal(len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            another_sessions_new_message_reaches_notification_wait_and_execute),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
