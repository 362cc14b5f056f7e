/*
 * vfconfig - the command-line face of libvfconfig.
 * SPDX-License-Identifier: Apache-2.0
 *
 * What the subcommands share: exit codes, input reading, messages.
 */
#ifndef VFCONFIG_TOOL_H
#define VFCONFIG_TOOL_H

#include <stddef.h>
#include <stdio.h>

#include <vfconfig/vfconfig.h>

/* Reads --launcher's value ("krunkit", "krunkit@1.2.1", "vfkit@0.6.1");
 * NULL text leaves *out NULL. 0, or TOOL_EXIT_USAGE after a message. */
int tool_parse_launcher(const char *subcommand, const char *text, vf_launcher *storage,
                        const vf_launcher **out);

/* Exit codes shared by every subcommand (documented in vfconfig.1). */
enum {
    TOOL_EXIT_OK = 0,
    TOOL_EXIT_INVALID = 1, /* the input is not a valid VM, or it could not be read */
    TOOL_EXIT_USAGE = 2    /* the command line of vfconfig itself is wrong */
};

/* A whole input file in memory, NUL-terminated; `name` is what messages show. */
typedef struct tool_input {
    char *data;
    size_t len;
    const char *name;
} tool_input;

/*
 * Reads FILE, or standard input for NULL or "-", up to VF_MAX_INPUT_BYTES:
 * reading stops one byte past the limit, and the buffer never grows beyond
 * it. A directory, a regular file over the limit and a character device
 * that is not a terminal (/dev/zero) are refused before anything is read.
 * Returns 0, or prints why not on stderr, naming the input, and returns
 * TOOL_EXIT_INVALID.
 */
int tool_read_input(const char *subcommand, const char *path, tool_input *in);
void tool_input_release(tool_input *in);

/* How messages name the input at @p path: the path, or "<stdin>". */
const char *tool_input_name(const char *path);

/* "vfconfig SUBCOMMAND: " + the formatted message + "\n" on stderr. */
void tool_error(const char *subcommand, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Reports a bad command line of vfconfig and returns TOOL_EXIT_USAGE. */
int tool_usage_error(const char *subcommand, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* An option of a subcommand. */
typedef struct tool_flag {
    const char *name;   /* "--shell", "-0"; ending in '=' when it takes a value: "--vfkit=" */
    const char **value; /* for an option taking a value: where it goes */
    int *seen;          /* set to 1 when the option is given (may be NULL) */
} tool_flag;

/* What tool_begin() needs to know about a subcommand. */
typedef struct tool_command {
    const char *name;
    const char *usage; /* the --help text */
    const tool_flag *flags;
    size_t n_flags;
    bool reads_vm; /* takes one optional FILE operand, the JSON VM */
    /* Said after "unknown option: X" (json: where vfkit's own options go). */
    const char *unknown_option_hint;
} tool_command;

/* tool_begin()'s answer when the subcommand should go on. */
#define TOOL_CONTINUE (-1)

/*
 * What every subcommand starts with: its options (up to "--" or the first
 * operand; both `--opt value` and `--opt=value`), --help, and for one that
 * reads a VM, at most one FILE. Sets *first to the first operand (after a
 * "--", then *saw_dashdash is 1). Returns TOOL_CONTINUE, or the exit status
 * after printing the help or a usage error.
 */
int tool_begin(const tool_command *cmd, int argc, char **argv, int *first, int *saw_dashdash);

/*
 * Reads the JSON VM in FILE (NULL or "-": standard input). NULL after
 * printing why, with *status set to the exit status.
 */
vf_vm *tool_load_vm(const char *subcommand, const char *path, int *status);

/* Writes @p arg to @p out quoted for a POSIX shell (bare when that is safe). */
void tool_write_shell_quoted(FILE *out, const char *arg);

/* Prints the library's error as "vfconfig SUB: WHERE: text". */
void tool_report_vf_error(const char *subcommand, const char *where, const vf_error *err);

/* The subcommands: argv[0] is the subcommand's name. */
int tool_cmd_args(int argc, char **argv);
int tool_cmd_json(int argc, char **argv);
int tool_cmd_check(int argc, char **argv);
int tool_cmd_run(int argc, char **argv);

#endif /* VFCONFIG_TOOL_H */
