/*
 * oab/crc.c - the CRC-32 of the OAB formats ([MS-OXOAB] section 2.1): the
 * IEEE 802.3 polynomial in its reflected form 0xEDB88320, seeded with
 * 0xFFFFFFFF by the caller (FM_OAB_CRC_INIT) and stored without a final
 * complement. Used for LZX_BLK.ulCRC and OAB_HDR.ulSerial, so every byte of
 * the OAB passes through it twice: it works four bytes at a time with four
 * tables (table[k][b] is the CRC of byte b followed by k zero bytes).
 */
#include "oab/oab.h"

static uint32_t table[4][256];
static int table_ready;

/* Built on first use; a race builds the same tables twice, harmlessly. */
static void build_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int k = 1; k < 4; k++)
            table[k][i] = (table[k - 1][i] >> 8) ^ table[0][table[k - 1][i] & 0xFFu];
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

uint32_t fm_oab_crc32(uint32_t crc, const void *data, size_t n)
{
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE))
        build_tables();
    const BYTE *p = data;
    for (; n >= 4; n -= 4, p += 4) {
        crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        crc = table[3][crc & 0xFFu] ^ table[2][(crc >> 8) & 0xFFu] ^
              table[1][(crc >> 16) & 0xFFu] ^ table[0][crc >> 24];
    }
    for (; n > 0; n--, p++)
        crc = table[0][(crc ^ *p) & 0xFFu] ^ (crc >> 8);
    return crc;
}
