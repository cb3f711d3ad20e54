/*
 * mime/import.c - MIME -> MAPI entry points (IConverterSession::MIMEToMAPI):
 * parsing from a buffer, a descriptor or a GMime stream, then the envelope
 * (import_headers.c) and the body tree (import_parts.c).
 */
#include <string.h>
#include <unistd.h>

#include "mime/mime.h"

#define IMPORT_FLAGS (CCSF_SMTP | CCSF_INCLUDE_BCC | CCSF_EMBEDDED_MESSAGE)

static HRESULT check_args(const void *in, LPMESSAGE m, ULONG flags)
{
    fm_mime_clear_error();
    if (in == NULL || m == NULL)
        return fm_mime_fail(MAPI_E_INVALID_PARAMETER, "MIME import: NULL argument");
    if (flags & (CCSF_USE_RTF | CCSF_USE_TNEF))
        return fm_mime_fail(MAPI_E_NO_SUPPORT, "MIME import: RTF and TNEF are not supported");
    if (flags & ~IMPORT_FLAGS)
        return fm_mime_fail(MAPI_E_UNKNOWN_FLAGS, "MIME import: unknown flags 0x%08lX",
                            (unsigned long)(flags & ~IMPORT_FLAGS));
    return S_OK;
}

HRESULT fm_mime_import(GMimeMessage *msg, LPMESSAGE m, ULONG flags, int depth)
{
    HRESULT hr = fm_mime_import_headers(msg, m, flags);
    if (hr != S_OK)
        return hr;
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    if (top == NULL)
        return S_OK; /* headers only */
    return fm_mime_import_parts(top, m, flags, depth);
}

HRESULT fmapi_mime_import_message(struct _GMimeMessage *message, LPMESSAGE lpMessage,
                                  ULONG ulFlags)
{
    HRESULT hr = check_args(message, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    return fm_mime_import(message, lpMessage, ulFlags, 0);
}

HRESULT fmapi_mime_import_stream(struct _GMimeStream *stream, LPMESSAGE lpMessage, ULONG ulFlags)
{
    HRESULT hr = check_args(stream, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, fm_mime_parser_options());
    gint64 where = g_mime_parser_tell(parser);
    g_object_unref(parser);
    if (msg == NULL)
        return fm_mime_fail(MAPI_E_CORRUPT_DATA,
                            "MIME import: no message could be parsed (stopped at byte %lld)",
                            (long long)where);
    hr = fm_mime_import(msg, lpMessage, ulFlags, 0);
    g_object_unref(msg);
    return hr;
}

HRESULT fmapi_mime_import_buffer(const void *data, size_t len, LPMESSAGE lpMessage,
                                 ULONG ulFlags)
{
    HRESULT hr = check_args(data, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
    hr = fmapi_mime_import_stream((struct _GMimeStream *)s, lpMessage, ulFlags);
    g_object_unref(s);
    return hr;
}

HRESULT fmapi_mime_import_fd(int fd, LPMESSAGE lpMessage, ULONG ulFlags)
{
    HRESULT hr = check_args(fd >= 0 ? "" : NULL, lpMessage, ulFlags);
    if (hr != S_OK)
        return hr;
    fm_mime_init();
    int own = dup(fd);
    if (own < 0)
        return fm_mime_fail(MAPI_E_DISK_ERROR, "MIME import: cannot use descriptor %d", fd);
    /* A file is read in place; a pipe or socket, which cannot seek, is
     * read as a pipe (GMime then keeps the parts it reads). */
    off_t start = lseek(own, 0, SEEK_CUR);
    GMimeStream *s = start >= 0 ? g_mime_stream_fs_new_with_bounds(own, start, -1)
                                : g_mime_stream_pipe_new(own);
    if (start < 0)
        g_mime_stream_pipe_set_owner((GMimeStreamPipe *)s, TRUE);
    hr = fmapi_mime_import_stream((struct _GMimeStream *)s, lpMessage, ulFlags);
    g_object_unref(s); /* closes own */
    return hr;
}
