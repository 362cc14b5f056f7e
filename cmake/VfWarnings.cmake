# Warning flags for every target of the project (C11, GCC and Clang).
set(VF_WARNING_FLAGS
    -Wall -Wextra -Wpedantic
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef
    -Wvla -Wwrite-strings -Wpointer-arith -Wcast-align -Wimplicit-fallthrough
    -Wold-style-definition -Wnested-externs)
if(VF_WERROR)
  list(APPEND VF_WARNING_FLAGS -Werror)
endif()
add_compile_options("$<$<COMPILE_LANGUAGE:C>:${VF_WARNING_FLAGS}>")
