/*
 * vfconfig run: starts vfkit for a JSON VM, forwards SIGINT and SIGTERM to
 * it, and exits with its status.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "tool.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static const char usage[] =
    "Usage: vfconfig run --vfkit PROG [--launcher L] [FILE|-]\n"
    "\n"
    "Reads a VM as JSON from FILE (standard input when FILE is - or absent),\n"
    "starts the vfkit program PROG for it, and waits. SIGINT and SIGTERM\n"
    "sent to vfconfig are passed on to vfkit, which stops the VM.\n"
    "vfkit inherits standard input, output and error, and no other descriptor.\n"
    "\n"
    "Options:\n"
    "  --vfkit PROG  the vfkit (or krunkit) executable: a PROG with a '/' is\n"
    "                that file (./vfkit, /opt/homebrew/bin/vfkit); a bare name\n"
    "                is looked up in the directories of $PATH, as the shell does\n"
    "  --launcher L  what PROG is: krunkit, krunkit@1.2.1, vfkit@0.6.1 (default:\n"
    "                the newest vfkit); the VM is printed in its dialect\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: vfkit's own, or 128+N when a signal N ended it;\n"
    "1 for an invalid VM or when vfkit could not be started; 2 wrong usage.\n";

/* Shared with the signal handler: only sig_atomic_t is safe there. */
static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t pending_signal;

static void forward_signal(int sig)
{
    int saved_errno = errno;
    if (child_pid > 0)
        kill((pid_t)child_pid, sig);
    else
        pending_signal = sig; /* arrived before vfkit started: passed on right after */
    errno = saved_errno;
}

static int install_forwarding(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    return 0;
}

static int wait_for(pid_t pid)
{
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            tool_error("run", "waiting for vfkit: %s", strerror(errno));
            return TOOL_EXIT_INVALID;
        }
    }
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return TOOL_EXIT_INVALID;
}

int tool_cmd_run(int argc, char **argv)
{
    const char *vfkit = NULL;
    int first, dashdash;
    const char *launcher_text = NULL;
    const tool_flag flags[] = {{"--vfkit=", &vfkit, NULL}, {"--launcher=", &launcher_text, NULL}};
    const tool_command command = {"run", usage, flags, 2, true, NULL};
    int status = tool_begin(&command, argc, argv, &first, &dashdash);
    if (status != TOOL_CONTINUE)
        return status;
    if (vfkit == NULL || vfkit[0] == '\0')
        return tool_usage_error("run", "--vfkit PROG is required");
    vf_launcher storage;
    const vf_launcher *launcher;
    if ((status = tool_parse_launcher("run", launcher_text, &storage, &launcher)) != 0)
        return status;

    const char *path = first < argc ? argv[first] : NULL;
    vf_vm *vm = tool_load_vm("run", path, &status);
    if (vm == NULL)
        return status;
    vf_error err = {0};
    vf_cmd *cmd = NULL;
    if ((launcher ? vf_vm_cmd_for(vm, launcher, vfkit, &cmd, &err)
                  : vf_vm_cmd(vm, vfkit, &cmd, &err)) != 0) {
        tool_report_vf_error("run", tool_input_name(path), &err);
        vf_vm_free(vm);
        return TOOL_EXIT_INVALID;
    }

    pid_t pid;
    if (install_forwarding() != 0) {
        tool_error("run", "cannot handle SIGINT/SIGTERM: %s", strerror(errno));
        status = TOOL_EXIT_INVALID;
    } else if (vf_cmd_spawn(cmd, NULL, &pid, &err) != 0) {
        tool_report_vf_error("run", vfkit, &err);
        status = TOOL_EXIT_INVALID;
    } else {
        child_pid = (sig_atomic_t)pid;
        if (pending_signal != 0)
            kill(pid, pending_signal);
        status = wait_for(pid);
    }
    vf_cmd_free(cmd);
    vf_vm_free(vm);
    return status;
}
