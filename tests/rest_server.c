/*
 * libvfconfig - a stand-in for vfkit's REST service, for the tests.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One poll() loop serves every connection; a pipe wakes it to stop. The VM
 * behind it is a small state machine: "Stop" makes it Stopping, and
 * Stopped a while later (100 ms by default), as a guest that shuts down; "HardStop" stops it at
 * once. Every loop is bounded: the server gives up after 20 s whatever
 * happens, so a broken test cannot hang.
 */
#include "rest_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <vfconfig/rest.h>

#define MAX_CONNS 16
#define LIFETIME_MS 20000u
#define DEFAULT_SHUTDOWN_MS 100u

typedef enum vm_state { VM_RUNNING, VM_PAUSED, VM_STOPPING, VM_STOPPED } vm_state;

static const char *const state_names[] = {
    "VirtualMachineStateRunning",
    "VirtualMachineStatePaused",
    "VirtualMachineStateStopping",
    "VirtualMachineStateStopped",
};

struct rs_server {
    rs_config cfg;
    char inspect[4096];
    int listen_fd;
    int wake[2]; /* rs_stop writes to wake[1] */
    pthread_t thread;
    bool threaded;
    char uri[160];
    char dir[64]; /* folder of the unix socket, "" for TCP */
    char sock[128];
    pthread_mutex_t lock; /* guards what follows */
    vm_state state;
    unsigned long long stopped_at_ms;
    int requests;
    char last_line[256];
    char last_body[512];
    char last_type[128];
};

typedef struct conn {
    int fd;
    size_t len;
    bool stalled;
    char buf[8192];
} conn;

static unsigned long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000u + (unsigned long long)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
    if (size == 0)
        return;
    if (n > size - 1)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- sockets ------------------------------------------------------------- */

/* Binds the listening socket to path (not listening yet). */
static bool bind_unix_at(rs_server *s, const char *path)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    copy_text(addr.sun_path, sizeof addr.sun_path, path, strlen(path));
    copy_text(s->sock, sizeof s->sock, path, strlen(path));
    snprintf(s->uri, sizeof s->uri, "unix://%s", path);
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    return s->listen_fd >= 0 && bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0;
}

static bool bind_unix(rs_server *s)
{
    char path[128];
    snprintf(s->dir, sizeof s->dir, "/tmp/vfrest-XXXXXX");
    if (mkdtemp(s->dir) == NULL)
        return false;
    snprintf(path, sizeof path, "%s/api.sock", s->dir);
    return bind_unix_at(s, path);
}

static bool bind_tcp(rs_server *s)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0 ||
        setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) != 0)
        return false;
    snprintf(s->uri, sizeof s->uri, "tcp://127.0.0.1:%u", (unsigned)ntohs(addr.sin_port));
    return true;
}

static rs_server *server_alloc(const rs_config *cfg)
{
    rs_server *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->cfg = *cfg;
    const char *inspect = cfg->inspect_json ? cfg->inspect_json : "{}";
    copy_text(s->inspect, sizeof s->inspect, inspect, strlen(inspect));
    s->cfg.inspect_json = s->inspect;
    s->listen_fd = s->wake[0] = s->wake[1] = -1;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

/* A server, bound but not yet listening (connections are refused). */
static rs_server *server_new(const rs_config *cfg)
{
    rs_server *s = server_alloc(cfg);
    if (s == NULL)
        return NULL;
    if ((cfg->tcp ? bind_tcp(s) : bind_unix(s)) && pipe(s->wake) == 0)
        return s;
    rs_stop(s);
    return NULL;
}

void rs_write_all(int fd, const char *data, size_t n)
{
    for (int tries = 0; n > 0 && tries < 64; tries++) {
        ssize_t w = write(fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        data += w;
        n -= (size_t)w;
    }
}

/* ---- answers ------------------------------------------------------------- */

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    default:
        return "Internal Server Error";
    }
}

static void respond(int fd, int status, const char *type, const char *body)
{
    char head[256];
    size_t n = strlen(body);
    int len =
        snprintf(head, sizeof head,
                 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
                 "Content-Length: %zu\r\n\r\n",
                 status, reason(status), type, n);
    rs_write_all(fd, head, (size_t)len);
    rs_write_all(fd, body, n);
}

static void respond_json(int fd, int status, const char *body)
{
    respond(fd, status, "application/json; charset=utf-8", body);
}

static void respond_error(int fd, int status, const char *text)
{
    json_t *doc = json_pack("{s:s}", "error", text);
    char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    respond_json(fd, status, body ? body : "{}");
    free(body);
    json_decref(doc);
}

/* 17 MiB of JSON string, more than a client should take; stops when the
 * client hangs up. */
static void send_huge(int fd)
{
    static char chunk[64 * 1024];
    const size_t total = (size_t)17 * 1024 * 1024;
    char head[128];
    int len = snprintf(
        head, sizeof head,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n\"",
        total + 2);
    memset(chunk, 'x', sizeof chunk);
    if (write(fd, head, (size_t)len) != len)
        return;
    for (size_t sent = 0; sent < total; sent += sizeof chunk)
        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk)
            return;
    rs_write_all(fd, "\"", 1);
}

/* One header line of 200 kB, twice curl's limit for a header (100 kB). */
static void send_huge_header(int fd)
{
    static char line[200 * 1024];
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Filler: ";
    static const char tail[] = "\r\nContent-Length: 2\r\n\r\n{}";
    memset(line, 'x', sizeof line);
    rs_write_all(fd, head, sizeof head - 1);
    rs_write_all(fd, line, sizeof line);
    rs_write_all(fd, tail, sizeof tail - 1);
}

/* The guest finishes shutting down a while after "Stop" (cfg.shutdown_ms). */
static void advance_vm(rs_server *s)
{
    if (s->state == VM_STOPPING && now_ms() >= s->stopped_at_ms)
        s->state = VM_STOPPED;
}

static void answer_state(rs_server *s, int fd)
{
    vm_state st = s->state;
    char body[256];
    snprintf(body, sizeof body,
             "{\"canHardStop\":%s,\"canPause\":%s,\"canResume\":%s,\"canStart\":%s,"
             "\"canStop\":%s,\"state\":\"%s\"}",
             st != VM_STOPPED ? "true" : "false", st == VM_RUNNING ? "true" : "false",
             st == VM_PAUSED ? "true" : "false", st == VM_STOPPED ? "true" : "false",
             st == VM_RUNNING ? "true" : "false", state_names[st]);
    respond_json(fd, 200, body);
}

static void change_state(rs_server *s, int fd, const char *body, size_t len)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    if (doc == NULL || !json_is_object(doc)) {
        respond_error(fd, 400,
                      doc ? "json: cannot unmarshal into Go value of type define.VMState"
                          : jerr.text);
        json_decref(doc);
        return;
    }
    json_t *value = json_object_get(doc, "state");
    if (value != NULL && !json_is_string(value)) {
        respond_error(fd, 400,
                      "json: cannot unmarshal into Go struct field VMState.state of type string");
        json_decref(doc);
        return;
    }
    const char *want = value ? json_string_value(value) : "";
    bool ok = true;
    if (strcmp(want, "Pause") == 0) {
        ok = s->state == VM_RUNNING;
        if (ok)
            s->state = VM_PAUSED;
    } else if (strcmp(want, "Resume") == 0) {
        ok = s->state == VM_PAUSED;
        if (ok)
            s->state = VM_RUNNING;
    } else if (strcmp(want, "Stop") == 0) {
        ok = s->state == VM_RUNNING;
        if (ok && !s->cfg.ignore_stop) {
            s->state = VM_STOPPING;
            s->stopped_at_ms =
                now_ms() + (s->cfg.shutdown_ms ? s->cfg.shutdown_ms : DEFAULT_SHUTDOWN_MS);
        }
    } else if (strcmp(want, "HardStop") == 0) {
        ok = s->state != VM_STOPPED;
        if (ok && !s->cfg.ignore_hard_stop)
            s->state = VM_STOPPED;
    } else {
        char text[128];
        snprintf(text, sizeof text, "invalid new VMState: %s", want);
        respond_error(fd, 500, text);
        json_decref(doc);
        return;
    }
    json_decref(doc);
    if (ok)
        respond(fd, 202, "text/plain; charset=utf-8", "");
    else
        respond_error(fd, 500, "invalid virtual machine state transition");
}

/* Returns false when the connection must close. */
static bool answer(rs_server *s, conn *c, const char *method, const char *path, const char *body,
                   size_t len)
{
    switch (s->cfg.fault) {
    case RS_FAULT_STALL:
        c->stalled = true;
        return true;
    case RS_FAULT_ERROR:
        respond_error(c->fd, 500, RS_ERROR_TEXT);
        return true;
    case RS_FAULT_MALFORMED:
        respond_json(c->fd, 200, "{\"canHardStop\":true,\"state\":\"VirtualMachineStateRunn");
        return true;
    case RS_FAULT_RESET: {
        static const char half[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 200\r\n\r\n{\"canHardStop\":true,";
        rs_write_all(c->fd, half, sizeof half - 1);
        /* A zero linger makes close() send a TCP reset instead of a FIN. */
        struct linger hard = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        return false;
    }
    case RS_FAULT_WRONG_TYPE:
        respond_json(
            c->fd, 200,
            "{\"canHardStop\":true,\"canStop\":\"yes\",\"state\":\"VirtualMachineStateRunning\"}");
        return true;
    case RS_FAULT_HUGE:
        send_huge(c->fd);
        return false;
    case RS_FAULT_HUGE_HEADER:
        send_huge_header(c->fd);
        return false;
    case RS_FAULT_DENIED: /* the system refuses every connection: none gets here */
    case RS_FAULT_NONE:
        break;
    }
    /* vfkit is exiting: what reaches it now gets no answer. */
    if (s->cfg.exit_on_stopped && s->state == VM_STOPPED)
        return false;
    if (strcmp(method, "GET") == 0 && strcmp(path, "/vm/state") == 0)
        answer_state(s, c->fd);
    else if (strcmp(method, "POST") == 0 && strcmp(path, "/vm/state") == 0)
        change_state(s, c->fd, body, len);
    else if (strcmp(method, "GET") == 0 && strcmp(path, "/vm/inspect") == 0 && !s->cfg.no_inspect)
        respond_json(c->fd, 200, s->cfg.inspect_json);
    else
        respond(c->fd, 404, "text/plain", "404 page not found");
    return true;
}

/* The value of header name in the head, or NULL. */
static const char *header(const char *head, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, name, n) == 0 && line[2 + n] == ':') {
            const char *v = line + 3 + n;
            while (*v == ' ')
                v++;
            const char *end = strstr(v, "\r\n");
            copy_text(out, size, v, end ? (size_t)(end - v) : strlen(v));
            return out;
        }
    }
    return NULL;
}

/* krunkit's handle_incoming_stream: whatever one read brought. */
static void answer_as_krunkit(rs_server *s, conn *c)
{
    static const char running[] = "HTTP/1.1 200 OK\r\nContent-type: application/json\r\n\r\n"
                                  "{\"state\": \"VirtualMachineStateRunning\"}";
    static const char stopping[] = "HTTP/1.1 200 OK\r\nContent-type: application/json\r\n\r\n"
                                   "{\"state\": \"VirtualMachineStateStopping\"}";
    c->buf[c->len] = '\0';
    bool post = strstr(c->buf, "POST") != NULL;
    pthread_mutex_lock(&s->lock);
    s->requests++;
    const char *eol = strstr(c->buf, "\r\n");
    copy_text(s->last_line, sizeof s->last_line, c->buf, eol ? (size_t)(eol - c->buf) : c->len);
    advance_vm(s);
    if (post && s->state == VM_RUNNING && !s->cfg.ignore_stop) {
        s->state = VM_STOPPING;
        s->stopped_at_ms =
            now_ms() + (s->cfg.shutdown_ms ? s->cfg.shutdown_ms : DEFAULT_SHUTDOWN_MS);
    }
    pthread_mutex_unlock(&s->lock);
    /* The NUL of the Rust string constant is sent too. */
    if (post)
        rs_write_all(c->fd, stopping, sizeof stopping);
    else
        rs_write_all(c->fd, running, sizeof running);
}

/* Answers every complete request in the buffer. False: close the connection. */
static bool handle_input(rs_server *s, conn *c)
{
    if (s->cfg.krunkit) {
        answer_as_krunkit(s, c);
        return false;
    }
    for (int round = 0; round < 8 && !c->stalled; round++) {
        c->buf[c->len] = '\0';
        char *end = strstr(c->buf, "\r\n\r\n");
        if (end == NULL)
            return c->len < sizeof c->buf - 1; /* a head this long is not an HTTP request */
        *end = '\0';
        char length[32], type[128] = "", method[16] = "", path[128] = "";
        size_t body_len =
            header(c->buf, "Content-Length", length, sizeof length) ? strtoul(length, NULL, 10) : 0;
        size_t head_len = (size_t)(end - c->buf) + 4;
        if (body_len > sizeof c->buf - 1 - head_len)
            return false;
        if (c->len < head_len + body_len) {
            *end = '\r';
            return true; /* the body is still coming */
        }
        header(c->buf, "Content-Type", type, sizeof type);
        sscanf(c->buf, "%15s %127s", method, path);
        pthread_mutex_lock(&s->lock);
        s->requests++;
        const char *eol = strstr(c->buf, "\r\n");
        copy_text(s->last_line, sizeof s->last_line, c->buf,
                  eol ? (size_t)(eol - c->buf) : strlen(c->buf));
        copy_text(s->last_body, sizeof s->last_body, c->buf + head_len, body_len);
        copy_text(s->last_type, sizeof s->last_type, type, strlen(type));
        advance_vm(s);
        bool keep = answer(s, c, method, path, c->buf + head_len, body_len);
        pthread_mutex_unlock(&s->lock);
        if (!keep)
            return false;
        memmove(c->buf, c->buf + head_len + body_len, c->len - head_len - body_len);
        c->len -= head_len + body_len;
    }
    return true;
}

static bool vm_gone(rs_server *s)
{
    pthread_mutex_lock(&s->lock);
    advance_vm(s);
    bool gone = s->cfg.exit_on_stopped && s->state == VM_STOPPED;
    pthread_mutex_unlock(&s->lock);
    return gone;
}

static void close_listener(rs_server *s)
{
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    s->listen_fd = -1;
    /* vfkit removes its socket on exit; connecting then fails at once. */
    if (s->sock[0] != '\0')
        unlink(s->sock);
}

static void serve(rs_server *s)
{
    conn *conns = calloc(MAX_CONNS, sizeof *conns);
    size_t n = 0;
    unsigned long long give_up = now_ms() + LIFETIME_MS;
    while (conns != NULL && now_ms() < give_up && !vm_gone(s)) {
        struct pollfd fds[2 + MAX_CONNS];
        fds[0] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
        fds[1] = (struct pollfd){.fd = n < MAX_CONNS ? s->listen_fd : -1, .events = POLLIN};
        for (size_t i = 0; i < n; i++)
            fds[2 + i] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
        if (poll(fds, 2 + n, 20) < 0 && errno != EINTR)
            break;
        if (fds[0].revents != 0)
            break;
        for (size_t i = n; i-- > 0;) {
            if (fds[2 + i].revents == 0)
                continue;
            conn *c = &conns[i];
            ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
            if (r > 0) {
                c->len += (size_t)r;
                if (handle_input(s, c))
                    continue;
            } else if (r < 0 && errno == EINTR) {
                continue;
            }
            close(c->fd);
            conns[i] = conns[--n];
        }
        if (fds[1].revents != 0) {
            int fd = accept(s->listen_fd, NULL, NULL);
            /* As Go's net package does: no Nagle delay on small answers. */
            int one = 1;
            if (fd >= 0 && s->cfg.tcp)
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (fd >= 0)
                conns[n++] = (conn){.fd = fd};
        }
    }
    close_listener(s);
    for (size_t i = 0; i < n; i++)
        close(conns[i].fd);
    free(conns);
}

static void *serve_thread(void *arg)
{
    serve(arg);
    return NULL;
}

/* ---- public -------------------------------------------------------------- */

rs_server *rs_start(const rs_config *cfg)
{
    rs_server *s = server_new(cfg);
    if (s == NULL)
        return NULL;
    if (listen(s->listen_fd, 16) != 0 || pthread_create(&s->thread, NULL, serve_thread, s) != 0) {
        rs_stop(s);
        return NULL;
    }
    s->threaded = true;
    return s;
}

void rs_stop(rs_server *s)
{
    if (s == NULL)
        return;
    if (s->threaded) {
        rs_write_all(s->wake[1], "x", 1);
        pthread_join(s->thread, NULL);
    }
    close_listener(s);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
    if (s->dir[0] != '\0')
        rmdir(s->dir);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

const char *rs_uri(const rs_server *s)
{
    return s->uri;
}

void rs_set_fault(rs_server *s, rs_fault fault)
{
    pthread_mutex_lock(&s->lock);
    s->cfg.fault = fault;
    if (fault == RS_FAULT_DENIED && s->dir[0] != '\0') {
        /* The folder lets others through, so that the socket's own mode
         * is what refuses them. */
        chmod(s->dir, 0755);
        chmod(s->sock, 0);
    }
    pthread_mutex_unlock(&s->lock);
}

int rs_request_count(rs_server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void rs_last_request(rs_server *s, char *line, size_t line_size, char *body, size_t body_size,
                     char *content_type, size_t type_size)
{
    pthread_mutex_lock(&s->lock);
    copy_text(line, line_size, s->last_line, strlen(s->last_line));
    copy_text(body, body_size, s->last_body, strlen(s->last_body));
    copy_text(content_type, type_size, s->last_type, strlen(s->last_type));
    pthread_mutex_unlock(&s->lock);
}

void rs_state_name(rs_server *s, char *out, size_t size)
{
    pthread_mutex_lock(&s->lock);
    advance_vm(s);
    copy_text(out, size, state_names[s->state], strlen(state_names[s->state]));
    pthread_mutex_unlock(&s->lock);
}

pid_t rs_fork(const rs_config *cfg, char *uri, size_t uri_size, char *dir, size_t dir_size)
{
    rs_server *s = server_new(cfg);
    if (s == NULL)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        if (cfg->ignore_sigterm)
            signal(SIGTERM, SIG_IGN);
        sleep_ms(cfg->start_delay_ms);
        if (listen(s->listen_fd, 16) == 0)
            serve(s);
        _exit(0);
    }
    copy_text(uri, uri_size, s->uri, strlen(s->uri));
    copy_text(dir, dir_size, s->dir, strlen(s->dir));
    /* The child serves and removes the socket; the parent only forgets it. */
    s->sock[0] = '\0';
    s->dir[0] = '\0';
    rs_stop(s);
    return pid;
}

void rs_child_cleanup(const char *dir)
{
    if (dir == NULL || dir[0] == '\0')
        return;
    char sock[128];
    snprintf(sock, sizeof sock, "%s/api.sock", dir);
    unlink(sock);
    rmdir(dir);
}

vf_rest_client *rs_client(const char *uri, unsigned timeout_ms)
{
    vf_restful_uri parsed;
    vf_error err = {0};
    vf_rest_client *client = NULL;
    if (vf_restful_uri_parse(uri, &parsed, &err) == 0)
        client = vf_rest_client_new(&parsed, &err);
    if (client == NULL)
        fprintf(stderr, "rest client for %s: %s\n", uri, err.text);
    vf_rest_client_set_timeout(client, timeout_ms);
    return client;
}

int rs_serve_path(const char *path, const rs_config *cfg)
{
    rs_server *s = server_alloc(cfg);
    if (s == NULL)
        return 1;
    /* Until the socket exists, connecting fails as with a vfkit still starting. */
    sleep_ms(cfg->start_delay_ms);
    int rc = 1;
    if (bind_unix_at(s, path) && pipe(s->wake) == 0 && listen(s->listen_fd, 16) == 0) {
        serve(s);
        rc = 0;
    }
    rs_stop(s);
    return rc;
}
