/*
 * libvfconfig - every "device" conformance vector, on the command-line side:
 * parse the --device value, compare acceptance with the reference's, and
 * compare the printed command line (tests/conformance/README.md).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "conformance_fixtures.h"
#include "vfconfig/vfconfig.h"

#define VECTORS VF_TEST_SOURCE_DIR "/conformance/vectors.jsonl"

/* The reference's answers for the device vectors of vectors.jsonl. */
#define EXPECTED_ACCEPTED 1482
#define EXPECTED_REFUSED 1357

static bool has_tag(json_t *vector, const char *tag)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(vector, "tags"), i, t)
    {
        if (strcmp(json_string_value(t), tag) == 0)
            return true;
    }
    return false;
}

static bool argv_equals(char **argv, json_t *expected)
{
    if (vf_strv_length(argv) != json_array_size(expected))
        return false;
    for (size_t i = 0; i < json_array_size(expected); i++) {
        if (strcmp(argv[i], json_string_value(json_array_get(expected, i))) != 0)
            return false;
    }
    return true;
}

typedef struct tally {
    size_t accepted, refused, failures;
} tally;

static void report(tally *t, const char *id, const char *input, const char *what)
{
    if (t->failures++ < 40)
        print_message("%s: %s: %s\n", id, input, what);
}

/* The command-line side of one accepted vector. */
static void check_printed(tally *t, json_t *vector, const char *id, const char *input,
                          const vf_device *dev)
{
    json_t *expect = json_object_get(vector, "expect");
    vf_error err = {0};
    char **argv = vf_device_to_cmdline(dev, &err);
    if (has_tag(vector, "ambiguous-cmdline")) {
        if (argv != NULL || err.code != VF_ERR_AMBIGUOUS)
            report(t, id, input, "printed an ambiguous command line");
    } else if (json_is_true(json_object_get(expect, "cmderr"))) {
        if (argv != NULL || err.code != VF_ERR_INVALID || err.text[0] == '\0')
            report(t, id, input, "printed a device the reference refuses to print");
    } else if (argv == NULL) {
        report(t, id, input, err.text);
    } else if (!argv_equals(argv, json_object_get(expect, "cmdline"))) {
        report(t, id, input, argv[1] ? argv[1] : "(short argv)");
    }
    vf_strv_free(argv);
}

static void check_vector(tally *t, json_t *vector)
{
    const char *id = json_string_value(json_object_get(vector, "id"));
    const char *input = json_string_value(json_object_get(vector, "input"));
    bool ok = json_is_true(json_object_get(json_object_get(vector, "expect"), "ok"));
    vf_error err = {0};
    vf_device *dev = vf_device_from_cmdline(input, &err);
    if (ok) {
        t->accepted++;
        if (dev == NULL)
            report(t, id, input, err.text);
        else
            check_printed(t, vector, id, input, dev);
    } else {
        t->refused++;
        if (dev != NULL)
            report(t, id, input, "accepted what the reference refuses");
        else if (err.code >= 0 || err.text[0] == '\0')
            report(t, id, input, "refused without a message");
    }
    vf_device_free(dev);
}

static void test_device_vectors(void **state)
{
    (void)state;
    FILE *f = fopen(VECTORS, "r");
    assert_non_null(f);
    tally t = {0, 0, 0};
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t jerr;
        json_t *vector = json_loads(line, 0, &jerr);
        assert_non_null(vector);
        const char *op = json_string_value(json_object_get(vector, "op"));
        if (op != NULL && strcmp(op, "device") == 0)
            check_vector(&t, vector);
        json_decref(vector);
    }
    free(line);
    fclose(f);
    print_message("device vectors: %zu accepted, %zu refused, %zu failures\n", t.accepted,
                  t.refused, t.failures);
    assert_int_equal(t.failures, 0);
    assert_int_equal(t.accepted, EXPECTED_ACCEPTED);
    assert_int_equal(t.refused, EXPECTED_REFUSED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_vectors),
    };
    return cmocka_run_group_tests(tests, vf_test_create_conformance_fixtures, NULL);
}
