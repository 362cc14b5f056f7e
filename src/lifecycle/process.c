/*
 * libvfconfig - a started launcher: its pid, whether it runs, how it ended,
 * pidfiles, and signals passed on to it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A child is looked at with waitid(WNOWAIT), which leaves it for
 * vf_process_wait() to reap; any other process through the platform module
 * (/proc on Linux, proc_pidinfo on macOS), where a zombie counts as ended:
 * kill(pid, 0) succeeds on a zombie, and a Stop that worked would look like
 * a VM that still runs.
 */
/* realpath() is XSI in glibc's headers: POSIX.1-2008 alone hides it. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "lifecycle/lifecycle.h"
#include "spawn/platform.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

struct vf_process {
    pid_t pid;
    bool child;            /* the caller is the parent */
    bool reaped;           /* waited for: the pid is no longer ours to look at */
    vf_exit_status status; /* once ended */
    char *launcher;        /* a name, or an absolute path */
    bool verify;           /* check the pid still runs the launcher */
};

/* Longest executable path the identity check reads. */
#define VF__EXE_PATH_MAX 4096

/* ---- exit status ---------------------------------------------------------- */

void vf_exit_status_from_wait(int wait_status, vf_exit_status *out)
{
    if (out == NULL)
        return;
    if (WIFEXITED(wait_status))
        *out = (vf_exit_status){VF_EXIT_CODE, WEXITSTATUS(wait_status)};
    else if (WIFSIGNALED(wait_status))
        *out = (vf_exit_status){VF_EXIT_SIGNAL, WTERMSIG(wait_status)};
    else
        *out = (vf_exit_status){VF_EXIT_RUNNING, 0};
}

static const char *signal_name(int signo)
{
    switch (signo) {
    case SIGHUP:
        return "SIGHUP";
    case SIGINT:
        return "SIGINT";
    case SIGQUIT:
        return "SIGQUIT";
    case SIGILL:
        return "SIGILL";
    case SIGABRT:
        return "SIGABRT";
    case SIGFPE:
        return "SIGFPE";
    case SIGKILL:
        return "SIGKILL";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGALRM:
        return "SIGALRM";
    case SIGTERM:
        return "SIGTERM";
    case SIGUSR1:
        return "SIGUSR1";
    case SIGUSR2:
        return "SIGUSR2";
    case SIGBUS:
        return "SIGBUS";
    default:
        return NULL;
    }
}

size_t vf_exit_status_format(const vf_exit_status *status, char *buf, size_t size)
{
    vf_exit_status st = status != NULL ? *status : (vf_exit_status){VF_EXIT_RUNNING, 0};
    int n;
    switch (st.kind) {
    case VF_EXIT_CODE:
        n = snprintf(buf, size, "exited with status %d", st.value);
        break;
    case VF_EXIT_SIGNAL: {
        const char *name = signal_name(st.value);
        n = name != NULL ? snprintf(buf, size, "was killed by signal %d (%s)", st.value, name)
                         : snprintf(buf, size, "was killed by signal %d", st.value);
        break;
    }
    case VF_EXIT_GONE:
        n = snprintf(buf, size, "has exited (not a child of this process: no status)");
        break;
    default:
        n = snprintf(buf, size, "is running");
        break;
    }
    return n < 0 ? 0 : (size_t)n;
}

int vf_exit_status_shell_code(const vf_exit_status *status)
{
    if (status == NULL)
        return 0;
    switch (status->kind) {
    case VF_EXIT_CODE:
        return status->value;
    case VF_EXIT_SIGNAL:
        return 128 + status->value;
    case VF_EXIT_GONE:
        return 1;
    default:
        return 0;
    }
}

/* ---- looking at a pid ----------------------------------------------------- */

/* A child's state without reaping it: 1 ended (*out set), 0 running, -1 not
 * a child of the caller. */
static int child_state(pid_t pid, vf_exit_status *out)
{
    for (int tries = 0; tries < 8; tries++) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        /* si_pid stays 0 while the child runs; macOS may report a stopped
         * child despite WEXITED: only an end counts. */
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0) {
            if (info.si_pid != pid)
                return 0;
            if (info.si_code == CLD_EXITED) {
                *out = (vf_exit_status){VF_EXIT_CODE, info.si_status};
                return 1;
            }
            if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
                *out = (vf_exit_status){VF_EXIT_SIGNAL, info.si_status};
                return 1;
            }
            return 0;
        }
        if (errno != EINTR)
            break;
    }
    return errno == ECHILD ? -1 : 0;
}

bool vf__pid_ended(pid_t pid, vf_exit_status *out)
{
    vf_exit_status st = {VF_EXIT_RUNNING, 0};
    int child = child_state(pid, &st);
    if (child < 0) {
        vf__proc_state state = vf__platform_process_state(pid);
        if (state == VF__PROC_GONE || state == VF__PROC_ENDED)
            st = (vf_exit_status){VF_EXIT_GONE, 0};
    }
    if (out != NULL)
        *out = st;
    return st.kind != VF_EXIT_RUNNING;
}

/* The last path component. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* 0 when pid runs launcher; VF_ERR_EXITED when it runs another program;
 * VF_ERR_SYSTEM when its executable cannot be read. */
static int check_identity(pid_t pid, const char *launcher, vf_error *err)
{
    char *exe = vf__malloc(VF__EXE_PATH_MAX);
    char *want = NULL;
    if (exe == NULL)
        return vf__error_nomem(err);
    int rc = 0;
    int sys = vf__platform_process_path(pid, exe, VF__EXE_PATH_MAX);
    char text[128];
    if (sys == ESRCH || sys == ENOENT) {
        rc = vf__error(err, VF_ERR_EXITED, "process %ld: no such process", (long)pid);
    } else if (sys != 0) {
        rc = vf__error(err, VF_ERR_SYSTEM,
                       "process %ld: cannot read its executable's path to check it is %s: %s",
                       (long)pid, launcher, vf__errno_text(sys, text, sizeof text));
    } else if (strchr(launcher, '/') != NULL) {
        /* A path: the same file, symbolic links resolved (Homebrew's vfkit is one). */
        want = realpath(launcher, NULL);
        if (strcmp(exe, want != NULL ? want : launcher) != 0)
            rc = vf__error(err, VF_ERR_EXITED, "process %ld runs %s, not %s (a stale pid)",
                           (long)pid, exe, launcher);
    } else if (strcmp(base_name(exe), launcher) != 0) {
        rc = vf__error(err, VF_ERR_EXITED, "process %ld runs %s, not %s (a stale pid)", (long)pid,
                       exe, launcher);
    }
    free(want); /* realpath's, from malloc */
    vf__free(exe);
    return rc;
}

/* ---- the handle ----------------------------------------------------------- */

static int new_handle(pid_t pid, bool child, const char *launcher, vf_process **out, vf_error *err)
{
    vf_process *proc = vf__calloc(1, sizeof *proc);
    if (proc == NULL || (proc->launcher = vf__strdup(launcher)) == NULL) {
        vf__free(proc);
        return vf__error_nomem(err);
    }
    proc->pid = pid;
    proc->child = child;
    proc->verify = !child;
    *out = proc;
    return 0;
}

int vf__process_for_pid(pid_t pid, vf_process **out, vf_error *err)
{
    vf_exit_status st;
    int rc = new_handle(pid, child_state(pid, &st) >= 0, "vfkit", out, err);
    if (rc == 0)
        (*out)->verify = false;
    return rc;
}

int vf_process_spawn(const vf_cmd *cmd, const vf_spawn_options *options, vf_process **out,
                     vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_spawn: out is NULL");
    *out = NULL;
    if (cmd == NULL || cmd->argv == NULL || vf__empty(cmd->argv[0]))
        return vf__error(err, VF_ERR_INVALID,
                         "vf_process_spawn: no program to start (argv[0] is empty)");
    /* The handle first: once the launcher runs, nothing may fail. */
    vf_process *proc = NULL;
    int rc = new_handle(0, true, base_name(cmd->argv[0]), &proc, err);
    if (rc != 0)
        return rc;
    rc = vf_cmd_spawn(cmd, options, &proc->pid, err);
    if (rc != 0) {
        vf_process_free(proc);
        return rc;
    }
    *out = proc;
    return 0;
}

int vf_process_attach(pid_t pid, const char *launcher, vf_process **out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_attach: out is NULL");
    *out = NULL;
    if (pid <= 0)
        return vf__error(err, VF_ERR_INVALID, "vf_process_attach: invalid value for 'pid': %ld",
                         (long)pid);
    if (vf__empty(launcher))
        return vf__error(err, VF_ERR_INVALID, "vf_process_attach: the launcher is empty");
    vf_exit_status st;
    int child = child_state(pid, &st);
    if (child > 0) {
        char how[96];
        vf_exit_status_format(&st, how, sizeof how);
        return vf__error(err, VF_ERR_EXITED, "process %ld %s", (long)pid, how);
    }
    vf__proc_state state = vf__platform_process_state(pid);
    if (state == VF__PROC_GONE || state == VF__PROC_ENDED)
        return vf__error(err, VF_ERR_EXITED, "process %ld %s", (long)pid,
                         state == VF__PROC_GONE ? "does not exist" : "has exited (a zombie)");
    int rc = check_identity(pid, launcher, err);
    if (rc == 0)
        rc = new_handle(pid, child == 0, launcher, out, err);
    return rc;
}

void vf_process_free(vf_process *proc)
{
    if (proc == NULL)
        return;
    vf__free(proc->launcher);
    vf__free(proc);
}

pid_t vf_process_pid(const vf_process *proc)
{
    return proc != NULL ? proc->pid : 0;
}

bool vf_process_is_child(const vf_process *proc)
{
    return proc != NULL && proc->child;
}

const char *vf_process_launcher(const vf_process *proc)
{
    return proc != NULL ? proc->launcher : "";
}

bool vf_process_running(vf_process *proc, vf_exit_status *out)
{
    if (proc == NULL)
        return false;
    if (proc->status.kind == VF_EXIT_RUNNING) {
        if (proc->child) {
            vf_exit_status st;
            if (child_state(proc->pid, &st) > 0)
                proc->status = st;
        } else {
            vf__proc_state state = vf__platform_process_state(proc->pid);
            /* A pid that now runs another program: ours has ended. */
            if (state == VF__PROC_GONE || state == VF__PROC_ENDED ||
                (state == VF__PROC_ALIVE && proc->verify &&
                 check_identity(proc->pid, proc->launcher, NULL) == VF_ERR_EXITED))
                proc->status = (vf_exit_status){VF_EXIT_GONE, 0};
        }
    }
    if (out != NULL)
        *out = proc->status;
    return proc->status.kind == VF_EXIT_RUNNING;
}

/* Reaps an ended child; true once its status is in the handle. */
static bool reap(vf_process *proc)
{
    if (proc->reaped)
        return true;
    int wstatus = 0;
    pid_t got;
    do
        got = waitpid(proc->pid, &wstatus, WNOHANG);
    while (got < 0 && errno == EINTR);
    if (got == proc->pid) {
        vf_exit_status_from_wait(wstatus, &proc->status);
        proc->reaped = true;
        return true;
    }
    if (got < 0 && errno == ECHILD) {
        /* Someone else reaped it (a SIGCHLD handler of the program). */
        if (proc->status.kind == VF_EXIT_RUNNING)
            proc->status = (vf_exit_status){VF_EXIT_GONE, 0};
        proc->reaped = true;
        return true;
    }
    return false;
}

int vf_process_wait(vf_process *proc, unsigned timeout_ms, vf_exit_status *out, vf_error *err)
{
    if (proc == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_wait: no process");
    uint64_t end = timeout_ms == VF_WAIT_FOREVER ? UINT64_MAX : vf__now_ms() + timeout_ms;
    uint64_t pause = 1; /* grows to 50 ms */
    for (;;) {
        bool ended = proc->child ? reap(proc) : !vf_process_running(proc, NULL);
        if (ended) {
            if (out != NULL)
                *out = proc->status;
            return 0;
        }
        uint64_t left = vf__left_until(end);
        if (left == 0)
            return vf__error(err, VF_ERR_TIMEOUT, "%s (pid %ld) still runs after %u ms",
                             proc->launcher, (long)proc->pid, timeout_ms);
        vf__sleep_ms(pause < left ? pause : left);
        pause = pause * 2 > 50 ? 50 : pause * 2;
    }
}

int vf__process_ended_error(vf_process *proc, const char *what, vf_error *err)
{
    char how[96];
    vf_exit_status_format(&proc->status, how, sizeof how);
    return vf__error(err, VF_ERR_EXITED, "%s (pid %ld) %s before %s", proc->launcher,
                     (long)proc->pid, how, what);
}

int vf_process_check_started(vf_process *proc, unsigned within_ms, vf_exit_status *out,
                             vf_error *err)
{
    if (proc == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_check_started: no process");
    uint64_t end = vf__now_ms() + within_ms;
    uint64_t pause = 1;
    int rc = 0;
    for (;;) {
        if (!vf_process_running(proc, NULL)) {
            char how[96];
            vf_exit_status_format(&proc->status, how, sizeof how);
            rc = vf__error(err, VF_ERR_EXITED, "%s (pid %ld) %s within %u ms of its start",
                           proc->launcher, (long)proc->pid, how, within_ms);
            break;
        }
        uint64_t left = vf__left_until(end);
        if (left == 0)
            break;
        vf__sleep_ms(pause < left ? pause : left);
        pause = pause * 2 > 50 ? 50 : pause * 2;
    }
    if (out != NULL)
        *out = proc->status;
    return rc;
}

int vf_process_signal(vf_process *proc, int signo, vf_error *err)
{
    if (proc == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_signal: no process");
    const char *name = signal_name(signo);
    char number[16];
    if (name == NULL) {
        snprintf(number, sizeof number, "signal %d", signo);
        name = number;
    }
    /* Never signal a pid we no longer own: after a reap, or once it runs
     * another program, it may belong to anyone. */
    if (proc->reaped || !vf_process_running(proc, NULL))
        return vf__error(err, VF_ERR_EXITED, "cannot send %s to %s (pid %ld): it has exited", name,
                         proc->launcher, (long)proc->pid);
    if (kill(proc->pid, signo) == 0)
        return 0;
    char text[128];
    int e = errno;
    if (e == ESRCH)
        return vf__error(err, VF_ERR_EXITED, "cannot send %s to %s (pid %ld): it has exited", name,
                         proc->launcher, (long)proc->pid);
    return vf__error(err, VF_ERR_SYSTEM, "kill(%ld, %s): %s", (long)proc->pid, name,
                     vf__errno_text(e, text, sizeof text));
}

/* ---- pidfiles ------------------------------------------------------------- */

int vf_process_write_pidfile(const vf_process *proc, const char *path, vf_error *err)
{
    if (proc == NULL || vf__empty(path))
        return vf__error(err, VF_ERR_INVALID, "vf_process_write_pidfile: %s",
                         proc == NULL ? "no process" : "the path is empty");
    size_t len = strlen(path);
    char *temp = vf__malloc(len + 16);
    if (temp == NULL)
        return vf__error_nomem(err);
    snprintf(temp, len + 16, "%s.tmp-XXXXXX", path);
    char text[128];
    int rc = 0;
    int fd = mkstemp(temp); /* mode 0600 */
    if (fd < 0) {
        rc = vf__error(err, VF_ERR_IO, "pidfile %s: %s", path,
                       vf__errno_text(errno, text, sizeof text));
        vf__free(temp);
        return rc;
    }
    char number[24];
    int n = snprintf(number, sizeof number, "%ld", (long)proc->pid);
    ssize_t wrote;
    do
        wrote = write(fd, number, (size_t)n);
    while (wrote < 0 && errno == EINTR);
    int e = wrote == n ? 0 : (wrote < 0 ? errno : EIO);
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(temp, path) != 0)
        e = errno;
    if (e != 0) {
        unlink(temp);
        rc =
            vf__error(err, VF_ERR_IO, "pidfile %s: %s", path, vf__errno_text(e, text, sizeof text));
    }
    vf__free(temp);
    return rc;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int vf_pidfile_read(const char *path, pid_t *pid_out, vf_error *err)
{
    if (vf__empty(path) || pid_out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_pidfile_read: %s",
                         pid_out == NULL ? "pid_out is NULL" : "the path is empty");
    char text[128], buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return vf__error(err, VF_ERR_IO, "pidfile %s: %s", path,
                         vf__errno_text(errno, text, sizeof text));
    ssize_t n;
    do
        n = read(fd, buf, sizeof buf - 1);
    while (n < 0 && errno == EINTR);
    int e = errno;
    close(fd);
    if (n < 0)
        return vf__error(err, VF_ERR_IO, "pidfile %s: %s", path,
                         vf__errno_text(e, text, sizeof text));
    buf[n] = '\0';
    char *start = buf;
    while (is_space(*start))
        start++;
    char *end = start + strlen(start);
    while (end > start && is_space(end[-1]))
        *--end = '\0';
    long pid = 0;
    bool ok = *start != '\0' && (size_t)n < sizeof buf - 1;
    for (const char *p = start; ok && *p != '\0'; p++) {
        ok = *p >= '0' && *p <= '9' && pid <= (INT_MAX - (*p - '0')) / 10;
        pid = pid * 10 + (*p - '0');
    }
    if (!ok || pid <= 0) {
        char quoted[80];
        return vf__error(err, VF_ERR_INVALID, "pidfile %s: invalid pid: \"%s\"", path,
                         vf__quote_for_message(start, quoted, sizeof quoted));
    }
    *pid_out = (pid_t)pid;
    return 0;
}

int vf_process_from_pidfile(const char *path, const char *launcher, bool remove_stale,
                            vf_process **out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_process_from_pidfile: out is NULL");
    *out = NULL;
    pid_t pid = 0;
    vf_error why = {0};
    int rc = vf_pidfile_read(path, &pid, &why);
    if (rc == VF_ERR_IO && access(path, F_OK) != 0 && errno == ENOENT)
        return vf__error(err, VF_ERR_EXITED, "pidfile %s: no such file: no VM runs", path);
    if (rc == 0)
        rc = vf_process_attach(pid, launcher, out, &why);
    if (rc == VF_ERR_EXITED) {
        if (remove_stale)
            unlink(path);
        return vf__error(err, rc, "pidfile %s is stale: %s", path, why.text);
    }
    if (rc != 0 && err != NULL)
        *err = why;
    return rc;
}

/* ---- signal forwarding ---------------------------------------------------- */

/* Signal handlers can reach only globals: the pid to pass signals to, and
 * the last one passed. pid_t fits a sig_atomic_t where the library runs
 * (int on Linux and macOS). */
static volatile sig_atomic_t forward_pid;
static volatile sig_atomic_t forwarded;
static struct sigaction saved_int, saved_term;
static bool installed;

static void forward(int signo)
{
    int saved_errno = errno;
    pid_t pid = (pid_t)forward_pid;
    forwarded = signo;
    if (pid > 0)
        kill(pid, signo);
    errno = saved_errno;
}

int vf_process_forward_signals(const vf_process *proc, vf_error *err)
{
    if (proc == NULL || proc->pid <= 0)
        return vf__error(err, VF_ERR_INVALID, "vf_process_forward_signals: no process");
    forward_pid = (sig_atomic_t)proc->pid;
    forwarded = 0;
    if (installed)
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    char text[128];
    if (sigaction(SIGINT, &sa, &saved_int) != 0)
        return vf__error(err, VF_ERR_SYSTEM, "sigaction(SIGINT): %s",
                         vf__errno_text(errno, text, sizeof text));
    if (sigaction(SIGTERM, &sa, &saved_term) != 0) {
        int e = errno;
        sigaction(SIGINT, &saved_int, NULL);
        return vf__error(err, VF_ERR_SYSTEM, "sigaction(SIGTERM): %s",
                         vf__errno_text(e, text, sizeof text));
    }
    installed = true;
    return 0;
}

void vf_process_forward_signals_stop(void)
{
    if (!installed)
        return;
    sigaction(SIGINT, &saved_int, NULL);
    sigaction(SIGTERM, &saved_term, NULL);
    installed = false;
    forward_pid = 0;
}

int vf_process_forwarded_signal(void)
{
    return (int)forwarded;
}
