// prop_data.cpp - IPropData from C++, the property object providers make
// with CreateIProp for their profile-less objects: SetProps with a problem
// array (a PT_NULL value other than PR_NULL is refused with
// MAPI_E_INVALID_TYPE, as the reference says; PR_NULL itself is ignored),
// GetPropList, DeleteProps, per-property access with HrSetPropAccess and
// HrGetPropAccess, the whole object made read-only with HrSetObjAccess,
// and CopyTo into a second IPropData with an exclude list.
#include <windows.h>
#include <mapix.h>
#include <mapiutil.h>
#include <mapitags.h>
#include <mapiguid.h>
#include <stdio.h>

static const char *ProblemName(SCODE sc)
{
    switch (sc) {
    case MAPI_E_INVALID_TYPE:
        return "MAPI_E_INVALID_TYPE";
    case MAPI_E_NO_ACCESS:
        return "MAPI_E_NO_ACCESS";
    case MAPI_E_NOT_FOUND:
        return "MAPI_E_NOT_FOUND";
    default:
        return "other";
    }
}

static void PrintProblems(const char *szWhat, LPSPropProblemArray lpProblems)
{
    printf("%s: %lu problem(s)\n", szWhat, (unsigned long)(lpProblems ? lpProblems->cProblem : 0));
    for (ULONG i = 0; lpProblems && i < lpProblems->cProblem; i++)
        printf("  index %lu, tag 0x%08lX: %s\n", (unsigned long)lpProblems->aProblem[i].ulIndex,
               (unsigned long)lpProblems->aProblem[i].ulPropTag,
               ProblemName(lpProblems->aProblem[i].scode));
}

static HRESULT PrintPropList(LPMAPIPROP lpProp, const char *szWhat)
{
    LPSPropTagArray lpTags = NULL;
    HRESULT hr = lpProp->GetPropList(0, &lpTags);
    if (SUCCEEDED(hr)) {
        printf("%s:", szWhat);
        for (ULONG i = 0; i < lpTags->cValues; i++)
            printf(" 0x%08lX", (unsigned long)lpTags->aulPropTag[i]);
        printf("\n");
    }
    MAPIFreeBuffer(lpTags);
    return hr;
}

int main()
{
    HRESULT hr;
    LPPROPDATA lpPropData = NULL, lpCopy = NULL;
    LPSPropProblemArray lpProblems = NULL;
    const ULONG PR_PORT_EMPTY = PROP_TAG(PT_NULL, 0x6601);

    if (FAILED(MAPIInitialize(NULL)))
        return 1;
    hr = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                     &lpPropData);
    if (SUCCEEDED(hr)) {
        SPropValue rgProps[5];
        rgProps[0].ulPropTag = PR_DISPLAY_NAME_A;
        rgProps[0].Value.lpszA = (LPSTR) "Port properties";
        rgProps[1].ulPropTag = PR_PORT_EMPTY; // refused
        rgProps[1].Value.l = 0;
        rgProps[2].ulPropTag = PR_NULL; // skipped, as documented
        rgProps[2].Value.l = 0;
        rgProps[3].ulPropTag = PR_COMMENT_A;
        rgProps[3].Value.lpszA = (LPSTR) "a comment";
        rgProps[4].ulPropTag = PR_PRIORITY;
        rgProps[4].Value.l = PRIO_URGENT;
        hr = lpPropData->SetProps(5, rgProps, &lpProblems);
        printf("SetProps: %s\n", hr == S_OK ? "S_OK" : "failed");
        PrintProblems("SetProps", lpProblems);
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
    }
    if (SUCCEEDED(hr))
        hr = PrintPropList(lpPropData, "properties");

    // PR_COMMENT read-only, the rest writable
    if (SUCCEEDED(hr)) {
        SizedSPropTagArray(1, sptaComment) = { 1, { PR_COMMENT_A } };
        ULONG ulAccess = IPROP_READONLY | IPROP_CLEAN;
        hr = lpPropData->HrSetPropAccess((LPSPropTagArray)&sptaComment, &ulAccess);
    }
    if (SUCCEEDED(hr)) {
        SPropValue spv;
        spv.ulPropTag = PR_COMMENT_A;
        spv.Value.lpszA = (LPSTR) "changed";
        hr = lpPropData->SetProps(1, &spv, &lpProblems);
        PrintProblems("SetProps on the read-only PR_COMMENT", lpProblems);
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
    }
    if (SUCCEEDED(hr)) {
        LPSPropTagArray lpTags = NULL;
        ULONG *rgulAccess = NULL;
        hr = lpPropData->HrGetPropAccess(&lpTags, &rgulAccess);
        if (SUCCEEDED(hr)) {
            for (ULONG i = 0; i < lpTags->cValues; i++)
                printf("access of 0x%08lX: %s\n", (unsigned long)lpTags->aulPropTag[i],
                       (rgulAccess[i] & IPROP_READONLY) ? "read-only" : "read-write");
        }
        MAPIFreeBuffer(lpTags);
        MAPIFreeBuffer(rgulAccess);
    }

    // CopyTo another property object, leaving PR_PRIORITY behind
    if (SUCCEEDED(hr))
        hr = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                         NULL, &lpCopy);
    if (SUCCEEDED(hr)) {
        SizedSPropTagArray(1, sptaExclude) = { 1, { PR_PRIORITY } };
        hr = lpPropData->CopyTo(0, NULL, (LPSPropTagArray)&sptaExclude, 0, NULL, &IID_IMAPIPropData,
                                lpCopy, 0, &lpProblems);
        printf("CopyTo: %s\n", hr == S_OK ? "S_OK" : "failed");
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
    }
    if (SUCCEEDED(hr))
        hr = PrintPropList(lpCopy, "copied");

    // DeleteProps, then the whole object read-only
    if (SUCCEEDED(hr)) {
        SizedSPropTagArray(2, sptaDelete) = { 2, { PR_PRIORITY, PR_SUBJECT_A } };
        hr = lpPropData->DeleteProps((LPSPropTagArray)&sptaDelete, &lpProblems);
        PrintProblems("DeleteProps of PR_PRIORITY and the missing PR_SUBJECT", lpProblems);
        MAPIFreeBuffer(lpProblems);
        lpProblems = NULL;
    }
    if (SUCCEEDED(hr))
        hr = PrintPropList(lpPropData, "after DeleteProps");
    if (SUCCEEDED(hr))
        hr = lpPropData->HrSetObjAccess(IPROP_READONLY);
    if (SUCCEEDED(hr)) {
        SPropValue spv;
        spv.ulPropTag = PR_PRIORITY;
        spv.Value.l = PRIO_NORMAL;
        HRESULT hrRO = lpPropData->SetProps(1, &spv, NULL);
        printf("SetProps on a read-only object: %s\n",
               hrRO == MAPI_E_NO_ACCESS ? "MAPI_E_NO_ACCESS" : "other");
    }
    if (FAILED(hr))
        printf("failed: 0x%08lx\n", (unsigned long)hr);

    if (lpCopy)
        lpCopy->Release();
    if (lpPropData)
        lpPropData->Release();
    MAPIUninitialize();
    return FAILED(hr) ? 1 : 0;
}
