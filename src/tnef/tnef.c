/*
 * tnef/tnef.c - the ITnef object ([MS-OXTNEF], MAPI's tnef.h):
 * OpenTnefStream and OpenTnefStreamEx make one over a stream and a message;
 * AddProps, SetProps and EncodeRecips queue what an encoding stream is to
 * carry and Finish writes it (tnef_encode.c); ExtractProps reads a decoding
 * stream into the message (tnef_decode.c); GetTnefStreamCodepage peeks at a
 * stream's attOemCodepage.
 *
 * The object holds a reference on the stream, the message and the address
 * book until it is released. Problems (a property the stream cannot carry, a
 * checksum that does not match) are gathered and handed out by ExtractProps,
 * Finish and FinishComponent, each taking what came since the last one.
 */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "tnef/tnef_int.h"

static fm_tnef *tn(ITnef *p)
{
    return (fm_tnef *)p;
}

/* ---- problems ----------------------------------------------------------------------- */
void tn_problem(tn_problems *p, ULONG component, ULONG attribute, ULONG tag, SCODE sc)
{
    if (p->n == p->cap) {
        ULONG cap = p->cap ? p->cap * 2 : 8;
        if (cap > 4096)
            return; /* enough to say what went wrong */
        STnefProblem *v = fm_realloc(p->v, cap * sizeof *v);
        if (v == NULL)
            return;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = (STnefProblem){ component, attribute, tag, sc };
}

HRESULT tn_problems_take(tn_problems *p, LPSTnefProblemArray *out)
{
    if (out == NULL) {
        tn_problems_clear(p);
        return S_OK;
    }
    *out = NULL;
    if (p->n == 0)
        return S_OK;
    LPSTnefProblemArray a = NULL;
    if (MAPIAllocateBuffer((ULONG)CbNewSTnefProblemArray(p->n), (void **)&a) != S_OK)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "TNEF: no memory for the problems");
    a->cProblem = p->n;
    memcpy(a->aProblem, p->v, p->n * sizeof *p->v);
    *out = a;
    tn_problems_clear(p);
    return S_OK;
}

void tn_problems_clear(tn_problems *p)
{
    fm_free(p->v);
    memset(p, 0, sizeof *p);
}

/* ---- IUnknown ---------------------------------------------------------------------- */
static HRESULT STDMETHODCALLTYPE tnef_QueryInterface(ITnef *This, REFIID riid, LPVOID *out)
{
    if (out == NULL || riid == NULL)
        return fm_error_set(E_POINTER, "ITnef::QueryInterface: NULL argument");
    if (!IsEqualGUID(riid, &IID_IUnknown) && !IsEqualGUID(riid, &IID_ITNEF)) {
        *out = NULL;
        return fm_error_set(E_NOINTERFACE, "a TNEF object has no such interface");
    }
    atomic_fetch_add(&tn(This)->refs, 1);
    *out = This;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE tnef_AddRef(ITnef *This)
{
    return (ULONG)(atomic_fetch_add(&tn(This)->refs, 1) + 1);
}

static void free_queue(fm_tnef *t)
{
    for (ULONG i = 0; i < t->nrules; i++)
        fm_free(t->rules[i].tags);
    fm_free(t->rules);
    t->rules = NULL;
    t->nrules = 0;
    for (ULONG i = 0; i < t->nover; i++)
        MAPIFreeBuffer(t->over[i].vals);
    fm_free(t->over);
    t->over = NULL;
    t->nover = 0;
}

static ULONG STDMETHODCALLTYPE tnef_Release(ITnef *This)
{
    fm_tnef *t = tn(This);
    ULONG left = (ULONG)(atomic_fetch_sub(&t->refs, 1) - 1);
    if (left != 0)
        return left;
    free_queue(t);
    tn_problems_clear(&t->problems);
    if (t->rtable != NULL)
        IMAPITable_Release(t->rtable);
    if (t->ab != NULL)
        IAddrBook_Release(t->ab);
    IMessage_Release(t->msg);
    IStream_Release(t->stream);
    fm_free(t);
    return 0;
}

/* ---- encoding: what goes in --------------------------------------------------------- */
static HRESULT need_encode(fm_tnef *t, const char *what)
{
    if (!(t->flags & TNEF_ENCODE))
        return fm_error_set(MAPI_E_NO_SUPPORT, "ITnef::%s: the stream was opened to decode",
                            what);
    if (t->done)
        return fm_error_set(MAPI_E_CALL_FAILED, "ITnef::%s: the stream is finished", what);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE tnef_AddProps(ITnef *This, ULONG ulFlags, ULONG ulElemID,
                                                LPVOID lpvData, LPSPropTagArray lpPropList)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    HRESULT hr = need_encode(t, "AddProps");
    if (hr != S_OK)
        return hr;
    const ULONG known = TNEF_PROP_INCLUDE | TNEF_PROP_EXCLUDE | TNEF_PROP_CONTAINED |
                        TNEF_PROP_MESSAGE_ONLY | TNEF_PROP_ATTACHMENTS_ONLY |
                        TNEF_PROP_CONTAINED_TNEF;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITnef::AddProps: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    if (!(ulFlags & TNEF_PROP_INCLUDE) == !(ulFlags & TNEF_PROP_EXCLUDE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ITnef::AddProps: TNEF_PROP_INCLUDE or TNEF_PROP_EXCLUDE, one of "
                            "them");
    if ((ulFlags & TNEF_PROP_INCLUDE) && lpPropList == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::AddProps: nothing to include");
    tn_rule *rules = fm_realloc(t->rules, (t->nrules + 1) * sizeof *rules);
    if (rules == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITnef::AddProps: out of memory");
    t->rules = rules;
    tn_rule *r = &rules[t->nrules];
    memset(r, 0, sizeof *r);
    r->flags = ulFlags;
    r->elem = ulElemID;
    if (lpPropList != NULL && lpPropList->cValues > 0) {
        r->tags = fm_malloc(lpPropList->cValues * sizeof(ULONG));
        if (r->tags == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITnef::AddProps: out of memory");
        memcpy(r->tags, lpPropList->aulPropTag, lpPropList->cValues * sizeof(ULONG));
        r->n = lpPropList->cValues;
    }
    t->nrules++;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE tnef_SetProps(ITnef *This, ULONG ulFlags, ULONG ulElemID,
                                                ULONG cValues, LPSPropValue lpProps)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    HRESULT hr = need_encode(t, "SetProps");
    if (hr != S_OK)
        return hr;
    if (ulFlags & ~TNEF_PROP_CONTAINED)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITnef::SetProps: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~TNEF_PROP_CONTAINED));
    if (cValues > 0 && lpProps == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::SetProps: NULL properties");
    if (cValues == 0)
        return S_OK;
    tn_override *over = fm_realloc(t->over, (t->nover + 1) * sizeof *over);
    if (over == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "ITnef::SetProps: out of memory");
    t->over = over;
    tn_override *o = &over[t->nover];
    memset(o, 0, sizeof *o);
    o->attach = (ulFlags & TNEF_PROP_CONTAINED) != 0;
    o->elem = ulElemID;
    SCODE sc = ScDupPropset((int)cValues, lpProps, MAPIAllocateBuffer, &o->vals);
    if (sc != S_OK)
        return fm_error_set(sc, "ITnef::SetProps: the values could not be copied");
    o->n = cValues;
    t->nover++;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE tnef_EncodeRecips(ITnef *This, ULONG ulFlags,
                                                    LPMAPITABLE lpRecipientTable)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    HRESULT hr = need_encode(t, "EncodeRecips");
    if (hr != S_OK)
        return hr;
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITnef::EncodeRecips: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if (t->rtable != NULL)
        IMAPITable_Release(t->rtable);
    t->rtable = lpRecipientTable;
    if (lpRecipientTable != NULL)
        IMAPITable_AddRef(lpRecipientTable);
    t->recips = true;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE tnef_Finish(ITnef *This, ULONG ulFlags, WORD *lpKey,
                                             LPSTnefProblemArray *lpProblems)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    if (lpProblems != NULL)
        *lpProblems = NULL;
    if (ulFlags != 0)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITnef::Finish: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    HRESULT hr = S_OK;
    if ((t->flags & TNEF_ENCODE) && !t->done) {
        hr = tn_finish(t);
        t->done = true;
        free_queue(t);
    }
    if (lpKey != NULL)
        *lpKey = t->key;
    HRESULT took = tn_problems_take(&t->problems, lpProblems);
    return hr != S_OK ? hr : took;
}

static HRESULT STDMETHODCALLTYPE tnef_FinishComponent(ITnef *This, ULONG ulFlags,
                                                       ULONG ulComponentID,
                                                       LPSPropTagArray lpCustomPropList,
                                                       LPSPropValue lpCustomProps,
                                                       LPSPropTagArray lpPropList,
                                                       LPSTnefProblemArray *lpProblems)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    if (lpProblems != NULL)
        *lpProblems = NULL;
    HRESULT hr = need_encode(t, "FinishComponent");
    if (hr != S_OK)
        return hr;
    if (!(t->flags & TNEF_COMPONENT_ENCODING))
        return fm_error_set(MAPI_E_NO_SUPPORT, "ITnef::FinishComponent: the stream was not "
                                               "opened with TNEF_COMPONENT_ENCODING");
    ULONG kind = ulFlags & (TNEF_COMPONENT_MESSAGE | TNEF_COMPONENT_ATTACHMENT);
    if (ulFlags & ~(TNEF_COMPONENT_MESSAGE | TNEF_COMPONENT_ATTACHMENT))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                            "ITnef::FinishComponent: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    if (kind != TNEF_COMPONENT_MESSAGE && kind != TNEF_COMPONENT_ATTACHMENT)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::FinishComponent: "
                                                      "TNEF_COMPONENT_MESSAGE or "
                                                      "TNEF_COMPONENT_ATTACHMENT, one of them");
    if ((lpCustomPropList == NULL) != (lpCustomProps == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::FinishComponent: custom "
                                                      "properties and their list go together");
    hr = tn_finish_component(t, kind, ulComponentID, lpCustomPropList, lpCustomProps,
                             lpPropList);
    HRESULT took = tn_problems_take(&t->problems, lpProblems);
    return hr != S_OK ? hr : took;
}

/* ---- decoding ---------------------------------------------------------------------- */
static HRESULT STDMETHODCALLTYPE tnef_ExtractProps(ITnef *This, ULONG ulFlags,
                                                    LPSPropTagArray lpPropList,
                                                    LPSTnefProblemArray *lpProblems)
{
    fm_tnef *t = tn(This);
    fm_error_clear();
    if (lpProblems != NULL)
        *lpProblems = NULL;
    if (t->flags & TNEF_ENCODE)
        return fm_error_set(MAPI_E_NO_SUPPORT,
                            "ITnef::ExtractProps: the stream was opened to encode");
    if (ulFlags & ~(TNEF_PROP_INCLUDE | TNEF_PROP_EXCLUDE))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "ITnef::ExtractProps: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(TNEF_PROP_INCLUDE | TNEF_PROP_EXCLUDE)));
    if ((ulFlags & TNEF_PROP_INCLUDE) && (ulFlags & TNEF_PROP_EXCLUDE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::ExtractProps: TNEF_PROP_INCLUDE "
                                                      "and TNEF_PROP_EXCLUDE together");
    if ((ulFlags & TNEF_PROP_INCLUDE) && lpPropList == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::ExtractProps: nothing to "
                                                      "include");
    HRESULT hr = tn_extract(t, ulFlags, lpPropList);
    HRESULT took = tn_problems_take(&t->problems, lpProblems);
    return hr != S_OK ? hr : took;
}

static HRESULT STDMETHODCALLTYPE tnef_OpenTaggedBody(ITnef *This, LPMESSAGE lpMessage,
                                                       ULONG ulFlags, LPSTREAM *lppStream)
{
    fm_error_clear();
    if (lppStream == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ITnef::OpenTaggedBody: NULL stream");
    *lppStream = NULL;
    if (ulFlags & ~(MAPI_CREATE | MAPI_MODIFY))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS,
                            "ITnef::OpenTaggedBody: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~(MAPI_CREATE | MAPI_MODIFY)));
    fm_tnef *t = tn(This);
    return tn_open_tagged_body(t, lpMessage != NULL ? lpMessage : t->msg, ulFlags, lppStream);
}

static const ITnefVtbl TNEF_VTBL = {
    tnef_QueryInterface, tnef_AddRef,      tnef_Release,       tnef_AddProps,
    tnef_ExtractProps,   tnef_Finish,       tnef_OpenTaggedBody, tnef_SetProps,
    tnef_EncodeRecips,   tnef_FinishComponent,
};

/* ---- opening ------------------------------------------------------------------------ */
STDAPI OpenTnefStreamEx(LPVOID lpvSupport, LPSTREAM lpStream, LPTSTR lpszStreamName,
                        ULONG ulFlags, LPMESSAGE lpMessage, WORD wKeyVal,
                        LPADRBOOK lpAdressBook, LPITNEF *lppTNEF)
{
    fm_error_clear();
    if (lppTNEF == NULL || lpStream == NULL || lpMessage == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenTnefStream: NULL argument");
    *lppTNEF = NULL;
    const ULONG known = TNEF_ENCODE | TNEF_PURE | TNEF_COMPATIBILITY | TNEF_BEST_DATA |
                        TNEF_COMPONENT_ENCODING;
    if (ulFlags & ~known)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenTnefStream: unknown flags 0x%08lX",
                            (unsigned long)(ulFlags & ~known));
    ULONG modes = ulFlags & (TNEF_PURE | TNEF_COMPATIBILITY | TNEF_BEST_DATA);
    if (modes & (modes - 1))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "OpenTnefStream: one of TNEF_PURE, TNEF_COMPATIBILITY and "
                            "TNEF_BEST_DATA at most");
    if ((ulFlags & TNEF_COMPONENT_ENCODING) && !(ulFlags & TNEF_ENCODE))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "OpenTnefStream: TNEF_COMPONENT_ENCODING is for encoding");
    fm_tnef *t = fm_calloc(1, sizeof *t);
    if (t == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenTnefStream: out of memory");
    t->base.lpVtbl = &TNEF_VTBL;
    atomic_init(&t->refs, 1);
    t->flags = ulFlags;
    t->key = wKeyVal != 0 ? wKeyVal : 1;
    t->stream = lpStream;
    IStream_AddRef(lpStream);
    t->msg = lpMessage;
    IMessage_AddRef(lpMessage);
    t->ab = lpAdressBook;
    if (lpAdressBook != NULL)
        IAddrBook_AddRef(lpAdressBook);
    snprintf(t->name, sizeof t->name, "%s",
             lpszStreamName != NULL ? (const char *)lpszStreamName : "winmail.dat");
    *lppTNEF = &t->base;
    return S_OK;
}

STDAPI OpenTnefStream(LPVOID lpvSupport, LPSTREAM lpStream, LPTSTR lpszStreamName,
                      ULONG ulFlags, LPMESSAGE lpMessage, WORD wKeyVal, LPITNEF *lppTNEF)
{
    return OpenTnefStreamEx(lpvSupport, lpStream, lpszStreamName, ulFlags, lpMessage, wKeyVal,
                            NULL, lppTNEF);
}

STDAPI GetTnefStreamCodepage(LPSTREAM lpStream, ULONG *lpulCodepage, ULONG *lpulSubCodepage)
{
    fm_error_clear();
    if (lpStream == NULL || lpulCodepage == NULL || lpulSubCodepage == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetTnefStreamCodepage: NULL argument");
    *lpulCodepage = 437;
    *lpulSubCodepage = 0;
    ULARGE_INTEGER here = { .QuadPart = 0 };
    LARGE_INTEGER zero = { .QuadPart = 0 };
    HRESULT hr = IStream_Seek(lpStream, zero, STREAM_SEEK_CUR, &here);
    if (hr != S_OK)
        return fm_error_set(tn_io_status(hr), "GetTnefStreamCodepage: the stream cannot seek");
    tn_reader r;
    hr = tn_reader_init(&r, lpStream);
    uint32_t sig = 0;
    uint16_t key = 0;
    if (hr == S_OK)
        hr = tn_u32(&r, &sig);
    if (hr == S_OK && sig != TNEF_SIGNATURE)
        hr = fm_error_set(MAPI_E_CORRUPT_DATA, "GetTnefStreamCodepage: not a TNEF stream");
    if (hr == S_OK)
        hr = tn_u16(&r, &key);
    /* the message's attributes, up to attOemCodepage or the first attachment */
    while (hr == S_OK && tn_more(&r)) {
        BYTE level = 0;
        uint32_t id = 0, len = 0;
        hr = tn_u8(&r, &level);
        if (hr == S_OK)
            hr = tn_u32(&r, &id);
        if (hr == S_OK)
            hr = tn_u32(&r, &len);
        if (hr != S_OK || level != LVL_MESSAGE)
            break;
        if (id == attOemCodepage && len >= 4) {
            uint32_t cp = 0, sub = 0;
            hr = tn_u32(&r, &cp);
            if (hr == S_OK && len >= 8)
                hr = tn_u32(&r, &sub);
            if (hr == S_OK) {
                *lpulCodepage = cp;
                *lpulSubCodepage = sub;
            }
            break;
        }
        hr = tn_skip(&r, (uint64_t)len + 2);
    }
    tn_reader_clear(&r);
    LARGE_INTEGER back = { .QuadPart = (LONGLONG)here.QuadPart };
    IStream_Seek(lpStream, back, STREAM_SEEK_SET, NULL);
    return hr == MAPI_E_CORRUPT_DATA && sig == TNEF_SIGNATURE ? S_OK : hr;
}
