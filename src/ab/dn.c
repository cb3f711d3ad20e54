/*
 * ab/dn.c - the X.500-style distinguished names of directory entries
 * (ab.h): /o=freemapi/ou=<site>/cn=Recipients/cn=<alias>. The offline
 * address book needs them in ASCII, so bytes of an alias outside
 * [A-Za-z0-9._-] are written as %XX (an alias of plain letters, the
 * common case, reads as itself).
 */
#include <stdio.h>
#include <string.h>

#include "ab/ab.h"
#include "core/alloc.h"

static bool plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

char *fm_ab_site_name(const char *site_dir)
{
    size_t n = strlen(site_dir);
    while (n > 1 && site_dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && site_dir[start - 1] != '/')
        start--;
    size_t len = n - start;
    if (len == 0 || len > 64)
        return fm_strdup("site");
    char *out = fm_malloc(len + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        out[i] = plain((unsigned char)site_dir[start + i]) ? site_dir[start + i] : '_';
    out[len] = '\0';
    return out;
}

char *fm_ab_dn(const char *site_name, const char *alias)
{
    static const char head[] = "/o=freemapi/ou=";
    static const char mid[] = "/cn=Recipients/cn=";
    size_t n = strlen(alias);
    char *out = fm_malloc(sizeof head + strlen(site_name) + sizeof mid + 3 * n + 1);
    if (out == NULL)
        return NULL;
    char *p = out + sprintf(out, "%s%s%s", head, site_name, mid);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)alias[i];
        if (plain(c))
            *p++ = (char)c;
        else
            p += sprintf(p, "%%%02X", c);
    }
    *p = '\0';
    return out;
}
