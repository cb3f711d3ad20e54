file(REMOVE_RECURSE
  "libfreemapi.a"
)
