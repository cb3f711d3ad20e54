/*
 * profile/admin.h - the administration objects of profiles: IProfAdmin
 * (the user's profiles), IMsgServiceAdmin (one profile's services) and
 * IProviderAdmin (one service's providers). Each holds a reference to the
 * profile store connection it was made from.
 */
#ifndef FREEMAPI_PROFILE_ADMIN_H
#define FREEMAPI_PROFILE_ADMIN_H

#include "mapix.h"
#include "profile/profstore.h"

/* IMsgServiceAdmin of profile (which must exist). */
HRESULT fm_svcadmin_new(fm_profstore *ps, const MAPIUID *profile, LPSERVICEADMIN *out);
/* IProviderAdmin of service svc of profile. */
HRESULT fm_provadmin_new(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *svc,
                         LPPROVIDERADMIN *out);

/* Message services stored in a profile (services.c defines the kinds). */
HRESULT fm_service_create(fm_profstore *ps, const MAPIUID *profile, const char *name,
                          const char *display, MAPIUID *uid);
HRESULT fm_service_delete(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid);
/* Copies service uid of profile into profile dst (new UIDs), with its
 * sections; display replaces the display name unless NULL. */
HRESULT fm_service_copy(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                        const MAPIUID *dst, const char *display);

/* Rows of the message service and provider tables of profile (svc: only
 * that service's providers). */
HRESULT fm_service_table(fm_profstore *ps, const MAPIUID *profile, ULONG flags,
                         LPMAPITABLE *out);
HRESULT fm_provider_table(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *svc,
                          ULONG flags, LPMAPITABLE *out);

#endif /* FREEMAPI_PROFILE_ADMIN_H */
