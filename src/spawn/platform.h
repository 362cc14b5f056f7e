/*
 * libvfconfig - the one module with platform #ifdefs (platform.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_SPAWN_PLATFORM_H
#define VFCONFIG_SPAWN_PLATFORM_H

#include <spawn.h>
#include <stdbool.h>
#include <stddef.h>

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
/* Adds to fa (and *spawn_flags) what leaves the child only 0, 1, 2 and
 * [3, first_free): inherit_stdio[k] says fd k is inherited unchanged; the
 * n_closed descriptors in closed (all >= first_free) are already closed by
 * earlier actions. 0 or VF_ERR_SYSTEM naming the failed call. */
int vf__platform_close_others(posix_spawn_file_actions_t *fa, short *spawn_flags,
                              const bool inherit_stdio[3], int first_free, const int *closed,
                              size_t n_closed, vf_error *err);

#endif /* VFCONFIG_SPAWN_PLATFORM_H */
