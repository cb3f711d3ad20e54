/*
 * profile/wizard.c - LaunchWizard (mapiwz.h): the Profile Wizard is a
 * dialog application, so it answers the documented failure with the
 * programmatic alternatives in its text.
 */
#include "core/error.h"
#include "mapiwz.h"

FREEMAPI_PUBLIC HRESULT STDAPICALLTYPE LaunchWizard(HWND hParentWnd, ULONG ulFlags,
                                                    LPCSTR *lppszServiceNameToAdd,
                                                    ULONG cbBufferMax, LPSTR lpszNewProfileName)
{
    if (lpszNewProfileName != NULL && cbBufferMax > 0)
        lpszNewProfileName[0] = '\0';
    return fm_error_set(MAPI_E_CALL_FAILED,
                        "LaunchWizard: the Profile Wizard is a dialog application, which "
                        "freemapi does not have; create profiles with "
                        "IProfAdmin::CreateProfile and IMsgServiceAdmin::CreateMsgService "
                        "(or 'mapi profile create')");
}
