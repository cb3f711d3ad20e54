/*
 * mime/calendar.c - meeting requests: a text/calendar part with a METHOD
 * (iMIP, RFC 6047), read with libical into the meeting item [MS-OXOCAL]
 * describes, as [MS-OXCICAL] maps it; and written back as iMIP.
 *
 * Reading: the METHOD gives the class (REQUEST IPM.Schedule.Meeting.Request,
 * CANCEL ...Canceled, REPLY ...Resp.Pos / .Neg / .Tent by the replying
 * attendee's PARTSTAT, COUNTER ...Resp.Tent); the first VEVENT gives the
 * start and end (PidLidAppointmentStartWhole/EndWhole, PidTagStartDate/
 * EndDate), location, sequence, busy status (TRANSP, or
 * X-MICROSOFT-CDO-BUSYSTATUS), all-day-ness, whether it recurs, and its UID
 * as PidLidGlobalObjectId / PidLidCleanGlobalObjectId ([MS-OXOCAL]
 * 2.2.1.27: a UID that is a Global Object ID in hex is that ID, any other
 * is wrapped as a "vCal-Uid"). The part itself is kept as it came: while
 * the meeting's properties are what it says, an export writes it back
 * byte for byte; once they change (the meeting was moved), an export
 * writes a new one from the properties instead (RRULE and other details
 * of the original are then lost to it; the original was the only place
 * they were).
 *
 * Writing: VCALENDAR with PRODID, VERSION, METHOD and one VEVENT (UID,
 * DTSTAMP, DTSTART, DTEND, SUMMARY, LOCATION, SEQUENCE, ORGANIZER, one
 * ATTENDEE per recipient, DESCRIPTION), built and formatted by libical.
 */
#include <string.h>

#include <libical/ical.h>

#include "mapiguid.h"
#include "mime/mime.h"

/* PSETID_Appointment */
#define LID_SEQUENCE 0x8201
#define LID_BUSY_STATUS 0x8205
#define LID_LOCATION 0x8208
#define LID_START 0x820D
#define LID_END 0x820E
#define LID_SUB_TYPE 0x8215 /* all day */
#define LID_STATE_FLAGS 0x8217
#define LID_RESPONSE_STATUS 0x8218
#define LID_RECURRING 0x8223
#define LID_INTENDED_BUSY 0x8224
/* PSETID_Meeting */
#define LID_GLOBAL_OBJECT_ID 0x0003
#define LID_CLEAN_GLOBAL_OBJECT_ID 0x0023

#define ASF_MEETING 0x1
#define ASF_RECEIVED 0x2
#define ASF_CANCELED 0x4
#define RESP_NOT_RESPONDED 5

static const unsigned char GOID_ID[16] = { 0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
                                           0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08 };

/* ---- named properties ------------------------------------------------------- */
static ULONG appt(LPMAPIPROP obj, LONG lid, ULONG type, bool create)
{
    ULONG tag = fm_mime_named_tag(obj, &PSETID_Appointment, lid, NULL, create);
    return tag ? CHANGE_PROP_TYPE(tag, type) : 0;
}

static ULONG meeting(LPMAPIPROP obj, LONG lid, bool create)
{
    ULONG tag = fm_mime_named_tag(obj, &PSETID_Meeting, lid, NULL, create);
    return tag ? CHANGE_PROP_TYPE(tag, PT_BINARY) : 0;
}

/* ---- Global Object IDs ([MS-OXOCAL] 2.2.1.27) ----------------------------------- */
/* The Global Object ID for an iCalendar UID. */
static GByteArray *goid_of_uid(const char *uid)
{
    GByteArray *g = g_byte_array_new();
    size_t n = strlen(uid);
    bool hex = n >= 2 * 40 && n % 2 == 0 && g_ascii_strncasecmp(uid, "040000008200E000", 16) == 0;
    for (size_t i = 0; hex && i < n; i++)
        hex = g_ascii_isxdigit(uid[i]);
    if (hex) {
        for (size_t i = 0; i < n; i += 2) {
            guint8 b = (guint8)(g_ascii_xdigit_value(uid[i]) << 4 | g_ascii_xdigit_value(uid[i + 1]));
            g_byte_array_append(g, &b, 1);
        }
        return g;
    }
    static const guint8 zeros[20] = { 0 };
    g_byte_array_append(g, GOID_ID, 16);
    g_byte_array_append(g, zeros, 4);  /* YH YL M D: not an exception */
    g_byte_array_append(g, zeros, 16); /* creation time, reserved */
    guint32 size = (guint32)(12 + n + 1);
    guint8 le[4] = { (guint8)size, (guint8)(size >> 8), (guint8)(size >> 16), (guint8)(size >> 24) };
    g_byte_array_append(g, le, 4);
    g_byte_array_append(g, (const guint8 *)"vCal-Uid\x01\x00\x00\x00", 12);
    g_byte_array_append(g, (const guint8 *)uid, (guint)n + 1);
    return g;
}

/* The UID a Global Object ID stands for (caller frees). */
static char *uid_of_goid(const SBinary *b)
{
    if (b->cb >= 52 && memcmp(b->lpb + 40, "vCal-Uid", 8) == 0) {
        size_t n = b->cb - 52;
        while (n > 0 && b->lpb[52 + n - 1] == 0)
            n--;
        return g_strndup((const char *)b->lpb + 52, n);
    }
    GString *s = g_string_new(NULL);
    for (ULONG i = 0; i < b->cb; i++)
        g_string_append_printf(s, "%02X", (i >= 16 && i < 20) ? 0 : b->lpb[i]);
    return g_string_free(s, FALSE);
}

/* ---- reading ------------------------------------------------------------------ */
static int64_t ical_unix(icaltimetype t)
{
    if (icaltime_is_null_time(t))
        return -1;
    /* Floating times are read as UTC; TZID times through libical's zones. */
    const icaltimezone *zone = t.zone ? t.zone : icaltimezone_get_utc_timezone();
    return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

/* Whether a calendar address ("mailto:a@b") is the mailbox addr. */
static bool same_address(const char *cal, const char *addr)
{
    if (cal == NULL || addr == NULL)
        return false;
    if (g_ascii_strncasecmp(cal, "mailto:", 7) == 0)
        cal += 7;
    return g_ascii_strcasecmp(cal, addr) == 0;
}

static const char *meeting_class(icalproperty_method method, icalcomponent *ev,
                                 const char *from)
{
    switch (method) {
    case ICAL_METHOD_REQUEST:
        return "IPM.Schedule.Meeting.Request";
    case ICAL_METHOD_CANCEL:
        return "IPM.Schedule.Meeting.Canceled";
    case ICAL_METHOD_COUNTER:
        return "IPM.Schedule.Meeting.Resp.Tent";
    case ICAL_METHOD_REPLY: {
        /* The replying attendee's answer (the one the reply comes from, or
         * the only one). */
        icalparameter_partstat ps = ICAL_PARTSTAT_NONE;
        for (icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
             a != NULL; a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
            icalparameter *p = icalproperty_get_first_parameter(a, ICAL_PARTSTAT_PARAMETER);
            const char *who = icalproperty_get_attendee(a);
            if (p != NULL && (ps == ICAL_PARTSTAT_NONE || same_address(who, from)))
                ps = icalparameter_get_partstat(p);
        }
        return ps == ICAL_PARTSTAT_ACCEPTED   ? "IPM.Schedule.Meeting.Resp.Pos"
               : ps == ICAL_PARTSTAT_DECLINED ? "IPM.Schedule.Meeting.Resp.Neg"
                                              : "IPM.Schedule.Meeting.Resp.Tent";
    }
    default:
        return NULL;
    }
}

static LONG busy_status(icalcomponent *ev)
{
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p != NULL;
         p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
        const char *name = icalproperty_get_x_name(p);
        const char *v = icalproperty_get_x(p);
        if (name && v && g_ascii_strcasecmp(name, "X-MICROSOFT-CDO-BUSYSTATUS") == 0) {
            static const char *const values[] = { "FREE", "TENTATIVE", "BUSY", "OOF" };
            for (LONG i = 0; i < 4; i++)
                if (g_ascii_strcasecmp(v, values[i]) == 0)
                    return i;
        }
    }
    icalproperty *t = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);
    return t && icalproperty_get_transp(t) == ICAL_TRANSP_TRANSPARENT ? 0 : 2;
}

typedef struct props {
    SPropValue v[16];
    ULONG n;
} props;

static void add_long(props *p, ULONG tag, LONG value)
{
    if (tag == 0)
        return;
    p->v[p->n].ulPropTag = tag;
    p->v[p->n++].Value.l = value;
}

static void add_bool(props *p, ULONG tag, bool value)
{
    if (tag == 0)
        return;
    p->v[p->n].ulPropTag = tag;
    p->v[p->n++].Value.b = value;
}

static void add_time(props *p, ULONG tag, int64_t t)
{
    if (tag == 0 || t < 0)
        return;
    p->v[p->n].ulPropTag = tag;
    p->v[p->n++].Value.ft = fm_mime_filetime(t);
}

static HRESULT set_event(fm_import *im, icalcomponent *ev, icalproperty_method method,
                         const char *cls)
{
    LPMAPIPROP obj = (LPMAPIPROP)im->m;
    HRESULT hr = fm_mime_set_string(obj, PR_MESSAGE_CLASS_W, cls);
    icaltimetype start = icalcomponent_get_dtstart(ev), end = icalcomponent_get_dtend(ev);
    int64_t ts = ical_unix(start), te = ical_unix(end);
    props p = { .n = 0 };
    add_time(&p, appt(obj, LID_START, PT_SYSTIME, true), ts);
    add_time(&p, appt(obj, LID_END, PT_SYSTIME, true), te);
    add_time(&p, PR_START_DATE, ts);
    add_time(&p, PR_END_DATE, te);
    add_long(&p, appt(obj, LID_SEQUENCE, PT_LONG, true), icalcomponent_get_sequence(ev));
    LONG busy = busy_status(ev);
    add_long(&p, appt(obj, LID_BUSY_STATUS, PT_LONG, true), busy);
    add_long(&p, appt(obj, LID_INTENDED_BUSY, PT_LONG, true), busy);
    add_bool(&p, appt(obj, LID_SUB_TYPE, PT_BOOLEAN, true), start.is_date);
    add_bool(&p, appt(obj, LID_RECURRING, PT_BOOLEAN, true),
             icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) != NULL);
    add_long(&p, appt(obj, LID_STATE_FLAGS, PT_LONG, true),
             ASF_MEETING | ASF_RECEIVED | (method == ICAL_METHOD_CANCEL ? ASF_CANCELED : 0));
    add_long(&p, appt(obj, LID_RESPONSE_STATUS, PT_LONG, true), RESP_NOT_RESPONDED);
    if (hr == S_OK && p.n > 0) {
        LPSPropProblemArray problems = NULL;
        hr = IMessage_SetProps(im->m, p.n, p.v, &problems);
        MAPIFreeBuffer(problems);
        if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "setting the meeting's properties");
    }
    const char *loc = icalcomponent_get_location(ev);
    ULONG loctag = appt(obj, LID_LOCATION, PT_UNICODE, true);
    if (hr == S_OK && loc != NULL && loctag != 0)
        hr = fm_mime_set_string(obj, loctag, loc);
    const char *uid = icalcomponent_get_uid(ev);
    if (hr == S_OK && uid != NULL) {
        GByteArray *g = goid_of_uid(uid);
        ULONG ids[2] = { meeting(obj, LID_GLOBAL_OBJECT_ID, true),
                         meeting(obj, LID_CLEAN_GLOBAL_OBJECT_ID, true) };
        for (int i = 0; i < 2 && hr == S_OK; i++) {
            if (ids[i] == 0)
                continue;
            SPropValue v = { .ulPropTag = ids[i], .Value.bin = { g->len, g->data } };
            hr = fm_mime_set(obj, &v);
        }
        g_byte_array_unref(g);
    }
    /* The invitation's text is the body when the message has none. */
    const char *desc = icalcomponent_get_description(ev);
    if (hr == S_OK && desc != NULL && !im->have_body && !im->body_done)
        hr = fm_mime_set_string(obj, PR_BODY_W, desc);
    return hr;
}

HRESULT fm_mime_import_calendar(fm_import *im, GMimePart *part, const fm_part_info *pi,
                                bool alternative, fm_region *r, bool top)
{
    GMimeStream *s = fm_mime_decoded_stream(part, pi->enc, NULL);
    if (s == NULL)
        return S_FALSE;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_stream_write_to_stream(s, mem);
    g_object_unref(s);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
    fm_text_decoded t;
    fm_mime_text_decode((const char *)bytes->data, bytes->len, pi->charset, &t);
    char *text = t.utf8 ? g_string_free(t.utf8, FALSE)
                        : g_strndup((const char *)bytes->data, bytes->len);
    g_object_unref(mem);
    icalcomponent *cal = icalparser_parse_string(text);
    g_free(text);
    HRESULT hr = S_FALSE;
    icalcomponent *ev = cal ? icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)
                            : NULL;
    icalproperty *mp = cal ? icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY) : NULL;
    icalproperty_method method = mp ? icalproperty_get_method(mp) : ICAL_METHOD_NONE;
    InternetAddressList *from = g_mime_message_get_from(im->msg);
    InternetAddress *fa = from && internet_address_list_length(from) > 0
                              ? internet_address_list_get_address(from, 0)
                              : NULL;
    const char *faddr = fa && INTERNET_ADDRESS_IS_MAILBOX(fa)
                            ? internet_address_mailbox_get_addr((InternetAddressMailbox *)fa)
                            : NULL;
    const char *cls = ev ? meeting_class(method, ev, faddr) : NULL;
    if (cls != NULL) {
        hr = set_event(im, ev, method, cls);
        uint64_t hash = 0;
        if (hr == S_OK)
            hr = fm_mime_meeting_hash(im->m, &hash);
        if (hr == S_OK)
            hr = fm_mime_keep_made(im, (GMimeObject *)part, r, top, FM_SK_CALENDAR, hash, true);
        if (hr == S_OK)
            im->meeting = true;
    }
    if (cal != NULL)
        icalcomponent_free(cal);
    (void)alternative;
    return hr;
}

/* ---- the fingerprint --------------------------------------------------------------- */
HRESULT fm_mime_meeting_hash(LPMESSAGE m, uint64_t *hash)
{
    LPMAPIPROP obj = (LPMAPIPROP)m;
    SizedSPropTagArray(6, tags) = { 6, { appt(obj, LID_START, PT_SYSTIME, false),
                                         appt(obj, LID_END, PT_SYSTIME, false),
                                         appt(obj, LID_LOCATION, PT_STRING8, false),
                                         appt(obj, LID_SEQUENCE, PT_LONG, false),
                                         PR_SUBJECT_A, PR_MESSAGE_CLASS_A } };
    for (int i = 0; i < 4; i++)
        if (tags.aulPropTag[i] == 0)
            tags.aulPropTag[i] = PR_NULL;
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the meeting's properties");
    fm_hash h;
    fm_hash_init(&h);
    for (ULONG i = 0; i < n; i++) {
        ULONG type = PROP_TYPE(v[i].ulPropTag);
        fm_hash_feed(&h, &i, sizeof i);
        if (type == PT_SYSTIME)
            fm_hash_feed(&h, &v[i].Value.ft, sizeof v[i].Value.ft);
        else if (type == PT_LONG)
            fm_hash_feed(&h, &v[i].Value.l, sizeof v[i].Value.l);
        else if (type == PT_STRING8)
            fm_hash_feed(&h, v[i].Value.lpszA, strlen(v[i].Value.lpszA));
    }
    MAPIFreeBuffer(v);
    *hash = fm_hash_final(&h);
    return S_OK;
}

/* ---- writing ------------------------------------------------------------------------ */
static icaltimetype ical_time(const SPropValue *v)
{
    if (PROP_TYPE(v->ulPropTag) != PT_SYSTIME)
        return icaltime_null_time();
    return icaltime_from_timet_with_zone((time_t)fm_mime_unix_time(v->Value.ft), 0,
                                         icaltimezone_get_utc_timezone());
}

static icalproperty_method method_of(const char *cls)
{
    if (cls == NULL)
        return ICAL_METHOD_NONE;
    if (g_ascii_strcasecmp(cls, "IPM.Schedule.Meeting.Request") == 0)
        return ICAL_METHOD_REQUEST;
    if (g_ascii_strcasecmp(cls, "IPM.Schedule.Meeting.Canceled") == 0)
        return ICAL_METHOD_CANCEL;
    if (g_ascii_strncasecmp(cls, "IPM.Schedule.Meeting.Resp.", 26) == 0)
        return ICAL_METHOD_REPLY;
    return ICAL_METHOD_NONE;
}

static void add_attendees(fm_export *ex, icalcomponent *ev, icalproperty_method method)
{
    static const SizedSPropTagArray(4, cols) = {
        4, { PR_SMTP_ADDRESS_A, PR_EMAIL_ADDRESS_A, PR_DISPLAY_NAME_A, PR_RECIPIENT_TYPE }
    };
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    if (IMessage_GetRecipientTable(ex->m, 0, &t) != S_OK)
        return;
    HRESULT hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return;
    const char *cls = fm_export_str(ex, FM_EP_CLASS);
    icalparameter_partstat answer =
        method != ICAL_METHOD_REPLY          ? ICAL_PARTSTAT_NEEDSACTION
        : g_str_has_suffix(cls, ".Resp.Pos") ? ICAL_PARTSTAT_ACCEPTED
        : g_str_has_suffix(cls, ".Resp.Neg") ? ICAL_PARTSTAT_DECLINED
                                             : ICAL_PARTSTAT_TENTATIVE;
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *v = rows->aRow[i].lpProps;
        const char *addr = PROP_TYPE(v[0].ulPropTag) == PT_STRING8 ? v[0].Value.lpszA
                           : PROP_TYPE(v[1].ulPropTag) == PT_STRING8 ? v[1].Value.lpszA
                                                                      : NULL;
        if (addr == NULL)
            continue;
        char *mailto = g_strdup_printf("mailto:%s", addr);
        icalproperty *a = icalproperty_new_attendee(mailto);
        g_free(mailto);
        if (PROP_TYPE(v[2].ulPropTag) == PT_STRING8 && strcmp(v[2].Value.lpszA, addr) != 0)
            icalproperty_add_parameter(a, icalparameter_new_cn(v[2].Value.lpszA));
        bool optional = PROP_TYPE(v[3].ulPropTag) == PT_LONG && v[3].Value.l == MAPI_CC;
        icalproperty_add_parameter(a, icalparameter_new_role(optional
                                                                 ? ICAL_ROLE_OPTPARTICIPANT
                                                                 : ICAL_ROLE_REQPARTICIPANT));
        icalproperty_add_parameter(a, icalparameter_new_partstat(answer));
        if (method == ICAL_METHOD_REQUEST)
            icalproperty_add_parameter(a, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
        icalcomponent_add_property(ev, a);
    }
    FreeProws(rows);
}

/* The iCalendar text of the meeting (caller frees), or NULL when the
 * message is not a meeting item. */
static char *meeting_ical(fm_export *ex)
{
    const char *cls = fm_export_str(ex, FM_EP_CLASS);
    icalproperty_method method = method_of(cls);
    if (method == ICAL_METHOD_NONE)
        return NULL;
    LPMAPIPROP obj = (LPMAPIPROP)ex->m;
    SizedSPropTagArray(5, tags) = { 5, { appt(obj, LID_START, PT_SYSTIME, false),
                                         appt(obj, LID_END, PT_SYSTIME, false),
                                         appt(obj, LID_LOCATION, PT_STRING8, false),
                                         appt(obj, LID_SEQUENCE, PT_LONG, false),
                                         meeting(obj, LID_GLOBAL_OBJECT_ID, false) } };
    for (int i = 0; i < 5; i++)
        if (tags.aulPropTag[i] == 0)
            tags.aulPropTag[i] = PR_NULL;
    ULONG n = 0;
    LPSPropValue v = NULL;
    if (FAILED(IMessage_GetProps(ex->m, (LPSPropTagArray)&tags, 0, &n, &v)))
        return NULL;
    icalcomponent *cal = icalcomponent_new_vcalendar();
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//freemapi//libfreemapi-mime//EN"));
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_method(method));
    icalcomponent *ev = icalcomponent_new_vevent();
    char *uid = PROP_TYPE(v[4].ulPropTag) == PT_BINARY ? uid_of_goid(&v[4].Value.bin)
                                                       : g_uuid_string_random();
    icalcomponent_set_uid(ev, uid);
    g_free(uid);
    icalcomponent_set_dtstamp(ev, icaltime_current_time_with_zone(
                                      icaltimezone_get_utc_timezone()));
    if (PROP_TYPE(v[0].ulPropTag) == PT_SYSTIME)
        icalcomponent_set_dtstart(ev, ical_time(&v[0]));
    if (PROP_TYPE(v[1].ulPropTag) == PT_SYSTIME)
        icalcomponent_set_dtend(ev, ical_time(&v[1]));
    if (fm_export_str(ex, FM_EP_SUBJECT) != NULL)
        icalcomponent_set_summary(ev, fm_export_str(ex, FM_EP_SUBJECT));
    if (PROP_TYPE(v[2].ulPropTag) == PT_STRING8)
        icalcomponent_set_location(ev, v[2].Value.lpszA);
    icalcomponent_set_sequence(ev, PROP_TYPE(v[3].ulPropTag) == PT_LONG ? v[3].Value.l : 0);
    const char *org = fm_export_str(ex, FM_EP_FROM_EMAIL);
    if (org != NULL) {
        char *mailto = g_strdup_printf("mailto:%s", org);
        icalproperty *o = icalproperty_new_organizer(mailto);
        g_free(mailto);
        const char *name = fm_export_str(ex, FM_EP_FROM_NAME);
        if (name != NULL && strcmp(name, org) != 0)
            icalproperty_add_parameter(o, icalparameter_new_cn(name));
        icalcomponent_add_property(ev, o);
    }
    add_attendees(ex, ev, method);
    if (ex->body != NULL && ex->body->len > 0)
        icalcomponent_set_description(ev, ex->body->str);
    if (method == ICAL_METHOD_CANCEL)
        icalcomponent_set_status(ev, ICAL_STATUS_CANCELLED);
    icalcomponent_add_component(cal, ev);
    char *text = icalcomponent_as_ical_string_r(cal);
    char *out = g_strdup(text);
    icalmemory_free_buffer(text);
    icalcomponent_free(cal);
    MAPIFreeBuffer(v);
    return out;
}

HRESULT fm_mime_calendar_node(fm_export *ex, const fm_skel_bytes *kept, fm_out_node **out)
{
    *out = NULL;
    char *ics = meeting_ical(ex);
    if (ics == NULL)
        return S_OK;
    const char *cls = fm_export_str(ex, FM_EP_CLASS);
    icalproperty_method method = method_of(cls);
    GString *text = g_string_new(ics);
    g_free(ics);
    char *type = g_strdup_printf("text/calendar; charset=utf-8; method=%s",
                                 icalproperty_method_to_string(method));
    fm_skel_bytes made = { NULL, 0 };
    GString *h = NULL;
    if (kept == NULL || kept->n == 0) {
        h = g_string_new(NULL);
        g_string_append_printf(h, "Content-Type: %s\r\n", type);
        made.p = h->str;
        made.n = h->len;
        kept = &made;
    }
    *out = fm_mime_text_node("calendar", text, "utf-8", kept);
    if (h != NULL)
        g_string_free(h, TRUE);
    g_free(type);
    g_string_free(text, TRUE);
    return S_OK;
}

HRESULT fm_mime_build_meeting(fm_export *ex, fm_out_node **out)
{
    if (method_of(fm_export_str(ex, FM_EP_CLASS)) == ICAL_METHOD_NONE)
        return S_FALSE;
    /* The default tree, with the calendar as the last alternative. */
    HRESULT hr = fm_mime_build_default(ex, out);
    fm_out_node *cal = NULL;
    if (hr == S_OK)
        hr = fm_mime_calendar_node(ex, NULL, &cal);
    if (hr != S_OK || cal == NULL) {
        fm_out_node_free(cal);
        return hr;
    }
    fm_out_node *root = *out;
    fm_out_node *body = root;
    bool mixed = root->kind == FM_OUT_MULTIPART &&
                 strstr(root->headers->str, "multipart/mixed") != NULL;
    if (mixed)
        body = root->children->pdata[0];
    fm_out_node *alt = body;
    if (!(body->kind == FM_OUT_MULTIPART &&
          strstr(body->headers->str, "multipart/alternative") != NULL)) {
        alt = fm_out_node_new(FM_OUT_MULTIPART);
        alt->boundary = fm_out_boundary();
        char *t = g_strdup_printf("multipart/alternative; boundary=\"%s\"", alt->boundary);
        fm_out_header(alt, "Content-Type", t);
        g_free(t);
        fm_out_add(alt, body);
        if (mixed)
            root->children->pdata[0] = alt;
        else
            root = alt;
    }
    fm_out_add(alt, cal);
    *out = root;
    return S_OK;
}
