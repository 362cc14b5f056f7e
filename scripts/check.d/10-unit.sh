#!/usr/bin/env bash
# The cmocka suites and the conformance vectors, built with
# AddressSanitizer + UndefinedBehaviorSanitizer (leak checking included
# where LeakSanitizer exists: Linux). With VF_QUICK=1 (scripts/check
# --quick) the tool's round trip over every vector (tool_roundtrip_*,
# thousands of tool runs, most of this step's time) is left out; the
# vectors still run in-process in test_conformance and test_device_vectors.
set -euo pipefail
cc=clang
command -v clang >/dev/null || cc=cc
b="$VF_CHECK_DIR/asan"
cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER="$cc" \
      -DVF_SANITIZE=address,undefined >/dev/null
cmake --build "$b" -j "$VF_JOBS"
export ASAN_OPTIONS=abort_on_error=1:strict_string_checks=1
[ "$(uname -s)" != Linux ] || ASAN_OPTIONS="detect_leaks=1:$ASAN_OPTIONS"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exclude=()
[ "${VF_QUICK:-0}" != 1 ] || exclude=(-E '^tool_roundtrip_[0-9]+$')
ctest --test-dir "$b" --output-on-failure -j "$VF_JOBS" ${exclude[@]+"${exclude[@]}"}
