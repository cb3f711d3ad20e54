/*
 * fuzz/fuzz_notify_record.c - libFuzzer harness for the store change
 * records other processes write into a store's notification log
 * (src/notify/record.c). Every input must decode into records or be
 * MAPI_E_CORRUPT_DATA; what decodes must encode again into a batch that
 * decodes to the same records.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapicode.h"
#include "notify/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const fm_notify_record *a, const fm_notify_record *b)
{
    int ok = a->event == b->event && a->obj_type == b->obj_type && a->id == b->id &&
             a->parent == b->parent && a->old_id == b->old_id &&
             a->old_parent == b->old_parent && a->msg_flags == b->msg_flags &&
             a->scode == b->scode && a->ext_event == b->ext_event &&
             (a->msg_class == NULL) == (b->msg_class == NULL) &&
             (a->msg_class == NULL || strcmp(a->msg_class, b->msg_class) == 0) &&
             a->ntags == b->ntags && (a->tags == NULL) == (b->tags == NULL) &&
             (a->ntags == 0 || memcmp(a->tags, b->tags, a->ntags * sizeof(ULONG)) == 0) &&
             a->cbext == b->cbext && (a->cbext == 0 || memcmp(a->ext, b->ext, a->cbext) == 0) &&
             a->has_counts == b->has_counts && a->total == b->total && a->unread == b->unread;
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fm_notify_reader rd, again;
    fm_notify_batch out = { 0 };
    fm_notify_record r;
    HRESULT hr = fm_notify_reader_init(&rd, data, size);
    while (hr == S_OK && (hr = fm_notify_reader_next(&rd, &r)) == S_OK) {
        if (fm_notify_batch_add(&out, &r) != S_OK)
            abort(); /* a record that decoded must encode */
    }
    if (hr != S_FALSE && hr != MAPI_E_CORRUPT_DATA)
        abort();
    if (hr == S_FALSE) {
        size_t n;
        const void *bytes = fm_notify_batch_bytes(&out, &n);
        if (bytes != NULL) {
            fm_notify_reader_init(&rd, data, size);
            if (fm_notify_reader_init(&again, bytes, n) != S_OK)
                abort();
            fm_notify_record a, b;
            while (fm_notify_reader_next(&rd, &a) == S_OK) {
                if (fm_notify_reader_next(&again, &b) != S_OK)
                    abort();
                same(&a, &b);
            }
            if (fm_notify_reader_next(&again, &b) != S_FALSE)
                abort();
        }
    }
    fm_notify_batch_clear(&out, true);
    return 0;
}
