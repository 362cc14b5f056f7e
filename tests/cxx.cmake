# The C++ layer (include/vfconfig/vfconfig.hpp), where a C++ compiler
# exists: tests/hpp_test.cpp as C++17 and C++20, and as C++17 without
# exceptions, warnings as errors with -Wold-style-cast and -Wconversion
# (the header must stay clean under them), sanitizers as the rest.
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  foreach(variant 17 20 17-noexcept)
    string(REGEX MATCH "^[0-9]+" std ${variant})
    set(name test_hpp_cxx${variant})
    string(REPLACE "-" "_" name ${name})
    add_executable(${name} ${CMAKE_CURRENT_SOURCE_DIR}/hpp_test.cpp)
    set_target_properties(${name} PROPERTIES
        CXX_STANDARD ${std} CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
    target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic -Wold-style-cast
                           -Wconversion -Wsign-conversion -Wshadow -Werror
                           $<$<STREQUAL:${variant},17-noexcept>:-fno-exceptions>)
    target_link_libraries(${name} PRIVATE vfconfig_static PkgConfig::JANSSON)
    add_test(NAME ${name} COMMAND ${name})
  endforeach()
endif()
