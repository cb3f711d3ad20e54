file(REMOVE_RECURSE
  "CMakeFiles/freemapi_test_support.dir/support/fm_test.c.o"
  "CMakeFiles/freemapi_test_support.dir/support/fm_test.c.o.d"
  "libfreemapi_test_support.a"
  "libfreemapi_test_support.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/freemapi_test_support.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
