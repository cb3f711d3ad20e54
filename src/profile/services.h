/*
 * profile/services.h - the message services freemapi knows, and what
 * configuring one means.
 *
 * FMAPI_SERVICE_STORE ("FMSTORE"): one store file, as Outlook's personal
 *   folders service holds one PST. Configuration: PR_PST_PATH (the file,
 *   created when missing). Configuring records the store's UID, so the
 *   session builds its store entry ID without opening the file.
 * FMAPI_SERVICE_SITE ("FMSITE"): the mailbox of a site user, as the
 *   Exchange service holds a server mailbox. Configuration:
 *   PR_PROFILE_HOME_SERVER (site directory), PR_PROFILE_USER (alias or
 *   SMTP address), optionally PR_FMAPI_SITE_PASSWORD (freemapi_site.h).
 * Each service has exactly one provider: its message store provider.
 * Later services join SERVICE_DEFS in services.c.
 */
#ifndef FREEMAPI_PROFILE_SERVICES_H
#define FREEMAPI_PROFILE_SERVICES_H

#include "mapidefs.h"
#include "profile/profstore.h"

typedef struct fm_service_def {
    const char *name;         /* PR_SERVICE_NAME */
    const char *display;      /* default PR_DISPLAY_NAME */
    ULONG service_flags;      /* PR_RESOURCE_FLAGS of the service row */
    const char *const *required; /* names of the required settings, for errors */
} fm_service_def;

/* The built-in service called name; NULL when unknown. */
const fm_service_def *fm_service_def_find(const char *name);

#define FM_SERVICE_KIND_STORE 1
#define FM_SERVICE_KIND_SITE 2

/* A configured service as a session needs it (strings are fm_malloc'd). */
typedef struct fm_service_config {
    int kind;
    char *path;     /* FMSTORE: the store file */
    char *site;     /* FMSITE: the site directory */
    char *user;     /* FMSITE: alias or address */
    char *password; /* FMSITE: remembered password or NULL */
    MAPIUID store_uid;
    bool has_uid;
} fm_service_config;

void fm_service_config_clear(fm_service_config *c);

/* Reads service svc's configuration. MAPI_E_UNCONFIGURED (with text naming
 * what is missing) when it has not been configured. */
HRESULT fm_service_config_read(fm_profstore *ps, const MAPIUID *profile, const fm_service *svc,
                               fm_service_config *out);

/* ConfigureMsgService without UI: merges props into the service's section,
 * checks the result is complete and usable (FMSTORE: the store opens or is
 * created; FMSITE: the site and user exist, the password if given is
 * right), and records the store's UID. MAPI_E_UNCONFIGURED when something
 * required is missing; MAPI_E_LOGON_FAILED; the store's and site's errors. */
HRESULT fm_service_configure(fm_profstore *ps, const MAPIUID *profile, const fm_service *svc,
                             ULONG cvals, const SPropValue *props);

/* The UTF-8 value of the string property with ID id in vals (PT_STRING8 or
 * PT_UNICODE) into buf; false when absent. */
bool fm_props_utf8(const SPropValue *vals, ULONG c, ULONG id, char *buf, size_t cap);

#endif /* FREEMAPI_PROFILE_SERVICES_H */
