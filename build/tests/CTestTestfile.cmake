# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[core/alloc]=] "/work/main/build/tests/core_test_alloc")
set_tests_properties([=[core/alloc]=] PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;FREEMAPI_TEST_TMPDIR=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[core/error]=] "/work/main/build/tests/core_test_error")
set_tests_properties([=[core/error]=] PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;FREEMAPI_TEST_TMPDIR=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[core/text]=] "/work/main/build/tests/core_test_text")
set_tests_properties([=[core/text]=] PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=stdout;FREEMAPI_TEST_TMPDIR=/work/main/build/tests/tmp" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;27;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[build/exports]=] "bash" "/work/main/tests/build/test_exports.sh" "/work/main" "/work/main/build" "/usr/bin/cc")
set_tests_properties([=[build/exports]=] PROPERTIES  _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;39;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test([=[build/install]=] "bash" "/work/main/tests/build/test_install.sh" "/work/main" "/work/main/build" "/usr/bin/cc")
set_tests_properties([=[build/install]=] PROPERTIES  _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;39;add_test;/work/main/tests/CMakeLists.txt;0;")
