/*
 * tests/headers/cxx_layout/library.cpp - the library and C++ code calling
 * each other across the interfaces, with arguments: objects libfreemapi
 * makes, called in C++ style; C++ classes (a property object, a stream, a
 * progress sink) handed to the library, which calls them through lpVtbl.
 */
#include <stdio.h>
#include <string.h>

#include "fm_layout.h"

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond))                                                             \
            return fm_layout_fail("%s:%d: %s", __FILE__, __LINE__, #cond);       \
        checks++;                                                                \
    } while (0)

static int checks;

/* IPropData from CreateIProp, used as C++ code uses it. */
static int library_property_object_called_from_cxx(void)
{
    LPPROPDATA pd = NULL;
    CHECK(CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                      NULL, &pd) == S_OK);
    SPropValue v[2];
    v[0].ulPropTag = PR_SUBJECT_A;
    v[0].Value.lpszA = (LPSTR) "from C++";
    v[1].ulPropTag = PR_IMPORTANCE;
    v[1].Value.l = 2;
    LPSPropProblemArray problems = NULL;
    CHECK(pd->SetProps(2, v, &problems) == S_OK);
    CHECK(problems == NULL);
    /* Derived to base without a cast, as HrGetOneProp(lpFolder, ...) in C++. */
    LPSPropValue one = NULL;
    CHECK(HrGetOneProp(pd, PR_IMPORTANCE, &one) == S_OK);
    CHECK(one->Value.l == 2);
    MAPIFreeBuffer(one);
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_A } };
    ULONG n = 0;
    LPSPropValue got = NULL;
    CHECK(pd->GetProps((LPSPropTagArray)&tags, 0, &n, &got) == S_OK);
    CHECK(n == 1 && strcmp(got[0].Value.lpszA, "from C++") == 0);
    MAPIFreeBuffer(got);
    LPMAPIPROP prop = NULL;
    CHECK(pd->QueryInterface(IID_IMAPIProp, (LPVOID *)&prop) == S_OK);
    CHECK(static_cast<IUnknown *>(prop) == static_cast<IUnknown *>(pd));
    CHECK(prop->Release() == 1);
    CHECK(pd->QueryInterface(IID_IMAPIFolder, (LPVOID *)&prop) == MAPI_E_INTERFACE_NOT_SUPPORTED);
    CHECK(pd->Release() == 0);
    return 0;
}

/* A property object written as a C++ class: CopyTo's destination. */
class CPropSink : public IMAPIProp {
  public:
    ULONG refs = 1, sets = 0;
    char subject[64] = "";
    LONG importance = -1;

    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppv)
    {
        if (riid == IID_IUnknown || riid == IID_IMAPIProp) {
            *ppv = static_cast<IMAPIProp *>(this);
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    STDMETHODIMP_(ULONG) AddRef() { return ++refs; }
    STDMETHODIMP_(ULONG) Release() { return --refs; }
    STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR *lpp)
    {
        *lpp = NULL;
        return S_OK;
    }
    STDMETHODIMP SaveChanges(ULONG) { return S_OK; }
    STDMETHODIMP GetProps(LPSPropTagArray, ULONG, ULONG *lpc, LPSPropValue *lpp)
    {
        *lpc = 0;
        *lpp = NULL;
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP GetPropList(ULONG, LPSPropTagArray *lpp)
    {
        *lpp = NULL;
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP OpenProperty(ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *lpp)
    {
        *lpp = NULL;
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP SetProps(ULONG cValues, LPSPropValue lpProps, LPSPropProblemArray *lppProblems)
    {
        sets++;
        for (ULONG i = 0; i < cValues; i++) {
            if (lpProps[i].ulPropTag == PR_SUBJECT_A)
                snprintf(subject, sizeof subject, "%s", lpProps[i].Value.lpszA);
            if (lpProps[i].ulPropTag == PR_SUBJECT_W) { /* the test's text is ASCII */
                size_t k = 0;
                for (const WCHAR *w = lpProps[i].Value.lpszW; *w && k + 1 < sizeof subject; w++)
                    subject[k++] = (char)*w;
                subject[k] = 0;
            }
            if (lpProps[i].ulPropTag == PR_IMPORTANCE)
                importance = lpProps[i].Value.l;
        }
        if (lppProblems)
            *lppProblems = NULL;
        return S_OK;
    }
    STDMETHODIMP DeleteProps(LPSPropTagArray, LPSPropProblemArray *lpp)
    {
        if (lpp)
            *lpp = NULL;
        return S_OK;
    }
    STDMETHODIMP CopyTo(ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID,
                        LPVOID, ULONG, LPSPropProblemArray *)
    {
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP CopyProps(LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG,
                           LPSPropProblemArray *)
    {
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP GetNamesFromIDs(LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)
    {
        return MAPI_E_NO_SUPPORT;
    }
    STDMETHODIMP GetIDsFromNames(ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)
    {
        return MAPI_E_NO_SUPPORT;
    }
};

static int library_calls_a_cxx_property_object(void)
{
    LPPROPDATA pd = NULL;
    CHECK(CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                      NULL, &pd) == S_OK);
    SPropValue v[2];
    v[0].ulPropTag = PR_SUBJECT_A;
    v[0].Value.lpszA = (LPSTR) "copied by the library";
    v[1].ulPropTag = PR_IMPORTANCE;
    v[1].Value.l = 0;
    CHECK(pd->SetProps(2, v, NULL) == S_OK);
    CPropSink sink;
    LPSPropProblemArray problems = NULL;
    CHECK(pd->CopyTo(0, NULL, NULL, 0, NULL, &IID_IMAPIProp, static_cast<IMAPIProp *>(&sink), 0,
                     &problems) == S_OK);
    MAPIFreeBuffer(problems);
    CHECK(sink.sets >= 1);
    CHECK(strcmp(sink.subject, "copied by the library") == 0);
    CHECK(sink.importance == 0);
    CHECK(sink.refs == 1);
    CHECK(pd->Release() == 0);
    return 0;
}

extern "C" int fm_layout_library_checks(const char *tmpdir)
{
    (void)tmpdir;
    library_property_object_called_from_cxx();
    library_calls_a_cxx_property_object();
    return checks;
}
