/*
 * ab/mailuser.c - IMailUser: a site user or a one-off recipient, its
 * properties read when it was opened (props.c).
 */
#include "ab/abobj_methods.h"
#include "mapiguid.h"

static const IID *const mu_iids[] = { &IID_IMailUser, &IID_IMAPIProp, &IID_IUnknown, NULL };

FM_AB_PROP_METHODS(mu, IMailUser)

static const IMailUserVtbl MAILUSER_VTBL = { FM_AB_PROP_VTBL(mu) };

HRESULT fm_mailuser_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out)
{
    fm_abobj *o = NULL;
    HRESULT hr = fm_abobj_new(ab, &MAILUSER_VTBL, "IMailUser", FM_AB_KIND_USER, id, c, props, &o);
    *out = (LPUNKNOWN)o;
    return hr;
}
