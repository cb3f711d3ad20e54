file(REMOVE_RECURSE
  "libfreemapi_test_support.a"
)
