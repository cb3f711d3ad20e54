/*
 * cfb/storage.c - IStorage over a storage of a compound file (objidl.h).
 *
 * Every method takes the file's lock for its whole run. Elements are opened
 * once at a time (STG_E_ACCESSDENIED for a second opening, as Windows'
 * compound files answer) and need STGM_SHARE_EXCLUSIVE; substorages share
 * the root's transaction (Commit on them succeeds and does nothing, the
 * root's Commit writes everything). Destroying an element that is open
 * reverts its open objects (STG_E_REVERTED from then on). CopyTo and
 * MoveElementTo are in storage_copy.c.
 */
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/text.h"
#include "mapiguid.h"

#define SHARE_MASK 0x70u

static fm_cfb_storage *storage_of(IStorage *This)
{
    return (fm_cfb_storage *)This;
}

static HRESULT live(const fm_cfb_storage *st, const char *fn)
{
    if (st->node->detached)
        return fm_error_set(STG_E_REVERTED, "IStorage::%s: the storage was reverted or "
                            "destroyed", fn);
    return S_OK;
}

static HRESULT writable(const fm_cfb_storage *st, const char *fn)
{
    HRESULT hr = live(st, fn);
    if (hr == S_OK && !fm_cfb_mode_can_write(st->mode))
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStorage::%s: the storage is open read-only", fn);
    return hr;
}

/* The mode checks every element opening shares. */
static HRESULT element_mode(const fm_cfb_storage *st, DWORD mode, const char *fn)
{
    HRESULT hr = fm_cfb_mode_check(mode, fn);
    if (hr != S_OK)
        return hr;
    if ((mode & SHARE_MASK) != STGM_SHARE_EXCLUSIVE)
        return fm_error_set(STG_E_INVALIDFLAG, "IStorage::%s: elements open with "
                            "STGM_SHARE_EXCLUSIVE", fn);
    if (mode & STGM_DELETEONRELEASE)
        return fm_error_set(STG_E_INVALIDFUNCTION, "IStorage::%s: STGM_DELETEONRELEASE is for "
                            "root storages", fn);
    if (fm_cfb_mode_can_write(mode) && !fm_cfb_mode_can_write(st->mode))
        return fm_error_set(STG_E_ACCESSDENIED, "IStorage::%s: write access inside a read-only "
                            "storage", fn);
    return S_OK;
}

static void touch(fm_cfb_storage *st)
{
    st->f->dirty = true;
    st->node->mtime = fm_cfb_now();
}

/* ---- IUnknown ----------------------------------------------------------------------- */

static STDMETHODIMP stg_QueryInterface(IStorage *This, REFIID riid, LPVOID *ppv)
{
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (riid == NULL)
        return E_INVALIDARG;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IStorage)) {
        atomic_fetch_add(&storage_of(This)->refs, 1);
        *ppv = This;
        return S_OK;
    }
    return E_NOINTERFACE;
}

static STDMETHODIMP_(ULONG) stg_AddRef(IStorage *This)
{
    return atomic_fetch_add(&storage_of(This)->refs, 1) + 1;
}

static STDMETHODIMP_(ULONG) stg_Release(IStorage *This)
{
    fm_cfb_storage *st = storage_of(This);
    ULONG left = atomic_fetch_sub(&st->refs, 1) - 1;
    if (left > 0)
        return left;
    fm_cfb_file *f = st->f;
    pthread_mutex_lock(&f->lock);
    /* Releasing the root in direct mode writes what was written. */
    if (st->is_root && f->writable && f->dirty && !f->transacted && !f->delete_on_release)
        f->last_commit = fm_cfb_file_commit(f);
    fm_cfb_node_unref(st->node);
    pthread_mutex_unlock(&f->lock);
    fm_cfb_file_release(f);
    fm_free(st);
    return 0;
}

/* ---- elements ------------------------------------------------------------------------ */

static HRESULT create_element(fm_cfb_storage *st, const OLECHAR *name, DWORD mode, uint8_t type,
                              const char *fn, fm_cfb_node **out)
{
    size_t n = 0, pos = 0;
    HRESULT hr = fm_cfb_name_check(name, &n);
    if (hr == S_OK)
        hr = element_mode(st, mode, fn);
    if (hr == S_OK)
        hr = writable(st, fn);
    if (hr == S_OK && (mode & STGM_TRANSACTED) && type == CFB_TYPE_STREAM)
        hr = fm_error_set(STG_E_INVALIDFUNCTION, "IStorage::%s: streams are not transacted", fn);
    if (hr != S_OK)
        return hr;
    fm_cfb_node *old = fm_cfb_node_find(st->node, name, n, &pos);
    if (old != NULL && !(mode & STGM_CREATE))
        return fm_error_set(STG_E_FILEALREADYEXISTS, "IStorage::%s: the element exists (pass "
                            "STGM_CREATE to replace it)", fn);
    if (old != NULL && old->refs > 0)
        return fm_error_set(STG_E_ACCESSDENIED, "IStorage::%s: the element to replace is open",
                            fn);
    fm_cfb_node *k = fm_cfb_node_new(name, n, type);
    if (k == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStorage::%s: out of memory", fn);
    if (old != NULL) {
        fm_cfb_node_detach(old);
        fm_cfb_node_find(st->node, name, n, &pos);
    }
    if (type == CFB_TYPE_STORAGE)
        k->ctime = k->mtime = fm_cfb_now();
    hr = fm_cfb_node_insert(st->node, k, pos);
    if (hr != S_OK) {
        fm_free(k);
        return hr;
    }
    touch(st);
    *out = k;
    return S_OK;
}

static HRESULT find_element(fm_cfb_storage *st, const OLECHAR *name, uint8_t want, DWORD mode,
                            const char *fn, fm_cfb_node **out)
{
    size_t n = 0;
    HRESULT hr = fm_cfb_name_check(name, &n);
    if (hr == S_OK)
        hr = element_mode(st, mode, fn);
    if (hr == S_OK)
        hr = live(st, fn);
    if (hr == S_OK && (mode & STGM_CREATE))
        hr = fm_error_set(STG_E_INVALIDFLAG, "IStorage::%s: STGM_CREATE opens nothing", fn);
    if (hr != S_OK)
        return hr;
    fm_cfb_node *k = fm_cfb_node_find(st->node, name, n, NULL);
    bool kind_ok = k != NULL && (want == CFB_TYPE_STREAM ? k->type == CFB_TYPE_STREAM
                                                         : k->type == CFB_TYPE_STORAGE);
    if (!kind_ok) {
        char u8[3 * CFB_NAME_MAX + 1];
        fm_utf16_to_utf8_into(name, n, u8);
        return fm_error_set(STG_E_FILENOTFOUND, "IStorage::%s: no %s named \"%s\"", fn,
                            want == CFB_TYPE_STREAM ? "stream" : "storage", u8);
    }
    if (k->refs > 0)
        return fm_error_set(STG_E_ACCESSDENIED, "IStorage::%s: the element is already open", fn);
    *out = k;
    return S_OK;
}

static STDMETHODIMP stg_CreateStream(IStorage *This, const OLECHAR *pwcsName, DWORD grfMode,
                                     DWORD reserved1, DWORD reserved2, IStream **ppstm)
{
    fm_cfb_storage *st = storage_of(This);
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::CreateStream: ppstm is NULL");
    *ppstm = NULL;
    if (reserved1 != 0 || reserved2 != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "IStorage::CreateStream: reserved not 0");
    pthread_mutex_lock(&st->f->lock);
    fm_cfb_node *k = NULL;
    HRESULT hr = create_element(st, pwcsName, grfMode, CFB_TYPE_STREAM, "CreateStream", &k);
    if (hr == S_OK) {
        k->data = CFB_DATA_NONE;
        hr = fm_cfb_stream_new(st->f, k, grfMode, 0, ppstm);
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_OpenStream(IStorage *This, const OLECHAR *pwcsName, void *reserved1,
                                   DWORD grfMode, DWORD reserved2, IStream **ppstm)
{
    fm_cfb_storage *st = storage_of(This);
    if (ppstm == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::OpenStream: ppstm is NULL");
    *ppstm = NULL;
    if (reserved1 != NULL || reserved2 != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "IStorage::OpenStream: reserved not 0");
    pthread_mutex_lock(&st->f->lock);
    fm_cfb_node *k = NULL;
    HRESULT hr = find_element(st, pwcsName, CFB_TYPE_STREAM, grfMode, "OpenStream", &k);
    if (hr == S_OK && (grfMode & STGM_TRANSACTED))
        hr = fm_error_set(STG_E_INVALIDFUNCTION, "IStorage::OpenStream: streams are not "
                                                 "transacted");
    if (hr == S_OK)
        hr = fm_cfb_data_prepare(st->f, k);
    if (hr == S_OK)
        hr = fm_cfb_stream_new(st->f, k, grfMode, 0, ppstm);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_CreateStorage(IStorage *This, const OLECHAR *pwcsName, DWORD grfMode,
                                      DWORD reserved1, DWORD reserved2, IStorage **ppstg)
{
    fm_cfb_storage *st = storage_of(This);
    if (ppstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::CreateStorage: ppstg is NULL");
    *ppstg = NULL;
    if (reserved1 != 0 || reserved2 != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "IStorage::CreateStorage: reserved not 0");
    pthread_mutex_lock(&st->f->lock);
    fm_cfb_node *k = NULL;
    HRESULT hr = create_element(st, pwcsName, grfMode, CFB_TYPE_STORAGE, "CreateStorage", &k);
    if (hr == S_OK)
        hr = fm_cfb_storage_new(st->f, k, grfMode, false, ppstg);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_OpenStorage(IStorage *This, const OLECHAR *pwcsName,
                                    IStorage *pstgPriority, DWORD grfMode, SNB snbExclude,
                                    DWORD reserved, IStorage **ppstg)
{
    fm_cfb_storage *st = storage_of(This);
    if (ppstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::OpenStorage: ppstg is NULL");
    *ppstg = NULL;
    if (pstgPriority != NULL || snbExclude != NULL || reserved != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "IStorage::OpenStorage: pstgPriority and "
                                                    "snbExclude must be NULL");
    pthread_mutex_lock(&st->f->lock);
    fm_cfb_node *k = NULL;
    HRESULT hr = find_element(st, pwcsName, CFB_TYPE_STORAGE, grfMode, "OpenStorage", &k);
    if (hr == S_OK)
        hr = fm_cfb_storage_new(st->f, k, grfMode, false, ppstg);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

/* ---- transaction ----------------------------------------------------------------------- */

static STDMETHODIMP stg_Commit(IStorage *This, DWORD grfCommitFlags)
{
    fm_cfb_storage *st = storage_of(This);
    if (grfCommitFlags & ~(DWORD)(STGC_OVERWRITE | STGC_ONLYIFCURRENT |
                                 STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE | STGC_CONSOLIDATE))
        return fm_error_set(STG_E_INVALIDFLAG, "IStorage::Commit: unknown flags 0x%08lX",
                            (unsigned long)grfCommitFlags);
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = live(st, "Commit");
    if (hr == S_OK && st->is_root && st->f->dirty)
        hr = fm_cfb_file_commit(st->f);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_Revert(IStorage *This)
{
    fm_cfb_storage *st = storage_of(This);
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = live(st, "Revert");
    if (hr == S_OK && st->is_root && st->f->transacted)
        hr = fm_cfb_file_revert(st->f);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

/* ---- the rest ------------------------------------------------------------------------ */

static STDMETHODIMP stg_EnumElements(IStorage *This, DWORD reserved1, void *reserved2,
                                     DWORD reserved3, IEnumSTATSTG **ppenum)
{
    fm_cfb_storage *st = storage_of(This);
    if (ppenum == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::EnumElements: ppenum is NULL");
    *ppenum = NULL;
    if (reserved1 != 0 || reserved2 != NULL || reserved3 != 0)
        return fm_error_set(STG_E_INVALIDPARAMETER, "IStorage::EnumElements: reserved not 0");
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = live(st, "EnumElements");
    if (hr == S_OK)
        hr = fm_cfb_enum_new(st->f, st->node, ppenum);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_DestroyElement(IStorage *This, const OLECHAR *pwcsName)
{
    fm_cfb_storage *st = storage_of(This);
    size_t n = 0;
    HRESULT hr = fm_cfb_name_check(pwcsName, &n);
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&st->f->lock);
    hr = writable(st, "DestroyElement");
    fm_cfb_node *k = hr == S_OK ? fm_cfb_node_find(st->node, pwcsName, n, NULL) : NULL;
    if (hr == S_OK && k == NULL)
        hr = fm_error_set(STG_E_FILENOTFOUND, "IStorage::DestroyElement: no such element");
    if (hr == S_OK) {
        fm_cfb_node_detach(k);
        touch(st);
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_RenameElement(IStorage *This, const OLECHAR *pwcsOldName,
                                      const OLECHAR *pwcsNewName)
{
    fm_cfb_storage *st = storage_of(This);
    size_t on = 0, nn = 0, pos = 0;
    HRESULT hr = fm_cfb_name_check(pwcsOldName, &on);
    if (hr == S_OK)
        hr = fm_cfb_name_check(pwcsNewName, &nn);
    if (hr != S_OK)
        return hr;
    pthread_mutex_lock(&st->f->lock);
    hr = writable(st, "RenameElement");
    fm_cfb_node *k = hr == S_OK ? fm_cfb_node_find(st->node, pwcsOldName, on, &pos) : NULL;
    if (hr == S_OK && k == NULL)
        hr = fm_error_set(STG_E_FILENOTFOUND, "IStorage::RenameElement: no such element");
    fm_cfb_node *clash = hr == S_OK ? fm_cfb_node_find(st->node, pwcsNewName, nn, NULL) : NULL;
    if (hr == S_OK && clash != NULL && clash != k)
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStorage::RenameElement: the new name is taken");
    if (hr == S_OK && k->refs > 0)
        hr = fm_error_set(STG_E_ACCESSDENIED, "IStorage::RenameElement: the element is open");
    if (hr == S_OK) {
        fm_cfb_node *dir = st->node;
        memmove(dir->kids + pos, dir->kids + pos + 1, (dir->nkids - pos - 1) * sizeof *dir->kids);
        dir->nkids--;
        memcpy(k->name, pwcsNewName, nn * sizeof(WCHAR));
        k->name[nn] = 0;
        k->nlen = (uint16_t)nn;
        fm_cfb_node_find(dir, k->name, nn, &pos);
        hr = fm_cfb_node_insert(dir, k, pos); /* cannot fail: the slot was just freed */
        touch(st);
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static uint64_t ft64(const FILETIME *t)
{
    return (uint64_t)t->dwLowDateTime | ((uint64_t)t->dwHighDateTime << 32);
}

static STDMETHODIMP stg_SetElementTimes(IStorage *This, const OLECHAR *pwcsName,
                                        const FILETIME *pctime, const FILETIME *patime,
                                        const FILETIME *pmtime)
{
    fm_cfb_storage *st = storage_of(This);
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = writable(st, "SetElementTimes");
    fm_cfb_node *k = st->node;
    if (hr == S_OK && pwcsName != NULL) {
        size_t n = 0;
        hr = fm_cfb_name_check(pwcsName, &n);
        k = hr == S_OK ? fm_cfb_node_find(st->node, pwcsName, n, NULL) : NULL;
        if (hr == S_OK && k == NULL)
            hr = fm_error_set(STG_E_FILENOTFOUND, "IStorage::SetElementTimes: no such element");
    }
    /* Streams keep no times in a compound file (2.6.3); the root no creation time. */
    if (hr == S_OK && k->type != CFB_TYPE_STREAM) {
        if (pctime != NULL && k->type == CFB_TYPE_STORAGE)
            k->ctime = ft64(pctime);
        if (pmtime != NULL)
            k->mtime = ft64(pmtime);
        (void)patime;
        st->f->dirty = true;
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_SetClass(IStorage *This, REFCLSID clsid)
{
    fm_cfb_storage *st = storage_of(This);
    if (clsid == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::SetClass: clsid is NULL");
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = writable(st, "SetClass");
    if (hr == S_OK) {
        st->node->clsid = *clsid;
        st->f->dirty = true;
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_SetStateBits(IStorage *This, DWORD grfStateBits, DWORD grfMask)
{
    fm_cfb_storage *st = storage_of(This);
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = writable(st, "SetStateBits");
    if (hr == S_OK) {
        st->node->state_bits = (st->node->state_bits & ~grfMask) | (grfStateBits & grfMask);
        st->f->dirty = true;
    }
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static STDMETHODIMP stg_Stat(IStorage *This, STATSTG *pstatstg, DWORD grfStatFlag)
{
    fm_cfb_storage *st = storage_of(This);
    if (pstatstg == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "IStorage::Stat: pstatstg is NULL");
    if (grfStatFlag & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return fm_error_set(STG_E_INVALIDFLAG, "IStorage::Stat: unknown flags");
    pthread_mutex_lock(&st->f->lock);
    HRESULT hr = live(st, "Stat");
    if (hr == S_OK)
        hr = fm_cfb_stat_fill(st->node, st->mode, grfStatFlag, st->is_root ? st->f->wpath : NULL,
                           pstatstg);
    pthread_mutex_unlock(&st->f->lock);
    return hr;
}

static const IStorageVtbl STORAGE_VTBL = {
    .QueryInterface = stg_QueryInterface,
    .AddRef = stg_AddRef,
    .Release = stg_Release,
    .CreateStream = stg_CreateStream,
    .OpenStream = stg_OpenStream,
    .CreateStorage = stg_CreateStorage,
    .OpenStorage = stg_OpenStorage,
    .CopyTo = fm_cfb_storage_CopyTo,
    .MoveElementTo = fm_cfb_storage_MoveElementTo,
    .Commit = stg_Commit,
    .Revert = stg_Revert,
    .EnumElements = stg_EnumElements,
    .DestroyElement = stg_DestroyElement,
    .RenameElement = stg_RenameElement,
    .SetElementTimes = stg_SetElementTimes,
    .SetClass = stg_SetClass,
    .SetStateBits = stg_SetStateBits,
    .Stat = stg_Stat,
};

bool fm_cfb_is_storage(const IStorage *stg)
{
    return stg != NULL && stg->lpVtbl == &STORAGE_VTBL;
}

HRESULT fm_cfb_storage_new(fm_cfb_file *f, fm_cfb_node *node, DWORD mode, bool is_root, IStorage **out)
{
    fm_cfb_storage *st = fm_calloc(1, sizeof *st);
    if (st == NULL)
        return fm_error_set(E_OUTOFMEMORY, "IStorage: out of memory");
    st->iface.lpVtbl = &STORAGE_VTBL;
    atomic_init(&st->refs, 1);
    st->f = f;
    st->node = node;
    st->mode = mode;
    st->is_root = is_root;
    node->refs++;
    fm_cfb_file_addref(f);
    *out = &st->iface;
    return S_OK;
}
