/*
 * libvfconfig - a launcher in vfkit's place for tests/test_lifecycle.c: it
 * plays vfkit and its guest. It reads vfkit's flags with the library, then
 *   - as the guest's Ignition, fetches the config over the unix socket of
 *     the `listen` vsock device on port 1024 (GET / over HTTP/1.1), as
 *     vfkit bridges it, and writes the body to $STANDIN_IGNITION_OUT;
 *   - as podman's ready unit, connects to the socket of the vsock device on
 *     port 1025 and sends "Ready\n";
 *   - as vfkit, serves the REST API on the --restful-uri (tests/rest_server.c)
 *     and exits 0 once its VM has stopped; SIGTERM ends it at once (exit 0).
 * Faults, from the environment:
 *   STANDIN_EXIT=N          exit with status N at once, before anything
 *   STANDIN_GUEST=none      the guest never connects
 *   STANDIN_REST=none       no REST service (the process only runs)
 *   STANDIN_IGNORE_STOP=1   "Stop" is accepted but the guest never stops
 *   STANDIN_IGNORE_TERM=1   SIGTERM is ignored
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>

#include "rest_server.h"

static char rest_path[VF_RESTFUL_UNIX_PATH_MAX + 1];

static void on_sigterm(int signo)
{
    (void)signo;
    if (rest_path[0] != '\0')
        unlink(rest_path);
    _exit(0);
}

static void pause_ms(unsigned ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static bool env_is(const char *name, const char *value)
{
    const char *v = getenv(name);
    return v != NULL && strcmp(v, value) == 0;
}

/* Connects to a unix socket, retrying for a while as a booting guest would. */
static int connect_to(const char *path)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    for (int tries = 0; tries < 100; tries++) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
            return fd;
        if (fd >= 0)
            close(fd);
        pause_ms(20);
    }
    return -1;
}

/* Ignition's fetch: GET / and the body after the head, saved to out. */
static void fetch_ignition(const char *socket_path, const char *out)
{
    int fd = connect_to(socket_path);
    if (fd < 0) {
        fprintf(stderr, "stand-in: cannot reach the Ignition socket %s\n", socket_path);
        return;
    }
    static const char request[] = "GET / HTTP/1.1\r\nHost: vsock\r\nAccept: */*\r\n\r\n";
    rs_write_all(fd, request, sizeof request - 1);
    static char answer[1 << 16];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, answer + len, sizeof answer - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (len += (size_t)n) == sizeof answer - 1)
            break;
    }
    close(fd);
    answer[len] = '\0';
    const char *body = strstr(answer, "\r\n\r\n");
    if (strncmp(answer, "HTTP/1.1 200 ", 13) != 0 || body == NULL) {
        fprintf(stderr, "stand-in: unexpected Ignition answer: %.80s\n", answer);
        return;
    }
    body += 4;
    FILE *f = out != NULL ? fopen(out, "wb") : NULL;
    if (f != NULL) {
        fwrite(body, 1, len - (size_t)(body - answer), f);
        fclose(f);
    }
}

static void send_ready(const char *socket_path)
{
    int fd = connect_to(socket_path);
    if (fd < 0) {
        fprintf(stderr, "stand-in: cannot reach the ready socket %s\n", socket_path);
        return;
    }
    rs_write_all(fd, "Ready\n", 6);
    close(fd);
}

/* The guest: boots a moment after vfkit, fetches Ignition, says ready. */
static void *guest(void *arg)
{
    const vf_vm *vm = arg;
    pause_ms(50);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < vm->n_devices; i++) {
            const vf_virtio_vsock *v = vf_device_as_virtio_vsock(vm->devices[i]);
            if (v == NULL || !v->listen)
                continue;
            if (pass == 0 && v->port == VF_IGNITION_VSOCK_PORT)
                fetch_ignition(v->socket_url, getenv("STANDIN_IGNITION_OUT"));
            if (pass == 1 && v->port == VF_READY_VSOCK_PORT)
                send_ready(v->socket_url);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    const char *code = getenv("STANDIN_EXIT");
    if (code != NULL)
        _exit(atoi(code));
    if (argc < 1)
        return 2;
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline((const char *const *)argv + 1, &err);
    if (vm == NULL) {
        fprintf(stderr, "stand-in: %s\n", err.text);
        return 2;
    }
    vf_restful_uri uri = {VF_REST_SCHEME_NONE, "", ""};
    if (vf_restful_uri_parse(vm->restful_uri, &uri, &err) == 0 && uri.scheme == VF_REST_SCHEME_UNIX)
        memcpy(rest_path, uri.path, sizeof rest_path);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = env_is("STANDIN_IGNORE_TERM", "1") ? SIG_IGN : on_sigterm;
    sigaction(SIGTERM, &sa, NULL);

    pthread_t thread;
    bool guest_runs =
        !env_is("STANDIN_GUEST", "none") && pthread_create(&thread, NULL, guest, vm) == 0;
    int rc = 0;
    if (rest_path[0] != '\0' && !env_is("STANDIN_REST", "none")) {
        rs_config cfg = {.exit_on_stopped = true,
                         .ignore_stop = env_is("STANDIN_IGNORE_STOP", "1")};
        rc = rs_serve_path(rest_path, &cfg);
    } else {
        pause_ms(20000); /* a VM without a REST service, until it is signalled */
    }
    if (guest_runs)
        pthread_join(thread, NULL);
    vf_vm_free(vm);
    return rc;
}
