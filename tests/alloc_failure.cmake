# test_alloc_failure needs a library whose allocations can be made to fail
# (src/util/alloc_hook.h). A VF_ALLOC_FAILURE_INJECTION build has one already;
# any other build compiles a private copy of the library with the hook for
# this test alone, so the test is real in every build and the shipped
# library stays without it.
if(TARGET test_alloc_failure AND NOT VF_ALLOC_FAILURE_INJECTION)
  get_target_property(vf_injection_sources vfconfig_objects SOURCES)
  add_library(vfconfig_alloc_injection STATIC EXCLUDE_FROM_ALL ${vf_injection_sources})
  target_compile_definitions(vfconfig_alloc_injection PRIVATE
      $<TARGET_PROPERTY:vfconfig_objects,COMPILE_DEFINITIONS> VF_ALLOC_FAILURE_INJECTION)
  target_compile_options(vfconfig_alloc_injection PRIVATE
      $<TARGET_PROPERTY:vfconfig_objects,COMPILE_OPTIONS>)
  target_include_directories(vfconfig_alloc_injection
      PUBLIC $<TARGET_PROPERTY:vfconfig_static,INTERFACE_INCLUDE_DIRECTORIES>
      PRIVATE $<TARGET_PROPERTY:vfconfig_objects,INCLUDE_DIRECTORIES> ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(vfconfig_alloc_injection PUBLIC
      $<TARGET_PROPERTY:vfconfig_objects,LINK_LIBRARIES>
      $<TARGET_PROPERTY:vfconfig_static,LINK_LIBRARIES>)
  set_target_properties(vfconfig_alloc_injection PROPERTIES C_VISIBILITY_PRESET hidden)

  get_target_property(vf_injection_links test_alloc_failure LINK_LIBRARIES)
  list(TRANSFORM vf_injection_links REPLACE "^vfconfig_static$" vfconfig_alloc_injection)
  set_property(TARGET test_alloc_failure PROPERTY LINK_LIBRARIES ${vf_injection_links})
endif()
