# Cross-compiling for macOS with zig's clang, which ships the macOS libc
# headers and link stubs: the library, the tool and the tests then compile
# AND link on Linux for what vfkit runs on. Used by
# scripts/check.d/40-macos-cross.sh through zig-aarch64-macos.cmake and
# zig-x86_64-macos.cmake, which set VF_ZIG_TARGET and include this file.
#
# zig: the ZIG environment variable, or `zig` on PATH. Dependencies (jansson,
# libcurl, cmocka) must not come from the host's /usr/include, whose glibc
# headers would shadow the macOS ones: the check step gives their headers
# alone, with link stubs.

if(NOT VF_ZIG_TARGET)
  message(FATAL_ERROR "zig-macos.cmake: include it from zig-<arch>-macos.cmake")
endif()
# Kept in the cache (and handed to try_compile) for the re-runs of CMake
# that a build may start without ZIG in its environment.
if(NOT VF_ZIG)
  if(DEFINED ENV{ZIG} AND NOT "$ENV{ZIG}" STREQUAL "")
    set(VF_ZIG "$ENV{ZIG}" CACHE FILEPATH "The zig executable")
  else()
    find_program(VF_ZIG zig)
  endif()
endif()
if(NOT VF_ZIG)
  message(FATAL_ERROR "zig-macos.cmake: set ZIG to the zig executable or put zig on PATH")
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES VF_ZIG)

set(CMAKE_SYSTEM_NAME Darwin)
if(VF_ZIG_TARGET MATCHES "^aarch64")
  set(CMAKE_SYSTEM_PROCESSOR arm64)
else()
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
endif()

# "zig cc" as one compiler; CMake adds --target=<VF_ZIG_TARGET>.
set(CMAKE_C_COMPILER "${VF_ZIG}" cc)
set(CMAKE_C_COMPILER_TARGET ${VF_ZIG_TARGET})

# Archives must be in the Darwin format zig's linker reads; the host's GNU
# ar writes another. zig's own llvm-ar picks it from the Mach-O members.
set(CMAKE_C_ARCHIVE_CREATE "\"${VF_ZIG}\" ar qc <TARGET> <LINK_FLAGS> <OBJECTS>")
set(CMAKE_C_ARCHIVE_APPEND "\"${VF_ZIG}\" ar q <TARGET> <LINK_FLAGS> <OBJECTS>")
set(CMAKE_C_ARCHIVE_FINISH "\"${VF_ZIG}\" ranlib <TARGET>")

# CMake's ABI probe passes -Wl,-v, which zig refuses, so the probe fails
# (harmlessly) and cannot tell the pointer size: both targets are 64-bit.
set(CMAKE_SIZEOF_VOID_P 8)

# The C++ layer (vfconfig.hpp's tests, the C++ example) is cross-compiled
# the same way, with "zig c++".
set(CMAKE_CXX_COMPILER "${VF_ZIG}" c++)
set(CMAKE_CXX_COMPILER_TARGET ${VF_ZIG_TARGET})
set(CMAKE_CXX_ARCHIVE_CREATE "${CMAKE_C_ARCHIVE_CREATE}")
set(CMAKE_CXX_ARCHIVE_APPEND "${CMAKE_C_ARCHIVE_APPEND}")
set(CMAKE_CXX_ARCHIVE_FINISH "${CMAKE_C_ARCHIVE_FINISH}")
# CMake looks for install_name_tool once a second language is enabled on
# Darwin; the cross-build never installs, so a no-op stands in.
set(CMAKE_INSTALL_NAME_TOOL /bin/true)
