/*
 * mime/envelope.c - the header fields of a message that map to MAPI
 * properties, and whether a client changed those properties since the
 * import.
 *
 * An imported message keeps its header block (PR_TRANSPORT_MESSAGE_HEADERS)
 * and an export writes it back byte for byte. But Subject, From, Sender,
 * To, Cc, Bcc, Date, Message-ID, In-Reply-To, References and Importance /
 * X-Priority are also properties ([MS-OXCMAIL] 2.2.3.2), which a client can
 * change through MAPI; the header written must then be the property's value,
 * as Exchange writes it, not the stale kept one. So the import records in
 * the skeleton a hash of each group of properties as it left them, and the
 * export hashes them again: the fields of a group whose hash differs are
 * written from the properties (in the place of the kept ones), every other
 * field verbatim.
 *
 * The hashes cover the values as the store gives them back (UTF-16 text,
 * the recipients as their rows), so an import and an export compute them
 * from the same thing whatever the import did to get there.
 */
#include <string.h>

#include "mapinls.h"
#include "mime/mime.h"

/* The properties of the groups, read with one GetProps. */
enum {
    P_SUBJECT,
    P_FROM_NAME,
    P_FROM_EMAIL,
    P_SENDER_NAME,
    P_SENDER_EMAIL,
    P_SUBMIT_TIME,
    P_MESSAGE_ID,
    P_IN_REPLY_TO,
    P_REFERENCES,
    P_IMPORTANCE,
    P_PRIORITY,
    P_COUNT
};

static const SizedSPropTagArray(P_COUNT, PROPS) = {
    P_COUNT,
    { PR_SUBJECT_W, PR_SENT_REPRESENTING_NAME_W, PR_SENT_REPRESENTING_EMAIL_ADDRESS_W,
      PR_SENDER_NAME_W, PR_SENDER_EMAIL_ADDRESS_W, PR_CLIENT_SUBMIT_TIME,
      PR_INTERNET_MESSAGE_ID_W, PR_IN_REPLY_TO_ID_W, PR_INTERNET_REFERENCES_W, PR_IMPORTANCE,
      PR_PRIORITY }
};

/* Each group: its properties (P_*, -1 ends) and the header fields that
 * stand for them. */
static const struct {
    int props[3];
    const char *fields[4];
} GROUPS[FM_EG_COUNT] = {
    [FM_EG_SUBJECT] = { { P_SUBJECT, -1 }, { "Subject" } },
    [FM_EG_FROM] = { { P_FROM_NAME, P_FROM_EMAIL, -1 }, { "From" } },
    [FM_EG_SENDER] = { { P_SENDER_NAME, P_SENDER_EMAIL, -1 }, { "Sender" } },
    [FM_EG_TO] = { { -1 }, { "To" } },
    [FM_EG_CC] = { { -1 }, { "Cc" } },
    [FM_EG_BCC] = { { -1 }, { "Bcc" } },
    [FM_EG_DATE] = { { P_SUBMIT_TIME, -1 }, { "Date" } },
    [FM_EG_MESSAGE_ID] = { { P_MESSAGE_ID, -1 }, { "Message-ID" } },
    [FM_EG_IN_REPLY_TO] = { { P_IN_REPLY_TO, -1 }, { "In-Reply-To" } },
    [FM_EG_REFERENCES] = { { P_REFERENCES, -1 }, { "References" } },
    /* Priority and X-MSMail-Priority say the same as Importance: once the
     * importance changed, a kept one would contradict it. */
    [FM_EG_IMPORTANCE] = { { P_IMPORTANCE, P_PRIORITY, -1 },
                           { "Importance", "X-Priority", "Priority", "X-MSMail-Priority" } },
};

int fm_env_group_of(const char *name, size_t n)
{
    for (int g = 0; g < FM_EG_COUNT; g++) {
        for (int f = 0; f < 4 && GROUPS[g].fields[f] != NULL; f++) {
            const char *want = GROUPS[g].fields[f];
            if (strlen(want) == n && g_ascii_strncasecmp(name, want, n) == 0)
                return g;
        }
    }
    return -1;
}

/* ---- hashing ----------------------------------------------------------------- */
/* Feeds one value: its type, then its content (absent: nothing more). A
 * value too large for GetProps is read through its stream. */
static HRESULT feed(fm_hash *h, LPMAPIPROP obj, const SPropValue *v, ULONG tag)
{
    ULONG type = PROP_TYPE(v->ulPropTag);
    if (type == PT_ERROR && v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
        if (obj == NULL)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        GString *big = g_string_new(NULL);
        HRESULT hr = fm_mime_read_prop_stream(obj, tag, big);
        /* hashed as the UTF-16 GetProps would have given */
        gunichar2 *w = hr == S_OK ? g_utf8_to_utf16(big->str, (glong)big->len, NULL, NULL, NULL)
                                  : NULL;
        if (w != NULL) {
            size_t units = 0;
            while (w[units] != 0)
                units++;
            type = PT_UNICODE;
            fm_hash_feed(h, &type, sizeof type);
            fm_hash_feed(h, w, units * sizeof *w);
        } else if (hr == S_OK) {
            fm_hash_feed(h, big->str, big->len); /* not text: its bytes */
        }
        g_free(w);
        g_string_free(big, TRUE);
        return hr;
    }
    fm_hash_feed(h, &type, sizeof type);
    if (type == PT_LONG)
        fm_hash_feed(h, &v->Value.l, sizeof v->Value.l);
    else if (type == PT_SYSTIME)
        fm_hash_feed(h, &v->Value.ft, sizeof v->Value.ft);
    else if (type == PT_UNICODE)
        fm_hash_feed(h, v->Value.lpszW, (size_t)MNLS_lstrlenW(v->Value.lpszW) * sizeof(WCHAR));
    return S_OK;
}

static HRESULT hash_props(LPMESSAGE m, uint64_t out[FM_EG_COUNT])
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&PROPS, MAPI_UNICODE, &n, &v);
    if (FAILED(hr))
        return hr;
    hr = S_OK; /* MAPI_W_ERRORS_RETURNED: the absent ones hash as absent */
    for (int g = 0; hr == S_OK && g < FM_EG_COUNT; g++) {
        if (GROUPS[g].props[0] < 0)
            continue; /* the recipients */
        fm_hash h;
        fm_hash_init(&h);
        for (int k = 0; hr == S_OK && k < 3 && GROUPS[g].props[k] >= 0; k++) {
            int p = GROUPS[g].props[k];
            hr = feed(&h, (LPMAPIPROP)m, &v[p], PROPS.aulPropTag[p]);
        }
        out[g] = fm_hash_final(&h);
    }
    MAPIFreeBuffer(v);
    return hr;
}

/* The recipients of each type in their order: name, address. */
static HRESULT hash_recipients(LPMESSAGE m, uint64_t out[FM_EG_COUNT])
{
    static const SizedSPropTagArray(3, cols) = {
        3, { PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W, PR_RECIPIENT_TYPE }
    };
    LPMAPITABLE t = NULL;
    HRESULT hr = IMessage_GetRecipientTable(m, MAPI_UNICODE, &t);
    if (hr != S_OK)
        return hr;
    LPSRowSet rows = NULL;
    hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    IMAPITable_Release(t);
    if (hr != S_OK)
        return hr;
    fm_hash h[3];
    for (int k = 0; k < 3; k++)
        fm_hash_init(&h[k]);
    for (ULONG r = 0; hr == S_OK && r < rows->cRows; r++) {
        const SPropValue *v = rows->aRow[r].lpProps;
        ULONG type = PROP_TYPE(v[2].ulPropTag) == PT_LONG
                         ? (ULONG)v[2].Value.l & ~MAPI_SUBMITTED
                         : MAPI_TO;
        fm_hash *x = type == MAPI_CC ? &h[1] : type == MAPI_BCC ? &h[2] : &h[0];
        for (int c = 0; hr == S_OK && c < 2; c++)
            hr = feed(x, NULL, &v[c], cols.aulPropTag[c]);
    }
    FreeProws(rows);
    out[FM_EG_TO] = fm_hash_final(&h[0]);
    out[FM_EG_CC] = fm_hash_final(&h[1]);
    out[FM_EG_BCC] = fm_hash_final(&h[2]);
    return hr;
}

HRESULT fm_env_hashes(LPMESSAGE m, uint64_t out[FM_EG_COUNT])
{
    HRESULT hr = hash_props(m, out);
    if (hr == S_OK)
        hr = hash_recipients(m, out);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "reading the message's envelope");
}

HRESULT fm_env_changed(LPMESSAGE m, const uint64_t *kept, uint32_t nkept, uint32_t *changed)
{
    *changed = 0;
    if (nkept != FM_EG_COUNT)
        return S_OK; /* recorded before (or by another version): none known */
    uint64_t now[FM_EG_COUNT];
    HRESULT hr = fm_env_hashes(m, now);
    if (hr != S_OK)
        return hr;
    for (int g = 0; g < FM_EG_COUNT; g++) {
        if (now[g] != kept[g])
            *changed |= 1u << g;
    }
    return S_OK;
}
