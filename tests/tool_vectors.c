/*
 * For the vfconfig round-trip test: turns the conformance vectors into the
 * vfkit command lines that `vfconfig json -- ARGS | vfconfig args` must give
 * back unchanged, one a line, shell-quoted, each marked
 *   A  vfkit accepts it: json must succeed and the arguments come back, or
 *   M  it names a virtio-blk image that is not valid here (vfkit opens it),
 *      so json may refuse it; if it accepts, the arguments must come back.
 * Run in the fixture folder (disk.img, q.qcow2, empty.img, short.img).
 *
 * The arguments are the reference's own (`expect.cmdline`), with the parts
 * docs/design.md says the library adds: --timesync, and --bootloader macos.
 * Left out are the lines that cannot come back unchanged whatever the
 * library does: those tagged ambiguous; those vfkit fills with its defaults
 * (no --cpus/--memory, an nbd without timeout=); those vfkit ignores or
 * refuses (`--ignition ""`, timesync port 0); and what the Go package's JSON
 * cannot carry (a descriptor, `vfkitMagic=off`, which it omits when false
 * and reads back as on).
 *
 * Usage: tool_vectors VECTORS.jsonl
 * SPDX-License-Identifier: Apache-2.0
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../tools/vfconfig/tool.h"

static bool has_tag(const json_t *vec, const char *tag)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(vec, "tags"), i, t)
    {
        if (json_is_string(t) && strcmp(json_string_value(t), tag) == 0)
            return true;
    }
    return false;
}

static void push(json_t *args, const char *arg)
{
    json_array_append_new(args, json_string(arg));
}

static void push_all(json_t *args, const json_t *more)
{
    json_array_extend(args, (json_t *)more);
}

/* What vfkit does to a virtio-blk image: open it, read up to 4 bytes, refuse qcow2. */
static bool image_is_valid_here(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        return false;
    FILE *f = fopen(path, "rb");
    char head[4] = {0};
    size_t n = f != NULL ? fread(head, 1, 4, f) : 0;
    if (f != NULL)
        fclose(f);
    return n > 0 && !(n == 4 && memcmp(head, "QFI\xfb", 4) == 0);
}

/* Whether every virtio-blk of @p args names an image vfkit would accept. */
static bool images_valid(const json_t *args)
{
    for (size_t i = 0; i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        if (strncmp(a, "virtio-blk,", 11) != 0)
            continue;
        const char *p = strstr(a, ",path=");
        if (p == NULL)
            return false;
        p += 6;
        size_t len = strcspn(p, ",");
        char *path = strndup(p, len);
        bool ok = path != NULL && image_is_valid_here(path);
        free(path);
        if (!ok)
            return false;
    }
    return true;
}

/* The library prints --timesync after the devices, before --ignition and --nested. */
static void insert_timesync(json_t *args, json_int_t port)
{
    size_t at = json_array_size(args);
    for (size_t i = 0; i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        if (strcmp(a, "--ignition") == 0 || strcmp(a, "--nested") == 0) {
            at = i;
            break;
        }
    }
    char value[64];
    snprintf(value, sizeof value, "vsockPort=%lld", (long long)port);
    json_array_insert_new(args, at, json_string(value));
    json_array_insert_new(args, at, json_string("--timesync"));
}

static json_t *base_args(bool with_bootloader)
{
    json_t *args = json_array();
    push(args, "--cpus");
    push(args, "1");
    push(args, "--memory");
    push(args, "512");
    if (with_bootloader) {
        push(args, "--bootloader");
        push(args, "efi,variable-store=/x");
    }
    return args;
}

/* The command line for one vector, or NULL when it has none to round-trip. */
static json_t *command_line(const json_t *vec)
{
    const char *op = json_string_value(json_object_get(vec, "op"));
    const json_t *expect = json_object_get(vec, "expect");
    const json_t *cmdline = json_object_get(expect, "cmdline");
    const json_t *js = json_object_get(expect, "json");
    if (op == NULL || !json_is_true(json_object_get(expect, "ok")) ||
        json_is_true(json_object_get(expect, "cmderr")) || has_tag(vec, "ambiguous-cmdline") ||
        has_tag(vec, "reference-panics") || has_tag(vec, "fd-net"))
        return NULL;

    json_t *args = NULL;
    if (strcmp(op, "device") == 0 && json_array_size(cmdline) > 0) {
        args = base_args(true);
        push_all(args, cmdline);
    } else if (strcmp(op, "bootloader") == 0 && has_tag(vec, "macos-bootloader")) {
        const char *m = json_string_value(json_object_get(js, "machineIdentifierPath"));
        const char *h = json_string_value(json_object_get(js, "hardwareModelPath"));
        const char *a = json_string_value(json_object_get(js, "auxImagePath"));
        if (m == NULL || h == NULL || a == NULL || !*m || !*h || !*a || strpbrk(m, ",\"") ||
            strpbrk(h, ",\"") || strpbrk(a, ",\""))
            return NULL;
        size_t len = strlen(m) + strlen(h) + strlen(a) + 80;
        char *value = malloc(len);
        if (value == NULL)
            return NULL;
        snprintf(value, len, "macos,machineIdentifierPath=%s,hardwareModelPath=%s,auxImagePath=%s",
                 m, h, a);
        args = base_args(false);
        push(args, "--bootloader");
        push(args, value);
        free(value);
    } else if (strcmp(op, "bootloader") == 0 && json_array_size(cmdline) > 0) {
        args = base_args(false);
        push_all(args, cmdline);
    } else if (strcmp(op, "timesync") == 0 && json_is_object(js)) {
        args = base_args(true);
        insert_timesync(args, json_integer_value(json_object_get(js, "vsockPort")));
    } else if (strcmp(op, "vmjson") == 0 && json_array_size(cmdline) >= 4 &&
               strcmp(json_string_value(json_array_get(cmdline, 0)), "--cpus") == 0 &&
               strcmp(json_string_value(json_array_get(cmdline, 2)), "--memory") == 0) {
        args = json_deep_copy(cmdline);
        const json_t *ts = json_object_get(js, "timesync");
        if (json_is_object(ts))
            insert_timesync(args, json_integer_value(json_object_get(ts, "vsockPort")));
    }
    return args;
}

/* Whether vfkit reads @p args back unchanged, JSON in between (see the top). */
static bool round_trips(const json_t *args)
{
    for (size_t i = 0; i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        const char *next = json_string_value(json_array_get(args, i + 1));
        if (strncmp(a, "nbd,", 4) == 0 && strstr(a, ",timeout=") == NULL)
            return false;
        if (strstr(a, "vfkitMagic=off") != NULL)
            return false;
        if (strcmp(a, "--ignition") == 0 && next != NULL && next[0] == '\0')
            return false;
        if (strcmp(a, "--timesync") == 0 && next != NULL && strcmp(next, "vsockPort=0") == 0)
            return false;
    }
    return true;
}

/* "A|M 'arg' 'arg' ..." in a memory buffer; NULL for an argument with a newline. */
static char *format_line(const json_t *args)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (out == NULL)
        return NULL;
    fputc(images_valid(args) ? 'A' : 'M', out);
    bool usable = true;
    for (size_t i = 0; i < json_array_size(args); i++) {
        const char *a = json_string_value(json_array_get(args, i));
        usable = usable && strchr(a, '\n') == NULL;
        fputc(' ', out);
        tool_write_shell_quoted(out, a);
    }
    fclose(out);
    if (!usable) {
        free(text);
        return NULL;
    }
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tool_vectors VECTORS.jsonl\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    json_t *seen = json_object(); /* the lines already printed, as keys */
    char *line = NULL;
    size_t cap = 0;
    int status = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t jerr;
        json_t *vec = json_loads(line, 0, &jerr);
        if (vec == NULL) {
            fprintf(stderr, "%s: line %d: %s\n", argv[1], jerr.line, jerr.text);
            status = 1;
            break;
        }
        json_t *args = command_line(vec);
        char *text = args != NULL && round_trips(args) ? format_line(args) : NULL;
        if (text != NULL && json_object_get(seen, text) == NULL) {
            json_object_set_new(seen, text, json_true());
            puts(text);
        }
        free(text);
        json_decref(args);
        json_decref(vec);
    }
    free(line);
    fclose(f);
    json_decref(seen);
    return status;
}
