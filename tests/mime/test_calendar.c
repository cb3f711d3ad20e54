/*
 * tests/mime/test_calendar.c - meeting requests (issue 20 item 8): a
 * text/calendar alternative with a METHOD becomes the meeting item of
 * [MS-OXOCAL] (class and properties, as [MS-OXCICAL] maps them), is written
 * back as it came while the meeting is unchanged, is written anew from the
 * properties once the meeting moves, and a meeting composed in MAPI is
 * written as iMIP. The calendars written are read back with libical.
 */
#include <libical/ical.h>

#include "mime_fixture.h"

#define FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC)

static ULONG lid(void *obj, const GUID *set, LONG id, ULONG type)
{
    MAPINAMEID nm = { (LPGUID)set, MNID_ID, { .lID = id } };
    LPMAPINAMEID names[1] = { &nm };
    LPSPropTagArray tags = NULL;
    assert_int_equal(((LPMAPIPROP)obj)->lpVtbl->GetIDsFromNames((LPMAPIPROP)obj, 1, names,
                                                               MAPI_CREATE, &tags), S_OK);
    ULONG tag = CHANGE_PROP_TYPE(tags->aulPropTag[0], type);
    MAPIFreeBuffer(tags);
    return tag;
}

#define START(m) lid(m, &PSETID_Appointment, 0x820D, PT_SYSTIME)
#define END(m) lid(m, &PSETID_Appointment, 0x820E, PT_SYSTIME)
#define LOCATION(m) lid(m, &PSETID_Appointment, 0x8208, PT_STRING8)
#define SEQUENCE(m) lid(m, &PSETID_Appointment, 0x8201, PT_LONG)
#define BUSY(m) lid(m, &PSETID_Appointment, 0x8205, PT_LONG)
#define GOID(m) lid(m, &PSETID_Meeting, 0x0003, PT_BINARY)

static bool bin_contains(const SBinary *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= b->cb; i++)
        if (memcmp(b->lpb + i, s, n) == 0)
            return true;
    return false;
}

static long long time_of(void *obj, ULONG tag)
{
    LPSPropValue v = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)obj, tag, &v), S_OK);
    long long t = fm_test_unix(v->Value.ft);
    MAPIFreeBuffer(v);
    return t;
}

static void set_time(void *obj, ULONG tag, long long unix)
{
    unsigned long long t = (unsigned long long)(unix + 11644473600LL) * 10000000ULL;
    SPropValue v = { .ulPropTag = tag };
    v.Value.ft.dwLowDateTime = (DWORD)t;
    v.Value.ft.dwHighDateTime = (DWORD)(t >> 32);
    assert_int_equal(HrSetOneProp((LPMAPIPROP)obj, &v), S_OK);
}

/* The text/calendar part of mime, parsed by libical (caller frees). */
static icalcomponent *calendar_of(const char *mime, char **raw)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(mime, strlen(mime));
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(s);
    assert_non_null(msg);
    GMimePartIter *it = g_mime_part_iter_new((GMimeObject *)msg);
    icalcomponent *cal = NULL;
    do {
        GMimeObject *o = g_mime_part_iter_get_current(it);
        if (o != NULL && GMIME_IS_PART(o) &&
            g_mime_content_type_is_type(g_mime_object_get_content_type(o), "text", "calendar")) {
            char *text = g_mime_text_part_get_text((GMimeTextPart *)o);
            cal = icalparser_parse_string(text);
            if (raw != NULL)
                *raw = text;
            else
                g_free(text);
            break;
        }
    } while (g_mime_part_iter_next(it));
    g_mime_part_iter_free(it);
    g_object_unref(msg);
    assert_non_null(cal);
    return cal;
}

static void an_imip_request_becomes_a_meeting_request(void **state)
{
    size_t len = 0;
    char *text = fx_data("corpus/ok-calendar-request.eml", &len);
    LPMESSAGE m = fx_new();
    assert_int_equal(fmapi_mime_import_buffer(text, len, m, FLAGS), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    fx_assert_str(m, PR_MESSAGE_CLASS, "IPM.Schedule.Meeting.Request");
    assert_int_equal(time_of(m, START(m)), 1673863200); /* 2023-01-16 10:00 UTC */
    assert_int_equal(time_of(m, END(m)), 1673866800);
    assert_int_equal(time_of(m, PR_START_DATE), 1673863200);
    fx_assert_str(m, LOCATION(m), "Room 101");
    assert_int_equal(fx_long(m, SEQUENCE(m)), 0);
    assert_int_equal(fx_long(m, BUSY(m)), 2); /* busy */
    LPSPropValue g = NULL;
    assert_int_equal(HrGetOneProp((LPMAPIPROP)m, GOID(m), &g), S_OK);
    assert_memory_equal(g->Value.bin.lpb, "\x04\x00\x00\x00\x82\x00\xE0\x00", 8);
    assert_true(bin_contains(&g->Value.bin, "vCal-Uid"));
    assert_true(bin_contains(&g->Value.bin, "20230110T090000Z-review@example.com"));
    MAPIFreeBuffer(g);
    /* Unchanged: the calendar is written as it came, in its place. */
    char *mime = fx_export(m, FLAGS);
    const char *alt = strstr(mime, "multipart/alternative");
    const char *cal = strstr(mime, "Content-Type: text/calendar; charset=utf-8; method=REQUEST");
    assert_non_null(alt);
    assert_non_null(cal);
    assert_true(alt < cal);
    assert_non_null(strstr(mime, "ATTENDEE;CN=Bob Attendee;ROLE=REQ-PARTICIPANT;"
                                 "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com\r\n"));
    free(mime);
    /* Moved: the calendar is written anew from the properties. */
    set_time(m, START(m), 1673949600); /* a day later */
    set_time(m, END(m), 1673953200);
    SPropValue seq = { .ulPropTag = SEQUENCE(m), .Value.l = 1 };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &seq), S_OK);
    assert_int_equal(IMessage_SaveChanges(m, KEEP_OPEN_READWRITE), S_OK);
    mime = fx_export(m, FLAGS);
    icalcomponent *c = calendar_of(mime, NULL);
    assert_int_equal(icalcomponent_get_method(c), ICAL_METHOD_REQUEST);
    icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
    assert_int_equal((long long)icaltime_as_timet(icalcomponent_get_dtstart(ev)), 1673949600);
    assert_int_equal(icalcomponent_get_sequence(ev), 1);
    assert_string_equal(icalcomponent_get_uid(ev), "20230110T090000Z-review@example.com");
    assert_string_equal(icalcomponent_get_location(ev), "Room 101");
    icalcomponent_free(c);
    /* Only one calendar: the out-of-date one is not attached too. */
    const char *first = strstr(mime, "text/calendar");
    assert_non_null(first);
    assert_null(strstr(first + 1, "text/calendar"));
    free(mime);
    IMessage_Release(m);
    free(text);
}

#define REPLY(stat)                                                                      \
    "From: bob@example.com\r\nTo: alice@example.com\r\nSubject: Accepted: Project review\r\n" \
    "MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REPLY; charset=utf-8\r\n\r\n"   \
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nMETHOD:REPLY\r\n"              \
    "BEGIN:VEVENT\r\nUID:abc@example.com\r\nDTSTAMP:20230111T000000Z\r\n"                    \
    "DTSTART:20230116T100000Z\r\nDTEND:20230116T110000Z\r\n"                                 \
    "ATTENDEE;PARTSTAT=" stat ":mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

static void a_reply_is_a_positive_or_negative_response(void **state)
{
    const char *text[2] = { REPLY("ACCEPTED"), REPLY("DECLINED") };
    const char *cls[2] = { "IPM.Schedule.Meeting.Resp.Pos", "IPM.Schedule.Meeting.Resp.Neg" };
    for (int i = 0; i < 2; i++) {
        LPMESSAGE m = fx_import(text[i], FLAGS);
        fx_assert_str(m, PR_MESSAGE_CLASS, cls[i]);
        IMessage_Release(m);
    }
}

static void a_meeting_composed_in_mapi_is_written_as_imip(void **state)
{
    LPMESSAGE m = fx_new();
    SPropValue p[5] = {
        { .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = "IPM.Schedule.Meeting.Request" },
        { .ulPropTag = PR_SUBJECT_A, .Value.lpszA = "Budget planning" },
        { .ulPropTag = PR_BODY_A, .Value.lpszA = "Let us plan the budget.\r\n" },
        { .ulPropTag = PR_SENT_REPRESENTING_NAME_A, .Value.lpszA = "Alice" },
        { .ulPropTag = PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, .Value.lpszA = "alice@example.com" },
    };
    assert_int_equal(IMessage_SetProps(m, 5, p, NULL), S_OK);
    set_time(m, START(m), 1700000000);
    set_time(m, END(m), 1700003600);
    SPropValue loc = { .ulPropTag = LOCATION(m), .Value.lpszA = "Room 7" };
    assert_int_equal(HrSetOneProp((LPMAPIPROP)m, &loc), S_OK);
    SPropValue r[3] = { { .ulPropTag = PR_DISPLAY_NAME_A, .Value.lpszA = "Bob" },
                        { .ulPropTag = PR_EMAIL_ADDRESS_A, .Value.lpszA = "bob@example.com" },
                        { .ulPropTag = PR_RECIPIENT_TYPE, .Value.l = MAPI_TO } };
    SizedADRLIST(1, al) = { 1, { { 0, 3, r } } };
    assert_int_equal(IMessage_ModifyRecipients(m, MODRECIP_ADD, (LPADRLIST)&al), S_OK);
    char *mime = fx_export(m, FLAGS);
    assert_non_null(strstr(mime, "multipart/alternative"));
    assert_non_null(strstr(mime, "Content-Type: text/calendar; charset=utf-8; method=REQUEST"));
    icalcomponent *c = calendar_of(mime, NULL);
    assert_int_equal(icalcomponent_get_method(c), ICAL_METHOD_REQUEST);
    icalcomponent *ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
    assert_int_equal((long long)icaltime_as_timet(icalcomponent_get_dtstart(ev)), 1700000000);
    assert_int_equal((long long)icaltime_as_timet(icalcomponent_get_dtend(ev)), 1700003600);
    assert_string_equal(icalcomponent_get_summary(ev), "Budget planning");
    assert_string_equal(icalcomponent_get_location(ev), "Room 7");
    icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
    assert_non_null(att);
    assert_string_equal(icalproperty_get_attendee(att), "mailto:bob@example.com");
    icalcomponent_free(c);
    /* And it imports again as the same meeting. */
    LPMESSAGE back = fx_import(mime, FLAGS);
    fx_assert_str(back, PR_MESSAGE_CLASS, "IPM.Schedule.Meeting.Request");
    assert_int_equal(time_of(back, START(back)), 1700000000);
    fx_assert_str(back, LOCATION(back), "Room 7");
    IMessage_Release(back);
    free(mime);
    IMessage_Release(m);
}

static int setup(void **state)
{
    fx_open_store("calendar");
    return 0;
}

static int teardown(void **state)
{
    fx_close_store();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_imip_request_becomes_a_meeting_request),
        cmocka_unit_test(a_reply_is_a_positive_or_negative_response),
        cmocka_unit_test(a_meeting_composed_in_mapi_is_written_as_imip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
