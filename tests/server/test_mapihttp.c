/*
 * tests/server/test_mapihttp.c - MAPI over HTTP against a running freemapid
 * ([MS-OXCMAPIHTTP]), through libcurl: Connect, Execute (RopLogon through
 * the ROP layer: one's own mailbox opened, another's refused), NotificationWait, Disconnect and PING over the Unix socket
 * and over TLS on loopback; authentication (peer credentials, Basic, wrong
 * passwords refused and rate-limited); session contexts bound to their
 * user; the protocol errors of malformed, truncated and oversized requests,
 * after which the server still serves; the certificate as openssl s_client
 * sees it. One server for the whole file (group setup).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fm_test.h"
#include "mh_client.h"

static fm_server srv;

static int group_setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (fm_server_setup(&srv) != 0)
        return -1;
    return fm_server_start(&srv);
}

static int group_teardown(void **state)
{
    int status = fm_server_stop(&srv);
    curl_global_cleanup();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A RopBuffer with one RopLogon ([MS-OXCROPS] 2.2.3.1.1) for a private
 * mailbox, in one RPC_HEADER_EXT ([MS-OXCRPC] 2.2.2.1) with Last set. */
static uint32_t logon_ropbuffer(uint8_t *b, const char *essdn)
{
    uint8_t *p = b + 8;
    size_t dn = strlen(essdn) + 1;
    size_t rop = 1 + 1 + 1 + 1 + 4 + 4 + 2 + dn;
    uint16_t rop_size = (uint16_t)(2 + rop);
    p[0] = (uint8_t)rop_size, p[1] = (uint8_t)(rop_size >> 8);
    uint8_t *r = p + 2;
    r[0] = 0xFE; /* RopLogon */
    r[1] = 0;    /* LogonId */
    r[2] = 0;    /* OutputHandleIndex */
    r[3] = 0x01; /* LogonFlags: Private */
    mh_put32(r + 4, 0x01000000); /* OpenFlags: USE_PER_MDB_REPLID_MAPPING */
    mh_put32(r + 8, 0);          /* StoreState */
    r[12] = (uint8_t)dn, r[13] = 0;
    memcpy(r + 14, essdn, dn);
    mh_put32(r + rop, 0xFFFFFFFF); /* the handle table: one slot for the logon */
    uint16_t payload = (uint16_t)(rop_size + 4);
    uint16_t hdr[4] = {0x0000, 0x0004, payload, payload};
    for (int i = 0; i < 4; i++)
        b[2 * i] = (uint8_t)hdr[i], b[2 * i + 1] = (uint8_t)(hdr[i] >> 8);
    return 8u + payload;
}

/* Checks a Connect body (2.2.4.1.2) and its display name. */
static void check_connect_body(const mh_resp *r, const char *display)
{
    assert_true(r->framed);
    assert_int_equal(r->inner_rc, 0);
    assert_true(r->body_len >= 20 + 1 + 2 + 4);
    assert_int_equal(mh_get32(r->body), 0);     /* StatusCode */
    assert_int_equal(mh_get32(r->body + 4), 0); /* ErrorCode */
    assert_true(mh_get32(r->body + 8) > 0);     /* MaxPollingInterval */
    const uint8_t *p = r->body + 20;
    assert_int_equal(p[0], 0); /* DnPrefix "" */
    p++;
    for (size_t i = 0; display[i]; i++, p += 2)
        assert_int_equal(p[0] | p[1] << 8, (unsigned char)display[i]);
    assert_int_equal(p[0] | p[1] << 8, 0);
    assert_int_equal(mh_get32(p + 2), 0); /* AuxiliaryBufferSize */
    assert_int_equal((size_t)(p + 6 - r->body), r->body_len);
}

/* Execute with a RopLogon to mailbox's store: an ExecuteResponse
 * (2.2.4.2.2) whose RopBuffer holds the RopLogon response the ROP layer
 * made: for one's own mailbox the private-mailbox success response
 * ([MS-OXCROPS] 2.2.3.1.2) with the logon's handle in the table, for
 * another's the failure response with ecAccessDenied. */
static void execute_logon(int transport, const char *userpw, const char *cookie,
                          const char *mailbox, bool own)
{
    uint8_t rops[256], body[512];
    char essdn[128];
    snprintf(essdn, sizeof essdn, "/o=freemapi/ou=test/cn=Recipients/cn=%s", mailbox);
    uint32_t n = logon_ropbuffer(rops, essdn);
    mh_resp r;
    mh_req q = {.transport = transport, .type = "Execute", .userpw = userpw, .cookie = cookie,
                .body = body, .len = mh_execute_body(body, rops, n, 0x8000)};
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.rc, 0);
    assert_true(r.framed);
    assert_true(r.body_len >= 16 + 8 + 2 + 6 + 4 + 4);
    assert_int_equal(mh_get32(r.body), 0);      /* StatusCode */
    assert_int_equal(mh_get32(r.body + 4), 0);  /* ErrorCode */
    uint32_t size = mh_get32(r.body + 12);      /* RopBufferSize */
    assert_int_equal(16 + size + 4, r.body_len);
    const uint8_t *h = r.body + 16;             /* RPC_HEADER_EXT */
    assert_int_equal(h[0] | h[1] << 8, 0);      /* Version */
    assert_true((h[2] | h[3] << 8) & 0x0004);   /* Last */
    assert_int_equal(h[4] | h[5] << 8, size - 8);
    const uint8_t *p = h + 8;
    unsigned rop_size = p[0] | p[1] << 8;       /* RopSize */
    const uint8_t *rop = p + 2;
    assert_int_equal(rop[0], 0xFE); /* RopLogon's response */
    assert_int_equal(rop[1], 0);    /* OutputHandleIndex */
    if (!own) {
        assert_int_equal(mh_get32(rop + 2), 0x80070005); /* ecAccessDenied */
        assert_int_equal(rop_size, 2 + 6);
        mh_resp_clear(&r);
        return;
    }
    assert_int_equal(mh_get32(rop + 2), 0); /* ReturnValue */
    assert_int_equal(rop[6], 0x01);         /* LogonFlags: Private */
    uint64_t root = 0;
    for (int i = 7; i >= 0; i--)
        root = root << 8 | rop[7 + i];
    assert_true(root != 0); /* FolderIds[0]: the root folder */
    assert_int_equal(rop_size, 2 + 166);
    /* the handle table: one entry, the logon's handle */
    assert_int_equal(h[4] | h[5] << 8, rop_size + 4);
    assert_true(mh_get32(p + rop_size) != 0xFFFFFFFF);
    mh_resp_clear(&r);
}

static void simple_call(int transport, const char *userpw, const char *type, const char *cookie,
                        const void *body, size_t len, int want_rc, mh_resp *r)
{
    mh_req q = {.transport = transport, .type = type, .userpw = userpw, .cookie = cookie,
                .body = body, .len = len};
    assert_int_equal(mh_call(&srv, &q, r), 0);
    assert_int_equal(r->status, 200);
    assert_int_equal(r->rc, want_rc);
    assert_true(r->framed);
    assert_int_equal(r->inner_rc, want_rc);
}

static void session_round_trip(int transport, const char *userpw, const char *display,
                               const char *alias)
{
    uint8_t body[256], aux0[8] = {0};
    mh_resp r;
    size_t n = mh_connect_body(body, "/o=freemapi/ou=test/cn=Recipients/cn=alice");
    simple_call(transport, userpw, "Connect", NULL, body, n, 0, &r);
    assert_int_equal(strlen(r.cookie), 64);
    check_connect_body(&r, display);
    char cookie[128];
    strcpy(cookie, r.cookie);
    mh_resp_clear(&r);

    execute_logon(transport, userpw, cookie, alias, true);
    /* another user's mailbox: the ROP layer refuses it (no rights granted) */
    execute_logon(transport, userpw, cookie, strcmp(alias, "carol") ? "carol" : "bob", false);

    simple_call(transport, userpw, "NotificationWait", cookie, aux0, 8, 0, &r);
    assert_int_equal(r.body_len, 16);
    assert_int_equal(mh_get32(r.body + 8), 0); /* EventPending: none */
    mh_resp_clear(&r);

    simple_call(transport, userpw, "PING", NULL, NULL, 0, 0, &r);
    assert_int_equal(r.body_len, 0);
    mh_resp_clear(&r);

    simple_call(transport, userpw, "Disconnect", cookie, aux0, 4, 0, &r);
    assert_int_equal(r.body_len, 12);
    assert_int_equal(mh_get32(r.body + 4), 0);
    mh_resp_clear(&r);

    /* The context is gone: its cookie names nothing now. */
    simple_call(transport, userpw, "NotificationWait", cookie, aux0, 8, 10, &r);
    mh_resp_clear(&r);
}

static void a_session_over_the_unix_socket_by_peer_credentials(void **state)
{
    session_round_trip(MH_UNIX, NULL, "OS user", getpwuid(geteuid())->pw_name);
}

static void a_session_over_the_unix_socket_by_password(void **state)
{
    session_round_trip(MH_UNIX, "alice:" FM_SERVER_PW, "alice", "alice");
}

static void a_session_over_tls_by_basic_authentication(void **state)
{
    session_round_trip(MH_TLS, "bob:" FM_SERVER_PW, "bob", "bob");
}

static void tls_without_credentials_or_with_a_wrong_password_is_refused(void **state)
{
    mh_resp r;
    mh_req q = {.transport = MH_TLS, .type = "PING"};
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 401);
    mh_resp_clear(&r);
    q.userpw = "bob:wrong";
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 401);
    mh_resp_clear(&r);
    q.userpw = "nobody:" FM_SERVER_PW;
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 401);
    mh_resp_clear(&r);
}

static void repeated_wrong_passwords_are_rate_limited(void **state)
{
    mh_resp r;
    mh_req q = {.transport = MH_TLS, .type = "PING", .userpw = "carol:wrong"};
    /* 5 free failures, then waits of 1 s, 2 s, ...: after the 7th failure
     * even the right password is refused for 2 s. */
    for (int i = 0; i < 7; i++) {
        assert_int_equal(mh_call(&srv, &q, &r), 0);
        assert_int_equal(r.status, 401);
        mh_resp_clear(&r);
    }
    q.userpw = "carol:" FM_SERVER_PW;
    assert_int_equal(mh_call(&srv, &q, &r), 0);
    assert_int_equal(r.status, 401);
    mh_resp_clear(&r);
    assert_true(fm_server_log_wait(&srv, "try again in"));
}

static void a_session_context_of_one_user_is_refused_to_another(void **state)
{
    char cookie[128];
    uint8_t aux0[8] = {0};
    mh_resp r;
    assert_int_equal(mh_connect(&srv, MH_TLS, "alice:" FM_SERVER_PW, cookie), 0);
    simple_call(MH_TLS, "bob:" FM_SERVER_PW, "NotificationWait", cookie, aux0, 8, 11, &r);
    mh_resp_clear(&r);
    simple_call(MH_TLS, "bob:" FM_SERVER_PW, "Disconnect", cookie, aux0, 4, 11, &r);
    mh_resp_clear(&r);
    /* still alice's, and alive */
    simple_call(MH_TLS, "alice:" FM_SERVER_PW, "Disconnect", cookie, aux0, 4, 0, &r);
    mh_resp_clear(&r);
}

/* One malformed request and the X-ResponseCode it must get. */
typedef struct bad_case {
    const char *what, *method, *path, *type, *content_type, *cookie;
    bool no_request_id;
    const void *body;
    size_t len;
    int rc;
} bad_case;

static void malformed_requests_get_protocol_errors_and_the_server_keeps_serving(void **state)
{
    char cookie[128];
    static const uint8_t trunc_connect[] = {'/', 'o', 0, 1, 0, 0};
    static const uint8_t no_nul[] = {'/', 'o', '=', 'x'};
    static const uint8_t exec_overrun[] = {0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 2};
    static const uint8_t exec_trailing[20] = {0};
    static const uint8_t aux_too_big[] = {0xFF, 0xFF, 0xFF, 0x7F};
    static const uint8_t rops_bad[] = {0, 0, 0, 0, 8, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9,
                                       0, 0x80, 0, 0, 0, 0, 0, 0};
    static uint8_t big[100 * 1024];
    assert_int_equal(mh_connect(&srv, MH_UNIX, NULL, cookie), 0);
    const bad_case cases[] = {
        {"GET", "GET", NULL, "PING", NULL, NULL, false, NULL, 0, 2},
        {"PUT", "PUT", NULL, "Connect", NULL, NULL, false, NULL, 0, 2},
        {"unknown path", NULL, "/mapi/nowhere/", "PING", NULL, NULL, false, NULL, 0, 3},
        {"no X-RequestType", NULL, NULL, NULL, NULL, NULL, false, NULL, 0, 7},
        {"no X-RequestId", NULL, NULL, "PING", NULL, NULL, true, NULL, 0, 7},
        {"unknown type", NULL, NULL, "Frobnicate", NULL, NULL, false, NULL, 0, 5},
        {"wrong content type", NULL, NULL, "PING", "text/html", NULL, false, NULL, 0, 4},
        {"empty Connect", NULL, NULL, "Connect", NULL, NULL, false, NULL, 0, 12},
        {"truncated Connect", NULL, NULL, "Connect", NULL, NULL, false, trunc_connect,
         sizeof trunc_connect, 12},
        {"UserDn without NUL", NULL, NULL, "Connect", NULL, NULL, false, no_nul, sizeof no_nul,
         12},
        {"Execute without cookie", NULL, NULL, "Execute", NULL, NULL, false, exec_trailing, 16,
         13},
        {"malformed cookie", NULL, NULL, "NotificationWait", NULL, "zz", false, exec_trailing, 8,
         6},
        {"unknown cookie", NULL, NULL, "NotificationWait", NULL,
         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false,
         exec_trailing, 8, 10},
        {"RopBufferSize past the end", NULL, NULL, "Execute", NULL, cookie, false, exec_overrun,
         sizeof exec_overrun, 12},
        {"bytes after the body", NULL, NULL, "Execute", NULL, cookie, false, exec_trailing,
         sizeof exec_trailing, 12},
        {"auxiliary buffer too big", NULL, NULL, "Disconnect", NULL, cookie, false, aux_too_big,
         sizeof aux_too_big, 12},
        {"malformed RopBuffer", NULL, NULL, "Execute", NULL, cookie, false, rops_bad,
         sizeof rops_bad, 12},
        {"larger than max_request_size", NULL, NULL, "Execute", NULL, cookie, false, big,
         sizeof big, 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        mh_resp r;
        mh_req q = {.transport = i % 2 ? MH_TLS : MH_UNIX, .method = c->method, .path = c->path,
                    .type = c->type, .content_type = c->content_type, .cookie = c->cookie,
                    .no_request_id = c->no_request_id, .body = c->body, .len = c->len,
                    .userpw = i % 2 ? "alice:" FM_SERVER_PW : NULL};
        if (q.transport == MH_TLS && c->cookie == cookie)
            q.userpw = NULL, q.transport = MH_UNIX; /* the cookie is the OS user's */
        assert_int_equal(mh_call(&srv, &q, &r), 0);
        if (r.rc != c->rc)
            fail_msg("%s: X-ResponseCode %d, expected %d", c->what, r.rc, c->rc);
        assert_true(r.framed);
        assert_int_equal(r.inner_rc, c->rc);
        mh_resp_clear(&r);
    }
    /* The session survived its bad requests, and the server serves. */
    execute_logon(MH_UNIX, NULL, cookie, getpwuid(geteuid())->pw_name, true);
    session_round_trip(MH_TLS, "alice:" FM_SERVER_PW, "alice", "alice");
}

static void the_certificate_is_what_openssl_s_client_verifies(void **state)
{
    char cmd[2 * PATH_MAX + 256];
    snprintf(cmd, sizeof cmd,
             "openssl s_client -connect %s -servername localhost -verify_hostname localhost "
             "-CAfile '%s' -verify_return_error </dev/null 2>&1 | grep -q "
             "'Verify return code: 0 (ok)'",
             srv.tcp, srv.cert);
    assert_int_equal(system(cmd), 0);
    /* and a client trusting another certificate refuses the server */
    char other_cert[PATH_MAX + 16], other_key[PATH_MAX + 16];
    snprintf(other_cert, sizeof other_cert, "%s/other.pem", srv.dir);
    snprintf(other_key, sizeof other_key, "%s/other.key", srv.dir);
    assert_int_equal(fm_server_make_cert(other_cert, other_key), 0);
    mh_resp r;
    mh_req q = {.transport = MH_TLS, .type = "PING", .userpw = "alice:" FM_SERVER_PW,
                .ca = other_cert};
    assert_int_equal(mh_call(&srv, &q, &r), -1);
    mh_resp_clear(&r);
}

static void the_socket_pid_file_and_site_are_private(void **state)
{
    struct stat st;
    char run[PATH_MAX + 8];
    snprintf(run, sizeof run, "%s/run", srv.dir);
    assert_int_equal(lstat(srv.sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(run, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(srv.pidfile, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(srv.site, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
}

int main(void)
{
    umask(0); /* the daemon must make its files private whatever the umask */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_session_over_the_unix_socket_by_peer_credentials),
        cmocka_unit_test(a_session_over_the_unix_socket_by_password),
        cmocka_unit_test(a_session_over_tls_by_basic_authentication),
        cmocka_unit_test(tls_without_credentials_or_with_a_wrong_password_is_refused),
        cmocka_unit_test(repeated_wrong_passwords_are_rate_limited),
        cmocka_unit_test(a_session_context_of_one_user_is_refused_to_another),
        cmocka_unit_test(malformed_requests_get_protocol_errors_and_the_server_keeps_serving),
        cmocka_unit_test(the_certificate_is_what_openssl_s_client_verifies),
        cmocka_unit_test(the_socket_pid_file_and_site_are_private),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
