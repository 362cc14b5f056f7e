# examples/lifecycle.c: podman's start (ready socket, Ignition, spawn, wait
# for the guest and the REST API, signals passed on) and minikube's stop.
# Where there is no vfkit (Linux, CI), its test runs the stand-in launcher
# of the test suite (tests/launcher_stand_in.c), which plays vfkit and its
# guest: it fetches Ignition, says ready, serves the REST API.
if(TARGET launcher_stand_in)
  vf_add_example(lifecycle ${CMAKE_CURRENT_SOURCE_DIR}/lifecycle.c
                 ARGS $<TARGET_FILE:launcher_stand_in>)
  # With libcurl the guest shuts down on "Stop" (without, SIGTERM does it):
  # an error, Ignition not fetched or a harsher step is a failure.
  set_tests_properties(example_lifecycle PROPERTIES
      FAIL_REGULAR_EXPRESSION "lifecycle: |not fetched|stopped: (not running|HardStop|SIGKILL)")
else()
  vf_add_example(lifecycle ${CMAKE_CURRENT_SOURCE_DIR}/lifecycle.c)
endif()
