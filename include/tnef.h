/*
 * tnef.h - the Transport-Neutral Encapsulation Format: ITnef, OpenTnefStream,
 * OpenTnefStreamEx and GetTnefStreamCodepage, and the constants of TNEF
 * streams ([MS-OXTNEF]: the signature, attribute levels, attribute IDs and
 * their types, RENDDATA, DTR, TRP, message status and priority values).
 *
 * A TNEF object is opened on an IStream and a message. With TNEF_ENCODE,
 * AddProps, SetProps and EncodeRecips say what goes into the stream and
 * Finish writes it (or FinishComponent writes it one component at a time,
 * with TNEF_COMPONENT_ENCODING); with TNEF_DECODE, ExtractProps reads the
 * stream into the message: its properties, recipients and attachments
 * (embedded messages too), which it saves, leaving the message itself for
 * the caller to save. Values and names come from Microsoft's MAPI reference
 * (tnef.h, ITnef) and [MS-OXTNEF].
 */
#ifndef FREEMAPI_TNEF_H
#define FREEMAPI_TNEF_H

#include "mapidefs.h"
#include "mapix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- OpenTnefStream ulFlags ------------------------------------------------ */
#define TNEF_DECODE ((ULONG)0x00000000)
#define TNEF_ENCODE ((ULONG)0x00000002)
/* Encoding modes: every property in attMAPIProps and none in the down-level
 * attributes (PURE); the down-level attributes and attMAPIProps both
 * (COMPATIBILITY); the down-level attributes, and attMAPIProps as well for a
 * property they would not carry whole (BEST_DATA, the default). */
#define TNEF_PURE ((ULONG)0x00010000)
#define TNEF_COMPATIBILITY ((ULONG)0x00020000)
#define TNEF_BEST_DATA ((ULONG)0x00040000)
/* The stream is written a component at a time (ITnef::FinishComponent). */
#define TNEF_COMPONENT_ENCODING ((ULONG)0x80000000)

/* ---- AddProps and ExtractProps ulFlags ------------------------------------ */
#define TNEF_PROP_INCLUDE ((ULONG)0x00000001)
#define TNEF_PROP_EXCLUDE ((ULONG)0x00000002)
#define TNEF_PROP_CONTAINED ((ULONG)0x00000004)
#define TNEF_PROP_MESSAGE_ONLY ((ULONG)0x00000008)
#define TNEF_PROP_ATTACHMENTS_ONLY ((ULONG)0x00000010)
#define TNEF_PROP_CONTAINED_TNEF ((ULONG)0x00000040)

/* ---- FinishComponent ulFlags ---------------------------------------------- */
#define TNEF_COMPONENT_MESSAGE ((ULONG)0x00001000)
#define TNEF_COMPONENT_ATTACHMENT ((ULONG)0x00002000)

/* ---- problems ------------------------------------------------------------- */
/* One thing the stream could not carry or give back: the component (0 for
 * the message, else the attachment's number), the attribute and property
 * concerned, and why. */
typedef struct _STnefProblem {
    ULONG ulComponent;
    ULONG ulAttribute;
    ULONG ulPropTag;
    SCODE scode;
} STnefProblem;

typedef struct _STnefProblemArray {
    ULONG cProblem;
    STnefProblem aProblem[MAPI_DIM];
} STnefProblemArray, *LPSTnefProblemArray;

#define CbNewSTnefProblemArray(_cprob) \
    (offsetof(STnefProblemArray, aProblem) + (_cprob) * sizeof(STnefProblem))
#define CbSTnefProblemArray(_lparray) \
    (offsetof(STnefProblemArray, aProblem) + (UINT)((_lparray)->cProblem * sizeof(STnefProblem)))

/* ---- ITnef ------------------------------------------------------------------ */
DECLARE_MAPI_INTERFACE_PTR(ITnef, LPITNEF);

#define MAPI_ITNEF_METHODS(IPURE)                                                          \
    MAPIMETHOD(AddProps)(THIS_ ULONG ulFlags, ULONG ulElemID, LPVOID lpvData,              \
                         LPSPropTagArray lpPropList) IPURE;                                \
    MAPIMETHOD(ExtractProps)(THIS_ ULONG ulFlags, LPSPropTagArray lpPropList,              \
                             LPSTnefProblemArray * lpProblems) IPURE;                      \
    MAPIMETHOD(Finish)(THIS_ ULONG ulFlags, WORD * lpKey,                                  \
                       LPSTnefProblemArray * lpProblems) IPURE;                            \
    MAPIMETHOD(OpenTaggedBody)(THIS_ LPMESSAGE lpMessage, ULONG ulFlags,                   \
                               LPSTREAM * lppStream) IPURE;                                \
    MAPIMETHOD(SetProps)(THIS_ ULONG ulFlags, ULONG ulElemID, ULONG cValues,               \
                         LPSPropValue lpProps) IPURE;                                      \
    MAPIMETHOD(EncodeRecips)(THIS_ ULONG ulFlags, LPMAPITABLE lpRecipientTable) IPURE;     \
    MAPIMETHOD(FinishComponent)(THIS_ ULONG ulFlags, ULONG ulComponentID,                  \
                                LPSPropTagArray lpCustomPropList, LPSPropValue lpCustomProps, \
                                LPSPropTagArray lpPropList,                                \
                                LPSTnefProblemArray * lpProblems) IPURE;

#undef INTERFACE
#define INTERFACE ITnef
DECLARE_MAPI_INTERFACE_(ITnef, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ITNEF_METHODS(IPURE)
};
#define ITnef_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define ITnef_AddRef(p) (p)->lpVtbl->AddRef(p)
#define ITnef_Release(p) (p)->lpVtbl->Release(p)
#define ITnef_AddProps(p, a, b, c, d) (p)->lpVtbl->AddProps(p, a, b, c, d)
#define ITnef_ExtractProps(p, a, b, c) (p)->lpVtbl->ExtractProps(p, a, b, c)
#define ITnef_Finish(p, a, b, c) (p)->lpVtbl->Finish(p, a, b, c)
#define ITnef_OpenTaggedBody(p, a, b, c) (p)->lpVtbl->OpenTaggedBody(p, a, b, c)
#define ITnef_SetProps(p, a, b, c, d) (p)->lpVtbl->SetProps(p, a, b, c, d)
#define ITnef_EncodeRecips(p, a, b) (p)->lpVtbl->EncodeRecips(p, a, b)
#define ITnef_FinishComponent(p, a, b, c, d, e, f) (p)->lpVtbl->FinishComponent(p, a, b, c, d, e, f)

/*
 * Opens a TNEF object over lpStream for lpMessage (TNEF_ENCODE: the message
 * written; TNEF_DECODE: the message filled). lpvSupport (a provider's
 * support object) and lpszStreamName (the attachment's name, "winmail.dat")
 * may be NULL; wKeyVal is the first attachment key (non-zero).
 * OpenTnefStreamEx also takes the address book that resolves addresses
 * (may be NULL).
 */
STDAPI OpenTnefStream(LPVOID lpvSupport, LPSTREAM lpStream, LPTSTR lpszStreamName,
                      ULONG ulFlags, LPMESSAGE lpMessage, WORD wKeyVal, LPITNEF *lppTNEF);
typedef HRESULT(STDMETHODCALLTYPE *LPOPENTNEFSTREAM)(LPVOID lpvSupport, LPSTREAM lpStream,
                                                     LPTSTR lpszStreamName, ULONG ulFlags,
                                                     LPMESSAGE lpMessage, WORD wKeyVal,
                                                     LPITNEF *lppTNEF);
STDAPI OpenTnefStreamEx(LPVOID lpvSupport, LPSTREAM lpStream, LPTSTR lpszStreamName,
                        ULONG ulFlags, LPMESSAGE lpMessage, WORD wKeyVal,
                        LPADRBOOK lpAdressBook, LPITNEF *lppTNEF);
typedef HRESULT(STDMETHODCALLTYPE *LPOPENTNEFSTREAMEX)(LPVOID lpvSupport, LPSTREAM lpStream,
                                                       LPTSTR lpszStreamName, ULONG ulFlags,
                                                       LPMESSAGE lpMessage, WORD wKeyVal,
                                                       LPADRBOOK lpAdressBook,
                                                       LPITNEF *lppTNEF);
/* The code page of the stream's attOemCodepage (437 and 0 when it has none),
 * read from the stream's current position, which is left where it was. */
STDAPI GetTnefStreamCodepage(LPSTREAM lpStream, ULONG *lpulCodepage, ULONG *lpulSubCodepage);
typedef HRESULT(STDMETHODCALLTYPE *LPGETTNEFSTREAMCODEPAGE)(LPSTREAM lpStream,
                                                            ULONG *lpulCodepage,
                                                            ULONG *lpulSubCodepage);
#define OPENTNEFSTREAM "OpenTnefStream"
#define OPENTNEFSTREAMEX "OpenTnefStreamEx"
#define GETTNEFSTREAMCODEPAGE "GetTnefStreamCodePage"

/* ---- the stream ------------------------------------------------------------- */
#define TNEF_SIGNATURE ((DWORD)0x223E9F78)
#define LVL_MESSAGE ((BYTE)0x01)
#define LVL_ATTACHMENT ((BYTE)0x02)

/* An attribute ID: its type in the high word, its identifier in the low. */
#define ATT_ID(_att) ((WORD)((_att) & 0x0000FFFF))
#define ATT_TYPE(_att) ((WORD)(((_att) >> 16) & 0x0000FFFF))
#define ATT(_atp, _id) ((((DWORD)(_atp)) << 16) | ((WORD)(_id)))

#define atpTriples ((WORD)0x0000)
#define atpString ((WORD)0x0001)
#define atpText ((WORD)0x0002)
#define atpDate ((WORD)0x0003)
#define atpShort ((WORD)0x0004)
#define atpLong ((WORD)0x0005)
#define atpByte ((WORD)0x0006)
#define atpWord ((WORD)0x0007)
#define atpDword ((WORD)0x0008)
#define atpMax ((WORD)0x0009)

#define attNull ATT(0, 0x0000)
#define attFrom ATT(atpTriples, 0x8000)
#define attSubject ATT(atpString, 0x8004)
#define attDateSent ATT(atpDate, 0x8005)
#define attDateRecd ATT(atpDate, 0x8006)
#define attMessageStatus ATT(atpByte, 0x8007)
#define attMessageClass ATT(atpWord, 0x8008)
#define attMessageID ATT(atpString, 0x8009)
#define attParentID ATT(atpString, 0x800A)
#define attConversationID ATT(atpString, 0x800B)
#define attBody ATT(atpText, 0x800C)
#define attPriority ATT(atpShort, 0x800D)
#define attAttachData ATT(atpByte, 0x800F)
#define attAttachTitle ATT(atpString, 0x8010)
#define attAttachMetaFile ATT(atpByte, 0x8011)
#define attAttachCreateDate ATT(atpDate, 0x8012)
#define attAttachModifyDate ATT(atpDate, 0x8013)
#define attDateModified ATT(atpDate, 0x8020)
#define attAttachTransportFilename ATT(atpByte, 0x9001)
#define attAttachRenddata ATT(atpByte, 0x9002)
#define attMAPIProps ATT(atpByte, 0x9003)
#define attRecipTable ATT(atpByte, 0x9004)
#define attAttachment ATT(atpByte, 0x9005)
#define attTnefVersion ATT(atpDword, 0x9006)
#define attOemCodepage ATT(atpByte, 0x9007)
#define attOriginalMessageClass ATT(atpWord, 0x0006)
/* Meeting attributes (Schedule+). */
#define attOwner ATT(atpByte, 0x0000)
#define attSentFor ATT(atpByte, 0x0001)
#define attDelegate ATT(atpByte, 0x0002)
#define attDateStart ATT(atpDate, 0x0006)
#define attDateEnd ATT(atpDate, 0x0007)
#define attAidOwner ATT(atpLong, 0x0008)
#define attRequestRes ATT(atpShort, 0x0009)

/* attTnefVersion's value. */
#define TNEF_VERSION ((DWORD)0x00010000)

/* attMessageStatus bits (Microsoft Mail 3.x). */
#define fmsNull ((BYTE)0x00)
#define fmsModified ((BYTE)0x01)
#define fmsLocal ((BYTE)0x02)
#define fmsSubmitted ((BYTE)0x04)
#define fmsRead ((BYTE)0x20)
#define fmsHasAttach ((BYTE)0x80)

/* attPriority values. */
#define prioLow 3
#define prioNorm 2
#define prioHigh 1

/* attAttachRenddata: how an attachment is rendered. */
typedef struct _renddata {
    WORD atyp;
    ULONG ulPosition;
    WORD dxWidth;
    WORD dyHeight;
    DWORD dwFlags;
} RENDDATA, *PRENDDATA;
#define atypNull ((WORD)0x0000)
#define atypFile ((WORD)0x0001)
#define atypOle ((WORD)0x0002)
#define atypPicture ((WORD)0x0003)
#define atypMax ((WORD)0x0004)
#define MAC_BINARY ((DWORD)0x00000001)
/* RENDDATA in a stream: packed, 14 bytes. */
#define TNEF_RENDDATA_SIZE 14

/* A down-level date: the date attributes (7 WORDs, wDayOfWeek 0 for Sunday). */
typedef struct _dtr {
    WORD wYear;
    WORD wMonth;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wDayOfWeek;
} DTR;

/* A down-level address (attFrom): a TRP header, the name, "TYPE:address". */
typedef struct _trp {
    WORD trpid;
    WORD cbgrtrp;
    WORD cch;
    WORD cbRgb;
} TRP, *PTRP, *PGRTRP, *LPTRP;
#define trpidNull ((WORD)0x0000)
#define trpidUnresolved ((WORD)0x0001)
#define trpidResolvedNSID ((WORD)0x0002)
#define trpidResolvedAddress ((WORD)0x0003)
#define trpidOneOff ((WORD)0x0004)
#define trpidIgnore ((WORD)0x0005)
#define trpidClassEntry ((WORD)0x0006)
#define trpidResolvedGroupAddress ((WORD)0x0007)

#ifdef __cplusplus
}
#endif

#endif /* FREEMAPI_TNEF_H */
