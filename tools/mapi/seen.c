/*
 * tools/mapi/seen.c - the messages `mapi import` finds already in a folder:
 * a set of 16-byte keys (see cmd_import.c for what a key is made of).
 *
 * Open addressing with linear probing in a table kept at most half full,
 * doubled as it fills: 32 bytes of memory per message of the folders an
 * import writes into. A key of all zeros marks an empty slot; a real key
 * that happens to be zero is stored with its last bit set, which at worst
 * makes two keys of 2^-127 likelihood equal.
 *
 * Written here rather than taken from a library: the tool keeps GLib (whose
 * GHashTable would do) out of the commands that need no MIME (mime.c), and
 * the C library's hsearch keeps one global table of fixed size.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_seen {
    unsigned char (*slots)[CLI_SEEN_KEY];
    size_t cap, n;
};

cli_seen *cli_seen_new(void)
{
    return calloc(1, sizeof(cli_seen));
}

void cli_seen_free(cli_seen *s)
{
    if (s != NULL) {
        free(s->slots);
        free(s);
    }
}

static bool empty(const unsigned char *slot)
{
    static const unsigned char zero[CLI_SEEN_KEY];
    return memcmp(slot, zero, CLI_SEEN_KEY) == 0;
}

static size_t home(const unsigned char *key, size_t cap)
{
    size_t h;
    memcpy(&h, key, sizeof h); /* the key is a digest: its bytes are spread already */
    return h & (cap - 1);
}

/* The slot of key, or the empty one where it would go. */
static unsigned char *find(const cli_seen *s, const unsigned char *key)
{
    for (size_t i = home(key, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (empty(s->slots[i]) || memcmp(s->slots[i], key, CLI_SEEN_KEY) == 0)
            return s->slots[i];
    }
}

static void normalize(const unsigned char *key, unsigned char *out)
{
    memcpy(out, key, CLI_SEEN_KEY);
    if (empty(out))
        out[CLI_SEEN_KEY - 1] = 1;
}

bool cli_seen_has(const cli_seen *s, const unsigned char *key)
{
    if (s->n == 0)
        return false;
    unsigned char k[CLI_SEEN_KEY];
    normalize(key, k);
    return !empty(find(s, k));
}

static bool grow(cli_seen *s)
{
    size_t cap = s->cap ? 2 * s->cap : 1024;
    unsigned char(*old)[CLI_SEEN_KEY] = s->slots;
    size_t old_cap = s->cap;
    s->slots = calloc(cap, CLI_SEEN_KEY);
    if (s->slots == NULL) {
        s->slots = old;
        return false;
    }
    s->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (!empty(old[i]))
            memcpy(find(s, old[i]), old[i], CLI_SEEN_KEY);
    }
    free(old);
    return true;
}

bool cli_seen_add(cli_seen *s, const unsigned char *key)
{
    if (2 * (s->n + 1) > s->cap && !grow(s))
        return false;
    unsigned char k[CLI_SEEN_KEY];
    normalize(key, k);
    unsigned char *slot = find(s, k);
    if (empty(slot)) {
        memcpy(slot, k, CLI_SEEN_KEY);
        s->n++;
    }
    return true;
}
