/*
 * forms/forms.h - freemapi's form libraries (mapiform.h): a form manager
 * per MAPIOpenFormMgr and form containers, all without forms, since form
 * servers are Windows programs freemapi cannot start.
 */
#ifndef FREEMAPI_FORMS_FORMS_H
#define FREEMAPI_FORMS_FORMS_H

#include "mapiform.h"

/* A new, empty form library: hfrmreg says which (HFRMREG_LOCAL, ...). */
HRESULT fm_form_container_new(HFRMREG hfrmreg, LPMAPIFORMCONTAINER *out);

/* The last failure of a forms object, for its GetLastError. */
typedef struct fm_forms_error {
    HRESULT hr;
    char text[256];
} fm_forms_error;

HRESULT fm_forms_fail(fm_forms_error *e, HRESULT hr);
HRESULT fm_forms_get_last_error(const fm_forms_error *e, const char *component, HRESULT hr,
                                ULONG flags, LPMAPIERROR *out);
/* ResolveMultipleMessageClasses without forms: one NULL entry per class. */
HRESULT fm_forms_resolve_none(LPSMESSAGECLASSARRAY classes, LPSMAPIFORMINFOARRAY *out);
/* CalcFormPropSet without forms: no properties. */
HRESULT fm_forms_no_props(LPMAPIFORMPROPARRAY *out);

#endif /* FREEMAPI_FORMS_FORMS_H */
