# test_spawn starts tests/spawn_child.c in vfkit's place and needs its path.
# The child is built without sanitizers: their runtimes could hold
# descriptors of their own, and the child counts every open descriptor.
if(TARGET test_spawn)
  add_executable(spawn_child ${CMAKE_CURRENT_SOURCE_DIR}/spawn_child.c)
  target_compile_definitions(spawn_child PRIVATE _POSIX_C_SOURCE=200809L)
  target_compile_options(spawn_child PRIVATE -fno-sanitize=all)
  target_link_options(spawn_child PRIVATE -fno-sanitize=all)

  # The same child linked statically, where the system can: started at a
  # descriptor limit that leaves no number free, a dynamic program could
  # not open its shared libraries.
  set(vf_spawn_static_child "")
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    include(CheckCSourceCompiles)
    set(CMAKE_REQUIRED_LINK_OPTIONS -static)
    check_c_source_compiles("int main(void) { return 0; }" VF_CAN_LINK_STATIC)
    unset(CMAKE_REQUIRED_LINK_OPTIONS)
    if(VF_CAN_LINK_STATIC)
      add_executable(spawn_child_static ${CMAKE_CURRENT_SOURCE_DIR}/spawn_child.c)
      target_compile_definitions(spawn_child_static PRIVATE _POSIX_C_SOURCE=200809L)
      target_compile_options(spawn_child_static PRIVATE -fno-sanitize=all)
      target_link_options(spawn_child_static PRIVATE -fno-sanitize=all -static)
      set(vf_spawn_static_child "$<TARGET_FILE:spawn_child_static>")
    endif()
  endif()

  set(vf_spawn_child_define VF_SPAWN_CHILD_PATH="$<TARGET_FILE:spawn_child>"
      VF_SPAWN_STATIC_CHILD_PATH="${vf_spawn_static_child}")
  add_dependencies(test_spawn spawn_child)
  if(TARGET spawn_child_static)
    add_dependencies(test_spawn spawn_child_static)
  endif()

  # platform.c picks posix_spawn_file_actions_addclosefrom_np from glibc's
  # version; the test checks that choice against what the C library really
  # links, found here.
  set(vf_expect_closefrom 0)
  if(NOT APPLE)
    include(CheckSymbolExists)
    set(CMAKE_REQUIRED_DEFINITIONS -D_GNU_SOURCE)
    check_symbol_exists(posix_spawn_file_actions_addclosefrom_np spawn.h
                        VF_HAVE_ADDCLOSEFROM_NP)
    unset(CMAKE_REQUIRED_DEFINITIONS)
    if(VF_HAVE_ADDCLOSEFROM_NP)
      set(vf_expect_closefrom 1)
    endif()
  endif()
  target_compile_definitions(test_spawn PRIVATE ${vf_spawn_child_define}
                             VF_EXPECT_CLOSEFROM=${vf_expect_closefrom})

  # On glibc 2.34 and later the child's descriptors are closed with
  # posix_spawn_file_actions_addclosefrom_np; test_spawn_fallback runs the
  # same suite over the other way (one close action per open descriptor),
  # which older glibc and musl take. Its own copy of platform.c, built with
  # VF_SPAWN_NO_CLOSEFROM, defines every symbol of platform.o, so the
  # linker takes none from the static library.
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    vf_add_test(test_spawn_fallback ${CMAKE_CURRENT_SOURCE_DIR}/test_spawn.c
                ${PROJECT_SOURCE_DIR}/src/spawn/platform.c)
    target_compile_definitions(test_spawn_fallback PRIVATE VF_SPAWN_NO_CLOSEFROM
                               ${vf_spawn_child_define} VF_EXPECT_CLOSEFROM=0)
    add_dependencies(test_spawn_fallback spawn_child)
    if(TARGET spawn_child_static)
      add_dependencies(test_spawn_fallback spawn_child_static)
    endif()
  endif()
endif()
