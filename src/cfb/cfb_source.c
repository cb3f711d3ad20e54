/*
 * cfb/cfb_source.c - reading a committed compound file in place ([MS-CFB]
 * 2.2 header, 2.3 FAT, 2.4 mini FAT, 2.5 DIFAT).
 *
 * Nothing is trusted: every sector number is checked against the sectors
 * the file has, every chain walk is bounded by that count (a loop ends as
 * an error, never as a hang), and the FAT and mini FAT are read a sector at
 * a time through a small cache, so memory does not grow with the file.
 * Errors are STG_E_DOCFILECORRUPT with what was wrong and where.
 */
#include <string.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"

static const unsigned char SIGNATURE[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };

#define CORRUPT(...) fm_error_set(STG_E_DOCFILECORRUPT, "compound file: " __VA_ARGS__)

/* ---- runs ------------------------------------------------------------------------ */

void fm_cfb_map_clear(fm_cfb_map *m)
{
    fm_free(m->runs);
    memset(m, 0, sizeof *m);
}

static HRESULT map_append(fm_cfb_map *m, uint32_t sect)
{
    if (m->nruns > 0) {
        fm_cfb_run *last = &m->runs[m->nruns - 1];
        if (last->sect + last->count == sect && last->count < UINT32_MAX) {
            last->count++;
            m->len++;
            return S_OK;
        }
    }
    if (m->nruns == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 4;
        fm_cfb_run *r = fm_realloc(m->runs, (size_t)cap * sizeof *r);
        if (r == NULL)
            return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory mapping a chain");
        m->runs = r;
        m->cap = cap;
    }
    m->runs[m->nruns++] = (fm_cfb_run){ .first = m->len, .sect = sect, .count = 1 };
    m->len++;
    return S_OK;
}

void fm_cfb_map_find(const fm_cfb_map *m, uint32_t pos, uint32_t *sect, uint32_t *contiguous)
{
    uint32_t lo = 0, hi = m->nruns;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->runs[mid].first <= pos)
            lo = mid;
        else
            hi = mid;
    }
    const fm_cfb_run *r = &m->runs[lo];
    *sect = r->sect + (pos - r->first);
    *contiguous = r->count - (pos - r->first);
}

/* ---- sector cache ------------------------------------------------------------------ */

static HRESULT read_sector(fm_cfb_source *s, uint32_t sect, unsigned char *buf)
{
    size_t got = 0;
    uint64_t off = ((uint64_t)sect + 1) * s->ss;
    HRESULT hr = fm_cfb_backing_read(&s->back, off, buf, s->ss, &got);
    if (hr == S_OK && got < s->ss)
        hr = CORRUPT("the file ends at byte %llu, inside sector %lu",
                     (unsigned long long)(off + got), (unsigned long)sect);
    return hr;
}

static HRESULT cached_sector(fm_cfb_source *s, uint32_t sect, const unsigned char **out)
{
    fm_cfb_cache_slot *victim = &s->cache[0];
    for (unsigned i = 0; i < CFB_CACHE_SLOTS; i++) {
        fm_cfb_cache_slot *c = &s->cache[i];
        if (c->sect == sect && c->buf != NULL) {
            c->used = ++s->tick;
            *out = c->buf;
            return S_OK;
        }
        if (c->used < victim->used)
            victim = c;
    }
    if (victim->buf == NULL && (victim->buf = fm_malloc(s->ss)) == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the FAT");
    victim->sect = CFB_FREESECT;
    HRESULT hr = read_sector(s, sect, victim->buf);
    if (hr != S_OK)
        return hr;
    victim->sect = sect;
    victim->used = ++s->tick;
    *out = victim->buf;
    return S_OK;
}

static HRESULT fat_next(fm_cfb_source *s, uint32_t sect, uint32_t *next)
{
    uint32_t per = s->ss / 4;
    uint32_t idx = sect / per;
    if (idx >= s->nfat)
        return CORRUPT("sector %lu has no FAT entry (the FAT covers %lu sectors)",
                       (unsigned long)sect, (unsigned long)s->nfat * per);
    const unsigned char *b = NULL;
    HRESULT hr = cached_sector(s, s->difat[idx], &b);
    if (hr == S_OK)
        *next = fm_cfb_le32(b + (size_t)(sect % per) * 4);
    return hr;
}

static HRESULT ensure_minifat(fm_cfb_source *s)
{
    if (s->minifat_mapped)
        return S_OK;
    HRESULT hr = S_OK;
    if (s->nminifat > 0)
        hr = fm_cfb_source_map(s, false, s->minifat_start, s->nminifat, true, "the mini FAT",
                            &s->minifat);
    if (hr == S_OK)
        s->minifat_mapped = true;
    return hr;
}

static HRESULT minifat_next(fm_cfb_source *s, uint32_t msect, uint32_t *next)
{
    uint32_t per = s->ss / 4;
    uint32_t idx = msect / per;
    if (idx >= s->minifat.len)
        return CORRUPT("mini sector %lu has no mini FAT entry (the mini FAT covers %lu)",
                       (unsigned long)msect, (unsigned long)s->minifat.len * per);
    uint32_t sect = 0, contig = 0;
    fm_cfb_map_find(&s->minifat, idx, &sect, &contig);
    const unsigned char *b = NULL;
    HRESULT hr = cached_sector(s, sect, &b);
    if (hr == S_OK)
        *next = fm_cfb_le32(b + (size_t)(msect % per) * 4);
    return hr;
}

/* ---- chains ------------------------------------------------------------------------ */

HRESULT fm_cfb_source_map(fm_cfb_source *s, bool mini, uint32_t start, uint32_t want, bool want_known,
                       const char *what, fm_cfb_map *out)
{
    memset(out, 0, sizeof *out);
    HRESULT hr = mini ? ensure_minifat(s) : S_OK;
    uint64_t limit = mini ? (s->ministream_size + CFB_MINI_SECTOR - 1) / CFB_MINI_SECTOR
                          : s->nsect;
    if (hr == S_OK && want_known && want > limit)
        hr = CORRUPT("%s needs %lu %s, more than the %s holds (%llu)", what,
                     (unsigned long)want, mini ? "mini sectors" : "sectors",
                     mini ? "mini stream" : "file", (unsigned long long)limit);
    uint32_t cur = start;
    for (uint64_t pos = 0; hr == S_OK && (!want_known || pos < want); pos++) {
        if (cur == CFB_ENDOFCHAIN && !want_known)
            break;
        if (cur == CFB_ENDOFCHAIN)
            hr = CORRUPT("the chain of %s ends after %llu of %lu sectors", what,
                         (unsigned long long)pos, (unsigned long)want);
        else if (cur > CFB_MAXREGSECT)
            hr = CORRUPT("the chain of %s holds the marker 0x%08lX at position %llu", what,
                         (unsigned long)cur, (unsigned long long)pos);
        else if (cur >= limit)
            hr = CORRUPT("the chain of %s points at %s %lu, beyond the %llu the %s holds", what,
                         mini ? "mini sector" : "sector", (unsigned long)cur,
                         (unsigned long long)limit, mini ? "mini stream" : "file");
        else if (pos >= limit)
            hr = CORRUPT("the chain of %s is longer than the file: it loops", what);
        if (hr == S_OK)
            hr = map_append(out, cur);
        if (hr == S_OK && (!want_known || pos + 1 < want))
            hr = mini ? minifat_next(s, cur, &cur) : fat_next(s, cur, &cur);
    }
    if (hr != S_OK)
        fm_cfb_map_clear(out);
    return hr;
}

HRESULT fm_cfb_source_map_ministream(fm_cfb_source *s, uint32_t start, uint64_t size)
{
    if (s->ministream_mapped)
        return S_OK;
    uint64_t want = (size + s->ss - 1) / s->ss;
    if (want > UINT32_MAX)
        return CORRUPT("the mini stream claims %llu bytes", (unsigned long long)size);
    HRESULT hr = S_OK;
    if (want > 0)
        hr = fm_cfb_source_map(s, false, start, (uint32_t)want, true, "the mini stream",
                            &s->ministream);
    if (hr == S_OK)
        s->ministream_mapped = true;
    return hr;
}

HRESULT fm_cfb_source_read(fm_cfb_source *s, const fm_cfb_map *m, bool mini, uint64_t off, void *buf,
                        size_t n)
{
    uint32_t unit = mini ? CFB_MINI_SECTOR : s->ss;
    unsigned char *o = buf;
    while (n > 0) {
        uint64_t pos = off / unit;
        uint32_t in = (uint32_t)(off % unit);
        if (pos >= m->len)
            return CORRUPT("a read at %llu runs past the end of its sector chain",
                           (unsigned long long)off);
        uint32_t sect = 0, contig = 0;
        fm_cfb_map_find(m, (uint32_t)pos, &sect, &contig);
        uint64_t avail = (uint64_t)contig * unit - in;
        size_t take = n < avail ? n : (size_t)avail;
        HRESULT hr;
        if (mini) {
            hr = fm_cfb_source_read(s, &s->ministream, false, (uint64_t)sect * CFB_MINI_SECTOR + in,
                                 o, take);
        } else {
            size_t got = 0;
            uint64_t at = ((uint64_t)sect + 1) * s->ss + in;
            hr = fm_cfb_backing_read(&s->back, at, o, take, &got);
            if (hr == S_OK && got < take)
                hr = CORRUPT("the file ends at byte %llu, inside sector %lu",
                             (unsigned long long)(at + got), (unsigned long)sect);
        }
        if (hr != S_OK)
            return hr;
        o += take;
        off += take;
        n -= take;
    }
    return S_OK;
}

/* ---- header and DIFAT ------------------------------------------------------------------ */

static HRESULT check_header(fm_cfb_source *s, const unsigned char *h)
{
    if (memcmp(h, SIGNATURE, sizeof SIGNATURE) != 0)
        return fm_error_set(STG_E_FILEALREADYEXISTS,
                            "compound file: not a compound file (no D0 CF 11 E0 A1 B1 1A E1 "
                            "signature at byte 0)");
    s->version = fm_cfb_le16(h + 26);
    uint16_t shift = fm_cfb_le16(h + 30);
    if (s->version != 3 && s->version != 4)
        return fm_error_set(STG_E_INVALIDHEADER, "compound file: major version %u (3 or 4 "
                            "expected)", s->version);
    if (fm_cfb_le16(h + 28) != 0xFFFE)
        return fm_error_set(STG_E_INVALIDHEADER, "compound file: byte order mark 0x%04X "
                            "(0xFFFE expected)", fm_cfb_le16(h + 28));
    if ((s->version == 3 && shift != 9) || (s->version == 4 && shift != 12))
        return fm_error_set(STG_E_INVALIDHEADER, "compound file: sector shift %u for a "
                            "version %u file", shift, s->version);
    if (fm_cfb_le16(h + 32) != 6)
        return fm_error_set(STG_E_INVALIDHEADER, "compound file: mini sector shift %u (6 "
                            "expected)", fm_cfb_le16(h + 32));
    if (fm_cfb_le32(h + 56) != CFB_MINI_CUTOFF)
        return fm_error_set(STG_E_INVALIDHEADER, "compound file: mini stream cutoff %lu "
                            "(4096 expected)", (unsigned long)fm_cfb_le32(h + 56));
    s->ss = 1u << shift;
    memcpy(&s->clsid, h + 8, sizeof s->clsid);
    s->nfat = fm_cfb_le32(h + 44);
    s->dir_start = fm_cfb_le32(h + 48);
    s->txsig = fm_cfb_le32(h + 52);
    s->minifat_start = fm_cfb_le32(h + 60);
    s->nminifat = fm_cfb_le32(h + 64);
    return S_OK;
}

static HRESULT load_difat(fm_cfb_source *s, const unsigned char *h)
{
    if (s->nfat == 0)
        return CORRUPT("the header lists no FAT sector");
    if (s->nfat > s->nsect)
        return CORRUPT("the header lists %lu FAT sectors, but the file has %lu sectors",
                       (unsigned long)s->nfat, (unsigned long)s->nsect);
    if ((s->difat = fm_malloc((size_t)s->nfat * 4)) == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the DIFAT");
    uint32_t n = 0;
    for (; n < s->nfat && n < CFB_DIFAT_IN_HEADER; n++)
        s->difat[n] = fm_cfb_le32(h + 76 + 4 * n);
    uint32_t cur = fm_cfb_le32(h + 68);
    uint32_t per = s->ss / 4 - 1;
    unsigned char *buf = n < s->nfat ? fm_malloc(s->ss) : NULL;
    HRESULT hr = n < s->nfat && buf == NULL
                     ? fm_error_set(E_OUTOFMEMORY, "compound file: out of memory (DIFAT)")
                     : S_OK;
    for (uint32_t steps = 0; hr == S_OK && n < s->nfat; steps++) {
        if (cur >= s->nsect || steps >= s->nsect)
            hr = CORRUPT("the DIFAT chain ends after %lu sectors with %lu of %lu FAT sectors "
                         "found", (unsigned long)steps, (unsigned long)n,
                         (unsigned long)s->nfat);
        if (hr == S_OK)
            hr = read_sector(s, cur, buf);
        for (uint32_t i = 0; hr == S_OK && i < per && n < s->nfat; i++)
            s->difat[n++] = fm_cfb_le32(buf + 4 * i);
        if (hr == S_OK)
            cur = fm_cfb_le32(buf + 4 * per);
    }
    fm_free(buf);
    for (uint32_t i = 0; hr == S_OK && i < s->nfat; i++) {
        if (s->difat[i] >= s->nsect)
            hr = CORRUPT("FAT sector %lu is listed at sector %lu, beyond the file's %lu",
                         (unsigned long)i, (unsigned long)s->difat[i], (unsigned long)s->nsect);
    }
    return hr;
}

HRESULT fm_cfb_source_open(fm_cfb_source *s)
{
    unsigned char h[CFB_HEADER_BYTES];
    size_t got = 0;
    for (unsigned i = 0; i < CFB_CACHE_SLOTS; i++)
        s->cache[i].sect = CFB_FREESECT;
    HRESULT hr = fm_cfb_backing_size(&s->back, &s->file_size);
    if (hr == S_OK)
        hr = fm_cfb_backing_read(&s->back, 0, h, sizeof h, &got);
    if (hr == S_OK && got < 8)
        hr = fm_error_set(STG_E_FILEALREADYEXISTS, "compound file: not a compound file (%zu "
                          "bytes)", got);
    if (hr == S_OK && got < sizeof h && memcmp(h, SIGNATURE, sizeof SIGNATURE) == 0)
        hr = fm_error_set(STG_E_INVALIDHEADER, "compound file: the file ends at byte %zu, "
                          "inside the 512-byte header", got);
    if (hr == S_OK)
        hr = check_header(s, h);
    if (hr == S_OK) {
        uint64_t n = s->file_size > s->ss ? (s->file_size - s->ss + s->ss - 1) / s->ss : 0;
        s->nsect = n > (uint64_t)CFB_MAXREGSECT + 1 ? CFB_MAXREGSECT + 1 : (uint32_t)n;
        hr = load_difat(s, h);
    }
    return hr;
}

void fm_cfb_source_clear(fm_cfb_source *s)
{
    fm_free(s->difat);
    s->difat = NULL;
    s->nfat = 0;
    fm_cfb_map_clear(&s->minifat);
    fm_cfb_map_clear(&s->ministream);
    s->minifat_mapped = s->ministream_mapped = false;
    for (unsigned i = 0; i < CFB_CACHE_SLOTS; i++) {
        fm_free(s->cache[i].buf);
        s->cache[i].buf = NULL;
        s->cache[i].sect = CFB_FREESECT;
        s->cache[i].used = 0;
    }
}
