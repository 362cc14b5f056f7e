/*
 * Assertions shared by the command-line suites (test_bootloader.c,
 * test_vm.c, test_cmdline.c). Include after <cmocka.h> and "internal.h".
 */
#ifndef VF_TESTS_CORE_ASSERTS_H
#define VF_TESTS_CORE_ASSERTS_H

#include <string.h>

/* argv (NULL-terminated) holds exactly the n strings of want. */
static inline void assert_argv(char *const *argv, const char *const *want, size_t n)
{
    assert_non_null(argv);
    size_t got = vf_strv_length(argv);
    for (size_t i = 0; i < got && i < n; i++)
        if (strcmp(argv[i], want[i]) != 0)
            fail_msg("argv[%zu]: got \"%s\", want \"%s\"", i, argv[i], want[i]);
    assert_int_equal(got, n);
}

#define ASSERT_ARGV(argv, ...)                                    \
    do {                                                          \
        static const char *const want_[] = {__VA_ARGS__};         \
        assert_argv(argv, want_, sizeof want_ / sizeof want_[0]); \
    } while (0)

/* err holds code and a message containing part. */
static inline void assert_error(const vf_error *err, int code, const char *part)
{
    if (strstr(err->text, part) == NULL)
        fail_msg("\"%s\" not in \"%s\"", part, err->text);
    assert_int_equal(err->code, code);
}

#endif
