/*
 * server/core/auth.c - request authentication (auth.h).
 */
#define _GNU_SOURCE 1 /* struct ucred (SO_PEERCRED) */
#include "server/core/auth.h"

#include <errno.h>
#include <pwd.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"

#define BASIC_MAX 1024 /* bytes of decoded "user:password" */

HRESULT fm_srv_auth_basic(fmapi_site *site, const char *header, fm_site_entry *out)
{
    unsigned char creds[BASIC_MAX + 1];
    size_t n = 0;
    HRESULT hr;
    if (strncasecmp(header, "Basic ", 6) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "only Basic authentication is accepted");
    const char *b64 = header + 6;
    while (*b64 == ' ')
        b64++;
    if (sodium_base642bin(creds, BASIC_MAX, b64, strlen(b64), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "bad Basic credentials");
    creds[n] = '\0';
    char *colon = memchr(creds, ':', n);
    if (colon == NULL || memchr(creds, '\0', n) != NULL) {
        sodium_memzero(creds, sizeof creds);
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "bad Basic credentials");
    }
    *colon = '\0';
    hr = fm_site_authenticate(site, (const char *)creds, colon + 1, out);
    sodium_memzero(creds, sizeof creds);
    return hr;
}

HRESULT fm_srv_auth_peer(fmapi_site *site, int fd, fm_site_entry *out)
{
    struct ucred cred;
    socklen_t len = sizeof cred;
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return fm_error_set(MAPI_E_LOGON_FAILED, "no peer credentials: %s", strerror(errno));
    if (getpwuid_r(cred.uid, &pw, buf, sizeof buf, &res) != 0 || res == NULL)
        return fm_error_set(MAPI_E_LOGON_FAILED, "uid %u has no user name", (unsigned)cred.uid);
    HRESULT hr = fm_site_find(site, pw.pw_name, out);
    if (hr == S_OK && out->kind != FM_SITE_KIND_USER) {
        fm_site_entry_clear(out);
        hr = MAPI_E_NOT_FOUND;
    }
    if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_AMBIGUOUS_RECIP)
        return fm_error_set(MAPI_E_LOGON_FAILED, "OS user %s is no site user", pw.pw_name);
    return hr;
}
