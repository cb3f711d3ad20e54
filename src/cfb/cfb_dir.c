/*
 * cfb/cfb_dir.c - directory entries ([MS-CFB] 2.6) as a tree of nodes.
 *
 * Reading walks each storage's red-black tree of siblings from its child
 * pointer with an explicit stack and a visited bitmap, so a loop or a
 * shared entry in a damaged file is an error, never a hang or a double
 * free; colours are not checked (a reader needs only the links). Each
 * storage's children are then kept sorted by the name order of 2.6.4, the
 * order every lookup uses.
 */
#include <stdlib.h>
#include <string.h>
#include <unicase.h>

#include "cfb/cfb.h"
#include "core/alloc.h"
#include "core/error.h"

#define CORRUPT(...) fm_error_set(STG_E_DOCFILECORRUPT, "compound file: " __VA_ARGS__)

/* ---- names ------------------------------------------------------------------------ */

static WCHAR upper_unit(WCHAR c)
{
    if (c >= 0xD800 && c <= 0xDFFF)
        return c; /* surrogates are never upper-cased (2.6.4) */
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? (WCHAR)(c - 32) : c;
    ucs4_t u = uc_toupper(c);
    return u <= 0xFFFF ? (WCHAR)u : c;
}

int fm_cfb_name_cmp(const WCHAR *a, size_t na, const WCHAR *b, size_t nb)
{
    if (na != nb)
        return na < nb ? -1 : 1;
    for (size_t i = 0; i < na; i++) {
        WCHAR ua = upper_unit(a[i]), ub = upper_unit(b[i]);
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    return 0;
}

HRESULT fm_cfb_name_check(const OLECHAR *name, size_t *n)
{
    if (name == NULL)
        return fm_error_set(STG_E_INVALIDPOINTER, "compound file: the element name is NULL");
    size_t len = 0;
    while (len <= CFB_NAME_MAX && name[len] != 0) {
        WCHAR c = name[len];
        if (c == '/' || c == '\\' || c == ':' || c == '!')
            return fm_error_set(STG_E_INVALIDNAME, "compound file: an element name may not "
                                "hold '%c'", (char)c);
        len++;
    }
    if (len == 0)
        return fm_error_set(STG_E_INVALIDNAME, "compound file: the element name is empty");
    if (len > CFB_NAME_MAX)
        return fm_error_set(STG_E_INVALIDNAME, "compound file: an element name is at most 31 "
                            "characters");
    *n = len;
    return S_OK;
}

/* ---- nodes ------------------------------------------------------------------------ */

fm_cfb_node *fm_cfb_node_new(const WCHAR *name, size_t nlen, uint8_t type)
{
    fm_cfb_node *n = fm_calloc(1, sizeof *n);
    if (n == NULL)
        return NULL;
    memcpy(n->name, name, nlen * sizeof *name);
    n->nlen = (uint16_t)nlen;
    n->type = type;
    n->data = CFB_DATA_NONE;
    return n;
}

fm_cfb_node *fm_cfb_node_find(const fm_cfb_node *dir, const WCHAR *name, size_t nlen, size_t *pos)
{
    size_t lo = 0, hi = dir->nkids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fm_cfb_node *k = dir->kids[mid];
        int c = fm_cfb_name_cmp(k->name, k->nlen, name, nlen);
        if (c == 0) {
            if (pos != NULL)
                *pos = mid;
            return dir->kids[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (pos != NULL)
        *pos = lo;
    return NULL;
}

static HRESULT reserve_kids(fm_cfb_node *dir, size_t more)
{
    if (dir->nkids + more <= dir->capkids)
        return S_OK;
    size_t cap = dir->capkids ? dir->capkids * 2 : 8;
    while (cap < dir->nkids + more)
        cap *= 2;
    fm_cfb_node **k = fm_realloc(dir->kids, cap * sizeof *k);
    if (k == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory adding an element");
    dir->kids = k;
    dir->capkids = cap;
    return S_OK;
}

HRESULT fm_cfb_node_insert(fm_cfb_node *dir, fm_cfb_node *kid, size_t pos)
{
    HRESULT hr = reserve_kids(dir, 1);
    if (hr != S_OK)
        return hr;
    memmove(dir->kids + pos + 1, dir->kids + pos, (dir->nkids - pos) * sizeof *dir->kids);
    dir->kids[pos] = kid;
    dir->nkids++;
    kid->parent = dir;
    return S_OK;
}

void fm_cfb_node_drop_data(fm_cfb_node *n)
{
    fm_cfb_map_clear(&n->map);
    n->mapped = false;
    fm_free(n->ext);
    n->ext = NULL;
    n->next = n->capext = 0;
}

static void node_free(fm_cfb_node *n)
{
    fm_cfb_node_drop_data(n);
    fm_free(n->kids);
    fm_free(n);
}

/* Detaches the subtree under n (n itself included) without touching n's
 * parent's array. Iterative: a depth-first walk over the kids arrays. */
static void detach_tree(fm_cfb_node *top)
{
    fm_cfb_node *n = top;
    n->parent = NULL;
    while (n != NULL) {
        if (n->nkids > 0) {
            fm_cfb_node *k = n->kids[--n->nkids];
            k->parent = n; /* the way back up */
            n = k;
            continue;
        }
        fm_cfb_node *up = n == top ? NULL : n->parent;
        n->detached = true;
        n->parent = NULL;
        fm_free(n->kids);
        n->kids = NULL;
        n->capkids = 0;
        if (n->refs == 0)
            node_free(n);
        n = up;
    }
}

void fm_cfb_node_detach(fm_cfb_node *n)
{
    fm_cfb_node *dir = n->parent;
    if (dir != NULL) {
        size_t pos = 0;
        if (fm_cfb_node_find(dir, n->name, n->nlen, &pos) == n) {
            memmove(dir->kids + pos, dir->kids + pos + 1,
                    (dir->nkids - pos - 1) * sizeof *dir->kids);
            dir->nkids--;
        }
    }
    detach_tree(n);
}

void fm_cfb_node_unref(fm_cfb_node *n)
{
    if (n->refs > 0)
        n->refs--;
    if (n->refs == 0 && n->detached)
        node_free(n);
}

/* ---- reading the directory ------------------------------------------------------------ */

typedef struct dir_reader {
    fm_cfb_source *s;
    unsigned char *buf; /* the whole directory stream */
    uint32_t n;         /* entries */
    unsigned char *seen;
    uint32_t *ids;      /* the sibling walk's stack */
    size_t nids, capids;
} dir_reader;

typedef struct dir_work {
    fm_cfb_node *dir;
    uint32_t child;
    uint32_t depth;
} dir_work;

static HRESULT push_id(dir_reader *r, uint32_t id)
{
    if (id == CFB_NOSTREAM)
        return S_OK;
    if (r->nids == r->capids) {
        size_t cap = r->capids ? r->capids * 2 : 32;
        uint32_t *p = fm_realloc(r->ids, cap * sizeof *p);
        if (p == NULL)
            return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the "
                                               "directory");
        r->ids = p;
        r->capids = cap;
    }
    r->ids[r->nids++] = id;
    return S_OK;
}

static HRESULT entry_name(const unsigned char *e, uint32_t id, WCHAR *name, size_t *nlen)
{
    uint16_t bytes = fm_cfb_le16(e + 64);
    if (bytes < 2 || bytes > 64 || (bytes & 1))
        return CORRUPT("directory entry %lu has a name length of %u bytes", (unsigned long)id,
                       bytes);
    size_t n = bytes / 2 - 1;
    for (size_t i = 0; i < n; i++) {
        name[i] = fm_cfb_le16(e + 2 * i);
        if (name[i] == 0)
            return CORRUPT("directory entry %lu has a NUL inside its name", (unsigned long)id);
    }
    name[n] = 0;
    *nlen = n;
    return S_OK;
}

/* A node from entry id (already known to be in range and unvisited). */
static HRESULT entry_node(dir_reader *r, uint32_t id, fm_cfb_node **out)
{
    const unsigned char *e = r->buf + (size_t)id * CFB_ENTRY_BYTES;
    uint8_t type = e[66];
    WCHAR name[CFB_NAME_MAX + 1];
    size_t nlen = 0;
    if (type == CFB_TYPE_UNUSED)
        return CORRUPT("the directory links to unused entry %lu", (unsigned long)id);
    if (type != CFB_TYPE_STORAGE && type != CFB_TYPE_STREAM && !(type == CFB_TYPE_ROOT && id == 0))
        return CORRUPT("directory entry %lu has object type %u", (unsigned long)id, type);
    HRESULT hr = entry_name(e, id, name, &nlen);
    if (hr != S_OK)
        return hr;
    fm_cfb_node *n = fm_cfb_node_new(name, nlen, type);
    if (n == NULL)
        return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the directory");
    memcpy(&n->clsid, e + 80, sizeof n->clsid);
    n->state_bits = fm_cfb_le32(e + 96);
    n->ctime = fm_cfb_le64(e + 100);
    n->mtime = fm_cfb_le64(e + 108);
    n->start = fm_cfb_le32(e + 116);
    n->size = r->s->version == 3 ? fm_cfb_le32(e + 120) : fm_cfb_le64(e + 120);
    n->child = fm_cfb_le32(e + 76);
    if (type == CFB_TYPE_STREAM) {
        n->data = CFB_DATA_SOURCE;
        n->mini = n->size < CFB_MINI_CUTOFF;
    }
    *out = n;
    return S_OK;
}

static int kid_cmp(const void *a, const void *b)
{
    const fm_cfb_node *x = *(fm_cfb_node *const *)a, *y = *(fm_cfb_node *const *)b;
    return fm_cfb_name_cmp(x->name, x->nlen, y->name, y->nlen);
}

/* Reads the children of w.dir: its sibling tree, in any order, then sorted. */
static HRESULT read_children(dir_reader *r, const dir_work *w, dir_work **work, size_t *nwork,
                             size_t *capwork)
{
    r->nids = 0;
    HRESULT hr = push_id(r, w->child);
    while (hr == S_OK && r->nids > 0) {
        uint32_t id = r->ids[--r->nids];
        if (id >= r->n)
            return CORRUPT("the directory links to entry %lu, beyond its %lu entries",
                           (unsigned long)id, (unsigned long)r->n);
        if (r->seen[id / 8] & (1u << (id % 8)))
            return CORRUPT("directory entry %lu is linked twice (a loop)", (unsigned long)id);
        r->seen[id / 8] |= (unsigned char)(1u << (id % 8));
        fm_cfb_node *n = NULL;
        hr = entry_node(r, id, &n);
        if (hr == S_OK && (hr = reserve_kids(w->dir, 1)) != S_OK)
            fm_free(n);
        if (hr != S_OK)
            return hr;
        w->dir->kids[w->dir->nkids++] = n;
        n->parent = w->dir;
        const unsigned char *e = r->buf + (size_t)id * CFB_ENTRY_BYTES;
        hr = push_id(r, fm_cfb_le32(e + 68));
        if (hr == S_OK)
            hr = push_id(r, fm_cfb_le32(e + 72));
        if (hr == S_OK && n->type == CFB_TYPE_STORAGE && n->child != CFB_NOSTREAM) {
            if (w->depth + 1 > CFB_MAX_DEPTH)
                return CORRUPT("storages nest deeper than %u levels", CFB_MAX_DEPTH);
            if (*nwork == *capwork) {
                size_t cap = *capwork ? *capwork * 2 : 16;
                dir_work *p = fm_realloc(*work, cap * sizeof *p);
                if (p == NULL)
                    return fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading "
                                                       "the directory");
                *work = p;
                *capwork = cap;
            }
            (*work)[(*nwork)++] = (dir_work){ n, n->child, w->depth + 1 };
        }
    }
    if (hr != S_OK)
        return hr;
    qsort(w->dir->kids, w->dir->nkids, sizeof *w->dir->kids, kid_cmp);
    for (size_t i = 1; i < w->dir->nkids; i++) {
        if (kid_cmp(&w->dir->kids[i - 1], &w->dir->kids[i]) == 0)
            return CORRUPT("a storage holds two elements with the same name");
    }
    return S_OK;
}

static HRESULT read_tree(dir_reader *r, fm_cfb_node *root)
{
    dir_work *work = NULL;
    size_t nwork = 0, capwork = 0;
    HRESULT hr = S_OK;
    dir_work w = { root, root->child, 1 };
    for (;;) {
        hr = read_children(r, &w, &work, &nwork, &capwork);
        if (hr != S_OK || nwork == 0)
            break;
        w = work[--nwork];
    }
    fm_free(work);
    return hr;
}

static HRESULT read_directory(fm_cfb_source *s, dir_reader *r)
{
    fm_cfb_map m = { 0 };
    HRESULT hr = fm_cfb_source_map(s, false, s->dir_start, 0, false, "the directory", &m);
    if (hr == S_OK && m.len == 0)
        hr = CORRUPT("the directory is empty");
    uint64_t bytes = (uint64_t)m.len * s->ss;
    if (hr == S_OK && (r->buf = fm_malloc((size_t)bytes)) == NULL)
        hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the directory");
    if (hr == S_OK)
        hr = fm_cfb_source_read(s, &m, false, 0, r->buf, (size_t)bytes);
    fm_cfb_map_clear(&m);
    r->n = (uint32_t)(bytes / CFB_ENTRY_BYTES);
    return hr;
}

HRESULT fm_cfb_dir_load(fm_cfb_source *s, fm_cfb_node **root)
{
    dir_reader r = { .s = s };
    fm_cfb_node *top = NULL;
    *root = NULL;
    HRESULT hr = read_directory(s, &r);
    if (hr == S_OK && r.buf[66] != CFB_TYPE_ROOT)
        hr = CORRUPT("directory entry 0 is not the root storage (object type %u)", r.buf[66]);
    if (hr == S_OK && (r.seen = fm_calloc(r.n / 8 + 1, 1)) == NULL)
        hr = fm_error_set(E_OUTOFMEMORY, "compound file: out of memory reading the directory");
    if (hr == S_OK) {
        r.seen[0] = 1;
        hr = entry_node(&r, 0, &top);
    }
    if (hr == S_OK) {
        s->ministream_start = top->start;
        s->ministream_size = top->size;
        top->size = 0;
        top->start = CFB_ENDOFCHAIN;
        top->data = CFB_DATA_NONE;
        hr = read_tree(&r, top);
    }
    fm_free(r.buf);
    fm_free(r.seen);
    fm_free(r.ids);
    if (hr != S_OK && top != NULL) {
        detach_tree(top);
        top = NULL;
    }
    *root = top;
    return hr;
}
