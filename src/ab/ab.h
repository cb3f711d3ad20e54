/*
 * ab/ab.h - the address book's internal pieces: its entry IDs, the shared
 * state of one opened address book, the property sets of directory
 * entries, ambiguous name resolution, and the objects it hands out.
 *
 * Entry IDs (entryid.c):
 *   directory entries and containers: the freemapi directory entry ID that
 *   site/identity.h defines for QueryIdentity (32 bytes):
 *       abFlags[4] = 0, MAPIUID FM_SITE_DIRECTORY_UID, BYTE version 1,
 *       BYTE kind (1 user, 2 list, 3 container, 4 contact), BYTE[2] 0, uint64 LE id
 *   (a container's id: FM_AB_ROOT, FM_AB_GAL, FM_AB_CONTACTS; a contact's: its
 *   message id in the user's mailbox); the directory's ids are never
 *   reused, so an entry ID names one entry forever.
 *   one-off recipients: [MS-OXCDATA] 2.2.5.1 One-Off EntryID: abFlags[4] 0,
 *   MAPI_ONE_OFF_UID, WORD version 0, WORD flags (MAPI_ONE_OFF_UNICODE,
 *   MAPI_ONE_OFF_NO_RICH_INFO), then display name, address type and
 *   address, each NUL-terminated, UTF-16LE with MAPI_ONE_OFF_UNICODE and
 *   8-bit (UTF-8 in freemapi) without.
 *
 * Addressing: directory entries are EX-type, their PR_EMAIL_ADDRESS the
 * X.500-style DN /o=freemapi/ou=<site>/cn=Recipients/cn=<alias> (dn.c), the
 * same DN the offline address book carries as its primary key and that
 * the session accepts in OpenMsgStore's mailbox names.
 */
#ifndef FREEMAPI_AB_AB_H
#define FREEMAPI_AB_AB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/lasterr.h"
#include "freemapi_ab.h"
#include "freemapi_restriction.h"
#include "mapix.h"
#include "site/identity.h"
#include "site/site.h"

/* ---- entryid.c ------------------------------------------------------------- */

#define FM_AB_KIND_USER FM_SITE_KIND_USER /* 1 */
#define FM_AB_KIND_LIST FM_SITE_KIND_LIST /* 2 */
#define FM_AB_KIND_CONTAINER 3
#define FM_AB_KIND_CONTACT 4 /* id: the contact message's id in the user's mailbox */
#define FM_AB_ROOT 0 /* container ids */
#define FM_AB_GAL 1
#define FM_AB_CONTACTS 2
#define FM_AB_EID_SIZE 32

extern const MAPIUID FM_AB_ONE_OFF_UID;

void fm_ab_eid_write(int kind, int64_t id, BYTE *buf);
/* In a MAPI buffer linked to parent (a new root when NULL). */
HRESULT fm_ab_eid_make(int kind, int64_t id, void *parent, ULONG *cb, LPENTRYID *out);
/* MAPI_E_UNKNOWN_ENTRYID: another provider's ID (or a one-off);
 * MAPI_E_INVALID_ENTRYID: ours but malformed. */
HRESULT fm_ab_eid_parse(ULONG cb, const ENTRYID *eid, int *kind, int64_t *id);

bool fm_ab_is_oneoff(ULONG cb, const ENTRYID *eid);

/* A parsed one-off entry ID (strings UTF-8, fm_malloc'd). */
typedef struct fm_ab_oneoff {
    char *name, *type, *address;
    unsigned flags; /* MAPI_ONE_OFF_* */
} fm_ab_oneoff;

/* Strings are UTF-8; unicode: write them as UTF-16LE. */
HRESULT fm_ab_oneoff_make(const char *name, const char *type, const char *address,
                          unsigned flags, void *parent, ULONG *cb, LPENTRYID *out);
/* MAPI_E_INVALID_ENTRYID when malformed. */
HRESULT fm_ab_oneoff_parse(ULONG cb, const ENTRYID *eid, fm_ab_oneoff *out);
void fm_ab_oneoff_clear(fm_ab_oneoff *o);

/* ---- dn.c --------------------------------------------------------------------- */

/* The DN of alias in the site named site_name (fm_malloc'd, ASCII). */
char *fm_ab_dn(const char *site_name, const char *alias);
/* The site's name in DNs: its directory's last component, in [A-Za-z0-9._-]
 * (fm_malloc'd). */
char *fm_ab_site_name(const char *site_dir);

/* ---- props.c: the properties of a directory entry --------------------------------- */

/* A private column of GAL rows: the strings ANR matches by prefix (the
 * whole display name and each word of it, the alias, the SMTP address and
 * its local part), PT_MV_STRING8. */
#define FM_AB_PR_ANR_KEYS PROP_TAG(PT_MV_STRING8, 0x67E0)

#define FM_AB_PROPS_ANR 0x1u     /* add FM_AB_PR_ANR_KEYS */
#define FM_AB_PROPS_MEMBERS 0x2u /* lists: add members' DNs (the OAB's column) */

/* The entry's properties, strings UTF-8 (PT_STRING8), as one MAPI buffer
 * linked to parent (a new root when NULL). With FM_AB_PROPS_MEMBERS the
 * site is read (the caller holds its lock). */
HRESULT fm_ab_entry_props(fmapi_site *site, const fm_site_entry *e, const char *site_name,
                          unsigned how, void *parent, ULONG *c, LPSPropValue *props);
/* A contact's properties (e: id, display and smtp set): an SMTP mail user. */
HRESULT fm_ab_contact_entry_props(const fm_site_entry *e, unsigned how, ULONG *c,
                                  LPSPropValue *props);
/* A one-off recipient's properties, likewise. */
HRESULT fm_ab_oneoff_props(ULONG cb, const ENTRYID *eid, const fm_ab_oneoff *o, void *parent,
                           ULONG *c, LPSPropValue *props);

/* ---- anr.c ------------------------------------------------------------------------ */

/* The restriction PR_ANR stands for, compiled: FL_PREFIX | FL_LOOSE on any
 * of FM_AB_PR_ANR_KEYS. value is UTF-8. */
HRESULT fm_ab_anr_compile(const char *value, fmapi_restriction **out);
/* res with every RES_PROPERTY on PR_ANR replaced by the ANR restriction,
 * as one MAPI buffer (*out NULL when res has none: use res as it is). */
HRESULT fm_ab_anr_rewrite(const SRestriction *res, LPSRestriction *out);
/* Wraps a table so its Restrict and FindRow understand PR_ANR. Takes over
 * inner (released on failure). */
HRESULT fm_ab_anr_table(IMAPITable *inner, IMAPITable **out);

/* ---- the opened address book (addrbook.c) ----------------------------------------- */

/* One registration made through the address book: on the site directory
 * (store NULL) or relayed from the mailbox's Contacts folder. */
typedef struct fm_ab_conn {
    ULONG_PTR conn;
    LPMDB store;            /* one reference; NULL: the directory's */
    IMAPIAdviseSink *relay; /* one reference to the relaying sink */
} fm_ab_conn;

typedef struct fm_ab {
    _Atomic unsigned refs;
    fm_identity *id; /* site and user; id->lock serializes the site connection */
    char *site_name;
    pthread_mutex_t lock; /* the fields below */
    int64_t path[2];      /* the search path: container ids (GAL, contacts) */
    size_t npath;
    int64_t default_dir;
    fm_ab_conn *conns; /* Advise's registrations (addrbook_advise.c) */
    size_t nconns, capconns;
} fm_ab;

void fm_ab_addref(fm_ab *ab);
void fm_ab_release(fm_ab *ab);

/* ---- gal.c: reading the directory --------------------------------------------------- */

/* The entry with id (kind user or list). MAPI_E_NOT_FOUND. */
HRESULT fm_ab_gal_get(fm_ab *ab, int64_t id, fm_site_entry *out);

/* Calls fn for every entry matching res (NULL: all), a page at a time;
 * props are valid during the call. fn returns S_OK to go on, S_FALSE to
 * stop, or an error. */
typedef HRESULT (*fm_ab_visit_fn)(void *ctx, const fm_site_entry *e, ULONG c,
                                  const SPropValue *props);
HRESULT fm_ab_gal_scan(fm_ab *ab, fmapi_restriction *res, fm_ab_visit_fn fn, void *ctx);

/* The users a list holds, nested lists expanded, each once; loops are cut.
 * ids fm_malloc'd, ascending. */
HRESULT fm_ab_list_expand(fm_ab *ab, int64_t list, int64_t **ids, size_t *n);

/* ---- contacts.c: the user's Contacts folder ------------------------------------------ */

bool fm_ab_has_contacts(fm_ab *ab);
/* Like fm_ab_gal_scan, over the contacts with an e-mail address. */
HRESULT fm_ab_contacts_scan(fm_ab *ab, fmapi_restriction *res, fm_ab_visit_fn fn, void *ctx);
/* One contact's properties (a MAPI buffer root). MAPI_E_NOT_FOUND. */
HRESULT fm_ab_contact_get(fm_ab *ab, int64_t mid, ULONG *c, LPSPropValue *props);
HRESULT fm_ab_contacts_table(fm_ab *ab, ULONG flags, IMAPITable **out);
/* The user's mailbox, opened, and its Contacts folder's PR_IPM_CONTACT_ENTRYID
 * (a MAPI buffer). MAPI_E_NOT_FOUND: no Contacts folder. */
HRESULT fm_ab_contacts_locate(fm_ab *ab, LPMDB *mdb, LPSPropValue *folder_eid);

/* ---- addrbook_advise.c: IAddrBook::Advise ------------------------------------------ */

HRESULT fm_ab_advise(fm_ab *ab, ULONG cb, const ENTRYID *eid, ULONG mask,
                     IMAPIAdviseSink *sink, ULONG_PTR *conn);
HRESULT fm_ab_unadvise(fm_ab *ab, ULONG_PTR conn);
/* Ends every registration left (the address book is going). */
void fm_ab_advise_clear(fm_ab *ab);

/* ---- objects (abobj.c, mailuser.c, distlist.c, container.c, addrbook.c) ---------- */

/* What IMailUser, IDistList, IABContainer and IAddrBook share: a fixed
 * property set, read-only. */
typedef struct fm_abobj {
    const void *lpVtbl;
    _Atomic ULONG refs;
    fm_ab *ab;
    fm_lasterr err;
    const char *iface; /* for error text */
    int kind;
    int64_t id;
    ULONG cprops;
    LPSPropValue props; /* one MAPI buffer */
} fm_abobj;

/* The object behind an interface pointer of the address book (its vtable
 * pointer is the first member of an fm_abobj). */
static inline fm_abobj *fm_abobj_of(const void *iface)
{
    return (fm_abobj *)(uintptr_t)iface;
}

/* Takes over props (freed on failure); adds a reference to ab. */
HRESULT fm_abobj_new(fm_ab *ab, const void *vtbl, const char *iface, int kind, int64_t id,
                     ULONG cprops, LPSPropValue props, fm_abobj **out);
/* Records hr as the object's last error; returns hr. */
HRESULT fm_abobj_fail(fm_abobj *o, HRESULT hr);
/* MAPI_E_NO_ACCESS: the directory is administered with fmapi_site_*. */
HRESULT fm_abobj_read_only(fm_abobj *o, const char *fn);

/*
 * IUnknown and a read-only IMAPIProp for every address book object (abobj.c).
 * Each interface's file gives its vtable small typed methods that forward
 * here (mailuser_GetProps(IMailUser *This, ...) calls fm_abobj_GetProps(
 * fm_abobj_of(This), ...)). QueryInterface answers the NULL-ended iids.
 */
HRESULT fm_abobj_QueryInterface(fm_abobj *o, const IID *const *iids, REFIID riid, LPVOID *ppvObj);
ULONG fm_abobj_AddRef(fm_abobj *o);
ULONG fm_abobj_Release(fm_abobj *o);
HRESULT fm_abobj_GetLastError(fm_abobj *o, HRESULT hResult, ULONG ulFlags,
                              LPMAPIERROR *lppMAPIError);
HRESULT fm_abobj_SaveChanges(fm_abobj *o, ULONG ulFlags);
HRESULT fm_abobj_GetProps(fm_abobj *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                          ULONG *lpcValues, LPSPropValue *lppPropArray);
HRESULT fm_abobj_GetPropList(fm_abobj *o, ULONG ulFlags, LPSPropTagArray *lppPropTagArray);
HRESULT fm_abobj_OpenProperty(fm_abobj *o, ULONG ulPropTag, LPCIID lpiid, ULONG ulInterfaceOptions,
                              ULONG ulFlags, LPUNKNOWN *lppUnk);
HRESULT fm_abobj_SetProps(fm_abobj *o, ULONG cValues, LPSPropValue lpPropArray,
                          LPSPropProblemArray *lppProblems);
HRESULT fm_abobj_DeleteProps(fm_abobj *o, LPSPropTagArray lpPropTagArray,
                             LPSPropProblemArray *lppProblems);
HRESULT fm_abobj_CopyTo(fm_abobj *o, ULONG ciidExclude, LPCIID rgiidExclude,
                        LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                        LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                        ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT fm_abobj_CopyProps(fm_abobj *o, LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam,
                           LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj,
                           ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT fm_abobj_GetNamesFromIDs(fm_abobj *o, LPSPropTagArray *lppPropTags, LPGUID lpPropSetGuid,
                                 ULONG ulFlags, ULONG *lpcPropNames, LPMAPINAMEID **lpppPropNames);
HRESULT fm_abobj_GetIDsFromNames(fm_abobj *o, ULONG cPropNames, LPMAPINAMEID *lppPropNames,
                                 ULONG ulFlags, LPSPropTagArray *lppPropTags);

/* IMAPIContainer and IABContainer/IDistList's entry methods, shared by the
 * containers and distribution lists (container.c). */
HRESULT fm_abcont_GetContentsTable(fm_abobj *o, ULONG ulFlags, LPMAPITABLE *lppTable);
HRESULT fm_abcont_GetHierarchyTable(fm_abobj *o, ULONG ulFlags, LPMAPITABLE *lppTable);
HRESULT fm_abcont_OpenEntry(fm_abobj *o, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface,
                            ULONG ulFlags, ULONG *lpulObjType, LPUNKNOWN *lppUnk);
HRESULT fm_abcont_SetSearchCriteria(fm_abobj *o, LPSRestriction lpRestriction,
                                    LPENTRYLIST lpContainerList, ULONG ulSearchFlags);
HRESULT fm_abcont_GetSearchCriteria(fm_abobj *o, ULONG ulFlags, LPSRestriction *lppRestriction,
                                    LPENTRYLIST *lppContainerList, ULONG *lpulSearchState);
HRESULT fm_abcont_CreateEntry(fm_abobj *o, ULONG cbEntryID, LPENTRYID lpEntryID,
                              ULONG ulCreateFlags, LPMAPIPROP *lppMAPIPropEntry);
HRESULT fm_abcont_CopyEntries(fm_abobj *o, LPENTRYLIST lpEntries, ULONG_PTR ulUIParam,
                              LPMAPIPROGRESS lpProgress, ULONG ulFlags);
HRESULT fm_abcont_DeleteEntries(fm_abobj *o, LPENTRYLIST lpEntries, ULONG ulFlags);
HRESULT fm_abcont_ResolveNames(fm_abobj *o, LPSPropTagArray lpPropTagArray, ULONG ulFlags,
                               LPADRLIST lpAdrList, LPFlagList lpFlagList);

/* Opens what eid names: root or GAL (IABContainer), user (IMailUser), list
 * (IDistList), one-off (IMailUser). */
HRESULT fm_ab_open_entry(fm_ab *ab, ULONG cb, LPENTRYID eid, LPCIID iface, ULONG flags,
                         ULONG *type, LPUNKNOWN *out);
HRESULT fm_mailuser_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out);
HRESULT fm_distlist_new(fm_ab *ab, int64_t id, ULONG c, LPSPropValue props, LPUNKNOWN *out);
HRESULT fm_container_new(fm_ab *ab, int64_t id, LPUNKNOWN *out);

/* Whether this address book has container id. */
bool fm_ab_has_container(fm_ab *ab, int64_t id);
/* The properties of a container (root, GAL or contacts), MAPI buffer linked to parent. */
HRESULT fm_ab_container_props(int64_t id, void *parent, ULONG *c, LPSPropValue *out);

/* Tables. */
HRESULT fm_ab_gal_table(fm_ab *ab, ULONG flags, IMAPITable **out);
HRESULT fm_ab_hierarchy_table(fm_ab *ab, int64_t container, ULONG flags, IMAPITable **out);
HRESULT fm_ab_members_table(fm_ab *ab, int64_t list, ULONG flags, IMAPITable **out);

/* ---- resolve.c ------------------------------------------------------------------------ */

#define FM_AB_UNRESOLVED 0
#define FM_AB_RESOLVED 1
#define FM_AB_AMBIGUOUS 2

/* Resolves one name (UTF-8) against the containers of path in turn (the
 * first that finds it decides) and as an SMTP one-off (when oneoffs).
 * On FM_AB_RESOLVED, *props (MAPI buffer root, strings UTF-8) are the
 * recipient's properties. */
HRESULT fm_ab_resolve_one(fm_ab *ab, const char *name, const int64_t *path, size_t npath,
                          bool oneoffs, int *outcome, ULONG *c, LPSPropValue *props);

/* Replaces entry's properties with resolved ones (strings as flags say),
 * keeping the entry's other properties (PR_RECIPIENT_TYPE, ...). */
HRESULT fm_ab_adrentry_replace(ADRENTRY *entry, ULONG c, const SPropValue *props, ULONG flags);

/* The display name of an ADRENTRY as UTF-8 into buf; MAPI_E_NOT_FOUND
 * when it has none. */
HRESULT fm_ab_adrentry_name(const ADRENTRY *entry, char *buf, size_t cap);

/* ---- IAddrBook's methods in other files (addrbook_paths.c, addrbook_recips.c) ---- */

HRESULT fm_addrbook_get_search_path(fm_ab *ab, ULONG flags, LPSRowSet *out);
HRESULT fm_addrbook_set_search_path(fm_ab *ab, ULONG flags, const SRowSet *rows);
HRESULT fm_addrbook_get_default_dir(fm_ab *ab, ULONG *cb, LPENTRYID *out);
HRESULT fm_addrbook_set_default_dir(fm_ab *ab, ULONG cb, LPENTRYID eid);
HRESULT fm_addrbook_get_pab(fm_ab *ab, ULONG *cb, LPENTRYID *out);
HRESULT fm_addrbook_set_pab(fm_ab *ab, ULONG cb, LPENTRYID eid);
HRESULT fm_addrbook_resolve_name(fm_ab *ab, ULONG flags, LPADRLIST list);
HRESULT fm_addrbook_prepare_recips(fm_ab *ab, ULONG flags, const SPropTagArray *tags,
                                   LPADRLIST list);
HRESULT fm_addrbook_default_recip_opt(const void *type, ULONG flags, ULONG *c,
                                      LPSPropValue *out);
/* A copy of the search path (path holds 2), its length in *n. */
void fm_ab_get_path(fm_ab *ab, int64_t *path, size_t *n);

#endif /* FREEMAPI_AB_AB_H */
