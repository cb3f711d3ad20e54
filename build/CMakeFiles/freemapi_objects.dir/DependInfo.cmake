
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/core/alloc.c" "CMakeFiles/freemapi_objects.dir/src/core/alloc.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/alloc.c.o.d"
  "/work/main/src/core/error.c" "CMakeFiles/freemapi_objects.dir/src/core/error.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/error.c.o.d"
  "/work/main/src/core/error_names.c" "CMakeFiles/freemapi_objects.dir/src/core/error_names.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/error_names.c.o.d"
  "/work/main/src/core/guids.c" "CMakeFiles/freemapi_objects.dir/src/core/guids.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/guids.c.o.d"
  "/work/main/src/core/text.c" "CMakeFiles/freemapi_objects.dir/src/core/text.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/text.c.o.d"
  "/work/main/src/core/version.c" "CMakeFiles/freemapi_objects.dir/src/core/version.c.o" "gcc" "CMakeFiles/freemapi_objects.dir/src/core/version.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
