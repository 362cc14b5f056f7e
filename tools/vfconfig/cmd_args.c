/*
 * vfconfig args: a JSON VM in, vfkit's arguments out.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tool.h"

#include <stdlib.h>

static const char usage[] =
    "Usage: vfconfig args [--launcher L] [--shell | -0] [FILE|-]\n"
    "\n"
    "Reads a VM as JSON from FILE (standard input when FILE is - or absent) and\n"
    "prints the arguments vfkit needs to start it, without the program name.\n"
    "A VM that vfkit would read back differently (a ',' in a path, ...) is\n"
    "refused.\n"
    "\n"
    "Options:\n"
    "  --launcher L  print for launcher L: krunkit, krunkit@1.2.1, vfkit@0.6.1\n"
    "             (default: the newest vfkit); what L cannot run is refused\n"
    "  --shell    one line, each argument quoted for a POSIX shell\n"
    "  -0         each argument followed by a NUL byte (for xargs -0)\n"
    "  -h, --help show this help\n"
    "\n"
    "Exit status: 0 success, 1 invalid input, 2 wrong usage.\n";

static void print_argv(char **argv, int shell, int nul)
{
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (shell) {
            if (i > 0)
                fputc(' ', stdout);
            tool_write_shell_quoted(stdout, argv[i]);
        } else {
            fputs(argv[i], stdout);
            fputc(nul ? '\0' : '\n', stdout);
        }
    }
    if (shell)
        fputc('\n', stdout);
}

int tool_cmd_args(int argc, char **argv)
{
    int shell = 0, nul = 0, first, dashdash;
    const char *launcher_text = NULL;
    const tool_flag flags[] = {
        {"--shell", NULL, &shell}, {"-0", NULL, &nul}, {"--launcher=", &launcher_text, NULL}};
    const tool_command cmd = {"args", usage, flags, 3, true, NULL};
    int status = tool_begin(&cmd, argc, argv, &first, &dashdash);
    if (status != TOOL_CONTINUE)
        return status;
    vf_launcher storage;
    const vf_launcher *launcher;
    if ((status = tool_parse_launcher("args", launcher_text, &storage, &launcher)) != 0)
        return status;
    if (shell && nul)
        return tool_usage_error("args", "--shell and -0 cannot be combined");

    const char *path = first < argc ? argv[first] : NULL;
    vf_vm *vm = tool_load_vm("args", path, &status);
    if (vm == NULL)
        return status;
    vf_error err = {0};
    char **args = launcher ? vf_vm_to_cmdline_for(vm, launcher, &err) : vf_vm_to_cmdline(vm, &err);
    if (args == NULL) {
        tool_report_vf_error("args", tool_input_name(path), &err);
        status = TOOL_EXIT_INVALID;
    } else {
        print_argv(args, shell, nul);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            tool_error("args", "cannot write the arguments");
            status = TOOL_EXIT_INVALID;
        }
    }
    vf_strv_free(args);
    vf_vm_free(vm);
    return status;
}
