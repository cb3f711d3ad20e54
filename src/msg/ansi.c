/*
 * msg/ansi.c - PT_STRING8 values of .msg files written in a code page
 * (PR_MESSAGE_CODEPAGE, else PR_INTERNET_CPID, else 1252), as UTF-8.
 *
 * iconv does the conversion (glibc's code page tables); bytes it cannot
 * convert become U+FFFD, so a damaged or mislabelled value still reads.
 * iconv's own state is allocated by glibc, not freemapi's allocator, and
 * freed before returning (as text.c does with libunistring).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "msg/msg.h"

static void charset_of(ULONG cp, char *out, size_t n)
{
    switch (cp) {
    case 65001: snprintf(out, n, "UTF-8"); break;
    case 1200: snprintf(out, n, "UTF-16LE"); break;
    case 20127: snprintf(out, n, "ASCII"); break;
    case 28591: snprintf(out, n, "ISO-8859-1"); break;
    case 20932: snprintf(out, n, "EUC-JP"); break;
    case 51932: snprintf(out, n, "EUC-JP"); break;
    case 50220: snprintf(out, n, "ISO-2022-JP"); break;
    case 51949: snprintf(out, n, "EUC-KR"); break;
    case 52936: snprintf(out, n, "HZ"); break;
    case 54936: snprintf(out, n, "GB18030"); break;
    case 20866: snprintf(out, n, "KOI8-R"); break;
    case 21866: snprintf(out, n, "KOI8-U"); break;
    default:
        if (cp >= 28592 && cp <= 28606)
            snprintf(out, n, "ISO-8859-%u", (unsigned)(cp - 28590));
        else
            snprintf(out, n, "CP%u", (unsigned)cp);
    }
}

HRESULT fm_msg_decode_ansi(ULONG codepage, const unsigned char *p, size_t n, char **out,
                           size_t *outlen)
{
    char cs[32];
    charset_of(codepage ? codepage : 1252, cs, sizeof cs);
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-8", "CP1252"); /* an unknown code page: read as Windows Latin */
    if (cd == (iconv_t)-1)
        return fm_error_set(MAPI_E_UNKNOWN_CPID, ".msg: no converter for code page %lu",
                            (unsigned long)codepage);
    size_t cap = n * 4 + 4; /* a byte gives at most 3 UTF-8 bytes, U+FFFD included */
    char *buf = fm_malloc(cap);
    if (buf == NULL) {
        iconv_close(cd);
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, ".msg: out of memory converting text");
    }
    char *in = (char *)(uintptr_t)p, *o = buf;
    size_t inleft = n, outleft = cap - 1;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
            break;
        if (errno == E2BIG || outleft < 3)
            break;
        /* EILSEQ or EINVAL: one byte becomes U+FFFD. */
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        outleft -= 3;
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    *o = 0;
    *out = buf;
    *outlen = (size_t)(o - buf);
    return S_OK;
}
