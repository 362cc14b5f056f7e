/*
 * libvfconfig - what differs between Linux (glibc or not) and macOS.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every platform #ifdef of the library lives here, so the rest reads as
 * plain POSIX. Today that is how vf_cmd_spawn() makes every descriptor the
 * child should not have disappear, and how a library reaches `environ`.
 */

/* Feature macros must precede every system header. The build sets
 * _POSIX_C_SOURCE; the *_np spawn calls need the system's extensions. */
#if defined(__APPLE__)
#ifndef _DARWIN_C_SOURCE
#define _DARWIN_C_SOURCE 1
#endif
#elif !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* glibc declares posix_spawn_file_actions_addclosefrom_np under it */
#endif

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <crt_externs.h>
#elif defined(__linux__)
#include <dirent.h>
#include <stdlib.h>
#endif

#include "vfconfig/vfconfig.h"
#include "spawn/platform.h"
#include "util/error.h"

/* How the child loses the descriptors it must not have:
 *   VF_CLOSE_CLOEXEC_DEFAULT  macOS: POSIX_SPAWN_CLOEXEC_DEFAULT; only what
 *                             a file action names survives exec.
 *   VF_CLOSE_CLOSEFROM        glibc 2.34 and later: one closefrom action.
 *   VF_CLOSE_ENUMERATE        anything else: close, one action each, what
 *                             the parent has open (see close_enumerated).
 * VF_SPAWN_NO_CLOSEFROM forces the last one on glibc, so the test suite
 * covers the path older systems take. */
#if defined(__APPLE__)
#define VF_CLOSE_CLOEXEC_DEFAULT 1
#elif defined(__GLIBC__) && !defined(VF_SPAWN_NO_CLOSEFROM)
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34)
#define VF_CLOSE_CLOSEFROM 1
#endif
#endif
#if !defined(VF_CLOSE_CLOEXEC_DEFAULT) && !defined(VF_CLOSE_CLOSEFROM)
#define VF_CLOSE_ENUMERATE 1
#endif

#if !defined(__APPLE__)
extern char **environ;
#endif

char *const *vf__platform_environ(void)
{
#if defined(__APPLE__)
    /* A shared library on macOS cannot link to `environ` directly. */
    return *_NSGetEnviron();
#else
    return environ;
#endif
}

const char *vf__platform_close_method(void)
{
#if defined(VF_CLOSE_CLOEXEC_DEFAULT)
    return "POSIX_SPAWN_CLOEXEC_DEFAULT";
#elif defined(VF_CLOSE_CLOSEFROM)
    return "posix_spawn_file_actions_addclosefrom_np";
#else
    return "one close action per open descriptor";
#endif
}

/* POSIX lets posix_spawn succeed when a file action fails in the child,
 * which then exits with 127; glibc since 2.24 and macOS return the error
 * instead. Only then may vf_cmd_spawn check the descriptors after a failure
 * rather than before every spawn. glibc's version is known exactly where
 * closefrom is used; elsewhere (musl and the rest, whose behaviour no macro
 * tells) the check comes first, which also lets the fallback suite cover
 * it. */
bool vf__platform_spawn_reports_action_errors(void)
{
#if defined(VF_CLOSE_CLOEXEC_DEFAULT) || defined(VF_CLOSE_CLOSEFROM)
    return true;
#else
    return false;
#endif
}

#if defined(VF_CLOSE_ENUMERATE)
static bool listed(int fd, const int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fds[i] == fd)
            return true;
    return false;
}

/* Adds a close action for fd when the parent has it open without
 * close-on-exec (those close by themselves at exec). */
static int close_if_inherited(posix_spawn_file_actions_t *fa, int fd, long limit, const int *skip,
                              size_t n_skip, vf_error *err)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags == -1 || (flags & FD_CLOEXEC) != 0 || listed(fd, skip, n_skip))
        return 0;
    /* posix_spawn refuses to name a descriptor at or above the limit, so
     * one opened before the limit was lowered would reach vfkit. */
    if (limit >= 0 && fd >= limit)
        return vf__error(err, VF_ERR_SYSTEM,
                         "descriptor %d is above the limit of %ld (RLIMIT_NOFILE) and would "
                         "reach vfkit: close it or mark it close-on-exec",
                         fd, limit);
    int rc = posix_spawn_file_actions_addclose(fa, fd);
    return rc == 0 ? 0 : vf__spawn_action_failed(err, "posix_spawn_file_actions_addclose", fd, rc);
}

/*
 * Without closefrom, the list of what to close is taken from the parent
 * now. Race: a descriptor another thread opens without O_CLOEXEC between
 * this listing and posix_spawn reaches vfkit; one it closes meanwhile makes
 * a close action fail, which glibc and musl ignore for descriptors within
 * the limit. Threads that open with O_CLOEXEC, as they should, are safe.
 */
static int close_enumerated(posix_spawn_file_actions_t *fa, int first_free, const int *skip,
                            size_t n_skip, vf_error *err)
{
    long limit = sysconf(_SC_OPEN_MAX);
#if defined(__linux__)
    DIR *dir = opendir("/proc/self/fd");
    if (dir != NULL) {
        int own = dirfd(dir);
        int rc = 0;
        struct dirent *entry;
        while (rc == 0 && (entry = readdir(dir)) != NULL) {
            char *end;
            long fd = strtol(entry->d_name, &end, 10);
            if (end == entry->d_name || *end != '\0' || fd < first_free || fd > INT_MAX ||
                fd == own)
                continue;
            rc = close_if_inherited(fa, (int)fd, limit, skip, n_skip, err);
        }
        closedir(dir);
        return rc;
    }
#endif
    /* No /proc: probe every number below the limit (none can be opened
     * above it, short of lowering the limit afterwards). */
    long max = limit < 0 || limit > INT_MAX ? INT_MAX : limit;
    for (long fd = first_free; fd < max; fd++) {
        int rc = close_if_inherited(fa, (int)fd, limit, skip, n_skip, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}
#endif

int vf__platform_close_others(posix_spawn_file_actions_t *fa, short *spawn_flags,
                              const bool inherit_stdio[3], int first_free, const int *closed,
                              size_t n_closed, vf_error *err)
{
#if defined(VF_CLOSE_CLOEXEC_DEFAULT)
    (void)closed;
    (void)n_closed;
    (void)first_free;
    /* The descriptors that dup2 and open actions create survive; stdio the
     * child inherits unchanged must be named. Inheriting one the parent has
     * closed would fail the spawn, so a closed one stays closed. */
    *spawn_flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
    for (int fd = 0; fd < 3; fd++) {
        if (!inherit_stdio[fd] || fcntl(fd, F_GETFD) == -1)
            continue;
        int rc = posix_spawn_file_actions_addinherit_np(fa, fd);
        if (rc != 0)
            return vf__spawn_action_failed(err, "posix_spawn_file_actions_addinherit_np", fd, rc);
    }
    return 0;
#elif defined(VF_CLOSE_CLOSEFROM)
    (void)spawn_flags;
    (void)inherit_stdio;
    (void)closed;
    (void)n_closed;
    int rc = posix_spawn_file_actions_addclosefrom_np(fa, first_free);
    return rc == 0 ? 0
                   : vf__spawn_action_failed(err, "posix_spawn_file_actions_addclosefrom_np",
                                             first_free, rc);
#else
    (void)spawn_flags;
    (void)inherit_stdio;
    return close_enumerated(fa, first_free, closed, n_closed, err);
#endif
}

bool vf__fd_is_open(int fd)
{
    return fd >= 0 && fcntl(fd, F_GETFD) != -1;
}

int vf__spawn_action_failed(vf_error *err, const char *what, int fd, int rc)
{
    char text[128];
    return vf__error(err, VF_ERR_SYSTEM, "%s(%d): %s", what, fd,
                     vf__errno_text(rc, text, sizeof text));
}
