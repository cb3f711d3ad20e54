/*
 * examples/mapi_tour.c - a tour of what freemapi does today; the main job
 * of the README's first command until the `mapi` tool exists.
 *
 * Written the way a MAPI program is: it keeps four messages as property
 * sets in IPropData objects (CreateIProp), sets their properties in UTF-16,
 * reads them back in UTF-8 (GetProps converts), finds the ones that match a
 * restriction, sorts those by delivery time, and prints what it did. At the
 * end it checks with freemapi's allocator counters that every buffer and
 * object it used was released.
 */
#include <stdio.h>
#include <string.h>

#include <freemapi.h>
#include <mapiguid.h>
#include <mapitags.h>
#include <mapiutil.h>
#include <mapix.h>

#define CHECK(expr)                                                                   \
    do {                                                                              \
        HRESULT hr_ = (expr);                                                         \
        if (FAILED(hr_)) {                                                            \
            const char *name_ = fmapi_error_name(hr_);                                \
            fprintf(stderr, "mapi_tour: %s failed: %s (%s)\n", #expr,                 \
                    name_ ? name_ : "unknown error", fmapi_last_error());             \
            return 1;                                                                 \
        }                                                                             \
    } while (0)

typedef struct sample {
    const WCHAR *sender;
    const WCHAR *subject;
    LONG importance;
    ULONG day; /* days after 2026-11-01 */
} sample;

static const sample SAMPLES[] = {
    { u"Ada Lovelace", u"Quarterly report: Q3 figures", 2, 3 },
    { u"Grace Hopper", u"Lunch on Friday?", 1, 1 },
    { u"\u00C9mile Zola", u"RE: quarterly REPORT draft", 1, 5 },
    { u"Alan Turing", u"Stra\u00DFe closed, detour via the report office", 0, 2 },
};
#define NSAMPLES (sizeof SAMPLES / sizeof SAMPLES[0])

/* 2026-11-01T00:00:00Z plus `day` days, as a FILETIME. */
static FILETIME day_to_filetime(ULONG day)
{
    ULONGLONG t = 134064288000000000ULL + (ULONGLONG)day * 864000000000ULL;
    FILETIME ft = { (DWORD)t, (DWORD)(t >> 32) };
    return ft;
}

static HRESULT make_message(const sample *s, LPPROPDATA *out)
{
    LPPROPDATA msg = NULL;
    HRESULT hr = CreateIProp(&IID_IMAPIPropData, MAPIAllocateBuffer, MAPIAllocateMore,
                             MAPIFreeBuffer, NULL, &msg);
    if (FAILED(hr))
        return hr;
    SPropValue props[5];
    props[0].ulPropTag = PR_SUBJECT_W;
    props[0].Value.lpszW = (LPWSTR)s->subject;
    props[1].ulPropTag = PR_SENDER_NAME_W;
    props[1].Value.lpszW = (LPWSTR)s->sender;
    props[2].ulPropTag = PR_IMPORTANCE;
    props[2].Value.l = s->importance;
    props[3].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    props[3].Value.ft = day_to_filetime(s->day);
    props[4].ulPropTag = PR_MESSAGE_CLASS_W;
    props[4].Value.lpszW = (LPWSTR)u"IPM.Note";
    LPSPropProblemArray problems = NULL;
    hr = IPropData_SetProps(msg, 5, props, &problems);
    if (SUCCEEDED(hr) && problems != NULL)
        hr = MAPI_E_CALL_FAILED;
    MAPIFreeBuffer(problems);
    if (FAILED(hr)) {
        IPropData_Release(msg);
        return hr;
    }
    *out = msg;
    return S_OK;
}

/* Columns read back: the strings in their 8-bit (UTF-8) form. */
static SizedSPropTagArray(4, columns) = {
    4, { PR_SUBJECT_A, PR_SENDER_NAME_A, PR_IMPORTANCE, PR_MESSAGE_DELIVERY_TIME }
};

static void print_row(const char *mark, ULONG c, const SPropValue *p)
{
    ULONGLONG t = ((ULONGLONG)p[3].Value.ft.dwHighDateTime << 32) | p[3].Value.ft.dwLowDateTime;
    unsigned day = (unsigned)((t - 134064288000000000ULL) / 864000000000ULL) + 1;
    printf("  %s 2026-11-%02u  %-14s  importance %ld  \"%s\"\n", mark, day,
           p[1].Value.lpszA, (long)p[2].Value.l, p[0].Value.lpszA);
}

int main(void)
{
    fmapi_alloc_stats before, after;
    fmapi_alloc_get_stats(&before);
    printf("freemapi %s: a tour of the MAPI library\n\n", fmapi_version());

    /* 1. Messages as property sets. */
    LPPROPDATA msgs[NSAMPLES];
    for (size_t i = 0; i < NSAMPLES; i++)
        CHECK(make_message(&SAMPLES[i], &msgs[i]));
    printf("Created %zu messages with CreateIProp; SetProps stored 5 properties each "
           "(%s, %s, ...).\n", NSAMPLES, fmapi_proptag_name(PR_SUBJECT_W),
           fmapi_proptag_name(PR_MESSAGE_DELIVERY_TIME));

    /* 2. Read them back: GetProps converts the UTF-16 strings to UTF-8. */
    LPSRowSet rows = NULL;
    CHECK(MAPIAllocateBuffer(CbNewSRowSet(NSAMPLES), (void **)&rows));
    rows->cRows = 0;
    for (size_t i = 0; i < NSAMPLES; i++) {
        ULONG c = 0;
        LPSPropValue p = NULL;
        CHECK(IPropData_GetProps(msgs[i], (LPSPropTagArray)&columns, 0, &c, &p));
        rows->aRow[rows->cRows].cValues = c;
        rows->aRow[rows->cRows].lpProps = p;
        rows->cRows++;
    }
    printf("Read them back with GetProps, strings as PT_STRING8 (UTF-8):\n");
    for (ULONG i = 0; i < rows->cRows; i++)
        print_row("-", rows->aRow[i].cValues, rows->aRow[i].lpProps);

    /* 3. A restriction: subject contains "report", ignoring case and accents,
     *    and importance is at least normal. */
    SPropValue word = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (LPWSTR)u"report" };
    SPropValue normal = { .ulPropTag = PR_IMPORTANCE, .Value.l = 1 };
    SRestriction parts[2];
    parts[0].rt = RES_CONTENT;
    parts[0].res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE | FL_IGNORENONSPACE;
    parts[0].res.resContent.ulPropTag = PR_SUBJECT_W;
    parts[0].res.resContent.lpProp = &word;
    parts[1].rt = RES_PROPERTY;
    parts[1].res.resProperty.relop = RELOP_GE;
    parts[1].res.resProperty.ulPropTag = PR_IMPORTANCE;
    parts[1].res.resProperty.lpProp = &normal;
    SRestriction all = { .rt = RES_AND, .res.resAnd = { 2, parts } };
    fmapi_restriction *filter = NULL;
    CHECK(fmapi_restriction_compile(&all, 0, &filter));

    /* Rows are read as PT_STRING8, the restriction says PT_UNICODE: the
     * engine compares the two widths as the same text. */
    ULONG kept = 0;
    for (ULONG i = 0; i < rows->cRows; i++) {
        BOOL match = FALSE;
        CHECK(fmapi_restriction_eval(filter, rows->aRow[i].cValues, rows->aRow[i].lpProps,
                                     NULL, &match));
        if (match)
            rows->aRow[kept++] = rows->aRow[i];
        else
            MAPIFreeBuffer(rows->aRow[i].lpProps);
    }
    rows->cRows = kept;
    fmapi_restriction_free(filter);

    /* 4. Sort the matches by delivery time, newest first. */
    SizedSSortOrderSet(1, newest) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    for (ULONG i = 1; i < rows->cRows; i++) {
        SRow r = rows->aRow[i];
        ULONG j = i;
        while (j > 0 && fmapi_sort_compare_rows((LPSSortOrderSet)&newest, r.cValues, r.lpProps,
                                                rows->aRow[j - 1].cValues,
                                                rows->aRow[j - 1].lpProps) < 0) {
            rows->aRow[j] = rows->aRow[j - 1];
            j--;
        }
        rows->aRow[j] = r;
    }
    printf("\nRestriction: subject contains \"report\" (FL_IGNORECASE|FL_IGNORENONSPACE) "
           "AND importance >= 1;\nsorted by PR_MESSAGE_DELIVERY_TIME descending: "
           "%lu of %zu match\n", (unsigned long)rows->cRows, NSAMPLES);
    for (ULONG i = 0; i < rows->cRows; i++)
        print_row("*", rows->aRow[i].cValues, rows->aRow[i].lpProps);

    /* 5. Release everything and prove it. */
    FreeProws(rows);
    for (size_t i = 0; i < NSAMPLES; i++)
        IPropData_Release(msgs[i]);
    fmapi_alloc_get_stats(&after);
    printf("\nAllocator: %llu allocations made, %llu blocks (%llu bytes) still live.\n",
           (unsigned long long)(after.total_allocations - before.total_allocations),
           (unsigned long long)(after.live_blocks - before.live_blocks),
           (unsigned long long)(after.live_bytes - before.live_bytes));
    if (after.live_blocks != before.live_blocks) {
        fprintf(stderr, "mapi_tour: memory was leaked\n");
        return 1;
    }
    printf("Everything released: no leaks.\n");
    return 0;
}
