# vfconfig, the tool: its command line (tool_cli.sh) and the json | args
# round trip over every command line of the conformance vectors
# (tool_vectors builds them, tool_roundtrip.sh runs them).
if(TARGET vfconfig_tool)
  add_executable(tool_vectors tool_vectors.c ${PROJECT_SOURCE_DIR}/tools/vfconfig/common.c)
  target_link_libraries(tool_vectors PRIVATE vfconfig_static PkgConfig::JANSSON)
  target_compile_definitions(tool_vectors PRIVATE _POSIX_C_SOURCE=200809L
      $<$<PLATFORM_ID:Darwin>:_DARWIN_C_SOURCE>)

  foreach(name tool_roundtrip tool_cli)
    file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work/${name})
  endforeach()
  add_test(NAME tool_roundtrip
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tool_roundtrip.sh
                   $<TARGET_FILE:vfconfig_tool> $<TARGET_FILE:tool_vectors>
                   ${CMAKE_CURRENT_SOURCE_DIR}/conformance/vectors.jsonl
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work/tool_roundtrip)
  add_test(NAME tool_cli
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tool_cli.sh $<TARGET_FILE:vfconfig_tool>
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work/tool_cli)
endif()
