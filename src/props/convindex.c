/*
 * props/convindex.c - ScCreateConversationIndex: PR_CONVERSATION_INDEX
 * values as [MS-OXOMSG] 2.2.1.3 lays them out.
 *
 * A new thread gets the 22-byte header: 0x01, the 40 high bits of the
 * current FILETIME (big-endian), and a new random GUID (Data1-3 big-endian).
 * A reply gets its parent's index plus one 5-byte response level: the
 * delta code bit, 31 bits of the time since the header's time (bits 18-48
 * of the difference when it fits, else bits 23-53 with the code bit set),
 * and 8 random bits.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/error.h"
#include "mapiutil.h"

#define HEADER_SIZE 22
#define LEVEL_SIZE 5
/* FILETIME of the Unix epoch, in 100 ns units since 1601. */
#define EPOCH_1601 116444736000000000ULL

static uint64_t filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return EPOCH_1601 + (uint64_t)ts.tv_sec * 10000000ULL + (uint64_t)ts.tv_nsec / 100;
}

static int random_bytes(BYTE *p, size_t n)
{
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void put_header(BYTE *h, uint64_t now, const BYTE guid[16])
{
    h[0] = 0x01;
    for (int i = 0; i < 5; i++)
        h[1 + i] = (BYTE)(now >> (56 - 8 * i));
    memcpy(h + 6, guid, 16);
}

static void put_level(BYTE *l, const BYTE *header, uint64_t now, BYTE random)
{
    uint64_t then = 0;
    for (int i = 0; i < 5; i++)
        then |= (uint64_t)header[1 + i] << (56 - 8 * i);
    uint64_t delta = now > then ? now - then : 0;
    uint32_t word;
    if ((delta & 0x00FE000000000000ULL) == 0)
        word = (uint32_t)(delta >> 18) & 0x7FFFFFFFu;
    else
        word = 0x80000000u | ((uint32_t)(delta >> 23) & 0x7FFFFFFFu);
    l[0] = (BYTE)(word >> 24);
    l[1] = (BYTE)(word >> 16);
    l[2] = (BYTE)(word >> 8);
    l[3] = (BYTE)word;
    l[4] = random;
}

STDAPI_(SCODE) ScCreateConversationIndex(ULONG cbParent, LPBYTE lpbParent, ULONG *lpcbConvIndex,
                                         LPBYTE *lppbConvIndex)
{
    if (lpcbConvIndex == NULL || lppbConvIndex == NULL || (cbParent != 0 && lpbParent == NULL))
        return fm_error_set(MAPI_E_INVALID_PARAMETER, "ScCreateConversationIndex: NULL argument");
    *lpcbConvIndex = 0;
    *lppbConvIndex = NULL;
    if (cbParent != 0 && (cbParent < HEADER_SIZE || (cbParent - HEADER_SIZE) % LEVEL_SIZE != 0 ||
                          lpbParent[0] != 0x01))
        return fm_error_set(MAPI_E_INVALID_PARAMETER,
                            "ScCreateConversationIndex: %lu bytes are not a conversation index",
                            (unsigned long)cbParent);
    if (cbParent > 0xFFFFFFFFu - LEVEL_SIZE)
        return fm_error_set(MAPI_E_TOO_BIG, "ScCreateConversationIndex: index too long");
    BYTE rnd[17];
    if (random_bytes(rnd, sizeof rnd) != 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "ScCreateConversationIndex: no random bytes");
    ULONG cb = cbParent ? cbParent + LEVEL_SIZE : HEADER_SIZE;
    BYTE *out = NULL;
    SCODE sc = MAPIAllocateBuffer(cb, (void **)&out);
    if (sc != S_OK)
        return fm_error_set(sc, "ScCreateConversationIndex: out of memory");
    uint64_t now = filetime_now();
    if (cbParent == 0) {
        rnd[6] = (BYTE)((rnd[6] & 0x0F) | 0x40); /* a version 4 (random) GUID */
        rnd[8] = (BYTE)((rnd[8] & 0x3F) | 0x80);
        put_header(out, now, rnd);
    } else {
        memcpy(out, lpbParent, cbParent);
        put_level(out + cbParent, lpbParent, now, rnd[16]);
    }
    *lpcbConvIndex = cb;
    *lppbConvIndex = out;
    return S_OK;
}
