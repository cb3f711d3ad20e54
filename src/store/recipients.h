/*
 * store/recipients.h - the recipients of a message being worked on.
 *
 * A message's recipient rows live in memory from the first time they are
 * needed until the message is released; ModifyRecipients changes them there,
 * and the message's save writes them (all rows, in its transaction). Each
 * row keeps its PR_ROWID apart from its properties, which are one MAPI
 * buffer per row.
 */
#ifndef FREEMAPI_STORE_RECIPIENTS_H
#define FREEMAPI_STORE_RECIPIENTS_H

#include "store/store.h"

typedef struct fm_recip {
    ULONG row_id;
    ULONG cValues;
    LPSPropValue props; /* MAPI buffer root */
} fm_recip;

typedef struct fm_recipients {
    fm_recip *rows;
    size_t n, cap;
    ULONG next_row_id;
    bool loaded;
    bool dirty;
} fm_recipients;

/* Loads the saved rows of message mid (once; later calls do nothing). */
HRESULT fm_recipients_load(fm_recipients *r, fm_store *s, int64_t mid);

/* Frees every row. */
void fm_recipients_clear(fm_recipients *r);

/* IMessage::ModifyRecipients on the rows (all or nothing). */
HRESULT fm_recipients_modify(fm_recipients *r, ULONG ulFlags, const ADRLIST *lpMods);

/* Replaces message mid's saved rows with these (inside a transaction);
 * *bytes receives the stored size. */
HRESULT fm_recipients_save(const fm_recipients *r, fm_store *s, int64_t mid, uint64_t *bytes);

/* The display names of the rows of recipient type `type`, joined by "; "
 * (PR_DISPLAY_TO/CC/BCC), as UTF-8 linked to parent. */
HRESULT fm_recipients_display(const fm_recipients *r, ULONG type, void *parent, char **out);

#endif /* FREEMAPI_STORE_RECIPIENTS_H */
