/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file process.h
 * @brief A started launcher (vfkit, krunkit): its pid, a pidfile, whether
 * it still runs, how it ended, and signals passed on to it.
 *
 * A ::vf_process is what a VM manager keeps about the launcher it started,
 * or found again from a pidfile in another process (as crc and minikube
 * do). It knows whether the caller is the launcher's parent: a parent sees
 * the exit status and reaps the process; any other process sees only that
 * the process has gone. A process that has ended but not yet been reaped
 * by its parent (a zombie) counts as ended for every caller.
 *
 * A pid is only a number: once a process has ended, another program may
 * get the same one. Every function that signals a process found from a
 * pidfile first checks that the pid still runs the launcher (its executable
 * path or name), so a stale pidfile never makes the library signal an
 * unrelated program.
 */
#ifndef VFCONFIG_PROCESS_H
#define VFCONFIG_PROCESS_H

#include <sys/types.h>

#include "cmd.h"
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- exit status ---------------------------------------------------------- */

/** How a process ended, as far as the caller can know. */
typedef enum vf_exit_kind {
    VF_EXIT_RUNNING = 0, /**< It has not ended (or nothing is known yet). */
    VF_EXIT_CODE,        /**< It exited; vf_exit_status::value is the exit code (0 to 255). */
    VF_EXIT_SIGNAL,      /**< A signal ended it; vf_exit_status::value is the signal number. */
    VF_EXIT_GONE         /**< It has ended, but the caller is not its parent: no status. */
} vf_exit_kind;

/** How a process ended. Plain data, nothing to free. */
typedef struct vf_exit_status {
    vf_exit_kind kind; /**< Which of the cases. */
    int value;         /**< Exit code or signal number; 0 otherwise. */
} vf_exit_status;

/**
 * Decodes a status from waitpid() (`WIFEXITED`, `WIFSIGNALED`) into @p out.
 * A stopped or continued status reads as ::VF_EXIT_RUNNING.
 */
VF_EXTERN void vf_exit_status_from_wait(int wait_status, vf_exit_status *out);

/**
 * Writes @p status as a sentence fragment ("exited with status 3",
 * "was killed by signal 9 (SIGKILL)", "has exited (not our child: no
 * status)", "is running"). Like snprintf: at most @p size bytes, NUL
 * included, into @p buf (NULL when @p size is 0); returns the length of the
 * whole text.
 */
VF_EXTERN size_t vf_exit_status_format(const vf_exit_status *status, char *buf, size_t size);

/**
 * The exit code a shell would report: the code itself, 128 + N for signal
 * N, 1 for ::VF_EXIT_GONE, 0 for ::VF_EXIT_RUNNING. A program that runs a
 * VM in the foreground can exit with it (`vfconfig run` does).
 */
VF_EXTERN int vf_exit_status_shell_code(const vf_exit_status *status);

/* ---- the process handle --------------------------------------------------- */

/** A started launcher process. Opaque; free with vf_process_free(). */
typedef struct vf_process vf_process;

/**
 * Starts @p cmd with vf_cmd_spawn() (same @p options and rules) and returns
 * a handle for the child in @p out: the caller is its parent, and the
 * launcher's name is the last component of `argv[0]`. 0 or a negative
 * ::vf_status from vf_cmd_spawn() (then no process runs and `*out` is
 * NULL). Caller frees with vf_process_free().
 */
VF_EXTERN int vf_process_spawn(const vf_cmd *cmd, const vf_spawn_options *options, vf_process **out,
                               vf_error *err);

/**
 * A handle for the running process @p pid, which should run the launcher
 * @p launcher: an absolute path (the executable must be that file) or a
 * name (the executable's last path component must be it, as crc and
 * minikube check `vfkit`). The caller need not be its parent: when it is
 * (a child not yet reaped), the handle sees its exit status. 0 and `*out`
 * set when @p pid runs @p launcher; ::VF_ERR_EXITED when no such process
 * runs (it has gone, is a zombie, or the pid now runs another program:
 * @p err says which); ::VF_ERR_SYSTEM when the process cannot be looked at
 * (another user's, without permission); ::VF_ERR_INVALID for pid <= 0 or an
 * empty launcher. Caller frees with vf_process_free().
 */
VF_EXTERN int vf_process_attach(pid_t pid, const char *launcher, vf_process **out, vf_error *err);

/**
 * Frees the handle. Never signals the process; a child that has not been
 * waited for keeps running (reap it with vf_process_wait() first if the
 * program goes on). NULL is a no-op.
 */
VF_EXTERN void vf_process_free(vf_process *proc);

/** The process id. */
VF_EXTERN pid_t vf_process_pid(const vf_process *proc);

/** True when the caller started the process (vf_process_spawn() or a child found by vf_process_attach()). */
VF_EXTERN bool vf_process_is_child(const vf_process *proc);

/** The launcher's name or path the process is checked against ("vfkit", "/opt/homebrew/bin/vfkit"); borrowed. */
VF_EXTERN const char *vf_process_launcher(const vf_process *proc);

/**
 * Looks at the process without waiting and without reaping it: fills
 * @p out (may be NULL) and returns true while it runs. For a child the
 * status says how it ended; for another process, ::VF_EXIT_GONE once it has
 * ended (a zombie included) or once its pid runs a different program.
 */
VF_EXTERN bool vf_process_running(vf_process *proc, vf_exit_status *out);

/** Wait for ever, for vf_process_wait(). */
#define VF_WAIT_FOREVER 0xffffffffu

/**
 * Waits up to @p timeout_ms milliseconds (0: just look; ::VF_WAIT_FOREVER)
 * for the process to end. A child is reaped: its status is kept in the
 * handle and later calls return it again. 0 and @p out (may be NULL) filled
 * once it has ended; ::VF_ERR_TIMEOUT while it still runs.
 */
VF_EXTERN int vf_process_wait(vf_process *proc, unsigned timeout_ms, vf_exit_status *out,
                              vf_error *err);

/**
 * The early-failure check crc makes after starting vfkit: waits up to
 * @p within_ms milliseconds and returns 0 when the process still runs
 * then; ::VF_ERR_EXITED as soon as it ends, with @p err saying how
 * ("vfkit exited within 1000 ms: exited with status 1") and @p out (may be
 * NULL) filled. A child that ended is not reaped.
 */
VF_EXTERN int vf_process_check_started(vf_process *proc, unsigned within_ms, vf_exit_status *out,
                                       vf_error *err);

/**
 * Sends @p signo to the process. A process that is not the caller's child
 * is first checked to still run the launcher; one that has ended (or whose
 * pid now runs another program) is not signalled: ::VF_ERR_EXITED.
 * ::VF_ERR_SYSTEM when kill() fails otherwise.
 */
VF_EXTERN int vf_process_signal(vf_process *proc, int signo, vf_error *err);

/* ---- pidfiles ------------------------------------------------------------- */

/**
 * Writes the process id to @p path as vfkit's own `--pidfile`, crc and
 * minikube do: the decimal number, no newline, mode 0600. The file is
 * written under a temporary name in the same folder and renamed, so a
 * reader never sees half a number. 0, or ::VF_ERR_IO naming the path.
 */
VF_EXTERN int vf_process_write_pidfile(const vf_process *proc, const char *path, vf_error *err);

/**
 * Reads a pidfile: a positive decimal pid, with white space around it
 * allowed (as vfkit, crc and minikube read theirs). 0 and @p pid_out set;
 * ::VF_ERR_IO when the file cannot be read (errno ENOENT: `err->text` says
 * "no such file"); ::VF_ERR_INVALID for anything that is not a pid.
 */
VF_EXTERN int vf_pidfile_read(const char *path, pid_t *pid_out, vf_error *err);

/**
 * Finds a running VM again from its pidfile, in any process: reads
 * @p path and attaches to the pid as vf_process_attach() does. 0 and
 * `*out` set when the launcher runs. When the file is missing, or names a
 * process that has ended or now runs another program (a stale pidfile),
 * returns ::VF_ERR_EXITED with `*out` NULL, and with @p remove_stale the
 * stale file is removed (as crc's recoverFromUncleanShutdown does). Other
 * errors as vf_pidfile_read() and vf_process_attach().
 */
VF_EXTERN int vf_process_from_pidfile(const char *path, const char *launcher, bool remove_stale,
                                      vf_process **out, vf_error *err);

/* ---- signal forwarding ---------------------------------------------------- */

/**
 * Installs handlers for SIGINT and SIGTERM in the calling program that pass
 * the signal on to @p proc (Ctrl-C or a service manager's stop then reach
 * vfkit, which shuts its guest down), as podman and `vfconfig run` do. One
 * process at a time: a second call replaces the first. This is the one
 * piece of global state of the library (signal dispositions are
 * per-program). 0, or ::VF_ERR_SYSTEM when sigaction() fails.
 */
VF_EXTERN int vf_process_forward_signals(const vf_process *proc, vf_error *err);

/** Restores the handlers vf_process_forward_signals() replaced. Safe to call when none are installed. */
VF_EXTERN void vf_process_forward_signals_stop(void);

/** The last signal passed on since vf_process_forward_signals() (SIGINT, SIGTERM), or 0. */
VF_EXTERN int vf_process_forwarded_signal(void);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_PROCESS_H */
