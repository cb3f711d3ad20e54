# Empty dependencies file for freemapi_objects.
# This may be replaced when dependencies are built.
