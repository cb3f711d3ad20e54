/*
 * rop/rop_props.h - property values in ROP buffers ([MS-OXCDATA] 2.9, 2.11).
 *
 * In ROP buffers (2.11.1.1) a PtypBinary's byte count is 16 bits and a
 * PtypMultiple's value count 32 bits; strings carry their terminating NUL
 * (PtypString is UTF-16LE). Booleans are one byte (2.11.1). A decoded value
 * lives in MAPI buffers linked to the caller's parent block, as the store's
 * SetProps takes them.
 */
#ifndef FREEMAPI_ROP_PROPS_H
#define FREEMAPI_ROP_PROPS_H

#include "mapidefs.h"
#include "rop/rop_codec.h"

/* Whether freemapi's codec carries values of this property type. */
bool fm_rop_type_known(ULONG type);

/* PropertyValue (2.11.2.1): v's value as the type of tag (v's own type must
 * be that type). */
void fm_rop_put_value(fm_rop_writer *w, ULONG tag, const SPropValue *v);

/* PropertyValue of type `type` into v (tag set by the caller's tag); the
 * memory hangs off parent (MAPIAllocateMore). Reader bad on a malformed or
 * unknown value; MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_rop_get_value(fm_rop_reader *r, ULONG tag, void *parent, SPropValue *v);

/* TaggedPropertyValue (2.11.4): PropertyTag then PropertyValue. */
HRESULT fm_rop_get_tagged(fm_rop_reader *r, void *parent, SPropValue *v);

/*
 * PropertyRow (2.8.1) of the values for columns cols: a StandardPropertyRow
 * (Flag 0x00, bare values) when every value is there with the column's type,
 * else a FlaggedPropertyRow (Flag 0x01) of FlaggedPropertyValues (2.11.5):
 * 0x00 + value, 0x01 (not found, no value) or 0x0A + a PtypErrorCode.
 * A column of PtypUnspecified gets a TypedPropertyValue (2.11.3).
 */
void fm_rop_put_row(fm_rop_writer *w, const SPropTagArray *cols, const SPropValue *vals);

/* The reverse: a PropertyRow of the n columns tags into vals (values hang
 * off parent). A FlaggedPropertyValue that is not there (0x01) or an error
 * (0x0A) becomes a PT_ERROR value. Reader bad when malformed;
 * MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT fm_rop_get_row(fm_rop_reader *r, const ULONG *tags, ULONG n, void *parent,
                       SPropValue *vals);

#endif /* FREEMAPI_ROP_PROPS_H */
