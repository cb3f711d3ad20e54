/*
 * simple/simple_find.c - MAPIFindNext: the incoming messages of a class,
 * one identifier at a time.
 *
 * Messages are looked for in the receive folder of the class (the Inbox
 * for IPM, which is what NULL or "" ask for) and taken in the order they
 * were received: by PR_MESSAGE_DELIVERY_TIME, then by their id in the
 * store, messages with no delivery time first. That order is always kept,
 * so MAPI_GUARANTEE_FIFO costs nothing. A class matches itself and its
 * subclasses ("IPM" matches "IPM.Note"; "IPM.Note" matches
 * "IPM.Note.SMIME"), and IPM also matches a message with no class. The seed's place in that order is written in the seed
 * itself (simple_msgid.c), so a seed that was deleted after it was handed
 * out still gives the message after it.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

#define FIND_BATCH 64

static int msgid_cmp(const fm_simple_msgid *a, const fm_simple_msgid *b)
{
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->mid < b->mid ? -1 : a->mid > b->mid;
}

/*
 * The restriction of one search: the class or a subclass, unread when
 * asked, and either "no delivery time" or "delivered at or after since".
 */
typedef struct find_query {
    char dotted[256];
    SPropValue cls, cls_dot, since;
    SRestriction no_cls;     /* no class at all */
    SRestriction cls_any[3]; /* class equal, subclass, or (IPM only) no class */
    SRestriction timed[2];   /* has a time, at or after since */
    SRestriction when;       /* timed, or no time */
    SRestriction terms[3];
    SRestriction all;
} find_query;

static ULONG query_init(find_query *q, const char *type, FLAGS flags)
{
    memset(q, 0, sizeof *q);
    const char *cls = type && type[0] ? type : "IPM";
    if ((size_t)snprintf(q->dotted, sizeof q->dotted, "%s.", cls) >= sizeof q->dotted) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIFindNext: the message type is too long");
        return MAPI_E_FAILURE;
    }
    q->cls = (SPropValue){ .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = (LPSTR)cls };
    q->cls_dot = (SPropValue){ .ulPropTag = PR_MESSAGE_CLASS_A, .Value.lpszA = q->dotted };
    q->cls_any[0].rt = RES_PROPERTY;
    q->cls_any[0].res.resProperty = (SPropertyRestriction){ RELOP_EQ, PR_MESSAGE_CLASS_A, &q->cls };
    q->cls_any[1].rt = RES_CONTENT;
    q->cls_any[1].res.resContent =
        (SContentRestriction){ FL_PREFIX | FL_IGNORECASE, PR_MESSAGE_CLASS_A, &q->cls_dot };
    /* A message without PR_MESSAGE_CLASS is an IPM message, as stores
     * treat it. */
    bool ipm = strcmp(cls, "IPM") == 0;
    q->no_cls.rt = RES_EXIST;
    q->no_cls.res.resExist.ulPropTag = PR_MESSAGE_CLASS_A;
    q->cls_any[2].rt = RES_NOT;
    q->cls_any[2].res.resNot.lpRes = &q->no_cls;
    ULONG n = 0;
    q->terms[n].rt = RES_OR;
    q->terms[n].res.resOr = (SOrRestriction){ ipm ? 3 : 2, q->cls_any };
    n++;
    q->since.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    q->timed[0].rt = RES_EXIST;
    q->timed[0].res.resExist.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    q->timed[1].rt = RES_PROPERTY;
    q->timed[1].res.resProperty =
        (SPropertyRestriction){ RELOP_GE, PR_MESSAGE_DELIVERY_TIME, &q->since };
    q->when.rt = RES_AND;
    q->when.res.resAnd = (SAndRestriction){ 2, q->timed };
    q->terms[n++] = q->when;
    if (flags & MAPI_UNREAD_ONLY) {
        q->terms[n].rt = RES_BITMASK;
        q->terms[n].res.resBitMask =
            (SBitMaskRestriction){ BMR_EQZ, PR_MESSAGE_FLAGS, MSGFLAG_READ };
        n++;
    }
    q->all.rt = RES_AND;
    q->all.res.resAnd = (SAndRestriction){ n, q->terms };
    return SUCCESS_SUCCESS;
}

/* Restricts q to messages with no delivery time (untimed) or to those
 * delivered at or after time. */
static void query_when(find_query *q, bool untimed, uint64_t time)
{
    if (untimed) {
        q->terms[1].rt = RES_NOT;
        q->terms[1].res.resNot.lpRes = &q->timed[0];
        return;
    }
    q->since.Value.ft.dwLowDateTime = (ULONG)(time & 0xFFFFFFFFu);
    q->since.Value.ft.dwHighDateTime = (ULONG)(time >> 32);
    q->terms[1] = q->when;
}

/* The least message of t's rows after seed, into *best (*found). Rows come
 * sorted by time when sorted, so reading stops past the best's time. */
static HRESULT scan(LPMAPITABLE t, const fm_simple_msgid *seed, bool sorted,
                    fm_simple_msgid *best, bool *found)
{
    for (;;) {
        LPSRowSet rows = NULL;
        HRESULT hr = IMAPITable_QueryRows(t, FIND_BATCH, 0, &rows);
        if (hr != S_OK)
            return hr;
        ULONG n = rows->cRows;
        bool past = false;
        for (ULONG i = 0; i < n && !past; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            fm_simple_msgid id;
            if (!fm_simple_msgid_of(&p[0], &p[1], &id))
                continue;
            if (sorted && *found && id.time > best->time)
                past = true;
            else if (msgid_cmp(&id, seed) > 0 && (!*found || msgid_cmp(&id, best) < 0)) {
                *best = id;
                *found = true;
            }
        }
        FreeProws(rows);
        if (n == 0 || past)
            return S_OK;
    }
}

static HRESULT search(LPMAPIFOLDER f, find_query *q, const fm_simple_msgid *seed,
                      fm_simple_msgid *best, bool *found)
{
    SizedSPropTagArray(2, cols) = { 2, { PR_ENTRYID, PR_MESSAGE_DELIVERY_TIME } };
    SizedSSortOrderSet(1, by_time) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    LPMAPITABLE t = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable(f, 0, &t);
    if (hr == S_OK)
        hr = IMAPITable_SetColumns(t, (LPSPropTagArray)&cols, 0);
    *found = false;
    if (hr == S_OK && seed->time == 0) { /* the untimed messages come first */
        query_when(q, true, 0);
        hr = IMAPITable_Restrict(t, &q->all, 0);
        if (hr == S_OK)
            hr = scan(t, seed, false, best, found);
    }
    if (hr == S_OK && !*found) {
        query_when(q, false, seed->time);
        hr = IMAPITable_Restrict(t, &q->all, 0);
        if (hr == S_OK)
            hr = IMAPITable_SortTable(t, (LPSSortOrderSet)&by_time, 0);
        if (hr == S_OK)
            hr = IMAPITable_SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
        if (hr == S_OK)
            hr = scan(t, seed, true, best, found);
    }
    if (t != NULL)
        IMAPITable_Release(t);
    return hr;
}

static HRESULT receive_folder(fm_simple *s, const char *type, LPMAPIFOLDER *out)
{
    ULONG cb = 0, kind = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = IMsgStore_GetReceiveFolder(s->store, (LPTSTR)(type && type[0] ? type : "IPM"),
                                            0, &cb, &eid, NULL);
    if (hr == S_OK)
        hr = IMsgStore_OpenEntry(s->store, cb, eid, NULL, 0, &kind, (LPUNKNOWN *)out);
    MAPIFreeBuffer(eid);
    return hr;
}

static ULONG find_next(fm_simple *s, const char *type, const char *seed_text, FLAGS flags,
                       char *out)
{
    fm_simple_msgid seed = { 0, 0 }, best = { 0, 0 };
    if (seed_text != NULL && seed_text[0] != '\0' && !fm_simple_msgid_parse(seed_text, &seed)) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIFindNext: \"%s\" is not a message "
                                               "identifier", seed_text);
        return MAPI_E_INVALID_MESSAGE;
    }
    find_query q;
    ULONG code = query_init(&q, type, flags);
    if (code != SUCCESS_SUCCESS)
        return code;
    LPMAPIFOLDER f = NULL;
    bool found = false;
    HRESULT hr = receive_folder(s, type, &f);
    if (hr == S_OK)
        hr = search(f, &q, &seed, &best, &found);
    if (f != NULL)
        IMAPIFolder_Release(f);
    if (hr != S_OK)
        return fm_simple_code(hr);
    if (!found) {
        fm_error_set(MAPI_E_NOT_FOUND, "MAPIFindNext: no more messages");
        return MAPI_E_NO_MESSAGES;
    }
    fm_simple_msgid_format(&best, out);
    return SUCCESS_SUCCESS;
}

FREEMAPI_PUBLIC ULONG MAPIFindNext(LHANDLE lhSession, ULONG_PTR ulUIParam, LPSTR lpszMessageType,
                                   LPSTR lpszSeedMessageID, FLAGS flFlags, ULONG ulReserved,
                                   LPSTR lpszMessageID)
{
    (void)ulUIParam;
    (void)ulReserved;
    if (lhSession == 0) { /* documented: it cannot be zero */
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIFindNext: no session");
        return MAPI_E_INVALID_SESSION;
    }
    if (lpszMessageID == NULL) {
        fm_error_set(MAPI_E_INVALID_PARAMETER, "MAPIFindNext: lpszMessageID is NULL");
        return MAPI_E_FAILURE;
    }
    fm_simple *s = NULL;
    bool temp = false;
    ULONG code = fm_simple_get(lhSession, &s, &temp);
    if (code == SUCCESS_SUCCESS)
        code = find_next(s, lpszMessageType, lpszSeedMessageID, flFlags, lpszMessageID);
    fm_simple_put(s, temp);
    return code;
}
