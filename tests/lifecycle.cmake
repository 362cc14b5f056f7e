# test_lifecycle runs tests/launcher_stand_in.c in vfkit's place: it plays
# vfkit (its REST API, from tests/rest_server.c) and its guest (the ready
# signal, the Ignition fetch). Built in every build: without libcurl the
# suite stops the stand-in with signals.
add_executable(launcher_stand_in ${CMAKE_CURRENT_SOURCE_DIR}/launcher_stand_in.c)
target_compile_definitions(launcher_stand_in PRIVATE _POSIX_C_SOURCE=200809L
    $<$<PLATFORM_ID:Darwin>:_DARWIN_C_SOURCE>)
target_link_libraries(launcher_stand_in PRIVATE vf_rest_server)
target_compile_definitions(test_lifecycle PRIVATE
    VF_STANDIN_PATH="$<TARGET_FILE:launcher_stand_in>")
add_dependencies(test_lifecycle launcher_stand_in)
# A guard, not a measure: a stand-in that never exits must not stall CI.
set_tests_properties(test_lifecycle PROPERTIES TIMEOUT 120)
