/*
 * profile/profsect.h - IProfSect: one profile section, a property set
 * keyed by MAPIUID inside a profile, kept in the profile store.
 *
 * Changes are written through: SetProps and DeleteProps store the section at
 * once (SaveChanges has nothing left to do), so two objects open on the
 * same section, in one process or several, see each other's changes on
 * their next open. Opened without MAPI_MODIFY the section is read-only.
 */
#ifndef FREEMAPI_PROFILE_PROFSECT_H
#define FREEMAPI_PROFILE_PROFSECT_H

#include "mapix.h"
#include "profile/profstore.h"

/* ulFlags: MAPI_MODIFY, MAPI_DEFERRED_ERRORS (ignored). lpInterface NULL,
 * IID_IProfSect, IID_IMAPIProp or IID_IUnknown. */
HRESULT fm_profsect_open(fm_profstore *ps, const MAPIUID *profile, const MAPIUID *uid,
                         LPCIID lpInterface, ULONG ulFlags, LPPROFSECT *out);

/* Validates OpenProfileSection's arguments (shared by the three admin
 * objects and the session). */
HRESULT fm_profsect_check_args(const char *fn, LPMAPIUID lpUID, LPCIID lpInterface, ULONG ulFlags,
                               LPPROFSECT *lppProfSect);

#endif /* FREEMAPI_PROFILE_PROFSECT_H */
