/*
 * libvfconfig - the guest's "ready" signal: a vsock port vfkit bridges to
 * a unix socket the host listens on, and a wait that watches the launcher.
 * SPDX-License-Identifier: Apache-2.0
 *
 * podman's ready unit runs `echo Ready | socat - VSOCK-CONNECT:2:1025` once
 * the guest has booted; vfkit (`listen` mode) connects to the host's socket
 * for it. The guest is ready once a connection has sent a line (or 256
 * bytes without one); a connection closed before that does not count.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "vfconfig/lifecycle.h"
#include "lifecycle/lifecycle.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define LINE_MAX_BYTES 256
/* How often the launcher is looked at while nothing else happens. */
#define WATCH_MS 20

struct vf_ready {
    int listen_fd;
    int conn_fd;
    size_t got; /* bytes read on conn_fd */
    char *path;
};

static const vf_virtio_vsock *vsock_dev(const vf_device *dev)
{
    return dev != NULL && dev->kind == VF_DEVICE_VIRTIO_VSOCK
               ? (const vf_virtio_vsock *)(const void *)dev
               : NULL;
}

int vf_vm_check_vsock(const vf_vm *vm, vf_error *err)
{
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_vm_check_vsock: vm is NULL");
    for (size_t d = 0; d < vm->n_devices; d++) {
        const vf_virtio_vsock *v = vsock_dev(vm->devices[d]);
        if (v == NULL)
            continue;
        if (vm->ignition != NULL && v->port == VF_IGNITION_VSOCK_PORT)
            return vf__error(err, VF_ERR_INVALID,
                             "virtio-vsock (device %zu): port %u is where vfkit serves "
                             "--ignition itself: use --ignition or this device, not both",
                             d, (unsigned)v->port);
        for (size_t e = 0; e < d; e++) {
            const vf_virtio_vsock *w = vsock_dev(vm->devices[e]);
            if (w != NULL && w->port == v->port)
                return vf__error(err, VF_ERR_INVALID,
                                 "virtio-vsock: devices %zu and %zu both use port %u", e, d,
                                 (unsigned)v->port);
        }
    }
    return 0;
}

int vf_ready_listen(vf_vm *vm, uint32_t port, const char *socket_path, vf_ready **out,
                    vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_ready_listen: out is NULL");
    *out = NULL;
    if (vm == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_ready_listen: vm is NULL");
    if (port == 0)
        return vf__error(err, VF_ERR_INVALID, "ready: invalid value for 'port': 0");
    int checked = vf_vm_check_vsock(vm, err);
    if (checked != 0)
        return checked;
    vf_virtio_vsock *dev = NULL;
    for (size_t i = 0; i < vm->n_devices && dev == NULL; i++) {
        vf_virtio_vsock *v = vf_device_as_virtio_vsock(vm->devices[i]);
        if (v != NULL && v->port == port)
            dev = v;
    }
    if (dev != NULL) {
        if (!dev->listen)
            return vf__error(err, VF_ERR_INVALID,
                             "virtio-vsock (port %u): the ready port must be 'listen' (the guest "
                             "connects to the host), not 'connect'",
                             (unsigned)port);
        if (socket_path == NULL)
            socket_path = dev->socket_url;
        else if (strcmp(vf__str(dev->socket_url), socket_path) != 0)
            return vf__error(err, VF_ERR_INVALID,
                             "virtio-vsock (port %u): 'socketURL' is \"%s\", not the ready "
                             "socket \"%s\"",
                             (unsigned)port, vf__str(dev->socket_url), socket_path);
    }
    if (vf__empty(socket_path))
        return vf__error(err, VF_ERR_INVALID, "ready: no socket path for vsock port %u",
                         (unsigned)port);

    vf_ready *ready = vf__calloc(1, sizeof *ready);
    if (ready == NULL)
        return vf__error_nomem(err);
    ready->listen_fd = ready->conn_fd = -1;
    int rc = (ready->path = vf__strdup(socket_path)) == NULL ? vf__error_nomem(err) : 0;
    if (rc == 0) {
        int fd = vf__unix_listen(socket_path, "ready socket", err);
        rc = fd < 0 ? fd : 0;
        ready->listen_fd = fd;
    }
    if (rc == 0 && dev == NULL) {
        vf_virtio_vsock *added = vf_virtio_vsock_new(port, socket_path, true);
        /* vf_vm_add_device takes the device, also when it fails. */
        rc = added == NULL ? vf__error_nomem(err) : vf_vm_add_device(vm, &added->base, err);
    }
    if (rc != 0) {
        vf_ready_free(ready);
        return rc;
    }
    *out = ready;
    return 0;
}

void vf_ready_free(vf_ready *ready)
{
    if (ready == NULL)
        return;
    if (ready->conn_fd >= 0)
        close(ready->conn_fd);
    if (ready->listen_fd >= 0) {
        close(ready->listen_fd);
        unlink(ready->path);
    }
    vf__free(ready->path);
    vf__free(ready);
}

const char *vf_ready_socket_path(const vf_ready *ready)
{
    return ready != NULL ? vf__str(ready->path) : "";
}

/* Reads what the guest sends; true once it is ready. */
static bool read_line(vf_ready *ready)
{
    char buf[64];
    ssize_t n = read(ready->conn_fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return false;
    if (n <= 0) {
        /* Closed before a line: not a ready guest; wait for the next. */
        close(ready->conn_fd);
        ready->conn_fd = -1;
        return false;
    }
    ready->got += (size_t)n;
    return memchr(buf, '\n', (size_t)n) != NULL || ready->got >= LINE_MAX_BYTES;
}

static void accept_guest(vf_ready *ready)
{
    int fd = accept(ready->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        close(fd);
        return;
    }
    if (ready->conn_fd >= 0)
        close(ready->conn_fd); /* the newest connection is the guest's retry */
    ready->conn_fd = fd;
    ready->got = 0;
}

int vf_ready_wait(vf_ready *ready, vf_process *proc, vf_ignition_server *ignition,
                  unsigned timeout_ms, vf_error *err)
{
    if (ready == NULL || ready->listen_fd < 0)
        return vf__error(err, VF_ERR_INVALID, "vf_ready_wait: no ready socket");
    uint64_t end = vf__now_ms() + timeout_ms;
    for (;;) {
        if (proc != NULL && !vf_process_running(proc, NULL))
            return vf__process_ended_error(proc, "the guest was ready", err);
        uint64_t left = vf__left_until(end);
        if (left == 0)
            return vf__error(err, VF_ERR_TIMEOUT,
                             "the guest did not connect to the ready socket %s within %u ms%s",
                             ready->path, timeout_ms,
                             ignition != NULL && !vf_ignition_server_served(ignition)
                                 ? " (nor fetch its Ignition config)"
                                 : "");
        struct pollfd fds[3];
        fds[0] = (struct pollfd){.fd = ready->listen_fd, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = ready->conn_fd, .events = POLLIN};
        vf__ignition_fill(ignition, &fds[2]);
        int wait = (int)(left < WATCH_MS ? left : WATCH_MS);
        int n = poll(fds, 3, wait);
        if (n < 0 && errno != EINTR) {
            char text[128];
            return vf__error(err, VF_ERR_SYSTEM, "waiting for the guest: poll: %s",
                             vf__errno_text(errno, text, sizeof text));
        }
        if (n <= 0)
            fds[0].revents = fds[1].revents = fds[2].revents = 0;
        vf__ignition_react(ignition, &fds[2]);
        if (fds[1].revents != 0 && read_line(ready))
            return 0;
        if (fds[0].revents != 0)
            accept_guest(ready);
    }
}
