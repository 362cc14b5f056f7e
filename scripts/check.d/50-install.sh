#!/usr/bin/env bash
# The README's "Install" section, followed literally: its three blocks
# (marked <!-- install:library -->, <!-- install:cmake -->,
# <!-- install:app -->) run as written, the library's in a copy of the
# source tree, your project's in a folder holding app.c and app.cpp (the
# consumers of tests/consumers) and the README's CMakeLists.txt. HOME is a
# scratch folder, so the README's prefix ($HOME/.local) lands there, and
# nothing else is set but CMAKE_BUILD_PARALLEL_LEVEL. Then checks what was
# installed, runs the installed tool, and builds the consumers again with
# warnings as errors: as C and C++11 against the shared and the static
# library (find_package), and with pkg-config --static. Last, clang
# -fmodules imports the installed module map from C and Objective-C.
set -euo pipefail
b="$VF_CHECK_DIR/install"
rm -rf "$b"
mkdir -p "$b/src" "$b/home" "$b/app"

# The README's fenced block after a marker.
readme_block() {
  awk -v marker="<!-- install:$1 -->" '
    $0 == marker { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }' "$VF_SOURCE_DIR/README.md"
}
for block in library cmake app; do
  [ -n "$(readme_block $block)" ] || { echo "README.md: no <!-- install:$block --> block"; exit 1; }
done

# A fresh tree: the sources without build folders or git metadata.
(cd "$VF_SOURCE_DIR" && tar --exclude='./build*' --exclude=./.git --exclude='./out' -cf - .) |
  (cd "$b/src" && tar -xf -)
cp "$VF_SOURCE_DIR/tests/consumers/consumer.c" "$b/app/app.c"
cp "$VF_SOURCE_DIR/tests/consumers/consumer.cpp" "$b/app/app.cpp"
readme_block cmake >"$b/app/CMakeLists.txt"
{
  echo 'set -euxo pipefail'
  echo "cd '$b/src'"
  readme_block library
  echo "cd '$b/app'"
  readme_block app
} >"$b/readme-install.sh"
echo "-- the README's install section, as written"
env HOME="$b/home" CMAKE_BUILD_PARALLEL_LEVEL="$VF_JOBS" bash "$b/readme-install.sh" \
  >"$b/readme-install.log" 2>&1 || { cat "$b/readme-install.log"; exit 1; }
grep -E '^consumer' "$b/readme-install.log"

prefix="$b/home/.local"
pc=$(find "$prefix" -name vfconfig.pc)
libdir=$(dirname "$(dirname "$pc")")
missing=0
for f in include/vfconfig/vfconfig.h include/vfconfig/version.h include/vfconfig/features.h \
         include/vfconfig/vfconfig.hpp include/vfconfig/module.modulemap bin/vfconfig \
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

# find_package(vfconfig), warnings as errors: shared and static, C and C++11.
cmake -S "$VF_SOURCE_DIR/tests/consumers" -B "$b/consumer-cmake" \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$b/consumer-cmake" -j "$VF_JOBS" >/dev/null
for exe in consumer_c consumer_cxx consumer_c_static consumer_cxx_static consumer_hpp; do
  echo "find_package $exe: $("$b/consumer-cmake/$exe")"
done

# pkg-config --static: Cflags.private has VFCONFIG_STATIC, the libraries
# include what Requires.private (jansson, libcurl) and Libs.private name.
# The link takes the archive and those modules as shared libraries: their
# own static dependencies (curl's nghttp2, ldap, ...) are not installed by
# Debian's -dev packages.
export PKG_CONFIG_PATH="$(dirname "$pc")"
pkg-config --exists --print-errors 'vfconfig >= 0.1'
read -r -a cflags <<< "$(pkg-config --static --cflags vfconfig)"
static=" $(pkg-config --static --libs vfconfig) "
case " ${cflags[*]} " in *" -DVFCONFIG_STATIC "*) ;; *)
  echo "pkg-config --static --cflags vfconfig: no -DVFCONFIG_STATIC"; exit 1 ;;
esac
for module in $(pkg-config --print-requires-private vfconfig); do
  for l in $(pkg-config --libs-only-l "$module"); do
    case $static in *" $l "*) ;; *)
      echo "pkg-config --static --libs vfconfig: no $l (of $module)"; exit 1 ;;
    esac
  done
done
read -r -a private <<< "$(pkg-config --print-requires-private vfconfig | tr '\n' ' ')"
read -r -a libs <<< "$(pkg-config --libs "${private[@]}") $(pkg-config --variable=Libs.private vfconfig 2>/dev/null || true)"
mkdir -p "$b/consumer-pc"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror "${cflags[@]}" "$VF_SOURCE_DIR/tests/consumers/consumer.c" \
   "$libdir/libvfconfig.a" ${libs[@]+"${libs[@]}"} -o "$b/consumer-pc/consumer_c_static"
echo "pkg-config --static consumer_c_static: $("$b/consumer-pc/consumer_c_static")"

# The module map: a C file whose #include becomes a module import with
# -fmodules, and an Objective-C file with @import; clang's remark shows the
# module was built, and the programs link and run.
command -v clang >/dev/null || { echo "clang not found (scripts/install-deps --test)"; exit 1; }
m="$b/modules"
mkdir -p "$m"
printf '%s\n' '#include <vfconfig/vfconfig.h>' \
    'int main(void) { return vf_version() == VF_VERSION_NUMBER ? 0 : 1; }' >"$m/import.c"
printf '%s\n' '@import vfconfig;' \
    'int main(void) { vf_error err = {0, {0}, {0}}; return vf_version() == VF_VERSION_NUMBER && err.code == VF_OK ? 0 : 1; }' \
    >"$m/import.m"
for src in import.c import.m; do
  clang -Wall -Wextra -Werror -fmodules -fmodules-cache-path="$m/cache" \
        -fmodule-map-file="$prefix/include/vfconfig/module.modulemap" -I"$prefix/include" \
        -Rmodule-build -c "$m/$src" -o "$m/$src.o" 2>"$m/$src.log" || { cat "$m/$src.log"; exit 1; }
  grep -q "finished building module 'vfconfig'" "$m/$src.log" ||
    { cat "$m/$src.log"; echo "clang -fmodules: $src did not import the module vfconfig"; exit 1; }
  clang "$m/$src.o" -L"$libdir" -lvfconfig -Wl,-rpath,"$libdir" -o "$m/${src%.*}-${src#*.}"
  "$m/${src%.*}-${src#*.}"
  echo "clang -fmodules: $src imports vfconfig, links and runs"
done
