/*
 * tests/headers/cxx_layout/library.cpp - the library and C++ code calling
 * each other across the interfaces, with arguments: objects libfreemapi
 * makes, called in C++ style; C++ classes (a property object, a stream, a
 * progress sink, a memory stream under the compressed RTF wrapper) handed to
 * the library, which calls them through lpVtbl; ITableData driven from C++.
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


/* ITableData from CreateTable, driven from C++, and its view. */
static int library_table_data_called_from_cxx(void)
{
    SizedSPropTagArray(2, cols) = { 2, { PR_ROWID, PR_DISPLAY_NAME_A } };
    LPTABLEDATA td = NULL;
    CHECK(CreateTable(&IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer,
                      NULL, TBLTYPE_DYNAMIC, PR_ROWID, (LPSPropTagArray)&cols, &td) == S_OK);
    const char *names[] = { "charlie", "alpha", "bravo" };
    for (LONG i = 0; i < 3; i++) {
        SPropValue v[2];
        v[0].ulPropTag = PR_ROWID;
        v[0].Value.l = i;
        v[1].ulPropTag = PR_DISPLAY_NAME_A;
        v[1].Value.lpszA = (LPSTR)names[i];
        SRow row = { 0, 2, v };
        CHECK(td->HrModifyRow(&row) == S_OK);
    }
    SizedSSortOrderSet(1, sort) = { 1, 0, 0, { { PR_DISPLAY_NAME_A, TABLE_SORT_ASCEND } } };
    LPMAPITABLE view = NULL;
    CHECK(td->HrGetView((LPSSortOrderSet)&sort, NULL, 0, &view) == S_OK);
    ULONG count = 0;
    CHECK(view->GetRowCount(0, &count) == S_OK && count == 3);
    LPSRowSet rows = NULL;
    CHECK(view->QueryRows(10, 0, &rows) == S_OK && rows->cRows == 3);
    CHECK(strcmp(rows->aRow[0].lpProps[1].Value.lpszA, "alpha") == 0);
    FreeProws(rows);
    SPropValue key;
    key.ulPropTag = PR_ROWID;
    key.Value.l = 1;
    CHECK(td->HrDeleteRow(&key) == S_OK);
    CHECK(view->GetRowCount(0, &count) == S_OK && count == 2);
    CHECK(view->Release() == 0);
    CHECK(td->Release() == 0);
    return 0;
}

/* A memory stream written as a C++ class: the compressed RTF wrapper writes
 * the compressed form into it and reads it back. */
class CMemStream final : public IStream {
  public:
    ULONG refs = 1;
    BYTE data[4096];
    ULONG size = 0, pos = 0;
    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppv)
    {
        if (riid == IID_IStream || riid == IID_IUnknown) {
            *ppv = this;
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    STDMETHODIMP_(ULONG) AddRef() { return ++refs; }
    STDMETHODIMP_(ULONG) Release() { return --refs; }
    STDMETHODIMP Read(void *pv, ULONG cb, ULONG *pcbRead)
    {
        ULONG n = size - pos < cb ? size - pos : cb;
        memcpy(pv, data + pos, n);
        pos += n;
        if (pcbRead)
            *pcbRead = n;
        return S_OK;
    }
    STDMETHODIMP Write(const void *pv, ULONG cb, ULONG *pcbWritten)
    {
        if (pos + cb > sizeof data)
            return STG_E_MEDIUMFULL;
        memcpy(data + pos, pv, cb);
        pos += cb;
        if (pos > size)
            size = pos;
        if (pcbWritten)
            *pcbWritten = cb;
        return S_OK;
    }
    STDMETHODIMP Seek(LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *newpos)
    {
        LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? pos : size;
        LONGLONG to = base + move.QuadPart;
        if (to < 0 || to > (LONGLONG)sizeof data)
            return STG_E_INVALIDFUNCTION;
        pos = (ULONG)to;
        if (newpos)
            newpos->QuadPart = pos;
        return S_OK;
    }
    STDMETHODIMP SetSize(ULARGE_INTEGER sz)
    {
        if (sz.QuadPart > sizeof data)
            return STG_E_MEDIUMFULL;
        size = (ULONG)sz.QuadPart;
        return S_OK;
    }
    STDMETHODIMP CopyTo(IStream *, ULARGE_INTEGER, ULARGE_INTEGER *, ULARGE_INTEGER *)
    {
        return E_NOTIMPL;
    }
    STDMETHODIMP Commit(DWORD) { return S_OK; }
    STDMETHODIMP Revert() { return S_OK; }
    STDMETHODIMP LockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD) { return STG_E_INVALIDFUNCTION; }
    STDMETHODIMP UnlockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD)
    {
        return STG_E_INVALIDFUNCTION;
    }
    STDMETHODIMP Stat(STATSTG *st, DWORD)
    {
        memset(st, 0, sizeof *st);
        st->type = STGTY_STREAM;
        st->cbSize.QuadPart = size;
        return S_OK;
    }
    STDMETHODIMP Clone(IStream **) { return E_NOTIMPL; }
};

static int library_calls_a_cxx_stream(void)
{
    static const char rtf[] = "{\\rtf1\\ansi\\ansicpg1252 Hello from C++ \\par Hello again}";
    CMemStream mem;
    LPSTREAM w = NULL;
    CHECK(WrapCompressedRTFStream(&mem, MAPI_MODIFY, &w) == S_OK);
    ULONG put = 0;
    CHECK(w->Write(rtf, sizeof rtf - 1, &put) == S_OK && put == sizeof rtf - 1);
    CHECK(w->Commit(STGC_DEFAULT) == S_OK);
    CHECK(w->Release() == 0);
    CHECK(mem.size > 16 && mem.size < sizeof rtf + 16); /* LZFu header and data */
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    CHECK(mem.Seek(zero, STREAM_SEEK_SET, NULL) == S_OK);
    LPSTREAM r = NULL;
    CHECK(WrapCompressedRTFStream(&mem, 0, &r) == S_OK);
    char back[256];
    ULONG got = 0;
    CHECK(r->Read(back, sizeof back, &got) == S_OK);
    CHECK(got == sizeof rtf - 1 && memcmp(back, rtf, got) == 0);
    CHECK(r->Release() == 0);
    CHECK(mem.refs == 1);
    return 0;
}

extern "C" int fm_layout_library_checks(const char *tmpdir)
{
    (void)tmpdir;
    library_property_object_called_from_cxx();
    library_calls_a_cxx_property_object();
    library_table_data_called_from_cxx();
    library_calls_a_cxx_stream();
    return checks;
}
