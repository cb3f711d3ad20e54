# Empty dependencies file for freemapi_test_support.
# This may be replaced when dependencies are built.
