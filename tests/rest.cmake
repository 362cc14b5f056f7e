# The REST tests. rest_server.c stands in for vfkit's REST service (its
# routes, status codes and JSON shapes); the client suites run against it
# when the library has its libcurl client. rest_fake_vfkit serves it as a
# program in vfkit's place, for examples/lifecycle, in every build.
find_package(Threads REQUIRED)

add_library(vf_rest_server STATIC ${CMAKE_CURRENT_SOURCE_DIR}/rest_server.c)
target_compile_definitions(vf_rest_server PRIVATE _POSIX_C_SOURCE=200809L
    $<$<PLATFORM_ID:Darwin>:_DARWIN_C_SOURCE>)
target_link_libraries(vf_rest_server PUBLIC vfconfig_static PkgConfig::JANSSON Threads::Threads)

add_executable(rest_fake_vfkit ${CMAKE_CURRENT_SOURCE_DIR}/rest_fake_vfkit.c)
target_compile_definitions(rest_fake_vfkit PRIVATE _POSIX_C_SOURCE=200809L
    $<$<PLATFORM_ID:Darwin>:_DARWIN_C_SOURCE>)
target_link_libraries(rest_fake_vfkit PRIVATE vf_rest_server)

get_property(vf_have_rest GLOBAL PROPERTY VF_HAVE_REST)
if(vf_have_rest)
  foreach(suite client stop krunkit)
    vf_add_test(test_rest_${suite} ${CMAKE_CURRENT_SOURCE_DIR}/rest_${suite}_test.c)
    target_link_libraries(test_rest_${suite} PRIVATE vf_rest_server)
    if(suite STREQUAL "client") # classifies libcurl's codes (rest/internal.h)
      target_link_libraries(test_rest_${suite} PRIVATE CURL::libcurl)
    endif()
    # A guard, not a measure: a hung server must not stall CI.
    set_tests_properties(test_rest_${suite} PROPERTIES TIMEOUT 120)
  endforeach()
endif()
set_tests_properties(test_rest_stop_signals PROPERTIES TIMEOUT 120)
