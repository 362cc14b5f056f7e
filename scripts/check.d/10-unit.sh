#!/usr/bin/env bash
# The cmocka suites and the conformance vectors, built with
# AddressSanitizer + UndefinedBehaviorSanitizer (leak checking included).
set -euo pipefail
b="$VF_CHECK_DIR/asan"
cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
      -DVF_SANITIZE=address,undefined >/dev/null
cmake --build "$b" -j "$VF_JOBS"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$b" --output-on-failure -j "$VF_JOBS"
