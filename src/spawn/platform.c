/*
 * libvfconfig - what differs between Linux (glibc or not) and macOS.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Every platform #ifdef of the library lives here, so the rest reads as
 * plain POSIX: how vf_cmd_spawn() makes every descriptor the child should
 * not have disappear, how a library reaches `environ`, how another
 * process is looked at (alive, a zombie, which executable), and how a
 * socket write avoids SIGPIPE.
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

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <crt_externs.h>
#include <libproc.h>
#include <sys/proc.h>
#include <sys/proc_info.h>
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
 *   VF_CLOSE_CLOSEFROM        glibc 2.34 and later: one closefrom action
 *                             (one action per open descriptor when the
 *                             first number to close is at the limit).
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

/* How a descriptor the child gets at its own number keeps it, with
 * close-on-exec cleared, without a temporary:
 *   VF_KEEP_INHERIT_NP  macOS: posix_spawn_file_actions_addinherit_np.
 *   VF_KEEP_DUP2_SAME   glibc 2.29 and later: adddup2(fd, fd), which
 *                       clears close-on-exec as POSIX now requires.
 * Anything else has no such action: a descriptor without close-on-exec is
 * kept by doing nothing, one with it goes round a temporary.
 * VF_SPAWN_NO_CLOSEFROM forces that way too, for the fallback suite. */
#if defined(__APPLE__)
#define VF_KEEP_INHERIT_NP 1
#elif defined(__GLIBC__) && !defined(VF_SPAWN_NO_CLOSEFROM)
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29)
#define VF_KEEP_DUP2_SAME 1
#endif
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

bool vf__platform_can_keep_in_place(int fd)
{
#if defined(VF_KEEP_INHERIT_NP) || defined(VF_KEEP_DUP2_SAME)
    (void)fd;
    return true;
#else
    int flags = fcntl(fd, F_GETFD);
    return flags != -1 && (flags & FD_CLOEXEC) == 0;
#endif
}

int vf__platform_keep_in_place(posix_spawn_file_actions_t *fa, int fd, vf_error *err)
{
#if defined(VF_KEEP_INHERIT_NP)
    int rc = posix_spawn_file_actions_addinherit_np(fa, fd);
    return rc == 0 ? 0
                   : vf__spawn_action_failed(err, "posix_spawn_file_actions_addinherit_np", fd, rc);
#elif defined(VF_KEEP_DUP2_SAME)
    int rc = posix_spawn_file_actions_adddup2(fa, fd, fd);
    return rc == 0 ? 0 : vf__spawn_action_failed(err, "posix_spawn_file_actions_adddup2", fd, rc);
#else
    (void)fa;
    (void)fd;
    (void)err;
    return 0; /* without close-on-exec (vf__platform_can_keep_in_place): nothing to do */
#endif
}

#if !defined(VF_CLOSE_CLOEXEC_DEFAULT)
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
    /* closefrom refuses a number at or above the limit, where only a
     * descriptor opened before the limit was lowered can be: those are
     * looked for one by one. */
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit >= 0 && first_free >= limit)
        return close_enumerated(fa, first_free, closed, n_closed, err);
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

/* ---- other processes: alive, ended, which program ------------------------ */

vf__proc_state vf__platform_process_state(pid_t pid)
{
#if defined(__APPLE__)
    /* PROC_PIDTBSDINFO also answers for a zombie, whose status is SZOMB. */
    struct proc_bsdinfo info;
    int n = proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, (int)sizeof info);
    if (n == (int)sizeof info)
        return info.pbi_status == SZOMB ? VF__PROC_ENDED : VF__PROC_ALIVE;
    if (n <= 0 && errno == ESRCH)
        return VF__PROC_GONE;
#elif defined(__linux__)
    /* /proc/PID/stat: "PID (COMM) S ...", S being Z for a zombie and X for a
     * process being removed. COMM may hold ')' and spaces: the state follows
     * the last ')'. */
    char path[40], text[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, text, sizeof text - 1);
        close(fd);
        if (n > 0) {
            text[n] = '\0';
            const char *close_paren = strrchr(text, ')');
            if (close_paren != NULL && close_paren[1] == ' ')
                return close_paren[2] == 'Z' || close_paren[2] == 'X' ? VF__PROC_ENDED
                                                                      : VF__PROC_ALIVE;
        }
    } else if (errno == ENOENT && access("/proc/self/stat", F_OK) == 0) {
        return VF__PROC_GONE;
    }
#endif
    /* No better source: signal 0 tells gone from there (a zombie included). */
    if (kill(pid, 0) == 0 || errno == EPERM)
        return VF__PROC_ALIVE;
    return errno == ESRCH ? VF__PROC_GONE : VF__PROC_UNKNOWN;
}

int vf__platform_process_path(pid_t pid, char *buf, size_t size)
{
    if (size == 0)
        return ERANGE;
#if defined(__APPLE__)
    char path[PROC_PIDPATHINFO_MAXSIZE];
    int n = proc_pidpath(pid, path, sizeof path);
    if (n <= 0)
        return errno != 0 ? errno : ESRCH;
    if ((size_t)n >= size)
        return ERANGE;
    memcpy(buf, path, (size_t)n);
    buf[n] = '\0';
    return 0;
#elif defined(__linux__)
    char link[40];
    snprintf(link, sizeof link, "/proc/%ld/exe", (long)pid);
    ssize_t n = readlink(link, buf, size - 1);
    if (n < 0)
        return errno;
    if ((size_t)n >= size - 1)
        return ERANGE;
    buf[n] = '\0';
    /* An executable replaced or removed since it started. */
    static const char deleted[] = " (deleted)";
    size_t len = (size_t)n, dlen = sizeof deleted - 1;
    if (len > dlen && strcmp(buf + len - dlen, deleted) == 0)
        buf[len - dlen] = '\0';
    return 0;
#else
    (void)pid;
    (void)buf;
    return ENOSYS;
#endif
}

int vf__platform_socket_nosigpipe(int fd)
{
#if defined(SO_NOSIGPIPE)
    int one = 1;
    return setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#else
    (void)fd;
    return 0;
#endif
}

ssize_t vf__platform_send(int fd, const void *buf, size_t len)
{
#if defined(MSG_NOSIGNAL)
    return send(fd, buf, len, MSG_NOSIGNAL);
#else
    return send(fd, buf, len, 0);
#endif
}
