#!/usr/bin/env bash
# Installs libvfconfig into a temporary prefix, checks what landed there,
# then builds programs outside the project against it: one with CMake's
# find_package, one with pkg-config, each compiled as C and as C++ (and
# linked statically too), and runs them. Also runs the installed tool.
set -euo pipefail
b="$VF_CHECK_DIR/install"
prefix="$VF_CHECK_DIR/install-prefix"
rm -rf "$prefix" "$b/consumer-cmake" "$b/consumer-pc"

cmake -S "$VF_SOURCE_DIR" -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DVF_BUILD_EXAMPLES=OFF -DVF_BUILD_BENCH=OFF >/dev/null
cmake --build "$b" -j "$VF_JOBS" >/dev/null
cmake --install "$b" --prefix "$prefix" >/dev/null

pc=$(find "$prefix" -name vfconfig.pc)
libdir=$(dirname "$(dirname "$pc")")
missing=0
for f in include/vfconfig/vfconfig.h include/vfconfig/version.h bin/vfconfig \
         share/man/man1/vfconfig.1; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; missing=1; }
done
shared=libvfconfig.so
[ "$(uname)" = Darwin ] && shared=libvfconfig.dylib
for f in libvfconfig.a $shared cmake/vfconfig/vfconfigConfig.cmake \
         cmake/vfconfig/vfconfigConfigVersion.cmake cmake/vfconfig/vfconfigTargets.cmake; do
  [ -e "$libdir/$f" ] || { echo "not installed: $libdir/$f"; missing=1; }
done
[ $missing -eq 0 ]

# The installed tool and its man page.
"$prefix/bin/vfconfig" --version
"$prefix/bin/vfconfig" args "$VF_SOURCE_DIR/examples/podman-vm.json" >/dev/null
grep -q '^\.TH VFCONFIG 1' "$prefix/share/man/man1/vfconfig.1"

# find_package(vfconfig): shared and static, C and C++.
cmake -S "$VF_SOURCE_DIR/tests/consumers" -B "$b/consumer-cmake" \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$b/consumer-cmake" -j "$VF_JOBS" >/dev/null
for exe in consumer_c consumer_cxx consumer_c_static consumer_cxx_static; do
  echo "find_package $exe: $("$b/consumer-cmake/$exe")"
done

# pkg-config: C and C++, with the library found through the .pc's own place.
export PKG_CONFIG_PATH="$(dirname "$pc")"
pkg-config --exists --print-errors 'vfconfig >= 0.1'
mkdir -p "$b/consumer-pc"
src="$VF_SOURCE_DIR/tests/consumers/consumer.c"
read -r -a cflags <<< "$(pkg-config --cflags vfconfig)"
read -r -a libs <<< "$(pkg-config --libs vfconfig)"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror "${cflags[@]}" "$src" "${libs[@]}" \
   -Wl,-rpath,"$libdir" -o "$b/consumer-pc/consumer_c"
c++ -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror "${cflags[@]}" "$src" -x none "${libs[@]}" \
   -Wl,-rpath,"$libdir" -o "$b/consumer-pc/consumer_cxx"
# Static: the archive, then the modules its Requires.private names, linked
# as shared libraries (`--static` would also want their own static deps).
read -r -a private <<< "$(pkg-config --print-requires-private vfconfig | tr '\n' ' ')"
read -r -a static_libs <<< "$(pkg-config --libs "${private[@]}")"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror "${cflags[@]}" "$src" "$libdir/libvfconfig.a" \
   "${static_libs[@]}" -o "$b/consumer-pc/consumer_c_static"
for exe in consumer_c consumer_cxx consumer_c_static; do
  echo "pkg-config $exe: $("$b/consumer-pc/$exe")"
done
