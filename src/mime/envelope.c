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
 * The hashes cover the values as the store gives them back (the text as
 * UTF-8, the recipients as PR_DISPLAY_TO/CC/BCC), so an import and an
 * export compute them from the same thing whatever the import did to get
 * there; the export reads them with the rest of its envelope, at no extra
 * cost. (A recipient's address changed under the same display name is
 * therefore not seen.)
 */
#include <string.h>

#include "mime/mime.h"

/* The properties of the groups (an export reads them with the rest of its
 * envelope, export.c; an import with one GetProps). To, Cc and Bcc are
 * hashed as the store shows them: PR_DISPLAY_TO/CC/BCC, the names of the
 * recipients of each type in their order. */
static const SizedSPropTagArray(FM_ENV_PROPS, PROPS) = {
    FM_ENV_PROPS,
    { PR_SUBJECT_A, PR_SENT_REPRESENTING_NAME_A, PR_SENT_REPRESENTING_EMAIL_ADDRESS_A,
      PR_SENDER_NAME_A, PR_SENDER_EMAIL_ADDRESS_A, PR_DISPLAY_TO_A, PR_DISPLAY_CC_A,
      PR_DISPLAY_BCC_A, PR_CLIENT_SUBMIT_TIME, PR_INTERNET_MESSAGE_ID_A, PR_IN_REPLY_TO_ID_A,
      PR_INTERNET_REFERENCES_A, PR_IMPORTANCE, PR_PRIORITY }
};

ULONG fm_env_tag(int p)
{
    return PROPS.aulPropTag[p];
}

/* Each group: its properties (P_*, -1 ends) and the header fields that
 * stand for them. */
static const struct {
    int props[3];
    const char *fields[4];
} GROUPS[FM_EG_COUNT] = {
    [FM_EG_SUBJECT] = { { FM_ENV_SUBJECT, -1 }, { "Subject" } },
    [FM_EG_FROM] = { { FM_ENV_FROM_NAME, FM_ENV_FROM_EMAIL, -1 }, { "From" } },
    [FM_EG_SENDER] = { { FM_ENV_SENDER_NAME, FM_ENV_SENDER_EMAIL, -1 }, { "Sender" } },
    [FM_EG_TO] = { { FM_ENV_TO, -1 }, { "To" } },
    [FM_EG_CC] = { { FM_ENV_CC, -1 }, { "Cc" } },
    [FM_EG_BCC] = { { FM_ENV_BCC, -1 }, { "Bcc" } },
    [FM_EG_DATE] = { { FM_ENV_SUBMIT_TIME, -1 }, { "Date" } },
    [FM_EG_MESSAGE_ID] = { { FM_ENV_MESSAGE_ID, -1 }, { "Message-ID" } },
    [FM_EG_IN_REPLY_TO] = { { FM_ENV_IN_REPLY_TO, -1 }, { "In-Reply-To" } },
    [FM_EG_REFERENCES] = { { FM_ENV_REFERENCES, -1 }, { "References" } },
    /* Priority and X-MSMail-Priority say the same as Importance: once the
     * importance changed, a kept one would contradict it. */
    [FM_EG_IMPORTANCE] = { { FM_ENV_IMPORTANCE, FM_ENV_PRIORITY, -1 },
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
 * string too large for GetProps is read through its stream. */
static HRESULT feed(fm_hash *h, LPMAPIPROP obj, const SPropValue *v, ULONG tag)
{
    ULONG type = PROP_TYPE(v->ulPropTag);
    if (type == PT_ERROR && v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY) {
        GString *big = g_string_new(NULL);
        HRESULT hr = fm_mime_read_prop_stream(obj, CHANGE_PROP_TYPE(tag, PT_UNICODE), big);
        type = PT_STRING8; /* hashed as the text GetProps would have given */
        fm_hash_feed(h, &type, sizeof type);
        fm_hash_feed(h, big->str, big->len);
        g_string_free(big, TRUE);
        return hr;
    }
    fm_hash_feed(h, &type, sizeof type);
    if (type == PT_LONG)
        fm_hash_feed(h, &v->Value.l, sizeof v->Value.l);
    else if (type == PT_SYSTIME)
        fm_hash_feed(h, &v->Value.ft, sizeof v->Value.ft);
    else if (type == PT_STRING8)
        fm_hash_feed(h, v->Value.lpszA, strlen(v->Value.lpszA));
    return S_OK;
}

HRESULT fm_env_hash_values(LPMESSAGE m, const SPropValue *const *v, uint64_t out[FM_EG_COUNT])
{
    HRESULT hr = S_OK;
    for (int g = 0; hr == S_OK && g < FM_EG_COUNT; g++) {
        fm_hash h;
        fm_hash_init(&h);
        for (int k = 0; hr == S_OK && k < 3 && GROUPS[g].props[k] >= 0; k++) {
            int p = GROUPS[g].props[k];
            hr = feed(&h, (LPMAPIPROP)m, v[p], PROPS.aulPropTag[p]);
        }
        out[g] = fm_hash_final(&h);
    }
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "reading the message's envelope");
}

HRESULT fm_env_hashes(LPMESSAGE m, uint64_t out[FM_EG_COUNT])
{
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMessage_GetProps(m, (LPSPropTagArray)&PROPS, 0, &n, &v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the message's envelope");
    const SPropValue *at[FM_ENV_PROPS];
    for (int p = 0; p < FM_ENV_PROPS; p++)
        at[p] = &v[p];
    hr = fm_env_hash_values(m, at, out);
    MAPIFreeBuffer(v);
    return hr;
}

HRESULT fm_env_changed(LPMESSAGE m, const SPropValue *const *v, const uint64_t *kept,
                       uint32_t nkept, uint32_t *changed)
{
    *changed = 0;
    if (nkept != FM_EG_COUNT)
        return S_OK; /* recorded before (or by another version): none known */
    uint64_t now[FM_EG_COUNT];
    HRESULT hr = fm_env_hash_values(m, v, now);
    if (hr != S_OK)
        return hr;
    for (int g = 0; g < FM_EG_COUNT; g++) {
        if (now[g] != kept[g])
            *changed |= 1u << g;
    }
    return S_OK;
}
