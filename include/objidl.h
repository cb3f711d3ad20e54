/*
 * objidl.h - COM structured storage: IStorage, IEnumSTATSTG and ILockBytes,
 * with the functions that make and open compound files.
 *
 * On Windows these come from objidl.h and coml2api.h; MAPI uses them for
 * .msg files (OpenIMsgOnIStg in imessage.h), for attachments kept as OLE
 * storages (PR_ATTACH_DATA_OBJ with IID_IStorage) and for
 * HrIStorageFromStream (mapiutil.h). freemapi implements them over its own
 * compound-file engine ([MS-CFB] versions 3 and 4, src/cfb/). Written from
 * the Windows COM reference and [MS-CFB]; IStream and STATSTG are in
 * mapiwin.h.
 *
 * Names are UTF-16 (OLECHAR is WCHAR); file names passed to StgCreateDocfile
 * and StgOpenStorage are UTF-16 paths, converted to UTF-8 for the file
 * system. Every STATSTG.pwcsName handed out is allocated with
 * CoTaskMemAlloc: free it with CoTaskMemFree.
 *
 * Differences from Windows that a porter must know (docs/ARCHITECTURE.md,
 * "Compound files"): a storage opened in direct mode writes its changes to
 * the file when the root storage is committed or released, not as each
 * stream is written; substorages opened with STGM_TRANSACTED share the
 * root's transaction; IStream::LockRegion answers STG_E_INVALIDFUNCTION, as
 * Windows compound files do.
 */
#ifndef FREEMAPI_OBJIDL_H
#define FREEMAPI_OBJIDL_H

#include "mapiwin.h"
#include "mapiguid.h"

FREEMAPI_BEGIN_DECLS

/* The storage error codes of winerror.h that IStorage methods return. */
#define STG_E_PATHNOTFOUND ((HRESULT)0x80030003L)
#define STG_E_TOOMANYOPENFILES ((HRESULT)0x80030004L)
#define STG_E_INVALIDHANDLE ((HRESULT)0x80030006L)
#define STG_E_NOMOREFILES ((HRESULT)0x80030012L)
#define STG_E_DISKISWRITEPROTECTED ((HRESULT)0x80030013L)
#define STG_E_SEEKERROR ((HRESULT)0x80030019L)
#define STG_E_SHAREVIOLATION ((HRESULT)0x80030020L)
#define STG_E_LOCKVIOLATION ((HRESULT)0x80030021L)
#define STG_E_FILEALREADYEXISTS ((HRESULT)0x80030050L)
#define STG_E_ABNORMALAPIEXIT ((HRESULT)0x800300FAL)
#define STG_E_INVALIDHEADER ((HRESULT)0x800300FBL)
#define STG_E_INVALIDNAME ((HRESULT)0x800300FCL)
#define STG_E_UNKNOWN ((HRESULT)0x800300FDL)
#define STG_E_UNIMPLEMENTEDFUNCTION ((HRESULT)0x800300FEL)
#define STG_E_INUSE ((HRESULT)0x80030100L)
#define STG_E_NOTCURRENT ((HRESULT)0x80030101L)
#define STG_E_CANTSAVE ((HRESULT)0x80030103L)
#define STG_E_OLDFORMAT ((HRESULT)0x80030104L)
#define STG_E_OLDDLL ((HRESULT)0x80030105L)
#define STG_E_SHAREREQUIRED ((HRESULT)0x80030106L)
#define STG_E_NOTFILEBASEDSTORAGE ((HRESULT)0x80030107L)
#define STG_E_EXTANTMARSHALLINGS ((HRESULT)0x80030108L)
#define STG_E_DOCFILECORRUPT ((HRESULT)0x80030109L)
#define STG_E_BADBASEADDRESS ((HRESULT)0x80030110L)
#define STG_E_DOCFILETOOLARGE ((HRESULT)0x80030111L)
#define STG_E_NOTSIMPLEFORMAT ((HRESULT)0x80030112L)
#define STG_E_INCOMPLETE ((HRESULT)0x80030201L)
#define STG_E_TERMINATED ((HRESULT)0x80030202L)

/* IStorage::MoveElementTo grfFlags */
#define STGMOVE_MOVE 0
#define STGMOVE_COPY 1
#define STGMOVE_SHALLOWCOPY 2

/* A list of element names, NULL-terminated (CopyTo, OpenStorage exclusions). */
typedef OLECHAR **SNB;

DECLARE_MAPI_INTERFACE_PTR(IEnumSTATSTG, LPENUMSTATSTG);
DECLARE_MAPI_INTERFACE_PTR(IStorage, LPSTORAGE);
DECLARE_MAPI_INTERFACE_PTR(ILockBytes, LPLOCKBYTES);

/* ---- IEnumSTATSTG: the elements of a storage ----------------------------- */
#define MAPI_IENUMSTATSTG_METHODS(IPURE)                                            \
    MAPIMETHOD(Next)(THIS_ ULONG celt, STATSTG * rgelt, ULONG * pceltFetched) IPURE; \
    MAPIMETHOD(Skip)(THIS_ ULONG celt) IPURE;                                        \
    MAPIMETHOD(Reset)(THIS) IPURE;                                                   \
    MAPIMETHOD(Clone)(THIS_ IEnumSTATSTG * *ppenum) IPURE;

#undef INTERFACE
#define INTERFACE IEnumSTATSTG
DECLARE_MAPI_INTERFACE_(IEnumSTATSTG, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IENUMSTATSTG_METHODS(IPURE)
};

#define IEnumSTATSTG_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IEnumSTATSTG_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IEnumSTATSTG_Release(p) (p)->lpVtbl->Release(p)
#define IEnumSTATSTG_Next(p, a, b, c) (p)->lpVtbl->Next(p, a, b, c)
#define IEnumSTATSTG_Skip(p, a) (p)->lpVtbl->Skip(p, a)
#define IEnumSTATSTG_Reset(p) (p)->lpVtbl->Reset(p)
#define IEnumSTATSTG_Clone(p, a) (p)->lpVtbl->Clone(p, a)

/* ---- IStorage: a directory of streams and storages ------------------------ */
#define MAPI_ISTORAGE_METHODS(IPURE)                                                   \
    MAPIMETHOD(CreateStream)(THIS_ const OLECHAR *pwcsName, DWORD grfMode,              \
                             DWORD reserved1, DWORD reserved2, IStream **ppstm) IPURE;  \
    MAPIMETHOD(OpenStream)(THIS_ const OLECHAR *pwcsName, void *reserved1,              \
                           DWORD grfMode, DWORD reserved2, IStream **ppstm) IPURE;      \
    MAPIMETHOD(CreateStorage)(THIS_ const OLECHAR *pwcsName, DWORD grfMode,             \
                              DWORD reserved1, DWORD reserved2, IStorage **ppstg) IPURE; \
    MAPIMETHOD(OpenStorage)(THIS_ const OLECHAR *pwcsName, IStorage *pstgPriority,      \
                            DWORD grfMode, SNB snbExclude, DWORD reserved,              \
                            IStorage **ppstg) IPURE;                                    \
    MAPIMETHOD(CopyTo)(THIS_ DWORD ciidExclude, const IID *rgiidExclude,                \
                       SNB snbExclude, IStorage *pstgDest) IPURE;                       \
    MAPIMETHOD(MoveElementTo)(THIS_ const OLECHAR *pwcsName, IStorage *pstgDest,        \
                              const OLECHAR *pwcsNewName, DWORD grfFlags) IPURE;        \
    MAPIMETHOD(Commit)(THIS_ DWORD grfCommitFlags) IPURE;                               \
    MAPIMETHOD(Revert)(THIS) IPURE;                                                     \
    MAPIMETHOD(EnumElements)(THIS_ DWORD reserved1, void *reserved2, DWORD reserved3,   \
                             IEnumSTATSTG **ppenum) IPURE;                              \
    MAPIMETHOD(DestroyElement)(THIS_ const OLECHAR *pwcsName) IPURE;                    \
    MAPIMETHOD(RenameElement)(THIS_ const OLECHAR *pwcsOldName,                         \
                              const OLECHAR *pwcsNewName) IPURE;                        \
    MAPIMETHOD(SetElementTimes)(THIS_ const OLECHAR *pwcsName, const FILETIME *pctime,   \
                                const FILETIME *patime, const FILETIME *pmtime) IPURE;  \
    MAPIMETHOD(SetClass)(THIS_ REFCLSID clsid) IPURE;                                   \
    MAPIMETHOD(SetStateBits)(THIS_ DWORD grfStateBits, DWORD grfMask) IPURE;            \
    MAPIMETHOD(Stat)(THIS_ STATSTG * pstatstg, DWORD grfStatFlag) IPURE;

#undef INTERFACE
#define INTERFACE IStorage
DECLARE_MAPI_INTERFACE_(IStorage, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ISTORAGE_METHODS(IPURE)
};

#define IStorage_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IStorage_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IStorage_Release(p) (p)->lpVtbl->Release(p)
#define IStorage_CreateStream(p, a, b, c, d, e) (p)->lpVtbl->CreateStream(p, a, b, c, d, e)
#define IStorage_OpenStream(p, a, b, c, d, e) (p)->lpVtbl->OpenStream(p, a, b, c, d, e)
#define IStorage_CreateStorage(p, a, b, c, d, e) (p)->lpVtbl->CreateStorage(p, a, b, c, d, e)
#define IStorage_OpenStorage(p, a, b, c, d, e, f) (p)->lpVtbl->OpenStorage(p, a, b, c, d, e, f)
#define IStorage_CopyTo(p, a, b, c, d) (p)->lpVtbl->CopyTo(p, a, b, c, d)
#define IStorage_MoveElementTo(p, a, b, c, d) (p)->lpVtbl->MoveElementTo(p, a, b, c, d)
#define IStorage_Commit(p, a) (p)->lpVtbl->Commit(p, a)
#define IStorage_Revert(p) (p)->lpVtbl->Revert(p)
#define IStorage_EnumElements(p, a, b, c, d) (p)->lpVtbl->EnumElements(p, a, b, c, d)
#define IStorage_DestroyElement(p, a) (p)->lpVtbl->DestroyElement(p, a)
#define IStorage_RenameElement(p, a, b) (p)->lpVtbl->RenameElement(p, a, b)
#define IStorage_SetElementTimes(p, a, b, c, d) (p)->lpVtbl->SetElementTimes(p, a, b, c, d)
#define IStorage_SetClass(p, a) (p)->lpVtbl->SetClass(p, a)
#define IStorage_SetStateBits(p, a, b) (p)->lpVtbl->SetStateBits(p, a, b)
#define IStorage_Stat(p, a, b) (p)->lpVtbl->Stat(p, a, b)

/* ---- ILockBytes: a byte array a compound file can live in ---------------- */
#define MAPI_ILOCKBYTES_METHODS(IPURE)                                                   \
    MAPIMETHOD(ReadAt)(THIS_ ULARGE_INTEGER ulOffset, void *pv, ULONG cb,                \
                       ULONG * pcbRead) IPURE;                                           \
    MAPIMETHOD(WriteAt)(THIS_ ULARGE_INTEGER ulOffset, const void *pv, ULONG cb,         \
                        ULONG * pcbWritten) IPURE;                                       \
    MAPIMETHOD(Flush)(THIS) IPURE;                                                       \
    MAPIMETHOD(SetSize)(THIS_ ULARGE_INTEGER cb) IPURE;                                  \
    MAPIMETHOD(LockRegion)(THIS_ ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,            \
                           DWORD dwLockType) IPURE;                                      \
    MAPIMETHOD(UnlockRegion)(THIS_ ULARGE_INTEGER libOffset, ULARGE_INTEGER cb,          \
                             DWORD dwLockType) IPURE;                                    \
    MAPIMETHOD(Stat)(THIS_ STATSTG * pstatstg, DWORD grfStatFlag) IPURE;

#undef INTERFACE
#define INTERFACE ILockBytes
DECLARE_MAPI_INTERFACE_(ILockBytes, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ILOCKBYTES_METHODS(IPURE)
};

#define ILockBytes_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define ILockBytes_AddRef(p) (p)->lpVtbl->AddRef(p)
#define ILockBytes_Release(p) (p)->lpVtbl->Release(p)
#define ILockBytes_ReadAt(p, a, b, c, d) (p)->lpVtbl->ReadAt(p, a, b, c, d)
#define ILockBytes_WriteAt(p, a, b, c, d) (p)->lpVtbl->WriteAt(p, a, b, c, d)
#define ILockBytes_Flush(p) (p)->lpVtbl->Flush(p)
#define ILockBytes_SetSize(p, a) (p)->lpVtbl->SetSize(p, a)
#define ILockBytes_LockRegion(p, a, b, c) (p)->lpVtbl->LockRegion(p, a, b, c)
#define ILockBytes_UnlockRegion(p, a, b, c) (p)->lpVtbl->UnlockRegion(p, a, b, c)
#define ILockBytes_Stat(p, a, b) (p)->lpVtbl->Stat(p, a, b)

/* ---- compound files -------------------------------------------------------
 *
 * StgCreateDocfile makes a new compound file at pwcsName (NULL: a temporary
 * file, deleted when the storage is released). grfMode needs write access
 * and STGM_SHARE_EXCLUSIVE (or STGM_TRANSACTED); STGM_CREATE replaces an
 * existing file, without it an existing file gives STG_E_FILEALREADYEXISTS.
 * The file is written whole at each commit: to a new file beside it that
 * replaces it by rename, so a failure at any moment leaves the last
 * committed file. Files are created 0600.
 *
 * StgOpenStorage opens an existing compound file. A file that is not one is
 * STG_E_FILEALREADYEXISTS (Windows' code for it), a header that cannot be
 * right STG_E_INVALIDHEADER, a damaged structure STG_E_DOCFILECORRUPT, each
 * with the reason and its position in fmapi_last_error(). pstgPriority must be NULL; snbExclude names root
 * elements to open empty (with STGM_TRANSACTED).
 *
 * Both return S_OK and a storage holding one reference.
 */
STDAPI StgCreateDocfile(const OLECHAR *pwcsName, DWORD grfMode, DWORD reserved,
                        IStorage **ppstgOpen);
STDAPI StgOpenStorage(const OLECHAR *pwcsName, IStorage *pstgPriority, DWORD grfMode,
                      SNB snbExclude, DWORD reserved, IStorage **ppstgOpen);
/* S_OK when the file starts with the compound-file signature, S_FALSE when
 * not, STG_E_FILENOTFOUND and the other open errors otherwise. */
STDAPI StgIsStorageFile(const OLECHAR *pwcsName);
/* The same over a caller's ILockBytes (held for the storage's life). */
STDAPI StgCreateDocfileOnILockBytes(ILockBytes *plkbyt, DWORD grfMode, DWORD reserved,
                                    IStorage **ppstgOpen);
STDAPI StgOpenStorageOnILockBytes(ILockBytes *plkbyt, IStorage *pstgPriority, DWORD grfMode,
                                  SNB snbExclude, DWORD reserved, IStorage **ppstgOpen);

/* COM's task allocator, for STATSTG names. Over freemapi's allocator. */
STDAPI_(LPVOID) CoTaskMemAlloc(SIZE_T cb);
STDAPI_(LPVOID) CoTaskMemRealloc(LPVOID pv, SIZE_T cb);
STDAPI_(void) CoTaskMemFree(LPVOID pv);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_OBJIDL_H */
