/*
 * mapi.h - Simple MAPI: the small send/read mail API.
 *
 * Written from Microsoft's Simple MAPI reference (MapiMessage, MapiRecipDesc,
 * MapiFileDesc, MapiFileTagExt, their W forms, MAPISendMail, ...). Microsoft
 * marks Simple MAPI as discouraged, with MAPISendMailW the preferred way to
 * send. The functions return ULONG codes (SUCCESS_SUCCESS, MAPI_E_*), which
 * are small integers and not HRESULTs.
 *
 * Strings: in the A forms char * holds UTF-8 (freemapi's PT_STRING8 rule);
 * in the W forms PWSTR holds UTF-16 (WCHAR).
 *
 * Living with the Extended MAPI headers: a program may include this header
 * together with mapix.h, in either order.
 *  - Simple MAPI error names (MAPI_E_USER_ABORT, MAPI_E_NOT_SUPPORTED,
 *    MAPI_E_LOGON_FAILURE, ...) differ from every Extended MAPI name in
 *    mapicode.h (which says MAPI_E_USER_CANCEL, MAPI_E_NO_SUPPORT,
 *    MAPI_E_LOGON_FAILED, ...), so nothing collides there. SUCCESS_SUCCESS
 *    is 0 in both and defined only once.
 *  - Flags both APIs define (MAPI_LOGON_UI, MAPI_DIALOG, MAPI_ORIG, ...)
 *    have the same value in both; as in the SDK each is guarded with
 *    #ifndef, and spelled ((ULONG)0x...) like the Extended headers so an
 *    unguarded definition there is an identical, legal redefinition.
 *  - MAPIFreeBuffer is the same function as in mapix.h; both declare it
 *    STDAPI_(ULONG) MAPIFreeBuffer(LPVOID).
 */
#ifndef FREEMAPI_MAPI_H
#define FREEMAPI_MAPI_H

#include "mapiwin.h"

FREEMAPI_BEGIN_DECLS

/* A Simple MAPI session handle and the flag word every call takes. */
typedef ULONG_PTR LHANDLE, *LPLHANDLE;
typedef ULONG FLAGS;

/* ---- structures ----------------------------------------------------------- */

/* Recipient or originator of a message. */
typedef struct MapiRecipDesc {
    ULONG ulReserved;   /* 0 */
    ULONG ulRecipClass; /* MAPI_ORIG, MAPI_TO, MAPI_CC or MAPI_BCC */
    LPSTR lpszName;     /* display name, UTF-8 */
    LPSTR lpszAddress;  /* "addrtype:address", UTF-8, or NULL */
    ULONG ulEIDSize;    /* bytes at lpEntryID */
    LPVOID lpEntryID;   /* entry ID opaque to the client, or NULL */
} MapiRecipDesc, *lpMapiRecipDesc;

typedef struct MapiRecipDescW {
    ULONG ulReserved;
    ULONG ulRecipClass;
    PWSTR lpszName;
    PWSTR lpszAddress;
    ULONG ulEIDSize;
    LPVOID lpEntryID;
} MapiRecipDescW, *lpMapiRecipDescW;

/* An attachment, as a file on disk. */
typedef struct MapiFileDesc {
    ULONG ulReserved;    /* 0 */
    ULONG flFlags;       /* MAPI_OLE, MAPI_OLE_STATIC or 0 for a data file */
    ULONG nPosition;     /* character position in the note text, or (ULONG)-1 */
    LPSTR lpszPathName;  /* full path of the file, UTF-8 */
    LPSTR lpszFileName;  /* name shown to the recipient, or NULL */
    LPVOID lpFileType;   /* lpMapiFileTagExt, or NULL */
} MapiFileDesc, *lpMapiFileDesc;

typedef struct MapiFileDescW {
    ULONG ulReserved;
    ULONG flFlags;
    ULONG nPosition;
    PWSTR lpszPathName;
    PWSTR lpszFileName;
    LPVOID lpFileType;
} MapiFileDescW, *lpMapiFileDescW;

/* An attachment's type (an X.400 object identifier) and encoding. */
typedef struct MapiFileTagExt {
    ULONG ulReserved; /* 0 */
    ULONG cbTag;      /* bytes at lpTag */
    LPBYTE lpTag;
    ULONG cbEncoding; /* bytes at lpEncoding */
    LPBYTE lpEncoding;
} MapiFileTagExt, *lpMapiFileTagExt;

/* A message. */
typedef struct MapiMessage {
    ULONG ulReserved;          /* 0 */
    LPSTR lpszSubject;
    LPSTR lpszNoteText;        /* the body */
    LPSTR lpszMessageType;     /* NULL for an interpersonal message (IPM) */
    LPSTR lpszDateReceived;    /* "YYYY/MM/DD HH:MM", local time */
    LPSTR lpszConversationID;
    FLAGS flFlags;             /* MAPI_UNREAD, MAPI_RECEIPT_REQUESTED, MAPI_SENT */
    lpMapiRecipDesc lpOriginator;
    ULONG nRecipCount;
    lpMapiRecipDesc lpRecips;
    ULONG nFileCount;
    lpMapiFileDesc lpFiles;
} MapiMessage, *lpMapiMessage;

typedef struct MapiMessageW {
    ULONG ulReserved;
    PWSTR lpszSubject;
    PWSTR lpszNoteText;
    PWSTR lpszMessageType;
    PWSTR lpszDateReceived;
    PWSTR lpszConversationID;
    FLAGS flFlags;
    lpMapiRecipDescW lpOriginator;
    ULONG nRecipCount;
    lpMapiRecipDescW lpRecips;
    ULONG nFileCount;
    lpMapiFileDescW lpFiles;
} MapiMessageW, *lpMapiMessageW;

/* ---- values of the structure members ------------------------------------- */

/* MapiRecipDesc.ulRecipClass (also Extended MAPI's PR_RECIPIENT_TYPE). */
#ifndef MAPI_ORIG
#define MAPI_ORIG ((ULONG)0x00000000)
#endif
#ifndef MAPI_TO
#define MAPI_TO ((ULONG)0x00000001)
#endif
#ifndef MAPI_CC
#define MAPI_CC ((ULONG)0x00000002)
#endif
#ifndef MAPI_BCC
#define MAPI_BCC ((ULONG)0x00000003)
#endif

/* MapiFileDesc.flFlags. */
#define MAPI_OLE 0x00000001
#define MAPI_OLE_STATIC 0x00000002

/* MapiMessage.flFlags. */
#define MAPI_UNREAD 0x00000001
#define MAPI_RECEIPT_REQUESTED 0x00000002
#define MAPI_SENT 0x00000004

/* ---- flags of the calls --------------------------------------------------- */

/* MAPILogon (also MAPISendMail, ...; shared with Extended MAPILogonEx). */
#ifndef MAPI_LOGON_UI
#define MAPI_LOGON_UI ((ULONG)0x00000001)
#endif
#ifndef MAPI_NEW_SESSION
#define MAPI_NEW_SESSION ((ULONG)0x00000002)
#endif
#ifndef MAPI_EXTENDED
#define MAPI_EXTENDED ((ULONG)0x00000020)
#endif
#ifndef MAPI_FORCE_DOWNLOAD
#define MAPI_FORCE_DOWNLOAD ((ULONG)0x00001000)
#endif
#ifndef MAPI_PASSWORD_UI
#define MAPI_PASSWORD_UI ((ULONG)0x00020000)
#endif

/* MAPISendMail, MAPIAddress, MAPIResolveName, ... */
#ifndef MAPI_DIALOG
#define MAPI_DIALOG ((ULONG)0x00000008)
#endif
/* MAPISendMail: a modeless dialog (includes the MAPI_DIALOG bit). */
#define MAPI_DIALOG_MODELESS 0x0000000C
/* MAPISendMailW: fail with MAPI_E_UNICODE_NOT_SUPPORTED rather than convert
 * the message to the ANSI form. */
#define MAPI_FORCE_UNICODE 0x00040000

/* MAPIFindNext. */
#define MAPI_UNREAD_ONLY 0x00000020
#define MAPI_GUARANTEE_FIFO 0x00000100
#define MAPI_LONG_MSGID 0x00004000

/* MAPIReadMail. */
#define MAPI_PEEK 0x00000080
#define MAPI_SUPPRESS_ATTACH 0x00000800
#define MAPI_ENVELOPE_ONLY 0x00000040
#define MAPI_BODY_AS_FILE 0x00000200

/* MAPIDetails, MAPIResolveName. */
#define MAPI_AB_NOMODIFY 0x00000400

/* ---- return codes ----------------------------------------------------------
 * Plain ULONG counters, not HRESULTs. Where a name has a second spelling in
 * the SDK (LOGIN/LOGON, AMBIG_RECIP, MAPI_USER_ABORT) both are kept.
 */
#ifndef SUCCESS_SUCCESS
#define SUCCESS_SUCCESS 0
#endif
#define MAPI_USER_ABORT 1
#define MAPI_E_USER_ABORT MAPI_USER_ABORT
#define MAPI_E_FAILURE 2
#define MAPI_E_LOGON_FAILURE 3
#define MAPI_E_LOGIN_FAILURE MAPI_E_LOGON_FAILURE
#define MAPI_E_DISK_FULL 4
#define MAPI_E_INSUFFICIENT_MEMORY 5
#define MAPI_E_ACCESS_DENIED 6
#define MAPI_E_TOO_MANY_SESSIONS 8
#define MAPI_E_TOO_MANY_FILES 9
#define MAPI_E_TOO_MANY_RECIPIENTS 10
#define MAPI_E_ATTACHMENT_NOT_FOUND 11
#define MAPI_E_ATTACHMENT_OPEN_FAILURE 12
#define MAPI_E_ATTACHMENT_WRITE_FAILURE 13
#define MAPI_E_UNKNOWN_RECIPIENT 14
#define MAPI_E_BAD_RECIPTYPE 15
#define MAPI_E_NO_MESSAGES 16
#define MAPI_E_INVALID_MESSAGE 17
#define MAPI_E_TEXT_TOO_LARGE 18
#define MAPI_E_INVALID_SESSION 19
#define MAPI_E_TYPE_NOT_SUPPORTED 20
#define MAPI_E_AMBIGUOUS_RECIPIENT 21
#define MAPI_E_AMBIG_RECIP MAPI_E_AMBIGUOUS_RECIPIENT
#define MAPI_E_MESSAGE_IN_USE 22
#define MAPI_E_NETWORK_FAILURE 23
#define MAPI_E_INVALID_EDITFIELDS 24
#define MAPI_E_INVALID_RECIPS 25
#define MAPI_E_NOT_SUPPORTED 26
#define MAPI_E_UNICODE_NOT_SUPPORTED 27
#define MAPI_E_ATTACHMENT_TOO_LARGE 28

/* ---- functions --------------------------------------------------------------
 * Each has a function type (MAPILOGON) and a pointer type (LPMAPILOGON) for
 * programs that look the entry points up at run time, as on Windows.
 * ulUIParam is a parent window handle; freemapi has no UI and ignores it.
 * Buffers returned through lppMessage, lppRecip and lppNewRecips are freed
 * with MAPIFreeBuffer.
 */
typedef ULONG(STDAPICALLTYPE MAPILOGON)(ULONG_PTR ulUIParam, LPSTR lpszProfileName,
                                         LPSTR lpszPassword, FLAGS flFlags,
                                         ULONG ulReserved, LPLHANDLE lplhSession);
typedef MAPILOGON *LPMAPILOGON;
STDAPI_(ULONG) MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName, LPSTR lpszPassword,
                         FLAGS flFlags, ULONG ulReserved, LPLHANDLE lplhSession);

typedef ULONG(STDAPICALLTYPE MAPILOGOFF)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                          FLAGS flFlags, ULONG ulReserved);
typedef MAPILOGOFF *LPMAPILOGOFF;
STDAPI_(ULONG) MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags,
                          ULONG ulReserved);

typedef ULONG(STDAPICALLTYPE MAPISENDMAIL)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                            lpMapiMessage lpMessage, FLAGS flFlags,
                                            ULONG ulReserved);
typedef MAPISENDMAIL *LPMAPISENDMAIL;
STDAPI_(ULONG) MAPISendMail(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiMessage lpMessage,
                            FLAGS flFlags, ULONG ulReserved);

typedef ULONG(STDAPICALLTYPE MAPISENDMAILW)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                             lpMapiMessageW lpMessage, FLAGS flFlags,
                                             ULONG ulReserved);
typedef MAPISENDMAILW *LPMAPISENDMAILW;
STDAPI_(ULONG) MAPISendMailW(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiMessageW lpMessage,
                             FLAGS flFlags, ULONG ulReserved);

/* lpszFilePaths and lpszFileNames are lists split by lpszDelimChar. */
typedef ULONG(STDAPICALLTYPE MAPISENDDOCUMENTS)(ULONG_PTR ulUIParam, LPSTR lpszDelimChar,
                                                 LPSTR lpszFilePaths, LPSTR lpszFileNames,
                                                 ULONG ulReserved);
typedef MAPISENDDOCUMENTS *LPMAPISENDDOCUMENTS;
STDAPI_(ULONG) MAPISendDocuments(ULONG_PTR ulUIParam, LPSTR lpszDelimChar, LPSTR lpszFilePaths,
                                 LPSTR lpszFileNames, ULONG ulReserved);

/* lpszMessageID receives the next ID: 64 bytes, or 512 with MAPI_LONG_MSGID. */
typedef ULONG(STDAPICALLTYPE MAPIFINDNEXT)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                            LPSTR lpszMessageType, LPSTR lpszSeedMessageID,
                                            FLAGS flFlags, ULONG ulReserved,
                                            LPSTR lpszMessageID);
typedef MAPIFINDNEXT *LPMAPIFINDNEXT;
STDAPI_(ULONG) MAPIFindNext(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageType,
                            LPSTR lpszSeedMessageID, FLAGS flFlags, ULONG ulReserved,
                            LPSTR lpszMessageID);

typedef ULONG(STDAPICALLTYPE MAPIREADMAIL)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                            LPSTR lpszMessageID, FLAGS flFlags,
                                            ULONG ulReserved, lpMapiMessage *lppMessage);
typedef MAPIREADMAIL *LPMAPIREADMAIL;
STDAPI_(ULONG) MAPIReadMail(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageID,
                            FLAGS flFlags, ULONG ulReserved, lpMapiMessage *lppMessage);

/* lpszMessageID: the message to replace, or "" for a new one; receives the ID. */
typedef ULONG(STDAPICALLTYPE MAPISAVEMAIL)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                            lpMapiMessage lpMessage, FLAGS flFlags,
                                            ULONG ulReserved, LPSTR lpszMessageID);
typedef MAPISAVEMAIL *LPMAPISAVEMAIL;
STDAPI_(ULONG) MAPISaveMail(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiMessage lpMessage,
                            FLAGS flFlags, ULONG ulReserved, LPSTR lpszMessageID);

typedef ULONG(STDAPICALLTYPE MAPIDELETEMAIL)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                              LPSTR lpszMessageID, FLAGS flFlags,
                                              ULONG ulReserved);
typedef MAPIDELETEMAIL *LPMAPIDELETEMAIL;
STDAPI_(ULONG) MAPIDeleteMail(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageID,
                              FLAGS flFlags, ULONG ulReserved);

/* The same function as mapix.h's MAPIFreeBuffer. */
typedef ULONG(STDAPICALLTYPE MAPIFREEBUFFER)(LPVOID pv);
typedef MAPIFREEBUFFER *LPMAPIFREEBUFFER;
STDAPI_(ULONG) MAPIFreeBuffer(LPVOID pv);

typedef ULONG(STDAPICALLTYPE MAPIADDRESS)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                           LPSTR lpszCaption, ULONG nEditFields,
                                           LPSTR lpszLabels, ULONG nRecips,
                                           lpMapiRecipDesc lpRecips, FLAGS flFlags,
                                           ULONG ulReserved, LPULONG lpnNewRecips,
                                           lpMapiRecipDesc *lppNewRecips);
typedef MAPIADDRESS *LPMAPIADDRESS;
STDAPI_(ULONG) MAPIAddress(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszCaption,
                           ULONG nEditFields, LPSTR lpszLabels, ULONG nRecips,
                           lpMapiRecipDesc lpRecips, FLAGS flFlags, ULONG ulReserved,
                           LPULONG lpnNewRecips, lpMapiRecipDesc *lppNewRecips);

typedef ULONG(STDAPICALLTYPE MAPIDETAILS)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                           lpMapiRecipDesc lpRecip, FLAGS flFlags,
                                           ULONG ulReserved);
typedef MAPIDETAILS *LPMAPIDETAILS;
STDAPI_(ULONG) MAPIDetails(LHANDLE lhSession, ULONG_PTR ulUIParam, lpMapiRecipDesc lpRecip,
                           FLAGS flFlags, ULONG ulReserved);

typedef ULONG(STDAPICALLTYPE MAPIRESOLVENAME)(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                               LPSTR lpszName, FLAGS flFlags,
                                               ULONG ulReserved, lpMapiRecipDesc *lppRecip);
typedef MAPIRESOLVENAME *LPMAPIRESOLVENAME;
STDAPI_(ULONG) MAPIResolveName(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszName,
                               FLAGS flFlags, ULONG ulReserved, lpMapiRecipDesc *lppRecip);

FREEMAPI_END_DECLS

#endif /* FREEMAPI_MAPI_H */
