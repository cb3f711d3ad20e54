/*
 * site/pwhash.h - password hashes: libsodium's Argon2id in its encoded
 * string form (which carries its own salt and cost, so a hash made at one
 * cost verifies after the default changes).
 */
#ifndef FREEMAPI_SITE_PWHASH_H
#define FREEMAPI_SITE_PWHASH_H

#include <sodium.h>
#include <stdbool.h>

#include "mapidefs.h"

#define FM_PWHASH_SIZE crypto_pwhash_STRBYTES

/* Runs sodium_init once; MAPI_E_CALL_FAILED when libsodium cannot start. */
HRESULT fm_pwhash_init(void);

/* Hashes password into out (FM_PWHASH_SIZE bytes). weak: libsodium's minimum
 * cost (tests, benchmarks), else its interactive cost.
 * MAPI_E_NOT_ENOUGH_MEMORY when Argon2 cannot get its memory. */
HRESULT fm_pwhash_make(const char *password, bool weak, char out[FM_PWHASH_SIZE]);

/* Whether password matches hash (false for an empty or malformed hash). */
bool fm_pwhash_verify(const char *hash, const char *password);

#endif /* FREEMAPI_SITE_PWHASH_H */
