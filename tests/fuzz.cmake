# The fuzz targets and the replay of their findings: see fuzz/CMakeLists.txt.
add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
