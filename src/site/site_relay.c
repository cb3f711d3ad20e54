/*
 * site/site_relay.c - the site's relay setting (freemapi_relay.h): a file
 * relay.conf in the site directory, one "key value" line each (host, port,
 * tls, user, password, cafile). It holds the relay's AUTH password, so it
 * is made 0600 whatever the umask, written whole to a temporary file in the
 * same directory, synced and renamed over the old one (a reader sees the
 * old setting or the new one, never half), and read without following a
 * symbolic link.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "freemapi_relay.h"
#include "mapix.h"
#include "site/site.h"

#define RELAY_FILE "relay.conf"
#define RELAY_FILE_MAX 8192

static const char *const TLS_NAMES[] = { "required", "optional", "none" };

static bool one_line(const char *v)
{
    return v == NULL || strpbrk(v, "\r\n") == NULL;
}

static HRESULT check_config(const fmapi_relay_config *c)
{
    if (c->host == NULL || c->host[0] == '\0' || c->port == 0 || c->port > 65535 ||
        c->tls > FMAPI_RELAY_TLS_NONE || !one_line(c->host) || !one_line(c->user) ||
        !one_line(c->password) || !one_line(c->cafile) || strchr(c->host, ' ') != NULL ||
        (c->user != NULL && c->password == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "fmapi_site_set_relay: a relay needs a host, a port in 1-65535, "
                            "a known tls mode, a password with a user, and one-line values");
    return S_OK;
}

static char *relay_path(const fmapi_site *site, const char *suffix)
{
    size_t len = strlen(site->dir) + sizeof "/" RELAY_FILE + strlen(suffix);
    char *p = fm_malloc(len);
    if (p != NULL)
        snprintf(p, len, "%s/%s%s", site->dir, RELAY_FILE, suffix);
    return p;
}

static HRESULT write_all(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return fm_error_set(MAPI_E_DISK_ERROR, "writing the relay setting: %s",
                                strerror(errno));
        off += (size_t)w;
    }
    return fsync(fd) == 0 ? S_OK
                          : fm_error_set(MAPI_E_DISK_ERROR, "syncing the relay setting: %s",
                                         strerror(errno));
}

static HRESULT write_config(const fmapi_site *site, const fmapi_relay_config *c)
{
    char text[RELAY_FILE_MAX];
    int len = snprintf(text, sizeof text, "host %s\nport %lu\ntls %s\n%s%s%s%s%s%s%s%s%s", c->host,
                       (unsigned long)c->port, TLS_NAMES[c->tls], c->user ? "user " : "",
                       c->user ? c->user : "", c->user ? "\n" : "",
                       c->password ? "password " : "", c->password ? c->password : "",
                       c->password ? "\n" : "", c->cafile ? "cafile " : "",
                       c->cafile ? c->cafile : "", c->cafile ? "\n" : "");
    if (len < 0 || (size_t)len >= sizeof text)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_set_relay: values too long");
    char *tmp = relay_path(site, ".tmp"), *path = relay_path(site, "");
    HRESULT hr = S_OK;
    int fd = -1;
    if (tmp == NULL || path == NULL) {
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory setting the relay");
        goto cleanup;
    }
    (void)unlink(tmp); /* a leftover of a killed write (unlink never follows a link) */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        hr = fm_error_set(MAPI_E_DISK_ERROR, "creating %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    hr = write_all(fd, text);
    if (hr == S_OK && rename(tmp, path) != 0)
        hr = fm_error_set(MAPI_E_DISK_ERROR, "replacing %s: %s", path, strerror(errno));
cleanup:
    if (fd >= 0)
        close(fd);
    if (hr != S_OK && tmp != NULL)
        (void)unlink(tmp);
    fm_free(tmp);
    fm_free(path);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_set_relay(fmapi_site *site, const fmapi_relay_config *cfg)
{
    if (site == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_set_relay: no site");
    if (cfg != NULL) {
        HRESULT hr = check_config(cfg);
        return hr == S_OK ? write_config(site, cfg) : hr;
    }
    char *path = relay_path(site, "");
    if (path == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory removing the relay");
    HRESULT hr = unlink(path) == 0 || errno == ENOENT
                     ? S_OK
                     : fm_error_set(MAPI_E_DISK_ERROR, "removing %s: %s", path, strerror(errno));
    fm_free(path);
    return hr;
}

static HRESULT read_file(const fmapi_site *site, char *buf, size_t cap)
{
    char *path = relay_path(site, "");
    if (path == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading the relay");
    HRESULT hr = S_OK;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        hr = errno == ENOENT ? fm_error_set(MAPI_E_NOT_FOUND, "no relay is set for this site")
                             : fm_error_set(MAPI_E_NO_ACCESS, "opening %s: %s", path,
                                            strerror(errno));
        fm_free(path);
        return hr;
    }
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            hr = fm_error_set(MAPI_E_DISK_ERROR, "reading %s: %s", path, strerror(errno));
        if (r <= 0)
            break;
        len += (size_t)r;
        if (len == cap - 1) {
            hr = fm_error_set(MAPI_E_CORRUPT_DATA, "%s is too long", path);
            break;
        }
    }
    buf[len] = '\0';
    close(fd);
    fm_free(path);
    return hr;
}

/* Copies value into the buffer's tail (*more), as field *dst. */
static HRESULT keep(void *base, const char *value, char **dst)
{
    size_t len = strlen(value) + 1;
    HRESULT hr = MAPIAllocateMore((ULONG)len, base, (void **)dst);
    if (hr == S_OK)
        memcpy(*dst, value, len);
    return hr;
}

static HRESULT parse_line(fmapi_relay_config *c, char *line)
{
    char *value = strchr(line, ' ');
    if (value == NULL)
        return MAPI_E_CORRUPT_DATA;
    *value++ = '\0';
    if (strcmp(line, "host") == 0)
        return keep(c, value, &c->host);
    if (strcmp(line, "user") == 0)
        return keep(c, value, &c->user);
    if (strcmp(line, "password") == 0)
        return keep(c, value, &c->password);
    if (strcmp(line, "cafile") == 0)
        return keep(c, value, &c->cafile);
    if (strcmp(line, "port") == 0) {
        char *end = NULL;
        unsigned long p = strtoul(value, &end, 10);
        c->port = (ULONG)p;
        return *end == '\0' && p > 0 && p <= 65535 ? S_OK : MAPI_E_CORRUPT_DATA;
    }
    if (strcmp(line, "tls") == 0) {
        for (ULONG i = 0; i < 3; i++)
            if (strcmp(value, TLS_NAMES[i]) == 0) {
                c->tls = i;
                return S_OK;
            }
    }
    return MAPI_E_CORRUPT_DATA;
}

FREEMAPI_PUBLIC HRESULT fmapi_site_get_relay(fmapi_site *site, fmapi_relay_config **out)
{
    if (site == NULL || out == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "fmapi_site_get_relay: no site");
    *out = NULL;
    char text[RELAY_FILE_MAX];
    HRESULT hr = read_file(site, text, sizeof text);
    fmapi_relay_config *c = NULL;
    if (hr == S_OK && (hr = MAPIAllocateBuffer(sizeof *c, (void **)&c)) == S_OK)
        memset(c, 0, sizeof *c);
    char *save = NULL;
    for (char *line = hr == S_OK ? strtok_r(text, "\n", &save) : NULL; line != NULL;
         line = strtok_r(NULL, "\n", &save))
        if ((hr = parse_line(c, line)) != S_OK)
            break;
    if (hr == S_OK && (c->host == NULL || c->port == 0))
        hr = MAPI_E_CORRUPT_DATA;
    if (hr == MAPI_E_CORRUPT_DATA)
        hr = fm_error_set(hr, "the site's relay.conf is damaged");
    if (hr != S_OK) {
        MAPIFreeBuffer(c);
        return hr;
    }
    *out = c;
    return S_OK;
}
