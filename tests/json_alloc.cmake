# test_json_alloc makes allocations fail (src/util/alloc_hook.h): it links the
# hooked copy of the library that alloc_failure.cmake builds, unless the
# whole build has the hook (VF_ALLOC_FAILURE_INJECTION).
if(TARGET test_json_alloc AND TARGET vfconfig_alloc_injection)
  get_target_property(vf_json_alloc_links test_json_alloc LINK_LIBRARIES)
  list(TRANSFORM vf_json_alloc_links REPLACE "^vfconfig_static$" vfconfig_alloc_injection)
  set_property(TARGET test_json_alloc PROPERTY LINK_LIBRARIES ${vf_json_alloc_links})
endif()
