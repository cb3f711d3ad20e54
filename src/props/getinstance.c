/*
 * props/getinstance.c - GetInstance: one value of a multivalued property as
 * the single-valued property of the same ID. Pointers are shared with the
 * multivalued value, never copied, as the reference says; an instance
 * beyond the array (or a value that is not multivalued) gives a PT_ERROR
 * value, MAPI_E_NOT_FOUND or MAPI_E_INVALID_TYPE.
 */
#include "mapiutil.h"

static void error_value(LPSPropValue sv, ULONG id, SCODE sc)
{
    sv->ulPropTag = PROP_TAG(PT_ERROR, id);
    sv->Value.err = sc;
}

STDAPI_(void) GetInstance(LPSPropValue pvalMv, LPSPropValue pvalSv, ULONG uliInst)
{
    if (pvalMv == NULL || pvalSv == NULL)
        return;
    ULONG id = PROP_ID(pvalMv->ulPropTag);
    ULONG type = PROP_TYPE(pvalMv->ulPropTag);
    if (!(type & MV_FLAG)) {
        error_value(pvalSv, id, MAPI_E_INVALID_TYPE);
        return;
    }
    /* every MV array starts with its ULONG count */
    if (uliInst >= pvalMv->Value.MVl.cValues) {
        error_value(pvalSv, id, MAPI_E_NOT_FOUND);
        return;
    }
    pvalSv->dwAlignPad = 0;
    pvalSv->ulPropTag = PROP_TAG(type & ~MV_FLAG, id);
    const union _PV *v = &pvalMv->Value;
    switch (type & ~MV_FLAG) {
    case PT_I2: pvalSv->Value.i = v->MVi.lpi[uliInst]; break;
    case PT_LONG: pvalSv->Value.l = v->MVl.lpl[uliInst]; break;
    case PT_R4: pvalSv->Value.flt = v->MVflt.lpflt[uliInst]; break;
    case PT_DOUBLE: pvalSv->Value.dbl = v->MVdbl.lpdbl[uliInst]; break;
    case PT_CURRENCY: pvalSv->Value.cur = v->MVcur.lpcur[uliInst]; break;
    case PT_APPTIME: pvalSv->Value.at = v->MVat.lpat[uliInst]; break;
    case PT_SYSTIME: pvalSv->Value.ft = v->MVft.lpft[uliInst]; break;
    case PT_BINARY: pvalSv->Value.bin = v->MVbin.lpbin[uliInst]; break;
    case PT_STRING8: pvalSv->Value.lpszA = v->MVszA.lppszA[uliInst]; break;
    case PT_UNICODE: pvalSv->Value.lpszW = v->MVszW.lppszW[uliInst]; break;
    case PT_CLSID: pvalSv->Value.lpguid = &v->MVguid.lpguid[uliInst]; break;
    case PT_I8: pvalSv->Value.li = v->MVli.lpli[uliInst]; break;
    default: error_value(pvalSv, id, MAPI_E_INVALID_TYPE); break;
    }
}
