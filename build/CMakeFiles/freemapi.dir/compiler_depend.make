# Empty compiler generated dependencies file for freemapi.
# This may be replaced when dependencies are built.
