#!/usr/bin/env bash
# Every C source and header of the project is formatted as .clang-format
# says: `clang-format -i FILE` fixes what this step reports.
set -euo pipefail
cd "$VF_SOURCE_DIR"
if ! command -v clang-format >/dev/null 2>&1; then
  echo "05-format: clang-format not found (scripts/install-deps --test installs it)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.c' '*.h' '*.hpp' '*.cpp' 2>/dev/null || find src include tests tools fuzz bench examples -name '*.[ch]')
clang-format --dry-run -Werror "${files[@]}"
echo "05-format: ${#files[@]} files formatted as .clang-format says"
