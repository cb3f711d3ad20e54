file(REMOVE_RECURSE
  "libfreemapi.pdb"
  "libfreemapi.so"
  "libfreemapi.so.0"
  "libfreemapi.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/freemapi.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
