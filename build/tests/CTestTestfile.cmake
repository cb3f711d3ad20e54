# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[core/alloc]=] "/work/main/build/tests/core_test_alloc")
set_tests_properties([=[core/alloc]=] PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;FREEMAPI_TEST_TMPDIR=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/CMakeLists.txt;0;")
