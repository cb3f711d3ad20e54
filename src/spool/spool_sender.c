/*
 * spool/spool_sender.c - who sent a submission: SubmitMessage asks the
 * transport to prepare the message before it is saved and queued (the
 * store's prepare hook), and the spooler stamps it, as MAPI's spooler does,
 * with the identity of the session that submitted it.
 *
 * PR_SENDER_* (name, "SMTP", address, directory entry ID, search key,
 * PR_SENDER_SMTP_ADDRESS) name that user when the client left them unset,
 * and PR_SENT_REPRESENTING_* (From:) default to the sender, so a client that
 * set them for "on behalf of" keeps what it set. Being part of the
 * submission's own save, the stamp reaches the copies, the report and the
 * copy kept in Sent Items.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "site/identity.h"
#include "spool/spool.h"

/* The directory entry ID of user (identity.h's layout) into buf. */
static void user_entryid(const fm_site_entry *user, BYTE buf[FM_IDENTITY_EID_SIZE])
{
    memset(buf, 0, FM_IDENTITY_EID_SIZE);
    memcpy(buf + 4, FM_SITE_DIRECTORY_UID.ab, 16);
    buf[20] = 1; /* version */
    buf[21] = 1; /* a user */
    for (int i = 0; i < 8; i++)
        buf[24 + i] = (BYTE)((uint64_t)user->id >> (8 * i));
}

/* Tags [0..6]: sender's; [7..13]: the represented sender's, same order. */
#define WHO_COUNT 7
static const SizedSPropTagArray(2 * WHO_COUNT, WHO_TAGS) = {
    2 * WHO_COUNT,
    { PR_SENDER_NAME_A, PR_SENDER_ADDRTYPE_A, PR_SENDER_EMAIL_ADDRESS_A, PR_SENDER_ENTRYID,
      PR_SENDER_SEARCH_KEY, PR_SENDER_SMTP_ADDRESS_A, PR_SENDER_NAME_A,
      PR_SENT_REPRESENTING_NAME_A, PR_SENT_REPRESENTING_ADDRTYPE_A,
      PR_SENT_REPRESENTING_EMAIL_ADDRESS_A, PR_SENT_REPRESENTING_ENTRYID,
      PR_SENT_REPRESENTING_SEARCH_KEY, PR_SENT_REPRESENTING_SMTP_ADDRESS_A,
      PR_SENT_REPRESENTING_NAME_A }
};

static void fill_who(SPropValue *v, const ULONG *tags, const fm_site_entry *owner, BYTE *eid,
                     char *key)
{
    for (int i = 0; i < WHO_COUNT - 1; i++)
        v[i].ulPropTag = tags[i];
    v[0].Value.lpszA = owner->display && owner->display[0] ? owner->display : owner->alias;
    v[1].Value.lpszA = "SMTP";
    v[2].Value.lpszA = owner->smtp;
    v[3].Value.bin = (SBinary){ FM_IDENTITY_EID_SIZE, eid };
    v[4].Value.bin = (SBinary){ (ULONG)strlen(key) + 1, (LPBYTE)key };
    v[5].Value.lpszA = owner->smtp;
}

HRESULT fm_spool_stamp_sender(const fm_site_entry *who, IMessage *msg)
{
    if (who->smtp == NULL)
        return S_OK; /* no address to give */
    ULONG n = 0;
    LPSPropValue have = NULL;
    HRESULT hr = IMessage_GetProps(msg, (LPSPropTagArray)&WHO_TAGS, 0, &n, &have);
    if (FAILED(hr))
        return hr;
    bool sender = have[0].ulPropTag == PR_SENDER_NAME_A ||
                  have[2].ulPropTag == PR_SENDER_EMAIL_ADDRESS_A;
    bool rep = have[WHO_COUNT].ulPropTag == PR_SENT_REPRESENTING_NAME_A ||
               have[WHO_COUNT + 2].ulPropTag == PR_SENT_REPRESENTING_EMAIL_ADDRESS_A;
    MAPIFreeBuffer(have);
    if (sender && rep)
        return S_OK;
    BYTE eid[FM_IDENTITY_EID_SIZE];
    user_entryid(who, eid);
    char key[300]; /* a search key: "SMTP:" and the address in capitals */
    snprintf(key, sizeof key, "SMTP:%s", who->smtp);
    for (char *p = key; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    SPropValue v[2 * (WHO_COUNT - 1)];
    ULONG count = 0;
    if (!sender) {
        fill_who(&v[count], &WHO_TAGS.aulPropTag[0], who, eid, key);
        count += WHO_COUNT - 1;
    }
    if (!rep) {
        fill_who(&v[count], &WHO_TAGS.aulPropTag[WHO_COUNT], who, eid, key);
        count += WHO_COUNT - 1;
    }
    return IMessage_SetProps(msg, count, v, NULL);
}
