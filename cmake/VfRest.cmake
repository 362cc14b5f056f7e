# The REST client of include/vfconfig/rest.h, on libcurl.
# Included at the end of src/CMakeLists.txt. VF_WITH_CURL (top level):
#   ON    libcurl is required
#   OFF   no client: its functions fail with VF_ERR_UNSUPPORTED
#   AUTO  the client is built when libcurl is found
# Generates include/vfconfig/features.h (VF_HAVE_REST) in the build tree and
# records the choice in the global property VF_HAVE_REST for tests/rest.cmake.
string(TOUPPER "${VF_WITH_CURL}" vf_with_curl)
set(VF_HAVE_REST 0)
if(vf_with_curl STREQUAL "AUTO")
  find_package(CURL 7.40)
elseif(VF_WITH_CURL)
  # 7.40 brought CURLOPT_UNIX_SOCKET_PATH.
  find_package(CURL 7.40 REQUIRED)
endif()
if(CURL_FOUND AND NOT vf_with_curl MATCHES "^(OFF|NO|FALSE|0|N)$")
  set(VF_HAVE_REST 1)
endif()
message(STATUS "libvfconfig REST client (libcurl): ${VF_HAVE_REST}")
set_property(GLOBAL PROPERTY VF_HAVE_REST ${VF_HAVE_REST})

configure_file(${PROJECT_SOURCE_DIR}/include/vfconfig/features.h.in
               ${PROJECT_BINARY_DIR}/include/vfconfig/features.h @ONLY)

set(vf_rest_dir ${PROJECT_SOURCE_DIR}/src/rest)
# Names and the lifecycle helpers work without libcurl (signals only).
target_sources(vfconfig_objects PRIVATE ${vf_rest_dir}/states.c ${vf_rest_dir}/lifecycle.c)
if(VF_HAVE_REST)
  # Targets in other folders (tests, tools) read the libraries' link lists,
  # so the imported target must be visible everywhere; an ALIAS (curl's own
  # CMake package) is followed to the real target, which can be made global.
  set(vf_curl_target CURL::libcurl)
  get_target_property(vf_curl_aliased CURL::libcurl ALIASED_TARGET)
  if(vf_curl_aliased)
    set(vf_curl_target ${vf_curl_aliased})
  endif()
  get_target_property(vf_curl_global ${vf_curl_target} IMPORTED_GLOBAL)
  if(NOT vf_curl_global)
    set_target_properties(${vf_curl_target} PROPERTIES IMPORTED_GLOBAL TRUE)
  endif()
  target_sources(vfconfig_objects PRIVATE ${vf_rest_dir}/client.c ${vf_rest_dir}/api.c)
  target_link_libraries(vfconfig_objects PRIVATE ${vf_curl_target})
  foreach(t vfconfig vfconfig_static)
    target_link_libraries(${t} PRIVATE ${vf_curl_target})
  endforeach()
else()
  target_sources(vfconfig_objects PRIVATE ${vf_rest_dir}/unsupported.c)
endif()
