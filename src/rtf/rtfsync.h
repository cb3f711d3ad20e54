/*
 * rtf/rtfsync.h - a message's bodies through its IMessage methods, as RTFSync
 * (rtfsync.c) and the store's body conversions use them: the RTF of
 * PR_RTF_COMPRESSED decompressed, a text property as UTF-8 whatever its size
 * (through its stream when GetProps says it is too big), and the reverse.
 */
#ifndef FREEMAPI_RTF_RTFSYNC_H
#define FREEMAPI_RTF_RTFSYNC_H

#include "mapidefs.h"
#include "rtf/rtf.h"

HRESULT fm_rtf_message_read_rtf(LPMESSAGE m, fm_rtf_buf *rtf);
HRESULT fm_rtf_message_write_rtf(LPMESSAGE m, const char *rtf, size_t n);
/* tag: a PT_UNICODE or PT_STRING8 property. */
HRESULT fm_rtf_message_read_text(LPMESSAGE m, ULONG tag, fm_rtf_buf *out);
HRESULT fm_rtf_message_write_text(LPMESSAGE m, ULONG tag, const char *utf8);
/* The plain text an RTF body stands for: the encapsulated text of \fromtext
 * RTF, the visible text of any other. */
HRESULT fm_rtf_text_of(const char *rtf, size_t n, fm_rtf_buf *text);

#endif /* FREEMAPI_RTF_RTFSYNC_H */
