/*
 * server/core/httpd.c - the HTTP front-end over libmicrohttpd (httpd.h):
 * collects a request's body up to the limit, authenticates the request,
 * hands it to the module whose prefix its path has, and counts it in
 * flight until libmicrohttpd reports it completed (so that a stop waits for
 * it).
 */
#include "server/core/httpd.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "server/core/auth.h"
#include "server/core/log.h"

struct fm_srv_instance {
    fm_srv_httpd *httpd;
    struct MHD_Daemon *mhd;
    bool tls;
    _Atomic unsigned in_flight;
};

/* One request's state across libmicrohttpd's calls. */
typedef struct req_state {
    fm_srv_instance *inst;
    uint8_t *body;
    size_t len, cap;
    bool too_large;
} req_state;

void fm_srv_httpd_add_module(fm_srv_httpd *h, const fm_srv_module *m)
{
    if (h->n_modules < FM_SRV_MAX_MODULES)
        h->modules[h->n_modules++] = *m;
}

enum MHD_Result fm_srv_respond(struct MHD_Connection *c, unsigned status, const char *type,
                               const void *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (r == NULL)
        return MHD_NO;
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static bool body_append(req_state *st, const char *data, size_t n, size_t max)
{
    if (st->too_large || n > max - st->len) {
        st->too_large = true;
        fm_free(st->body);
        st->body = NULL;
        st->len = st->cap = 0;
        return true;
    }
    if (st->len + n > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n)
            cap *= 2;
        uint8_t *p = fm_realloc(st->body, cap);
        if (p == NULL)
            return false;
        st->body = p;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    return true;
}

static enum MHD_Result unauthorized(struct MHD_Connection *c)
{
    static const char text[] = "authentication required\n";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof text - 1, (void *)text, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"freemapid\"");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_UNAUTHORIZED, r);
    MHD_destroy_response(r);
    return ok;
}

/* Basic when given; else, on the Unix socket only, the peer's OS user. */
static HRESULT authenticate(fm_srv_instance *inst, struct MHD_Connection *c,
                            fm_site_entry *user)
{
    const char *authz =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authz)
        return fm_srv_auth_basic(inst->httpd->site, authz, user);
    if (inst->tls)
        return fm_error_set(MAPI_E_LOGON_FAILED, "no credentials");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (ci == NULL)
        return fm_error_set(MAPI_E_LOGON_FAILED, "no connection descriptor");
    return fm_srv_auth_peer(inst->httpd->site, ci->connect_fd, user);
}

static const fm_srv_module *find_module(fm_srv_httpd *h, const char *url)
{
    for (unsigned i = 0; i < h->n_modules; i++)
        if (strncmp(url, h->modules[i].prefix, strlen(h->modules[i].prefix)) == 0)
            return &h->modules[i];
    return NULL;
}

static enum MHD_Result dispatch(fm_srv_instance *inst, struct MHD_Connection *c, const char *url,
                                const char *method, req_state *st)
{
    fm_site_entry user = {0};
    const fm_srv_module *m = find_module(inst->httpd, url);
    if (m == NULL) {
        static const char text[] = "no such endpoint\n";
        return fm_srv_respond(c, MHD_HTTP_NOT_FOUND, "text/plain", text, sizeof text - 1);
    }
    HRESULT hr = authenticate(inst, c, &user);
    if (hr != S_OK) {
        fm_srv_log(FM_LOG_WARN, "%s %s: authentication failed: %s", method, url,
                   fm_error_text());
        return unauthorized(c);
    }
    fm_srv_request req = {.conn = c, .method = method, .url = url, .body = st->body,
                          .body_len = st->len, .too_large = st->too_large, .tls = inst->tls,
                          .user = &user};
    enum MHD_Result ok = m->handle(m->ctx, &req);
    fm_site_entry_clear(&user);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    fm_srv_instance *inst = cls;
    req_state *st = *con_cls;
    if (st == NULL) {
        if ((st = fm_calloc(1, sizeof *st)) == NULL)
            return MHD_NO;
        st->inst = inst;
        atomic_fetch_add(&inst->in_flight, 1);
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        bool ok = body_append(st, upload_data, *upload_data_size,
                              atomic_load(&inst->httpd->max_request_size));
        *upload_data_size = 0;
        return ok ? MHD_YES : MHD_NO;
    }
    return dispatch(inst, c, url, method, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_state *st = *con_cls;
    if (st == NULL)
        return;
    atomic_fetch_sub(&st->inst->in_flight, 1);
    fm_free(st->body);
    fm_free(st);
    *con_cls = NULL;
}

static fm_srv_instance *instance_start(fm_srv_listener *l, const char *cert, const char *key)
{
    fm_srv_instance *inst = fm_calloc(1, sizeof *inst);
    if (inst == NULL)
        return NULL;
    inst->httpd = l->httpd;
    inst->tls = l->tls;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_EPOLL;
    if (l->tls)
        flags |= MHD_USE_TLS;
    if (l->tls)
        inst->mhd = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, inst, MHD_OPTION_LISTEN_SOCKET, l->fd,
            MHD_OPTION_THREAD_POOL_SIZE, l->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
            inst, MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_HTTPS_MEM_CERT, cert,
            MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    else
        inst->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, inst,
                                     MHD_OPTION_LISTEN_SOCKET, l->fd,
                                     MHD_OPTION_THREAD_POOL_SIZE, l->threads,
                                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, inst,
                                     MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_END);
    if (inst->mhd == NULL) {
        fm_free(inst);
        return NULL;
    }
    return inst;
}

HRESULT fm_srv_listener_start(fm_srv_listener *l, fm_srv_httpd *h, int fd, unsigned threads,
                              const char *cert_pem, const char *key_pem)
{
    l->httpd = h;
    l->fd = fd;
    l->tls = cert_pem != NULL;
    l->threads = threads ? threads : 1;
    l->inst = instance_start(l, cert_pem, key_pem);
    if (l->inst == NULL)
        return fm_error_set(MAPI_E_CALL_FAILED, "cannot start the HTTP%s daemon",
                            l->tls ? "S (certificate or key unusable?)" : "");
    return S_OK;
}

/* Quiesce (again: a second call does nothing), wait for the instance's
 * requests (bounded), stop. */
static void instance_stop(fm_srv_instance *inst, unsigned wait_ms)
{
    MHD_quiesce_daemon(inst->mhd);
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (unsigned waited = 0; atomic_load(&inst->in_flight) != 0 && waited < wait_ms;
         waited += 10)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(inst->mhd);
    fm_free(inst);
}

void fm_srv_listener_quiesce(fm_srv_listener *l)
{
    if (l->inst)
        MHD_quiesce_daemon(l->inst->mhd);
}

void fm_srv_listener_stop(fm_srv_listener *l, unsigned wait_ms, bool close_fd)
{
    if (l->inst)
        instance_stop(l->inst, wait_ms);
    l->inst = NULL;
    if (close_fd && l->fd >= 0) {
        close(l->fd);
        l->fd = -1;
    }
}

HRESULT fm_srv_listener_retls(fm_srv_listener *l, const char *cert_pem, const char *key_pem)
{
    /* The new daemon starts on the same socket first, so a certificate it
     * cannot use leaves the old one serving; then the old one stops
     * accepting and ends after its requests. */
    fm_srv_instance *old = l->inst;
    fm_srv_instance *inst = instance_start(l, cert_pem, key_pem);
    if (inst == NULL)
        return fm_error_set(MAPI_E_CALL_FAILED, "the new certificate or key is unusable");
    l->inst = inst;
    instance_stop(old, 30000);
    return S_OK;
}
