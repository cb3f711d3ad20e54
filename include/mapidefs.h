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
/* Exchange: the recipient (an address-book entry ID) is a member of the DL. */
#define RELOP_MEMBER_OF_DL ((ULONG)100)

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
/* A store provider's notification to the indexer (EXTENDED_NOTIFICATION). */
#define fnevIndexing ((ULONG)0x00010000)
#define INDEXING_SEARCH_OWNER ((ULONG)0x00000001)

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
                       LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,             \
                       LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, \
                       ULONG ulFlags, LPSPropProblemArray * lppProblems) IPURE;         \
    MAPIMETHOD(CopyProps)(THIS_ LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,    \
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

/* ---- forward declarations of the interfaces below -------------------------- */
DECLARE_MAPI_INTERFACE_PTR(IMAPIAdviseSink, LPMAPIADVISESINK);
DECLARE_MAPI_INTERFACE_PTR(IMAPITable, LPMAPITABLE);
DECLARE_MAPI_INTERFACE_PTR(IMAPIContainer, LPMAPICONTAINER);
DECLARE_MAPI_INTERFACE_PTR(IMAPIFolder, LPMAPIFOLDER);
DECLARE_MAPI_INTERFACE_PTR(IMessage, LPMESSAGE);
DECLARE_MAPI_INTERFACE_PTR(IAttach, LPATTACH);
DECLARE_MAPI_INTERFACE_PTR(IMsgStore, LPMDB);
DECLARE_MAPI_INTERFACE_PTR(IMAPIStatus, LPMAPISTATUS);
DECLARE_MAPI_INTERFACE_PTR(IProfSect, LPPROFSECT);
DECLARE_MAPI_INTERFACE_PTR(IABContainer, LPABCONT);
DECLARE_MAPI_INTERFACE_PTR(IMailUser, LPMAILUSER);
DECLARE_MAPI_INTERFACE_PTR(IDistList, LPDISTLIST);
typedef IAttach IAttachment, *LPATTACHMENT;

/* IMsgStore::Advise and friends hand back a connection number. */
typedef ULONG_PTR CONNECTION, *LPCONNECTION;

/* ---- IMAPIAdviseSink: receives notifications -------------------------------- */
#define MAPI_IMAPIADVISESINK_METHODS(IPURE) \
    MAPIMETHOD_(ULONG, OnNotify)(THIS_ ULONG cNotif, LPNOTIFICATION lpNotifications) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIAdviseSink
DECLARE_MAPI_INTERFACE_(IMAPIAdviseSink, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIADVISESINK_METHODS(IPURE)
};
#define IMAPIAdviseSink_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIAdviseSink_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIAdviseSink_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIAdviseSink_OnNotify(p, a, b) (p)->lpVtbl->OnNotify(p, a, b)

/* Callback type of HrAllocAdviseSink-style sinks. */
typedef LONG(STDAPICALLTYPE NOTIFCALLBACK)(LPVOID lpvContext, ULONG cNotification,
                                           LPNOTIFICATION lpNotifications);
typedef NOTIFCALLBACK *LPNOTIFCALLBACK;

/* ---- IMAPIProgress: progress indicator for long operations ------------------ */
/* GetFlags / SetLimits flag: the operation is the top-level one. */
#define MAPI_TOP_LEVEL ((ULONG)0x00000001)

#define MAPI_IMAPIPROGRESS_METHODS(IPURE)                                           \
    MAPIMETHOD(Progress)(THIS_ ULONG ulValue, ULONG ulCount, ULONG ulTotal) IPURE;  \
    MAPIMETHOD(GetFlags)(THIS_ ULONG * lpulFlags) IPURE;                            \
    MAPIMETHOD(GetMax)(THIS_ ULONG * lpulMax) IPURE;                                \
    MAPIMETHOD(GetMin)(THIS_ ULONG * lpulMin) IPURE;                                \
    MAPIMETHOD(SetLimits)(THIS_ LPULONG lpulMin, LPULONG lpulMax,                   \
                          LPULONG lpulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIProgress
DECLARE_MAPI_INTERFACE_(IMAPIProgress, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROGRESS_METHODS(IPURE)
};
#define IMAPIProgress_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIProgress_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIProgress_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIProgress_Progress(p, a, b, c) (p)->lpVtbl->Progress(p, a, b, c)
#define IMAPIProgress_GetFlags(p, a) (p)->lpVtbl->GetFlags(p, a)
#define IMAPIProgress_GetMax(p, a) (p)->lpVtbl->GetMax(p, a)
#define IMAPIProgress_GetMin(p, a) (p)->lpVtbl->GetMin(p, a)
#define IMAPIProgress_SetLimits(p, a, b, c) (p)->lpVtbl->SetLimits(p, a, b, c)

/* ---- IMAPITable: rows of objects' properties ------------------------------- */
/* A position in a table (CreateBookmark); the first three are predefined. */
typedef ULONG_PTR BOOKMARK;
#define BOOKMARK_BEGINNING ((BOOKMARK)0)
#define BOOKMARK_CURRENT ((BOOKMARK)1)
#define BOOKMARK_END ((BOOKMARK)2)

/* GetStatus: table status. */
#define TBLSTAT_COMPLETE ((ULONG)0)
#define TBLSTAT_QCHANGED ((ULONG)7)
#define TBLSTAT_SORTING ((ULONG)9)
#define TBLSTAT_SORT_ERROR ((ULONG)10)
#define TBLSTAT_SETTING_COLS ((ULONG)11)
#define TBLSTAT_SETCOL_ERROR ((ULONG)13)
#define TBLSTAT_RESTRICTING ((ULONG)14)
#define TBLSTAT_RESTRICT_ERROR ((ULONG)15)

/* GetStatus: table type. */
#define TBLTYPE_SNAPSHOT ((ULONG)0)
#define TBLTYPE_KEYSET ((ULONG)1)
#define TBLTYPE_DYNAMIC ((ULONG)2)

/* SetColumns, SortTable, Restrict: ulFlags. */
#define TBL_ASYNC ((ULONG)0x00000001)
#define TBL_BATCH ((ULONG)0x00000002)
/* QueryColumns. */
#define TBL_ALL_COLUMNS ((ULONG)0x00000001)
/* QueryRows. */
#define TBL_NOADVANCE ((ULONG)0x00000001)
/* FindRow. */
#define DIR_BACKWARD ((ULONG)0x00000001)

/* PR_ROW_TYPE values of a categorized table. */
#define TBL_LEAF_ROW ((ULONG)1)
#define TBL_EMPTY_CATEGORY ((ULONG)2)
#define TBL_EXPANDED_CATEGORY ((ULONG)3)
#define TBL_COLLAPSED_CATEGORY ((ULONG)4)

#define MAPI_IMAPITABLE_METHODS(IPURE)                                                     \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                         \
                             LPMAPIERROR * lppMAPIError) IPURE;                            \
    MAPIMETHOD(Advise)(THIS_ ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,             \
                       ULONG_PTR * lpulConnection) IPURE;                                  \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                              \
    MAPIMETHOD(GetStatus)(THIS_ ULONG * lpulTableStatus, ULONG * lpulTableType) IPURE;     \
    MAPIMETHOD(SetColumns)(THIS_ LPSPropTagArray lpPropTagArray, ULONG ulFlags) IPURE;     \
    MAPIMETHOD(QueryColumns)(THIS_ ULONG ulFlags, LPSPropTagArray * lpPropTagArray) IPURE; \
    MAPIMETHOD(GetRowCount)(THIS_ ULONG ulFlags, ULONG * lpulCount) IPURE;                 \
    MAPIMETHOD(SeekRow)(THIS_ BOOKMARK bkOrigin, LONG lRowCount,                           \
                        LONG * lplRowsSought) IPURE;                                       \
    MAPIMETHOD(SeekRowApprox)(THIS_ ULONG ulNumerator, ULONG ulDenominator) IPURE;         \
    MAPIMETHOD(QueryPosition)(THIS_ ULONG * lpulRow, ULONG * lpulNumerator,                \
                              ULONG * lpulDenominator) IPURE;                              \
    MAPIMETHOD(FindRow)(THIS_ LPSRestriction lpRestriction, BOOKMARK bkOrigin,             \
                        ULONG ulFlags) IPURE;                                              \
    MAPIMETHOD(Restrict)(THIS_ LPSRestriction lpRestriction, ULONG ulFlags) IPURE;         \
    MAPIMETHOD(CreateBookmark)(THIS_ BOOKMARK * lpbkPosition) IPURE;                       \
    MAPIMETHOD(FreeBookmark)(THIS_ BOOKMARK bkPosition) IPURE;                             \
    MAPIMETHOD(SortTable)(THIS_ LPSSortOrderSet lpSortCriteria, ULONG ulFlags) IPURE;      \
    MAPIMETHOD(QuerySortOrder)(THIS_ LPSSortOrderSet * lppSortCriteria) IPURE;             \
    MAPIMETHOD(QueryRows)(THIS_ LONG lRowCount, ULONG ulFlags, LPSRowSet * lppRows) IPURE; \
    MAPIMETHOD(Abort)(THIS) IPURE;                                                         \
    MAPIMETHOD(ExpandRow)(THIS_ ULONG cbInstanceKey, LPBYTE pbInstanceKey,                 \
                          ULONG ulRowCount, ULONG ulFlags, LPSRowSet * lppRows,            \
                          ULONG * lpulMoreRows) IPURE;                                     \
    MAPIMETHOD(CollapseRow)(THIS_ ULONG cbInstanceKey, LPBYTE pbInstanceKey,               \
                            ULONG ulFlags, ULONG * lpulRowCount) IPURE;                    \
    MAPIMETHOD(WaitForCompletion)(THIS_ ULONG ulFlags, ULONG ulTimeout,                    \
                                  ULONG * lpulTableStatus) IPURE;                          \
    MAPIMETHOD(GetCollapseState)(THIS_ ULONG ulFlags, ULONG cbInstanceKey,                 \
                                 LPBYTE lpbInstanceKey, ULONG * lpcbCollapseState,         \
                                 LPBYTE * lppbCollapseState) IPURE;                        \
    MAPIMETHOD(SetCollapseState)(THIS_ ULONG ulFlags, ULONG cbCollapseState,               \
                                 LPBYTE pbCollapseState, BOOKMARK * lpbkLocation) IPURE;

#undef INTERFACE
#define INTERFACE IMAPITable
DECLARE_MAPI_INTERFACE_(IMAPITable, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPITABLE_METHODS(IPURE)
};
#define IMAPITable_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPITable_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPITable_Release(p) (p)->lpVtbl->Release(p)
#define IMAPITable_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPITable_Advise(p, a, b, c) (p)->lpVtbl->Advise(p, a, b, c)
#define IMAPITable_Unadvise(p, a) (p)->lpVtbl->Unadvise(p, a)
#define IMAPITable_GetStatus(p, a, b) (p)->lpVtbl->GetStatus(p, a, b)
#define IMAPITable_SetColumns(p, a, b) (p)->lpVtbl->SetColumns(p, a, b)
#define IMAPITable_QueryColumns(p, a, b) (p)->lpVtbl->QueryColumns(p, a, b)
#define IMAPITable_GetRowCount(p, a, b) (p)->lpVtbl->GetRowCount(p, a, b)
#define IMAPITable_SeekRow(p, a, b, c) (p)->lpVtbl->SeekRow(p, a, b, c)
#define IMAPITable_SeekRowApprox(p, a, b) (p)->lpVtbl->SeekRowApprox(p, a, b)
#define IMAPITable_QueryPosition(p, a, b, c) (p)->lpVtbl->QueryPosition(p, a, b, c)
#define IMAPITable_FindRow(p, a, b, c) (p)->lpVtbl->FindRow(p, a, b, c)
#define IMAPITable_Restrict(p, a, b) (p)->lpVtbl->Restrict(p, a, b)
#define IMAPITable_CreateBookmark(p, a) (p)->lpVtbl->CreateBookmark(p, a)
#define IMAPITable_FreeBookmark(p, a) (p)->lpVtbl->FreeBookmark(p, a)
#define IMAPITable_SortTable(p, a, b) (p)->lpVtbl->SortTable(p, a, b)
#define IMAPITable_QuerySortOrder(p, a) (p)->lpVtbl->QuerySortOrder(p, a)
#define IMAPITable_QueryRows(p, a, b, c) (p)->lpVtbl->QueryRows(p, a, b, c)
#define IMAPITable_Abort(p) (p)->lpVtbl->Abort(p)
#define IMAPITable_ExpandRow(p, a, b, c, d, e, f) (p)->lpVtbl->ExpandRow(p, a, b, c, d, e, f)
#define IMAPITable_CollapseRow(p, a, b, c, d) (p)->lpVtbl->CollapseRow(p, a, b, c, d)
#define IMAPITable_WaitForCompletion(p, a, b, c) (p)->lpVtbl->WaitForCompletion(p, a, b, c)
#define IMAPITable_GetCollapseState(p, a, b, c, d, e) \
    (p)->lpVtbl->GetCollapseState(p, a, b, c, d, e)
#define IMAPITable_SetCollapseState(p, a, b, c, d) (p)->lpVtbl->SetCollapseState(p, a, b, c, d)

/* ---- IProfSect: a profile section (IMAPIProp only) -------------------------- */
#define MAPI_IPROFSECT_METHODS(IPURE)

#undef INTERFACE
#define INTERFACE IProfSect
DECLARE_MAPI_INTERFACE_(IProfSect, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IPROFSECT_METHODS(IPURE)
};
#define IProfSect_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IProfSect_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IProfSect_Release(p) (p)->lpVtbl->Release(p)
#define IProfSect_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IProfSect_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IProfSect_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IProfSect_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IProfSect_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IProfSect_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IProfSect_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IProfSect_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IProfSect_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IProfSect_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IProfSect_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)

/* ---- IMAPIStatus: state of a provider or of MAPI --------------------------- */
/* ValidateState ulFlags. */
#define SUPPRESS_UI ((ULONG)0x00000001)
#define REFRESH_XP_HEADER_CACHE ((ULONG)0x00010000)
#define PROCESS_XP_HEADER_CACHE ((ULONG)0x00020000)
#define FORCE_XP_CONNECT ((ULONG)0x00040000)
#define FORCE_XP_DISCONNECT ((ULONG)0x00080000)
#define CONFIG_CHANGED ((ULONG)0x00100000)
#define ABORT_XP_HEADER_OPERATION ((ULONG)0x00200000)
#define SHOW_XP_SESSION_UI ((ULONG)0x00400000)
/* SettingsDialog ulFlags. */
#define UI_READONLY ((ULONG)0x00000001)
/* FlushQueues ulFlags. */
#define FLUSH_UPLOAD ((ULONG)0x00000002)
#define FLUSH_DOWNLOAD ((ULONG)0x00000004)
#define FLUSH_FORCE ((ULONG)0x00000008)
#define FLUSH_NO_UI ((ULONG)0x00000010)
#define FLUSH_ASYNC_OK ((ULONG)0x00000020)

/* PR_RESOURCE_METHODS: which IMAPIStatus methods an object supports. */
#define STATUS_VALIDATE_STATE ((ULONG)0x00000001)
#define STATUS_SETTINGS_DIALOG ((ULONG)0x00000002)
#define STATUS_CHANGE_PASSWORD ((ULONG)0x00000004)
#define STATUS_FLUSH_QUEUES ((ULONG)0x00000008)

/* PR_STATUS_CODE bits. */
#define STATUS_AVAILABLE ((ULONG)0x00000001)
#define STATUS_OFFLINE ((ULONG)0x00000002)
#define STATUS_FAILURE ((ULONG)0x00000004)
#define STATUS_INBOUND_ENABLED ((ULONG)0x00010000)
#define STATUS_INBOUND_ACTIVE ((ULONG)0x00020000)
#define STATUS_INBOUND_FLUSH ((ULONG)0x00040000)
#define STATUS_OUTBOUND_ENABLED ((ULONG)0x00100000)
#define STATUS_OUTBOUND_ACTIVE ((ULONG)0x00200000)
#define STATUS_OUTBOUND_FLUSH ((ULONG)0x00400000)
#define STATUS_REMOTE_ACCESS ((ULONG)0x00800000)

/* PR_RESOURCE_FLAGS bits of status rows and profile sections. */
#define STATUS_DEFAULT_OUTBOUND ((ULONG)0x00000001)
#define STATUS_DEFAULT_STORE ((ULONG)0x00000002)
#define STATUS_PRIMARY_IDENTITY ((ULONG)0x00000004)
#define STATUS_SIMPLE_STORE ((ULONG)0x00000008)
#define STATUS_XP_PREFER_LAST ((ULONG)0x00000010)
#define STATUS_NO_PRIMARY_IDENTITY ((ULONG)0x00000020)
#define STATUS_NO_DEFAULT_STORE ((ULONG)0x00000040)
#define STATUS_TEMP_SECTION ((ULONG)0x00000080)
#define STATUS_OWN_STORE ((ULONG)0x00000100)
#define STATUS_NEED_IPM_TREE ((ULONG)0x00000800)
#define STATUS_PRIMARY_STORE ((ULONG)0x00001000)
#define STATUS_SECONDARY_STORE ((ULONG)0x00002000)

#define MAPI_IMAPISTATUS_METHODS(IPURE)                                                 \
    MAPIMETHOD(ValidateState)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags) IPURE;          \
    MAPIMETHOD(SettingsDialog)(THIS_ ULONG_PTR ulUIParam, ULONG ulFlags) IPURE;         \
    MAPIMETHOD(ChangePassword)(THIS_ LPTSTR lpOldPass, LPTSTR lpNewPass,                \
                               ULONG ulFlags) IPURE;                                    \
    MAPIMETHOD(FlushQueues)(THIS_ ULONG_PTR ulUIParam, ULONG cbTargetTransport,         \
                            LPENTRYID lpTargetTransport, ULONG ulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIStatus
DECLARE_MAPI_INTERFACE_(IMAPIStatus, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPISTATUS_METHODS(IPURE)
};
#define IMAPIStatus_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIStatus_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIStatus_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIStatus_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPIStatus_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMAPIStatus_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMAPIStatus_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMAPIStatus_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMAPIStatus_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMAPIStatus_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMAPIStatus_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMAPIStatus_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMAPIStatus_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMAPIStatus_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IMAPIStatus_ValidateState(p, a, b) (p)->lpVtbl->ValidateState(p, a, b)
#define IMAPIStatus_SettingsDialog(p, a, b) (p)->lpVtbl->SettingsDialog(p, a, b)
#define IMAPIStatus_ChangePassword(p, a, b, c) (p)->lpVtbl->ChangePassword(p, a, b, c)
#define IMAPIStatus_FlushQueues(p, a, b, c, d) (p)->lpVtbl->FlushQueues(p, a, b, c, d)

/* ---- IMAPIContainer: an object holding other objects ------------------------ */
/* GetContentsTable / GetHierarchyTable ulFlags (with MAPI_DEFERRED_ERRORS,
 * MAPI_UNICODE and, for contents, MAPI_ASSOCIATED). */
#define CONVENIENT_DEPTH ((ULONG)0x00000001)
#define SHOW_SOFT_DELETES ((ULONG)0x00000002)

/* SetSearchCriteria ulSearchFlags. */
#define STOP_SEARCH ((ULONG)0x00000001)
#define RESTART_SEARCH ((ULONG)0x00000002)
#define RECURSIVE_SEARCH ((ULONG)0x00000004)
#define SHALLOW_SEARCH ((ULONG)0x00000008)
#define FOREGROUND_SEARCH ((ULONG)0x00000010)
#define BACKGROUND_SEARCH ((ULONG)0x00000020)
#define CONTENT_INDEXED_SEARCH ((ULONG)0x00010000)
#define NON_CONTENT_INDEXED_SEARCH ((ULONG)0x00020000)
#define STATIC_SEARCH ((ULONG)0x00040000)

/* GetSearchCriteria *lpulSearchState. */
#define SEARCH_RUNNING ((ULONG)0x00000001)
#define SEARCH_REBUILD ((ULONG)0x00000002)
#define SEARCH_RECURSIVE ((ULONG)0x00000004)
#define SEARCH_FOREGROUND ((ULONG)0x00000008)
#define SEARCH_COMPLETE ((ULONG)0x00001000)
#define SEARCH_PARTIAL ((ULONG)0x00002000)
#define SEARCH_STATIC ((ULONG)0x00010000)
#define SEARCH_MAYBE_STATIC ((ULONG)0x00020000)

#define MAPI_IMAPICONTAINER_METHODS(IPURE)                                              \
    MAPIMETHOD(GetContentsTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;    \
    MAPIMETHOD(GetHierarchyTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;   \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE; \
    MAPIMETHOD(SetSearchCriteria)(THIS_ LPSRestriction lpRestriction,                   \
                                  LPENTRYLIST lpContainerList, ULONG ulSearchFlags) IPURE; \
    MAPIMETHOD(GetSearchCriteria)(THIS_ ULONG ulFlags, LPSRestriction * lppRestriction, \
                                  LPENTRYLIST * lppContainerList,                       \
                                  ULONG * lpulSearchState) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIContainer
DECLARE_MAPI_INTERFACE_(IMAPIContainer, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPICONTAINER_METHODS(IPURE)
};
#define IMAPIContainer_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIContainer_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIContainer_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIContainer_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPIContainer_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMAPIContainer_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMAPIContainer_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMAPIContainer_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMAPIContainer_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMAPIContainer_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMAPIContainer_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMAPIContainer_CopyProps(p, a, b, c, d, e, f, g) \
    (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMAPIContainer_GetNamesFromIDs(p, a, b, c, d, e) \
    (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMAPIContainer_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IMAPIContainer_GetContentsTable(p, a, b) (p)->lpVtbl->GetContentsTable(p, a, b)
#define IMAPIContainer_GetHierarchyTable(p, a, b) (p)->lpVtbl->GetHierarchyTable(p, a, b)
#define IMAPIContainer_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IMAPIContainer_SetSearchCriteria(p, a, b, c) (p)->lpVtbl->SetSearchCriteria(p, a, b, c)
#define IMAPIContainer_GetSearchCriteria(p, a, b, c, d) \
    (p)->lpVtbl->GetSearchCriteria(p, a, b, c, d)

/* ---- IMAPIFolder: a folder of a message store ------------------------------- */
/* CreateFolder ulFolderType, and PR_FOLDER_TYPE values. */
#define FOLDER_ROOT ((ULONG)0x00000000)
#define FOLDER_GENERIC ((ULONG)0x00000001)
#define FOLDER_SEARCH ((ULONG)0x00000002)

/* CreateMessage ulFlags: MAPI_DEFERRED_ERRORS, MAPI_ASSOCIATED. */
/* CopyMessages ulFlags. */
#define MESSAGE_MOVE ((ULONG)0x00000001)
#define MESSAGE_DIALOG ((ULONG)0x00000002)
/* CreateFolder ulFlags. */
#define OPEN_IF_EXISTS ((ULONG)0x00000001)
/* DeleteFolder ulFlags. */
#define DEL_MESSAGES ((ULONG)0x00000001)
#define FOLDER_DIALOG ((ULONG)0x00000002)
#define DEL_FOLDERS ((ULONG)0x00000004)
/* EmptyFolder ulFlags. */
#define DEL_ASSOCIATED ((ULONG)0x00000008)
/* DeleteFolder, DeleteMessages, EmptyFolder: delete permanently. */
#define DELETE_HARD_DELETE ((ULONG)0x00000010)
/* CopyFolder ulFlags. */
#define FOLDER_MOVE ((ULONG)0x00000001)
#define COPY_SUBFOLDERS ((ULONG)0x00000010)

/* SetReadFlags (IMAPIFolder) and SetReadFlag (IMessage) ulFlags. */
#define SUPPRESS_RECEIPT ((ULONG)0x00000001)
#define CLEAR_READ_FLAG ((ULONG)0x00000004)
#define GENERATE_RECEIPT_ONLY ((ULONG)0x00000010)
#define CLEAR_RN_PENDING ((ULONG)0x00000020)
#define CLEAR_NRN_PENDING ((ULONG)0x00000040)

/* GetMessageStatus / SetMessageStatus, PR_MSG_STATUS bits. */
#define MSGSTATUS_HIGHLIGHTED ((ULONG)0x00000001)
#define MSGSTATUS_TAGGED ((ULONG)0x00000002)
#define MSGSTATUS_HIDDEN ((ULONG)0x00000004)
#define MSGSTATUS_DELMARKED ((ULONG)0x00000008)
#define MSGSTATUS_DRAFT ((ULONG)0x00000100)
#define MSGSTATUS_ANSWERED ((ULONG)0x00000200)
#define MSGSTATUS_IN_CONFLICT ((ULONG)0x00000800)
#define MSGSTATUS_REMOTE_DOWNLOAD ((ULONG)0x00001000)
#define MSGSTATUS_REMOTE_DELETE ((ULONG)0x00002000)
#define MSGSTATUS_MDNSENT ((ULONG)0x00004000)

/* PR_VALID_FOLDER_MASK bits of a message store. */
#define FOLDER_IPM_SUBTREE_VALID ((ULONG)0x00000001)
#define FOLDER_IPM_INBOX_VALID ((ULONG)0x00000002)
#define FOLDER_IPM_OUTBOX_VALID ((ULONG)0x00000004)
#define FOLDER_IPM_WASTEBASKET_VALID ((ULONG)0x00000008)
#define FOLDER_IPM_SENTMAIL_VALID ((ULONG)0x00000010)
#define FOLDER_VIEWS_VALID ((ULONG)0x00000020)
#define FOLDER_COMMON_VIEWS_VALID ((ULONG)0x00000040)
#define FOLDER_FINDER_VALID ((ULONG)0x00000080)

#define MAPI_IMAPIFOLDER_METHODS(IPURE)                                                    \
    MAPIMETHOD(CreateMessage)(THIS_ LPCIID lpInterface, ULONG ulFlags,                     \
                              LPMESSAGE * lppMessage) IPURE;                               \
    MAPIMETHOD(CopyMessages)(THIS_ LPENTRYLIST lpMsgList, LPCIID lpInterface,              \
                             LPVOID lpDestFolder, ULONG_PTR ulUIParam,                     \
                             LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;              \
    MAPIMETHOD(DeleteMessages)(THIS_ LPENTRYLIST lpMsgList, ULONG_PTR ulUIParam,           \
                               LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;            \
    MAPIMETHOD(CreateFolder)(THIS_ ULONG ulFolderType, LPTSTR lpszFolderName,              \
                             LPTSTR lpszFolderComment, LPCIID lpInterface, ULONG ulFlags,  \
                             LPMAPIFOLDER * lppFolder) IPURE;                              \
    MAPIMETHOD(CopyFolder)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, \
                           LPVOID lpDestFolder, LPTSTR lpszNewFolderName,                  \
                           ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,                 \
                           ULONG ulFlags) IPURE;                                           \
    MAPIMETHOD(DeleteFolder)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID,                   \
                             ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,               \
                             ULONG ulFlags) IPURE;                                         \
    MAPIMETHOD(SetReadFlags)(THIS_ LPENTRYLIST lpMsgList, ULONG_PTR ulUIParam,             \
                             LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;              \
    MAPIMETHOD(GetMessageStatus)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID,               \
                                 ULONG ulFlags, ULONG * lpulMessageStatus) IPURE;          \
    MAPIMETHOD(SetMessageStatus)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID,               \
                                 ULONG ulNewStatus, ULONG ulNewStatusMask,                 \
                                 ULONG * lpulOldStatus) IPURE;                             \
    MAPIMETHOD(SaveContentsSort)(THIS_ LPSSortOrderSet lpSortCriteria, ULONG ulFlags) IPURE; \
    MAPIMETHOD(EmptyFolder)(THIS_ ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,          \
                            ULONG ulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIFolder
DECLARE_MAPI_INTERFACE_(IMAPIFolder, IMAPIContainer)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPICONTAINER_METHODS(IPURE)
    MAPI_IMAPIFOLDER_METHODS(IPURE)
};
#define IMAPIFolder_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIFolder_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIFolder_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIFolder_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPIFolder_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMAPIFolder_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMAPIFolder_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMAPIFolder_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMAPIFolder_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMAPIFolder_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMAPIFolder_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMAPIFolder_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMAPIFolder_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMAPIFolder_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IMAPIFolder_GetContentsTable(p, a, b) (p)->lpVtbl->GetContentsTable(p, a, b)
#define IMAPIFolder_GetHierarchyTable(p, a, b) (p)->lpVtbl->GetHierarchyTable(p, a, b)
#define IMAPIFolder_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IMAPIFolder_SetSearchCriteria(p, a, b, c) (p)->lpVtbl->SetSearchCriteria(p, a, b, c)
#define IMAPIFolder_GetSearchCriteria(p, a, b, c, d) (p)->lpVtbl->GetSearchCriteria(p, a, b, c, d)
#define IMAPIFolder_CreateMessage(p, a, b, c) (p)->lpVtbl->CreateMessage(p, a, b, c)
#define IMAPIFolder_CopyMessages(p, a, b, c, d, e, f) (p)->lpVtbl->CopyMessages(p, a, b, c, d, e, f)
#define IMAPIFolder_DeleteMessages(p, a, b, c, d) (p)->lpVtbl->DeleteMessages(p, a, b, c, d)
#define IMAPIFolder_CreateFolder(p, a, b, c, d, e, f) (p)->lpVtbl->CreateFolder(p, a, b, c, d, e, f)
#define IMAPIFolder_CopyFolder(p, a, b, c, d, e, f, g, h) \
    (p)->lpVtbl->CopyFolder(p, a, b, c, d, e, f, g, h)
#define IMAPIFolder_DeleteFolder(p, a, b, c, d, e) (p)->lpVtbl->DeleteFolder(p, a, b, c, d, e)
#define IMAPIFolder_SetReadFlags(p, a, b, c, d) (p)->lpVtbl->SetReadFlags(p, a, b, c, d)
#define IMAPIFolder_GetMessageStatus(p, a, b, c, d) (p)->lpVtbl->GetMessageStatus(p, a, b, c, d)
#define IMAPIFolder_SetMessageStatus(p, a, b, c, d, e) \
    (p)->lpVtbl->SetMessageStatus(p, a, b, c, d, e)
#define IMAPIFolder_SaveContentsSort(p, a, b) (p)->lpVtbl->SaveContentsSort(p, a, b)
#define IMAPIFolder_EmptyFolder(p, a, b, c) (p)->lpVtbl->EmptyFolder(p, a, b, c)

/* ---- IMessage: a message ------------------------------------------------------ */
/* PR_MESSAGE_FLAGS bits. */
#define MSGFLAG_READ ((ULONG)0x00000001)
#define MSGFLAG_UNMODIFIED ((ULONG)0x00000002)
#define MSGFLAG_SUBMIT ((ULONG)0x00000004)
#define MSGFLAG_UNSENT ((ULONG)0x00000008)
#define MSGFLAG_HASATTACH ((ULONG)0x00000010)
#define MSGFLAG_FROMME ((ULONG)0x00000020)
#define MSGFLAG_ASSOCIATED ((ULONG)0x00000040)
#define MSGFLAG_RESEND ((ULONG)0x00000080)
#define MSGFLAG_RN_PENDING ((ULONG)0x00000100)
#define MSGFLAG_NRN_PENDING ((ULONG)0x00000200)
#define MSGFLAG_ORIGIN_X400 ((ULONG)0x00001000)
#define MSGFLAG_ORIGIN_INTERNET ((ULONG)0x00002000)
#define MSGFLAG_ORIGIN_MISC_EXT ((ULONG)0x00008000)

/* PR_SUBMIT_FLAGS bits. */
#define SUBMITFLAG_LOCKED ((ULONG)0x00000001)
#define SUBMITFLAG_PREPROCESS ((ULONG)0x00000002)

/* SubmitMessage ulFlags. */
#define FORCE_SUBMIT ((ULONG)0x00000001)

/* ModifyRecipients ulFlags. */
#define MODRECIP_ADD ((ULONG)0x00000002)
#define MODRECIP_MODIFY ((ULONG)0x00000004)
#define MODRECIP_REMOVE ((ULONG)0x00000008)

/* DeleteAttach ulFlags. */
#define ATTACH_DIALOG ((ULONG)0x00000001)

/* PR_ATTACH_METHOD values. */
#define NO_ATTACHMENT ((ULONG)0x00000000)
#define ATTACH_BY_VALUE ((ULONG)0x00000001)
#define ATTACH_BY_REFERENCE ((ULONG)0x00000002)
#define ATTACH_BY_REF_RESOLVE ((ULONG)0x00000003)
#define ATTACH_BY_REF_ONLY ((ULONG)0x00000004)
#define ATTACH_EMBEDDED_MSG ((ULONG)0x00000005)
#define ATTACH_OLE ((ULONG)0x00000006)

/* ---- values of message properties ------------------------------------------- */
/* PR_SECURITY */
#define SECURITY_SIGNED ((ULONG)0x00000001)
#define SECURITY_ENCRYPTED ((ULONG)0x00000002)

/* PR_PRIORITY */
#ifndef PRIO_URGENT
#define PRIO_URGENT ((LONG)1)
#define PRIO_NORMAL ((LONG)0)
#define PRIO_NONURGENT ((LONG)-1)
#endif

/* PR_SENSITIVITY */
#define SENSITIVITY_NONE ((ULONG)0x00000000)
#define SENSITIVITY_PERSONAL ((ULONG)0x00000001)
#define SENSITIVITY_PRIVATE ((ULONG)0x00000002)
#define SENSITIVITY_COMPANY_CONFIDENTIAL ((ULONG)0x00000003)

/* PR_IMPORTANCE */
#ifndef IMPORTANCE_LOW
#define IMPORTANCE_LOW ((LONG)0)
#define IMPORTANCE_NORMAL ((LONG)1)
#define IMPORTANCE_HIGH ((LONG)2)
#endif

/* PR_MSG_EDITOR_FORMAT */
#define EDITOR_FORMAT_DONTKNOW ((ULONG)0)
#define EDITOR_FORMAT_PLAINTEXT ((ULONG)1)
#define EDITOR_FORMAT_HTML ((ULONG)2)
#define EDITOR_FORMAT_RTF ((ULONG)3)

/* PR_NDR_REASON_CODE and PR_NDR_DIAG_CODE: the X.411 non-delivery reason
 * and diagnostic codes, in X.411's numbering. */
#define MAPI_REASON_TRANSFER_FAILED ((LONG)0)
#define MAPI_REASON_TRANSFER_IMPOSSIBLE ((LONG)1)
#define MAPI_REASON_CONVERSION_NOT_PERFORMED ((LONG)2)
#define MAPI_REASON_PHYSICAL_RENDITN_NOT_DONE ((LONG)3)
#define MAPI_REASON_PHYSICAL_DELIV_NOT_DONE ((LONG)4)
#define MAPI_REASON_RESTRICTED_DELIVERY ((LONG)5)
#define MAPI_REASON_DIRECTORY_OPERATN_FAILED ((LONG)6)

#define MAPI_DIAG_NO_DIAGNOSTIC ((LONG)-1)
#define MAPI_DIAG_OR_NAME_UNRECOGNIZED ((LONG)0)
#define MAPI_DIAG_OR_NAME_AMBIGUOUS ((LONG)1)
#define MAPI_DIAG_MTS_CONGESTED ((LONG)2)
#define MAPI_DIAG_LOOP_DETECTED ((LONG)3)
#define MAPI_DIAG_RECIPIENT_UNAVAILABLE ((LONG)4)
#define MAPI_DIAG_MAXIMUM_TIME_EXPIRED ((LONG)5)
#define MAPI_DIAG_EITS_UNSUPPORTED ((LONG)6)
#define MAPI_DIAG_CONTENT_TOO_LONG ((LONG)7)
#define MAPI_DIAG_IMPRACTICAL_TO_CONVERT ((LONG)8)
#define MAPI_DIAG_PROHIBITED_TO_CONVERT ((LONG)9)
#define MAPI_DIAG_CONVERSION_UNSUBSCRIBED ((LONG)10)
#define MAPI_DIAG_PARAMETERS_INVALID ((LONG)11)
#define MAPI_DIAG_CONTENT_SYNTAX_IN_ERROR ((LONG)12)
#define MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD ((LONG)13)
#define MAPI_DIAG_NUMBER_CONSTRAINT_VIOLATD ((LONG)14)
#define MAPI_DIAG_CONTENT_TYPE_UNSUPPORTED ((LONG)15)
#define MAPI_DIAG_TOO_MANY_RECIPIENTS ((LONG)16)
#define MAPI_DIAG_NO_BILATERAL_AGREEMENT ((LONG)17)
#define MAPI_DIAG_CRITICAL_FUNC_UNSUPPORTED ((LONG)18)
#define MAPI_DIAG_CONVERSION_LOSS_PROHIB ((LONG)19)
#define MAPI_DIAG_LINE_TOO_LONG ((LONG)20)
#define MAPI_DIAG_PAGE_TOO_LONG ((LONG)21)
#define MAPI_DIAG_PICTORIAL_SYMBOL_LOST ((LONG)22)
#define MAPI_DIAG_PUNCTUATION_SYMBOL_LOST ((LONG)23)
#define MAPI_DIAG_ALPHABETIC_CHARACTER_LOST ((LONG)24)
#define MAPI_DIAG_MULTIPLE_INFO_LOSSES ((LONG)25)
#define MAPI_DIAG_REASSIGNMENT_PROHIBITED ((LONG)26)
#define MAPI_DIAG_REDIRECTION_LOOP_DETECTED ((LONG)27)
#define MAPI_DIAG_EXPANSION_PROHIBITED ((LONG)28)
#define MAPI_DIAG_SUBMISSION_PROHIBITED ((LONG)29)
#define MAPI_DIAG_EXPANSION_FAILED ((LONG)30)
#define MAPI_DIAG_RENDITION_UNSUPPORTED ((LONG)31)
#define MAPI_DIAG_MAIL_ADDRESS_INCORRECT ((LONG)32)
#define MAPI_DIAG_MAIL_OFFICE_INCOR_OR_INVD ((LONG)33)
#define MAPI_DIAG_MAIL_ADDRESS_INCOMPLETE ((LONG)34)
#define MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN ((LONG)35)
#define MAPI_DIAG_MAIL_RECIPIENT_DECEASED ((LONG)36)
#define MAPI_DIAG_MAIL_ORGANIZATION_EXPIRED ((LONG)37)
#define MAPI_DIAG_MAIL_REFUSED ((LONG)38)
#define MAPI_DIAG_MAIL_UNCLAIMED ((LONG)39)
#define MAPI_DIAG_MAIL_RECIPIENT_MOVED ((LONG)40)
#define MAPI_DIAG_MAIL_RECIPIENT_TRAVELLING ((LONG)41)
#define MAPI_DIAG_MAIL_RECIPIENT_DEPARTED ((LONG)42)
#define MAPI_DIAG_MAIL_NEW_ADDRESS_UNKNOWN ((LONG)43)
#define MAPI_DIAG_MAIL_FORWARDING_UNWANTED ((LONG)44)
#define MAPI_DIAG_MAIL_FORWARDING_PROHIB ((LONG)45)
#define MAPI_DIAG_SECURE_MESSAGING_ERROR ((LONG)46)
#define MAPI_DIAG_DOWNGRADING_IMPOSSIBLE ((LONG)47)

/* PR_DELIVERY_POINT: the X.411 delivery points. */
#define MAPI_MH_DP_PUBLIC_UA ((ULONG)0)
#define MAPI_MH_DP_PRIVATE_UA ((ULONG)1)
#define MAPI_MH_DP_MS ((ULONG)2)
#define MAPI_MH_DP_ML ((ULONG)3)
#define MAPI_MH_DP_PDAU ((ULONG)4)
#define MAPI_MH_DP_PDS_PATRON ((ULONG)5)
#define MAPI_MH_DP_OTHER_AU ((ULONG)6)

/* PR_RECIPIENT_TYPE values; MAPI_SUBMITTED marks a recipient already sent to.
 * Spelled exactly as in mapi.h, which defines the same four names. */
#define MAPI_ORIG ((ULONG)0x00000000)
#define MAPI_TO ((ULONG)0x00000001)
#define MAPI_CC ((ULONG)0x00000002)
#define MAPI_BCC ((ULONG)0x00000003)
#define MAPI_P1 ((ULONG)0x10000000)
#define MAPI_SUBMITTED ((ULONG)0x80000000)

#define MAPI_IMESSAGE_METHODS(IPURE)                                                       \
    MAPIMETHOD(GetAttachmentTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;     \
    MAPIMETHOD(OpenAttach)(THIS_ ULONG ulAttachmentNum, LPCIID lpInterface, ULONG ulFlags, \
                           LPATTACH * lppAttach) IPURE;                                    \
    MAPIMETHOD(CreateAttach)(THIS_ LPCIID lpInterface, ULONG ulFlags,                      \
                             ULONG * lpulAttachmentNum, LPATTACH * lppAttach) IPURE;       \
    MAPIMETHOD(DeleteAttach)(THIS_ ULONG ulAttachmentNum, ULONG_PTR ulUIParam,             \
                             LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;              \
    MAPIMETHOD(GetRecipientTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;      \
    MAPIMETHOD(ModifyRecipients)(THIS_ ULONG ulFlags, LPADRLIST lpMods) IPURE;             \
    MAPIMETHOD(SubmitMessage)(THIS_ ULONG ulFlags) IPURE;                                  \
    MAPIMETHOD(SetReadFlag)(THIS_ ULONG ulFlags) IPURE;

#undef INTERFACE
#define INTERFACE IMessage
DECLARE_MAPI_INTERFACE_(IMessage, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMESSAGE_METHODS(IPURE)
};
#define IMessage_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMessage_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMessage_Release(p) (p)->lpVtbl->Release(p)
#define IMessage_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMessage_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMessage_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMessage_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMessage_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMessage_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMessage_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMessage_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMessage_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMessage_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMessage_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IMessage_GetAttachmentTable(p, a, b) (p)->lpVtbl->GetAttachmentTable(p, a, b)
#define IMessage_OpenAttach(p, a, b, c, d) (p)->lpVtbl->OpenAttach(p, a, b, c, d)
#define IMessage_CreateAttach(p, a, b, c, d) (p)->lpVtbl->CreateAttach(p, a, b, c, d)
#define IMessage_DeleteAttach(p, a, b, c, d) (p)->lpVtbl->DeleteAttach(p, a, b, c, d)
#define IMessage_GetRecipientTable(p, a, b) (p)->lpVtbl->GetRecipientTable(p, a, b)
#define IMessage_ModifyRecipients(p, a, b) (p)->lpVtbl->ModifyRecipients(p, a, b)
#define IMessage_SubmitMessage(p, a) (p)->lpVtbl->SubmitMessage(p, a)
#define IMessage_SetReadFlag(p, a) (p)->lpVtbl->SetReadFlag(p, a)

/* ---- IAttach: an attachment (IMAPIProp only) -------------------------------- */
#define MAPI_IATTACH_METHODS(IPURE)

#undef INTERFACE
#define INTERFACE IAttach
DECLARE_MAPI_INTERFACE_(IAttach, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IATTACH_METHODS(IPURE)
};
#define IAttach_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IAttach_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IAttach_Release(p) (p)->lpVtbl->Release(p)
#define IAttach_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IAttach_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IAttach_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IAttach_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IAttach_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IAttach_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IAttach_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IAttach_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IAttach_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IAttach_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IAttach_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)

/* ---- IMsgStore: a message store ---------------------------------------------- */
/* PR_STORE_SUPPORT_MASK (and PR_STORE_UNICODE_MASK) bits. */
#define STORE_ENTRYID_UNIQUE ((ULONG)0x00000001)
#define STORE_READONLY ((ULONG)0x00000002)
#define STORE_SEARCH_OK ((ULONG)0x00000004)
#define STORE_MODIFY_OK ((ULONG)0x00000008)
#define STORE_CREATE_OK ((ULONG)0x00000010)
#define STORE_ATTACH_OK ((ULONG)0x00000020)
#define STORE_OLE_OK ((ULONG)0x00000040)
#define STORE_SUBMIT_OK ((ULONG)0x00000080)
#define STORE_NOTIFY_OK ((ULONG)0x00000100)
#define STORE_MV_PROPS_OK ((ULONG)0x00000200)
#define STORE_CATEGORIZE_OK ((ULONG)0x00000400)
#define STORE_RTF_OK ((ULONG)0x00000800)
#define STORE_RESTRICTION_OK ((ULONG)0x00001000)
#define STORE_SORT_OK ((ULONG)0x00002000)
#define STORE_PUBLIC_FOLDERS ((ULONG)0x00004000)
#define STORE_UNCOMPRESSED_RTF ((ULONG)0x00008000)
#define STORE_HTML_OK ((ULONG)0x00010000)
#define STORE_ANSI_OK ((ULONG)0x00020000)
#define STORE_UNICODE_OK ((ULONG)0x00040000)
#define STORE_LOCALSTORE ((ULONG)0x00080000)
#define STORE_ITEMPROC ((ULONG)0x00200000)
#define STORE_PUSHER_OK ((ULONG)0x00800000)
#define STORE_FULLTEXT_QUERY_OK ((ULONG)0x02000000)
#define STORE_FILTER_SEARCH_OK ((ULONG)0x04000000)
#define STORE_RULES_OK ((ULONG)0x10000000)

/* PR_STORE_STATE bits. */
#define STORE_HAS_SEARCHES ((ULONG)0x01000000)

/* IMAPISession::OpenMsgStore ulFlags. */
#define MDB_NO_DIALOG ((ULONG)0x00000001)
#define MDB_WRITE ((ULONG)0x00000004)
#define MDB_TEMPORARY ((ULONG)0x00000020)
#define MDB_NO_MAIL ((ULONG)0x00000080)
#define MDB_ONLINE ((ULONG)0x00000100)

/* StoreLogoff *lpulFlags: how to log off (in) and what happened (out). */
#define LOGOFF_NO_WAIT ((ULONG)0x00000001)
#define LOGOFF_ORDERLY ((ULONG)0x00000002)
#define LOGOFF_PURGE ((ULONG)0x00000004)
#define LOGOFF_ABORT ((ULONG)0x00000008)
#define LOGOFF_QUIET ((ULONG)0x00000010)
#define LOGOFF_COMPLETE ((ULONG)0x00010000)
#define LOGOFF_INBOUND ((ULONG)0x00020000)
#define LOGOFF_OUTBOUND ((ULONG)0x00040000)
#define LOGOFF_OUTBOUND_QUEUE ((ULONG)0x00080000)

/* SetLockState ulLockState. */
#define MSG_LOCKED ((ULONG)0x00000001)
#define MSG_UNLOCKED ((ULONG)0x00000000)

#define MAPI_IMSGSTORE_METHODS(IPURE)                                                      \
    MAPIMETHOD(Advise)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask,      \
                       LPMAPIADVISESINK lpAdviseSink, ULONG_PTR * lpulConnection) IPURE;   \
    MAPIMETHOD(Unadvise)(THIS_ ULONG_PTR ulConnection) IPURE;                              \
    MAPIMETHOD(CompareEntryIDs)(THIS_ ULONG cbEntryID1, LPENTRYID lpEntryID1,              \
                                ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,     \
                                ULONG * lpulResult) IPURE;                                 \
    MAPIMETHOD(OpenEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,  \
                          ULONG ulFlags, ULONG * lpulObjType, LPUNKNOWN * lppUnk) IPURE;   \
    MAPIMETHOD(SetReceiveFolder)(THIS_ LPTSTR lpszMessageClass, ULONG ulFlags,             \
                                 ULONG cbEntryID, LPENTRYID lpEntryID) IPURE;              \
    MAPIMETHOD(GetReceiveFolder)(THIS_ LPTSTR lpszMessageClass, ULONG ulFlags,             \
                                 ULONG * lpcbEntryID, LPENTRYID * lppEntryID,              \
                                 LPTSTR * lppszExplicitClass) IPURE;                       \
    MAPIMETHOD(GetReceiveFolderTable)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;  \
    MAPIMETHOD(StoreLogoff)(THIS_ ULONG * lpulFlags) IPURE;                                \
    MAPIMETHOD(AbortSubmit)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulFlags) IPURE; \
    MAPIMETHOD(GetOutgoingQueue)(THIS_ ULONG ulFlags, LPMAPITABLE * lppTable) IPURE;       \
    MAPIMETHOD(SetLockState)(THIS_ LPMESSAGE lpMessage, ULONG ulLockState) IPURE;          \
    MAPIMETHOD(FinishedMsg)(THIS_ ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID) IPURE; \
    MAPIMETHOD(NotifyNewMail)(THIS_ LPNOTIFICATION lpNotification) IPURE;

#undef INTERFACE
#define INTERFACE IMsgStore
DECLARE_MAPI_INTERFACE_(IMsgStore, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMSGSTORE_METHODS(IPURE)
};
#define IMsgStore_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMsgStore_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMsgStore_Release(p) (p)->lpVtbl->Release(p)
#define IMsgStore_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMsgStore_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMsgStore_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMsgStore_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMsgStore_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMsgStore_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMsgStore_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMsgStore_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMsgStore_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMsgStore_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMsgStore_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IMsgStore_Advise(p, a, b, c, d, e) (p)->lpVtbl->Advise(p, a, b, c, d, e)
#define IMsgStore_Unadvise(p, a) (p)->lpVtbl->Unadvise(p, a)
#define IMsgStore_CompareEntryIDs(p, a, b, c, d, e, f) \
    (p)->lpVtbl->CompareEntryIDs(p, a, b, c, d, e, f)
#define IMsgStore_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IMsgStore_SetReceiveFolder(p, a, b, c, d) (p)->lpVtbl->SetReceiveFolder(p, a, b, c, d)
#define IMsgStore_GetReceiveFolder(p, a, b, c, d, e) (p)->lpVtbl->GetReceiveFolder(p, a, b, c, d, e)
#define IMsgStore_GetReceiveFolderTable(p, a, b) (p)->lpVtbl->GetReceiveFolderTable(p, a, b)
#define IMsgStore_StoreLogoff(p, a) (p)->lpVtbl->StoreLogoff(p, a)
#define IMsgStore_AbortSubmit(p, a, b, c) (p)->lpVtbl->AbortSubmit(p, a, b, c)
#define IMsgStore_GetOutgoingQueue(p, a, b) (p)->lpVtbl->GetOutgoingQueue(p, a, b)
#define IMsgStore_SetLockState(p, a, b) (p)->lpVtbl->SetLockState(p, a, b)
#define IMsgStore_FinishedMsg(p, a, b, c) (p)->lpVtbl->FinishedMsg(p, a, b, c)
#define IMsgStore_NotifyNewMail(p, a) (p)->lpVtbl->NotifyNewMail(p, a)

/* ---- address book: IABContainer, IMailUser, IDistList ------------------------ */
/* ResolveNames: one flag per ADRLIST entry. */
#define MAPI_UNRESOLVED ((ULONG)0x00000000)
#define MAPI_AMBIGUOUS ((ULONG)0x00000001)
#define MAPI_RESOLVED ((ULONG)0x00000002)

typedef struct {
    ULONG cFlags;
    ULONG ulFlag[MAPI_DIM];
} FlagList, *LPFlagList;
#define CbNewFlagList(_cflags) (offsetof(FlagList, ulFlag) + (_cflags) * sizeof(ULONG))

/* CreateEntry ulCreateFlags and CopyEntries ulFlags. */
#define CREATE_CHECK_DUP_STRICT ((ULONG)0x00000001)
#define CREATE_CHECK_DUP_LOOSE ((ULONG)0x00000002)
#define CREATE_REPLACE ((ULONG)0x00000004)
#define CREATE_MERGE ((ULONG)0x00000008)
/* CopyEntries ulFlags; also IMAPISession::OpenAddressBook. */
#define AB_NO_DIALOG ((ULONG)0x00000001)

/* PR_CONTAINER_FLAGS bits. */
#define AB_RECIPIENTS ((ULONG)0x00000001)
#define AB_SUBCONTAINERS ((ULONG)0x00000002)
#define AB_MODIFIABLE ((ULONG)0x00000004)
#define AB_UNMODIFIABLE ((ULONG)0x00000008)
#define AB_FIND_ON_OPEN ((ULONG)0x00000010)
#define AB_NOT_DEFAULT ((ULONG)0x00000020)

/* PR_DISPLAY_TYPE values. */
#define DT_MAILUSER ((ULONG)0x00000000)
#define DT_DISTLIST ((ULONG)0x00000001)
#define DT_FORUM ((ULONG)0x00000002)
#define DT_AGENT ((ULONG)0x00000003)
#define DT_ORGANIZATION ((ULONG)0x00000004)
#define DT_PRIVATE_DISTLIST ((ULONG)0x00000005)
#define DT_REMOTE_MAILUSER ((ULONG)0x00000006)
#ifndef DT_ROOM
#define DT_ROOM ((ULONG)0x00000007)
#define DT_EQUIPMENT ((ULONG)0x00000008)
#define DT_SEC_DISTLIST ((ULONG)0x00000009)
#endif
/* PR_DISPLAY_TYPE_EX: the remote display type in bits 8-15, the local one
 * in bits 0-7. */
#define DTE_FLAG_REMOTE_VALID ((ULONG)0x80000000)
#define DTE_FLAG_ACL_CAPABLE ((ULONG)0x40000000)
#define DTE_MASK_REMOTE ((ULONG)0x0000FF00)
#define DTE_MASK_LOCAL ((ULONG)0x000000FF)
#define DTE_IS_REMOTE_VALID(v) (!!((v) & DTE_FLAG_REMOTE_VALID))
#define DTE_IS_ACL_CAPABLE(v) (!!((v) & DTE_FLAG_ACL_CAPABLE))
#define DTE_REMOTE(v) (((v) & DTE_MASK_REMOTE) >> 8)
#define DTE_LOCAL(v) ((v) & DTE_MASK_LOCAL)
#define DT_MODIFIABLE ((ULONG)0x00010000)
#define DT_GLOBAL ((ULONG)0x00020000)
#define DT_LOCAL ((ULONG)0x00030000)
#define DT_WAN ((ULONG)0x00040000)
#define DT_NOT_SPECIFIC ((ULONG)0x00050000)
#define DT_FOLDER ((ULONG)0x01000000)
#define DT_FOLDER_LINK ((ULONG)0x02000000)
#define DT_FOLDER_SPECIAL ((ULONG)0x04000000)

#define MAPI_IABCONTAINER_METHODS(IPURE)                                                 \
    MAPIMETHOD(CreateEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID,                  \
                            ULONG ulCreateFlags, LPMAPIPROP * lppMAPIPropEntry) IPURE;   \
    MAPIMETHOD(CopyEntries)(THIS_ LPENTRYLIST lpEntries, ULONG_PTR ulUIParam,            \
                            LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;             \
    MAPIMETHOD(DeleteEntries)(THIS_ LPENTRYLIST lpEntries, ULONG ulFlags) IPURE;         \
    MAPIMETHOD(ResolveNames)(THIS_ LPSPropTagArray lpPropTagArray, ULONG ulFlags,        \
                             LPADRLIST lpAdrList, LPFlagList lpFlagList) IPURE;

#undef INTERFACE
#define INTERFACE IABContainer
DECLARE_MAPI_INTERFACE_(IABContainer, IMAPIContainer)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPICONTAINER_METHODS(IPURE)
    MAPI_IABCONTAINER_METHODS(IPURE)
};
#define IABContainer_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IABContainer_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IABContainer_Release(p) (p)->lpVtbl->Release(p)
#define IABContainer_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IABContainer_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IABContainer_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IABContainer_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IABContainer_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IABContainer_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IABContainer_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IABContainer_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IABContainer_CopyProps(p, a, b, c, d, e, f, g) \
    (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IABContainer_GetNamesFromIDs(p, a, b, c, d, e) \
    (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IABContainer_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IABContainer_GetContentsTable(p, a, b) (p)->lpVtbl->GetContentsTable(p, a, b)
#define IABContainer_GetHierarchyTable(p, a, b) (p)->lpVtbl->GetHierarchyTable(p, a, b)
#define IABContainer_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IABContainer_SetSearchCriteria(p, a, b, c) (p)->lpVtbl->SetSearchCriteria(p, a, b, c)
#define IABContainer_GetSearchCriteria(p, a, b, c, d) (p)->lpVtbl->GetSearchCriteria(p, a, b, c, d)
#define IABContainer_CreateEntry(p, a, b, c, d) (p)->lpVtbl->CreateEntry(p, a, b, c, d)
#define IABContainer_CopyEntries(p, a, b, c, d) (p)->lpVtbl->CopyEntries(p, a, b, c, d)
#define IABContainer_DeleteEntries(p, a, b) (p)->lpVtbl->DeleteEntries(p, a, b)
#define IABContainer_ResolveNames(p, a, b, c, d) (p)->lpVtbl->ResolveNames(p, a, b, c, d)

#define MAPI_IMAILUSER_METHODS(IPURE)

#undef INTERFACE
#define INTERFACE IMailUser
DECLARE_MAPI_INTERFACE_(IMailUser, IMAPIProp)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAILUSER_METHODS(IPURE)
};
#define IMailUser_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMailUser_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMailUser_Release(p) (p)->lpVtbl->Release(p)
#define IMailUser_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMailUser_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IMailUser_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IMailUser_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IMailUser_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IMailUser_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IMailUser_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IMailUser_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IMailUser_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IMailUser_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IMailUser_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)

/* A distribution list has the same methods as an address book container. */
#define MAPI_IDISTLIST_METHODS(IPURE)                                                    \
    MAPIMETHOD(CreateEntry)(THIS_ ULONG cbEntryID, LPENTRYID lpEntryID,                  \
                            ULONG ulCreateFlags, LPMAPIPROP * lppMAPIPropEntry) IPURE;   \
    MAPIMETHOD(CopyEntries)(THIS_ LPENTRYLIST lpEntries, ULONG_PTR ulUIParam,            \
                            LPMAPIPROGRESS lpProgress, ULONG ulFlags) IPURE;             \
    MAPIMETHOD(DeleteEntries)(THIS_ LPENTRYLIST lpEntries, ULONG ulFlags) IPURE;         \
    MAPIMETHOD(ResolveNames)(THIS_ LPSPropTagArray lpPropTagArray, ULONG ulFlags,        \
                             LPADRLIST lpAdrList, LPFlagList lpFlagList) IPURE;

#undef INTERFACE
#define INTERFACE IDistList
DECLARE_MAPI_INTERFACE_(IDistList, IMAPIContainer)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROP_METHODS(IPURE)
    MAPI_IMAPICONTAINER_METHODS(IPURE)
    MAPI_IDISTLIST_METHODS(IPURE)
};
#define IDistList_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IDistList_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IDistList_Release(p) (p)->lpVtbl->Release(p)
#define IDistList_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IDistList_SaveChanges(p, a) (p)->lpVtbl->SaveChanges(p, a)
#define IDistList_GetProps(p, a, b, c, d) (p)->lpVtbl->GetProps(p, a, b, c, d)
#define IDistList_GetPropList(p, a, b) (p)->lpVtbl->GetPropList(p, a, b)
#define IDistList_OpenProperty(p, a, b, c, d, e) (p)->lpVtbl->OpenProperty(p, a, b, c, d, e)
#define IDistList_SetProps(p, a, b, c) (p)->lpVtbl->SetProps(p, a, b, c)
#define IDistList_DeleteProps(p, a, b) (p)->lpVtbl->DeleteProps(p, a, b)
#define IDistList_CopyTo(p, a, b, c, d, e, f, g, h, i) \
    (p)->lpVtbl->CopyTo(p, a, b, c, d, e, f, g, h, i)
#define IDistList_CopyProps(p, a, b, c, d, e, f, g) (p)->lpVtbl->CopyProps(p, a, b, c, d, e, f, g)
#define IDistList_GetNamesFromIDs(p, a, b, c, d, e) (p)->lpVtbl->GetNamesFromIDs(p, a, b, c, d, e)
#define IDistList_GetIDsFromNames(p, a, b, c, d) (p)->lpVtbl->GetIDsFromNames(p, a, b, c, d)
#define IDistList_GetContentsTable(p, a, b) (p)->lpVtbl->GetContentsTable(p, a, b)
#define IDistList_GetHierarchyTable(p, a, b) (p)->lpVtbl->GetHierarchyTable(p, a, b)
#define IDistList_OpenEntry(p, a, b, c, d, e, f) (p)->lpVtbl->OpenEntry(p, a, b, c, d, e, f)
#define IDistList_SetSearchCriteria(p, a, b, c) (p)->lpVtbl->SetSearchCriteria(p, a, b, c)
#define IDistList_GetSearchCriteria(p, a, b, c, d) (p)->lpVtbl->GetSearchCriteria(p, a, b, c, d)
#define IDistList_CreateEntry(p, a, b, c, d) (p)->lpVtbl->CreateEntry(p, a, b, c, d)
#define IDistList_CopyEntries(p, a, b, c, d) (p)->lpVtbl->CopyEntries(p, a, b, c, d)
#define IDistList_DeleteEntries(p, a, b) (p)->lpVtbl->DeleteEntries(p, a, b)
#define IDistList_ResolveNames(p, a, b, c, d) (p)->lpVtbl->ResolveNames(p, a, b, c, d)

/* ---- IAddrBook::Address parameters (ADRPARM) -------------------------------- */
/* ADRPARM.ulFlags. */
#define DIALOG_MODAL ((ULONG)0x00000001)
#define DIALOG_SDI ((ULONG)0x00000002)
#define DIALOG_OPTIONS ((ULONG)0x00000004)
#define ADDRESS_ONE ((ULONG)0x00000008)
#define AB_SELECTONLY ((ULONG)0x00000010)
#define AB_RESOLVE ((ULONG)0x00000020)

/* The destination wells of ADRPARM.lpulDestComps use MAPI_TO/CC/BCC. */
typedef BOOL(STDMETHODCALLTYPE ACCELERATEABSDI)(ULONG_PTR ulUIParam, LPVOID lpvmsg);
typedef ACCELERATEABSDI *LPFNABSDI;
typedef void(STDMETHODCALLTYPE DISMISSMODELESS)(ULONG_PTR ulUIParam, LPVOID lpvContext);
typedef DISMISSMODELESS *LPFNDISMISS;
typedef SCODE(STDMETHODCALLTYPE *LPFNBUTTON)(ULONG_PTR ulUIParam, LPVOID lpvContext,
                                            ULONG cbEntryID, LPENTRYID lpSelection,
                                            ULONG ulFlags);

typedef struct _ADRPARM {
    ULONG cbABContEntryID;
    LPENTRYID lpABContEntryID;
    ULONG ulFlags;
    LPVOID lpReserved;
    ULONG ulHelpContext;
    LPTSTR lpszHelpFileName;
    LPFNABSDI lpfnABSDI;
    LPFNDISMISS lpfnDismiss;
    LPVOID lpvDismissContext;
    LPTSTR lpszCaption;
    LPTSTR lpszNewEntryTitle;
    LPTSTR lpszDestWellsTitle;
    ULONG cDestFields;
    ULONG nDestFieldFocus;
    LPTSTR *lppszDestTitles;
    ULONG *lpulDestComps;
    LPSRestriction lpContRestriction;
    LPSRestriction lpHierRestriction;
} ADRPARM, *LPADRPARM;


/* ---- fast shutdown: IMAPIClientShutdown (on a session), IMAPIProviderShutdown -- */
DECLARE_MAPI_INTERFACE_PTR(IMAPIClientShutdown, LPMAPICLIENTSHUTDOWN);
DECLARE_MAPI_INTERFACE_PTR(IMAPIProviderShutdown, LPMAPIPROVIDERSHUTDOWN);

#define MAPI_IMAPICLIENTSHUTDOWN_METHODS(IPURE)  \
    MAPIMETHOD(QueryFastShutdown)(THIS) IPURE;   \
    MAPIMETHOD(NotifyProcessShutdown)(THIS) IPURE; \
    MAPIMETHOD(DoFastShutdown)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIClientShutdown
DECLARE_MAPI_INTERFACE_(IMAPIClientShutdown, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPICLIENTSHUTDOWN_METHODS(IPURE)
};
#define IMAPIClientShutdown_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIClientShutdown_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIClientShutdown_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIClientShutdown_QueryFastShutdown(p) (p)->lpVtbl->QueryFastShutdown(p)
#define IMAPIClientShutdown_NotifyProcessShutdown(p) (p)->lpVtbl->NotifyProcessShutdown(p)
#define IMAPIClientShutdown_DoFastShutdown(p) (p)->lpVtbl->DoFastShutdown(p)

#define MAPI_IMAPIPROVIDERSHUTDOWN_METHODS(IPURE) \
    MAPIMETHOD(QueryFastShutdown)(THIS) IPURE;    \
    MAPIMETHOD(NotifyProcessShutdown)(THIS) IPURE; \
    MAPIMETHOD(DoFastShutdown)(THIS) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIProviderShutdown
DECLARE_MAPI_INTERFACE_(IMAPIProviderShutdown, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIPROVIDERSHUTDOWN_METHODS(IPURE)
};

/* ---- IMSCapabilities: what a store supports, by selector ------------------------ */
typedef enum {
    MSCAP_SEL_RESERVED1 = 0,
    MSCAP_SEL_RESERVED2,
    MSCAP_SEL_FOLDER,
    MSCAP_SEL_RESTRICTION
} MSCAP_SELECTOR;

#define MSCAP_SECURE_FOLDER_HOMEPAGES ((ULONG)0x00000001)
#define MSCAP_RES_ANNOTATION ((ULONG)0x00000001)

DECLARE_MAPI_INTERFACE_PTR(IMSCapabilities, LPMSCAPABILITIES);

#define MAPI_IMSCAPABILITIES_METHODS(IPURE) \
    MAPIMETHOD_(ULONG, GetCapabilities)(THIS_ MSCAP_SELECTOR mscapSelector) IPURE;

#undef INTERFACE
#define INTERFACE IMSCapabilities
DECLARE_MAPI_INTERFACE_(IMSCapabilities, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMSCAPABILITIES_METHODS(IPURE)
};
#define IMSCapabilities_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMSCapabilities_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMSCapabilities_Release(p) (p)->lpVtbl->Release(p)
#define IMSCapabilities_GetCapabilities(p, a) (p)->lpVtbl->GetCapabilities(p, a)

/* ---- Outlook's additions: SaveChanges flags, aging, and three small interfaces -- */
/* IMAPIProp::SaveChanges: rules and junk-mail filtering of a new message
 * saved into a personal store (ITEMPROC_FORCE with NON_EMS_XP_SAVE), and
 * junk-mail filtering on save. */
#define SPAMFILTER_ONSAVE ((ULONG)0x00000080)
#define ITEMPROC_FORCE ((ULONG)0x00000800)
#define NON_EMS_XP_SAVE ((ULONG)0x00001000)

/* PR_AGING_GRANULARITY */
#define AG_MONTHS 0
#define AG_WEEKS 1
#define AG_DAYS 2

/* IFolderSupport::GetSupportMask */
#define FS_NONE 0x00
#define FS_SUPPORTS_SHARING 0x01

DECLARE_MAPI_INTERFACE_PTR(IMAPIGetSession, LPMAPIGETSESSION);
#define MAPI_IMAPIGETSESSION_METHODS(IPURE) \
    MAPIMETHOD(GetMAPISession)(THIS_ LPUNKNOWN * lppSession) IPURE;
#undef INTERFACE
#define INTERFACE IMAPIGetSession
DECLARE_MAPI_INTERFACE_(IMAPIGetSession, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPIGETSESSION_METHODS(IPURE)
};

DECLARE_MAPI_INTERFACE_PTR(IFolderSupport, LPFOLDERSUPPORT);
#define MAPI_IFOLDERSUPPORT_METHODS(IPURE) \
    MAPIMETHOD(GetSupportMask)(THIS_ DWORD * pdwSupportMask) IPURE;
#undef INTERFACE
#define INTERFACE IFolderSupport
DECLARE_MAPI_INTERFACE_(IFolderSupport, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IFOLDERSUPPORT_METHODS(IPURE)
};

DECLARE_MAPI_INTERFACE_PTR(IAttachmentSecurity, LPATTACHMENTSECURITY);
#define MAPI_IATTACHMENTSECURITY_METHODS(IPURE) \
    MAPIMETHOD(IsAttachmentBlocked)(THIS_ LPCWSTR pwszFileName, BOOL * pfBlocked) IPURE;
#undef INTERFACE
#define INTERFACE IAttachmentSecurity
DECLARE_MAPI_INTERFACE_(IAttachmentSecurity, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IATTACHMENTSECURITY_METHODS(IPURE)
};

/* ---- IMAPIControl and display tables (BuildDisplayTable in mapiutil.h) ---------- */
/* IMAPIControl::GetState */
#define MAPI_ENABLED ((ULONG)0x00000000)
#define MAPI_DISABLED ((ULONG)0x00000001)

DECLARE_MAPI_INTERFACE_PTR(IMAPIControl, LPMAPICONTROL);

#define MAPI_IMAPICONTROL_METHODS(IPURE)                                               \
    MAPIMETHOD(GetLastError)(THIS_ HRESULT hResult, ULONG ulFlags,                     \
                             LPMAPIERROR * lppMAPIError) IPURE;                        \
    MAPIMETHOD(Activate)(THIS_ ULONG ulFlags, ULONG_PTR ulUIParam) IPURE;              \
    MAPIMETHOD(GetState)(THIS_ ULONG ulFlags, ULONG * lpulState) IPURE;

#undef INTERFACE
#define INTERFACE IMAPIControl
DECLARE_MAPI_INTERFACE_(IMAPIControl, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_IMAPICONTROL_METHODS(IPURE)
};
#define IMAPIControl_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIControl_AddRef(p) (p)->lpVtbl->AddRef(p)
#define IMAPIControl_Release(p) (p)->lpVtbl->Release(p)
#define IMAPIControl_GetLastError(p, a, b, c) (p)->lpVtbl->GetLastError(p, a, b, c)
#define IMAPIControl_Activate(p, a, b) (p)->lpVtbl->Activate(p, a, b)
#define IMAPIControl_GetState(p, a, b) (p)->lpVtbl->GetState(p, a, b)

/* PR_CONTROL_FLAGS */
#define DT_MULTILINE ((ULONG)0x00000001)
#define DT_EDITABLE ((ULONG)0x00000002)
#define DT_REQUIRED ((ULONG)0x00000004)
#define DT_SET_IMMEDIATE ((ULONG)0x00000008)
#define DT_PASSWORD_EDIT ((ULONG)0x00000010)
#define DT_ACCEPT_DBCS ((ULONG)0x00000020)
#define DT_SET_SELECTION ((ULONG)0x00000040)

/* PR_CONTROL_TYPE */
#define DTCT_LABEL ((ULONG)0x00000000)
#define DTCT_EDIT ((ULONG)0x00000001)
#define DTCT_LBX ((ULONG)0x00000002)
#define DTCT_COMBOBOX ((ULONG)0x00000003)
#define DTCT_DDLBX ((ULONG)0x00000004)
#define DTCT_CHECKBOX ((ULONG)0x00000005)
#define DTCT_GROUPBOX ((ULONG)0x00000006)
#define DTCT_BUTTON ((ULONG)0x00000007)
#define DTCT_PAGE ((ULONG)0x00000008)
#define DTCT_RADIOBUTTON ((ULONG)0x00000009)
#define DTCT_MVLISTBOX ((ULONG)0x0000000B)
#define DTCT_MVDDLBX ((ULONG)0x0000000C)

/* DTBLLBX ulFlags */
#define MAPI_NO_HBAR ((ULONG)0x00000001)
#define MAPI_NO_VBAR ((ULONG)0x00000002)

/* The PR_CONTROL_STRUCTURE of each control type. A ulbLpsz member is the
 * byte offset of its string from the start of the structure (0: none);
 * ulFlags may hold MAPI_UNICODE for the strings. The Sized* macros declare
 * a structure followed by room for its string, as programs initialise
 * them statically. */
typedef struct _DTBLLABEL {
    ULONG ulbLpszLabelName;
    ULONG ulFlags;
} DTBLLABEL, *LPDTBLLABEL;
#define SizedDtblLabel(n, u)          \
    struct _DTBLLABEL_##u {           \
        DTBLLABEL dtbllabel;          \
        TCHAR lpszLabelName[n];       \
    } u

typedef struct _DTBLEDIT {
    ULONG ulbLpszCharsAllowed;
    ULONG ulFlags;
    ULONG ulNumCharsAllowed;
    ULONG ulPropTag;
} DTBLEDIT, *LPDTBLEDIT;
#define SizedDtblEdit(n, u)           \
    struct _DTBLEDIT_##u {            \
        DTBLEDIT dtbledit;            \
        TCHAR lpszCharsAllowed[n];    \
    } u

typedef struct _DTBLLBX {
    ULONG ulFlags;
    ULONG ulPRSetProperty;
    ULONG ulPRTableName;
} DTBLLBX, *LPDTBLLBX;

typedef struct _DTBLCOMBOBOX {
    ULONG ulbLpszCharsAllowed;
    ULONG ulFlags;
    ULONG ulNumCharsAllowed;
    ULONG ulPRPropertyName;
    ULONG ulPRTableName;
} DTBLCOMBOBOX, *LPDTBLCOMBOBOX;
#define SizedDtblComboBox(n, u)       \
    struct _DTBLCOMBOBOX_##u {        \
        DTBLCOMBOBOX dtblcombobox;    \
        TCHAR lpszCharsAllowed[n];    \
    } u

typedef struct _DTBLDDLBX {
    ULONG ulFlags;
    ULONG ulPRDisplayProperty;
    ULONG ulPRSetProperty;
    ULONG ulPRTableName;
} DTBLDDLBX, *LPDTBLDDLBX;

typedef struct _DTBLCHECKBOX {
    ULONG ulbLpszLabel;
    ULONG ulFlags;
    ULONG ulPRPropertyName;
} DTBLCHECKBOX, *LPDTBLCHECKBOX;
#define SizedDtblCheckBox(n, u)       \
    struct _DTBLCHECKBOX_##u {        \
        DTBLCHECKBOX dtblcheckbox;    \
        TCHAR lpszLabel[n];           \
    } u

typedef struct _DTBLGROUPBOX {
    ULONG ulbLpszLabel;
    ULONG ulFlags;
} DTBLGROUPBOX, *LPDTBLGROUPBOX;
#define SizedDtblGroupBox(n, u)       \
    struct _DTBLGROUPBOX_##u {        \
        DTBLGROUPBOX dtblgroupbox;    \
        TCHAR lpszLabel[n];           \
    } u

typedef struct _DTBLBUTTON {
    ULONG ulbLpszLabel;
    ULONG ulFlags;
    ULONG ulPRControl;
} DTBLBUTTON, *LPDTBLBUTTON;
#define SizedDtblButton(n, u)         \
    struct _DTBLBUTTON_##u {          \
        DTBLBUTTON dtblbutton;        \
        TCHAR lpszLabel[n];           \
    } u

typedef struct _DTBLPAGE {
    ULONG ulbLpszLabel;
    ULONG ulFlags;
    ULONG ulbLpszComponent;
    ULONG ulContext;
} DTBLPAGE, *LPDTBLPAGE;
#define SizedDtblPage(n, n1, u)       \
    struct _DTBLPAGE_##u {            \
        DTBLPAGE dtblpage;            \
        TCHAR lpszLabel[n];           \
        TCHAR lpszComponent[n1];      \
    } u

typedef struct _DTBLRADIOBUTTON {
    ULONG ulbLpszLabel;
    ULONG ulFlags;
    ULONG ulcButtons;
    ULONG ulPropTag;
    LONG lReturnValue;
} DTBLRADIOBUTTON, *LPDTBLRADIOBUTTON;
#define SizedDtblRadioButton(n, u)    \
    struct _DTBLRADIOBUTTON_##u {     \
        DTBLRADIOBUTTON dtblradiobutton; \
        TCHAR lpszLabel[n];           \
    } u

typedef struct _DTBLMVLISTBOX {
    ULONG ulFlags;
    ULONG ulMVPropTag;
} DTBLMVLISTBOX, *LPDTBLMVLISTBOX;

typedef struct _DTBLMVDDLBX {
    ULONG ulFlags;
    ULONG ulMVPropTag;
} DTBLMVDDLBX, *LPDTBLMVDDLBX;
/* The spelling of the reference's page title. */
typedef DTBLMVDDLBX DTBLMVDDLBOX, *LPDTBLMVDDLBOX;

/* One control given to BuildDisplayTable. */
typedef struct {
    ULONG ulCtlType;
    ULONG ulCtlFlags;
    LPBYTE lpbNotif;
    ULONG cbNotif;
    LPTSTR lpszFilter;
    ULONG ulItemID;
    union {
        LPVOID lpv;
        LPDTBLLABEL lplabel;
        LPDTBLEDIT lpedit;
        LPDTBLLBX lplbx;
        LPDTBLCOMBOBOX lpcombobox;
        LPDTBLDDLBX lpddlbx;
        LPDTBLCHECKBOX lpcheckbox;
        LPDTBLGROUPBOX lpgroupbox;
        LPDTBLBUTTON lpbutton;
        LPDTBLRADIOBUTTON lpradiobutton;
        LPDTBLMVLISTBOX lpmvlbx;
        LPDTBLMVDDLBX lpmvddlbx;
        LPDTBLPAGE lppage;
    } ctl;
} DTCTL, *LPDTCTL;

/* One page given to BuildDisplayTable: its controls (a DTCT_PAGE control
 * first), and its help component, a string or a resource number. */
typedef struct DTPAGE {
    ULONG cctl;
    LPTSTR lpszResourceName;
    union {
        LPTSTR lpszComponent;
        ULONG ulItemID;
    };
    LPDTCTL lpctl;
} DTPAGE, *LPDTPAGE;

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPIDEFS_H */
