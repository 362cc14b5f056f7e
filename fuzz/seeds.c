/*
 * libvfconfig - fuzz inputs made from the conformance vectors.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each vector gives inputs to the targets that read its kind of text:
 *   device      its value (device), "--device\0VALUE" (cmdline), the
 *               reference's JSON of the device (json)
 *   bootloader  its value (bootloader), "--bootloader\0VALUE" (cmdline),
 *               the reference's JSON (json)
 *   timesync    "--timesync\0VALUE" (cmdline)
 *   vmjson      the document (json), the reference's command line (cmdline)
 *   krunkit     its arguments (krunkit), from krunkit-vectors.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "seeds.h"

/* "--flag\0value" */
static void emit_flag(vf_fuzz_seed_fn fn, void *ctx, const char *id, const char *flag,
                      const char *value)
{
    size_t a = strlen(flag), b = strlen(value);
    char *bytes = malloc(a + 1 + b);
    if (bytes == NULL)
        abort();
    memcpy(bytes, flag, a + 1);
    memcpy(bytes + a + 1, value, b);
    fn("cmdline", id, (const uint8_t *)bytes, a + 1 + b, ctx);
    free(bytes);
}

static void emit_json(vf_fuzz_seed_fn fn, void *ctx, const char *id, json_t *value)
{
    if (value == NULL || json_is_null(value))
        return;
    char *text = json_dumps(value, JSON_COMPACT);
    if (text == NULL)
        abort();
    fn("json", id, (const uint8_t *)text, strlen(text), ctx);
    free(text);
}

static const char *argv_item(json_t *argv, size_t i)
{
    const char *s = json_string_value(json_array_get(argv, i));
    return s != NULL ? s : "";
}

/* A command line for target, its arguments separated by NUL bytes. */
static void emit_argv(vf_fuzz_seed_fn fn, void *ctx, const char *target, const char *id,
                      json_t *argv)
{
    size_t n = json_array_size(argv), len = 0;
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        len += strlen(argv_item(argv, i)) + 1;
    char *bytes = malloc(len);
    if (bytes == NULL)
        abort();
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t one = strlen(argv_item(argv, i)) + 1;
        memcpy(bytes + at, argv_item(argv, i), one);
        at += one;
    }
    fn(target, id, (const uint8_t *)bytes, len - 1, ctx);
    free(bytes);
}

static void emit_vector(json_t *vec, vf_fuzz_seed_fn fn, void *ctx)
{
    const char *id = json_string_value(json_object_get(vec, "id"));
    const char *op = json_string_value(json_object_get(vec, "op"));
    const char *input = json_string_value(json_object_get(vec, "input"));
    json_t *expect = json_object_get(vec, "expect");
    if (id != NULL && op != NULL && strcmp(op, "krunkit") == 0) {
        emit_argv(fn, ctx, "krunkit", id, json_object_get(vec, "input"));
        return;
    }
    if (id == NULL || op == NULL || input == NULL)
        return;
    json_t *json = json_object_get(expect, "json");
    json_t *argv = json_object_get(expect, "cmdline");
    if (strcmp(op, "device") == 0) {
        fn("device", id, (const uint8_t *)input, strlen(input), ctx);
        emit_flag(fn, ctx, id, "--device", input);
        emit_json(fn, ctx, id, json);
    } else if (strcmp(op, "bootloader") == 0) {
        fn("bootloader", id, (const uint8_t *)input, strlen(input), ctx);
        emit_flag(fn, ctx, id, "--bootloader", input);
        emit_json(fn, ctx, id, json);
    } else if (strcmp(op, "timesync") == 0) {
        emit_flag(fn, ctx, id, "--timesync", input);
    } else if (strcmp(op, "vmjson") == 0) {
        fn("json", id, (const uint8_t *)input, strlen(input), ctx);
        emit_argv(fn, ctx, "cmdline", id, argv);
    }
}

int vf_fuzz_seeds_from_vectors(const char *path, vf_fuzz_seed_fn fn, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int count = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t error;
        json_t *vec = json_loads(line, 0, &error);
        if (vec == NULL) {
            fprintf(stderr, "%s:%d: %s\n", path, error.line, error.text);
            count = -1;
            break;
        }
        emit_vector(vec, fn, ctx);
        json_decref(vec);
        count++;
    }
    free(line);
    fclose(f);
    return count;
}
