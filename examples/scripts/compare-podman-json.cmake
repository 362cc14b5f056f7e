# Test script: `vfconfig args podman-vm.json` must print what the podman_vm
# example prints, so the README's demo shows the example's VM.
execute_process(COMMAND ${EXAMPLE} OUTPUT_VARIABLE from_example RESULT_VARIABLE rc1)
execute_process(COMMAND ${TOOL} args ${JSON} OUTPUT_VARIABLE from_json RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "podman_vm exited ${rc1}, vfconfig args exited ${rc2}")
endif()
if(NOT from_example STREQUAL from_json)
  message(FATAL_ERROR "podman-vm.json is not the podman_vm example's VM:\n"
                      "example:\n${from_example}\nvfconfig args:\n${from_json}")
endif()
message(STATUS "podman-vm.json matches the podman_vm example")
