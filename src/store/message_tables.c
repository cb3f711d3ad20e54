/*
 * store/message_tables.c - an open message's recipient table and
 * attachment table, as in-memory table sources.
 *
 * MAPI shows an open message's tables as the caller sees the message: rows
 * added with ModifyRecipients or CreateAttach appear before SaveChanges, and
 * removed ones disappear. So the rows come from the message object, not the
 * database, and are read again at every table call (the generation moves
 * each time): a table never shows a stale copy.
 *
 * Recipient rows are the recipient's properties plus PR_ROWID (the row's
 * identity). Attachment rows are what the attachment's own GetProps(NULL)
 * returns (PR_ATTACH_NUM, PR_ATTACH_METHOD, PR_ATTACH_SIZE, file names,
 * ...), read by opening each attachment read-only; large values read
 * through streams are left as PT_ERROR, as GetProps leaves them.
 */
#include <string.h>

#include "core/alloc.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "store/message_attach.h"
#include "store/message_tables.h"
#include "table/table.h"

typedef struct message_ctx {
    IMessage *msg; /* a reference */
    ULONG flags;
    uint64_t calls;
} message_ctx;

static HRESULT every_call(void *context, uint64_t *out)
{
    message_ctx *c = context;
    *out = ++c->calls;
    return S_OK;
}

static void message_release(void *context)
{
    message_ctx *c = context;
    IMessage_Release(c->msg);
    fm_free(c);
}

static HRESULT finish(HRESULT hr, LPSRowSet set, LPSRowSet *out)
{
    if (hr != S_OK) {
        if (set)
            FreeProws(set);
        return hr;
    }
    *out = set;
    return S_OK;
}

/* ---- recipients ------------------------------------------------------------------ */

/* The recipient's properties, with its PR_ROWID (kept apart by the message). */
static HRESULT recipient_row(const fm_recip *r, SRow *out)
{
    SPropValue rowid = {.ulPropTag = PR_ROWID, .Value.l = (LONG)r->row_id};
    return fm_row_from_props(out, r->cValues, r->props, 1, &rowid);
}

static HRESULT recipients_load(void *context, LPSRowSet *out)
{
    message_ctx *c = context;
    fm_object *o = fm_object_of(c->msg);
    LPSRowSet set = NULL;
    fm_recipients *r = NULL;
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_message_recipients(o, &r);
    if (hr == S_OK)
        hr = fm_rowset_new(r->n, &set);
    for (size_t i = 0; hr == S_OK && i < r->n; i++) {
        hr = recipient_row(&r->rows[i], &set->aRow[set->cRows]);
        if (hr == S_OK)
            set->cRows++;
    }
    pthread_mutex_unlock(&o->lock);
    return finish(hr, set, out);
}

/* ---- attachments ---------------------------------------------------------------- */

static HRESULT attachment_nums(fm_object *o, ULONG **nums, size_t *n)
{
    fm_attachments *a = NULL;
    *nums = NULL;
    *n = 0;
    pthread_mutex_lock(&o->lock);
    HRESULT hr = fm_message_attachments(o, &a);
    if (hr == S_OK && a->n) {
        *nums = fm_malloc(a->n * sizeof **nums);
        if (*nums == NULL)
            hr = fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory reading attachments");
    }
    for (size_t i = 0; hr == S_OK && i < a->n; i++)
        if (!a->e[i].deleted)
            (*nums)[(*n)++] = a->e[i].num;
    pthread_mutex_unlock(&o->lock);
    return hr;
}

static HRESULT attachment_row(message_ctx *c, ULONG num, SRow *out)
{
    IAttach *att = NULL;
    HRESULT hr = fm_attach_open(c->msg, num, false, false, &att);
    if (hr != S_OK)
        return hr;
    ULONG n = 0;
    LPSPropValue props = NULL;
    hr = IAttach_GetProps(att, NULL, c->flags & MAPI_UNICODE, &n, &props);
    if (hr == MAPI_W_ERRORS_RETURNED)
        hr = S_OK;
    if (hr == S_OK) {
        out->ulAdrEntryPad = 0;
        out->cValues = n;
        out->lpProps = props;
        props = NULL;
    }
    MAPIFreeBuffer(props);
    IAttach_Release(att);
    return hr;
}

static HRESULT attachments_load(void *context, LPSRowSet *out)
{
    message_ctx *c = context;
    ULONG *nums = NULL;
    size_t n = 0;
    LPSRowSet set = NULL;
    HRESULT hr = attachment_nums(fm_object_of(c->msg), &nums, &n);
    if (hr == S_OK)
        hr = fm_rowset_new(n, &set);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        hr = attachment_row(c, nums[i], &set->aRow[set->cRows]);
        if (hr == S_OK)
            set->cRows++;
        else if (hr == MAPI_E_NOT_FOUND) /* deleted meanwhile by another thread */
            hr = S_OK;
    }
    fm_free(nums);
    return finish(hr, set, out);
}

/* ---- opening ------------------------------------------------------------------------ */

static const ULONG RECIPIENT_COLUMNS[] = {
    PR_INSTANCE_KEY,  PR_ROWID,   PR_RECIPIENT_TYPE, PR_DISPLAY_NAME, PR_ADDRTYPE,
    PR_EMAIL_ADDRESS, PR_ENTRYID, PR_SEARCH_KEY,     PR_DISPLAY_TYPE, PR_OBJECT_TYPE,
};

static const ULONG ATTACHMENT_COLUMNS[] = {
    PR_INSTANCE_KEY,       PR_ATTACH_NUM,      PR_ATTACH_METHOD,        PR_ATTACH_SIZE,
    PR_DISPLAY_NAME,       PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG,
    PR_RENDERING_POSITION, PR_OBJECT_TYPE,
};

static HRESULT open_table(IMessage *msg, ULONG flags, const char *name,
                          HRESULT (*load)(void *, LPSRowSet *), const ULONG *cols, ULONG ncols,
                          ULONG id_tag, IMAPITable **out)
{
    *out = NULL;
    message_ctx *c = fm_calloc(1, sizeof *c);
    if (c == NULL)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "out of memory opening a table");
    IMessage_AddRef(msg);
    c->msg = msg;
    c->flags = flags;
    fm_memory_source_def def = {.name = name,
                                .context = c,
                                .load = load,
                                .generation = every_call,
                                .release = message_release,
                                .default_columns = cols,
                                .ndefault = ncols,
                                .id_tag = id_tag};
    return fm_memory_table_open(&def, flags & MAPI_UNICODE, out);
}

HRESULT fm_recipient_table_open(IMessage *msg, ULONG flags, IMAPITable **out)
{
    return open_table(msg, flags, "recipient", recipients_load, RECIPIENT_COLUMNS,
                      sizeof RECIPIENT_COLUMNS / sizeof RECIPIENT_COLUMNS[0], PR_ROWID, out);
}

HRESULT fm_attachment_table_open(IMessage *msg, ULONG flags, IMAPITable **out)
{
    return open_table(msg, flags, "attachment", attachments_load, ATTACHMENT_COLUMNS,
                      sizeof ATTACHMENT_COLUMNS / sizeof ATTACHMENT_COLUMNS[0], PR_ATTACH_NUM, out);
}
