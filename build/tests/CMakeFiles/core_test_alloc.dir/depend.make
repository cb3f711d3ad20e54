# Empty dependencies file for core_test_alloc.
# This may be replaced when dependencies are built.
