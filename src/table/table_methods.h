/*
 * table/table_methods.h - the IMAPITable methods, each implemented in the
 * file of its concept and gathered into one vtable by table_object.c.
 */
#ifndef FREEMAPI_TABLE_TABLE_METHODS_H
#define FREEMAPI_TABLE_TABLE_METHODS_H

#include "table/table_internal.h"

#define FM_ULONG_MAX ((ULONG)0xFFFFFFFFu)

/* table_rows.c */
STDMETHODIMP fm_table_QueryRows(IMAPITable *This, LONG lRowCount, ULONG ulFlags,
                                LPSRowSet *lppRows);
STDMETHODIMP fm_table_GetRowCount(IMAPITable *This, ULONG ulFlags, ULONG *lpulCount);
/* QueryRows without the lock or the refresh (the caller holds both). */
HRESULT fm_rows_query(fm_table *t, LONG count, ULONG flags, LPSRowSet *out);

/* table_advise.c */
STDMETHODIMP fm_table_Advise(IMAPITable *This, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                             ULONG_PTR *lpulConnection);
STDMETHODIMP fm_table_Unadvise(IMAPITable *This, ULONG_PTR ulConnection);

/* table_seek.c */
STDMETHODIMP fm_table_SeekRow(IMAPITable *This, BOOKMARK bkOrigin, LONG lRowCount,
                              LONG *lplRowsSought);
STDMETHODIMP fm_table_SeekRowApprox(IMAPITable *This, ULONG ulNumerator, ULONG ulDenominator);
STDMETHODIMP fm_table_QueryPosition(IMAPITable *This, ULONG *lpulRow, ULONG *lpulNumerator,
                                    ULONG *lpulDenominator);
STDMETHODIMP fm_table_FindRow(IMAPITable *This, LPSRestriction lpRestriction, BOOKMARK bkOrigin,
                              ULONG ulFlags);
STDMETHODIMP fm_table_CreateBookmark(IMAPITable *This, BOOKMARK *lpbkPosition);
STDMETHODIMP fm_table_FreeBookmark(IMAPITable *This, BOOKMARK bkPosition);
/* A new bookmark at the cursor (lock held). */
HRESULT fm_seek_bookmark_here(fm_table *t, BOOKMARK *out);

/* table_categories.c */
STDMETHODIMP fm_table_ExpandRow(IMAPITable *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey,
                                ULONG ulRowCount, ULONG ulFlags, LPSRowSet *lppRows,
                                ULONG *lpulMoreRows);
STDMETHODIMP fm_table_CollapseRow(IMAPITable *This, ULONG cbInstanceKey, LPBYTE pbInstanceKey,
                                  ULONG ulFlags, ULONG *lpulRowCount);
STDMETHODIMP fm_table_GetCollapseState(IMAPITable *This, ULONG ulFlags, ULONG cbInstanceKey,
                                       LPBYTE lpbInstanceKey, ULONG *lpcbCollapseState,
                                       LPBYTE *lppbCollapseState);
STDMETHODIMP fm_table_SetCollapseState(IMAPITable *This, ULONG ulFlags, ULONG cbCollapseState,
                                       LPBYTE pbCollapseState, BOOKMARK *lpbkLocation);

#endif /* FREEMAPI_TABLE_TABLE_METHODS_H */
