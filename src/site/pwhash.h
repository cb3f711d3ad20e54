/*
 * site/pwhash.h - password hashes: libsodium's Argon2id in its encoded
 * string form (which carries its own salt and cost, so a hash made at one
 * cost verifies after the default changes).
 *
 * Verification compares in constant time (libsodium compares the computed
 * and the stored hash with sodium_memcmp), and its time is the Argon2id
 * computation at the hash's cost: which is why a name with no usable hash
 * is verified against fm_pwhash_dummy, never answered at once.
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

/* Whether hash is an Argon2id hash string (one fm_pwhash_verify computes). */
bool fm_pwhash_usable(const char *hash);

/* A well-formed Argon2id hash string at the cost fm_pwhash_make(weak) uses,
 * with a fixed salt and a hash no password is known to give: verifying
 * against it costs what verifying a real one does, and answers false. */
void fm_pwhash_dummy(bool weak, char out[FM_PWHASH_SIZE]);

/* How many Argon2id verifications this process ran (tests check that
 * every logon answer costs exactly one). */
unsigned long fm_pwhash_verify_count(void);

#endif /* FREEMAPI_SITE_PWHASH_H */
