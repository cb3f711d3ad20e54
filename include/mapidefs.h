/*
 * mapidefs.h - MAPI's data structures, property types and base interfaces.
 *
 * Written from Microsoft's MAPI reference (the "MAPI Structures" and "MAPI
 * Constants" pages of Microsoft Learn) and [MS-OXCDATA]. Layouts match the
 * documented structures member for member, so code written for Windows MAPI
 * compiles and behaves the same. PT_STRING8 values are UTF-8 in freemapi;
 * PT_UNICODE values are NUL-terminated UTF-16 (WCHAR, 16 bits).
 *
 * The first part holds types and constants; the second the interfaces that
 * every provider object builds on (IMAPIProp and those derived from it).
 */
#ifndef FREEMAPI_MAPIDEFS_H
#define FREEMAPI_MAPIDEFS_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

/* Arrays declared [MAPI_DIM] are variable-length; use the Cb/Sized macros. */
#ifndef MAPI_DIM
#define MAPI_DIM 1
#endif

/* ---- entry identifiers --------------------------------------------------- */
typedef struct {
    BYTE abFlags[4];
    BYTE ab[MAPI_DIM];
} ENTRYID, *LPENTRYID;
#define CbNewENTRYID(cb) (offsetof(ENTRYID, ab) + (cb))
#define CbENTRYID(cb) (offsetof(ENTRYID, ab) + (cb))
#define SizedENTRYID(cb, name) \
    struct _ENTRYID_##name {   \
        BYTE abFlags[4];       \
        BYTE ab[cb];           \
    } name

/* abFlags[0] of a short-term entry ID and related bits. */
#define MAPI_SHORTTERM 0x80
#define MAPI_NOTRECIP 0x40
#define MAPI_THISSESSION 0x20
#define MAPI_NOW 0x10
#define MAPI_NOTRESERVED 0x08
#define MAPI_COMPOUND 0x80

typedef struct _MAPIUID {
    BYTE ab[16];
} MAPIUID, *LPMAPIUID;
#define IsEqualMAPIUID(a, b) (memcmp((a), (b), sizeof(MAPIUID)) == 0)

typedef struct {
    ULONG cb;
    BYTE abEntry[MAPI_DIM];
} FLATENTRY, *LPFLATENTRY;
typedef struct {
    ULONG cEntries;
    ULONG cbEntries;
    BYTE abEntries[MAPI_DIM];
} FLATENTRYLIST, *LPFLATENTRYLIST;
typedef struct {
    ULONG cb;
    BYTE ab[MAPI_DIM];
} MTSID, *LPMTSID;
typedef struct {
    ULONG cMTSIDs;
    ULONG cbMTSIDs;
    BYTE abMTSIDs[MAPI_DIM];
} FLATMTSIDLIST, *LPFLATMTSIDLIST;
#define CbNewFLATENTRY(cb) (offsetof(FLATENTRY, abEntry) + (cb))
#define CbFLATENTRY(lpentry) (offsetof(FLATENTRY, abEntry) + (lpentry)->cb)
#define CbNewFLATENTRYLIST(cb) (offsetof(FLATENTRYLIST, abEntries) + (cb))
#define CbFLATENTRYLIST(lplist) (offsetof(FLATENTRYLIST, abEntries) + (lplist)->cbEntries)
#define CbNewMTSID(cb) (offsetof(MTSID, ab) + (cb))
#define CbMTSID(lpmtsid) (offsetof(MTSID, ab) + (lpmtsid)->cb)
#define CbNewFLATMTSIDLIST(cb) (offsetof(FLATMTSIDLIST, abMTSIDs) + (cb))
#define CbFLATMTSIDLIST(lplist) (offsetof(FLATMTSIDLIST, abMTSIDs) + (lplist)->cbMTSIDs)

/* ---- object types (PR_OBJECT_TYPE and ulObjType out-params) ------------- */
#define MAPI_STORE ((ULONG)0x00000001)
#define MAPI_ADDRBOOK ((ULONG)0x00000002)
#define MAPI_FOLDER ((ULONG)0x00000003)
#define MAPI_ABCONT ((ULONG)0x00000004)
#define MAPI_MESSAGE ((ULONG)0x00000005)
#define MAPI_MAILUSER ((ULONG)0x00000006)
#define MAPI_ATTACH ((ULONG)0x00000007)
#define MAPI_DISTLIST ((ULONG)0x00000008)
#define MAPI_PROFSECT ((ULONG)0x00000009)
#define MAPI_STATUS ((ULONG)0x0000000A)
#define MAPI_SESSION ((ULONG)0x0000000B)
#define MAPI_FORMINFO ((ULONG)0x0000000C)

/* ---- flags shared by many methods ----------------------------------------- */
#define MAPI_UNICODE ((ULONG)0x80000000)
#define MAPI_MODIFY ((ULONG)0x00000001)
#define MAPI_CREATE ((ULONG)0x00000002)
#define STREAM_APPEND ((ULONG)0x00000004)
#define MAPI_DEFERRED_ERRORS ((ULONG)0x00000008)
#define MAPI_BEST_ACCESS ((ULONG)0x00000010)
#define MAPI_NO_STRINGS ((ULONG)0x00000001)
#define MAPI_NO_IDS ((ULONG)0x00000002)
#define MAPI_MOVE ((ULONG)0x00000001)
#define MAPI_NOREPLACE ((ULONG)0x00000002)
#define MAPI_DECLINE_OK ((ULONG)0x00000004)
#define MAPI_DIALOG ((ULONG)0x00000008)
#define MAPI_USE_DEFAULT ((ULONG)0x00000040)
#define MAPI_ASSOCIATED ((ULONG)0x00000040)
#define MAPI_CACHE_ONLY ((ULONG)0x00004000)
#define MAPI_NO_CACHE ((ULONG)0x00000200)

/* PR_ACCESS bits. */
#define MAPI_ACCESS_MODIFY ((ULONG)0x00000001)
#define MAPI_ACCESS_READ ((ULONG)0x00000002)
#define MAPI_ACCESS_DELETE ((ULONG)0x00000004)
#define MAPI_ACCESS_CREATE_HIERARCHY ((ULONG)0x00000008)
#define MAPI_ACCESS_CREATE_CONTENTS ((ULONG)0x00000010)
#define MAPI_ACCESS_CREATE_ASSOCIATED ((ULONG)0x00000020)
/* PR_ACCESS_LEVEL values. */
#define MAPI_NO_ACCESS_LEVEL ((ULONG)0x00000000)

/* ---- property types ------------------------------------------------------ */
#define MV_FLAG 0x1000
#define MV_INSTANCE 0x2000
#define MVI_FLAG (MV_FLAG | MV_INSTANCE)
#define MVI_PROP(tag) ((tag) | MVI_FLAG)

#define PT_UNSPECIFIED ((ULONG)0)
#define PT_NULL ((ULONG)1)
#define PT_I2 ((ULONG)2)
#define PT_LONG ((ULONG)3)
#define PT_R4 ((ULONG)4)
#define PT_DOUBLE ((ULONG)5)
#define PT_CURRENCY ((ULONG)6)
#define PT_APPTIME ((ULONG)7)
#define PT_ERROR ((ULONG)10)
#define PT_BOOLEAN ((ULONG)11)
#define PT_OBJECT ((ULONG)13)
#define PT_I8 ((ULONG)20)
#define PT_STRING8 ((ULONG)30)
#define PT_UNICODE ((ULONG)31)
#define PT_SYSTIME ((ULONG)64)
#define PT_CLSID ((ULONG)72)
#define PT_SVREID ((ULONG)0xFB)
#define PT_SRESTRICT ((ULONG)0xFD)
#define PT_ACTIONS ((ULONG)0xFE)
#define PT_BINARY ((ULONG)258)

/* Alternate names. */
#define PT_SHORT PT_I2
#define PT_I4 PT_LONG
#define PT_FLOAT PT_R4
#define PT_R8 PT_DOUBLE
#define PT_LONGLONG PT_I8
#define PT_PTR PT_LONG

#define PT_MV_I2 (MV_FLAG | PT_I2)
#define PT_MV_LONG (MV_FLAG | PT_LONG)
#define PT_MV_R4 (MV_FLAG | PT_R4)
#define PT_MV_DOUBLE (MV_FLAG | PT_DOUBLE)
#define PT_MV_CURRENCY (MV_FLAG | PT_CURRENCY)
#define PT_MV_APPTIME (MV_FLAG | PT_APPTIME)
#define PT_MV_SYSTIME (MV_FLAG | PT_SYSTIME)
#define PT_MV_STRING8 (MV_FLAG | PT_STRING8)
#define PT_MV_BINARY (MV_FLAG | PT_BINARY)
#define PT_MV_UNICODE (MV_FLAG | PT_UNICODE)
#define PT_MV_CLSID (MV_FLAG | PT_CLSID)
#define PT_MV_I8 (MV_FLAG | PT_I8)
#define PT_MV_SHORT PT_MV_I2
#define PT_MV_I4 PT_MV_LONG
#define PT_MV_FLOAT PT_MV_R4
#define PT_MV_R8 PT_MV_DOUBLE
#define PT_MV_LONGLONG PT_MV_I8

#ifdef UNICODE
#define PT_TSTRING PT_UNICODE
#define PT_MV_TSTRING PT_MV_UNICODE
#define LPSZ lpszW
#define LPPSZ lppszW
#define MVSZ MVszW
#else
#define PT_TSTRING PT_STRING8
#define PT_MV_TSTRING PT_MV_STRING8
#define LPSZ lpszA
#define LPPSZ lppszA
#define MVSZ MVszA
#endif

#define PROP_TYPE_MASK ((ULONG)0x0000FFFF)
#define PROP_TYPE(ulPropTag) (((ULONG)(ulPropTag)) & PROP_TYPE_MASK)
#define PROP_ID(ulPropTag) (((ULONG)(ulPropTag)) >> 16)
#define PROP_TAG(ulPropType, ulPropID) ((((ULONG)(ulPropID)) << 16) | ((ULONG)(ulPropType)))
#define CHANGE_PROP_TYPE(ulPropTag, ulPropType) \
    (((ULONG)0xFFFF0000 & (ULONG)(ulPropTag)) | (ULONG)(ulPropType))
#define PROP_ID_NULL 0
#define PROP_ID_INVALID 0xFFFF
#define PR_NULL PROP_TAG(PT_NULL, PROP_ID_NULL)
#define PROP_ID_SECURE_MIN 0x67F0
#define PROP_ID_SECURE_MAX 0x67FF

/* ---- property tag arrays -------------------------------------------------- */
typedef struct _SPropTagArray {
    ULONG cValues;
    ULONG aulPropTag[MAPI_DIM];
} SPropTagArray, *LPSPropTagArray;
#define CbNewSPropTagArray(_ctag) (offsetof(SPropTagArray, aulPropTag) + (_ctag) * sizeof(ULONG))
#define CbSPropTagArray(_lparray) \
    (offsetof(SPropTagArray, aulPropTag) + (ULONG)((_lparray)->cValues) * sizeof(ULONG))
#define SizedSPropTagArray(_ctag, _name)   \
    struct _SPropTagArray_##_name {        \
        ULONG cValues;                     \
        ULONG aulPropTag[_ctag];           \
    } _name

/* ---- property values ------------------------------------------------------ */
typedef struct _SBinary {
    ULONG cb;
    LPBYTE lpb;
} SBinary, *LPSBinary;

typedef struct _SShortArray {
    ULONG cValues;
    short int *lpi;
} SShortArray;
typedef struct _SLongArray {
    ULONG cValues;
    LONG *lpl;
} SLongArray;
typedef struct _SRealArray {
    ULONG cValues;
    float *lpflt;
} SRealArray;
typedef struct _SDoubleArray {
    ULONG cValues;
    double *lpdbl;
} SDoubleArray;
typedef struct _SCurrencyArray {
    ULONG cValues;
    CURRENCY *lpcur;
} SCurrencyArray;
typedef struct _SAppTimeArray {
    ULONG cValues;
    double *lpat;
} SAppTimeArray;
typedef struct _SDateTimeArray {
    ULONG cValues;
    FILETIME *lpft;
} SDateTimeArray;
typedef struct _SBinaryArray {
    ULONG cValues;
    SBinary *lpbin;
} SBinaryArray;
typedef SBinaryArray ENTRYLIST, *LPENTRYLIST;
typedef struct _SLPSTRArray {
    ULONG cValues;
    LPSTR *lppszA;
} SLPSTRArray;
typedef struct _SWStringArray {
    ULONG cValues;
    LPWSTR *lppszW;
} SWStringArray;
typedef struct _SGuidArray {
    ULONG cValues;
    GUID *lpguid;
} SGuidArray;
typedef struct _SLargeIntegerArray {
    ULONG cValues;
    LARGE_INTEGER *lpli;
} SLargeIntegerArray;

union _PV {
    short int i;               /* PT_I2 */
    LONG l;                    /* PT_LONG */
    ULONG ul;                  /* PT_LONG, unsigned view */
    LPVOID lpv;                /* PT_PTR */
    float flt;                 /* PT_R4 */
    double dbl;                /* PT_DOUBLE */
    unsigned short int b;      /* PT_BOOLEAN */
    CURRENCY cur;              /* PT_CURRENCY */
    double at;                 /* PT_APPTIME */
    FILETIME ft;               /* PT_SYSTIME */
    LPSTR lpszA;               /* PT_STRING8 */
    SBinary bin;               /* PT_BINARY */
    LPWSTR lpszW;              /* PT_UNICODE */
    LPGUID lpguid;             /* PT_CLSID */
    LARGE_INTEGER li;          /* PT_I8 */
    SShortArray MVi;           /* PT_MV_I2 */
    SLongArray MVl;            /* PT_MV_LONG */
    SRealArray MVflt;          /* PT_MV_R4 */
    SDoubleArray MVdbl;        /* PT_MV_DOUBLE */
    SCurrencyArray MVcur;      /* PT_MV_CURRENCY */
    SAppTimeArray MVat;        /* PT_MV_APPTIME */
    SDateTimeArray MVft;       /* PT_MV_SYSTIME */
    SBinaryArray MVbin;        /* PT_MV_BINARY */
    SLPSTRArray MVszA;         /* PT_MV_STRING8 */
    SWStringArray MVszW;       /* PT_MV_UNICODE */
    SGuidArray MVguid;         /* PT_MV_CLSID */
    SLargeIntegerArray MVli;   /* PT_MV_I8 */
    SCODE err;                 /* PT_ERROR */
    LONG x;                    /* PT_NULL, PT_OBJECT: no usable value */
};
typedef union _PV __UPV;

typedef struct _SPropValue {
    ULONG ulPropTag;
    ULONG dwAlignPad;
    union _PV Value;
} SPropValue, *LPSPropValue;

/* ---- property problems ---------------------------------------------------- */
typedef struct _SPropProblem {
    ULONG ulIndex;
    ULONG ulPropTag;
    SCODE scode;
} SPropProblem, *LPSPropProblem;

typedef struct _SPropProblemArray {
    ULONG cProblem;
    SPropProblem aProblem[MAPI_DIM];
} SPropProblemArray, *LPSPropProblemArray;
#define CbNewSPropProblemArray(_cprob) \
    (offsetof(SPropProblemArray, aProblem) + (_cprob) * sizeof(SPropProblem))
#define CbSPropProblemArray(_lparray) \
    (offsetof(SPropProblemArray, aProblem) + (ULONG)((_lparray)->cProblem) * sizeof(SPropProblem))
#define SizedSPropProblemArray(_cprob, _name) \
    struct _SPropProblemArray_##_name {       \
        ULONG cProblem;                       \
        SPropProblem aProblem[_cprob];        \
    } _name

/* ---- address lists -------------------------------------------------------- */
typedef struct _ADRENTRY {
    ULONG ulReserved1;
    ULONG cValues;
    LPSPropValue rgPropVals;
} ADRENTRY, *LPADRENTRY;

typedef struct _ADRLIST {
    ULONG cEntries;
    ADRENTRY aEntries[MAPI_DIM];
} ADRLIST, *LPADRLIST;
#define CbNewADRLIST(_centries) (offsetof(ADRLIST, aEntries) + (_centries) * sizeof(ADRENTRY))
#define CbADRLIST(_lpadrlist) \
    (offsetof(ADRLIST, aEntries) + (ULONG)(_lpadrlist)->cEntries * sizeof(ADRENTRY))
#define SizedADRLIST(_centries, _name) \
    struct _ADRLIST_##_name {          \
        ULONG cEntries;                \
        ADRENTRY aEntries[_centries];  \
    } _name

/* ---- rows ------------------------------------------------------------------ */
typedef struct _SRow {
    ULONG ulAdrEntryPad;
    ULONG cValues;
    LPSPropValue lpProps;
} SRow, *LPSRow;

typedef struct _SRowSet {
    ULONG cRows;
    SRow aRow[MAPI_DIM];
} SRowSet, *LPSRowSet;
#define CbNewSRowSet(_crow) (offsetof(SRowSet, aRow) + (_crow) * sizeof(SRow))
#define CbSRowSet(_lprowset) (offsetof(SRowSet, aRow) + (ULONG)((_lprowset)->cRows) * sizeof(SRow))
#define SizedSRowSet(_crow, _name) \
    struct _SRowSet_##_name {      \
        ULONG cRows;               \
        SRow aRow[_crow];          \
    } _name

/* ---- named properties ----------------------------------------------------- */
#define MNID_ID 0
#define MNID_STRING 1

typedef struct _MAPINAMEID {
    LPGUID lpguid;
    ULONG ulKind;
    union {
        LONG lID;
        LPWSTR lpwstrName;
    } Kind;
} MAPINAMEID, *LPMAPINAMEID;

/* ---- extended error information ------------------------------------------- */
#define MAPI_ERROR_VERSION 0x00000000L

typedef struct _MAPIERROR {
    ULONG ulVersion;
    LPTSTR lpszError;
    LPTSTR lpszComponent;
    ULONG ulLowLevelError;
    ULONG ulContext;
} MAPIERROR, *LPMAPIERROR;

/* ---- restrictions --------------------------------------------------------- */
#define RES_AND ((ULONG)0x00000000)
#define RES_OR ((ULONG)0x00000001)
#define RES_NOT ((ULONG)0x00000002)
#define RES_CONTENT ((ULONG)0x00000003)
#define RES_PROPERTY ((ULONG)0x00000004)
#define RES_COMPAREPROPS ((ULONG)0x00000005)
#define RES_BITMASK ((ULONG)0x00000006)
#define RES_SIZE ((ULONG)0x00000007)
#define RES_EXIST ((ULONG)0x00000008)
#define RES_SUBRESTRICTION ((ULONG)0x00000009)
#define RES_COMMENT ((ULONG)0x0000000A)
#define RES_COUNT ((ULONG)0x0000000B)
#define RES_ANNOTATION ((ULONG)0x0000000C)

/* ulFuzzyLevel of RES_CONTENT: low word how, high word what to ignore. */
#define FL_FULLSTRING ((ULONG)0x00000000)
#define FL_SUBSTRING ((ULONG)0x00000001)
#define FL_PREFIX ((ULONG)0x00000002)
#define FL_IGNORECASE ((ULONG)0x00010000)
#define FL_IGNORENONSPACE ((ULONG)0x00020000)
#define FL_LOOSE ((ULONG)0x00040000)

/* Relational operators of RES_PROPERTY, RES_COMPAREPROPS and RES_SIZE. */
#define RELOP_LT ((ULONG)0)
#define RELOP_LE ((ULONG)1)
#define RELOP_GT ((ULONG)2)
#define RELOP_GE ((ULONG)3)
#define RELOP_EQ ((ULONG)4)
#define RELOP_NE ((ULONG)5)
#define RELOP_RE ((ULONG)6)

/* relBMR of RES_BITMASK. */
#define BMR_EQZ ((ULONG)0)
#define BMR_NEZ ((ULONG)1)

typedef struct _SRestriction SRestriction, *LPSRestriction;

typedef struct _SAndRestriction {
    ULONG cRes;
    LPSRestriction lpRes;
} SAndRestriction;
typedef struct _SOrRestriction {
    ULONG cRes;
    LPSRestriction lpRes;
} SOrRestriction;
typedef struct _SNotRestriction {
    ULONG ulReserved;
    LPSRestriction lpRes;
} SNotRestriction;
typedef struct _SContentRestriction {
    ULONG ulFuzzyLevel;
    ULONG ulPropTag;
    LPSPropValue lpProp;
} SContentRestriction;
typedef struct _SBitMaskRestriction {
    ULONG relBMR;
    ULONG ulPropTag;
    ULONG ulMask;
} SBitMaskRestriction;
typedef struct _SPropertyRestriction {
    ULONG relop;
    ULONG ulPropTag;
    LPSPropValue lpProp;
} SPropertyRestriction;
typedef struct _SComparePropsRestriction {
    ULONG relop;
    ULONG ulPropTag1;
    ULONG ulPropTag2;
} SComparePropsRestriction;
typedef struct _SSizeRestriction {
    ULONG relop;
    ULONG ulPropTag;
    ULONG cb;
} SSizeRestriction;
typedef struct _SExistRestriction {
    ULONG ulReserved1;
    ULONG ulPropTag;
    ULONG ulReserved2;
} SExistRestriction;
typedef struct _SSubRestriction {
    ULONG ulSubObject;
    LPSRestriction lpRes;
} SSubRestriction;
typedef struct _SCommentRestriction {
    ULONG cValues;
    LPSRestriction lpRes;
    LPSPropValue lpProp;
} SCommentRestriction;
typedef struct _SCountRestriction {
    ULONG ulCount;
    LPSRestriction lpRes;
} SCountRestriction;
typedef struct _SAnnotationRestriction {
    ULONG cValues;
    LPSRestriction lpRes;
    LPSPropValue lpProp;
} SAnnotationRestriction;

struct _SRestriction {
    ULONG rt;
    union {
        SComparePropsRestriction resCompareProps;
        SAndRestriction resAnd;
        SOrRestriction resOr;
        SNotRestriction resNot;
        SContentRestriction resContent;
        SPropertyRestriction resProperty;
        SBitMaskRestriction resBitMask;
        SSizeRestriction resSize;
        SExistRestriction resExist;
        SSubRestriction resSub;
        SCommentRestriction resComment;
        SCountRestriction resCount;
        SAnnotationRestriction resAnnotation;
    } res;
};

/* ---- sort orders ---------------------------------------------------------- */
#define TABLE_SORT_ASCEND ((ULONG)0x00000000)
#define TABLE_SORT_DESCEND ((ULONG)0x00000001)
#define TABLE_SORT_COMBINE ((ULONG)0x00000002)
#define TABLE_SORT_CATEG_MAX ((ULONG)0x00000004)
#define TABLE_SORT_CATEG_MIN ((ULONG)0x00000008)

typedef struct _SSortOrder {
    ULONG ulPropTag;
    ULONG ulOrder;
} SSortOrder, *LPSSortOrder;

typedef struct _SSortOrderSet {
    ULONG cSorts;
    ULONG cCategories;
    ULONG cExpanded;
    SSortOrder aSort[MAPI_DIM];
} SSortOrderSet, *LPSSortOrderSet;
#define CbNewSSortOrderSet(_csort) (offsetof(SSortOrderSet, aSort) + (_csort) * sizeof(SSortOrder))
#define CbSSortOrderSet(_lpset) \
    (offsetof(SSortOrderSet, aSort) + (ULONG)((_lpset)->cSorts) * sizeof(SSortOrder))
#define SizedSSortOrderSet(_csort, _name) \
    struct _SSortOrderSet_##_name {       \
        ULONG cSorts;                     \
        ULONG cCategories;                \
        ULONG cExpanded;                  \
        SSortOrder aSort[_csort];         \
    } _name

/* ---- notifications ---------------------------------------------------------- */
#define fnevCriticalError ((ULONG)0x00000001)
#define fnevNewMail ((ULONG)0x00000002)
#define fnevObjectCreated ((ULONG)0x00000004)
#define fnevObjectDeleted ((ULONG)0x00000008)
#define fnevObjectModified ((ULONG)0x00000010)
#define fnevObjectMoved ((ULONG)0x00000020)
#define fnevObjectCopied ((ULONG)0x00000040)
#define fnevSearchComplete ((ULONG)0x00000080)
#define fnevTableModified ((ULONG)0x00000100)
#define fnevStatusObjectModified ((ULONG)0x00000200)
#define fnevReservedForMapi ((ULONG)0x40000000)
#define fnevExtended ((ULONG)0x80000000)

#define TABLE_CHANGED 1
#define TABLE_ERROR 2
#define TABLE_ROW_ADDED 3
#define TABLE_ROW_DELETED 4
#define TABLE_ROW_MODIFIED 5
#define TABLE_SORT_DONE 6
#define TABLE_RESTRICT_DONE 7
#define TABLE_SETCOL_DONE 8
#define TABLE_RELOAD 9

typedef struct _ERROR_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    SCODE scode;
    ULONG ulFlags;
    LPMAPIERROR lpMAPIError;
} ERROR_NOTIFICATION;

typedef struct _NEWMAIL_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG ulFlags;
    LPTSTR lpszMessageClass;
    ULONG ulMessageFlags;
} NEWMAIL_NOTIFICATION;

typedef struct _OBJECT_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG ulObjType;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG cbOldID;
    LPENTRYID lpOldID;
    ULONG cbOldParentID;
    LPENTRYID lpOldParentID;
    LPSPropTagArray lpPropTagArray;
} OBJECT_NOTIFICATION;

typedef struct _TABLE_NOTIFICATION {
    ULONG ulTableEvent;
    HRESULT hResult;
    SPropValue propIndex;
    SPropValue propPrior;
    SRow row;
    ULONG ulPad;
} TABLE_NOTIFICATION;

typedef struct _EXTENDED_NOTIFICATION {
    ULONG ulEvent;
    ULONG cb;
    LPBYTE pbEventParameters;
} EXTENDED_NOTIFICATION;

typedef struct _STATUS_OBJECT_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cValues;
    LPSPropValue lpPropVals;
} STATUS_OBJECT_NOTIFICATION;

typedef struct _NOTIFICATION {
    ULONG ulEventType;
    ULONG ulAlignPad;
    union {
        ERROR_NOTIFICATION err;
        NEWMAIL_NOTIFICATION newmail;
        OBJECT_NOTIFICATION obj;
        TABLE_NOTIFICATION tab;
        EXTENDED_NOTIFICATION ext;
        STATUS_OBJECT_NOTIFICATION statobj;
    } info;
} NOTIFICATION, *LPNOTIFICATION;

/* ---- memory allocation function types ------------------------------------- */
typedef SCODE(STDMETHODCALLTYPE ALLOCATEBUFFER)(ULONG cbSize, LPVOID *lppBuffer);
typedef SCODE(STDMETHODCALLTYPE ALLOCATEMORE)(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
typedef ULONG(STDAPICALLTYPE FREEBUFFER)(LPVOID lpBuffer);
typedef ALLOCATEBUFFER *LPALLOCATEBUFFER;
typedef ALLOCATEMORE *LPALLOCATEMORE;
typedef FREEBUFFER *LPFREEBUFFER;

/* ==== interfaces ===========================================================
 *
 * Each interface X has: a method-list macro MAPI_IX_METHODS(IPURE) as in the
 * MAPI SDK; the struct X with lpVtbl; the pointer type LPX; and C call macros
 * X_Method(p, ...). Derived interfaces repeat their bases' lists first.
 */

/* IMAPIProp: the property interface of every MAPI object. */
DECLARE_MAPI_INTERFACE_PTR(IMAPIProp, LPMAPIPROP);

/* Flags of IMAPIProp methods. */
#define KEEP_OPEN_READONLY ((ULONG)0x00000001)
#define KEEP_OPEN_READWRITE ((ULONG)0x00000002)
#define FORCE_SAVE ((ULONG)0x00000004)

#define MAPI_IMAPIPROP_METHODS(IPURE)                                                   \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                      \
                             LPMAPIERROR * lppMAPIError) IPURE;                         \
    MAPIMETHOD(SaveChanges)(THIS_ ULONG ulFlags) IPURE;                                 \
    MAPIMETHOD(GetProps)(THIS_ LPSPropTagArray lpPropTagArray, ULONG ulFlags,           \
                         ULONG * lpcValues, LPSPropValue * lppPropArray) IPURE;         \
    MAPIMETHOD(GetPropList)(THIS_ ULONG ulFlags, LPSPropTagArray * lppPropTagArray) IPURE; \
    MAPIMETHOD(OpenProperty)(THIS_ ULONG ulPropTag, LPCIID lpiid, ULONG ulInterfaceOptions, \
                             ULONG ulFlags, LPUNKNOWN * lppUnk) IPURE;                  \
    MAPIMETHOD(SetProps)(THIS_ ULONG cValues, LPSPropValue lpPropArray,                 \
                         LPSPropProblemArray * lppProblems) IPURE;                      \
    MAPIMETHOD(DeleteProps)(THIS_ LPSPropTagArray lpPropTagArray,                       \
                            LPSPropProblemArray * lppProblems) IPURE;                   \
    MAPIMETHOD(CopyTo)(THIS_ ULONG ciidExclude, LPCIID rgiidExclude,                    \
                       LPSPropTagArray lpExcludeProps, ULONG ulUIParam,                 \
                       LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, \
                       ULONG ulFlags, LPSPropProblemArray * lppProblems) IPURE;         \
    MAPIMETHOD(CopyProps)(THIS_ LPSPropTagArray lpIncludeProps, ULONG ulUIParam,        \
                          LPMAPIPROGRESS lpProgress, LPCIID lpInterface,                \
                          LPVOID lpDestObj, ULONG ulFlags,                              \
                          LPSPropProblemArray * lppProblems) IPURE;                     \
    MAPIMETHOD(GetNamesFromIDs)(THIS_ LPSPropTagArray * lppPropTags,                    \
                                LPGUID lpPropSetGuid, ULONG ulFlags,                    \
                                ULONG * lpcPropNames,                                   \
                                LPMAPINAMEID * *lpppPropNames) IPURE;                   \
    MAPIMETHOD(GetIDsFromNames)(THIS_ ULONG cPropNames, LPMAPINAMEID * lppPropNames,    \
                                ULONG ulFlags, LPSPropTagArray * lppPropTags) IPURE;

typedef const IID *LPCIID;
DECLARE_MAPI_INTERFACE_PTR(IMAPIProgress, LPMAPIPROGRESS);

#undef INTERFACE
#define INTERFACE IMAPIProp
DECLARE_MAPI_INTERFACE_(IMAPIProp, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
};

#define IMAPIProp_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIProp_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIProp_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIProp_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPIProp_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMAPIProp_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMAPIProp_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMAPIProp_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMAPIProp_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMAPIProp_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMAPIProp_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMAPIProp_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMAPIProp_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMAPIProp_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)

/* FREEMAPI_MAPIDEFS_INTERFACES: the remaining interfaces follow below. */

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIDEFS_H */
