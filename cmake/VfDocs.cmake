# The `docs` target: the API reference from the public headers, with
# Doxygen. Any Doxygen warning (an undocumented public symbol, a broken
# comment) fails the target; scripts/check.d/60-docs.sh runs it.
# Doxygen is looked for when the target runs, so installing it after the
# build tree was configured is enough (no reconfigure).
# The HTML installs as the optional component `docs`:
#   cmake --build build --target docs
#   cmake --install build --component docs --prefix PREFIX   # PREFIX/share/doc/vfconfig/html
set(VF_DOCS_OUTPUT_DIR ${PROJECT_BINARY_DIR}/docs)
configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
find_program(VF_DOXYGEN doxygen DOC "Doxygen, for the docs target")
add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -DDOXYGEN=${VF_DOXYGEN} -DDOXYFILE=${PROJECT_BINARY_DIR}/Doxyfile
            -P ${CMAKE_CURRENT_LIST_DIR}/VfRunDoxygen.cmake
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
    COMMENT "API reference with Doxygen (warnings are errors)"
    VERBATIM)
install(DIRECTORY ${VF_DOCS_OUTPUT_DIR}/html
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/vfconfig
        COMPONENT docs EXCLUDE_FROM_ALL)
