/*
 * tests/headers/cxx_layout/main.c - runs the layout test: for every
 * interface, C++ code calls every method of a C stub object, and vtable
 * calls reach every method of a C++ object; then the library checks.
 * Prints what it checked and exits non-zero on any failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fm_layout.h"

extern const char *const fm_layout_names[];

static void check_interface(const char *name, size_t *slots)
{
    size_t n = fm_layout_c_slots(name);
    if (n < 3) {
        fm_layout_fail("%s: no C vtable", name);
        return;
    }
    int got = fm_layout_cxx_call_all(name, fm_layout_c_object(name));
    if (got != (int)n)
        fm_layout_fail("%s: C++ calls reached %d of the C vtable's %zu slots", name, got, n);
    void *obj = fm_layout_cxx_object(name);
    got = fm_layout_cinterface_call_all(name, obj);
    if (got != (int)n)
        fm_layout_fail("%s: vtable calls reached %d of the C++ object's %zu methods", name, got,
                       n);
    fm_layout_cxx_free(name, obj);
    *slots += n;
}

int main(int argc, char **argv)
{
    size_t ifaces = 0, slots = 0;
    for (const char *const *name = fm_layout_names; *name; name++, ifaces++)
        check_interface(*name, &slots);
    printf("%zu interfaces, %zu methods called both ways\n", ifaces, slots);
    int lib = fm_layout_library_checks(argc > 1 ? argv[1] : "/tmp");
    printf("%d library checks\n", lib);
    if (fm_layout_failures() != 0) {
        printf("%d failures\n", fm_layout_failures());
        return 1;
    }
    return 0;
}
