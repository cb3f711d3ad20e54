/*
 * mapiguid.h - interface identifiers and property-set GUIDs.
 *
 * As in the MAPI SDK, DEFINE_GUID declares an extern constant; a translation
 * unit that defines INITGUID before including this header defines the
 * constants instead. libfreemapi defines all of them (src/core/guids.c), so
 * programs never need INITGUID. Programs that do define it (as Windows MAPI
 * code often does in one file) still link: the definitions are weak, the
 * counterpart of the SDK's __declspec(selectany), so the program's copy and
 * the library's copy (equal values) merge instead of clashing.
 *
 * Values come from Microsoft's documentation: the SDK's mapiguid.h list of
 * the 0x000203xx range reserved by OLE for MAPI (DEFINE_OLEGUID: the form
 * {xxxxxxxx-0000-0000-C000-000000000046}), the MAPI reference topic "MAPI
 * constants" (Outlook-era interfaces), [MS-OXPROPS] 1.3.2 (property sets),
 * the Exchange SDK (IExchangeManageStore, IExchangeModifyTable) and the COM
 * reference (IUnknown, IMalloc, IStorage, IStream, ISequentialStream).
 */
#ifndef FREEMAPI_MAPIGUID_H
#define FREEMAPI_MAPIGUID_H

#include <string.h>
#include "mapiwin.h"

#if defined(__GNUC__)
#define FREEMAPI_SELECTANY __attribute__((weak))
#else
#define FREEMAPI_SELECTANY
#endif

#undef DEFINE_GUID
#if defined(INITGUID) && defined(__cplusplus)
/* extern "C" on the definition itself: a const object would otherwise have
 * internal linkage in C++, and a weak symbol must be external. */
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C FREEMAPI_PUBLIC FREEMAPI_SELECTANY const GUID name =    \
        { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#elif defined(INITGUID)
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C FREEMAPI_PUBLIC const GUID name;                       \
    FREEMAPI_SELECTANY const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C FREEMAPI_PUBLIC const GUID name
#endif
#undef DEFINE_OLEGUID
#define DEFINE_OLEGUID(name, l, w1, w2) \
    DEFINE_GUID(name, l, w1, w2, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)

/* IsEqualGUID, IsEqualIID, IsEqualCLSID: mapiwin.h. */

/* ---- COM base interfaces ------------------------------------------------ */
DEFINE_OLEGUID(IID_IUnknown, 0x00000000L, 0, 0);
DEFINE_OLEGUID(IID_IClassFactory, 0x00000001L, 0, 0);
DEFINE_OLEGUID(IID_IMalloc, 0x00000002L, 0, 0);
DEFINE_OLEGUID(IID_IStorage, 0x0000000BL, 0, 0);
DEFINE_OLEGUID(IID_IStream, 0x0000000CL, 0, 0);
DEFINE_OLEGUID(IID_ILockBytes, 0x0000000AL, 0, 0);
DEFINE_OLEGUID(IID_IEnumSTATSTG, 0x0000000DL, 0, 0);
/* Not in the OLE range: {0C733A30-2A1C-11CE-ADE5-00AA0044773D}. */
DEFINE_GUID(IID_ISequentialStream, 0x0C733A30L, 0x2A1C, 0x11CE,
            0xAD, 0xE5, 0x00, 0xAA, 0x00, 0x44, 0x77, 0x3D);

/* ---- MAPI interfaces (0x00020300 - 0x000203FF) -------------------------- */
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
DEFINE_OLEGUID(IID_IMAPISup, 0x0002030FL, 0, 0);
DEFINE_OLEGUID(IID_IMSProvider, 0x00020310L, 0, 0);
DEFINE_OLEGUID(IID_IABProvider, 0x00020311L, 0, 0);
DEFINE_OLEGUID(IID_IXPProvider, 0x00020312L, 0, 0);
DEFINE_OLEGUID(IID_IMSLogon, 0x00020313L, 0, 0);
DEFINE_OLEGUID(IID_IABLogon, 0x00020314L, 0, 0);
DEFINE_OLEGUID(IID_IXPLogon, 0x00020315L, 0, 0);
DEFINE_OLEGUID(IID_IMAPITableData, 0x00020316L, 0, 0);
DEFINE_OLEGUID(IID_IMAPISpoolerInit, 0x00020317L, 0, 0);
DEFINE_OLEGUID(IID_IMAPISpoolerSession, 0x00020318L, 0, 0);
DEFINE_OLEGUID(IID_ITNEF, 0x00020319L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIPropData, 0x0002031AL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIControl, 0x0002031BL, 0, 0);
DEFINE_OLEGUID(IID_IProfAdmin, 0x0002031CL, 0, 0);
DEFINE_OLEGUID(IID_IMsgServiceAdmin, 0x0002031DL, 0, 0);
DEFINE_OLEGUID(IID_IMsgServiceAdmin2, 0x00020387L, 0, 0);
DEFINE_OLEGUID(IID_IMAPISpoolerService, 0x0002031EL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProgress, 0x0002031FL, 0, 0);
DEFINE_OLEGUID(IID_ISpoolerHook, 0x00020320L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIViewContext, 0x00020321L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormMgr, 0x00020322L, 0, 0);
DEFINE_OLEGUID(IID_IEnumMAPIFormProp, 0x00020323L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormInfo, 0x00020324L, 0, 0);
DEFINE_OLEGUID(IID_IProviderAdmin, 0x00020325L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIForm, 0x00020327L, 0, 0);
DEFINE_OLEGUID(IID_IPersistMessage, 0x0002032AL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIViewAdviseSink, 0x0002032BL, 0, 0);
DEFINE_OLEGUID(IID_IStreamDocfile, 0x0002032CL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormProp, 0x0002032DL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormContainer, 0x0002032EL, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormAdviseSink, 0x0002032FL, 0, 0);
DEFINE_OLEGUID(IID_IStreamTnef, 0x00020330L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIFormFactory, 0x00020350L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIMessageSite, 0x00020370L, 0, 0);
DEFINE_OLEGUID(IID_IMSCapabilities, 0x00020393L, 0, 0);
/* Fast shutdown. */
DEFINE_OLEGUID(IID_IMAPIClientShutdown, 0x00020397L, 0, 0);
DEFINE_OLEGUID(IID_IMAPIProviderShutdown, 0x00020398L, 0, 0);
/* Opens a message without its store's processing (Outlook). */
DEFINE_OLEGUID(IID_IMessageRaw, 0x0002038AL, 0, 0);
/* Profile section of the address book for multiple Exchange accounts. */
DEFINE_OLEGUID(IID_CAPONE_PROF, 0x00020D0AL, 0, 0);

/* ---- Outlook's additions ("MAPI constants") ----------------------------- */
DEFINE_GUID(IID_IAttachmentSecurity, 0xB2533636L, 0xC3F3, 0x416F,
            0xBF, 0x04, 0xAE, 0xFE, 0x41, 0xAB, 0xAA, 0xE2);
DEFINE_GUID(CLSID_IConverterSession, 0x4E3A7680L, 0xB77A, 0x11D0,
            0x9D, 0xA5, 0x00, 0xC0, 0x4F, 0xD6, 0x56, 0x85);
DEFINE_GUID(IID_IConverterSession, 0x4B401570L, 0xB77B, 0x11D0,
            0x9D, 0xA5, 0x00, 0xC0, 0x4F, 0xD6, 0x56, 0x85);
DEFINE_GUID(GUID_GlobalState, 0xFBEFFD93L, 0xB11F, 0x4094,
            0x84, 0x2B, 0x96, 0xDC, 0xD3, 0x1E, 0x63, 0xD1);
DEFINE_OLEGUID(IID_IMAPIOffline, 0x000672B5L, 0, 0);
DEFINE_GUID(IID_IMAPIOfflineNotify, 0x0317BDE5L, 0xFC29, 0x44CD,
            0x8D, 0xCD, 0x36, 0x12, 0x5A, 0x3B, 0xE9, 0xEC);
DEFINE_GUID(IID_IMAPIOfflineMgr, 0x42175607L, 0xFF3E, 0x4790,
            0xBC, 0x18, 0x66, 0xC8, 0x64, 0x3E, 0x64, 0x24);
/* Replication API. */
DEFINE_GUID(IID_IPSTX, 0x4FDEEFF0L, 0x0319, 0x11CF,
            0xB4, 0xCF, 0x00, 0xAA, 0x0D, 0xBB, 0xB6, 0xE6);
DEFINE_GUID(IID_IPSTX2, 0x2067A790L, 0x2A45, 0x11D1,
            0xEB, 0x86, 0x00, 0xA0, 0xC9, 0x0D, 0xCA, 0x6D);
DEFINE_GUID(IID_IPSTX3, 0x55F15320L, 0x111B, 0x11D2,
            0xA9, 0x99, 0x00, 0x60, 0x08, 0xB0, 0x5A, 0xA7);
DEFINE_GUID(IID_IPSTX4, 0xAA2E2092L, 0xAC08, 0x11D2,
            0xA2, 0xF9, 0x00, 0x60, 0xB0, 0xEC, 0x3D, 0x4F);
DEFINE_GUID(IID_IPSTX5, 0x55F15322L, 0x111B, 0x11D2,
            0xA9, 0x99, 0x00, 0x60, 0x08, 0xB0, 0x5A, 0xA7);
DEFINE_GUID(IID_IPSTX6, 0x55F15323L, 0x111B, 0x11D2,
            0xA9, 0x99, 0x00, 0x60, 0x08, 0xB0, 0x5A, 0xA7);
DEFINE_GUID(IID_IOSTX, 0xD2D85DB4L, 0x840F, 0x49B8,
            0x99, 0x82, 0x07, 0xD2, 0x40, 0x5E, 0xC6, 0xB7);
/* OpenEntry without the provider check, on a folder or a message. */
DEFINE_GUID(IID_IMAPIFolderNoProvChk, 0x57D333A0L, 0xF589, 0x4B23,
            0xA3, 0xF9, 0x85, 0xF8, 0x2F, 0xEC, 0x15, 0x3C);
DEFINE_GUID(IID_IMessageNoProvChk, 0xC3505457L, 0x7B2E, 0x4C3B,
            0xA8, 0xD6, 0x6D, 0xD9, 0x49, 0xBB, 0x97, 0xA1);
/* Store API. */
DEFINE_GUID(IID_IFolderSupport, 0x00375AC3L, 0xECAF, 0x4EF8,
            0xA5, 0x27, 0x34, 0xF4, 0x52, 0xFA, 0x9C, 0x67);
#define DEFINE_PRXGUID(name, l)                                      \
    DEFINE_GUID(name, (0x29F3AB10L + (l)), 0x554D, 0x11D0, 0xA9, 0x7C, \
                0x00, 0xA0, 0xC9, 0x11, 0xF5, 0x0A)
DEFINE_PRXGUID(IID_IProxyStoreObject, 0x00000000L);
/* Additional interfaces. */
DEFINE_GUID(IID_IMAPISync, 0x5024A385L, 0x2D44, 0x486A,
            0x81, 0xA8, 0x8F, 0x0E, 0xCB, 0x60, 0x71, 0xDD);
DEFINE_GUID(IID_IMAPISyncProgressCallback, 0x5024A386L, 0x2D44, 0x486A,
            0x81, 0xA8, 0x8F, 0x0E, 0xCB, 0x60, 0x71, 0xDD);
DEFINE_GUID(IID_IContabAdmin, 0xCC6A3BA9L, 0xE7F5, 0x4769,
            0x88, 0x7B, 0x34, 0xE1, 0x90, 0x81, 0x7B, 0xFC);
DEFINE_GUID(IID_IMAPISecureMessage, 0x253CC320L, 0xEAB6, 0x11D0,
            0x82, 0x22, 0x00, 0x60, 0x97, 0x93, 0x87, 0xEA);
DEFINE_GUID(IID_IMAPIGetSession, 0x614AB435L, 0x491D, 0x4F5B,
            0xA8, 0xB4, 0x60, 0xEB, 0x03, 0x10, 0x30, 0xC6);
/* PST override handler. */
DEFINE_GUID(IID_IPSTOVERRIDEREQ, 0x892EBC6DL, 0x24DC, 0x4D90,
            0xBA, 0x48, 0xC6, 0xCB, 0xEC, 0x14, 0xA8, 0x6A);
DEFINE_GUID(IID_IPSTOVERRIDE1, 0xFBB68D34L, 0xF561, 0x44FB,
            0xA8, 0xCA, 0xAE, 0x36, 0x69, 0x63, 0x42, 0xCA);

/* ---- Exchange store interfaces (Exchange SDK, edkmdb.h) ----------------- */
DEFINE_GUID(IID_IExchangeManageStore, 0x559D10B0L, 0xA772, 0x11CD,
            0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A);
DEFINE_GUID(IID_IExchangeModifyTable, 0x2D734CB0L, 0x53FD, 0x101B,
            0xB1, 0x9D, 0x08, 0x00, 0x2B, 0x30, 0x56, 0xE3);

/* ---- property sets for named properties (MNID_ID / MNID_STRING) --------- */
DEFINE_OLEGUID(PS_MAPI, 0x00020328L, 0, 0);
DEFINE_OLEGUID(PS_PUBLIC_STRINGS, 0x00020329L, 0, 0);
DEFINE_OLEGUID(PS_INTERNET_HEADERS, 0x00020386L, 0, 0);
/* Routing property sets: gateways convert the properties found in them. */
DEFINE_OLEGUID(PS_ROUTING_EMAIL_ADDRESSES, 0x00020380L, 0, 0);
DEFINE_OLEGUID(PS_ROUTING_ADDRTYPE, 0x00020381L, 0, 0);
DEFINE_OLEGUID(PS_ROUTING_DISPLAY_NAME, 0x00020382L, 0, 0);
DEFINE_OLEGUID(PS_ROUTING_ENTRYID, 0x00020383L, 0, 0);
DEFINE_OLEGUID(PS_ROUTING_SEARCH_KEY, 0x00020384L, 0, 0);
/* [MS-OXPROPS] 1.3.2. */
DEFINE_OLEGUID(PSETID_Appointment, 0x00062002L, 0, 0);
DEFINE_OLEGUID(PSETID_Task, 0x00062003L, 0, 0);
DEFINE_OLEGUID(PSETID_Address, 0x00062004L, 0, 0);
DEFINE_OLEGUID(PSETID_Common, 0x00062008L, 0, 0);
DEFINE_OLEGUID(PSETID_Log, 0x0006200AL, 0, 0);
DEFINE_OLEGUID(PSETID_Note, 0x0006200EL, 0, 0);
DEFINE_OLEGUID(PSETID_Sharing, 0x00062040L, 0, 0);
DEFINE_OLEGUID(PSETID_PostRss, 0x00062041L, 0, 0);
DEFINE_GUID(PSETID_Meeting, 0x6ED8DA90L, 0x450B, 0x101B,
            0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05);
DEFINE_GUID(PSETID_Messaging, 0x41F28F13L, 0x83F4, 0x4114,
            0xA5, 0x84, 0xEE, 0xDB, 0x5A, 0x6B, 0x0B, 0xFF);
DEFINE_GUID(PSETID_UnifiedMessaging, 0x4442858EL, 0xA9E3, 0x4E80,
            0xB9, 0x00, 0x31, 0x7A, 0x21, 0x0C, 0xC1, 0x5B);
DEFINE_GUID(PSETID_AirSync, 0x71035549L, 0x0739, 0x4DCB,
            0x91, 0x63, 0x00, 0xF0, 0x58, 0x0D, 0xBB, 0xDF);
DEFINE_GUID(PSETID_XmlExtractedEntities, 0x23239608L, 0x685D, 0x4732,
            0x9C, 0x55, 0x4C, 0x95, 0xCB, 0x4E, 0x8E, 0x33);
DEFINE_GUID(PSETID_Attachment, 0x96357F7FL, 0x59E1, 0x47D0,
            0x99, 0xA7, 0x46, 0x51, 0x5C, 0x18, 0x3B, 0x54);
DEFINE_GUID(PSETID_CalendarAssistant, 0x11000E07L, 0xB51B, 0x40D6,
            0xAF, 0x21, 0xCA, 0xA8, 0x5E, 0xDA, 0xB1, 0xD0);

/* ---- well-known profile sections ---------------------------------------
 * MUID_PROFILE_INSTANCE names the profile section whose PR_SEARCH_KEY is
 * unique per profile. The SDK defines it with DEFINE_OLEGUID, so it is a
 * GUID; pass (LPMAPIUID)&MUID_PROFILE_INSTANCE where a MAPIUID is wanted.
 */
DEFINE_OLEGUID(MUID_PROFILE_INSTANCE, 0x00020385L, 0, 0);

/*
 * g_muidProvPrvNST: the MAPIUID of the Outlook private-store provider
 * (Replication API). Documented as a MAPIUID (mapidefs.h), not a GUID, and
 * defined only by the library; the struct tag keeps this header free of
 * mapidefs.h.
 */
EXTERN_C FREEMAPI_PUBLIC const struct _MAPIUID g_muidProvPrvNST;

#endif /* FREEMAPI_MAPIGUID_H */
