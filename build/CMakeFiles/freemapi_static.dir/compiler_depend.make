# Empty compiler generated dependencies file for freemapi_static.
# This may be replaced when dependencies are built.
