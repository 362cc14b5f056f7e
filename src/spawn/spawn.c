/*
 * libvfconfig - vf_cmd_spawn: start vfkit with exactly the descriptors it
 * should have.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The child's descriptors are arranged by posix_spawn file actions, which
 * run in the child in the order they are added:
 *
 *   1. a source already on its own target (fds[0] == 3) is kept there, its
 *      close-on-exec cleared by the platform's action (platform.c:
 *      addinherit_np on macOS, adddup2(fd, fd) on glibc 2.29 and later,
 *      nothing for a descriptor without close-on-exec): it needs no copy
 *      and no temporary, so a spawn right at the descriptor limit works;
 *   2. every other source (fds[i], and a caller descriptor meant for stdio)
 *      is copied onto its target, 3+i or 0, 1, 2, with dup2, in an order
 *      where every number is read by all the copies that need it before a
 *      copy overwrites it (fds 9, 5, 3 going to 3, 4, 5: 5 to 4 first, then
 *      3 to 5, then 9 to 3). Sources that go round in a cycle (4 and 3
 *      swapped) cannot be ordered so: one of them first waits on a
 *      temporary, first_free, which is no target. A source on its own
 *      target that the platform cannot keep (close-on-exec set, and no
 *      action to clear it) is such a cycle: a dup2 onto a different number
 *      always clears close-on-exec;
 *   3. the temporary, if one was needed, is closed, then everything else
 *      (platform.c);
 *   4. stdio meant for /dev/null is opened last, when slots are free.
 *
 * That is one action per descriptor and one more per cycle, where copying
 * every source to a temporary first would take two and a close: fewer
 * actions, and fewer of the descriptor-limit checks (a getrlimit each) the
 * C library makes in every one.
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

#include "vfconfig/vfconfig.h"
#include "spawn/platform.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/str.h"

/* One descriptor handed from the parent to the child. */
typedef struct fd_move {
    int source; /* the parent's descriptor */
    int target; /* where the child finds it */
} fd_move;

/* One dup2 file action. */
typedef struct fd_copy {
    int from;
    int to;
} fd_copy;

typedef struct spawn_plan {
    void *memory; /* one allocation for the arrays below and the scratch */
    fd_move *moves;
    size_t n_moves;
    fd_copy *copies; /* the dup2 actions, in order */
    size_t n_copies;
    int *kept; /* sources already on their target, kept in place */
    size_t n_kept;
    int temp; /* the temporary, or -1 when no cycle needed one */
    bool inherit_stdio[3];
    bool devnull_stdio[3];
    int first_free; /* 3 + n_fds: the lowest number vfkit must not have */
} spawn_plan;

/* The plan's working arrays, indexed by descriptor below first_free (every
 * target is there) or by move. */
typedef struct plan_scratch {
    int *readers; /* [first_free] moves not yet copied whose source is fd */
    int *writer;  /* [first_free] 1 + the move whose target is fd; 0 for none */
    int *ready;   /* stack of moves whose target no pending move reads */
    bool *done;   /* [n_moves] copied */
} plan_scratch;

static const char *const stdio_names[3] = {"stdin_fd", "stdout_fd", "stderr_fd"};

static void plan_release(spawn_plan *plan)
{
    vf__free(plan->memory);
}

/* The first descriptor of cmd or opts that is not open, as VF_ERR_INVALID
 * naming it; 0 when all are. Where posix_spawn reports a failed file
 * action (platform.c), this is asked only after a failure: every number is
 * read before any action writes it, so a closed source fails the first
 * dup2 that reads it, and a spawn that succeeded had every descriptor
 * open. That saves a system call per descriptor. */
static int find_closed(const vf_cmd *cmd, const vf_spawn_options *opts, vf_error *err)
{
    for (size_t i = 0; i < cmd->n_fds; i++)
        if (!vf__fd_is_open(cmd->fds[i])) {
            vf__error(err, VF_ERR_INVALID, "fds[%zu]: descriptor %d is not open (vfkit's fd=%zu)",
                      i, cmd->fds[i], i + 3);
            vf__error_locate(err, "fds[%zu]", i);
            return VF_ERR_INVALID;
        }
    const int stdio[3] = {opts->stdin_fd, opts->stdout_fd, opts->stderr_fd};
    for (int k = 0; k < 3; k++)
        if (stdio[k] != VF_SPAWN_INHERIT && stdio[k] != VF_SPAWN_DEVNULL &&
            !vf__fd_is_open(stdio[k]))
            return vf__error_at(err, VF_ERR_INVALID, stdio_names[k],
                                "%s: descriptor %d is not open", stdio_names[k], stdio[k]);
    return 0;
}

static bool below_first_free(const spawn_plan *plan, int fd)
{
    return fd >= 0 && fd < plan->first_free;
}

/* Copies move i and frees the number it read for its writer. */
static void copy_move(spawn_plan *plan, plan_scratch *w, int *n_ready, int i)
{
    const fd_move *move = &plan->moves[i];
    plan->copies[plan->n_copies++] = (fd_copy){move->source, move->target};
    w->done[i] = true;
    if (below_first_free(plan, move->source) && --w->readers[move->source] == 0 &&
        w->writer[move->source] != 0)
        w->ready[(*n_ready)++] = w->writer[move->source] - 1;
}

/*
 * Orders the copies. A move is ready when no pending move reads its target.
 * Copying one may make the writer of its source ready. When none is ready
 * but moves remain, each number they involve has exactly one writer and one
 * reader left: the moves form cycles, all below first_free. The source of
 * one move of a cycle goes to the temporary, and the cycle then unwinds to
 * that move, which reads the temporary; so one temporary serves every cycle
 * in turn. The temporary is first_free: no target, and a source there, like
 * every source outside the cycles, has been read by then.
 */
static void plan_copies(spawn_plan *plan, plan_scratch *w)
{
    for (size_t i = 0; i < plan->n_moves; i++) {
        if (below_first_free(plan, plan->moves[i].source))
            w->readers[plan->moves[i].source]++;
        w->writer[plan->moves[i].target] = (int)i + 1;
    }
    int n_ready = 0;
    for (size_t i = 0; i < plan->n_moves; i++)
        if (w->readers[plan->moves[i].target] == 0)
            w->ready[n_ready++] = (int)i;
    size_t first_left = 0;
    for (;;) {
        while (n_ready > 0)
            copy_move(plan, w, &n_ready, w->ready[--n_ready]);
        while (first_left < plan->n_moves && w->done[first_left])
            first_left++;
        if (first_left == plan->n_moves)
            return;
        plan->temp = plan->first_free;
        fd_move *move = &plan->moves[first_left];
        int source = move->source;
        plan->copies[plan->n_copies++] = (fd_copy){source, plan->temp};
        move->source = plan->temp;
        w->readers[source] = 0;
        w->ready[n_ready++] = w->writer[source] - 1;
    }
}

/* posix_spawn refuses an action that names a number at or above the
 * descriptor limit: fail here, and clearly, rather than in the child. */
static int check_limit(const spawn_plan *plan, vf_error *err)
{
    int highest = -1; /* the temporary, if any, is a copy's target */
    for (size_t i = 0; i < plan->n_kept; i++)
        if (plan->kept[i] > highest)
            highest = plan->kept[i];
    for (size_t i = 0; i < plan->n_copies; i++) {
        if (plan->copies[i].from > highest)
            highest = plan->copies[i].from;
        if (plan->copies[i].to > highest)
            highest = plan->copies[i].to;
    }
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit >= 0 && highest >= limit)
        return vf__error(err, VF_ERR_SYSTEM,
                         "too many descriptors: starting vfkit with %d inherited descriptors "
                         "needs descriptor %d, above the limit of %ld (RLIMIT_NOFILE)",
                         plan->first_free - 3, highest, limit);
    return 0;
}

/* Lays the plan's arrays and the scratch out in one allocation; 0 or
 * VF_ERR_NOMEM. Every array has `slots` = n_fds + 3 entries, the most
 * there can be (copies: twice that, one more per cycle). Only the counts
 * and flags start at zero; the rest is written before it is read. */
static int plan_allocate(spawn_plan *plan, plan_scratch *w, size_t slots, vf_error *err)
{
    size_t per_slot = sizeof(fd_move) + 2 * sizeof(fd_copy) + 4 * sizeof(int) + sizeof(bool);
    plan->memory = slots <= SIZE_MAX / per_slot ? vf__malloc(slots * per_slot) : NULL;
    if (plan->memory == NULL)
        return vf__error_nomem(err);
    plan->moves = plan->memory;
    plan->copies = (fd_copy *)(void *)(plan->moves + slots);
    plan->kept = (int *)(void *)(plan->copies + 2 * slots);
    w->ready = plan->kept + slots;
    w->readers = w->ready + slots;
    w->writer = w->readers + slots;
    w->done = (bool *)(w->writer + slots);
    memset(w->readers, 0, 2 * slots * sizeof(int) + slots * sizeof(bool));
    return 0;
}

/* A source already on its target stays there when the platform can keep it
 * so (no other move writes that number, and keeping it changes nothing
 * the other moves read); any other is a move to order. */
static void add_move(spawn_plan *plan, int source, int target)
{
    if (source == target && vf__platform_can_keep_in_place(source))
        plan->kept[plan->n_kept++] = source;
    else
        plan->moves[plan->n_moves++] = (fd_move){source, target};
}

static int plan_build(spawn_plan *plan, const vf_cmd *cmd, const vf_spawn_options *opts,
                      vf_error *err)
{
    memset(plan, 0, sizeof *plan);
    plan->temp = -1;
    /* Keeps 3 + n and the counts of moves far from INT_MAX. */
    if (cmd->n_fds > (size_t)(INT_MAX / 4))
        return vf__error(err, VF_ERR_LIMIT, "too many descriptors: %zu", cmd->n_fds);
    plan->first_free = 3 + (int)cmd->n_fds;
    plan_scratch w = {NULL, NULL, NULL, NULL};
    int rc = plan_allocate(plan, &w, cmd->n_fds + 3, err);
    if (rc != 0)
        return rc;

    for (size_t i = 0; i < cmd->n_fds; i++)
        add_move(plan, cmd->fds[i], 3 + (int)i);
    const int stdio[3] = {opts->stdin_fd, opts->stdout_fd, opts->stderr_fd};
    for (int k = 0; k < 3; k++) {
        if (stdio[k] == VF_SPAWN_INHERIT)
            plan->inherit_stdio[k] = true;
        else if (stdio[k] == VF_SPAWN_DEVNULL)
            plan->devnull_stdio[k] = true;
        else
            add_move(plan, stdio[k], k);
    }
    plan_copies(plan, &w);
    return check_limit(plan, err);
}

static int add_file_actions(posix_spawn_file_actions_t *fa, short *flags, const spawn_plan *plan,
                            vf_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < plan->n_kept; i++)
        rc = vf__platform_keep_in_place(fa, plan->kept[i], err);
    for (size_t i = 0; rc == 0 && i < plan->n_copies; i++) {
        int from = plan->copies[i].from, to = plan->copies[i].to;
        int dup_rc = posix_spawn_file_actions_adddup2(fa, from, to);
        if (dup_rc != 0)
            rc = vf__spawn_action_failed(err, "posix_spawn_file_actions_adddup2", from, dup_rc);
    }
    size_t n_temps = plan->temp >= 0 ? 1 : 0;
    if (rc == 0 && n_temps > 0) {
        int close_rc = posix_spawn_file_actions_addclose(fa, plan->temp);
        if (close_rc != 0)
            rc = vf__spawn_action_failed(err, "posix_spawn_file_actions_addclose", plan->temp,
                                         close_rc);
    }
    if (rc == 0)
        rc = vf__platform_close_others(fa, flags, plan->inherit_stdio, plan->first_free,
                                       &plan->temp, n_temps, err);
    for (int k = 0; rc == 0 && k < 3; k++) {
        if (!plan->devnull_stdio[k])
            continue;
        int open_rc =
            posix_spawn_file_actions_addopen(fa, k, "/dev/null", k == 0 ? O_RDONLY : O_WRONLY, 0);
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

/* vfkit starts with no signal blocked and every signal at its default
 * action. A mask the caller's thread had (many servers block SIGTERM in
 * worker threads) would keep vfkit from being stopped, and so would a
 * signal the caller ignores: exec keeps SIG_IGN (a daemon ignoring SIGHUP
 * and SIGPIPE, a shell's `trap '' TERM`), and the graceful stop would then
 * fall through to SIGKILL. */
static int set_attributes(posix_spawnattr_t *attr, short flags, bool new_process_group,
                          vf_error *err)
{
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawnattr_setsigmask(attr, &none);
    if (rc != 0)
        return call_failed(err, "posix_spawnattr_setsigmask", rc);
    rc = posix_spawnattr_setsigdefault(attr, &all);
    if (rc != 0)
        return call_failed(err, "posix_spawnattr_setsigdefault", rc);
    flags |= POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (new_process_group) {
        rc = posix_spawnattr_setpgroup(attr, 0);
        if (rc != 0)
            return call_failed(err, "posix_spawnattr_setpgroup", rc);
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    rc = posix_spawnattr_setflags(attr, flags);
    return rc == 0 ? 0 : call_failed(err, "posix_spawnattr_setflags", rc);
}

static int spawn_planned(const vf_cmd *cmd, const vf_spawn_options *opts, const spawn_plan *plan,
                         pid_t *pid_out, vf_error *err)
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
            rc = vf__error_at(err, VF_ERR_SYSTEM, "argv[0]", "cannot start: %s: \"%s\"",
                              vf__errno_text(spawn_rc, text, sizeof text),
                              vf__quote_for_message(path, quoted, sizeof quoted));
        }
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

int vf_cmd_spawn(const vf_cmd *cmd, const vf_spawn_options *options, pid_t *pid_out, vf_error *err)
{
    static const vf_spawn_options defaults = VF_SPAWN_OPTIONS_INIT;
    if (cmd == NULL || cmd->argv == NULL || vf__empty(cmd->argv[0]))
        return vf__error(err, VF_ERR_INVALID,
                         "vf_cmd_spawn: no program to start (argv[0] is empty)");
    if (cmd->n_fds > 0 && cmd->fds == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_cmd_spawn: %zu descriptors but no fds array",
                         cmd->n_fds);
    if (pid_out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_cmd_spawn: pid_out is NULL");

    const vf_spawn_options *opts = options != NULL ? options : &defaults;
    if (opts->version > VF_SPAWN_OPTIONS_VERSION)
        return vf__error(err, VF_ERR_INVALID,
                         "vf_spawn_options: version %u is newer than this library's (%u)",
                         opts->version, (unsigned)VF_SPAWN_OPTIONS_VERSION);
    bool check_after = vf__platform_spawn_reports_action_errors();
    int rc = check_after ? 0 : find_closed(cmd, opts, err);
    if (rc != 0)
        return rc;
    spawn_plan plan;
    rc = plan_build(&plan, cmd, opts, err);
    if (rc == 0)
        rc = spawn_planned(cmd, opts, &plan, pid_out, err);
    plan_release(&plan);
    /* A closed descriptor is the caller's mistake, not the system's. */
    if (rc == VF_ERR_SYSTEM && check_after) {
        int closed = find_closed(cmd, opts, err);
        if (closed != 0)
            rc = closed;
    }
    return rc;
}
