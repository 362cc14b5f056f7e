# examples/podman_vm.cpp, the C++ layer's version of podman_vm, where a C++
# compiler exists: built as C++17 with the warnings the header is held to,
# and its output must be the C example's (the same VM as podman-vm.json).
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  vf_add_example(podman_vm_cpp ${CMAKE_CURRENT_SOURCE_DIR}/podman_vm.cpp)
  set_target_properties(podman_vm_cpp PROPERTIES
      CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  target_compile_options(podman_vm_cpp PRIVATE -Wall -Wextra -Wpedantic -Wold-style-cast
                         -Wconversion -Werror)
  vf_compare_podman_json(podman_vm_cpp)
endif()
