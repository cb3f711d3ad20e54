/*
 * msg/session.c - OpenIMsgSession, CloseIMsgSession, OpenIMsgOnIStg,
 * GetAttribIMsgOnIStg, SetAttribIMsgOnIStg and MapStorageSCode
 * (imessage.h).
 *
 * A session lists the trees (top-level messages) opened in it. Closing it
 * marks them closed: their methods answer MAPI_E_OBJECT_DELETED, and each
 * is freed at its last Release as usual. A tree leaves its session's list
 * when it is freed. One process-wide mutex guards the lists, since a tree
 * and its session may be released from different threads.
 */
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapiguid.h"
#include "msg/msg.h"

struct _MSGSESS {
    fm_msg_tree **trees;
    size_t n, cap;
    LPMALLOC malloc;
};

static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

STDAPI_(SCODE) OpenIMsgSession(LPMALLOC lpMalloc, ULONG ulFlags, LPMSGSESS *lppMsgSess)
{
    if (lppMsgSess == NULL || lpMalloc == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenIMsgSession: lpMalloc or "
                                                      "lppMsgSess is NULL");
    *lppMsgSess = NULL;
    if (ulFlags & ~(ULONG)MAPI_UNICODE)
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenIMsgSession: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    LPMSGSESS s = fm_calloc(1, sizeof *s);
    if (s == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenIMsgSession: out of memory");
    s->malloc = lpMalloc;
    lpMalloc->lpVtbl->AddRef(lpMalloc);
    *lppMsgSess = s;
    return S_OK;
}

STDAPI_(void) CloseIMsgSession(LPMSGSESS lpMsgSess)
{
    if (lpMsgSess == NULL)
        return;
    pthread_mutex_lock(&sessions_lock);
    for (size_t i = 0; i < lpMsgSess->n; i++) {
        fm_msg_tree *t = lpMsgSess->trees[i];
        pthread_mutex_lock(&t->lock);
        t->closed = true;
        t->session = NULL;
        pthread_mutex_unlock(&t->lock);
    }
    pthread_mutex_unlock(&sessions_lock);
    lpMsgSess->malloc->lpVtbl->Release(lpMsgSess->malloc);
    fm_free(lpMsgSess->trees);
    fm_free(lpMsgSess);
}

static HRESULT join(LPMSGSESS s, fm_msg_tree *t)
{
    pthread_mutex_lock(&sessions_lock);
    HRESULT hr = S_OK;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        fm_msg_tree **v = fm_realloc(s->trees, cap * sizeof *v);
        if (v == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenIMsgOnIStg: out of memory");
        else {
            s->trees = v;
            s->cap = cap;
        }
    }
    if (hr == S_OK) {
        s->trees[s->n++] = t;
        t->session = s;
    }
    pthread_mutex_unlock(&sessions_lock);
    return hr;
}

void fm_msg_session_leave(fm_msg_tree *t)
{
    pthread_mutex_lock(&sessions_lock);
    LPMSGSESS s = t->session;
    for (size_t i = 0; s != NULL && i < s->n; i++) {
        if (s->trees[i] == t) {
            s->trees[i] = s->trees[--s->n];
            break;
        }
    }
    t->session = NULL;
    pthread_mutex_unlock(&sessions_lock);
}

static HRESULT storage_mode(LPSTORAGE stg, bool *writable)
{
    STATSTG st;
    HRESULT hr = IStorage_Stat(stg, &st, STATFLAG_NONAME);
    if (FAILED(hr))
        return fm_error_set(MapStorageSCode(hr), "OpenIMsgOnIStg: IStorage::Stat failed");
    DWORD access = st.grfMode & 0x3u;
    if (access == STGM_WRITE)
        return fm_error_set(MAPI_E_NO_ACCESS, "OpenIMsgOnIStg: the storage is open write-only");
    *writable = access == STGM_READWRITE;
    return S_OK;
}

STDAPI_(SCODE) OpenIMsgOnIStg(LPMSGSESS lpMsgSess, LPALLOCATEBUFFER lpAllocateBuffer,
                              LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer,
                              LPMALLOC lpMalloc, LPVOID lpMapiSup, LPSTORAGE lpStg,
                              MSGCALLRELEASE *lpfMsgCallRelease, ULONG ulCallerData,
                              ULONG ulFlags, LPMESSAGE *lppMsg)
{
    if (lppMsg == NULL || lpStg == NULL || lpAllocateBuffer == NULL || lpAllocateMore == NULL ||
        lpFreeBuffer == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "OpenIMsgOnIStg: a required pointer is "
                                                      "NULL");
    *lppMsg = NULL;
    if (ulFlags & ~(ULONG)(IMSG_NO_ISTG_COMMIT | MAPI_UNICODE))
        return fm_error_set(MAPI_E_UNKNOWN_FLAGS, "OpenIMsgOnIStg: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    bool writable = false;
    HRESULT hr = storage_mode(lpStg, &writable);
    if (hr != S_OK)
        return hr;
    fm_msg_tree *t = fm_calloc(1, sizeof *t);
    if (t == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "OpenIMsgOnIStg: out of memory");
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&t->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    atomic_init(&t->refs, 1);
    t->alloc = lpAllocateBuffer;
    t->more = lpAllocateMore;
    t->free_buffer = lpFreeBuffer;
    t->root_stg = lpStg;
    IStorage_AddRef(lpStg);
    t->codepage = 1252;
    t->writable = writable;
    t->flags = ulFlags;
    t->on_release = lpfMsgCallRelease;
    t->caller_data = ulCallerData;
    (void)lpMalloc;
    (void)lpMapiSup;
    hr = fm_msg_stg_hr(fm_msg_names_load(&t->names, lpStg));
    if (hr == S_OK && lpMsgSess != NULL)
        hr = join(lpMsgSess, t);
    fm_msg_obj *o = NULL;
    if (hr == S_OK)
        hr = fm_msg_obj_open(t, FM_MSG_MESSAGE, lpStg, false, 0, NULL, &o);
    if (hr == S_OK) {
        t->top = o;
        *lppMsg = &o->iface.msg;
    }
    fm_msg_tree_release(t); /* the object holds it now, or nothing does */
    return hr;
}

/* ---- attributes ---------------------------------------------------------------------- */

static bool present(fm_msg_obj *o, ULONG tag)
{
    SizedSPropTagArray(1, one) = { 1, { PROP_TAG(PT_UNSPECIFIED, PROP_ID(tag)) } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = o->iface.att.lpVtbl->GetProps(&o->iface.att, (LPSPropTagArray)&one, 0, &n, &v);
    bool there = SUCCEEDED(hr) && n == 1 &&
                 (PROP_TYPE(v[0].ulPropTag) != PT_ERROR || v[0].Value.err != MAPI_E_NOT_FOUND);
    o->tree->free_buffer(v);
    return there;
}

static ULONG find_attr(const fm_msg_obj *o, ULONG id)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id)
            return o->attrs[i].attr;
    }
    return PROPATTR_READABLE | PROPATTR_WRITEABLE;
}

STDAPI GetAttribIMsgOnIStg(LPVOID lpObject, LPSPropTagArray lpPropTagArray,
                           LPSPropAttrArray *lppPropAttrArray)
{
    fm_msg_obj *o = fm_msg_obj_of(lpObject);
    if (o == NULL || lpPropTagArray == NULL || lppPropAttrArray == NULL)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "GetAttribIMsgOnIStg: not a message or "
                                                      "attachment of OpenIMsgOnIStg");
    *lppPropAttrArray = NULL;
    pthread_mutex_lock(&o->tree->lock);
    LPSPropAttrArray a = NULL;
    HRESULT hr = o->tree->alloc((ULONG)CbNewSPropAttrArray(lpPropTagArray->cValues ? lpPropTagArray->cValues : 1),
                                (void **)&a);
    if (hr == S_OK) {
        a->cValues = lpPropTagArray->cValues;
        for (ULONG i = 0; i < a->cValues; i++) {
            ULONG tag = lpPropTagArray->aulPropTag[i];
            a->aPropAttr[i] = present(o, tag) ? find_attr(o, PROP_ID(tag)) : PROPATTR_NOT_PRESENT;
        }
        *lppPropAttrArray = a;
    }
    pthread_mutex_unlock(&o->tree->lock);
    return hr;
}

static HRESULT set_attr(fm_msg_obj *o, ULONG id, ULONG attr)
{
    for (size_t i = 0; i < o->nattrs; i++) {
        if (o->attrs[i].id == id) {
            o->attrs[i].attr = attr;
            return S_OK;
        }
    }
    if (o->nattrs == o->capattrs) {
        size_t cap = o->capattrs ? o->capattrs * 2 : 16;
        fm_msg_attr *v = fm_realloc(o->attrs, cap * sizeof *v);
        if (v == NULL)
            return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "SetAttribIMsgOnIStg: out of memory");
        o->attrs = v;
        o->capattrs = cap;
    }
    o->attrs[o->nattrs++] = (fm_msg_attr){ id, attr };
    return S_OK;
}

STDAPI SetAttribIMsgOnIStg(LPVOID lpObject, LPSPropTagArray lpPropTags,
                           LPSPropAttrArray lpPropAttrs, LPSPropProblemArray *lppPropProblems)
{
    fm_msg_obj *o = fm_msg_obj_of(lpObject);
    if (lppPropProblems != NULL)
        *lppPropProblems = NULL;
    if (o == NULL || lpPropTags == NULL || lpPropAttrs == NULL ||
        lpPropTags->cValues != lpPropAttrs->cValues)
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "SetAttribIMsgOnIStg: bad arguments");
    pthread_mutex_lock(&o->tree->lock);
    LPSPropProblemArray pa = NULL;
    HRESULT hr = o->tree->writable
                     ? o->tree->alloc((ULONG)CbNewSPropProblemArray(lpPropTags->cValues ? lpPropTags->cValues : 1),
                                      (void **)&pa)
                     : fm_error_set(MAPI_E_NO_ACCESS, "SetAttribIMsgOnIStg: the storage is "
                                                      "read-only");
    if (hr == S_OK)
        pa->cProblem = 0;
    for (ULONG i = 0; hr == S_OK && i < lpPropTags->cValues; i++) {
        ULONG tag = lpPropTags->aulPropTag[i];
        if (!present(o, tag)) {
            SPropProblem *p = &pa->aProblem[pa->cProblem++];
            p->ulIndex = i;
            p->ulPropTag = tag;
            p->scode = MAPI_E_NOT_FOUND;
            continue;
        }
        hr = set_attr(o, PROP_ID(tag), lpPropAttrs->aPropAttr[i] & ~PROPATTR_NOT_PRESENT);
        o->dirty = true;
    }
    if (hr == S_OK && lppPropProblems != NULL && pa->cProblem > 0) {
        *lppPropProblems = pa;
        pa = NULL;
    }
    if (pa != NULL)
        o->tree->free_buffer(pa);
    pthread_mutex_unlock(&o->tree->lock);
    return hr;
}

/* ---- MapStorageSCode ------------------------------------------------------------------- */

STDAPI_(SCODE) MapStorageSCode(SCODE StgSCode)
{
    if (SUCCEEDED(StgSCode))
        return S_OK;
    switch (StgSCode) {
    case STG_E_INSUFFICIENTMEMORY:
    case E_OUTOFMEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_ACCESSDENIED:
    case STG_E_SHAREVIOLATION:
    case STG_E_LOCKVIOLATION:
    case STG_E_DISKISWRITEPROTECTED: return MAPI_E_NO_ACCESS;
    case STG_E_FILENOTFOUND:
    case STG_E_PATHNOTFOUND: return MAPI_E_NOT_FOUND;
    case STG_E_MEDIUMFULL: return MAPI_E_NOT_ENOUGH_DISK;
    case STG_E_INVALIDPARAMETER:
    case STG_E_INVALIDPOINTER:
    case STG_E_INVALIDNAME:
    case STG_E_INVALIDFLAG:
    case E_INVALIDARG: return MAPI_E_INVALID_PARAMETER;
    case STG_E_FILEALREADYEXISTS: return MAPI_E_COLLISION;
    case STG_E_INVALIDHEADER:
    case STG_E_DOCFILECORRUPT:
    case STG_E_OLDFORMAT:
    case STG_E_UNKNOWN: return MAPI_E_CORRUPT_DATA;
    case STG_E_READFAULT:
    case STG_E_WRITEFAULT:
    case STG_E_SEEKERROR: return MAPI_E_DISK_ERROR;
    case STG_E_INVALIDFUNCTION:
    case STG_E_UNIMPLEMENTEDFUNCTION:
    case E_NOTIMPL: return MAPI_E_NO_SUPPORT;
    case STG_E_REVERTED: return MAPI_E_OBJECT_DELETED;
    case STG_E_NOTCURRENT: return MAPI_E_OBJECT_CHANGED;
    case STG_E_TOOMANYOPENFILES: return MAPI_E_NOT_ENOUGH_RESOURCES;
    case STG_E_DOCFILETOOLARGE: return MAPI_E_TOO_BIG;
    default: return MAPI_E_CALL_FAILED;
    }
}
