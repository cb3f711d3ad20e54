/*
 * site/pwhash.c - Argon2id password hashes through libsodium (pwhash.h).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mapicode.h"
#include "site/pwhash.h"

#define ARGON2ID_PREFIX "$argon2id$"

static atomic_ulong verifications;

HRESULT fm_pwhash_init(void)
{
    /* sodium_init is thread-safe and returns 1 once already initialized. */
    if (sodium_init() < 0)
        return fm_error_set(MAPI_E_CALL_FAILED, "libsodium could not be initialized");
    return S_OK;
}

static void cost(bool weak, unsigned long long *ops, size_t *mem)
{
    *ops = weak ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    *mem = weak ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

HRESULT fm_pwhash_make(const char *password, bool weak, char out[FM_PWHASH_SIZE])
{
    HRESULT hr = fm_pwhash_init();
    if (hr != S_OK)
        return hr;
    unsigned long long ops;
    size_t mem;
    cost(weak, &ops, &mem);
    if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fm_error_set(MAPI_E_NOT_ENOUGH_MEMORY, "hashing a password: out of memory");
    return S_OK;
}

bool fm_pwhash_usable(const char *hash)
{
    return hash != NULL && strncmp(hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) == 0;
}

bool fm_pwhash_verify(const char *hash, const char *password)
{
    if (hash == NULL || hash[0] == '\0' || password == NULL || fm_pwhash_init() != S_OK)
        return false;
    atomic_fetch_add(&verifications, 1);
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* The encoded form libsodium writes ($argon2id$v=19$m=KiB,t=passes,p=1$salt$hash,
 * salt and hash in unpadded base64) with a 16-byte salt and 32-byte hash,
 * the sizes of its own hashes, so the string and the work are the same. */
void fm_pwhash_dummy(bool weak, char out[FM_PWHASH_SIZE])
{
    static const unsigned char salt[16] = "freemapi-no-one";
    static const unsigned char hash[32] = "freemapi: this name has no hash";
    char salt64[sodium_base64_ENCODED_LEN(16, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    char hash64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    sodium_bin2base64(salt64, sizeof salt64, salt, sizeof salt,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    sodium_bin2base64(hash64, sizeof hash64, hash, sizeof hash,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    unsigned long long ops;
    size_t mem;
    cost(weak, &ops, &mem);
    /* v=19: Argon2 version 1.3, the one crypto_pwhash_ALG_ARGON2ID13 names */
    snprintf(out, FM_PWHASH_SIZE, ARGON2ID_PREFIX "v=19$m=%zu,t=%llu,p=1$%s$%s", mem / 1024,
             ops, salt64, hash64);
}

unsigned long fm_pwhash_verify_count(void)
{
    return atomic_load(&verifications);
}
