#!/usr/bin/env bash
# The shared library exports exactly the symbols listed in
# scripts/exports.txt: an accidental export, or a public function removed,
# fails here. After adding to the API on purpose, regenerate the list with
#   scripts/check.d/15-exports.sh --update
set -euo pipefail
src="${VF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
b="${VF_CHECK_DIR:-$src/build-check}/exports"
list="$src/scripts/exports.txt"
if [ "$(uname -s)" = Darwin ]; then
  echo "15-exports: skipped on macOS (the list is checked on Linux, where nm -D reads the ELF)"
  exit 0
fi
cmake -S "$src" -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DVF_BUILD_TOOLS=OFF \
      -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=OFF -DVF_WITH_CURL=ON >/dev/null
cmake --build "$b" --target vfconfig -j "${VF_JOBS:-2}" >/dev/null
lib=$(find "$b/src" -name 'libvfconfig.so.*.*' | head -n 1)
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort -u >"$b/exports.now"
if [ "${1:-}" = "--update" ]; then
  cp "$b/exports.now" "$list"
  echo "15-exports: wrote $(wc -l <"$list") symbols to scripts/exports.txt"
  exit 0
fi
if ! diff -u "$list" "$b/exports.now"; then
  echo "15-exports: the exported symbols differ from scripts/exports.txt (+ exported now, - listed)" >&2
  exit 1
fi
echo "15-exports: $(wc -l <"$list") symbols, as listed"
