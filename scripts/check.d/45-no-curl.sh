#!/usr/bin/env bash
# The library without libcurl (VF_WITH_CURL=OFF): it builds, the REST
# client's calls say VF_ERR_UNSUPPORTED, the URI parser and the signal-only
# graceful stop still work, and the suites pass. Release, no sanitizers.
set -euo pipefail
b="$VF_CHECK_DIR/no-curl"
cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release -DVF_WITH_CURL=OFF \
      -DVF_BUILD_BENCH=OFF >/dev/null
grep -q '^#define VF_HAVE_REST 0$' "$b/include/vfconfig/features.h"
cmake --build "$b" -j "$VF_JOBS"
# tool_roundtrip (thousands of tool runs, nothing of the REST client) is
# left to the other steps, to keep this one quick.
ctest --test-dir "$b" --output-on-failure -j "$VF_JOBS" -E '^tool_roundtrip$'
