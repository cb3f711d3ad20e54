# CMAKE generated file: DO NOT EDIT!
# Timestamp file for compiler generated dependencies management for core_test_alloc.
