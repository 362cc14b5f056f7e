/*
 * libvfconfig - vf_cmd_spawn: start vfkit with exactly the descriptors it
 * should have.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The child's descriptors are arranged by posix_spawn file actions, which
 * run in the child in the order they are added:
 *
 *   1. every source (fds[i], and a caller descriptor meant for stdio) is
 *      copied to a temporary number that is no source and no target, so a
 *      later copy can never overwrite a source not yet copied, whatever the
 *      overlap (fds 9, 5, 3 going to 3, 4, 5; 4 and 3 swapped...);
 *   2. each temporary is copied onto its target, 3+i or 0, 1, 2; a dup2
 *      onto a different number always clears close-on-exec, which dup2(fd,
 *      fd) would not;
 *   3. the temporaries are closed, then everything else (platform.c);
 *   4. stdio meant for /dev/null is opened last, when slots are free.
 *
 * The parent opens nothing, so nothing can leak from a failed spawn.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

bool vf__fd_is_open(int fd)
{
    return fd >= 0 && fcntl(fd, F_GETFD) != -1;
}

const char *vf__errno_text(int errnum, char *buf, size_t size)
{
    /* The XSI strerror_r, which the build's _POSIX_C_SOURCE selects:
     * strerror() may share one buffer between threads. */
    if (strerror_r(errnum, buf, size) != 0)
        snprintf(buf, size, "error %d", errnum);
    return buf;
}

int vf__spawn_action_failed(vf_error *err, const char *what, int fd, int rc)
{
    char text[128];
    return vf__error(err, VF_ERR_SYSTEM, "%s(%d): %s", what, fd,
                     vf__errno_text(rc, text, sizeof text));
}

/* One descriptor handed from the parent to the child. */
typedef struct fd_move {
    int source; /* the parent's descriptor */
    int temp;   /* where it waits in the child (step 1) */
    int target; /* where the child finds it */
} fd_move;

typedef struct spawn_plan {
    fd_move *moves;
    size_t n_moves;
    int *temps; /* the temporaries again, as platform.c takes them */
    bool inherit_stdio[3];
    bool devnull_stdio[3];
    int first_free; /* 3 + n_fds: the lowest number vfkit must not have */
} spawn_plan;

static const char *const stdio_names[3] = {"stdin_fd", "stdout_fd", "stderr_fd"};

static void plan_release(spawn_plan *plan)
{
    vf__free(plan->moves);
    vf__free(plan->temps);
}

static int plan_stdio(spawn_plan *plan, int target, int value, vf_error *err)
{
    if (value == VF_SPAWN_INHERIT) {
        plan->inherit_stdio[target] = true;
    } else if (value == VF_SPAWN_DEVNULL) {
        plan->devnull_stdio[target] = true;
    } else if (!vf__fd_is_open(value)) {
        return vf__error(err, VF_ERR_INVALID, "%s: descriptor %d is not open",
                         stdio_names[target], value);
    } else {
        plan->moves[plan->n_moves++] = (fd_move){value, -1, target};
    }
    return 0;
}

static bool is_source(const spawn_plan *plan, int fd)
{
    for (size_t i = 0; i < plan->n_moves; i++)
        if (plan->moves[i].source == fd)
            return true;
    return false;
}

/* Temporaries: the lowest numbers from first_free up that are no source.
 * They are above every target, and the spawn fails cleanly (instead of in
 * the child) when one would not fit under the descriptor limit. */
static int plan_temporaries(spawn_plan *plan, vf_error *err)
{
    long limit = sysconf(_SC_OPEN_MAX);
    int next = plan->first_free;
    for (size_t i = 0; i < plan->n_moves; i++) {
        while (is_source(plan, next))
            next++;
        plan->moves[i].temp = next;
        plan->temps[i] = next;
        next++;
    }
    int highest = next - 1;
    for (size_t i = 0; i < plan->n_moves; i++)
        if (plan->moves[i].source > highest)
            highest = plan->moves[i].source;
    if (limit >= 0 && highest >= limit)
        return vf__error(err, VF_ERR_SYSTEM,
                         "too many descriptors: starting vfkit with %d inherited descriptors "
                         "needs descriptor %d, above the limit of %ld (RLIMIT_NOFILE)",
                         plan->first_free - 3, highest, limit);
    return 0;
}

static int plan_build(spawn_plan *plan, const vf_cmd *cmd, const vf_spawn_options *opts,
                      vf_error *err)
{
    memset(plan, 0, sizeof *plan);
    /* Keeps 3 + n + n + 3 and every temporary number far from INT_MAX. */
    if (cmd->n_fds > (size_t)(INT_MAX / 4))
        return vf__error(err, VF_ERR_LIMIT, "too many descriptors: %zu", cmd->n_fds);
    plan->first_free = 3 + (int)cmd->n_fds;
    size_t capacity = cmd->n_fds + 3;
    plan->moves = vf__calloc(capacity, sizeof *plan->moves);
    plan->temps = vf__calloc(capacity, sizeof *plan->temps);
    if (plan->moves == NULL || plan->temps == NULL)
        return vf__error_nomem(err);

    for (size_t i = 0; i < cmd->n_fds; i++) {
        int fd = cmd->fds[i];
        if (!vf__fd_is_open(fd))
            return vf__error(err, VF_ERR_INVALID,
                             "fds[%zu]: descriptor %d is not open (vfkit's fd=%zu)", i, fd,
                             i + 3);
        plan->moves[plan->n_moves++] = (fd_move){fd, -1, 3 + (int)i};
    }
    const int stdio[3] = {opts->stdin_fd, opts->stdout_fd, opts->stderr_fd};
    for (int k = 0; k < 3; k++) {
        int rc = plan_stdio(plan, k, stdio[k], err);
        if (rc != 0)
            return rc;
    }
    return plan_temporaries(plan, err);
}

static int add_dup2(posix_spawn_file_actions_t *fa, int from, int to, vf_error *err)
{
    int rc = posix_spawn_file_actions_adddup2(fa, from, to);
    return rc == 0 ? 0 : vf__spawn_action_failed(err, "posix_spawn_file_actions_adddup2", from, rc);
}

static int add_file_actions(posix_spawn_file_actions_t *fa, short *flags,
                            const spawn_plan *plan, vf_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < plan->n_moves; i++)
        rc = add_dup2(fa, plan->moves[i].source, plan->moves[i].temp, err);
    for (size_t i = 0; rc == 0 && i < plan->n_moves; i++)
        rc = add_dup2(fa, plan->moves[i].temp, plan->moves[i].target, err);
    for (size_t i = 0; rc == 0 && i < plan->n_moves; i++) {
        int close_rc = posix_spawn_file_actions_addclose(fa, plan->moves[i].temp);
        if (close_rc != 0)
            rc = vf__spawn_action_failed(err, "posix_spawn_file_actions_addclose",
                                         plan->moves[i].temp, close_rc);
    }
    if (rc == 0)
        rc = vf__platform_close_others(fa, flags, plan->inherit_stdio, plan->first_free,
                                       plan->temps, plan->n_moves, err);
    for (int k = 0; rc == 0 && k < 3; k++) {
        if (!plan->devnull_stdio[k])
            continue;
        int open_rc = posix_spawn_file_actions_addopen(fa, k, "/dev/null",
                                                       k == 0 ? O_RDONLY : O_WRONLY, 0);
        if (open_rc != 0)
            rc = vf__spawn_action_failed(err, "posix_spawn_file_actions_addopen", k, open_rc);
    }
    return rc;
}

static int call_failed(vf_error *err, const char *what, int rc)
{
    char text[128];
    return vf__error(err, VF_ERR_SYSTEM, "%s: %s", what, vf__errno_text(rc, text, sizeof text));
}

/* vfkit starts with no signal blocked: a mask the caller's thread had
 * (many servers block SIGTERM in worker threads) would otherwise keep
 * vfkit from being stopped. */
static int set_attributes(posix_spawnattr_t *attr, short flags, bool new_process_group,
                          vf_error *err)
{
    sigset_t none;
    sigemptyset(&none);
    int rc = posix_spawnattr_setsigmask(attr, &none);
    if (rc != 0)
        return call_failed(err, "posix_spawnattr_setsigmask", rc);
    flags |= POSIX_SPAWN_SETSIGMASK;
    if (new_process_group) {
        rc = posix_spawnattr_setpgroup(attr, 0);
        if (rc != 0)
            return call_failed(err, "posix_spawnattr_setpgroup", rc);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    rc = posix_spawnattr_setflags(attr, flags);
    return rc == 0 ? 0 : call_failed(err, "posix_spawnattr_setflags", rc);
}

static int spawn_planned(const vf_cmd *cmd, const vf_spawn_options *opts,
                         const spawn_plan *plan, pid_t *pid_out, vf_error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return call_failed(err, "posix_spawn_file_actions_init", rc);
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return call_failed(err, "posix_spawnattr_init", rc);
    }

    short flags = 0;
    rc = add_file_actions(&fa, &flags, plan, err);
    if (rc == 0)
        rc = set_attributes(&attr, flags, opts->new_process_group, err);
    if (rc == 0) {
        const char *path = cmd->argv[0];
        char *const *envp = opts->envp != NULL ? opts->envp : vf__platform_environ();
        pid_t pid;
        /* A bare name is looked up in PATH, as Go's exec.Command does. */
        int spawn_rc = strchr(path, '/') != NULL
                           ? posix_spawn(&pid, path, &fa, &attr, cmd->argv, envp)
                           : posix_spawnp(&pid, path, &fa, &attr, cmd->argv, envp);
        if (spawn_rc == 0) {
            *pid_out = pid;
        } else {
            char quoted[96], text[128];
            rc = vf__error(err, VF_ERR_SYSTEM, "cannot start \"%s\": %s",
                           vf__quote_for_message(path, quoted, sizeof quoted),
                           vf__errno_text(spawn_rc, text, sizeof text));
        }
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

int vf_cmd_spawn(const vf_cmd *cmd, const vf_spawn_options *options, pid_t *pid_out,
                 vf_error *err)
{
    static const vf_spawn_options defaults = {0};
    if (cmd == NULL || cmd->argv == NULL || vf__empty(cmd->argv[0]))
        return vf__error(err, VF_ERR_INVALID,
                         "vf_cmd_spawn: no program to start (argv[0] is empty)");
    if (cmd->n_fds > 0 && cmd->fds == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_cmd_spawn: %zu descriptors but no fds array",
                         cmd->n_fds);
    if (pid_out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_cmd_spawn: pid_out is NULL");

    const vf_spawn_options *opts = options != NULL ? options : &defaults;
    spawn_plan plan;
    int rc = plan_build(&plan, cmd, opts, err);
    if (rc == 0)
        rc = spawn_planned(cmd, opts, &plan, pid_out, err);
    plan_release(&plan);
    return rc;
}
