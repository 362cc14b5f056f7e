/*
 * libvfconfig - a stand-in for vfkit's REST service, for the tests.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Follows vfkit's pkg/rest as its source defines it: GET /vm/state answers
 * 200 with {"canHardStop":..,"canPause":..,"canResume":..,"canStart":..,
 * "canStop":..,"state":"VirtualMachineState..."} (gin.H is a Go map, so the
 * keys come sorted); POST /vm/state with {"state":"Pause"|"Resume"|"Stop"|
 * "HardStop"} answers 202 and no body; a body that does not bind answers
 * 400, a change that fails 500, both with {"error":"..."}; GET /vm/inspect
 * answers 200 with the VM's JSON; anything else gin's 404. HTTP/1.1 with
 * keep-alive, on a unix socket or on 127.0.0.1 with an ephemeral port.
 */
#ifndef VF_TEST_REST_SERVER_H
#define VF_TEST_REST_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** How the server misbehaves. */
typedef enum rs_fault {
    RS_FAULT_NONE,        /* vfkit's behaviour */
    RS_FAULT_STALL,       /* reads a request and never answers it */
    RS_FAULT_ERROR,       /* answers every request 500 {"error": RS_ERROR_TEXT} */
    RS_FAULT_MALFORMED,   /* answers 200 with JSON cut short */
    RS_FAULT_RESET,       /* sends half an answer, then resets the connection */
    RS_FAULT_WRONG_TYPE,  /* answers 200 with "canStop":"yes" */
    RS_FAULT_HUGE,        /* answers 200 with a body of 17 MiB */
    RS_FAULT_HUGE_HEADER, /* answers 200 with one header line of 200 kB */
    RS_FAULT_DENIED       /* unix socket only: its file gets mode 000 (its folder 0755), so
                         * connecting fails with EACCES for anyone but root */
} rs_fault;

/** The error text RS_FAULT_ERROR sends. */
#define RS_ERROR_TEXT "the hypervisor refused the request"

typedef struct rs_config {
    bool tcp; /* 127.0.0.1:<ephemeral> instead of a unix socket */
    rs_fault fault;
    const char *inspect_json; /* body of GET /vm/inspect; "{}" when NULL */
    bool no_inspect;          /* a vfkit older than /vm/inspect: gin's 404 */
    bool ignore_stop;         /* "Stop" is accepted (202) but the guest never shuts down */
    bool ignore_hard_stop;    /* "HardStop" is accepted (202) but changes nothing */
    bool exit_on_stopped;     /* stop serving once the VM is stopped, as vfkit exits */
    unsigned shutdown_ms;     /* how long the guest takes to stop after "Stop" (0: 100 ms) */
    /* krunkit's service (its src/status.rs) instead of vfkit's: one read of
     * the request, then exactly krunkit's bytes ("HTTP/1.1 200 OK", a
     * Content-type, no Content-Length, {"state": "..."} and a NUL), then
     * the connection closed. "Stopping" to anything holding "POST" (the VM
     * then stops as after "Stop"), "Running" to everything else. */
    bool krunkit;
    /* Child process only (rs_fork): */
    bool ignore_sigterm;     /* SIGTERM is ignored: only SIGKILL ends the child */
    unsigned start_delay_ms; /* connections are refused this long before serving */
} rs_config;

typedef struct rs_server rs_server;

/** Starts a server on a thread; NULL on failure. */
rs_server *rs_start(const rs_config *cfg);
/** Stops it, closes everything, removes its socket file. NULL is a no-op. */
void rs_stop(rs_server *srv);
/** The --restful-uri that reaches it ("unix:///tmp/.../api.sock", "tcp://127.0.0.1:N"). */
const char *rs_uri(const rs_server *srv);
/** Changes the fault from the next request on. */
void rs_set_fault(rs_server *srv, rs_fault fault);
/** Requests received so far. */
int rs_request_count(rs_server *srv);
/** The last request's first line ("POST /vm/state HTTP/1.1"), its body and Content-Type. */
void rs_last_request(rs_server *srv, char *line, size_t line_size, char *body, size_t body_size,
                     char *content_type, size_t type_size);
/** The VM's current state name. */
void rs_state_name(rs_server *srv, char *out, size_t size);

/**
 * Serves in a forked child that _exits once its VM has stopped (with
 * exit_on_stopped), or after 20 s at the latest. The socket is bound before
 * the fork, so @p uri is valid at once. Returns the child's pid, or -1.
 * The caller waits for the child, then calls rs_child_cleanup(@p dir).
 */
pid_t rs_fork(const rs_config *cfg, char *uri, size_t uri_size, char *dir, size_t dir_size);
/** Removes the socket and folder a forked server used (dir may be ""). */
void rs_child_cleanup(const char *dir);

/** A client of the library for @p uri, with a request timeout; NULL (and a message on stderr) on error. */
struct vf_rest_client *rs_client(const char *uri, unsigned timeout_ms);

/**
 * Serves on the unix socket @p path in this process until its VM stops (the
 * body of a fake vfkit). 0 when it served, 1 when the socket failed.
 */
int rs_serve_path(const char *path, const rs_config *cfg);

/* Writes the n bytes at data to fd, retrying short writes and EINTR a
 * bounded number of times; gives up quietly when the peer has gone. */
void rs_write_all(int fd, const char *data, size_t n);

#endif /* VF_TEST_REST_SERVER_H */
