/*
 * oab/crc.c - the CRC-32 of the OAB formats ([MS-OXOAB] section 2.1): the
 * IEEE 802.3 polynomial in its reflected form 0xEDB88320, seeded with
 * 0xFFFFFFFF by the caller (FM_OAB_CRC_INIT) and stored without a final
 * complement. Used for LZX_BLK.ulCRC and OAB_HDR.ulSerial.
 */
#include "oab/oab.h"

static uint32_t table[256];
static int table_ready;

/* Built on first use; a race builds the same table twice, harmlessly. */
static void build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        table[i] = c;
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

uint32_t fm_oab_crc32(uint32_t crc, const void *data, size_t n)
{
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE))
        build_table();
    const BYTE *p = data;
    for (size_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return crc;
}
