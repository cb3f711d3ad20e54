/*
 * mapiguid.h - interface identifiers and property-set GUIDs.
 *
 * As in the MAPI SDK, DEFINE_GUID declares an extern constant; a translation
 * unit that defines INITGUID before including this header defines the
 * constants instead. libfreemapi defines all of them (src/core/guids.c), so
 * programs never need INITGUID. MAPI's own interfaces use the OLE form
 * {xxxxxxxx-0000-0000-C000-000000000046} (DEFINE_OLEGUID).
 */
#ifndef FREEMAPI_MAPIGUID_H
#define FREEMAPI_MAPIGUID_H

#include <string.h>
#include "mapiwin.h"

#undef DEFINE_GUID
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C FREEMAPI_PUBLIC const GUID name;                       \
    const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C FREEMAPI_PUBLIC const GUID name
#endif
#undef DEFINE_OLEGUID
#define DEFINE_OLEGUID(name, l, w1, w2) \
    DEFINE_GUID(name, l, w1, w2, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)

#define IsEqualGUID(a, b) (memcmp((a), (b), sizeof(GUID)) == 0)
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)

/* COM base interfaces. */
DEFINE_OLEGUID(IID_IUnknown, 0x00000000L, 0, 0);
DEFINE_OLEGUID(IID_IStream, 0x0000000CL, 0, 0);
DEFINE_OLEGUID(IID_ISequentialStream, 0x0C733A30L, 0x2A1C, 0x11CE);

/* MAPI interfaces. */
DEFINE_OLEGUID(IID_IMAPISession, 0x00020300L, 0, 0);
DEFINE_OLEGUID(IID_IMAPITable, 0x00020301L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIAdviseSink, 0x00020302L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProp, 0x00020303L, 0, 0);
DEFINE_OLEGUID(IID_IProfSect, 0x00020304L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIStatus, 0x00020305L, 0, 0);
DEFINE_OLEGUID(IID_IMsgStore, 0x00020306L, 0, 0);
DEFINE_OLEGUID(IID_IMessage, 0x00020307L, 0, 0);
DEFINE_OLEGUID(IID_IAttachment, 0x00020308L, 0, 0);
DEFINE_OLEGUID(IID_IAddrBook, 0x00020309L, 0, 0);
DEFINE_OLEGUID(IID_IMailUser, 0x0002030AL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIContainer, 0x0002030BL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFolder, 0x0002030CL, 0, 0);
DEFINE_OLEGUID(IID_IABContainer, 0x0002030DL, 0, 0);
DEFINE_OLEGUID(IID_IDistList, 0x0002030EL, 0, 0);
DEFINE_OLEGUID(IID_IMAPITableData, 0x00020316L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIPropData, 0x0002031AL, 0, 0);
DEFINE_OLEGUID(IID_IProfAdmin, 0x0002031CL, 0, 0);
DEFINE_OLEGUID(IID_IMsgServiceAdmin, 0x0002031DL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProgress, 0x0002031FL, 0, 0);

/* FREEMAPI_MAPIGUID_MORE: further interface IDs and property sets follow. */

#endif /* FREEMAPI_MAPIGUID_H */
