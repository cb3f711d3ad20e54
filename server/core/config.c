/*
 * server/core/config.c - reads freemapid.conf (config.h).
 */
#include "server/core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void fm_srv_config_init(fm_srv_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_sessions = 1000;
    cfg->max_request_size = 1024 * 1024;
    cfg->threads = 4;
    cfg->session_idle = 1800;
    cfg->notification_wait = 0;
    cfg->lmtp_max_connections = 32;
    cfg->lmtp_max_message_size = 64u * 1024 * 1024;
    cfg->lmtp_timeout = 300;
}

void fm_srv_config_clear(fm_srv_config *cfg)
{
    fm_free(cfg->site);
    fm_free(cfg->listen_unix);
    fm_free(cfg->listen_tcp);
    fm_free(cfg->tls_cert);
    fm_free(cfg->tls_key);
    fm_free(cfg->lmtp_unix);
    fm_free(cfg->lmtp_tcp);
    memset(cfg, 0, sizeof *cfg);
}

static HRESULT set_string(char **slot, const char *value)
{
    char *s = fm_strdup(value);
    if (s == NULL)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    fm_free(*slot);
    *slot = s;
    return S_OK;
}

static HRESULT set_number(unsigned long long *out, const char *key, const char *value,
                          unsigned long long max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (errno || end == value || *end != '\0' || v == 0 || v > max || value[0] == '-')
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s: not a number from 1 to %llu: %s",
                            key, max, value);
    *out = v;
    return S_OK;
}

HRESULT fm_srv_config_set(fm_srv_config *cfg, const char *key, const char *value)
{
    unsigned long long n = 0;
    HRESULT hr;
    if (strcmp(key, "site") == 0)
        return set_string(&cfg->site, value);
    if (strcmp(key, "listen_unix") == 0)
        return set_string(&cfg->listen_unix, value);
    if (strcmp(key, "listen_tcp") == 0)
        return set_string(&cfg->listen_tcp, value);
    if (strcmp(key, "tls_cert") == 0)
        return set_string(&cfg->tls_cert, value);
    if (strcmp(key, "tls_key") == 0)
        return set_string(&cfg->tls_key, value);
    if (strcmp(key, "max_sessions") == 0) {
        if ((hr = set_number(&n, key, value, 1000000)) == S_OK)
            cfg->max_sessions = (unsigned)n;
        return hr;
    }
    if (strcmp(key, "max_request_size") == 0) {
        if ((hr = set_number(&n, key, value, 256ull * 1024 * 1024)) == S_OK)
            cfg->max_request_size = (size_t)n;
        return hr;
    }
    if (strcmp(key, "threads") == 0) {
        if ((hr = set_number(&n, key, value, 256)) == S_OK)
            cfg->threads = (unsigned)n;
        return hr;
    }
    if (strcmp(key, "session_idle") == 0) {
        if ((hr = set_number(&n, key, value, 30 * 24 * 3600)) == S_OK)
            cfg->session_idle = (unsigned)n;
        return hr;
    }
    if (strcmp(key, "notification_wait") == 0) {
        if (strcmp(value, "0") == 0) { /* answered at once */
            cfg->notification_wait = 0;
            return S_OK;
        }
        if ((hr = set_number(&n, key, value, 3600)) == S_OK)
            cfg->notification_wait = (unsigned)n;
        return hr;
    }
    if (strcmp(key, "lmtp_listen") == 0)
        return set_string(value[0] == '/' ? &cfg->lmtp_unix : &cfg->lmtp_tcp, value);
    if (strcmp(key, "lmtp_max_connections") == 0) {
        if ((hr = set_number(&n, key, value, 4096)) == S_OK)
            cfg->lmtp_max_connections = (unsigned)n;
        return hr;
    }
    if (strcmp(key, "lmtp_max_message_size") == 0) {
        if ((hr = set_number(&n, key, value, 1024ull * 1024 * 1024)) == S_OK)
            cfg->lmtp_max_message_size = (size_t)n;
        return hr;
    }
    if (strcmp(key, "lmtp_timeout") == 0) {
        if ((hr = set_number(&n, key, value, 3600)) == S_OK)
            cfg->lmtp_timeout = (unsigned)n;
        return hr;
    }
    return fm_error_set(MAPI_E_INVALID_PARAMETER, "unknown key %s", key);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* One line: blank, a comment, or key = value. */
static HRESULT parse_line(fm_srv_config *cfg, char *line, const char *path, unsigned lineno)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return S_OK;
    char *eq = strchr(s, '=');
    if (eq == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "%s:%u: expected key = value", path,
                            lineno);
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    HRESULT hr = fm_srv_config_set(cfg, key, value);
    if (FAILED(hr) && hr != MAPI_E_NOT_ENOUGH_MEMORY) {
        char why[FM_ERROR_TEXT_MAX];
        snprintf(why, sizeof why, "%s", fm_error_text());
        return fm_error_set(hr, "%s:%u: %s", path, lineno, why);
    }
    return hr;
}

HRESULT fm_srv_config_load(const char *path, fm_srv_config *cfg)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return fm_error_set(errno == ENOENT ? MAPI_E_NOT_FOUND : MAPI_E_NO_ACCESS,
                            "cannot open %s: %s", path, strerror(errno));
    char line[4096];
    unsigned lineno = 0;
    HRESULT hr = S_OK;
    while (hr == S_OK && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            hr = fm_error_set(MAPI_E_INVALID_PARAMETER, "%s:%u: line too long", path, lineno);
            break;
        }
        hr = parse_line(cfg, line, path, lineno);
    }
    fclose(f);
    return hr;
}

HRESULT fm_srv_config_check(const fm_srv_config *cfg)
{
    if (cfg->site == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "no site (--site or site = DIR)");
    if (cfg->listen_unix == NULL && cfg->listen_tcp == NULL && cfg->lmtp_unix == NULL &&
        cfg->lmtp_tcp == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "no listen_unix, no listen_tcp and no lmtp_listen");
    if (cfg->listen_tcp && (cfg->tls_cert == NULL || cfg->tls_key == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "listen_tcp needs tls_cert and tls_key (TCP is TLS only)");
    return S_OK;
}
