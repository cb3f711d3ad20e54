/*
 * mapiwz.h - the Profile Wizard: LAUNCHWIZARDENTRY and its flags, with the
 * provider side of the wizard (WIZARDENTRY, SERVICEWIZARDDLGPROC, declared
 * in mapispi.h).
 *
 * The wizard is a dialog application, which Linux programs do not have:
 * LaunchWizard, MAPI's implementation of the prototype, answers
 * MAPI_E_CALL_FAILED (the error its reference page gives for a wizard that
 * could not run) with text naming the programmatic ways to make a profile
 * (IProfAdmin::CreateProfile and IMsgServiceAdmin::CreateMsgService, or
 * the mapi tool).
 */
#ifndef FREEMAPI_MAPIWZ_H
#define FREEMAPI_MAPIWZ_H

#include "mapispi.h"

FREEMAPI_BEGIN_DECLS

/* LAUNCHWIZARDENTRY ulFlags. */
#define MAPI_PW_FIRST_PROFILE ((ULONG)0x00000001)
#define MAPI_PW_LAUNCHED_BY_CONFIG ((ULONG)0x00000002)
#define MAPI_PW_ADD_SERVICE_ONLY ((ULONG)0x00000004)
#define MAPI_PW_PROVIDER_UI_ONLY ((ULONG)0x00000008)
#define MAPI_PW_HIDE_SERVICES_LIST ((ULONG)0x00000010)

/* The entry point's name, for programs that look it up by name. */
#define LAUNCHWIZARD_ENTRY_NAME "LaunchWizard"

typedef HRESULT(STDAPICALLTYPE LAUNCHWIZARDENTRY)(HWND hParentWnd, ULONG ulFlags,
                                                  LPCSTR *lppszServiceNameToAdd,
                                                  ULONG cbBufferMax, LPSTR lpszNewProfileName);
typedef LAUNCHWIZARDENTRY *LPLAUNCHWIZARDENTRY;

FREEMAPI_PUBLIC LAUNCHWIZARDENTRY LaunchWizard;

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIWZ_H */
