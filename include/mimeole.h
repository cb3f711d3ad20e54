/*
 * mimeole.h - the types of Windows' MIME OLE header that IConverterSession
 * takes (iconvertersession.h): the save formats, the content transfer
 * encodings and the character set handle.
 */
#ifndef FREEMAPI_MIMEOLE_H
#define FREEMAPI_MIMEOLE_H

#include "mapiwin.h"

typedef enum tagMIMESAVETYPE {
    SAVE_RFC822 = 0,
    SAVE_RFC1521 = 1
} MIMESAVETYPE;

typedef enum tagENCODINGTYPE {
    IET_BINARY = 0,
    IET_BASE64,
    IET_UUENCODE,
    IET_QP,
    IET_7BIT,
    IET_8BIT,
    IET_INETCSET,
    IET_UNICODE,
    IET_RFC1522,
    IET_ENCODED,
    IET_CURRENT,
    IET_UNKNOWN,
    IET_BINHEX40,
    IET_LAST
} ENCODINGTYPE;

/* A character set of the MIME OLE library (IMimeInternational). */
typedef struct HCHARSET__ *HCHARSET;
typedef HCHARSET *LPHCHARSET;

typedef enum tagCSETAPPLYTYPE {
    CSET_APPLY_UNTAGGED = 0,
    CSET_APPLY_ALL = 1,
    CSET_APPLY_TAG_ALL = 2
} CSETAPPLYTYPE;

#endif /* FREEMAPI_MIMEOLE_H */
