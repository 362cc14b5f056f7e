# Install rules and package files: headers (with the generated ones),
# the shared and static libraries, vfconfig.pc, a CMake package
# (find_package(vfconfig) -> vfconfig::vfconfig, vfconfig::vfconfig_static),
# the vfconfig tool and its man page. Included at the end of the top-level
# CMakeLists.txt, once every target exists. Also defines the `docs` target.
include(CMakePackageConfigHelpers)

set(VF_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/vfconfig)

# The C headers, the C++ layer (vfconfig.hpp) and the Clang module map
# (module.modulemap: `import vfconfig` from Swift and Objective-C).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/vfconfig
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "*.modulemap")
# Headers CMake generates (version.h, features.h) sit in the build tree.
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/vfconfig
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

install(TARGETS vfconfig vfconfig_static EXPORT vfconfigTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT vfconfigTargets NAMESPACE vfconfig:: DESTINATION ${VF_CMAKE_INSTALL_DIR})

# The libraries' own dependencies. A static library passes them on to its
# users, so the package file finds them again, the way the build found
# them: "pkg:NAME=module" for pkg-config's PkgConfig::NAME, "cmake:Package"
# for find_package(Package). vfconfig.pc lists the pkg-config modules.
# Plain libraries (-lNAME or a name) go to Libs.private.
set(VF_FIND_DEPENDENCIES "")
set(VF_PC_REQUIRES_PRIVATE "")
set(VF_PC_LIBS_PRIVATE "")
get_target_property(vf_link_libs vfconfig_static LINK_LIBRARIES)
foreach(lib IN LISTS vf_link_libs)
  if(lib MATCHES "^-l")
    list(APPEND VF_PC_LIBS_PRIVATE ${lib})
  elseif(lib MATCHES "^[A-Za-z0-9_]+$" AND NOT TARGET ${lib})
    list(APPEND VF_PC_LIBS_PRIVATE -l${lib})
  elseif(lib MATCHES "^PkgConfig::(.+)$")
    set(name ${CMAKE_MATCH_1})
    string(TOLOWER "${name}" module)  # PkgConfig::JANSSON is jansson
    list(APPEND VF_FIND_DEPENDENCIES "pkg:${name}=${module}")
    list(APPEND VF_PC_REQUIRES_PRIVATE ${module})
  elseif(lib MATCHES "^CURL::")
    list(APPEND VF_FIND_DEPENDENCIES "cmake:CURL")
    list(APPEND VF_PC_REQUIRES_PRIVATE libcurl)
  endif()
endforeach()
list(REMOVE_DUPLICATES VF_FIND_DEPENDENCIES)
list(REMOVE_DUPLICATES VF_PC_REQUIRES_PRIVATE)
string(REPLACE ";" " " VF_PC_REQUIRES_PRIVATE "${VF_PC_REQUIRES_PRIVATE}")
string(REPLACE ";" " " VF_PC_LIBS_PRIVATE "${VF_PC_LIBS_PRIVATE}")

configure_package_config_file(
    ${CMAKE_CURRENT_LIST_DIR}/vfconfigConfig.cmake.in
    ${PROJECT_BINARY_DIR}/vfconfigConfig.cmake
    INSTALL_DESTINATION ${VF_CMAKE_INSTALL_DIR})
write_basic_package_version_file(
    ${PROJECT_BINARY_DIR}/vfconfigConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/vfconfigConfig.cmake
              ${PROJECT_BINARY_DIR}/vfconfigConfigVersion.cmake
        DESTINATION ${VF_CMAKE_INSTALL_DIR})

# vfconfig.pc finds its prefix from its own place (${pcfiledir}), so the
# files still work after `cmake --install --prefix DIR` or a move.
set(VF_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(VF_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(VF_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(VF_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH vf_pc_up /root/${VF_PC_DIR} /root)
  string(REGEX REPLACE "/$" "" vf_pc_up "${vf_pc_up}")
  set(VF_PC_PREFIX "\${pcfiledir}/${vf_pc_up}")
  set(VF_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(VF_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/vfconfig.pc.in ${PROJECT_BINARY_DIR}/vfconfig.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/vfconfig.pc DESTINATION ${VF_PC_DIR})

if(TARGET vfconfig_tool)
  install(TARGETS vfconfig_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/tools/vfconfig/vfconfig.1
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

include(VfDocs)
