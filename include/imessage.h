/*
 * imessage.h - MAPI messages kept in an OLE storage: the .msg file format.
 *
 * OpenIMsgOnIStg puts an IMessage on an IStorage laid out as [MS-OXMSG]
 * describes (property streams, __substg1.0_ streams, recipient and
 * attachment storages, the __nameid_version1.0 named-property map,
 * embedded messages as __substg1.0_3701000D storages), reading ANSI and
 * Unicode files. freemapi always writes Unicode: strings go out as
 * PT_UNICODE and the message reports STORE_UNICODE_OK in
 * PR_STORE_SUPPORT_MASK, with or without MAPI_UNICODE, so that nothing is
 * lost to a code page.
 *
 * Written from Microsoft's MAPI reference (OpenIMsgSession, OpenIMsgOnIStg,
 * GetAttribIMsgOnIStg, SetAttribIMsgOnIStg, MapStorageSCode, MSGCALLRELEASE)
 * and [MS-OXMSG]. freemapi_msg.h has the file-level helpers (save a store
 * message as a .msg file, import one into a folder).
 */
#ifndef FREEMAPI_IMESSAGE_H
#define FREEMAPI_IMESSAGE_H

#include "mapidefs.h"
#include "mapix.h"
#include "objidl.h"

FREEMAPI_BEGIN_DECLS

/* A message session: groups the messages opened in it (CloseIMsgSession
 * closes them all). */
typedef struct _MSGSESS MSGSESS, *LPMSGSESS;

/* Called after the last release of a message made by OpenIMsgOnIStg. */
typedef void(STDAPICALLTYPE MSGCALLRELEASE)(ULONG ulCallerData, LPMESSAGE lpMessage);

/* OpenIMsgOnIStg ulFlags (with MAPI_UNICODE). */
#define IMSG_NO_ISTG_COMMIT ((ULONG)0x00000001)

/* Property attributes ([MS-OXMSG] 2.4.2.1 flags). */
#define PROPATTR_MANDATORY ((ULONG)0x00000001)
#define PROPATTR_READABLE ((ULONG)0x00000002)
#define PROPATTR_WRITEABLE ((ULONG)0x00000004)
#define PROPATTR_NOT_PRESENT ((ULONG)0x00000008)

typedef struct _SPropAttrArray {
    ULONG cValues;
    ULONG aPropAttr[MAPI_DIM];
} SPropAttrArray, *LPSPropAttrArray;

#define CbNewSPropAttrArray(_cattr) \
    (offsetof(SPropAttrArray, aPropAttr) + (_cattr) * sizeof(ULONG))
#define CbSPropAttrArray(_lparray) \
    (offsetof(SPropAttrArray, aPropAttr) + (UINT)((_lparray)->cValues) * sizeof(ULONG))
#define SizedSPropAttrArray(_cattr, _name) \
    struct _SPropAttrArray_##_name {       \
        ULONG cValues;                     \
        ULONG aPropAttr[_cattr];           \
    } _name

/*
 * Opens a message session. lpMalloc is the IMalloc storages use
 * (MAPIGetDefaultMalloc); ulFlags 0 or MAPI_UNICODE. MAPI_E_INVALID_PARAMETER
 * when a pointer is NULL.
 */
STDAPI_(SCODE) OpenIMsgSession(LPMALLOC lpMalloc, ULONG ulFlags, LPMSGSESS *lppMsgSess);

/* Closes a session and every message opened in it: messages still held
 * answer MAPI_E_OBJECT_DELETED from then on, and are freed at their last
 * Release. */
STDAPI_(void) CloseIMsgSession(LPMSGSESS lpMsgSess);

/*
 * An IMessage on lpStg, which must be open for reading (and writing, to
 * change the message). An empty storage is a new message. SaveChanges
 * writes the message into the storage and commits it (not with
 * IMSG_NO_ISTG_COMMIT); attachments and embedded messages reach the storage
 * at their own SaveChanges. lpMsgSess may be NULL (no session).
 * lpfMsgCallRelease, if not NULL, is called with ulCallerData after the
 * last Release. The message holds a reference on lpStg. Damaged files give
 * MAPI_E_CORRUPT_DATA with the reason in fmapi_last_error(); properties
 * that cannot be read come back as PT_ERROR values (MAPI_E_CORRUPT_DATA)
 * so that a copy reports them.
 */
STDAPI_(SCODE) OpenIMsgOnIStg(LPMSGSESS lpMsgSess, LPALLOCATEBUFFER lpAllocateBuffer,
                              LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer,
                              LPMALLOC lpMalloc, LPVOID lpMapiSup, LPSTORAGE lpStg,
                              MSGCALLRELEASE *lpfMsgCallRelease, ULONG ulCallerData,
                              ULONG ulFlags, LPMESSAGE *lppMsg);

/* The attributes of properties of a message or attachment made by
 * OpenIMsgOnIStg (PROPATTR_NOT_PRESENT for absent ones), as one MAPI buffer. */
STDAPI GetAttribIMsgOnIStg(LPVOID lpObject, LPSPropTagArray lpPropTagArray,
                           LPSPropAttrArray *lppPropAttrArray);
/* Sets them; absent properties come back as problems (MAPI_E_NOT_FOUND). */
STDAPI SetAttribIMsgOnIStg(LPVOID lpObject, LPSPropTagArray lpPropTags,
                           LPSPropAttrArray lpPropAttrs, LPSPropProblemArray *lppPropProblems);

/* The MAPI code for a storage code (STG_E_* from IStorage and IStream);
 * MAPI_E_CALL_FAILED for one it does not know. */
STDAPI_(SCODE) MapStorageSCode(SCODE StgSCode);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_IMESSAGE_H */
