/*
 * tests/headers/test_mapiguid.c - every constant of mapiguid.h against the
 * string form Microsoft documents for it.
 *
 * This file is also "the program that defines INITGUID itself": it defines
 * every GUID in its own object file, and it uses g_muidProvPrvNST, which
 * only the library's guids.o defines, so guids.o (with its own definitions
 * of the same GUIDs) is linked in as well. That this executable links at
 * all is the test that the two sets of definitions coexist; the values
 * checked below are this file's, produced by the same header macros.
 */
#define INITGUID
#include <stdio.h>
#include <string.h>

#include "fm_test.h"
#include "mapiguid.h"
#include "mapix.h"

typedef struct documented_guid {
    const GUID *guid;
    const char *name;
    const char *text; /* as documented, upper case */
} documented_guid;

#define G(name, text) { &name, #name, text }

static const documented_guid guids[] = {
    /* COM */
    G(IID_IUnknown, "{00000000-0000-0000-C000-000000000046}"),
    G(IID_IClassFactory, "{00000001-0000-0000-C000-000000000046}"),
    G(IID_IMalloc, "{00000002-0000-0000-C000-000000000046}"),
    G(IID_IStorage, "{0000000B-0000-0000-C000-000000000046}"),
    G(IID_IStream, "{0000000C-0000-0000-C000-000000000046}"),
    G(IID_ISequentialStream, "{0C733A30-2A1C-11CE-ADE5-00AA0044773D}"),
    /* MAPI's OLE range, from the SDK's mapiguid.h list */
    G(IID_IMAPISession, "{00020300-0000-0000-C000-000000000046}"),
    G(IID_IMAPITable, "{00020301-0000-0000-C000-000000000046}"),
    G(IID_IMAPIAdviseSink, "{00020302-0000-0000-C000-000000000046}"),
    G(IID_IMAPIProp, "{00020303-0000-0000-C000-000000000046}"),
    G(IID_IProfSect, "{00020304-0000-0000-C000-000000000046}"),
    G(IID_IMAPIStatus, "{00020305-0000-0000-C000-000000000046}"),
    G(IID_IMsgStore, "{00020306-0000-0000-C000-000000000046}"),
    G(IID_IMessage, "{00020307-0000-0000-C000-000000000046}"),
    G(IID_IAttachment, "{00020308-0000-0000-C000-000000000046}"),
    G(IID_IAddrBook, "{00020309-0000-0000-C000-000000000046}"),
    G(IID_IMailUser, "{0002030A-0000-0000-C000-000000000046}"),
    G(IID_IMAPIContainer, "{0002030B-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFolder, "{0002030C-0000-0000-C000-000000000046}"),
    G(IID_IABContainer, "{0002030D-0000-0000-C000-000000000046}"),
    G(IID_IDistList, "{0002030E-0000-0000-C000-000000000046}"),
    G(IID_IMAPISup, "{0002030F-0000-0000-C000-000000000046}"),
    G(IID_IMSProvider, "{00020310-0000-0000-C000-000000000046}"),
    G(IID_IABProvider, "{00020311-0000-0000-C000-000000000046}"),
    G(IID_IXPProvider, "{00020312-0000-0000-C000-000000000046}"),
    G(IID_IMSLogon, "{00020313-0000-0000-C000-000000000046}"),
    G(IID_IABLogon, "{00020314-0000-0000-C000-000000000046}"),
    G(IID_IXPLogon, "{00020315-0000-0000-C000-000000000046}"),
    G(IID_IMAPITableData, "{00020316-0000-0000-C000-000000000046}"),
    G(IID_IMAPISpoolerInit, "{00020317-0000-0000-C000-000000000046}"),
    G(IID_IMAPISpoolerSession, "{00020318-0000-0000-C000-000000000046}"),
    G(IID_ITNEF, "{00020319-0000-0000-C000-000000000046}"),
    G(IID_IMAPIPropData, "{0002031A-0000-0000-C000-000000000046}"),
    G(IID_IMAPIControl, "{0002031B-0000-0000-C000-000000000046}"),
    G(IID_IProfAdmin, "{0002031C-0000-0000-C000-000000000046}"),
    G(IID_IMsgServiceAdmin, "{0002031D-0000-0000-C000-000000000046}"),
    G(IID_IMAPISpoolerService, "{0002031E-0000-0000-C000-000000000046}"),
    G(IID_IMAPIProgress, "{0002031F-0000-0000-C000-000000000046}"),
    G(IID_ISpoolerHook, "{00020320-0000-0000-C000-000000000046}"),
    G(IID_IMAPIViewContext, "{00020321-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormMgr, "{00020322-0000-0000-C000-000000000046}"),
    G(IID_IEnumMAPIFormProp, "{00020323-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormInfo, "{00020324-0000-0000-C000-000000000046}"),
    G(IID_IProviderAdmin, "{00020325-0000-0000-C000-000000000046}"),
    G(IID_IMAPIForm, "{00020327-0000-0000-C000-000000000046}"),
    G(PS_MAPI, "{00020328-0000-0000-C000-000000000046}"),
    G(PS_PUBLIC_STRINGS, "{00020329-0000-0000-C000-000000000046}"),
    G(IID_IPersistMessage, "{0002032A-0000-0000-C000-000000000046}"),
    G(IID_IMAPIViewAdviseSink, "{0002032B-0000-0000-C000-000000000046}"),
    G(IID_IStreamDocfile, "{0002032C-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormProp, "{0002032D-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormContainer, "{0002032E-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormAdviseSink, "{0002032F-0000-0000-C000-000000000046}"),
    G(IID_IStreamTnef, "{00020330-0000-0000-C000-000000000046}"),
    G(IID_IMAPIFormFactory, "{00020350-0000-0000-C000-000000000046}"),
    G(IID_IMAPIMessageSite, "{00020370-0000-0000-C000-000000000046}"),
    G(PS_ROUTING_EMAIL_ADDRESSES, "{00020380-0000-0000-C000-000000000046}"),
    G(PS_ROUTING_ADDRTYPE, "{00020381-0000-0000-C000-000000000046}"),
    G(PS_ROUTING_DISPLAY_NAME, "{00020382-0000-0000-C000-000000000046}"),
    G(PS_ROUTING_ENTRYID, "{00020383-0000-0000-C000-000000000046}"),
    G(PS_ROUTING_SEARCH_KEY, "{00020384-0000-0000-C000-000000000046}"),
    G(MUID_PROFILE_INSTANCE, "{00020385-0000-0000-C000-000000000046}"),
    G(PS_INTERNET_HEADERS, "{00020386-0000-0000-C000-000000000046}"),
    G(IID_IMessageRaw, "{0002038A-0000-0000-C000-000000000046}"),
    G(IID_IMSCapabilities, "{00020393-0000-0000-C000-000000000046}"),
    G(IID_IMAPIClientShutdown, "{00020397-0000-0000-C000-000000000046}"),
    G(IID_IMAPIProviderShutdown, "{00020398-0000-0000-C000-000000000046}"),
    G(IID_CAPONE_PROF, "{00020D0A-0000-0000-C000-000000000046}"),
    /* MAPI reference, "MAPI constants" */
    G(IID_IAttachmentSecurity, "{B2533636-C3F3-416F-BF04-AEFE41ABAAE2}"),
    G(CLSID_IConverterSession, "{4E3A7680-B77A-11D0-9DA5-00C04FD65685}"),
    G(IID_IConverterSession, "{4B401570-B77B-11D0-9DA5-00C04FD65685}"),
    G(GUID_GlobalState, "{FBEFFD93-B11F-4094-842B-96DCD31E63D1}"),
    G(IID_IMAPIOffline, "{000672B5-0000-0000-C000-000000000046}"),
    G(IID_IMAPIOfflineNotify, "{0317BDE5-FC29-44CD-8DCD-36125A3BE9EC}"),
    G(IID_IMAPIOfflineMgr, "{42175607-FF3E-4790-BC18-66C8643E6424}"),
    G(IID_IPSTX, "{4FDEEFF0-0319-11CF-B4CF-00AA0DBBB6E6}"),
    G(IID_IPSTX2, "{2067A790-2A45-11D1-EB86-00A0C90DCA6D}"),
    G(IID_IPSTX3, "{55F15320-111B-11D2-A999-006008B05AA7}"),
    G(IID_IPSTX4, "{AA2E2092-AC08-11D2-A2F9-0060B0EC3D4F}"),
    G(IID_IPSTX5, "{55F15322-111B-11D2-A999-006008B05AA7}"),
    G(IID_IPSTX6, "{55F15323-111B-11D2-A999-006008B05AA7}"),
    G(IID_IOSTX, "{D2D85DB4-840F-49B8-9982-07D2405EC6B7}"),
    G(IID_IMAPIFolderNoProvChk, "{57D333A0-F589-4B23-A3F9-85F82FEC153C}"),
    G(IID_IMessageNoProvChk, "{C3505457-7B2E-4C3B-A8D6-6DD949BB97A1}"),
    G(IID_IFolderSupport, "{00375AC3-ECAF-4EF8-A527-34F452FA9C67}"),
    G(IID_IProxyStoreObject, "{29F3AB10-554D-11D0-A97C-00A0C911F50A}"),
    G(IID_IMAPISync, "{5024A385-2D44-486A-81A8-8F0ECB6071DD}"),
    G(IID_IMAPISyncProgressCallback, "{5024A386-2D44-486A-81A8-8F0ECB6071DD}"),
    G(IID_IContabAdmin, "{CC6A3BA9-E7F5-4769-887B-34E190817BFC}"),
    G(IID_IMAPISecureMessage, "{253CC320-EAB6-11D0-8222-0060979387EA}"),
    G(IID_IMAPIGetSession, "{614AB435-491D-4F5B-A8B4-60EB031030C6}"),
    G(IID_IPSTOVERRIDEREQ, "{892EBC6D-24DC-4D90-BA48-C6CBEC14A86A}"),
    G(IID_IPSTOVERRIDE1, "{FBB68D34-F561-44FB-A8CA-AE36696342CA}"),
    /* Exchange SDK */
    G(IID_IExchangeManageStore, "{559D10B0-A772-11CD-9BC8-00AA002FC45A}"),
    G(IID_IExchangeModifyTable, "{2D734CB0-53FD-101B-B19D-08002B3056E3}"),
    /* [MS-OXPROPS] 1.3.2 */
    G(PSETID_Appointment, "{00062002-0000-0000-C000-000000000046}"),
    G(PSETID_Task, "{00062003-0000-0000-C000-000000000046}"),
    G(PSETID_Address, "{00062004-0000-0000-C000-000000000046}"),
    G(PSETID_Common, "{00062008-0000-0000-C000-000000000046}"),
    G(PSETID_Log, "{0006200A-0000-0000-C000-000000000046}"),
    G(PSETID_Note, "{0006200E-0000-0000-C000-000000000046}"),
    G(PSETID_Sharing, "{00062040-0000-0000-C000-000000000046}"),
    G(PSETID_PostRss, "{00062041-0000-0000-C000-000000000046}"),
    G(PSETID_Meeting, "{6ED8DA90-450B-101B-98DA-00AA003F1305}"),
    G(PSETID_Messaging, "{41F28F13-83F4-4114-A584-EEDB5A6B0BFF}"),
    G(PSETID_UnifiedMessaging, "{4442858E-A9E3-4E80-B900-317A210CC15B}"),
    G(PSETID_AirSync, "{71035549-0739-4DCB-9163-00F0580DBBDF}"),
    G(PSETID_XmlExtractedEntities, "{23239608-685D-4732-9C55-4C95CB4E8E33}"),
    G(PSETID_Attachment, "{96357F7F-59E1-47D0-99A7-46515C183B54}"),
    G(PSETID_CalendarAssistant, "{11000E07-B51B-40D6-AF21-CAA85EDAB1D0}"),
};

#define N_GUIDS (sizeof guids / sizeof guids[0])

/* The registry form: Data1-Data2-Data3-Data4[0..1]-Data4[2..7]. */
static void format_guid(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned)g->Data1, (unsigned)g->Data2, (unsigned)g->Data3, g->Data4[0],
             g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
}

static void guid_has_the_windows_layout(void **state)
{
    assert_int_equal(sizeof(GUID), 16);
    assert_int_equal(offsetof(GUID, Data1), 0);
    assert_int_equal(offsetof(GUID, Data2), 4);
    assert_int_equal(offsetof(GUID, Data3), 6);
    assert_int_equal(offsetof(GUID, Data4), 8);
}

static void every_guid_has_its_documented_value(void **state)
{
    char text[39];
    for (size_t i = 0; i < N_GUIDS; i++) {
        format_guid(guids[i].guid, text);
        if (strcmp(text, guids[i].text) != 0)
            fail_msg("%s is %s, documented %s", guids[i].name, text, guids[i].text);
    }
}

static void formatting_catches_a_wrong_byte(void **state)
{
    /* The comparison above must be able to fail: one changed byte shows. */
    GUID g = IID_IMAPITable;
    char text[39];
    g.Data4[7] ^= 1;
    format_guid(&g, text);
    assert_string_not_equal(text, "{00020301-0000-0000-C000-000000000046}");
    assert_false(IsEqualGUID(&g, &IID_IMAPITable));
}

static void no_two_guids_are_equal(void **state)
{
    /* Microsoft documents no aliases among these constants. */
    for (size_t i = 0; i < N_GUIDS; i++)
        for (size_t j = i + 1; j < N_GUIDS; j++)
            if (IsEqualGUID(guids[i].guid, guids[j].guid))
                fail_msg("%s and %s are equal", guids[i].name, guids[j].name);
}

static void is_equal_macros_compare_values_not_addresses(void **state)
{
    GUID copy = IID_IMessage;
    assert_true(IsEqualGUID(&copy, &IID_IMessage));
    assert_true(IsEqualIID(&copy, &IID_IMessage));
    assert_true(IsEqualCLSID(&CLSID_IConverterSession, &CLSID_IConverterSession));
    assert_false(IsEqualIID(&IID_IMessage, &IID_IMAPIFolder));
}

static void ole_guids_share_the_ole_suffix(void **state)
{
    static const BYTE ole[8] = { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 };
    assert_memory_equal(IID_IMAPIProp.Data4, ole, 8);
    assert_memory_equal(PSETID_Common.Data4, ole, 8);
    assert_memory_not_equal(IID_ISequentialStream.Data4, ole, 8);
    assert_int_equal(IID_IMAPIProp.Data2, 0);
    assert_int_equal(IID_IMAPIProp.Data3, 0);
}

static void provider_mapiuid_has_its_documented_bytes(void **state)
{
    static const BYTE documented[16] = { 0xE9, 0x2F, 0xEB, 0x75, 0x96, 0x50, 0x44, 0x86,
                                         0x83, 0xB8, 0x7D, 0xE5, 0x22, 0xAA, 0x49, 0x48 };
    assert_int_equal(sizeof g_muidProvPrvNST, 16);
    assert_memory_equal(g_muidProvPrvNST.ab, documented, 16);
}

static void profile_instance_is_usable_as_a_mapiuid(void **state)
{
    /* Callers cast it, as with the SDK; the bytes are the GUID's. */
    const MAPIUID *uid = (const MAPIUID *)&MUID_PROFILE_INSTANCE;
    assert_int_equal(sizeof(MAPIUID), sizeof(GUID));
    assert_memory_equal(uid->ab, &MUID_PROFILE_INSTANCE, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guid_has_the_windows_layout),
        cmocka_unit_test(every_guid_has_its_documented_value),
        cmocka_unit_test(formatting_catches_a_wrong_byte),
        cmocka_unit_test(no_two_guids_are_equal),
        cmocka_unit_test(is_equal_macros_compare_values_not_addresses),
        cmocka_unit_test(ole_guids_share_the_ole_suffix),
        cmocka_unit_test(provider_mapiuid_has_its_documented_bytes),
        cmocka_unit_test(profile_instance_is_usable_as_a_mapiuid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
