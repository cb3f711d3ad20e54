/*
 * mime/streams.c - two GMime stream classes that bridge GMime to the
 * outside: one writes through a caller's callback (so a message is written
 * out as it is serialised, never held whole), the other reads a MAPI
 * IStream (so an attachment of any size is encoded from the store in
 * chunks).
 */
#include "mime/mime.h"

/* ---- callback stream (write-only) ----------------------------------------- */
typedef struct FmCallbackStream {
    GMimeStream parent;
    fmapi_mime_write_fn fn;
    void *ctx;
    HRESULT *status;
} FmCallbackStream;

typedef struct FmCallbackStreamClass {
    GMimeStreamClass parent_class;
} FmCallbackStreamClass;

GType fm_callback_stream_get_type(void);
G_DEFINE_TYPE(FmCallbackStream, fm_callback_stream, GMIME_TYPE_STREAM)

static ssize_t cb_read(GMimeStream *s, char *buf, size_t len)
{
    return -1;
}

static ssize_t cb_write(GMimeStream *s, const char *buf, size_t len)
{
    FmCallbackStream *c = (FmCallbackStream *)s;
    if (*c->status != S_OK)
        return -1;
    HRESULT hr = c->fn(c->ctx, buf, len);
    if (hr != S_OK) {
        *c->status = hr;
        return -1;
    }
    s->position += (gint64)len;
    return (ssize_t)len;
}

static int cb_zero(GMimeStream *s)
{
    return 0;
}

static gboolean cb_eos(GMimeStream *s)
{
    return TRUE;
}

static gint64 cb_seek(GMimeStream *s, gint64 offset, GMimeSeekWhence whence)
{
    return -1;
}

static gint64 cb_tell(GMimeStream *s)
{
    return s->position;
}

static gint64 cb_length(GMimeStream *s)
{
    return -1;
}

static GMimeStream *cb_substream(GMimeStream *s, gint64 start, gint64 end)
{
    return NULL;
}

static void fm_callback_stream_class_init(FmCallbackStreamClass *klass)
{
    GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);
    sc->read = cb_read;
    sc->write = cb_write;
    sc->flush = cb_zero;
    sc->close = cb_zero;
    sc->eos = cb_eos;
    sc->reset = cb_zero;
    sc->seek = cb_seek;
    sc->tell = cb_tell;
    sc->length = cb_length;
    sc->substream = cb_substream;
}

static void fm_callback_stream_init(FmCallbackStream *s)
{
}

GMimeStream *fm_mime_stream_callback_new(fmapi_mime_write_fn fn, void *ctx, HRESULT *status)
{
    fm_mime_init();
    FmCallbackStream *s = g_object_new(fm_callback_stream_get_type(), NULL);
    s->fn = fn;
    s->ctx = ctx;
    s->status = status;
    g_mime_stream_construct(&s->parent, 0, -1);
    return &s->parent;
}

/* ---- IStream reader (read-only) -------------------------------------------- */
typedef struct FmIStreamStream {
    GMimeStream parent;
    LPSTREAM stream;
    gboolean eos;
} FmIStreamStream;

typedef struct FmIStreamStreamClass {
    GMimeStreamClass parent_class;
} FmIStreamStreamClass;

GType fm_istream_stream_get_type(void);
G_DEFINE_TYPE(FmIStreamStream, fm_istream_stream, GMIME_TYPE_STREAM)

/* GMime sees only -1 from a failed read; the MAPI code is kept here for
 * the caller (fm_mime_stream_error). */
static _Thread_local HRESULT read_error;

HRESULT fm_mime_stream_error(void)
{
    HRESULT hr = read_error;
    read_error = S_OK;
    return hr;
}

static ssize_t is_read(GMimeStream *s, char *buf, size_t len)
{
    FmIStreamStream *i = (FmIStreamStream *)s;
    ULONG got = 0;
    if (len > 0x10000000u)
        len = 0x10000000u;
    HRESULT hr = IStream_Read(i->stream, buf, (ULONG)len, &got);
    if (hr != S_OK) {
        if (read_error == S_OK)
            read_error = hr;
        return -1;
    }
    if (got == 0 && len > 0)
        i->eos = TRUE;
    s->position += got;
    return (ssize_t)got;
}

static ssize_t is_write(GMimeStream *s, const char *buf, size_t len)
{
    return -1;
}

static gboolean is_eos(GMimeStream *s)
{
    return ((FmIStreamStream *)s)->eos;
}

static int is_reset(GMimeStream *s)
{
    FmIStreamStream *i = (FmIStreamStream *)s;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    if (IStream_Seek(i->stream, zero, STREAM_SEEK_SET, NULL) != S_OK)
        return -1;
    i->eos = FALSE;
    s->position = 0;
    return 0;
}

static gint64 is_seek(GMimeStream *s, gint64 offset, GMimeSeekWhence whence)
{
    if (whence != GMIME_STREAM_SEEK_SET || offset != 0)
        return -1;
    return is_reset(s) == 0 ? 0 : -1;
}

static void is_finalize(GObject *o)
{
    FmIStreamStream *i = (FmIStreamStream *)o;
    if (i->stream != NULL)
        IStream_Release(i->stream);
    G_OBJECT_CLASS(fm_istream_stream_parent_class)->finalize(o);
}

static void fm_istream_stream_class_init(FmIStreamStreamClass *klass)
{
    GMimeStreamClass *sc = GMIME_STREAM_CLASS(klass);
    G_OBJECT_CLASS(klass)->finalize = is_finalize;
    sc->read = is_read;
    sc->write = is_write;
    sc->flush = cb_zero;
    sc->close = cb_zero;
    sc->eos = is_eos;
    sc->reset = is_reset;
    sc->seek = is_seek;
    sc->tell = cb_tell;
    sc->length = cb_length;
    sc->substream = cb_substream;
}

static void fm_istream_stream_init(FmIStreamStream *s)
{
}

GMimeStream *fm_mime_stream_istream_new(LPSTREAM stream)
{
    fm_mime_init();
    FmIStreamStream *s = g_object_new(fm_istream_stream_get_type(), NULL);
    IStream_AddRef(stream);
    s->stream = stream;
    g_mime_stream_construct(&s->parent, 0, -1);
    return &s->parent;
}
