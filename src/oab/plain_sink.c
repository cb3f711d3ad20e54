/*
 * oab/plain_sink.c - two more sinks for the details writer: the
 * uncompressed full details file written straight to a file (its OAB_HDR
 * put in place at the end), and a tee that feeds two sinks at once, so one
 * pass over the directory can produce both the container and the plain
 * file that libmspack's output is compared with.
 */
#include <errno.h>
#include <unistd.h>

#include "oab/oab.h"

static HRESULT plain_write(fm_oab_sink *s, const BYTE *data, size_t n)
{
    fm_oab_plain *p = (fm_oab_plain *)s;
    return fm_oab_write_all(p->fd, data, n, p->path);
}

static HRESULT plain_finish(fm_oab_sink *s, const BYTE *head, size_t n)
{
    fm_oab_plain *p = (fm_oab_plain *)s;
    HRESULT hr = fm_oab_pwrite_all(p->fd, head, n, 0, p->path);
    if (SUCCEEDED(hr) && fdatasync(p->fd) != 0)
        hr = fm_oab_io_error(errno, "flushing", p->path);
    return hr;
}

void fm_oab_plain_init(fm_oab_plain *p, int fd, const char *path)
{
    p->sink.write = plain_write;
    p->sink.finish = plain_finish;
    p->fd = fd;
    p->path = path;
}

static HRESULT tee_write(fm_oab_sink *s, const BYTE *data, size_t n)
{
    fm_oab_tee *t = (fm_oab_tee *)s;
    HRESULT hr = t->a->write(t->a, data, n);
    return FAILED(hr) ? hr : t->b->write(t->b, data, n);
}

static HRESULT tee_finish(fm_oab_sink *s, const BYTE *head, size_t n)
{
    fm_oab_tee *t = (fm_oab_tee *)s;
    HRESULT hr = t->a->finish(t->a, head, n);
    return FAILED(hr) ? hr : t->b->finish(t->b, head, n);
}

void fm_oab_tee_init(fm_oab_tee *t, fm_oab_sink *a, fm_oab_sink *b)
{
    t->sink.write = tee_write;
    t->sink.finish = tee_finish;
    t->a = a;
    t->b = b;
}
