/*
 * fuzz/fuzz_cfb.c - libFuzzer harness of the compound-file reader: every
 * input is opened as a compound file in memory (HrIStorageFromStream over
 * a memory stream), every storage is walked and every stream read to its
 * end; then, when it opened, the tree is copied into a new compound file,
 * committed, and that copy is opened and walked again (it must open).
 *
 *   build-fuzz/fuzz_cfb -max_total_time=30 build-fuzz/corpus-fuzz_cfb fuzz/corpus/cfb
 */
#include <stdint.h>
#include <stdlib.h>

#include "cfb/cfb.h"
#include "mapiutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RD (STGM_READ | STGM_SHARE_EXCLUSIVE)

static void walk(IStorage *stg, unsigned depth)
{
    IEnumSTATSTG *en = NULL;
    if (IStorage_EnumElements(stg, 0, NULL, 0, &en) != S_OK)
        return;
    STATSTG st;
    ULONG got = 0;
    while (IEnumSTATSTG_Next(en, 1, &st, &got) == S_OK && got == 1) {
        if (st.type == STGTY_STREAM) {
            IStream *s = NULL;
            if (IStorage_OpenStream(stg, st.pwcsName, NULL, RD, 0, &s) == S_OK) {
                unsigned char buf[8192];
                ULONG n = 0;
                while (IStream_Read(s, buf, sizeof buf, &n) == S_OK && n > 0)
                    ;
                IStream_Release(s);
            }
        } else if (depth < 32) {
            IStorage *sub = NULL;
            if (IStorage_OpenStorage(stg, st.pwcsName, NULL, RD, NULL, 0, &sub) == S_OK) {
                walk(sub, depth + 1);
                IStorage_Release(sub);
            }
        }
        CoTaskMemFree(st.pwcsName);
    }
    IEnumSTATSTG_Release(en);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IStream *mem = NULL, *out = NULL;
    IStorage *stg = NULL, *copy = NULL;
    if (fm_cfb_memstream_new(data, size, false, &mem) != S_OK)
        return 0;
    if (HrIStorageFromStream((LPUNKNOWN)mem, NULL, STGSTRM_RESET, &stg) == S_OK) {
        walk(stg, 0);
        if (fm_cfb_memstream_new(NULL, 0, true, &out) == S_OK &&
            HrIStorageFromStream((LPUNKNOWN)out, NULL, STGSTRM_CREATE, &copy) == S_OK) {
            HRESULT hr = IStorage_CopyTo(stg, 0, NULL, NULL, copy);
            if (hr == S_OK && IStorage_Commit(copy, 0) == S_OK) {
                IStorage_Release(copy);
                copy = NULL;
                /* What we wrote must open again. */
                if (HrIStorageFromStream((LPUNKNOWN)out, NULL, STGSTRM_RESET, &copy) != S_OK)
                    abort();
                walk(copy, 0);
            }
        }
        if (copy != NULL)
            IStorage_Release(copy);
        if (out != NULL)
            IStream_Release(out);
        IStorage_Release(stg);
    }
    IStream_Release(mem);
    return 0;
}
