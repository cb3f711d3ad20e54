file(REMOVE_RECURSE
  "libfreemapi.a"
  "libfreemapi.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/freemapi_static.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
