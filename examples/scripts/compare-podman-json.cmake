# Test script: `vfconfig args podman-vm.json` must print what the podman_vm
# example prints, so the README's demo shows the example's VM.
# EXAMPLE_ARGS: --launcher=krunkit for the krunkit variant, which the example says --krunkit.
string(REPLACE "--launcher=krunkit" "--krunkit" example_args "${EXAMPLE_ARGS}")
execute_process(COMMAND ${EXAMPLE} ${example_args} OUTPUT_VARIABLE from_example RESULT_VARIABLE rc1)
# TOOL_ARGS: what else `vfconfig args` needs (--launcher=krunkit for the krunkit variant).
execute_process(COMMAND ${TOOL} args ${TOOL_ARGS} ${JSON} OUTPUT_VARIABLE from_json
                RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "podman_vm exited ${rc1}, vfconfig args exited ${rc2}")
endif()
if(NOT from_example STREQUAL from_json)
  message(FATAL_ERROR "podman-vm.json is not the podman_vm example's VM:\n"
                      "example:\n${from_example}\nvfconfig args:\n${from_json}")
endif()
message(STATUS "podman-vm.json matches the podman_vm example")
