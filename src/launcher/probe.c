/*
 * libvfconfig - asking an installed launcher for its release: `PATH
 * --version`, read within a deadline.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "launcher/launcher.h"
#include "spawn/platform.h"
#include "util/error.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Starts path --version with stdout on out_fd, stdin and stderr on /dev/null.
 */
static int start(const char *path, int out_fd, pid_t *pid, vf_error *err)
{
    char reason[128];
    posix_spawn_file_actions_t actions;
    if (posix_spawn_file_actions_init(&actions) != 0)
        return vf__error_nomem(err);
    int rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)path, (char *)"--version", NULL};
    /* A bare name is looked up in PATH, as vf_cmd_spawn() starts it. */
    char *const *env = vf__platform_environ();
    if (rc == 0)
        rc = strchr(path, '/') != NULL ? posix_spawn(pid, path, &actions, NULL, argv, env)
                                       : posix_spawnp(pid, path, &actions, NULL, argv, env);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return vf__error(err, VF_ERR_SYSTEM, "probing %s: cannot start it: %s", path,
                         vf__errno_text(rc, reason, sizeof reason));
    return VF_OK;
}

/* Reads until end of file or the deadline; 0, or VF_ERR_TIMEOUT. */
static int read_output(int fd, char *buf, size_t size, long long deadline)
{
    size_t used = 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return VF_ERR_TIMEOUT;
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            continue;
        char chunk[256];
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        size_t take = (size_t)got < size - 1 - used ? (size_t)got : size - 1 - used;
        memcpy(buf + used, chunk, take);
        used += take;
    }
    buf[used] = '\0';
    return VF_OK;
}

/* Waits for pid until the deadline, then kills it; its status in *status. */
static int reap(pid_t pid, long long deadline, int *status)
{
    for (;;) {
        pid_t got = waitpid(pid, status, WNOHANG);
        if (got == pid)
            return VF_OK;
        if (got < 0 && errno != EINTR)
            return VF_ERR_SYSTEM;
        if (now_ms() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return VF_ERR_TIMEOUT;
        }
        struct timespec pause = {0, 5 * 1000000L};
        nanosleep(&pause, NULL);
    }
}

int vf_launcher_probe(const char *path, unsigned timeout_ms, vf_launcher *out, vf_error *err)
{
    char reason[128];
    if (path == NULL || path[0] == '\0' || out == NULL)
        return vf__error(err, VF_ERR_INVALID, "probing: no program given");
    if (timeout_ms == 0)
        timeout_ms = 5000;
    long long deadline = now_ms() + timeout_ms;
    int fds[2];
    if (pipe(fds) != 0)
        return vf__error(err, VF_ERR_SYSTEM, "probing %s: pipe: %s", path,
                         vf__errno_text(errno, reason, sizeof reason));
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    int rc = start(path, fds[1], &pid, err);
    close(fds[1]);
    if (rc != VF_OK) {
        close(fds[0]);
        return rc;
    }
    char output[512];
    int read_rc = read_output(fds[0], output, sizeof output, deadline);
    close(fds[0]);
    int status = 0;
    int wait_rc = reap(pid, read_rc == VF_OK ? deadline : now_ms(), &status);
    if (read_rc != VF_OK || wait_rc == VF_ERR_TIMEOUT)
        return vf__error(err, VF_ERR_TIMEOUT, "probing %s: no answer to --version within %u ms",
                         path, timeout_ms);
    if (wait_rc != VF_OK || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return vf__error(err, VF_ERR_SYSTEM, "probing %s: --version failed (%s %d)", path,
                         WIFEXITED(status) ? "exit status" : "signal",
                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    rc = vf_launcher_from_version_output(output, out, err);
    if (rc != VF_OK)
        vf__error_prefix(err, "probing %s", path);
    return rc;
}
