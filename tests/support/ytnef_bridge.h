/*
 * tests/support/ytnef_bridge.h - libytnef's compressed RTF decoder for the
 * tests (ytnef_bridge.c): 0 and a malloc'd result (free it with free()), or
 * -1 when libytnef refuses the input.
 */
#ifndef FREEMAPI_TEST_YTNEF_BRIDGE_H
#define FREEMAPI_TEST_YTNEF_BRIDGE_H

#include <stddef.h>

int fm_test_ytnef_decompress(const unsigned char *p, size_t n, unsigned char **out,
                             size_t *outlen);

#endif /* FREEMAPI_TEST_YTNEF_BRIDGE_H */
