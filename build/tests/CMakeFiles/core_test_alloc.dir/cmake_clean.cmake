file(REMOVE_RECURSE
  "CMakeFiles/core_test_alloc.dir/core/test_alloc.c.o"
  "CMakeFiles/core_test_alloc.dir/core/test_alloc.c.o.d"
  "core_test_alloc"
  "core_test_alloc.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/core_test_alloc.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
