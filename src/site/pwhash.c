/*
 * site/pwhash.c - Argon2id password hashes through libsodium (pwhash.h).
 */
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "site/pwhash.h"

HRESULT fm_pwhash_init(void)
{
    /* sodium_init is thread-safe and returns 1 once already initialized. */
    if (sodium_init() < 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "libsodium could not be initialized");
    return S_OK;
}

HRESULT fm_pwhash_make(const char *password, bool weak, char out[FM_PWHASH_SIZE])
{
    HRESULT hr = fm_pwhash_init();
    if (hr != S_OK)
        return hr;
    unsigned long long ops = weak ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = weak ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "hashing a password: out of memory");
    return S_OK;
}

bool fm_pwhash_verify(const char *hash, const char *password)
{
    if (hash == NULL || hash[0] == '\0' || password == NULL || fm_pwhash_init() != S_OK)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
