# Runs Doxygen for the docs target (cmake -P): DOXYGEN is the program found
# at configure time, if any; otherwise it is looked for now on PATH.
set(vf_doxygen "${DOXYGEN}")
if(NOT vf_doxygen OR NOT EXISTS "${vf_doxygen}")
  find_program(vf_doxygen_now doxygen)
  set(vf_doxygen "${vf_doxygen_now}")
endif()
if(NOT vf_doxygen)
  message(FATAL_ERROR "docs: Doxygen was not found on PATH (scripts/install-deps --test installs it)")
endif()
execute_process(COMMAND "${vf_doxygen}" "${DOXYFILE}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "docs: Doxygen failed (${rc})")
endif()
