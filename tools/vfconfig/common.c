/*
 * vfconfig - reading input, parsing the subcommands' flags, messages.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tool.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 0)))
#endif
static void
verror(const char *subcommand, const char *fmt, va_list ap)
{
    fprintf(stderr, "vfconfig %s: ", subcommand);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tool_error(const char *subcommand, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(subcommand, fmt, ap);
    va_end(ap);
}

int tool_usage_error(const char *subcommand, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(subcommand, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'vfconfig %s --help'.\n", subcommand);
    return TOOL_EXIT_USAGE;
}

void tool_report_vf_error(const char *subcommand, const char *where, const vf_error *err)
{
    const char *text = err->text[0] != '\0' ? err->text : vf_status_string(err->code);
    if (where != NULL && where[0] != '\0')
        tool_error(subcommand, "%s: %s", where, text);
    else
        tool_error(subcommand, "%s", text);
}

const char *tool_input_name(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Refuses what is no file to read a VM from before reading a byte: a
 * directory, a regular file over the limit, and a character device that is
 * not a terminal (/dev/zero, /dev/urandom: endless bytes). Sets *size_hint
 * to a regular file's size. 0, or TOOL_EXIT_INVALID after a message. */
static int check_input(const char *subcommand, FILE *f, const char *name, size_t *size_hint)
{
    struct stat st;
    *size_hint = 0;
    if (fstat(fileno(f), &st) != 0)
        return 0; /* reading will say what is wrong */
    if (S_ISDIR(st.st_mode)) {
        tool_error(subcommand, "%s: a directory, not a file", name);
        return TOOL_EXIT_INVALID;
    }
    if (S_ISCHR(st.st_mode) && !isatty(fileno(f))) {
        tool_error(subcommand, "%s: a character device, not a file (it may never end)", name);
        return TOOL_EXIT_INVALID;
    }
    if (S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > VF_MAX_INPUT_BYTES) {
            tool_error(subcommand, "%s: %jd bytes, larger than %zu bytes", name,
                       (intmax_t)st.st_size, (size_t)VF_MAX_INPUT_BYTES);
            return TOOL_EXIT_INVALID;
        }
        *size_hint = (size_t)st.st_size;
    }
    return 0;
}

int tool_read_input(const char *subcommand, const char *path, tool_input *in)
{
    bool from_stdin = path == NULL || strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    in->name = tool_input_name(path);
    in->data = NULL;
    in->len = 0;
    if (f == NULL) {
        tool_error(subcommand, "%s: %s", path, strerror(errno));
        return TOOL_EXIT_INVALID;
    }

    /* The buffer never grows past the limit, one byte more (which tells a
     * larger input) and the NUL: reading stops there. */
    const size_t most = (size_t)VF_MAX_INPUT_BYTES + 2;
    size_t size_hint = 0, cap = 0;
    int status = check_input(subcommand, f, in->name, &size_hint);
    while (status == 0) {
        if (cap - in->len < 2) {
            size_t grown =
                cap == 0 ? (size_hint + 2 > 64 * 1024 ? size_hint + 2 : 64 * 1024) : cap * 2;
            if (grown > most)
                grown = most;
            char *bigger = realloc(in->data, grown);
            if (bigger == NULL) {
                tool_error(subcommand, "%s: out of memory", in->name);
                status = TOOL_EXIT_INVALID;
                break;
            }
            in->data = bigger;
            cap = grown;
        }
        size_t got = fread(in->data + in->len, 1, cap - in->len - 1, f);
        in->len += got;
        if (in->len > VF_MAX_INPUT_BYTES) {
            tool_error(subcommand, "%s: larger than %zu bytes", in->name,
                       (size_t)VF_MAX_INPUT_BYTES);
            status = TOOL_EXIT_INVALID;
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                tool_error(subcommand, "%s: read error: %s", in->name, strerror(errno));
                status = TOOL_EXIT_INVALID;
            }
            break;
        }
    }
    if (!from_stdin)
        fclose(f);
    if (status != 0) {
        tool_input_release(in);
        return status;
    }
    in->data[in->len] = '\0';
    return 0;
}

void tool_input_release(tool_input *in)
{
    free(in->data);
    in->data = NULL;
    in->len = 0;
}

static const tool_flag *find_flag(const tool_flag *flags, size_t n, const char *arg,
                                  const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = flags[i].name;
        size_t len = strlen(name);
        bool takes_value = len > 0 && name[len - 1] == '=';
        if (!takes_value && strcmp(arg, name) == 0)
            return &flags[i];
        if (takes_value && strncmp(arg, name, len - 1) == 0) {
            if (arg[len - 1] == '\0')
                return &flags[i];
            if (arg[len - 1] == '=') {
                *inline_value = arg + len;
                return &flags[i];
            }
        }
    }
    return NULL;
}

int tool_begin(const tool_command *cmd, int argc, char **argv, int *first, int *saw_dashdash)
{
    int i = 1;
    *saw_dashdash = 0;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            *saw_dashdash = 1;
            i++;
            break;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(cmd->usage, stdout);
            return TOOL_EXIT_OK;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0)
            break; /* the first operand */

        const char *value = NULL;
        const tool_flag *flag = find_flag(cmd->flags, cmd->n_flags, arg, &value);
        if (flag == NULL)
            return tool_usage_error(cmd->name, "unknown option: %s%s", arg,
                                    cmd->unknown_option_hint != NULL ? cmd->unknown_option_hint
                                                                     : "");
        if (flag->value != NULL) {
            if (value == NULL && i + 1 >= argc)
                return tool_usage_error(cmd->name, "option %s needs a value", arg);
            *flag->value = value != NULL ? value : argv[++i];
        }
        if (flag->seen != NULL)
            *flag->seen = 1;
    }
    *first = i;
    if (cmd->reads_vm && argc - i > 1)
        return tool_usage_error(cmd->name, "one input file at most, got %d", argc - i);
    return TOOL_CONTINUE;
}

vf_vm *tool_load_vm(const char *subcommand, const char *path, int *status)
{
    tool_input in;
    *status = tool_read_input(subcommand, path, &in);
    if (*status != 0)
        return NULL;
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_json_buffer(in.data, in.len, &err);
    if (vm == NULL) {
        tool_report_vf_error(subcommand, in.name, &err);
        *status = TOOL_EXIT_INVALID;
    }
    tool_input_release(&in);
    return vm;
}

/* Characters a POSIX shell never treats specially inside a word. */
static bool shell_safe(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("_@%+=:,./-", c) != NULL;
}

void tool_write_shell_quoted(FILE *out, const char *arg)
{
    bool bare = arg[0] != '\0';
    for (const char *p = arg; *p != '\0' && bare; p++)
        bare = shell_safe((unsigned char)*p);
    if (bare) {
        fputs(arg, out);
        return;
    }
    /* Single quotes keep every byte literal; a ' itself is closed, escaped, reopened. */
    fputc('\'', out);
    for (const char *p = arg; *p != '\0'; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fputc(*p, out);
    }
    fputc('\'', out);
}

int tool_parse_launcher(const char *subcommand, const char *text, vf_launcher *storage,
                        const vf_launcher **out)
{
    *out = NULL;
    if (text == NULL)
        return 0;
    vf_error err = {0};
    if (vf_launcher_parse(text, storage, &err) != 0)
        return tool_usage_error(subcommand, "--launcher: %s", err.text);
    *out = storage;
    return 0;
}
