/*
 * Integers read as Go's strconv reads them: ParseUint, ParseInt, Atoi and
 * the base-0 form pflag uses for --cpus and --memory. Expected values are
 * strconv's documented behaviour (syntax vs range errors, clamping).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "util/numbers.h"

typedef struct uint_case {
    const char *in;
    int base;
    unsigned bits;
    int rc;
    uint64_t out; /* strconv's value: 0 on syntax error, the bound on overflow */
    const char *reason;
} uint_case;

static const char SYNTAX[] = "invalid syntax";
static const char RANGE[] = "value out of range";

static void check_uint_cases(const uint_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t out = 12345;
        const char *reason = NULL;
        int rc = vf__parse_uint_ex(cases[i].in, cases[i].base, cases[i].bits, &out, &reason);
        print_message("ParseUint(%s, %d, %u)\n", cases[i].in, cases[i].base, cases[i].bits);
        assert_int_equal(rc, cases[i].rc);
        assert_true(out == cases[i].out);
        if (cases[i].rc == VF_OK)
            assert_null(reason);
        else
            assert_string_equal(reason, cases[i].reason);
    }
}

static void test_parse_uint_base10(void **state)
{
    (void)state;
    static const uint_case cases[] = {
        {"0", 10, 32, VF_OK, 0, NULL},
        {"1", 10, 32, VF_OK, 1, NULL},
        {"007", 10, 32, VF_OK, 7, NULL}, /* leading zeros are plain decimal in base 10 */
        {"1234", 10, 32, VF_OK, 1234, NULL},
        {"4294967295", 10, 32, VF_OK, 4294967295u, NULL},
        {"4294967296", 10, 32, VF_ERR_INVALID, 4294967295u, RANGE},
        {"99999999999999999999", 10, 32, VF_ERR_INVALID, 4294967295u, RANGE},
        {"18446744073709551615", 10, 64, VF_OK, UINT64_MAX, NULL},
        {"18446744073709551616", 10, 64, VF_ERR_INVALID, UINT64_MAX, RANGE},
        {"9223372036854775808", 10, 64, VF_OK, (uint64_t)1 << 63, NULL},
        {"255", 10, 8, VF_OK, 255, NULL},
        {"256", 10, 8, VF_ERR_INVALID, 255, RANGE},
        {"", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"+1", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"-0", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"-1", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {" 1", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"1 ", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"1_000", 10, 32, VF_ERR_INVALID, 0, SYNTAX}, /* '_' only when the base is 0 */
        {"0x10", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"abc", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"12a", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        /* The first overflow is reported even when a bad digit follows. */
        {"99999999999x", 10, 32, VF_ERR_INVALID, 4294967295u, RANGE},
        {"1x99999999999", 10, 32, VF_ERR_INVALID, 0, SYNTAX},
        {"\xd9\xa1", 10, 32, VF_ERR_INVALID, 0, SYNTAX}, /* ARABIC-INDIC DIGIT ONE */
        {"ff", 16, 8, VF_OK, 255, NULL},
        {"FF", 16, 8, VF_OK, 255, NULL},
        {"z", 36, 64, VF_OK, 35, NULL},
        {"2", 2, 64, VF_ERR_INVALID, 0, SYNTAX},
    };
    check_uint_cases(cases, sizeof cases / sizeof cases[0]);
}

/* strconv.ParseUint(s, 0, 64), as pflag's uint flags (--cpus, --memory). */
static void test_parse_uint_base0(void **state)
{
    (void)state;
    static const uint_case cases[] = {
        {"0", 0, 64, VF_OK, 0, NULL},
        {"8", 0, 64, VF_OK, 8, NULL},
        {"010", 0, 64, VF_OK, 8, NULL}, /* a leading 0 means octal */
        {"08", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0x1f", 0, 64, VF_OK, 31, NULL},
        {"0X1F", 0, 64, VF_OK, 31, NULL},
        {"0o17", 0, 64, VF_OK, 15, NULL},
        {"0O17", 0, 64, VF_OK, 15, NULL},
        {"0b101", 0, 64, VF_OK, 5, NULL},
        {"0B101", 0, 64, VF_OK, 5, NULL},
        {"0x", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0b", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0o", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0b2", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0xg", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"1_000", 0, 64, VF_OK, 1000, NULL},
        {"0x_1f", 0, 64, VF_OK, 31, NULL},
        {"0_7", 0, 64, VF_OK, 7, NULL},
        {"0b_1_0", 0, 64, VF_OK, 2, NULL},
        {"_1", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"1_", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"1__0", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0_", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0x_", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"+1", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"-1", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"", 0, 64, VF_ERR_INVALID, 0, SYNTAX},
        {"0xffffffffffffffff", 0, 64, VF_OK, UINT64_MAX, NULL},
        {"0x10000000000000000", 0, 64, VF_ERR_INVALID, UINT64_MAX, RANGE},
        {"18446744073709551616", 0, 64, VF_ERR_INVALID, UINT64_MAX, RANGE},
        {"1_8446744073709551615", 0, 64, VF_OK, UINT64_MAX, NULL},
    };
    check_uint_cases(cases, sizeof cases / sizeof cases[0]);
}

typedef struct int_case {
    const char *in;
    unsigned bits;
    int rc;
    int64_t out;
} int_case;

static void test_parse_int(void **state)
{
    (void)state;
    static const int_case cases[] = {
        {"0", 64, VF_OK, 0},
        {"-0", 64, VF_OK, 0},
        {"+0", 64, VF_OK, 0},
        {"+1", 64, VF_OK, 1},
        {"-1", 64, VF_OK, -1},
        {"0012", 64, VF_OK, 12},
        {"-0012", 64, VF_OK, -12},
        {"9223372036854775807", 64, VF_OK, INT64_MAX},
        {"9223372036854775808", 64, VF_ERR_INVALID, INT64_MAX},
        {"-9223372036854775808", 64, VF_OK, INT64_MIN},
        {"-9223372036854775809", 64, VF_ERR_INVALID, INT64_MIN},
        {"99999999999999999999", 64, VF_ERR_INVALID, INT64_MAX},
        {"-99999999999999999999", 64, VF_ERR_INVALID, INT64_MIN},
        {"2147483647", 32, VF_OK, 2147483647},
        {"2147483648", 32, VF_ERR_INVALID, 2147483647},
        {"-2147483648", 32, VF_OK, -2147483647 - 1},
        {"-2147483649", 32, VF_ERR_INVALID, -2147483647 - 1},
        {"127", 8, VF_OK, 127},
        {"-300", 8, VF_ERR_INVALID, -128},
        {"", 64, VF_ERR_INVALID, 0},
        {"+", 64, VF_ERR_INVALID, 0},
        {"-", 64, VF_ERR_INVALID, 0},
        {"--1", 64, VF_ERR_INVALID, 0},
        {"+-1", 64, VF_ERR_INVALID, 0},
        {" 1", 64, VF_ERR_INVALID, 0},
        {"1_0", 64, VF_ERR_INVALID, 0},
        {"0x10", 64, VF_ERR_INVALID, 0},
        {"1e3", 64, VF_ERR_INVALID, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t out = 12345;
        print_message("ParseInt(%s, 10, %u)\n", cases[i].in, cases[i].bits);
        assert_int_equal(vf__parse_int(cases[i].in, cases[i].bits, &out), cases[i].rc);
        assert_true(out == cases[i].out);
    }
}

static void test_parse_int_base0(void **state)
{
    (void)state;
    int64_t out;
    const char *reason;
    assert_int_equal(vf__parse_int_ex("-0x10", 0, 64, &out, &reason), VF_OK);
    assert_true(out == -16);
    assert_int_equal(vf__parse_int_ex("+0b11", 0, 64, &out, &reason), VF_OK);
    assert_true(out == 3);
    assert_int_equal(vf__parse_int_ex("-1_000", 0, 64, &out, &reason), VF_OK);
    assert_true(out == -1000);
    assert_int_equal(vf__parse_int_ex("-_1", 0, 64, &out, &reason), VF_ERR_INVALID);
    assert_string_equal(reason, SYNTAX);
    assert_int_equal(vf__parse_int_ex("0x8000000000000000", 0, 64, &out, &reason), VF_ERR_INVALID);
    assert_string_equal(reason, RANGE);
    assert_true(out == INT64_MAX);
}

/* strconv.Atoi is ParseInt(s, 10, 64) on a 64-bit Go. */
static void test_atoi(void **state)
{
    (void)state;
    int64_t out = 1;
    assert_int_equal(vf__atoi("1920", &out), VF_OK);
    assert_true(out == 1920);
    assert_int_equal(vf__atoi("+5", &out), VF_OK);
    assert_true(out == 5);
    assert_int_equal(vf__atoi("-5", &out), VF_OK);
    assert_true(out == -5);
    assert_int_equal(vf__atoi("-0", &out), VF_OK);
    assert_true(out == 0);
    assert_int_equal(vf__atoi("000000000000000000000000042", &out), VF_OK);
    assert_true(out == 42);
    assert_int_equal(vf__atoi("9223372036854775807", &out), VF_OK);
    assert_true(out == INT64_MAX);
    assert_int_equal(vf__atoi("9223372036854775808", &out), VF_ERR_INVALID);
    assert_int_equal(vf__atoi("", &out), VF_ERR_INVALID);
    assert_int_equal(vf__atoi("+", &out), VF_ERR_INVALID);
    assert_int_equal(vf__atoi("12px", &out), VF_ERR_INVALID);
    assert_int_equal(vf__atoi("1_920", &out), VF_ERR_INVALID);
    assert_int_equal(vf__atoi(NULL, &out), VF_ERR_INVALID);
}

/* The plain wrappers read base 10 and default 0 bits to 64, as Go's IntSize. */
static void test_wrappers(void **state)
{
    (void)state;
    uint64_t u = 0;
    assert_int_equal(vf__parse_uint("010", 32, &u), VF_OK);
    assert_true(u == 10);
    assert_int_equal(vf__parse_uint("18446744073709551615", 0, &u), VF_OK);
    assert_true(u == UINT64_MAX);
    assert_int_equal(vf__parse_uint(NULL, 32, &u), VF_ERR_INVALID);
    assert_int_equal(vf__parse_uint("1", 65, &u), VF_ERR_INVALID);
    int64_t i = 0;
    assert_int_equal(vf__parse_int("-9223372036854775808", 0, &i), VF_OK);
    assert_true(i == INT64_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_uint_base10),
        cmocka_unit_test(test_parse_uint_base0),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_int_base0),
        cmocka_unit_test(test_atoi),
        cmocka_unit_test(test_wrappers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
