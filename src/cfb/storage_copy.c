/*
 * cfb/storage_copy.c - IStorage::CopyTo and IStorage::MoveElementTo.
 *
 * Both copy through the interfaces of the source and the destination, so
 * the destination may be any IStorage (another compound file, a caller's
 * implementation, a storage of this same file) and no lock is held while
 * the other side runs. CopyTo merges: streams of the same name are
 * replaced, storages of the same name receive the copy's elements; the
 * class of each storage comes along. Copying a storage into itself or into
 * one of its own descendants is refused (STG_E_ACCESSDENIED), as it could
 * not end.
 */
#include <string.h>

#include "cfb/cfb.h"
#include "core/error.h"
#include "mapiguid.h"

#define RD (STGM_READ | STGM_SHARE_EXCLUSIVE)
#define WR (STGM_READWRITE | STGM_SHARE_EXCLUSIVE)

static HRESULT copy_tree(IStorage *src, IStorage *dst, DWORD ciid, const IID *iids, SNB snb,
                         unsigned depth);

static HRESULT copy_stream(IStorage *src, const WCHAR *name, IStorage *dst, const WCHAR *dname)
{
    IStream *in = NULL, *out = NULL;
    HRESULT hr = IStorage_OpenStream(src, name, NULL, RD, 0, &in);
    if (hr == S_OK)
        hr = IStorage_CreateStream(dst, dname, WR | STGM_CREATE, 0, 0, &out);
    if (hr == S_OK) {
        ULARGE_INTEGER all = { .QuadPart = UINT64_MAX };
        hr = IStream_CopyTo(in, out, all, NULL, NULL);
    }
    if (in != NULL)
        IStream_Release(in);
    if (out != NULL)
        IStream_Release(out);
    return hr;
}

static HRESULT copy_storage(IStorage *src, const WCHAR *name, IStorage *dst, const WCHAR *dname,
                            bool merge, unsigned depth)
{
    if (depth > CFB_MAX_DEPTH)
        return fm_error_set(STG_E_DOCFILETOOLARGE, "IStorage::CopyTo: storages nest deeper "
                            "than %u levels", CFB_MAX_DEPTH);
    IStorage *in = NULL, *out = NULL;
    HRESULT hr = IStorage_OpenStorage(src, name, NULL, RD, NULL, 0, &in);
    if (hr == S_OK && merge && IStorage_OpenStorage(dst, dname, NULL, WR, NULL, 0, &out) != S_OK)
        out = NULL;
    if (hr == S_OK && out == NULL)
        hr = IStorage_CreateStorage(dst, dname, WR | STGM_CREATE, 0, 0, &out);
    if (hr == S_OK)
        hr = copy_tree(in, out, 0, NULL, NULL, depth + 1);
    if (in != NULL)
        IStorage_Release(in);
    if (out != NULL)
        IStorage_Release(out);
    return hr;
}

static bool excluded_iid(DWORD n, const IID *iids, const IID *which)
{
    for (DWORD i = 0; i < n; i++) {
        if (IsEqualIID(&iids[i], which))
            return true;
    }
    return false;
}

static bool excluded_name(SNB snb, const WCHAR *name)
{
    size_t n = 0;
    while (name[n] != 0)
        n++;
    for (size_t i = 0; snb != NULL && snb[i] != NULL; i++) {
        size_t m = 0;
        while (snb[i][m] != 0)
            m++;
        if (fm_cfb_name_cmp(snb[i], m, name, n) == 0)
            return true;
    }
    return false;
}

static HRESULT copy_tree(IStorage *src, IStorage *dst, DWORD ciid, const IID *iids, SNB snb,
                         unsigned depth)
{
    STATSTG st;
    IEnumSTATSTG *en = NULL;
    HRESULT hr = IStorage_Stat(src, &st, STATFLAG_NONAME);
    if (hr == S_OK)
        hr = IStorage_SetClass(dst, &st.clsid);
    if (hr == S_OK)
        hr = IStorage_EnumElements(src, 0, NULL, 0, &en);
    while (hr == S_OK) {
        ULONG got = 0;
        HRESULT next = IEnumSTATSTG_Next(en, 1, &st, &got);
        if (FAILED(next)) {
            hr = next;
            break;
        }
        if (got == 0)
            break;
        bool stream = st.type == STGTY_STREAM;
        bool skip = excluded_name(snb, st.pwcsName) ||
                    excluded_iid(ciid, iids, stream ? &IID_IStream : &IID_IStorage);
        if (!skip && stream)
            hr = copy_stream(src, st.pwcsName, dst, st.pwcsName);
        else if (!skip)
            hr = copy_storage(src, st.pwcsName, dst, st.pwcsName, true, depth);
        CoTaskMemFree(st.pwcsName);
    }
    if (en != NULL)
        IEnumSTATSTG_Release(en);
    return hr;
}

/* True when dst is src's own node or lies under it (same file). */
static bool inside(const fm_cfb_storage *src, IStorage *dst)
{
    if (!fm_cfb_is_storage(dst))
        return false;
    const fm_cfb_storage *d = (const fm_cfb_storage *)dst;
    if (d->f != src->f)
        return false;
    pthread_mutex_lock(&src->f->lock);
    const fm_cfb_node *n = d->node;
    while (n != NULL && n != src->node)
        n = n->parent;
    pthread_mutex_unlock(&src->f->lock);
    return n != NULL;
}

STDMETHODIMP fm_cfb_storage_CopyTo(IStorage *This, DWORD ciidExclude, const IID *rgiidExclude,
                                   SNB snbExclude, IStorage *pstgDest)
{
    fm_cfb_storage *st = (fm_cfb_storage *)This;
    if (pstgDest == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::CopyTo: pstgDest is NULL");
    if (ciidExclude > 0 && rgiidExclude == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::CopyTo: rgiidExclude is NULL");
    if (inside(st, pstgDest))
        return fm_error_set(STG_E_ACCESSDENIED, "IStorage::CopyTo: the destination is the "
                                                "storage itself or inside it");
    if (excluded_iid(ciidExclude, rgiidExclude, &IID_IStorage) &&
        excluded_iid(ciidExclude, rgiidExclude, &IID_IStream))
        return S_OK;
    return copy_tree(This, pstgDest, ciidExclude, rgiidExclude, snbExclude, 1);
}

STDMETHODIMP fm_cfb_storage_MoveElementTo(IStorage *This, const OLECHAR *pwcsName,
                                          IStorage *pstgDest, const OLECHAR *pwcsNewName,
                                          DWORD grfFlags)
{
    fm_cfb_storage *st = (fm_cfb_storage *)This;
    size_t n = 0, nn = 0;
    HRESULT hr = fm_cfb_name_check(pwcsName, &n);
    if (hr == S_OK)
        hr = fm_cfb_name_check(pwcsNewName, &nn);
    if (hr != S_OK)
        return hr;
    if (pstgDest == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::MoveElementTo: pstgDest is NULL");
    if (grfFlags != STGMOVE_MOVE && grfFlags != STGMOVE_COPY)
        return fm_error_set(STG_E_INVALIDFLAG, "IStorage::MoveElementTo: grfFlags must be "
                                               "STGMOVE_MOVE or STGMOVE_COPY");
    pthread_mutex_lock(&st->f->lock);
    fm_cfb_node *k = st->node->detached ? NULL : fm_cfb_node_find(st->node, pwcsName, n, NULL);
    uint8_t type = k != NULL ? k->type : 0;
    bool same = fm_cfb_is_storage(pstgDest) && ((fm_cfb_storage *)pstgDest)->node == st->node &&
                fm_cfb_name_cmp(pwcsName, n, pwcsNewName, nn) == 0;
    pthread_mutex_unlock(&st->f->lock);
    if (k == NULL)
        return fm_error_set(STG_E_FILENOTFOUND, "IStorage::MoveElementTo: no such element");
    if (same)
        return S_OK;
    if (type == CFB_TYPE_STORAGE) {
        IStorage *probe = NULL;
        /* Moving a storage into itself could not end. */
        if (IStorage_OpenStorage(This, pwcsName, NULL, RD, NULL, 0, &probe) == S_OK) {
            bool loop = inside((fm_cfb_storage *)probe, pstgDest);
            IStorage_Release(probe);
            if (loop)
                return fm_error_set(STG_E_ACCESSDENIED, "IStorage::MoveElementTo: the "
                                    "destination is inside the element");
        }
        hr = copy_storage(This, pwcsName, pstgDest, pwcsNewName, false, 1);
    } else {
        hr = copy_stream(This, pwcsName, pstgDest, pwcsNewName);
    }
    if (hr == S_OK && grfFlags == STGMOVE_MOVE)
        hr = IStorage_DestroyElement(This, pwcsName);
    return hr;
}
