# The `docs` target: the API reference from the public headers, with
# Doxygen. Any Doxygen warning (an undocumented public symbol, a broken
# comment) fails the target; scripts/check.d/60-docs.sh runs it.
find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  set(VF_DOCS_OUTPUT_DIR ${PROJECT_BINARY_DIR}/docs)
  configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/Doxyfile @ONLY)
  add_custom_target(docs
      COMMAND Doxygen::doxygen ${PROJECT_BINARY_DIR}/Doxyfile
      WORKING_DIRECTORY ${PROJECT_BINARY_DIR}
      COMMENT "API reference with Doxygen (warnings are errors)"
      VERBATIM)
else()
  add_custom_target(docs
      COMMAND ${CMAKE_COMMAND} -E echo "docs: Doxygen was not found"
      COMMAND ${CMAKE_COMMAND} -E false
      VERBATIM)
endif()
