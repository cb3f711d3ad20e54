/*
 * fuzz/fuzz_pst.c - libFuzzer harness of the PST reader: every input is
 * opened as a PST from memory and walked as the importer walks a file:
 * the node B-tree, each node's subnode tree, property contexts of folders,
 * messages and attachments (embedded messages followed), and every row of
 * every table. Nothing may crash, leak or allocate without bound; errors
 * are the expected outcome for most inputs.
 *
 *   build-fuzz/fuzz_pst -max_total_time=30 build-fuzz/corpus-fuzz_pst fuzz/corpus/pst
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapix.h"
#include "pst/ltp_read.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct walk {
    fm_pst_file *f;
    unsigned nodes;
} walk;

static void table(fm_pst_file *f, uint64_t bid_data, uint64_t bid_sub)
{
    fm_pst_subnodes subs;
    fm_pst_tc_r tc;
    if (fm_pst_subs_read(f, bid_sub, &subs) != S_OK)
        return;
    if (fm_pst_tc_open(f, bid_data, &subs, &tc) == S_OK) {
        for (uint32_t i = 0; i < tc.nrows && i < 1000; i++) {
            LPSPropValue v;
            ULONG n;
            uint32_t id;
            if (fm_pst_tc_row(&tc, i, &v, &n, &id) == S_OK)
                MAPIFreeBuffer(v);
        }
        fm_pst_tc_close(&tc);
    }
    fm_pst_subnodes_clear(&subs);
}

static void object(fm_pst_file *f, uint64_t bid_data, uint64_t bid_sub, unsigned depth)
{
    fm_pst_subnodes subs;
    fm_pst_pc_r pc;
    if (depth > 8 || fm_pst_subs_read(f, bid_sub, &subs) != S_OK)
        return;
    if (fm_pst_pc_read(f, bid_data, &subs, &pc) == S_OK) {
        for (unsigned i = 0; i < pc.nobj; i++) {
            const fm_pst_subnode *s = fm_pst_subs_find(&subs, pc.obj_nid[i]);
            if (s != NULL)
                object(f, s->bid_data, s->bid_sub, depth + 1);
        }
        fm_pst_pc_r_clear(&pc);
    }
    for (size_t i = 0; i < subs.n && i < 100; i++) {
        const fm_pst_subnode *s = &subs.v[i];
        if (s->nid == NID_RECIPIENT_TABLE || s->nid == NID_ATTACHMENT_TABLE)
            table(f, s->bid_data, s->bid_sub);
        else if (NID_TYPE(s->nid) == NID_TYPE_ATTACHMENT)
            object(f, s->bid_data, s->bid_sub, depth + 1);
    }
    fm_pst_subnodes_clear(&subs);
}

static HRESULT node(void *ctx, const fm_pst_node_ref *n)
{
    walk *w = ctx;
    if (++w->nodes > 2000)
        return MAPI_E_USER_CANCEL;
    switch (NID_TYPE(n->nid)) {
    case NID_TYPE_HIERARCHY_TABLE:
    case NID_TYPE_CONTENTS_TABLE:
    case NID_TYPE_ASSOC_CONTENTS_TABLE:
        table(w->f, n->bid_data, n->bid_sub);
        break;
    case NID_TYPE_INTERNAL:
    case NID_TYPE_NORMAL_FOLDER:
    case NID_TYPE_NORMAL_MESSAGE:
    case NID_TYPE_ASSOC_MESSAGE:
        object(w->f, n->bid_data, n->bid_sub, 0);
        break;
    default:
        break;
    }
    return S_OK;
}

static void damage(void *ctx, HRESULT hr, const char *text)
{
    (void)ctx;
    (void)hr;
    (void)text;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return MAPIInitialize(NULL) == S_OK ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    walk w = { NULL, 0 };
    if (fm_pst_file_open_mem(data, size, &w.f) != S_OK)
        return 0;
    (void)fm_pst_nbt_walk(w.f, node, damage, &w);
    fm_pst_file_close(w.f);
    return 0;
}
