/*
 * simple/simple_read_files.c - what MAPIReadMail writes besides the
 * envelope: the note text, and each attachment as a temporary file.
 *
 * The files of one call go into a new directory of their own (mkdtemp
 * under $TMPDIR, else /tmp: mode 0700, so no other user can read them or
 * plant a file or link there), each created with O_EXCL and O_NOFOLLOW,
 * mode 0600. As on Windows, the caller owns the files afterwards and
 * removes them. An attachment's file has its display name made safe (no
 * '/', no control characters, never "." or ".."), numbered when two are
 * alike. Attachments by value and OLE objects are written as their bytes,
 * embedded messages as .msg files ([MS-OXMSG], fmapi_msg_save);
 * attachments by reference are given as the path they refer to and not
 * copied. A write that fails removes what the call wrote.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "freemapi_msg.h"
#include "mapiguid.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "simple/simple.h"

/* A failed write's Simple MAPI code. */
static ULONG write_failure(int err, const char *path)
{
    fm_error_set(err == ENOSPC ? MAPI_E_NOT_ENOUGH_DISK : MAPI_E_DISK_ERROR,
                 "MAPIReadMail: writing %s: %s", path, strerror(err));
    return err == ENOSPC || err == EDQUOT ? MAPI_E_DISK_FULL : MAPI_E_ATTACHMENT_WRITE_FAILURE;
}

static ULONG make_dir(char *dir, size_t size)
{
    if (dir[0] != '\0')
        return SUCCESS_SUCCESS;
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    if ((size_t)snprintf(dir, size, "%s/freemapi-mail-XXXXXX", tmp) >= size ||
        mkdtemp(dir) == NULL) {
        int err = errno;
        ULONG code = write_failure(err, "a temporary directory");
        dir[0] = '\0';
        return code;
    }
    return SUCCESS_SUCCESS;
}

/* name made safe as a file name into out. */
static void safe_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name ? name : ""; *p != '\0' && n + 1 < size && n < 200; p++)
        out[n++] = (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7F) ? '_' : *p;
    out[n] = '\0';
    if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        snprintf(out, size, "attachment");
}

/* Creates a new file for name in dir: its path into path, its fd returned
 * (-1 with a code in *code). */
static int create_file(const char *dir, const char *name, char *path, size_t size, ULONG *code)
{
    char safe[256];
    safe_name(name, safe, sizeof safe);
    for (unsigned i = 0; i < 1000; i++) {
        if (i == 0)
            snprintf(path, size, "%s/%s", dir, safe);
        else
            snprintf(path, size, "%s/%u-%s", dir, i, safe);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0)
                *code = write_failure(errno, path);
            return fd;
        }
    }
    *code = write_failure(EEXIST, name);
    return -1;
}

static ULONG write_all(int fd, const char *path, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return write_failure(errno, path);
        p += w;
        n -= (size_t)w;
    }
    return SUCCESS_SUCCESS;
}

static ULONG copy_stream(IStream *st, int fd, const char *path)
{
    char buf[65536];
    for (;;) {
        ULONG got = 0;
        HRESULT hr = IStream_Read(st, buf, sizeof buf, &got);
        if (hr != S_OK)
            return fm_simple_code(hr);
        if (got == 0)
            return SUCCESS_SUCCESS;
        ULONG code = write_all(fd, path, buf, got);
        if (code != SUCCESS_SUCCESS)
            return code;
    }
}

static ULONG finish_file(int fd, const char *path, ULONG code)
{
    if (close(fd) != 0 && code == SUCCESS_SUCCESS)
        code = write_failure(errno, path);
    if (code != SUCCESS_SUCCESS)
        unlink(path);
    return code;
}

/* Reads a string property (by stream when it is large) into m's block;
 * NULL when the message has none. */
static HRESULT read_text(LPMESSAGE msg, ULONG tag, MapiMessage *m, LPSTR *out)
{
    *out = NULL;
    IStream *st = NULL;
    STATSTG stat;
    HRESULT hr = IMessage_OpenProperty(msg, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK;
    if (hr == S_OK)
        hr = IStream_Stat(st, &stat, STATFLAG_NONAME);
    if (hr == S_OK && stat.cbSize.QuadPart >= 0x7FFFFFFF)
        hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "MAPIReadMail: the text is over 2 GB");
    ULONG size = hr == S_OK ? (ULONG)stat.cbSize.QuadPart : 0;
    if (hr == S_OK)
        hr = MAPIAllocateMore(size + 1, m, (void **)out);
    ULONG done = 0;
    while (hr == S_OK && done < size) {
        ULONG got = 0;
        hr = IStream_Read(st, *out + done, size - done, &got);
        if (hr == S_OK && got == 0)
            break;
        done += got;
    }
    if (hr == S_OK)
        (*out)[done] = '\0';
    if (st != NULL)
        IStream_Release(st);
    return hr;
}

static ULONG add_file(MapiMessage *m, ULONG flags, ULONG pos, const char *path, const char *name)
{
    MapiFileDesc *f = &m->lpFiles[m->nFileCount];
    memset(f, 0, sizeof *f);
    f->flFlags = flags;
    f->nPosition = pos;
    HRESULT hr = fm_simple_strdup(path, m, &f->lpszPathName);
    if (hr == S_OK)
        hr = fm_simple_strdup(name, m, &f->lpszFileName);
    if (hr == S_OK)
        m->nFileCount++;
    return fm_simple_code(hr);
}

static ULONG body_as_file(LPMESSAGE msg, MapiMessage *m, char *dir, size_t dsize)
{
    LPSTR text = NULL;
    ULONG code = fm_simple_code(read_text(msg, PR_BODY_A, m, &text));
    if (code == SUCCESS_SUCCESS)
        code = make_dir(dir, dsize);
    char path[PATH_MAX];
    int fd = code == SUCCESS_SUCCESS ? create_file(dir, "message.txt", path, sizeof path, &code)
                                     : -1;
    if (fd < 0)
        return code;
    code = finish_file(fd, path, write_all(fd, path, text ? text : "", text ? strlen(text) : 0));
    if (code == SUCCESS_SUCCESS)
        code = add_file(m, 0, (ULONG)-1, path, NULL);
    else
        m->lpszNoteText = NULL;
    return code;
}

enum { A_NUM, A_METHOD, A_LONG, A_SHORT, A_DISPLAY, A_POS, A_LONGPATH, A_PATH, A_COUNT };

static const char *attach_name(const SPropValue *p)
{
    for (int i = A_LONG; i <= A_DISPLAY; i++)
        if (PROP_TYPE(p[i].ulPropTag) == PT_STRING8 && p[i].Value.lpszA[0] != '\0')
            return p[i].Value.lpszA;
    return NULL;
}

/* The bytes of attachment att into a new file of dir. */
static ULONG write_attachment(LPATTACH att, LONG method, const char *name, char *path,
                              size_t psize, const char *dir)
{
    ULONG code = SUCCESS_SUCCESS;
    if (method == ATTACH_EMBEDDED_MSG) {
        char fname[300];
        snprintf(fname, sizeof fname, "%s.msg", name ? name : "message");
        int fd = create_file(dir, fname, path, psize, &code);
        if (fd < 0)
            return code;
        close(fd);
        LPMESSAGE inner = NULL;
        HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                                          (LPUNKNOWN *)&inner);
        if (hr == S_OK)
            hr = fmapi_msg_save(inner, path, 0);
        if (inner != NULL)
            IMessage_Release(inner);
        if (hr != S_OK)
            unlink(path);
        return hr == S_OK ? SUCCESS_SUCCESS : MAPI_E_ATTACHMENT_WRITE_FAILURE;
    }
    IStream *st = NULL;
    HRESULT hr = IAttach_OpenProperty(att, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                                      (LPUNKNOWN *)&st);
    if (hr == MAPI_E_NOT_FOUND)
        hr = S_OK; /* no bytes: an empty file */
    int fd = hr == S_OK ? create_file(dir, name, path, psize, &code) : -1;
    if (hr != S_OK)
        code = fm_simple_code(hr);
    if (fd >= 0)
        code = finish_file(fd, path, st ? copy_stream(st, fd, path) : SUCCESS_SUCCESS);
    if (st != NULL)
        IStream_Release(st);
    return code;
}

static ULONG read_attachment(LPMESSAGE msg, const SPropValue *p, MapiMessage *m, char *dir,
                             size_t dsize)
{
    LONG method = p[A_METHOD].ulPropTag == PR_ATTACH_METHOD ? p[A_METHOD].Value.l
                                                            : (LONG)ATTACH_BY_VALUE;
    ULONG pos = p[A_POS].ulPropTag == PR_RENDERING_POSITION ? (ULONG)p[A_POS].Value.l
                                                            : (ULONG)-1;
    const char *name = attach_name(p);
    if (method == ATTACH_BY_REFERENCE || method == ATTACH_BY_REF_RESOLVE ||
        method == ATTACH_BY_REF_ONLY) {
        const SPropValue *ref = PROP_TYPE(p[A_LONGPATH].ulPropTag) == PT_STRING8
                                    ? &p[A_LONGPATH]
                                    : &p[A_PATH];
        if (PROP_TYPE(ref->ulPropTag) != PT_STRING8)
            return SUCCESS_SUCCESS; /* a reference to nothing: no file to give */
        return add_file(m, 0, pos, ref->Value.lpszA, name);
    }
    ULONG code = make_dir(dir, dsize);
    LPATTACH att = NULL;
    if (code == SUCCESS_SUCCESS)
        code = fm_simple_code(IMessage_OpenAttach(msg, (ULONG)p[A_NUM].Value.l, NULL, 0, &att));
    char path[PATH_MAX];
    if (code == SUCCESS_SUCCESS)
        code = write_attachment(att, method, name, path, sizeof path, dir);
    if (att != NULL)
        IAttach_Release(att);
    if (code == SUCCESS_SUCCESS)
        code = add_file(m, method == ATTACH_OLE ? MAPI_OLE : 0, pos, path, name);
    return code;
}

static ULONG read_attachments(LPMESSAGE msg, MapiMessage *m, ULONG extra, char *dir,
                              size_t dsize)
{
    SizedSPropTagArray(A_COUNT, cols) = {
        A_COUNT,
        { PR_ATTACH_NUM, PR_ATTACH_METHOD, PR_ATTACH_LONG_FILENAME_A, PR_ATTACH_FILENAME_A,
          PR_DISPLAY_NAME_A, PR_RENDERING_POSITION, PR_ATTACH_LONG_PATHNAME_A,
          PR_ATTACH_PATHNAME_A }
    };
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    HRESULT hr = IMessage_GetAttachmentTable(msg, 0, &t);
    if (hr == S_OK)
        hr = HrQueryAllRows(t, (LPSPropTagArray)&cols, NULL, NULL, 0, &rows);
    ULONG total = hr == S_OK ? rows->cRows + extra : 0;
    if (hr == S_OK && total > 0)
        hr = MAPIAllocateMore(total * sizeof *m->lpFiles, m, (void **)&m->lpFiles);
    ULONG code = fm_simple_code(hr);
    if (code == SUCCESS_SUCCESS && extra > 0)
        code = body_as_file(msg, m, dir, dsize);
    for (ULONG i = 0; code == SUCCESS_SUCCESS && i < rows->cRows; i++)
        if (rows->aRow[i].lpProps[A_NUM].ulPropTag == PR_ATTACH_NUM)
            code = read_attachment(msg, rows->aRow[i].lpProps, m, dir, dsize);
    FreeProws(rows);
    if (t != NULL)
        IMAPITable_Release(t);
    return code;
}

ULONG fm_simple_read_content(LPMESSAGE msg, FLAGS flags, MapiMessage *m, char *dir,
                             size_t dsize)
{
    bool as_file = (flags & MAPI_BODY_AS_FILE) != 0;
    ULONG code = SUCCESS_SUCCESS;
    if (!as_file) {
        code = fm_simple_code(read_text(msg, PR_BODY_A, m, &m->lpszNoteText));
        if (code == SUCCESS_SUCCESS && m->lpszNoteText == NULL)
            code = fm_simple_code(fm_simple_strdup("", m, &m->lpszNoteText));
    }
    if (code != SUCCESS_SUCCESS)
        return code;
    if (flags & MAPI_SUPPRESS_ATTACH) {
        if (!as_file)
            return SUCCESS_SUCCESS;
        code = fm_simple_code(MAPIAllocateMore(sizeof *m->lpFiles, m, (void **)&m->lpFiles));
        return code == SUCCESS_SUCCESS ? body_as_file(msg, m, dir, dsize) : code;
    }
    return read_attachments(msg, m, as_file ? 1 : 0, dir, dsize);
}

void fm_simple_remove_files(MapiMessage *m, const char *dir)
{
    (void)m;
    if (dir[0] == '\0')
        return;
    /* Everything in it: the directory is this call's own, and a file may
     * have been written before the failure that kept it out of m. */
    DIR *d = opendir(dir);
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}
