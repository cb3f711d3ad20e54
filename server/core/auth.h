/*
 * server/core/auth.h - who is asking: every request is authenticated
 * against the site directory before any protocol module sees it.
 *   - HTTP Basic ("user:password"), checked by fm_site_authenticate
 *     (Argon2id, with the site's per-name back-off after failures); over
 *     TCP it is accepted only because TCP is TLS only.
 *   - On the Unix socket, without an Authorization header, the peer's
 *     credentials (SO_PEERCRED): the OS user name of the connecting process
 *     is taken as the site user with that alias.
 */
#ifndef FREEMAPI_SERVER_CORE_AUTH_H
#define FREEMAPI_SERVER_CORE_AUTH_H

#include "site/site.h"

/* header: the Authorization header's value. MAPI_E_LOGON_FAILED (wrong,
 * unknown, rate-limited), MAPI_E_INVALID_PARAMETER (not Basic, bad
 * base64). */
HRESULT fm_srv_auth_basic(fmapi_site *site, const char *header, fm_site_entry *out);
/* The site user named as the OS user at the other end of Unix socket fd.
 * MAPI_E_LOGON_FAILED when there is no such site user. */
HRESULT fm_srv_auth_peer(fmapi_site *site, int fd, fm_site_entry *out);

#endif /* FREEMAPI_SERVER_CORE_AUTH_H */
