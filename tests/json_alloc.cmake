# test_json_alloc makes allocations fail and test_json_memory watches them
# (src/util/alloc_hook.h): they link the hooked copy of the library that
# alloc_failure.cmake builds, unless the whole build has the hook
# (VF_ALLOC_FAILURE_INJECTION).
foreach(vf_hooked test_json_alloc test_json_memory)
  if(TARGET ${vf_hooked} AND TARGET vfconfig_alloc_injection)
    get_target_property(vf_hooked_links ${vf_hooked} LINK_LIBRARIES)
    list(TRANSFORM vf_hooked_links REPLACE "^vfconfig_static$" vfconfig_alloc_injection)
    set_property(TARGET ${vf_hooked} PROPERTY LINK_LIBRARIES ${vf_hooked_links})
  endif()
endforeach()
