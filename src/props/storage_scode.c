/*
 * props/storage_scode.c - MapStorageSCode: the MAPI status code a provider
 * returns for a structured storage (STG_E_*) code, so errors from IStream
 * and IStorage reach MAPI callers in MAPI's terms. Codes it does not know
 * come back unchanged.
 */
#include "mapicode.h"
#include "mapiutil.h"

STDAPI_(SCODE) MapStorageSCode(SCODE StgSCode)
{
    switch (StgSCode) {
    case S_OK:
        return S_OK;
    case STG_E_INSUFFICIENTMEMORY:
        return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_ACCESSDENIED:
        return MAPI_E_NO_ACCESS;
    case STG_E_FILENOTFOUND:
        return MAPI_E_NOT_FOUND;
    case STG_E_INVALIDPOINTER:
    case STG_E_INVALIDPARAMETER:
    case STG_E_INVALIDFLAG:
        return MAPI_E_INVALID_PARAMETER;
    case STG_E_INVALIDFUNCTION:
        return MAPI_E_NO_SUPPORT;
    case STG_E_MEDIUMFULL:
        return MAPI_E_NOT_ENOUGH_DISK;
    case STG_E_WRITEFAULT:
    case STG_E_READFAULT:
        return MAPI_E_DISK_ERROR;
    case STG_E_REVERTED:
        return MAPI_E_OBJECT_DELETED;
    default:
        return StgSCode;
    }
}
