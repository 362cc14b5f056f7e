#!/usr/bin/env bash
# The API reference: Doxygen over the public headers. An undocumented public
# symbol or a comment Doxygen cannot read is a warning, and fails the step.
set -euo pipefail
b="$VF_CHECK_DIR/docs"
cmake -S "$VF_SOURCE_DIR" -B "$b" -DBUILD_TESTING=OFF -DVF_BUILD_TOOLS=OFF \
      -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=OFF >/dev/null
cmake --build "$b" --target docs
echo "API reference: $b/docs/html/index.html"
