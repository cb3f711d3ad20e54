/*
 * mime/deliver.c - fmapi_mime_deliver: one RFC 5322 message into the
 * mailboxes of the site users an address reaches (freemapi_mime.h), the
 * one delivery path of `mapi deliver` and freemapid's LMTP server.
 *
 * Per user: the mailbox opened through the site, its receive quota
 * checked, the message converted into a new message of the receive folder
 * for its class, marked received, and saved under a delivery key (the
 * SHA-256 of the bytes and the user's alias), in the transaction that also
 * records the key, so a retry of a delivery whose answer was lost finds it
 * and saves no second copy.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "edkmdb.h"
#include "freemapi_message.h"
#include "freemapi_site.h"
#include "mime/mime.h"

/* A message read from a descriptor grows in steps of this much. */
#define READ_STEP ((size_t)64 * 1024)

typedef struct delivery {
    fmapi_site *site;
    const void *data;
    size_t len;
} delivery;

static void delivery_key(const delivery *d, const char *alias, BYTE key[FMAPI_DELIVERY_KEY_SIZE])
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize n = sizeof digest;
    g_checksum_update(c, d->data, (gssize)d->len);
    g_checksum_update(c, (const guchar *)"", 1);
    for (const char *p = alias; *p; p++) { /* aliases compare without ASCII case */
        guchar ch = (guchar)g_ascii_tolower(*p);
        g_checksum_update(c, &ch, 1);
    }
    g_checksum_get_digest(c, digest, &n);
    g_checksum_free(c);
    memcpy(key, digest, FMAPI_DELIVERY_KEY_SIZE);
}

/* MAPI_E_STORE_FULL when the mailbox has reached its receive quota. */
static HRESULT check_quota(LPMDB mdb, const char *alias)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_PROHIBIT_RECEIVE_QUOTA, PR_MESSAGE_SIZE_EXTENDED } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = IMsgStore_GetProps(mdb, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return fm_mime_fail_mapi(hr, "reading the mailbox's quota");
    hr = S_OK;
    if (n == 2 && v[0].ulPropTag == PR_PROHIBIT_RECEIVE_QUOTA && v[0].Value.l >= 0 &&
        v[1].ulPropTag == PR_MESSAGE_SIZE_EXTENDED &&
        v[1].Value.li.QuadPart / 1024 >= (LONGLONG)v[0].Value.l)
        hr = fm_mime_fail(MAPI_E_STORE_FULL, "the mailbox of %s is full (%lld KB, quota %ld KB)",
                          alias, (long long)(v[1].Value.li.QuadPart / 1024),
                          (long)v[0].Value.l);
    MAPIFreeBuffer(v);
    return hr;
}

static HRESULT receive_folder(LPMDB mdb, const char *cls, ULONG *cb, LPENTRYID *eid)
{
    HRESULT hr = IMsgStore_GetReceiveFolder(mdb, (LPTSTR)cls, 0, cb, eid, NULL);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "finding the receive folder");
}

static HRESULT new_message(LPMDB mdb, ULONG cb, LPENTRYID eid, LPMESSAGE *out)
{
    ULONG type = 0;
    LPMAPIFOLDER f = NULL;
    HRESULT hr = IMsgStore_OpenEntry(mdb, cb, eid, NULL, MAPI_MODIFY, &type, (LPUNKNOWN *)&f);
    if (hr == S_OK)
        hr = IMAPIFolder_CreateMessage(f, NULL, 0, out);
    if (f != NULL)
        IMAPIFolder_Release(f);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "creating the message");
}

static HRESULT set_received(LPMESSAGE m, const fmapi_site_entry *user)
{
    /* FILETIME: 100 ns since 1601. */
    uint64_t now = ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
    const char *addr = user->smtp != NULL ? user->smtp : user->alias;
    SPropValue v[5] = {
        { .ulPropTag = PR_MESSAGE_DELIVERY_TIME },
        { .ulPropTag = PR_RECEIVED_BY_NAME_A, .Value.lpszA = (LPSTR)user->display_name },
        { .ulPropTag = PR_RECEIVED_BY_EMAIL_ADDRESS_A, .Value.lpszA = (LPSTR)addr },
        { .ulPropTag = PR_RECEIVED_BY_ADDRTYPE_A,
          .Value.lpszA = (LPSTR)(user->smtp != NULL ? "SMTP" : "EX") },
        { .ulPropTag = PR_MESSAGE_FLAGS, .Value.l = 0 }, /* unread, not unsent */
    };
    v[0].Value.ft.dwLowDateTime = (ULONG)(now & 0xFFFFFFFFu);
    v[0].Value.ft.dwHighDateTime = (ULONG)(now >> 32);
    HRESULT hr = IMessage_SetProps(m, 5, v, NULL);
    return hr == S_OK ? S_OK : fm_mime_fail_mapi(hr, "marking the message received");
}

static bool same_folder(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2)
{
    return cb1 == cb2 && memcmp(e1, e2, cb1) == 0;
}

/* The converted message in the receive folder for its class: converted
 * into the default receive folder's message first, and again into its
 * class's folder when that is another one. */
static HRESULT convert(const delivery *d, LPMDB mdb, LPMESSAGE *out)
{
    ULONG cb = 0, cb2 = 0;
    LPENTRYID eid = NULL, eid2 = NULL;
    LPSPropValue cls = NULL;
    LPMESSAGE m = NULL;
    HRESULT hr = receive_folder(mdb, "IPM.Note", &cb, &eid);
    if (hr == S_OK)
        hr = new_message(mdb, cb, eid, &m);
    if (hr == S_OK)
        hr = fmapi_mime_import_buffer(d->data, d->len, m, CCSF_SMTP);
    if (hr == S_OK && HrGetOneProp((LPMAPIPROP)m, PR_MESSAGE_CLASS_A, &cls) == S_OK &&
        (hr = receive_folder(mdb, cls->Value.lpszA, &cb2, &eid2)) == S_OK &&
        !same_folder(cb, eid, cb2, eid2)) {
        IMessage_Release(m);
        m = NULL;
        hr = new_message(mdb, cb2, eid2, &m);
        if (hr == S_OK)
            hr = fmapi_mime_import_buffer(d->data, d->len, m, CCSF_SMTP);
    }
    MAPIFreeBuffer(cls);
    MAPIFreeBuffer(eid);
    MAPIFreeBuffer(eid2);
    if (hr != S_OK && m != NULL) {
        IMessage_Release(m);
        m = NULL;
    }
    *out = m;
    return hr;
}

/* One user's copy (fmapi_site_resolve calls it for each user). */
static HRESULT deliver_one(void *ctx, const fmapi_site_entry *user)
{
    const delivery *d = ctx;
    LPMDB mdb = NULL;
    LPMESSAGE m = NULL;
    BYTE key[FMAPI_DELIVERY_KEY_SIZE];
    HRESULT hr = fmapi_site_open_mailbox(d->site, user->alias, 0, &mdb);
    if (hr != S_OK)
        hr = fm_mime_fail_mapi(hr, "opening the mailbox");
    if (hr == S_OK)
        hr = check_quota(mdb, user->alias);
    if (hr == S_OK)
        hr = convert(d, mdb, &m);
    if (hr == S_OK)
        hr = set_received(m, user);
    if (hr == S_OK) {
        delivery_key(d, user->alias, key);
        hr = fmapi_message_save_delivery(m, key);
        if (hr == MAPI_E_COLLISION) /* saved by an attempt whose answer was lost */
            hr = S_OK;
        else if (hr != S_OK)
            hr = fm_mime_fail_mapi(hr, "saving the message");
    }
    if (m != NULL)
        IMessage_Release(m);
    if (mdb != NULL)
        IMsgStore_Release(mdb);
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_mime_deliver(struct fmapi_site *site, const char *recipient,
                                           const void *data, size_t len, ULONG ulFlags)
{
    fm_mime_clear_error();
    if (site == NULL || recipient == NULL || (data == NULL && len > 0))
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "fmapi_mime_deliver: NULL argument");
    if (ulFlags != 0)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "fmapi_mime_deliver: unknown flags 0x%08lX",
                            (unsigned long)ulFlags);
    fm_mime_init();
    delivery d = { site, data, len };
    HRESULT hr = fmapi_site_resolve(site, recipient, deliver_one, &d);
    if (hr == MAPI_E_NOT_FOUND || hr == MAPI_E_AMBIGUOUS_RECIP)
        return fm_mime_fail(MAPI_E_NOT_FOUND, "%s: %s", recipient, fmapi_last_error());
    return hr;
}

FREEMAPI_PUBLIC HRESULT fmapi_mime_deliver_fd(struct fmapi_site *site, const char *recipient,
                                              int fd, ULONG ulFlags)
{
    size_t len = 0, cap = 0;
    char *buf = NULL;
    HRESULT hr = S_OK;
    for (;;) {
        if (len == cap) {
            size_t more = cap ? cap : READ_STEP; /* doubling: linear copying */
            char *grown = fm_mime_realloc(buf, cap, cap + more);
            if (grown == NULL) {
                hr = fm_mime_fail(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading a message");
                break;
            }
            buf = grown;
            cap += more;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            hr = fm_mime_fail(MAPI_E_DISK_ERROR, "reading the message: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (hr == S_OK)
        hr = fmapi_mime_deliver(site, recipient, buf, len, ulFlags);
    fm_mime_free(buf);
    return hr;
}
