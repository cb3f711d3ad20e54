/*
 * oab/manifest.c - oab.xml, the manifest a client reads first to learn
 * which data file holds the current OAB ([MS-OXWOAB]): one OAL element for
 * the address list (id, dn, name) with one Full element naming the
 * compressed full details file, its sequence number, the file version
 * (32 = version 4), its size, its uncompressed size and its SHA-1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "mapicode.h"
#include "oab/oab.h"

/* Length of s once escaped for an XML attribute or text. */
static size_t escaped_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '&' ? 5 : *s == '<' || *s == '>' ? 4 : *s == '"' || *s == '\'' ? 6 : 1;
    return n;
}

static char *put_escaped(char *p, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                      : *s == '"' ? "&quot;" : *s == '\'' ? "&apos;" : NULL;
        if (e) {
            memcpy(p, e, strlen(e));
            p += strlen(e);
        } else {
            *p++ = *s;
        }
    }
    return p;
}

static char *put_text(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

HRESULT fm_oab_manifest_write(int fd, const char *path, const fm_oab_manifest_info *m)
{
    char nums[200];
    snprintf(nums, sizeof nums,
             "seq=\"%lu\" ver=\"32\" size=\"%llu\" uncompressedsize=\"%llu\" SHA=\"",
             (unsigned long)m->ulSequence, (unsigned long long)m->cbCompressed,
             (unsigned long long)m->cbUncompressed);
    static const char *const parts[] = {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAB>\n  <OAL id=\"", "\" dn=\"",
        "\" name=\"", "\">\n    <Full ", "\">", "</Full>\n  </OAL>\n</OAB>\n"};
    size_t cap = escaped_len(m->guid) + escaped_len(m->dn) + escaped_len(m->name) +
                 strlen(nums) + strlen(m->sha1) + escaped_len(m->file) + 1;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        cap += strlen(parts[i]);
    char *text = fm_malloc(cap);
    if (!text)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "offline address book: no memory for the manifest");
    char *p = put_text(text, parts[0]);
    p = put_escaped(p, m->guid);
    p = put_escaped(put_text(p, parts[1]), m->dn);
    p = put_escaped(put_text(p, parts[2]), m->name);
    p = put_text(put_text(put_text(p, parts[3]), nums), m->sha1);
    p = put_escaped(put_text(p, parts[4]), m->file);
    p = put_text(p, parts[5]);
    HRESULT hr = fm_oab_write_all(fd, text, (size_t)(p - text), path);
    fm_free(text);
    if (SUCCEEDED(hr) && fdatasync(fd) != 0)
        hr = fm_oab_io_error(errno, "flushing", path);
    return hr;
}

/* Our manifests end with "name</Full>" and a few closing tags. */
void fm_oab_manifest_current_file(int dirfd, char *file, size_t cap)
{
    char tail[4096 + 1];
    file[0] = '\0';
    int fd = openat(dirfd, "oab.xml", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > 4096 ? size - 4096 : 0;
    ssize_t n = size > 0 ? pread(fd, tail, (size_t)(size - from), from) : 0;
    close(fd);
    if (n <= 0)
        return;
    tail[n] = '\0';
    char *end = strstr(tail, "</Full>");
    if (!end)
        return;
    char *start = end;
    while (start > tail && start[-1] != '>')
        start--;
    size_t len = (size_t)(end - start);
    if (len == 0 || len >= cap || memchr(start, '/', len) || memchr(start, '&', len))
        return;
    memcpy(file, start, len);
    file[len] = '\0';
}
