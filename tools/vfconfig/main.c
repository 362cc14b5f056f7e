/*
 * vfconfig - converts, checks and starts vfkit virtual machines described
 * as JSON, with libvfconfig.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tool.h"

#include <string.h>

static const char usage[] =
    "Usage: vfconfig COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Converts, checks and starts vfkit virtual machines described as JSON\n"
    "(the format of vfkit's Go package, github.com/crc-org/vfkit/pkg/config).\n"
    "\n"
    "Commands:\n"
    "  args [FILE|-]                  print vfkit's arguments for a JSON VM\n"
    "  json [--pretty] -- VFKIT-ARGS  print the JSON VM for a vfkit command line\n"
    "  check [FILE|-]                 list every problem of a JSON VM\n"
    "  run --vfkit PROG [FILE|-]      start vfkit for a JSON VM and wait for it\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help ('vfconfig COMMAND --help' for a command's)\n"
    "  --version      show the versions of vfconfig, libvfconfig and vfkit followed\n"
    "\n"
    "Exit status: 0 success, 1 invalid input, 2 wrong usage of vfconfig;\n"
    "'run' exits with vfkit's status.\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"args", tool_cmd_args},
    {"json", tool_cmd_json},
    {"check", tool_cmd_check},
    {"run", tool_cmd_run},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return TOOL_EXIT_USAGE;
    }
    const char *word = argv[1];
    if (strcmp(word, "-h") == 0 || strcmp(word, "--help") == 0 || strcmp(word, "help") == 0) {
        fputs(usage, stdout);
        return TOOL_EXIT_OK;
    }
    if (strcmp(word, "--version") == 0) {
        /* The header's version is the tool's; the run-time one is the library's. */
        printf("vfconfig %s (libvfconfig %s, vfkit %s)\n", VF_VERSION_STRING, vf_version_string(),
               VF_VFKIT_REFERENCE_VERSION);
        return TOOL_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(word, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "vfconfig: unknown command: %s\nTry 'vfconfig --help'.\n", word);
    return TOOL_EXIT_USAGE;
}
