file(REMOVE_RECURSE
  "CMakeFiles/freemapi_objects.dir/src/core/alloc.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/alloc.c.o.d"
  "CMakeFiles/freemapi_objects.dir/src/core/error.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/error.c.o.d"
  "CMakeFiles/freemapi_objects.dir/src/core/error_names.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/error_names.c.o.d"
  "CMakeFiles/freemapi_objects.dir/src/core/guids.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/guids.c.o.d"
  "CMakeFiles/freemapi_objects.dir/src/core/text.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/text.c.o.d"
  "CMakeFiles/freemapi_objects.dir/src/core/version.c.o"
  "CMakeFiles/freemapi_objects.dir/src/core/version.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/freemapi_objects.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
