/*
 * libvfconfig - what the lifecycle modules share: process state without a
 * handle (process.c), and the unix sockets the host listens on (socket.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef VFCONFIG_LIFECYCLE_INTERNAL_H
#define VFCONFIG_LIFECYCLE_INTERNAL_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "vfconfig/common.h"
#include "vfconfig/lifecycle.h"
#include "vfconfig/process.h"

/* True once pid has ended, without reaping it: for a child of the caller
 * (waitid with WNOWAIT) *out says how; for another process a zombie counts
 * as ended and *out is VF_EXIT_GONE. out may be NULL. */
bool vf__pid_ended(pid_t pid, vf_exit_status *out);

/* A unix stream socket listening on path: a stale socket file there is
 * removed first (anything else at path is refused), the path must fit
 * macOS's sun_path (VF__UNIX_PATH_MAX bytes, util/sockpath.h). what names
 * the socket in messages ("ready socket"). The descriptor (non-blocking,
 * close-on-exec), or a negative vf_status. */
int vf__unix_listen(const char *path, const char *what, vf_error *err);

/* "launcher (pid N) exited before <what>: <status>" for a process that
 * ended during a wait; returns VF_ERR_EXITED. */
int vf__process_ended_error(vf_process *proc, const char *what, vf_error *err);

/* A handle for pid without a launcher check, for vf_vm_stop_gracefully()'s
 * bare pid: a child when the caller is its parent. 0 or VF_ERR_NOMEM. */
int vf__process_for_pid(pid_t pid, vf_process **out, vf_error *err);

/* The Ignition server inside another poll loop (ignition.c): fill sets pfd
 * to what the server waits for (fd -1 when nothing, or srv NULL); react
 * handles what poll reported in pfd->revents, and the connection's
 * deadline. */
void vf__ignition_fill(const vf_ignition_server *srv, struct pollfd *pfd);
void vf__ignition_react(vf_ignition_server *srv, const struct pollfd *pfd);

#endif /* VFCONFIG_LIFECYCLE_INTERNAL_H */
