/*
 * iconvertersession.h - IConverterSession, Outlook's MIME <-> MAPI
 * converter, over libfreemapi-mime (freemapi_mime.h).
 *
 * Declared from the "MAPI-MIME Conversion API" pages of the MAPI reference,
 * which give the vtable (with its placeholder members) and the constants but
 * no header; programs usually declare the interface themselves, so this
 * header is one they include only when they do not. The object is made as
 * on Windows: CoCreateInstance(CLSID_IConverterSession, NULL,
 * CLSCTX_INPROC_SERVER, IID_IConverterSession, &p) (objbase.h), linking
 * libfreemapi-mime.
 *
 * What the options do here: SetEncoding accepts the MIME encodings
 * (IET_BASE64, IET_QP, IET_7BIT, IET_8BIT) and the converter still picks
 * each part's transfer encoding as its content needs; IET_UUENCODE and
 * SAVE_RFC822 (non-MIME output) are MAPI_E_NO_SUPPORT. SetTextWrapping
 * with a width records it; text is not re-wrapped. SetCharSet with
 * fApply FALSE is accepted; output is UTF-8, so a character set handle is
 * MAPI_E_NO_SUPPORT. SetAdrBook keeps the address book for the session's
 * life. The placeholder members answer E_NOTIMPL.
 */
#ifndef FREEMAPI_ICONVERTERSESSION_H
#define FREEMAPI_ICONVERTERSESSION_H

#include "mapidefs.h"
#include "mapiguid.h"
#include "mapix.h"
#include "mimeole.h"

/* The constants, spelled as the reference gives them. */
#ifndef CCSF_SMTP
#define CCSF_SMTP 0x0002
#define CCSF_NOHEADERS 0x0004
#define CCSF_USE_TNEF 0x0010
#define CCSF_INCLUDE_BCC 0x0020
#define CCSF_8BITHEADERS 0x0040
#define CCSF_USE_RTF 0x0080
#define CCSF_PLAIN_TEXT_ONLY 0x1000
#define CCSF_NO_MSGID 0x4000
#define CCSF_EMBEDDED_MESSAGE 0x8000
#endif
#ifndef CCSF_PRESERVE_SOURCE
#define CCSF_PRESERVE_SOURCE 0x40000
#endif
#ifndef CCSF_GLOBAL_MESSAGE
#define CCSF_GLOBAL_MESSAGE 0x00200000
#endif

DECLARE_MAPI_INTERFACE_PTR(IConverterSession, LPCONVERTERSESSION);

#define MAPI_ICONVERTERSESSION_METHODS(IPURE)                                              \
    MAPIMETHOD(SetAdrBook)(THIS_ LPADRBOOK pab) IPURE;                                     \
    MAPIMETHOD(SetEncoding)(THIS_ ENCODINGTYPE et) IPURE;                                  \
    MAPIMETHOD(PlaceHolder1)(THIS) IPURE;                                                  \
    MAPIMETHOD(MIMEToMAPI)(THIS_ LPSTREAM pstm, LPMESSAGE pmsg, LPCSTR pszSrcSrv,          \
                           ULONG ulFlags) IPURE;                                           \
    MAPIMETHOD(MAPIToMIMEStm)(THIS_ LPMESSAGE pmsg, LPSTREAM pstm, ULONG ulFlags) IPURE;   \
    MAPIMETHOD(PlaceHolder2)(THIS) IPURE;                                                  \
    MAPIMETHOD(PlaceHolder3)(THIS) IPURE;                                                  \
    MAPIMETHOD(PlaceHolder4)(THIS) IPURE;                                                  \
    MAPIMETHOD(SetTextWrapping)(THIS_ BOOL fWrapText, ULONG ulWrapWidth) IPURE;            \
    MAPIMETHOD(SetSaveFormat)(THIS_ MIMESAVETYPE mstSaveFormat) IPURE;                     \
    MAPIMETHOD(PlaceHolder5)(THIS) IPURE;                                                  \
    MAPIMETHOD(SetCharSet)(THIS_ BOOL fApply, HCHARSET hcharset,                           \
                           CSETAPPLYTYPE csetapplytype) IPURE;

#undef INTERFACE
#define INTERFACE IConverterSession
DECLARE_MAPI_INTERFACE_(IConverterSession, IUnknown)
{
    BEGIN_INTERFACE
    MAPI_IUNKNOWN_METHODS(IPURE)
    MAPI_ICONVERTERSESSION_METHODS(IPURE)
};

#endif /* FREEMAPI_ICONVERTERSESSION_H */
