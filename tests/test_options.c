/*
 * Option splitting: vfkit's strvToOptions/strToOption for `--device` and
 * `--timesync`, and its quote-aware string-slice flag for `--bootloader`
 * (pkg/cmdline/string_slice_test.go, pkg/util/strings_test.go TrimQuotes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vfconfig/vfconfig.h"
#include "model/options.h"
#include "util/buf.h"

static void assert_option(const vf_options *opts, size_t i, const char *key, const char *value)
{
    assert_true(i < opts->count);
    assert_string_equal(opts->items[i].key, key);
    assert_string_equal(opts->items[i].value, value);
}

static void test_split_keys_and_values(void **state)
{
    (void)state;
    vf_error err = {0};
    vf_options *opts = vf_options_split("path=disk.img,readonly,,deviceId=a=b,nat=,=x", &err);
    assert_non_null(opts);
    assert_int_equal(opts->count, 5);
    assert_option(opts, 0, "path", "disk.img");
    assert_option(opts, 1, "readonly", "");
    assert_option(opts, 2, "deviceId", "a=b"); /* split on the first '=' only */
    assert_option(opts, 3, "nat", "");         /* "nat" and "nat=" read the same */
    assert_option(opts, 4, "", "x");
    vf_options_free(opts);
}

static void test_split_empty(void **state)
{
    (void)state;
    const char *inputs[] = {"", ",", ",,,", NULL};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        vf_options *opts = vf_options_split(inputs[i], NULL);
        assert_non_null(opts);
        assert_int_equal(opts->count, 0);
        vf_options_free(opts);
    }
    vf_options_free(NULL);
}

static void test_split_no_quote_handling(void **state)
{
    (void)state;
    /* --device values have no quoting: every ',' splits. */
    vf_options *opts = vf_options_split("a=\"x,y\",b", NULL);
    assert_non_null(opts);
    assert_int_equal(opts->count, 3);
    assert_option(opts, 0, "a", "\"x");
    assert_option(opts, 1, "y\"", "");
    assert_option(opts, 2, "b", "");
    vf_options_free(opts);
}

static void test_from_strv(void **state)
{
    (void)state;
    const char *items[] = {"variable-store=/x", "", "create", "cmdline=a=b c"};
    vf_options *opts = vf_options_from_strv(items, 4, NULL);
    assert_non_null(opts);
    assert_int_equal(opts->count, 3);
    assert_option(opts, 0, "variable-store", "/x");
    assert_option(opts, 1, "create", "");
    assert_option(opts, 2, "cmdline", "a=b c");
    vf_options_free(opts);

    opts = vf_options_from_strv(NULL, 0, NULL);
    assert_non_null(opts);
    assert_int_equal(opts->count, 0);
    vf_options_free(opts);

    vf_error err = {0};
    assert_null(vf_options_from_strv(NULL, 2, &err));
    assert_int_equal(err.code, VF_ERR_INVALID);
}

/* Splits value and compares the items with want (n of them). */
static void assert_split(const char *value, const char *const *want, size_t n)
{
    vf_error err = {0};
    char **got = vf_split_quoted_list(value, &err);
    print_message("split %s\n", value);
    assert_non_null(got);
    assert_int_equal(vf_strv_length(got), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], want[i]);
    vf_strv_free(got);
}

#define ASSERT_SPLIT(value, ...)                                    \
    do {                                                            \
        static const char *const want_[] = {__VA_ARGS__};           \
        assert_split(value, want_, sizeof want_ / sizeof want_[0]); \
    } while (0)

/* TestEmptySSValue, TestSS, TestSSDoubleQuotes, TestSSWithComma,
 * TestSSWithSquareBrackets. */
static void test_split_quoted_go_cases(void **state)
{
    (void)state;
    assert_split("", NULL, 0);
    assert_split(NULL, NULL, 0);
    ASSERT_SPLIT("one,two,4,3", "one", "two", "4", "3");
    ASSERT_SPLIT("a=\"one\",\"two\"=b,three", "a=\"one\"", "\"two\"=b", "three");
    ASSERT_SPLIT("\"one,two\"", "one,two");
    ASSERT_SPLIT("\"three\"", "three");
    ASSERT_SPLIT("\"four,five\",six", "four,five", "six");
    ASSERT_SPLIT("\"[a-z]\"", "[a-z]");
    ASSERT_SPLIT("\"[a-z]+\"", "[a-z]+");
}

/* TrimQuotes (util/strings_test.go) as it applies to each item, and
 * strvBuilder.End's rule for the last item. */
static void test_split_quoted_trim_rules(void **state)
{
    (void)state;
    ASSERT_SPLIT("\"foobar\"", "foobar");
    ASSERT_SPLIT("\"foo\"bar", "\"foo\"bar"); /* only a leading quote: kept */
    ASSERT_SPLIT("foo\"bar\"", "foo\"bar\""); /* only a trailing quote: kept */
    ASSERT_SPLIT("foobar", "foobar");
    ASSERT_SPLIT("\"\"\"a\"\"\"", "a"); /* strings.Trim strips them all */
    ASSERT_SPLIT("\"\"a\"\"", "a");
    ASSERT_SPLIT("\"a\"\"b\"", "a\"\"b");
    assert_split("\"\"", NULL, 0); /* trims to "": no item at all */
    ASSERT_SPLIT("\"\",\"\"", "", "");
    ASSERT_SPLIT("a,", "a", "");
    ASSERT_SPLIT(",", "", "");
    ASSERT_SPLIT(",a", "", "a");
    ASSERT_SPLIT("efi,,variable-store=/x", "efi", "", "variable-store=/x");
    ASSERT_SPLIT("cmdline=\"a,b c\"", "cmdline=\"a,b c\"");
    ASSERT_SPLIT(" a , b ", " a ", " b ");
}

static void test_split_quoted_mismatch(void **state)
{
    (void)state;
    const char *bad[] = {"\"", "\"abc", "a,\"b", "\"a\"b\"", "x=\"1,y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vf_error err = {0};
        assert_null(vf_split_quoted_list(bad[i], &err));
        assert_int_equal(err.code, VF_ERR_INVALID);
        assert_non_null(strstr(err.text, "mismatched"));
    }
    /* The value is named in the message. */
    vf_error err = {0};
    assert_null(vf_split_quoted_list("efi,variable-store=\"/x", &err));
    assert_non_null(strstr(err.text, "efi,variable-store=\\\"/x"));
}

/* Go walks the value rune by rune and writes each back, so bytes that are
 * not UTF-8 come out as U+FFFD. */
static void test_split_quoted_invalid_utf8(void **state)
{
    (void)state;
    ASSERT_SPLIT("a\xff"
                 "b",
                 "a\xef\xbf\xbd"
                 "b");
    ASSERT_SPLIT("\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");
    ASSERT_SPLIT("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* a surrogate */
    ASSERT_SPLIT("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong '/' */
    ASSERT_SPLIT("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    ASSERT_SPLIT("d\xc3\xa9j\xc3\xa0,\xf0\x9f\x98\x80", "d\xc3\xa9j\xc3\xa0", "\xf0\x9f\x98\x80");
}

/* TestSSCalledTwice: repeated flags append. */
static void test_split_into_appends(void **state)
{
    (void)state;
    vf__strv_builder sb;
    vf__strv_init(&sb);
    assert_int_equal(vf__split_quoted_into("one,two", &sb, NULL), VF_OK);
    assert_int_equal(vf__split_quoted_into("", &sb, NULL), VF_OK);
    assert_int_equal(vf__split_quoted_into("three", &sb, NULL), VF_OK);
    assert_int_equal(vf__split_quoted_into("\"bad", &sb, NULL), VF_ERR_INVALID);
    char **got = vf__strv_finish(&sb, NULL);
    assert_non_null(got);
    assert_int_equal(vf_strv_length(got), 3);
    assert_string_equal(got[0], "one");
    assert_string_equal(got[1], "two");
    assert_string_equal(got[2], "three");
    vf_strv_free(got);
}

static void test_check_no_comma(void **state)
{
    (void)state;
    vf_error err = {0};
    assert_int_equal(vf__check_no_comma("path", "/a/b c", &err), VF_OK);
    assert_int_equal(vf__check_no_comma("path", NULL, &err), VF_OK);
    assert_int_equal(vf__check_no_comma("path", "/a,b", &err), VF_ERR_AMBIGUOUS);
    assert_int_equal(err.code, VF_ERR_AMBIGUOUS);
    assert_non_null(strstr(err.text, "'path'"));
    assert_non_null(strstr(err.text, "\"/a,b\""));
    assert_int_equal(vf__check_no_comma("path", "/a,b", NULL), VF_ERR_AMBIGUOUS);
}

static void test_check_list_item(void **state)
{
    (void)state;
    vf_error err = {0};
    static const char *const fine[] = {
        "/tmp/d\xc3\xa9j\xc3\xa0 1", "", "\"/a,b\"", "/a\"b,c\"d", "\"/x\"", "a=\"\""};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        assert_int_equal(vf__check_list_item("variable-store", fine[i], false, &err), VF_OK);
    static const char *const bad[] = {"/a,b", "/a\"b", "\"/a\",b", "/a\xff", ","};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(vf__check_list_item("variable-store", bad[i], false, &err),
                         VF_ERR_AMBIGUOUS);
        assert_non_null(strstr(err.text, "'variable-store'"));
    }
    /* A whole item also loses surrounding quotes. */
    assert_int_equal(vf__check_list_item("cloud-init", "\"/x\"", true, &err), VF_ERR_AMBIGUOUS);
    assert_non_null(strstr(err.text, "'cloud-init'"));
    assert_int_equal(vf__check_list_item("cloud-init", "/x\"y\"", true, &err), VF_OK);
}

/* What the check lets through is what the splitter gives back. */
static void test_check_agrees_with_split(void **state)
{
    (void)state;
    static const char *const values[] = {"\"/a,b\"", "/a\"b,c\"d",  "\"x\"", "plain", "a,b",
                                         "\"a",      "\"a\",\"b\"", "\"\"",  "x\xfe"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char item[64];
        snprintf(item, sizeof item, "key=%s", values[i]);
        char **got = vf_split_quoted_list(item, NULL);
        bool same = got != NULL && vf_strv_length(got) == 1 && strcmp(got[0], item) == 0;
        assert_int_equal(vf__check_list_item("key", values[i], false, NULL) == VF_OK, same);
        vf_strv_free(got);

        got = vf_split_quoted_list(values[i], NULL);
        same = got != NULL && vf_strv_length(got) == 1 && strcmp(got[0], values[i]) == 0;
        assert_int_equal(vf__check_list_item("key", values[i], true, NULL) == VF_OK, same);
        vf_strv_free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_keys_and_values),
        cmocka_unit_test(test_split_empty),
        cmocka_unit_test(test_split_no_quote_handling),
        cmocka_unit_test(test_from_strv),
        cmocka_unit_test(test_split_quoted_go_cases),
        cmocka_unit_test(test_split_quoted_trim_rules),
        cmocka_unit_test(test_split_quoted_mismatch),
        cmocka_unit_test(test_split_quoted_invalid_utf8),
        cmocka_unit_test(test_split_into_appends),
        cmocka_unit_test(test_check_no_comma),
        cmocka_unit_test(test_check_list_item),
        cmocka_unit_test(test_check_agrees_with_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
