/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file lifecycle.h
 * @brief Running a VM as podman does: the guest's "ready" signal, the
 * Ignition config served over vsock, and a stop policy.
 *
 * podman's `StartGenericAppleVM` (pkg/machine/apple/apple.go) starts a VM
 * in this order, and each step has its helper here:
 *
 * 1. vf_ready_listen(): a vsock device on the ready port (1025) with the
 *    host listening on a unix socket, created before vfkit starts. A unit
 *    in the guest (`echo Ready | socat - VSOCK-CONNECT:2:1025`) connects
 *    once the system has booted.
 * 2. vf_ignition_server_new() on a first boot: a vsock device on Ignition's
 *    port (1024) and a small HTTP server on its unix socket that gives the
 *    Ignition file to the guest's Ignition once.
 * 3. vf_vm_cmd(), vf_process_spawn() (process.h).
 * 4. vf_ready_wait(): serves Ignition and waits for the guest, watching
 *    the launcher: if it exits, the wait ends at once with its status.
 * 5. vf_process_stop() with a ::vf_stop_policy.
 *
 * **Which Ignition to use.** vfkit 0.6.0 and later serve `--ignition FILE`
 * themselves (vf_vm_set_ignition()): simplest, and nothing runs in the
 * manager, but the launcher must be vfkit >= 0.6.0 (krunkit has no
 * `--ignition`) and the file must stay in place until the guest has read
 * it. The server here is podman's way: it works with every vfkit release
 * and with krunkit, the config can be generated in memory and never touch
 * the disk, and the manager knows when the guest has fetched it. Use one or
 * the other, never both: vfkit's own server listens on vsock port 1024,
 * which then cannot be a device of the VM (vf_vm_check_vsock() refuses it).
 */
#ifndef VFCONFIG_LIFECYCLE_H
#define VFCONFIG_LIFECYCLE_H

#include "common.h"
#include "process.h"
#include "rest.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- vsock ports ---------------------------------------------------------- */

/**
 * Refuses what vfkit accepts on its command line but fails to run: two
 * vsock devices on one port, and `--ignition` (vfkit serves it on vsock
 * port ::VF_IGNITION_VSOCK_PORT) together with a vsock device on that
 * port. vf_vm_to_cmdline() and vf_vm_cmd() print such a VM as the Go
 * package does; vf_ready_listen() and vf_ignition_server_new() call this
 * first. 0, or ::VF_ERR_INVALID naming the devices and the port.
 */
VF_EXTERN int vf_vm_check_vsock(const vf_vm *vm, vf_error *err);

/* ---- guest readiness ------------------------------------------------------ */

/** The vsock port podman's ready unit connects to. */
#define VF_READY_VSOCK_PORT 1025u

/** The host side of the guest's "ready" signal. Free with vf_ready_free(). */
typedef struct vf_ready vf_ready;

/**
 * Prepares the ready signal on vsock @p port of @p vm: finds the VM's
 * vsock device on that port, or adds one (`virtio-vsock,port=N,
 * socketURL=PATH,listen`) when there is none, and listens on its unix
 * socket @p socket_path (NULL: the device's own path), so the socket
 * exists before vfkit starts. A stale socket file at the path is removed
 * first; anything else there is refused. The path must fit macOS's
 * `sun_path` (::VF_RESTFUL_UNIX_PATH_MAX bytes). A device on the port that
 * does not listen, or names another path, is ::VF_ERR_INVALID naming it.
 * 0 and `*out` set, or a negative ::vf_status (then @p vm is unchanged).
 */
VF_EXTERN int vf_ready_listen(vf_vm *vm, uint32_t port, const char *socket_path, vf_ready **out,
                              vf_error *err);

/** Closes the socket and removes its file. NULL is a no-op. */
VF_EXTERN void vf_ready_free(vf_ready *ready);

/** The unix socket path the guest's connection arrives on (borrowed). */
VF_EXTERN const char *vf_ready_socket_path(const vf_ready *ready);

/* ---- Ignition, podman's way ----------------------------------------------- */

/** Largest Ignition file vf_ignition_server_new() serves, in bytes. */
#define VF_IGNITION_MAX_BYTES (4u * 1024u * 1024u)

/** A one-file HTTP/1.1 server on a unix socket. Free with vf_ignition_server_free(). */
typedef struct vf_ignition_server vf_ignition_server;

/**
 * Prepares podman's Ignition server: reads @p config_path (at most
 * ::VF_IGNITION_MAX_BYTES), adds to @p vm a vsock device on
 * ::VF_IGNITION_VSOCK_PORT that vfkit bridges to @p socket_path
 * (`listen`), and listens there. The server answers `GET` (and `HEAD`) of
 * any path with the file (`200`, `Content-Length`, `Connection: close`),
 * anything else with `405`; one request per connection, a request head of
 * at most 8 KiB, 10 s for a connection to send it. Once one `GET` has been
 * answered in full the socket is closed and removed. It runs inside
 * vf_ready_wait() or vf_ignition_server_serve(): no thread. Refused with
 * ::VF_ERR_INVALID when the VM has `--ignition` or already a vsock device
 * on port 1024. 0 and `*out` set, or a negative ::vf_status (then @p vm is
 * unchanged).
 */
VF_EXTERN int vf_ignition_server_new(vf_vm *vm, const char *config_path, const char *socket_path,
                                     vf_ignition_server **out, vf_error *err);

/**
 * Serves until the file has been fetched once or @p timeout_ms passed.
 * 0 once served; ::VF_ERR_TIMEOUT.
 */
VF_EXTERN int vf_ignition_server_serve(vf_ignition_server *srv, unsigned timeout_ms, vf_error *err);

/** True once a `GET` has been answered in full. */
VF_EXTERN bool vf_ignition_server_served(const vf_ignition_server *srv);

/** Closes the server and removes its socket file. NULL is a no-op. */
VF_EXTERN void vf_ignition_server_free(vf_ignition_server *srv);

/**
 * Waits up to @p timeout_ms milliseconds for the guest to connect to the
 * ready socket (podman reads one line, "Ready"), serving @p ignition
 * (may be NULL) meanwhile, and checking @p proc (may be NULL) every few
 * milliseconds. 0 once the guest is ready; ::VF_ERR_EXITED at once when
 * the launcher exits, with its status in @p err ("vfkit (pid 42) exited
 * with status 1 before the guest was ready"); ::VF_ERR_TIMEOUT.
 */
VF_EXTERN int vf_ready_wait(vf_ready *ready, vf_process *proc, vf_ignition_server *ignition,
                            unsigned timeout_ms, vf_error *err);

/* ---- stop policy ---------------------------------------------------------- */

/** One step of a ::vf_stop_policy. */
typedef struct vf_stop_action {
    bool enabled; /**< false skips the step. */
    /**
     * How long to wait for the process to exit after the step, in
     * milliseconds. 0 does not wait: the process is looked at once, right
     * after the step.
     */
    unsigned wait_ms;
} vf_stop_action;

/** Version of ::vf_stop_policy this header describes. */
#define VF_STOP_POLICY_VERSION 1u

/**
 * What vf_process_stop() does, in order: `POST {"state":"Stop"}`,
 * `"HardStop"`, SIGTERM, SIGKILL, each enabled or skipped, each with its
 * own wait. Unlike ::vf_stop_options, a wait of 0 means "do not wait", not
 * "the default": start from ::VF_STOP_POLICY_INIT and change what you
 * need. minikube's policy is Stop then SIGTERM, without HardStop (vfkit
 * issue 277): `policy.hard_stop.enabled = false`.
 */
typedef struct vf_stop_policy {
    unsigned version;         /**< ::VF_STOP_POLICY_VERSION. */
    vf_stop_action stop;      /**< Ask the guest to shut down (default: on, 30 s). */
    vf_stop_action hard_stop; /**< Stop the VM at once (default: on, 5 s). */
    vf_stop_action
        sigterm; /**< SIGTERM: vfkit stops its VM, 5 s for the guest, and exits (default: on, 10 s). */
    vf_stop_action sigkill;    /**< SIGKILL (default: on, 5 s). */
    unsigned poll_interval_ms; /**< Time between two looks at the process (0: 100). */
} vf_stop_policy;

/** The default policy: every step, waits 30 s, 5 s, 10 s, 5 s. */
#define VF_STOP_POLICY_INIT                                                                        \
    {                                                                                              \
        VF_STOP_POLICY_VERSION, {true, 30000u}, {true, 5000u}, {true, 10000u}, {true, 5000u}, 100u \
    }

/**
 * Stops the launcher @p proc with @p policy (NULL: ::VF_STOP_POLICY_INIT).
 * @p client (may be NULL: the REST steps are skipped) talks to its REST
 * service. Only the process says "stopped": the VM has stopped when the
 * process has exited (a zombie counts; a child is not reaped, see
 * vf_process_wait()). A REST service that refuses the connection or is
 * missing is "not answering": its steps are passed over and the next step
 * runs, never a reason to report the VM stopped. Works from any process:
 * a handle from vf_process_from_pidfile() is signalled only while its pid
 * still runs the launcher. 0 and @p step_out (may be NULL) set to the step
 * after which the process ended (::VF_STOP_NOT_RUNNING when it had ended
 * before); ::VF_ERR_TIMEOUT when it outlived every enabled step;
 * ::VF_ERR_SYSTEM when it cannot be signalled; ::VF_ERR_INVALID for a NULL
 * process or an unknown policy version.
 */
VF_EXTERN int vf_process_stop(vf_process *proc, vf_rest_client *client,
                              const vf_stop_policy *policy, vf_stop_step *step_out, vf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_LIFECYCLE_H */
