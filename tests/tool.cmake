# vfconfig, the tool: its command line (tool_cli.sh), its input reading
# (test_tool_input), and the json | args round trip over every command line
# of the conformance vectors (tool_vectors builds them, tool_roundtrip.sh
# runs them).
if(TARGET vfconfig_tool)
  vf_add_test(test_tool_input ${CMAKE_CURRENT_SOURCE_DIR}/tool_input_test.c
              ${PROJECT_SOURCE_DIR}/tools/vfconfig/common.c)
  target_include_directories(test_tool_input PRIVATE ${PROJECT_SOURCE_DIR}/tools/vfconfig)
  add_executable(tool_vectors tool_vectors.c ${PROJECT_SOURCE_DIR}/tools/vfconfig/common.c)
  target_link_libraries(tool_vectors PRIVATE vfconfig_static PkgConfig::JANSSON)
  target_compile_definitions(tool_vectors PRIVATE _POSIX_C_SOURCE=200809L
      $<$<PLATFORM_ID:Darwin>:_DARWIN_C_SOURCE>)

  # Two processes per command line, over a thousand lines: two shards let
  # ctest run them on two cores.
  foreach(shard 0 1)
    set(workdir ${CMAKE_CURRENT_BINARY_DIR}/work/tool_roundtrip_${shard})
    file(MAKE_DIRECTORY ${workdir})
    add_test(NAME tool_roundtrip_${shard}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tool_roundtrip.sh
                     $<TARGET_FILE:vfconfig_tool> $<TARGET_FILE:tool_vectors>
                     ${CMAKE_CURRENT_SOURCE_DIR}/conformance/vectors.jsonl ${shard} 2
             WORKING_DIRECTORY ${workdir})
  endforeach()
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work/tool_cli)
  add_test(NAME tool_cli
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tool_cli.sh $<TARGET_FILE:vfconfig_tool>
                   ${PROJECT_SOURCE_DIR}/examples ${PROJECT_SOURCE_DIR}/tools/vfconfig/vfconfig.1
           WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/work/tool_cli)
endif()
