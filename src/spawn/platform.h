/*
 * libvfconfig - the one module with platform #ifdefs (platform.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_SPAWN_PLATFORM_H
#define VFCONFIG_SPAWN_PLATFORM_H

#include <spawn.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "vfconfig/common.h"

/* fcntl(F_GETFD) succeeds: fd names an open descriptor. */
bool vf__fd_is_open(int fd);
/* Fills err with "what(fd): <errno text>"; returns VF_ERR_SYSTEM. */
int vf__spawn_action_failed(vf_error *err, const char *what, int fd, int rc);

/* The caller's environment (macOS libraries reach it via _NSGetEnviron). */
char *const *vf__platform_environ(void);
/* Which way the child loses unwanted descriptors, for messages and tests. */
const char *vf__platform_close_method(void);
/* True when a file action that fails in the child makes posix_spawn return
 * its error (POSIX also allows success and an exit with 127). */
bool vf__platform_spawn_reports_action_errors(void);
/* True when fd, a descriptor the child gets at its own number, can keep
 * that number without a temporary: the platform has an action that clears
 * close-on-exec (macOS, glibc 2.29 and later), or fd has none. */
bool vf__platform_can_keep_in_place(int fd);
/* Adds to fa what keeps fd at its number in the child, close-on-exec
 * cleared (nothing where none is needed). 0 or VF_ERR_SYSTEM. */
int vf__platform_keep_in_place(posix_spawn_file_actions_t *fa, int fd, vf_error *err);
/* Adds to fa (and *spawn_flags) what leaves the child only 0, 1, 2 and
 * [3, first_free): inherit_stdio[k] says fd k is inherited unchanged; the
 * n_closed descriptors in closed (all >= first_free) are already closed by
 * earlier actions. 0 or VF_ERR_SYSTEM naming the failed call. */
int vf__platform_close_others(posix_spawn_file_actions_t *fa, short *spawn_flags,
                              const bool inherit_stdio[3], int first_free, const int *closed,
                              size_t n_closed, vf_error *err);

/* What any process can see of another one (platform.c). */
typedef enum vf__proc_state {
    VF__PROC_ALIVE,  /* it runs (or cannot be told from running) */
    VF__PROC_ENDED,  /* it has exited and waits for its parent: a zombie */
    VF__PROC_GONE,   /* no such process */
    VF__PROC_UNKNOWN /* the system would not say */
} vf__proc_state;
/* The state of pid, for a caller that need not be its parent: /proc/PID/stat
 * on Linux, proc_pidinfo on macOS, kill(pid, 0) elsewhere (which cannot
 * tell a zombie). */
vf__proc_state vf__platform_process_state(pid_t pid);
/* The path of pid's executable into buf: /proc/PID/exe on Linux,
 * proc_pidpath on macOS. 0, or an errno value (ESRCH or ENOENT when the
 * process is gone, ERANGE when the path does not fit). */
int vf__platform_process_path(pid_t pid, char *buf, size_t size);
/* Makes writing to a socket whose peer has gone fail with EPIPE instead of
 * raising SIGPIPE: SO_NOSIGPIPE on macOS; nothing elsewhere, where
 * vf__platform_send passes MSG_NOSIGNAL. 0 or -1 with errno. */
int vf__platform_socket_nosigpipe(int fd);
/* send() that never raises SIGPIPE (with vf__platform_socket_nosigpipe). */
ssize_t vf__platform_send(int fd, const void *buf, size_t len);

#endif /* VFCONFIG_SPAWN_PLATFORM_H */
