/*
 * libvfconfig - podman's Ignition server: one file over HTTP/1.1 on the
 * unix socket vfkit bridges to the guest's vsock port 1024.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The guest's Ignition (its applehv provider) connects to vsock port 1024
 * and sends `GET /`; vfkit connects to this socket for it. The server
 * holds at most one connection, reads one request head (8 KiB at most, 10 s
 * at most), answers it and closes the connection; after one GET answered
 * in full it closes for good. It is driven from a poll loop (vf_ready_wait()
 * or vf_ignition_server_serve()): the caller's thread, no other.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfconfig/vfconfig.h"
#include "vfconfig/lifecycle.h"
#include "lifecycle/lifecycle.h"
#include "spawn/platform.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"

#define HEAD_MAX 8192
#define REQUEST_MS 10000u

struct vf_ignition_server {
    int listen_fd;
    int conn_fd;
    char *path;
    char *body;
    size_t body_len;
    char head[HEAD_MAX];
    size_t head_len;
    char reply[256]; /* the answer's status line and headers */
    size_t reply_len;
    bool replying;
    bool send_body; /* GET: the body follows the headers */
    size_t sent;    /* bytes of reply, then body, sent */
    uint64_t conn_deadline;
    bool served;
};

/* Reads the whole file, refusing more than VF_IGNITION_MAX_BYTES. */
static int read_config(const char *path, vf_ignition_server *srv, vf_error *err)
{
    char quoted[128], text[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = fd < 0 ? errno : 0;
        if (fd >= 0)
            close(fd);
        return vf__error(err, VF_ERR_IO, "ignition: cannot read \"%s\": %s",
                         vf__quote_for_message(path, quoted, sizeof quoted),
                         e != 0 ? vf__errno_text(e, text, sizeof text) : "not a regular file");
    }
    if ((uint64_t)st.st_size > VF_IGNITION_MAX_BYTES) {
        close(fd);
        return vf__error(err, VF_ERR_LIMIT, "ignition: \"%s\" is %lld bytes, over the limit of %u",
                         vf__quote_for_message(path, quoted, sizeof quoted), (long long)st.st_size,
                         VF_IGNITION_MAX_BYTES);
    }
    size_t size = (size_t)st.st_size;
    srv->body = vf__malloc(size + 1);
    if (srv->body == NULL) {
        close(fd);
        return vf__error_nomem(err);
    }
    size_t got = 0;
    int e = 0;
    while (got < size) {
        ssize_t n = read(fd, srv->body + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            e = n < 0 ? errno : EIO;
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (e != 0)
        return vf__error(err, VF_ERR_IO, "ignition: cannot read \"%s\": %s",
                         vf__quote_for_message(path, quoted, sizeof quoted),
                         vf__errno_text(e, text, sizeof text));
    srv->body_len = got;
    return 0;
}

/* The VM's vsock device on port, or NULL. */
static vf_virtio_vsock *vsock_on(vf_vm *vm, uint32_t port)
{
    for (size_t i = 0; i < vm->n_devices; i++) {
        vf_virtio_vsock *v = vf_device_as_virtio_vsock(vm->devices[i]);
        if (v != NULL && v->port == port)
            return v;
    }
    return NULL;
}

int vf_ignition_server_new(vf_vm *vm, const char *config_path, const char *socket_path,
                           vf_ignition_server **out, vf_error *err)
{
    if (out == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_ignition_server_new: out is NULL");
    *out = NULL;
    if (vm == NULL || vf__empty(config_path) || vf__empty(socket_path))
        return vf__error(err, VF_ERR_INVALID, "vf_ignition_server_new: %s",
                         vm == NULL               ? "vm is NULL"
                         : vf__empty(config_path) ? "the Ignition file is empty"
                                                  : "the socket path is empty");
    int checked = vf_vm_check_vsock(vm, err);
    if (checked != 0)
        return checked;
    if (vm->ignition != NULL)
        return vf__error(err, VF_ERR_INVALID,
                         "ignition: the VM has --ignition (vfkit serves it on vsock port %u): "
                         "use one or the other",
                         VF_IGNITION_VSOCK_PORT);
    if (vsock_on(vm, VF_IGNITION_VSOCK_PORT) != NULL)
        return vf__error(err, VF_ERR_INVALID,
                         "ignition: the VM already has a virtio-vsock device on port %u",
                         VF_IGNITION_VSOCK_PORT);
    vf_ignition_server *srv = vf__calloc(1, sizeof *srv);
    if (srv == NULL)
        return vf__error_nomem(err);
    srv->listen_fd = srv->conn_fd = -1;
    int rc = (srv->path = vf__strdup(socket_path)) == NULL ? vf__error_nomem(err) : 0;
    if (rc == 0)
        rc = read_config(config_path, srv, err);
    if (rc == 0) {
        int fd = vf__unix_listen(socket_path, "ignition socket", err);
        rc = fd < 0 ? fd : 0;
        srv->listen_fd = fd;
    }
    vf_virtio_vsock *dev = NULL;
    if (rc == 0) {
        dev = vf_virtio_vsock_new(VF_IGNITION_VSOCK_PORT, socket_path, true);
        /* vf_vm_add_device takes the device, also when it fails. */
        rc = dev == NULL ? vf__error_nomem(err) : vf_vm_add_device(vm, &dev->base, err);
    }
    if (rc != 0) {
        vf_ignition_server_free(srv);
        return rc;
    }
    *out = srv;
    return 0;
}

static void close_conn(vf_ignition_server *srv)
{
    if (srv->conn_fd >= 0)
        close(srv->conn_fd);
    srv->conn_fd = -1;
    srv->head_len = 0;
    srv->replying = false;
    srv->sent = 0;
}

static void close_listener(vf_ignition_server *srv)
{
    if (srv->listen_fd >= 0) {
        close(srv->listen_fd);
        unlink(srv->path);
    }
    srv->listen_fd = -1;
}

void vf_ignition_server_free(vf_ignition_server *srv)
{
    if (srv == NULL)
        return;
    close_conn(srv);
    close_listener(srv);
    vf__free(srv->path);
    vf__free(srv->body);
    vf__free(srv);
}

bool vf_ignition_server_served(const vf_ignition_server *srv)
{
    return srv != NULL && srv->served;
}

/* Starts sending head (then the file when send_body) on the connection. */
static void set_reply(vf_ignition_server *srv, const char *head, bool send_body)
{
    int n = snprintf(srv->reply, sizeof srv->reply, "%s", head);
    srv->reply_len = n > 0 ? (size_t)n : 0;
    srv->send_body = send_body;
    srv->replying = true;
    srv->sent = 0;
}

static void start_reply(vf_ignition_server *srv)
{
    bool get = strncmp(srv->head, "GET ", 4) == 0;
    bool head = strncmp(srv->head, "HEAD ", 5) == 0;
    if (get || head) {
        char head_text[sizeof srv->reply];
        snprintf(head_text, sizeof head_text,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                 srv->body_len);
        set_reply(srv, head_text, get);
    } else {
        set_reply(srv,
                  "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
                  "Content-Length: 0\r\nConnection: close\r\n\r\n",
                  false);
    }
}

static void too_large(vf_ignition_server *srv)
{
    set_reply(srv,
              "HTTP/1.1 431 Request Header Fields Too Large\r\n"
              "Content-Length: 0\r\nConnection: close\r\n\r\n",
              false);
}

static void read_request(vf_ignition_server *srv)
{
    ssize_t n = read(srv->conn_fd, srv->head + srv->head_len, HEAD_MAX - 1 - srv->head_len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        close_conn(srv);
        return;
    }
    srv->head_len += (size_t)n;
    srv->head[srv->head_len] = '\0';
    if (strstr(srv->head, "\r\n\r\n") != NULL || strstr(srv->head, "\n\n") != NULL)
        start_reply(srv);
    else if (srv->head_len == HEAD_MAX - 1)
        too_large(srv);
}

static void write_reply(vf_ignition_server *srv)
{
    size_t total = srv->reply_len + (srv->send_body ? srv->body_len : 0);
    while (srv->sent < total) {
        const char *from = srv->sent < srv->reply_len ? srv->reply + srv->sent
                                                      : srv->body + (srv->sent - srv->reply_len);
        size_t len = srv->sent < srv->reply_len ? srv->reply_len - srv->sent : total - srv->sent;
        ssize_t n = vf__platform_send(srv->conn_fd, from, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            close_conn(srv);
            return;
        }
        srv->sent += (size_t)n;
    }
    bool fetched = srv->send_body;
    close_conn(srv);
    if (fetched) {
        srv->served = true;
        close_listener(srv);
    }
}

void vf__ignition_fill(const vf_ignition_server *srv, struct pollfd *pfd)
{
    *pfd = (struct pollfd){.fd = -1, .events = 0, .revents = 0};
    if (srv == NULL || srv->served)
        return;
    if (srv->conn_fd >= 0)
        *pfd = (struct pollfd){.fd = srv->conn_fd, .events = srv->replying ? POLLOUT : POLLIN};
    else if (srv->listen_fd >= 0)
        *pfd = (struct pollfd){.fd = srv->listen_fd, .events = POLLIN};
}

void vf__ignition_react(vf_ignition_server *srv, const struct pollfd *pfd)
{
    if (srv == NULL || srv->served)
        return;
    if (srv->conn_fd >= 0 && vf__now_ms() >= srv->conn_deadline) {
        close_conn(srv); /* too slow: the next connection gets its turn */
        return;
    }
    if (pfd->fd < 0 || pfd->revents == 0)
        return;
    if (pfd->fd == srv->listen_fd) {
        int fd = accept(srv->listen_fd, NULL, NULL);
        if (fd < 0)
            return;
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
            fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || vf__platform_socket_nosigpipe(fd) != 0) {
            close(fd);
            return;
        }
        srv->conn_fd = fd;
        srv->conn_deadline = vf__now_ms() + REQUEST_MS;
        return;
    }
    if (srv->replying)
        write_reply(srv);
    else
        read_request(srv);
}

int vf_ignition_server_serve(vf_ignition_server *srv, unsigned timeout_ms, vf_error *err)
{
    if (srv == NULL)
        return vf__error(err, VF_ERR_INVALID, "vf_ignition_server_serve: no server");
    uint64_t end = vf__now_ms() + timeout_ms;
    while (!srv->served) {
        uint64_t left = vf__left_until(end);
        if (left == 0)
            return vf__error(err, VF_ERR_TIMEOUT,
                             "ignition: the guest did not fetch its config from %s within %u ms",
                             srv->path, timeout_ms);
        struct pollfd pfd;
        vf__ignition_fill(srv, &pfd);
        if (pfd.fd < 0)
            return vf__error(err, VF_ERR_SYSTEM, "ignition: the server on %s is closed", srv->path);
        int n = poll(&pfd, 1, (int)(left < 100 ? left : 100));
        if (n < 0 && errno != EINTR) {
            char text[128];
            return vf__error(err, VF_ERR_SYSTEM, "ignition: poll: %s",
                             vf__errno_text(errno, text, sizeof text));
        }
        if (n < 0)
            pfd.revents = 0;
        vf__ignition_react(srv, &pfd);
    }
    return 0;
}
