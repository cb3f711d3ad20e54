/*
 * cfb/cfb.h - the compound-file engine under IStorage ([MS-CFB]).
 *
 * A compound file is read where it lies and written whole. The pieces:
 *
 *   - the *backing* (cfb_backing.c): where the bytes are, a file
 *     descriptor, a caller's IStream (HrIStorageFromStream) or ILockBytes;
 *   - the *source* (cfb_source.c): the last committed file, read in place:
 *     header, DIFAT, the FAT and mini FAT read a sector at a time through a
 *     small cache, sector chains turned into runs of contiguous sectors.
 *     Nothing proportional to the file is loaded except the DIFAT (4 bytes
 *     per FAT sector) and each opened stream's runs;
 *   - the *tree* (cfb_dir.c): every directory entry as a node; a storage's
 *     children in an array sorted by [MS-CFB]'s name order (length, then
 *     upper-cased code units), which is also how names are looked up, so
 *     lookups ignore case as Windows' do;
 *   - *scratch* (cfb_scratch.c): new or changed stream contents, in an
 *     unlinked temporary file, as extents that grow by doubling;
 *   - *commit* (cfb_commit.c): the tree laid out afresh (streams under 4096
 *     bytes in the mini stream, every chain contiguous, a balanced red-black
 *     tree per storage) and written sequentially to a new file that then
 *     replaces the old one by rename, so the last committed file survives
 *     any failure. After a commit the new file is the source.
 *
 * The file object (cfb_file.c) is shared by every IStorage, IStream and
 * IEnumSTATSTG of one compound file and holds one mutex that every method
 * takes; methods that reach other storages (CopyTo, MoveElementTo) go
 * through those storages' interfaces without holding it.
 *
 * Nodes are reference counted by the objects open on them. A node leaves
 * the tree (DestroyElement, Revert) by being *detached*: objects still on
 * it answer STG_E_REVERTED and the node is freed when the last one goes.
 */
#ifndef FREEMAPI_CFB_CFB_H
#define FREEMAPI_CFB_CFB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objidl.h"

#define CFB_HEADER_BYTES 512u
#define CFB_DIFAT_IN_HEADER 109u
#define CFB_ENTRY_BYTES 128u
#define CFB_MINI_SECTOR 64u
#define CFB_MINI_CUTOFF 4096u
#define CFB_NAME_MAX 31u /* UTF-16 units, without the terminating NUL */

#define CFB_MAXREGSECT 0xFFFFFFFAu
#define CFB_DIFSECT 0xFFFFFFFCu
#define CFB_FATSECT 0xFFFFFFFDu
#define CFB_ENDOFCHAIN 0xFFFFFFFEu
#define CFB_FREESECT 0xFFFFFFFFu
#define CFB_NOSTREAM 0xFFFFFFFFu

#define CFB_TYPE_UNUSED 0
#define CFB_TYPE_STORAGE 1
#define CFB_TYPE_STREAM 2
#define CFB_TYPE_ROOT 5

/* Deepest nesting of storages the reader accepts. */
#define CFB_MAX_DEPTH 1024u
/* Sectors of FAT and mini FAT kept by the source's cache. */
#define CFB_CACHE_SLOTS 8u

/* ---- little-endian fields ----------------------------------------------------- */
static inline uint16_t fm_cfb_le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t fm_cfb_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
static inline uint64_t fm_cfb_le64(const unsigned char *p)
{
    return (uint64_t)fm_cfb_le32(p) | ((uint64_t)fm_cfb_le32(p + 4) << 32);
}
static inline void fm_cfb_put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static inline void fm_cfb_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static inline void fm_cfb_put64(unsigned char *p, uint64_t v)
{
    fm_cfb_put32(p, (uint32_t)v);
    fm_cfb_put32(p + 4, (uint32_t)(v >> 32));
}

/* ---- backing ------------------------------------------------------------------ */
typedef enum { CFB_BACK_NONE, CFB_BACK_FD, CFB_BACK_STREAM, CFB_BACK_LOCKBYTES } fm_cfb_back_kind;

typedef struct fm_cfb_backing {
    fm_cfb_back_kind kind;
    int fd;
    IStream *stm;     /* a reference is held */
    ILockBytes *lkb;  /* a reference is held */
    uint64_t base;    /* where the compound file starts (STGSTRM_CURRENT) */
} fm_cfb_backing;

/* Reads up to n bytes at off; *got < n only at the end of the data. */
HRESULT fm_cfb_backing_read(fm_cfb_backing *b, uint64_t off, void *buf, size_t n, size_t *got);
HRESULT fm_cfb_backing_write(fm_cfb_backing *b, uint64_t off, const void *buf, size_t n);
HRESULT fm_cfb_backing_size(fm_cfb_backing *b, uint64_t *out);
HRESULT fm_cfb_backing_set_size(fm_cfb_backing *b, uint64_t size);
HRESULT fm_cfb_backing_flush(fm_cfb_backing *b);
/* Closes the descriptor or releases the interface; b becomes CFB_BACK_NONE. */
void fm_cfb_backing_clear(fm_cfb_backing *b);
/* mkstemp with FD_CLOEXEC (0600, O_EXCL). */
int fm_cfb_mkstemp(char *tmpl);
/* An unlinked temporary file in $TMPDIR (or /tmp), 0600. */
HRESULT fm_cfb_tmpfile(int *fd_out);
/* The HRESULT for an errno of a file operation (ENOSPC: STG_E_MEDIUMFULL ...). */
HRESULT fm_cfb_errno_hr(int err, HRESULT fallback);

/* ---- sector chains as runs ------------------------------------------------- */
typedef struct fm_cfb_run {
    uint32_t first; /* position in the chain of the run's first sector */
    uint32_t sect;  /* its sector number */
    uint32_t count;
} fm_cfb_run;

typedef struct fm_cfb_map {
    fm_cfb_run *runs; /* fm_malloc'd */
    uint32_t nruns, cap;
    uint32_t len;  /* sectors in the chain */
} fm_cfb_map;

void fm_cfb_map_clear(fm_cfb_map *m);
/* The sector at chain position pos (< m->len) and how many follow it
 * contiguously (itself included). */
void fm_cfb_map_find(const fm_cfb_map *m, uint32_t pos, uint32_t *sect, uint32_t *contiguous);

/* ---- the committed file ------------------------------------------------------- */
typedef struct fm_cfb_cache_slot {
    uint32_t sect;  /* CFB_FREESECT: empty */
    uint64_t used;
    unsigned char *buf;
} fm_cfb_cache_slot;

typedef struct fm_cfb_source {
    fm_cfb_backing back;
    uint64_t file_size;
    uint16_t version;   /* 3 or 4 */
    uint32_t ss;        /* sector size: 512 or 4096 */
    uint32_t nsect;     /* sectors that start before the end of the file */
    uint32_t *difat;    /* FAT sector numbers, nfat of them */
    uint32_t nfat;
    uint32_t dir_start;
    uint32_t minifat_start, nminifat;
    uint32_t txsig;
    CLSID clsid;
    bool minifat_mapped, ministream_mapped;
    fm_cfb_map minifat;    /* the mini FAT's own chain */
    fm_cfb_map ministream; /* the root entry's chain */
    uint32_t ministream_start;
    uint64_t ministream_size;
    fm_cfb_cache_slot cache[CFB_CACHE_SLOTS];
    uint64_t tick;
} fm_cfb_source;

/* Reads and checks the header and DIFAT of the file in s->back. Errors:
 * STG_E_FILEALREADYEXISTS (not a compound file, as Windows reports it),
 * STG_E_INVALIDHEADER, STG_E_DOCFILECORRUPT, read errors. */
HRESULT fm_cfb_source_open(fm_cfb_source *s);
/* Frees what s holds besides its backing. */
void fm_cfb_source_clear(fm_cfb_source *s);
/* The chain starting at start, of exactly want sectors (want_known) or up
 * to its ENDOFCHAIN; mini: in the mini FAT. `what` names it in errors. */
HRESULT fm_cfb_source_map(fm_cfb_source *s, bool mini, uint32_t start, uint32_t want, bool want_known,
                       const char *what, fm_cfb_map *out);
/* Reads n bytes at off of the stream whose chain is m (mini: in the mini
 * stream). The range must lie within the chain. */
HRESULT fm_cfb_source_read(fm_cfb_source *s, const fm_cfb_map *m, bool mini, uint64_t off, void *buf,
                        size_t n);
/* Maps the mini stream (root entry start and size) before mini reads. */
HRESULT fm_cfb_source_map_ministream(fm_cfb_source *s, uint32_t start, uint64_t size);

/* ---- the tree ------------------------------------------------------------------- */
typedef enum { CFB_DATA_NONE, CFB_DATA_SOURCE, CFB_DATA_SCRATCH } fm_cfb_data_kind;

typedef struct fm_cfb_extent {
    uint64_t off; /* in the scratch file */
    uint64_t len; /* bytes of the stream it holds */
    uint64_t cap; /* bytes reserved */
} fm_cfb_extent;

typedef struct fm_cfb_node fm_cfb_node;
struct fm_cfb_node {
    WCHAR name[CFB_NAME_MAX + 1];
    uint16_t nlen;
    uint8_t type; /* CFB_TYPE_STORAGE, _STREAM or _ROOT */
    CLSID clsid;
    uint32_t state_bits;
    uint64_t ctime, mtime; /* FILETIME as 64 bits */
    uint64_t size;         /* streams */
    fm_cfb_data_kind data;
    /* CFB_DATA_SOURCE: the chain in the committed file */
    uint32_t start;
    bool mini, mapped;
    fm_cfb_map map;
    /* CFB_DATA_SCRATCH */
    fm_cfb_extent *ext;
    size_t next, capext;
    /* the tree */
    fm_cfb_node *parent;
    fm_cfb_node **kids;
    size_t nkids, capkids;
    unsigned refs;  /* objects open on the node */
    bool detached;
    /* commit's working fields */
    uint32_t id, left, right, child;
    uint8_t red;
    uint32_t out_start;
    bool out_mini;
};

/* Orders names as [MS-CFB] 2.6.4 does: shorter first, then code unit by
 * code unit after simple upper-casing. */
int fm_cfb_name_cmp(const WCHAR *a, size_t na, const WCHAR *b, size_t nb);
/* Checks a caller's element name: 1..31 units, none of / \ : !. Puts its
 * length in *n. STG_E_INVALIDNAME, STG_E_INVALIDPOINTER otherwise. */
HRESULT fm_cfb_name_check(const OLECHAR *name, size_t *n);

fm_cfb_node *fm_cfb_node_new(const WCHAR *name, size_t nlen, uint8_t type);
/* The child called name, or NULL; *pos gets where it is or would go. */
fm_cfb_node *fm_cfb_node_find(const fm_cfb_node *dir, const WCHAR *name, size_t nlen, size_t *pos);
/* Inserts kid into dir at pos (from fm_cfb_node_find). */
HRESULT fm_cfb_node_insert(fm_cfb_node *dir, fm_cfb_node *kid, size_t pos);
/* Takes n out of the tree with everything under it: freed now when no
 * object is open on it, else when the last one is released. */
void fm_cfb_node_detach(fm_cfb_node *n);
/* Releases an object's hold on n (frees a detached node at zero). */
void fm_cfb_node_unref(fm_cfb_node *n);
/* Frees a stream's data description (not the scratch bytes). */
void fm_cfb_node_drop_data(fm_cfb_node *n);

/* Builds the tree of the committed file. */
HRESULT fm_cfb_dir_load(fm_cfb_source *s, fm_cfb_node **root);

/* ---- the file ------------------------------------------------------------------- */
typedef struct fm_cfb_file {
    _Atomic ULONG refs; /* objects of this file */
    pthread_mutex_t lock;
    fm_cfb_source src;
    bool have_src;
    fm_cfb_backing target;  /* where commits go when it is not the file at path */
    int scratch_fd;     /* -1 until first needed */
    uint64_t scratch_end;
    fm_cfb_node *root;
    DWORD mode;         /* the root's grfMode */
    bool writable, transacted, dirty;
    bool delete_on_release;
    char *path;         /* UTF-8; NULL when the backing is not a file */
    WCHAR *wpath;       /* the name Stat reports */
    uint16_t out_version; /* version written at the next commit */
    uint32_t src_next_mini_start; /* the mini stream of the file just written */
    uint64_t src_next_mini_size;
    HRESULT last_commit;  /* what an implicit commit at release gave */
} fm_cfb_file;

void fm_cfb_file_addref(fm_cfb_file *f);
void fm_cfb_file_release(fm_cfb_file *f);
/* Commits the tree to the backing (f->lock held). */
HRESULT fm_cfb_file_commit(fm_cfb_file *f);
/* Drops every change since the last commit (f->lock held). */
HRESULT fm_cfb_file_revert(fm_cfb_file *f);

/* Stream contents, whatever holds them (f->lock held). */
HRESULT fm_cfb_data_read(fm_cfb_file *f, fm_cfb_node *n, uint64_t off, void *buf, size_t len);
HRESULT fm_cfb_data_write(fm_cfb_file *f, fm_cfb_node *n, uint64_t off, const void *buf, size_t len);
HRESULT fm_cfb_data_set_size(fm_cfb_file *f, fm_cfb_node *n, uint64_t size);
/* Makes sure a source stream's chain is mapped (checked), for OpenStream. */
HRESULT fm_cfb_data_prepare(fm_cfb_file *f, fm_cfb_node *n);

/* Writes the tree as a new compound file to fd (from offset 0). */
HRESULT fm_cfb_commit_write(fm_cfb_file *f, int fd, uint64_t *size_out);
/* After a successful write: the nodes' data now lives in the new file. */
void fm_cfb_commit_adopt(fm_cfb_file *f);

/* ---- objects ---------------------------------------------------------------------- */
typedef struct fm_cfb_storage {
    IStorage iface;
    _Atomic ULONG refs;
    fm_cfb_file *f;
    fm_cfb_node *node;
    DWORD mode;
    bool is_root;
} fm_cfb_storage;

typedef struct fm_cfb_stream {
    IStream iface;
    _Atomic ULONG refs;
    fm_cfb_file *f;
    fm_cfb_node *node;
    DWORD mode;
    uint64_t pos;
} fm_cfb_stream;

/* IStorage::CopyTo and MoveElementTo (storage_copy.c). */
STDMETHODIMP fm_cfb_storage_CopyTo(IStorage *This, DWORD ciidExclude, const IID *rgiidExclude,
                                   SNB snbExclude, IStorage *pstgDest);
STDMETHODIMP fm_cfb_storage_MoveElementTo(IStorage *This, const OLECHAR *pwcsName,
                                          IStorage *pstgDest, const OLECHAR *pwcsNewName,
                                          DWORD grfFlags);
/* True when stg is one of ours (then it is a fm_cfb_storage). */
bool fm_cfb_is_storage(const IStorage *stg);

/* A new IStorage on node (holding a reference on f and on node). */
HRESULT fm_cfb_storage_new(fm_cfb_file *f, fm_cfb_node *node, DWORD mode, bool is_root, IStorage **out);
HRESULT fm_cfb_stream_new(fm_cfb_file *f, fm_cfb_node *node, DWORD mode, uint64_t pos, IStream **out);
/* An enumerator over a snapshot of dir's children (f->lock held). */
HRESULT fm_cfb_enum_new(fm_cfb_file *f, const fm_cfb_node *dir, IEnumSTATSTG **out);
/* Fills st for node n (name with CoTaskMemAlloc unless STATFLAG_NONAME). */
HRESULT fm_cfb_stat_fill(const fm_cfb_node *n, DWORD mode, DWORD flag, const WCHAR *root_name,
                      STATSTG *st);

/* Opens or creates the file object over a backing that already holds (or
 * will hold, create) a compound file. */
HRESULT fm_cfb_file_open(fm_cfb_backing *back, DWORD mode, bool create, const char *path,
                      SNB exclude, IStorage **out);

/* Access checks on grfMode values. */
bool fm_cfb_mode_can_write(DWORD mode);
HRESULT fm_cfb_mode_check(DWORD mode, const char *fn);

/* An IStream over a copy of n bytes of memory (writable: it may grow). */
HRESULT fm_cfb_memstream_new(const void *data, size_t n, bool writable, IStream **out);

/* Now as a FILETIME in 64 bits. */
uint64_t fm_cfb_now(void);

#endif /* FREEMAPI_CFB_CFB_H */
