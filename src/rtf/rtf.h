/*
 * rtf/rtf.h - RTF as MAPI bodies use it: reading text or encapsulated
 * HTML out of RTF, and writing plain text and HTML as encapsulated RTF
 * ([MS-OXRTFEX]).
 *
 * Output text is UTF-8. RTF's 8-bit text and \'hh escapes are decoded in
 * the code page of the current font (\fcharset in the font table) or the
 * document's (\ansicpg); \uN escapes are Unicode. Every function builds its
 * result in an fm_malloc'd buffer (fm_rtf_buf) that the caller clears.
 */
#ifndef FREEMAPI_RTF_RTF_H
#define FREEMAPI_RTF_RTF_H

#include <stddef.h>
#include <stdint.h>

#include "mapicode.h"
#include "mapidefs.h"

typedef struct fm_rtf_buf {
    char *p; /* NUL-terminated */
    size_t n, cap;
} fm_rtf_buf;

HRESULT fm_rtf_buf_put(fm_rtf_buf *b, const void *p, size_t n);
HRESULT fm_rtf_buf_puts(fm_rtf_buf *b, const char *s);
void fm_rtf_buf_clear(fm_rtf_buf *b);

/* What an RTF document holds, by its header ([MS-OXRTFEX] 2.2.3.1). */
typedef enum fm_rtf_kind {
    FM_RTF_NATIVE = 0, /* RTF authored as RTF */
    FM_RTF_FROM_TEXT,  /* \fromtext: encapsulated plain text */
    FM_RTF_FROM_HTML,  /* \fromhtml1: encapsulated HTML */
} fm_rtf_kind;

fm_rtf_kind fm_rtf_detect(const char *rtf, size_t n);

/*
 * The encapsulated content, de-encapsulated: the original HTML of a
 * \fromhtml1 document, the original text of a \fromtext one.
 * MAPI_E_NOT_FOUND when the document encapsulates nothing;
 * MAPI_E_CORRUPT_DATA when it is not RTF.
 */
HRESULT fm_rtf_deencapsulate(const char *rtf, size_t n, fm_rtf_kind *kind, fm_rtf_buf *out);

/* The visible text of any RTF document (what an RTF reader displays,
 * paragraphs as CRLF): a plain-text body for an RTF one. */
HRESULT fm_rtf_to_text(const char *rtf, size_t n, fm_rtf_buf *out);

/* Plain text (UTF-8) as \fromtext RTF, and HTML (UTF-8) as \fromhtml1 RTF;
 * de-encapsulating the result gives the input back (line ends as CRLF). */
HRESULT fm_rtf_from_text(const char *text, size_t n, fm_rtf_buf *out);
HRESULT fm_rtf_from_html(const char *html, size_t n, fm_rtf_buf *out);

/* Converts n bytes in code page cpid to UTF-8 (65001: checked and
 * copied). MAPI_E_UNKNOWN_CPID for a code page the system cannot convert. */
HRESULT fm_rtf_codepage_to_utf8(unsigned cpid, const char *p, size_t n, fm_rtf_buf *out);

#endif /* FREEMAPI_RTF_RTF_H */
