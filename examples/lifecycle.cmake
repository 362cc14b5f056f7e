# examples/lifecycle.c: starts a VM's vfkit, waits for its REST API, stops
# it gracefully. Where there is no vfkit (Linux, CI), its test runs the
# fake vfkit of the test suite (tests/rest_fake_vfkit.c), which serves
# vfkit's REST API and exits when its VM stops.
if(TARGET rest_fake_vfkit)
  vf_add_example(lifecycle ${CMAKE_CURRENT_SOURCE_DIR}/lifecycle.c
                 ARGS $<TARGET_FILE:rest_fake_vfkit>)
  # With libcurl the guest shuts down on "Stop" (without, SIGTERM does it):
  # a wait that fails or a harsher step is a failure, as is the exit code.
  set_tests_properties(example_lifecycle PROPERTIES
      FAIL_REGULAR_EXPRESSION "waiting for vfkit|stopped: (it was not running|HardStop|SIGKILL)")
else()
  vf_add_example(lifecycle ${CMAKE_CURRENT_SOURCE_DIR}/lifecycle.c)
endif()
