/*
 * mime/mutf7.c - modified UTF-7 (RFC 3501 section 5.1.3), the form IMAP
 * servers and Maildir++ (Dovecot, Courier) give folder names outside
 * printable ASCII: "Entw&APw-rfe" is "Entwürfe". Characters other than
 * printable ASCII go as base64 (with ',' for '/') of their UTF-16 between
 * '&' and '-'; '&' itself is "&-".
 */
#include <string.h>

#include "mime/mime.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int b64_value(char c)
{
    const char *p = c ? strchr(B64, c) : NULL;
    return p ? (int)(p - B64) : -1;
}

char *fm_mime_mutf7_decode(const char *s)
{
    GString *out = g_string_new(NULL);
    for (const char *p = s; *p;) {
        if (*p != '&') {
            g_string_append_c(out, *p++);
            continue;
        }
        if (p[1] == '-') {
            g_string_append_c(out, '&');
            p += 2;
            continue;
        }
        /* Base64 of UTF-16BE up to '-'. */
        const char *q = p + 1;
        guint32 bits = 0;
        int nbits = 0;
        gunichar2 units[512];
        size_t nu = 0;
        bool ok = true;
        while (*q && *q != '-') {
            int v = b64_value(*q);
            if (v < 0) {
                ok = false;
                break;
            }
            bits = (bits << 6) | (guint32)v;
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                if (nu < G_N_ELEMENTS(units))
                    units[nu++] = (gunichar2)(bits >> nbits);
                bits &= (1u << nbits) - 1;
            }
            q++;
        }
        char *utf8 = ok && *q == '-' ? g_utf16_to_utf8(units, (glong)nu, NULL, NULL, NULL) : NULL;
        if (utf8 == NULL) {
            /* Not modified UTF-7 after all: the name as it is. */
            g_string_append_c(out, *p++);
            continue;
        }
        g_string_append(out, utf8);
        g_free(utf8);
        p = q + 1;
    }
    return g_string_free(out, FALSE);
}

char *fm_mime_mutf7_encode(const char *utf8)
{
    GString *out = g_string_new(NULL);
    const char *p = utf8;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7F) {
            if (c == '&')
                g_string_append(out, "&-");
            else
                g_string_append_c(out, (char)c);
            p++;
            continue;
        }
        /* A run of other characters, as UTF-16 in base64. */
        const char *q = p;
        while (*q && !((unsigned char)*q >= 0x20 && (unsigned char)*q < 0x7F))
            q = g_utf8_next_char(q);
        glong nu = 0;
        gunichar2 *u = g_utf8_to_utf16(p, (glong)(q - p), NULL, &nu, NULL);
        g_string_append_c(out, '&');
        guint32 bits = 0;
        int nbits = 0;
        for (glong i = 0; u != NULL && i < nu; i++) {
            bits = (bits << 16) | u[i];
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                g_string_append_c(out, B64[(bits >> nbits) & 0x3F]);
            }
        }
        if (nbits > 0)
            g_string_append_c(out, B64[(bits << (6 - nbits)) & 0x3F]);
        g_string_append_c(out, '-');
        g_free(u);
        p = q;
    }
    return g_string_free(out, FALSE);
}
