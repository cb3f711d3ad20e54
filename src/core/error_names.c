/*
 * core/error_names.c - symbolic names of status codes (fmapi_error_name).
 *
 * One static table, sorted by the code read as an unsigned 32-bit number,
 * searched by bisection: no allocation, no locking, safe from any thread.
 * It holds every code in mapicode.h, S_OK/S_FALSE and the COM codes of
 * mapiwin.h. Where MAPI reuses a COM value (E_OUTOFMEMORY, ...) the entry
 * is written with the MAPI macro, so the MAPI name is the one returned.
 * Simple MAPI's codes (mapi.h) are ULONG counters 0..28, not HRESULTs, and
 * are deliberately absent: 1 would otherwise be both S_FALSE and
 * MAPI_E_USER_ABORT.
 */
#include "freemapi_error.h"
#include "mapicode.h"

typedef struct fm_error_name {
    uint32_t code;
    const char *name;
} fm_error_name;

/* The macro's own spelling is the name, so a name cannot drift from its value. */
#define FM_NAME(code) { (uint32_t)(code), #code }

/* Keep in ascending order of code; the tests look up every entry. */
static const fm_error_name fm_error_names[] = {
    FM_NAME(S_OK),
    FM_NAME(S_FALSE),
    FM_NAME(STG_S_CONVERTED),
    FM_NAME(MAPI_W_NO_SERVICE),
    FM_NAME(MAPI_W_ERRORS_RETURNED),
    FM_NAME(MAPI_W_POSITION_CHANGED),
    FM_NAME(MAPI_W_APPROX_COUNT),
    FM_NAME(MAPI_W_CANCEL_MESSAGE),
    FM_NAME(MAPI_W_PARTIAL_COMPLETION),
    FM_NAME(E_NOTIMPL),
    FM_NAME(MAPI_E_INTERFACE_NOT_SUPPORTED),
    FM_NAME(E_POINTER),
    FM_NAME(E_ABORT),
    FM_NAME(MAPI_E_CALL_FAILED),
    FM_NAME(E_UNEXPECTED),
    FM_NAME(STG_E_INVALIDFUNCTION),
    FM_NAME(STG_E_FILENOTFOUND),
    FM_NAME(STG_E_ACCESSDENIED),
    FM_NAME(STG_E_INSUFFICIENTMEMORY),
    FM_NAME(STG_E_INVALIDPOINTER),
    FM_NAME(STG_E_WRITEFAULT),
    FM_NAME(STG_E_READFAULT),
    FM_NAME(STG_E_INVALIDPARAMETER),
    FM_NAME(STG_E_MEDIUMFULL),
    FM_NAME(STG_E_INVALIDFLAG),
    FM_NAME(STG_E_REVERTED),
    FM_NAME(MAPI_E_NO_SUPPORT),
    FM_NAME(MAPI_E_BAD_CHARWIDTH),
    FM_NAME(MAPI_E_STRING_TOO_LONG),
    FM_NAME(MAPI_E_UNKNOWN_FLAGS),
    FM_NAME(MAPI_E_INVALID_ENTRYID),
    FM_NAME(MAPI_E_INVALID_OBJECT),
    FM_NAME(MAPI_E_OBJECT_CHANGED),
    FM_NAME(MAPI_E_OBJECT_DELETED),
    FM_NAME(MAPI_E_BUSY),
    FM_NAME(MAPI_E_NOT_ENOUGH_DISK),
    FM_NAME(MAPI_E_NOT_ENOUGH_RESOURCES),
    FM_NAME(MAPI_E_NOT_FOUND),
    FM_NAME(MAPI_E_VERSION),
    FM_NAME(MAPI_E_LOGON_FAILED),
    FM_NAME(MAPI_E_SESSION_LIMIT),
    FM_NAME(MAPI_E_USER_CANCEL),
    FM_NAME(MAPI_E_UNABLE_TO_ABORT),
    FM_NAME(MAPI_E_NETWORK_ERROR),
    FM_NAME(MAPI_E_DISK_ERROR),
    FM_NAME(MAPI_E_TOO_COMPLEX),
    FM_NAME(MAPI_E_BAD_COLUMN),
    FM_NAME(MAPI_E_EXTENDED_ERROR),
    FM_NAME(MAPI_E_COMPUTED),
    FM_NAME(MAPI_E_CORRUPT_DATA),
    FM_NAME(MAPI_E_UNCONFIGURED),
    FM_NAME(MAPI_E_FAILONEPROVIDER),
    FM_NAME(MAPI_E_UNKNOWN_CPID),
    FM_NAME(MAPI_E_UNKNOWN_LCID),
    FM_NAME(MAPI_E_PASSWORD_CHANGE_REQUIRED),
    FM_NAME(MAPI_E_PASSWORD_EXPIRED),
    FM_NAME(MAPI_E_INVALID_WORKSTATION_ACCOUNT),
    FM_NAME(MAPI_E_INVALID_ACCESS_TIME),
    FM_NAME(MAPI_E_ACCOUNT_DISABLED),
    FM_NAME(MAPI_E_RECONNECTED),
    FM_NAME(MAPI_E_OFFLINE),
    FM_NAME(MAPI_E_END_OF_SESSION),
    FM_NAME(MAPI_E_UNKNOWN_ENTRYID),
    FM_NAME(MAPI_E_MISSING_REQUIRED_COLUMN),
    FM_NAME(MAPI_E_PROFILE_DELETED),
    FM_NAME(MAPI_E_BAD_VALUE),
    FM_NAME(MAPI_E_INVALID_TYPE),
    FM_NAME(MAPI_E_TYPE_NO_SUPPORT),
    FM_NAME(MAPI_E_UNEXPECTED_TYPE),
    FM_NAME(MAPI_E_TOO_BIG),
    FM_NAME(MAPI_E_DECLINE_COPY),
    FM_NAME(MAPI_E_UNEXPECTED_ID),
    FM_NAME(MAPI_E_UNABLE_TO_COMPLETE),
    FM_NAME(MAPI_E_TIMEOUT),
    FM_NAME(MAPI_E_TABLE_EMPTY),
    FM_NAME(MAPI_E_TABLE_TOO_BIG),
    FM_NAME(MAPI_E_INVALID_BOOKMARK),
    FM_NAME(MAPI_E_WAIT),
    FM_NAME(MAPI_E_CANCEL),
    FM_NAME(MAPI_E_NOT_ME),
    FM_NAME(MAPI_E_CORRUPT_STORE),
    FM_NAME(MAPI_E_NOT_IN_QUEUE),
    FM_NAME(MAPI_E_NO_SUPPRESS),
    FM_NAME(MAPI_E_COLLISION),
    FM_NAME(MAPI_E_NOT_INITIALIZED),
    FM_NAME(MAPI_E_NON_STANDARD),
    FM_NAME(MAPI_E_NO_RECIPIENTS),
    FM_NAME(MAPI_E_SUBMITTED),
    FM_NAME(MAPI_E_HAS_FOLDERS),
    FM_NAME(MAPI_E_HAS_MESSAGES),
    FM_NAME(MAPI_E_FOLDER_CYCLE),
    FM_NAME(MAPI_E_STORE_FULL),
    FM_NAME(MAPI_E_LOCKID_LIMIT),
    FM_NAME(MAPI_E_AMBIGUOUS_RECIP),
    FM_NAME(MAPI_E_NAMED_PROP_QUOTA_EXCEEDED),
    FM_NAME(MAPI_E_NO_ACCESS),
    FM_NAME(E_HANDLE),
    FM_NAME(MAPI_E_NOT_ENOUGH_MEMORY),
    FM_NAME(MAPI_E_INVALID_PARAMETER),
};

FREEMAPI_PUBLIC const char *fmapi_error_name(HRESULT hr)
{
    uint32_t key = (uint32_t)hr;
    size_t lo = 0;
    size_t hi = sizeof fm_error_names / sizeof fm_error_names[0];

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fm_error_names[mid].code == key)
            return fm_error_names[mid].name;
        if (fm_error_names[mid].code < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
