/*
 * store/search_folder.h - search folders (FOLDER_SEARCH): their criteria
 * (IMAPIContainer::SetSearchCriteria and GetSearchCriteria) and what the
 * rest of the store asks of them.
 *
 * A search folder holds no message. Its contents table (contents_table.c,
 * fm_search_contents_table_open) lists the live messages of the folders it
 * searches (with RECURSIVE_SEARCH, their generic subfolders too, as they are
 * at the time of the query) that match its restriction, where they are: a
 * row's PR_ENTRYID opens the real message and PR_PARENT_ENTRYID is its real
 * folder. A running search is evaluated by the query itself, so every
 * commit by any process that creates, changes, moves or deletes a message
 * is in the next read of the table, and its table notifications (the store
 * feed's events, compared row by row by table/table_advise.c).
 *
 * A stopped search (STOP_SEARCH) and a static one (STATIC_SEARCH) keep the
 * results they had then (search_results): messages later deleted leave,
 * nothing else changes. RESTART_SEARCH runs it again.
 *
 * Each SetSearchCriteria commits the criteria and, for a stopped or static
 * search, the frozen results, in transactions that either happen whole or
 * not at all; the last one raises fnevSearchComplete on the search folder
 * (OBJECT_NOTIFICATION, ulObjType MAPI_FOLDER) to IMsgStore::Advise
 * subscribers in every process. A crash in between leaves the search
 * running with its new criteria, SEARCH_REBUILD set in its state until a
 * later SetSearchCriteria (or fm_search_finish_pending, run when the store
 * opens) freezes it again.
 */
#ifndef FREEMAPI_STORE_SEARCH_FOLDER_H
#define FREEMAPI_STORE_SEARCH_FOLDER_H

#include <stdbool.h>

#include "freemapi_restriction.h"
#include "store/object.h"

/* A search folder's criteria as a query needs them. */
typedef struct fm_search_def {
    bool defined;            /* SetSearchCriteria was called */
    bool frozen;             /* stopped or static: search_results holds the rows */
    bool recursive;          /* RECURSIVE_SEARCH */
    ULONG state;             /* the SEARCH_* bits GetSearchCriteria reports */
    fmapi_restriction *res;  /* compiled (owned); NULL when not defined */
} fm_search_def;

/* Search folder sfid's criteria (store locked). A folder never given any
 * is defined false. MAPI_E_CORRUPT_STORE for damaged saved criteria. */
HRESULT fm_search_def_read(fm_store *s, int64_t sfid, fm_search_def *d);
void fm_search_def_clear(fm_search_def *d);

/* IMAPIContainer::SetSearchCriteria and GetSearchCriteria of folder o,
 * whose PR_FOLDER_TYPE is folder_type. */
HRESULT fm_search_set_criteria(fm_object *o, ULONG folder_type, LPSRestriction lpRestriction,
                               LPENTRYLIST lpContainerList, ULONG ulSearchFlags);
HRESULT fm_search_get_criteria(fm_object *o, ULONG folder_type, ULONG ulFlags,
                               LPSRestriction *lppRestriction, LPENTRYLIST *lppContainerList,
                               ULONG *lpulSearchState);

/* PR_CONTENT_COUNT (unread false) or PR_CONTENT_UNREAD of search folder
 * sfid: its results, counted as its contents table counts them. */
HRESULT fm_search_count(fm_store *s, int64_t sfid, bool unread, LONG *out);

/* IMAPIFolder::DeleteMessages through search folder o: the listed
 * messages that are among its results are deleted where they are. */
HRESULT fm_search_delete_messages(fm_object *o, LPENTRYLIST lpMsgList, ULONG ulFlags);

/* Freezes the searches a crash left half-stopped (SEARCH_REBUILD): run
 * once when a writable store opens; errors are returned, not fatal to the
 * open (the searches stay running and consistent). */
HRESULT fm_search_finish_pending(fm_store *s);

#endif /* FREEMAPI_STORE_SEARCH_FOLDER_H */
