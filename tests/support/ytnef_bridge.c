/*
 * tests/support/ytnef_bridge.c - libytnef's compressed RTF decoder, an
 * independent implementation of [MS-OXRTFCP] that the tests check
 * freemapi's compressor against. libytnef ships its own mapi.h and
 * defines BYTE, ULONG... as macros, so this file sees only its headers and
 * hands plain C types across (ytnef_bridge.h).
 */
#include <stdio.h> /* tnef-types.h uses FILE without including it */
#include <stdlib.h>
#include <string.h>
#include <ytnef.h>

#include "ytnef_bridge.h"

int fm_test_ytnef_decompress(const unsigned char *p, size_t n, unsigned char **out,
                             size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    variableLength v;
    v.data = malloc(n ? n : 1);
    if (v.data == NULL)
        return -1;
    memcpy(v.data, p, n);
    v.size = (int)n;
    int size = 0;
    unsigned char *r = DecompressRTF(&v, &size);
    free(v.data);
    if (r == NULL)
        return -1;
    *out = r;
    *outlen = (size_t)size;
    return 0;
}
