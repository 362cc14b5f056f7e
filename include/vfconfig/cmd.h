/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file cmd.h
 * @brief Starting vfkit: the argv and the descriptors its child inherits.
 *
 * The Go package's `Cmd()` prints the parent's descriptor number in
 * `virtio-net,fd=N` while the child receives the socket at 3+i. Here the
 * i-th socket-backed virtio-net is listed as `fds[i]`, the argv says
 * `fd=3+i`, and vf_cmd_spawn() puts `fds[i]` on 3+i in the child and closes
 * every other descriptor but 0, 1 and 2.
 */
#ifndef VFCONFIG_CMD_H
#define VFCONFIG_CMD_H

#include <sys/types.h>

#include "common.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A vfkit command ready to spawn. */
typedef struct vf_cmd {
    char **argv;  /**< NULL-terminated; argv[0] is the vfkit path. */
    int *fds;     /**< Parent descriptors; fds[i] becomes 3+i in the child. Not owned. */
    size_t n_fds; /**< Number of entries in `fds`. */
} vf_cmd;

/**
 * Builds the command that starts @p vm with the vfkit at @p vfkit_path.
 * For a VM without socket-backed network devices, argv is
 * vf_vm_to_cmdline() with the path in front. Every socket must be open: a
 * closed one is ::VF_ERR_INVALID naming the device. A unix socket path
 * over ::VF_RESTFUL_UNIX_PATH_MAX bytes is ::VF_ERR_LIMIT naming the field
 * (`devices[1].unixSocketPath`, `devices[2].socketURL`), as
 * vf_vm_to_cmdline() refuses it. The vsock ports are
 * not checked here (the Go package accepts what vfkit then fails to run):
 * see vf_vm_check_vsock(). 0 or a negative
 * ::vf_status; on success the caller frees `*out` with vf_cmd_free().
 */
VF_EXTERN int vf_vm_cmd(const vf_vm *vm, const char *vfkit_path, vf_cmd **out, vf_error *err);

/** Frees the command (never the descriptors it lists). NULL is a no-op. */
VF_EXTERN void vf_cmd_free(vf_cmd *cmd);

/**
 * Appends a copy of @p arg to `cmd->argv`, as podman appends its endpoint
 * and debug arguments to the Go command's `Args`. The argv stays one
 * allocation (vf_strv_free() frees it): it is rebuilt, so pointers into
 * the old argv are invalid afterwards. On failure `cmd->argv` is unchanged.
 * 0, ::VF_ERR_INVALID for a NULL @p cmd or @p arg, or ::VF_ERR_NOMEM.
 */
VF_EXTERN int vf_cmd_append_arg(vf_cmd *cmd, const char *arg, vf_error *err);

/** The layout of ::vf_spawn_options this header describes. */
#define VF_SPAWN_OPTIONS_VERSION 1

/**
 * How vf_cmd_spawn() starts the child. Initialise with
 * ::VF_SPAWN_OPTIONS_INIT (or zero it: version 0 reads as the first
 * layout), then set what you need. Fields are only ever added at the end,
 * under a new version, so a program built against an older header keeps
 * working with a newer library.
 */
typedef struct vf_spawn_options {
    /** ::VF_SPAWN_OPTIONS_VERSION when made with ::VF_SPAWN_OPTIONS_INIT. */
    unsigned version;
    /**
     * Environment for the child (NULL-terminated); NULL inherits the
     * caller's. A bare `argv[0]` is looked up in the caller's `PATH`, not
     * in this one's (see vf_cmd_spawn()).
     */
    char *const *envp;
    /** Start the child in a new process group, so a terminal's Ctrl-C aimed at the caller does not stop the VM. */
    bool new_process_group;
    /**
     * Descriptors for the child's stdin, stdout and stderr. A value of 0
     * in the zero-initialised struct (or ::VF_SPAWN_INHERIT) inherits the
     * caller's; ::VF_SPAWN_DEVNULL opens /dev/null; any other value is a
     * descriptor of the caller, duplicated onto 0, 1 or 2.
     */
    int stdin_fd;
    int stdout_fd; /**< The child's stdout, as `stdin_fd`. */
    int stderr_fd; /**< The child's stderr, as `stdin_fd`. */
} vf_spawn_options;

/** vf_spawn_options stdio value: inherit the caller's descriptor. */
#define VF_SPAWN_INHERIT 0
/** vf_spawn_options stdio value: connect the child to /dev/null. */
#define VF_SPAWN_DEVNULL (-1)

/** A ::vf_spawn_options with every default: inherit the environment and stdio. */
#define VF_SPAWN_OPTIONS_INIT                                                      \
    {                                                                              \
        VF_SPAWN_OPTIONS_VERSION, NULL, false, VF_SPAWN_INHERIT, VF_SPAWN_INHERIT, \
            VF_SPAWN_INHERIT                                                       \
    }

/**
 * Starts @p cmd with posix_spawn. The child gets exactly descriptors 0, 1,
 * 2 and 3+i for each `fds[i]` (overlapping or swapped sources included);
 * every other descriptor is closed in the child. A descriptor already on
 * its number (`fds[0]` is 3) is kept there and needs no spare number (on
 * macOS and glibc 2.29 and later; elsewhere only one without
 * close-on-exec), so the spawn itself works with every number below the
 * descriptor limit in use. @p options may be NULL.
 * An `argv[0]` with a '/' is that file, relative to the current directory
 * when it does not start with '/'; one without is looked up in the
 * directories of the caller's `PATH` (not of @p options' `envp`), as
 * execvp() and Go's exec.Command do.
 * The child starts with no signal blocked and every signal at its default
 * action (POSIX_SPAWN_SETSIGDEF): a signal the caller ignores, or catches,
 * is not ignored by the child. On success stores the child's
 * pid in @p pid_out and returns 0; the caller waits for it. Nothing the
 * caller owns is closed. A closed descriptor in `fds` or the options is
 * ::VF_ERR_INVALID; a failed start (missing program, descriptor limit) is
 * ::VF_ERR_SYSTEM, and leaves no process and no descriptor behind.
 */
VF_EXTERN int vf_cmd_spawn(const vf_cmd *cmd, const vf_spawn_options *options, pid_t *pid_out,
                           vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_CMD_H */
