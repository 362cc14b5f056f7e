/*
 * vfconfig json: a vfkit command line in, the JSON VM out.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tool.h"

#include <stdlib.h>

static const char usage[] =
    "Usage: vfconfig json [--pretty] [--launcher L] -- VFKIT-ARGS...\n"
    "\n"
    "Reads vfkit's arguments (everything after --, without the program name)\n"
    "the way vfkit does, and prints the VM as JSON. As in vfkit, --cpus and\n"
    "--memory default to 1 and 512, and a virtio-blk image is opened to refuse\n"
    "qcow2, so its path must exist.\n"
    "\n"
    "Options:\n"
    "  --pretty   indent the JSON, one key a line\n"
    "  --launcher L  read the arguments as launcher L reads them: krunkit,\n"
    "             krunkit@1.2.1 (krunkit's own parser), vfkit@0.6.1 (refusing\n"
    "             what that release does not accept)\n"
    "  -h, --help show this help\n"
    "\n"
    "Exit status: 0 success, 1 invalid input, 2 wrong usage.\n";

/* vfkit's own options start with '-' too: only "--" tells them from ours. */
#define VFKIT_ARGS_HINT " (put vfkit's arguments after --, as in 'vfconfig json -- --cpus 2 ...')"

int tool_cmd_json(int argc, char **argv)
{
    int pretty = 0, first, dashdash;
    const char *launcher_text = NULL;
    const tool_flag flags[] = {{"--pretty", NULL, &pretty}, {"--launcher=", &launcher_text, NULL}};
    const tool_command cmd = {"json", usage, flags, 2, false, VFKIT_ARGS_HINT};
    int status = tool_begin(&cmd, argc, argv, &first, &dashdash);
    if (status != TOOL_CONTINUE)
        return status;
    vf_launcher storage;
    const vf_launcher *launcher;
    if ((status = tool_parse_launcher("json", launcher_text, &storage, &launcher)) != 0)
        return status;
    if (!dashdash)
        return tool_usage_error("json", "no --%s", VFKIT_ARGS_HINT);

    vf_error err = {0};
    /* argv is NULL-terminated by the C runtime, as vf_vm_from_cmdline() wants. */
    const char *const *args = (const char *const *)(argv + first);
    vf_vm *vm =
        launcher ? vf_vm_from_cmdline_for(args, launcher, &err) : vf_vm_from_cmdline(args, &err);
    char *json =
        vm != NULL ? vf_vm_to_json_ex(vm, pretty ? VF_JSON_PRETTY : VF_JSON_COMPACT, &err) : NULL;
    status = TOOL_EXIT_OK;
    if (json == NULL) {
        tool_report_vf_error("json", NULL, &err);
        status = TOOL_EXIT_INVALID;
    } else {
        puts(json);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            tool_error("json", "cannot write the JSON");
            status = TOOL_EXIT_INVALID;
        }
    }
    free(json);
    vf_vm_free(vm);
    return status;
}
