/*
 * The REST client against a server that follows vfkit's pkg/rest
 * (tests/rest_server.c), over a unix socket and over TCP on 127.0.0.1: the
 * routes and JSON shapes, then the faults (nothing listening, an answer
 * slower than the timeout, a 500 with an error body, malformed JSON, a
 * connection reset mid-answer, a header line too large, a socket whose
 * mode denies the caller), and waiting for a service to come up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>
#include <vfconfig/rest.h>

#include <curl/curl.h>

#include "rest/internal.h"
#include "rest_server.h"

/* conformance vector vmjson-1001-948: the reference's JSON for a VM, as
 * vfkit's /vm/inspect sends its configuration, and its ToCmdLine. */
static const char inspect_json[] =
    "{\"vcpus\":8,\"memoryBytes\":2147483648,\"bootloader\":{\"kind\":\"efiBootloader\","
    "\"efiVariableStorePath\":\"/tmp/efi.store\",\"createVariableStore\":true},\"devices\":["
    "{\"kind\":\"nbd\",\"devName\":\"nbd\",\"readOnly\":true,\"uri\":\"nbd://localhost:10809/export\","
    "\"DeviceIdentifier\":\"/tmp/socket.sock\",\"Timeout\":15000000000,\"SynchronizationMode\":\"full\"},"
    "{\"kind\":\"usbmassstorage\",\"devName\":\"usb-mass-storage\",\"readOnly\":true,\"imagePath\":\"disk.img\"},"
    "{\"kind\":\"virtionet\",\"nat\":true},"
    "{\"kind\":\"virtiosock\",\"port\":1024,\"socketURL\":\"/tmp/vsock.sock\",\"listen\":true},"
    "{\"kind\":\"virtioserial\",\"usesStdio\":true},"
    "{\"kind\":\"rosetta\",\"mountTag\":\"vsock.sock\",\"installRosetta\":true,\"ignoreIfMissing\":false}]}";
static const char *const inspect_cmdline[] = {
    "--cpus",
    "8",
    "--memory",
    "2048",
    "--bootloader",
    "efi,variable-store=/tmp/efi.store,create",
    "--device",
    "nbd,uri=nbd://localhost:10809/export,readonly,deviceId=/tmp/socket.sock,timeout=15000,sync=full",
    "--device",
    "usb-mass-storage,path=disk.img,readonly",
    "--device",
    "virtio-net,nat",
    "--device",
    "virtio-vsock,port=1024,socketURL=/tmp/vsock.sock,listen",
    "--device",
    "virtio-serial,stdio",
    "--device",
    "rosetta,mountTag=vsock.sock,install",
};

typedef struct fixture {
    rs_server *server;
    vf_rest_client *client;
} fixture;

static vf_rest_client *client_for(const char *uri)
{
    vf_rest_client *client = rs_client(uri, 2000);
    assert_non_null(client);
    return client;
}

static int start(void **state, bool tcp)
{
    static fixture f;
    /* The guest takes its time: a state read after "Stop" sees Stopping. */
    rs_config cfg = {.tcp = tcp, .inspect_json = inspect_json, .shutdown_ms = 15000};
    f.server = rs_start(&cfg);
    if (f.server == NULL)
        return -1;
    f.client = client_for(rs_uri(f.server));
    *state = &f;
    return 0;
}

static int start_unix(void **state)
{
    return start(state, false);
}
static int start_tcp(void **state)
{
    return start(state, true);
}

static int finish(void **state)
{
    fixture *f = *state;
    vf_rest_client_free(f->client);
    rs_stop(f->server);
    return 0;
}

static void assert_last_request(rs_server *srv, const char *line, const char *body,
                                const char *content_type)
{
    char got_line[256], got_body[512], got_type[128];
    rs_last_request(srv, got_line, sizeof got_line, got_body, sizeof got_body, got_type,
                    sizeof got_type);
    assert_string_equal(got_line, line);
    assert_string_equal(got_body, body);
    assert_string_equal(got_type, content_type);
}

static void assert_error_names(const vf_error *err, const char *a, const char *b)
{
    if (strstr(err->text, a) == NULL || (b != NULL && strstr(err->text, b) == NULL))
        fail_msg("\"%s\" lacks \"%s\"/\"%s\"", err->text, a, b ? b : "");
}

/* ---- routes ---------------------------------------------------------------- */

static void test_get_state(void **state)
{
    fixture *f = *state;
    vf_rest_state_info info;
    vf_error err = {0};
    memset(&info, 0x55, sizeof info);
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
    assert_string_equal(info.name, "VirtualMachineStateRunning");
    assert_false(info.can_start);
    assert_true(info.can_pause);
    assert_false(info.can_resume);
    assert_true(info.can_stop);
    assert_true(info.can_hard_stop);
    assert_false(vf_rest_client_unreachable(f->client));
    assert_last_request(f->server, "GET /vm/state HTTP/1.1", "", "");
}

static void test_pause_and_resume(void **state)
{
    fixture *f = *state;
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_PAUSE, &err), 0);
    assert_last_request(f->server, "POST /vm/state HTTP/1.1", "{\"state\":\"Pause\"}",
                        "application/json");
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_PAUSED);
    assert_true(info.can_resume);
    assert_false(info.can_pause);
    assert_false(info.can_stop);

    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_RESUME, &err), 0);
    assert_last_request(f->server, "POST /vm/state HTTP/1.1", "{\"state\":\"Resume\"}",
                        "application/json");
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
}

/* vfkit answers a refused change 500 {"error": ...}: its text reaches the caller. */
static void test_refused_change(void **state)
{
    fixture *f = *state;
    vf_error err = {0};
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_RESUME, &err), VF_ERR_REST);
    assert_int_equal(err.code, VF_ERR_REST);
    assert_error_names(&err, "POST /vm/state on ", "HTTP 500");
    assert_error_names(&err, "invalid virtual machine state transition", rs_uri(f->server));
    assert_int_equal(vf_rest_set_state(f->client, (vf_rest_state_change)9, &err), VF_ERR_INVALID);
}

static void test_stop_and_hard_stop(void **state)
{
    fixture *f = *state;
    vf_rest_state_info info;
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_STOP, NULL), 0);
    assert_last_request(f->server, "POST /vm/state HTTP/1.1", "{\"state\":\"Stop\"}",
                        "application/json");
    assert_int_equal(vf_rest_get_state(f->client, &info, NULL), 0);
    assert_int_equal(info.state, VF_REST_STATE_STOPPING);
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_HARD_STOP, NULL), 0);
    assert_last_request(f->server, "POST /vm/state HTTP/1.1", "{\"state\":\"HardStop\"}",
                        "application/json");
    assert_int_equal(vf_rest_get_state(f->client, &info, NULL), 0);
    assert_int_equal(info.state, VF_REST_STATE_STOPPED);
    assert_true(info.can_start);
    assert_false(info.can_hard_stop);
}

static void test_inspect(void **state)
{
    fixture *f = *state;
    vf_vm *vm = (vf_vm *)f;
    vf_error err = {0};
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), 0);
    assert_non_null(vm);
    assert_last_request(f->server, "GET /vm/inspect HTTP/1.1", "", "");
    assert_int_equal(vm->vcpus, 8);
    assert_int_equal(vm->memory_bytes, 2147483648u);
    assert_int_equal(vm->n_devices, 6);
    char **argv = vf_vm_to_cmdline(vm, &err);
    assert_non_null(argv);
    size_t n = sizeof inspect_cmdline / sizeof inspect_cmdline[0];
    assert_int_equal(vf_strv_length(argv), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(argv[i], inspect_cmdline[i]);
    vf_strv_free(argv);
    vf_vm_free(vm);
}

/* One connection serves many requests (HTTP/1.1 keep-alive, as gin does). */
static void test_many_requests(void **state)
{
    fixture *f = *state;
    int before = rs_request_count(f->server);
    for (int i = 0; i < 20; i++) {
        vf_rest_state_info info;
        assert_int_equal(vf_rest_get_state(f->client, &info, NULL), 0);
    }
    assert_int_equal(rs_request_count(f->server), before + 20);
}

/* ---- faults ------------------------------------------------------------------ */

static void test_server_down_unix(void **state)
{
    (void)state;
    vf_rest_client *client = client_for("unix:///tmp/vfconfig-rest-test-nothing-here.sock");
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(client, &info, &err), VF_ERR_REST);
    assert_true(vf_rest_client_unreachable(client));
    assert_error_names(&err, "GET /vm/state on unix:///tmp/vfconfig-rest-test-nothing-here.sock",
                       "nothing answers");
    vf_vm *vm = NULL;
    assert_int_equal(vf_rest_inspect(client, &vm, &err), VF_ERR_REST);
    assert_null(vm);
    assert_int_equal(vf_rest_set_state(client, VF_REST_CHANGE_STOP, &err), VF_ERR_REST);
    assert_true(vf_rest_client_unreachable(client));
    vf_rest_client_free(client);
}

/* A port that was just free: bound, then closed. */
static unsigned closed_port(void)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static void test_server_down_tcp(void **state)
{
    (void)state;
    char uri[64];
    snprintf(uri, sizeof uri, "tcp://127.0.0.1:%u", closed_port());
    vf_rest_client *client = client_for(uri);
    vf_error err = {0};
    assert_int_equal(vf_rest_set_state(client, VF_REST_CHANGE_STOP, &err), VF_ERR_REST);
    assert_true(vf_rest_client_unreachable(client));
    assert_error_names(&err, "POST /vm/state on tcp://127.0.0.1:", "nothing answers");
    vf_rest_client_free(client);
}

/* A TCP service is reached on a port from 1 to 65535. Port 0 is a valid
 * --restful-uri (vfkit listens on any free port) but names nothing to
 * connect to; a port over 65535 can only be set by hand, as the parser
 * refuses it. The client refuses both, saying why, without a request. */
static void test_port_out_of_range(void **state)
{
    (void)state;
    static const struct {
        const char *host, *says;
    } cases[] = {
        {"127.0.0.1:0", "port 0 names no port to connect to"},
        {"127.0.0.1:99999", "port out of range (1 to 65535)"},
        {"[::1]:65536", "port out of range (1 to 65535)"},
        {"127.0.0.1", "the TCP host has no port"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_restful_uri uri;
        memset(&uri, 0, sizeof uri);
        uri.scheme = VF_REST_SCHEME_TCP;
        snprintf(uri.host, sizeof uri.host, "%s", cases[i].host);
        vf_error err = {0};
        assert_null(vf_rest_client_new(&uri, &err));
        assert_int_equal(err.code, VF_ERR_INVALID);
        assert_string_equal(err.location, "--restful-uri");
        char value[64];
        snprintf(value, sizeof value, "\"tcp://%s\"", cases[i].host);
        if (strstr(err.text, cases[i].says) == NULL || strstr(err.text, value) == NULL)
            fail_msg("%s: \"%s\" does not say %s", cases[i].host, err.text, cases[i].says);
    }
    vf_restful_uri uri;
    assert_int_equal(vf_restful_uri_parse("tcp://127.0.0.1:65535", &uri, NULL), 0);
    vf_rest_client *client = vf_rest_client_new(&uri, NULL);
    assert_non_null(client);
    vf_rest_client_free(client);
}

static void test_slower_than_timeout(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_STALL);
    vf_rest_client_set_timeout(f->client, 200);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_TIMEOUT);
    assert_false(vf_rest_client_unreachable(f->client));
    assert_error_names(&err, "GET /vm/state on ", NULL);
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_PAUSE, &err), VF_ERR_TIMEOUT);
    /* The same client works again once the server does. */
    rs_set_fault(f->server, RS_FAULT_NONE);
    vf_rest_client_set_timeout(f->client, 2000);
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
}

static void test_error_body(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_ERROR);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_REST);
    assert_error_names(&err, "GET /vm/state on ", "HTTP 500: \"" RS_ERROR_TEXT "\"");
    assert_int_equal(vf_rest_set_state(f->client, VF_REST_CHANGE_STOP, &err), VF_ERR_REST);
    assert_error_names(&err, "POST /vm/state on ", RS_ERROR_TEXT);
    vf_vm *vm = NULL;
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), VF_ERR_REST);
    assert_error_names(&err, "GET /vm/inspect on ", RS_ERROR_TEXT);
    assert_null(vm);
    assert_false(vf_rest_client_unreachable(f->client));
}

static void test_malformed_json(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_MALFORMED);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_JSON);
    assert_error_names(&err, "GET /vm/state on ", "invalid JSON");
    vf_vm *vm = NULL;
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), VF_ERR_JSON);
    assert_error_names(&err, "GET /vm/inspect on ", NULL);
    assert_null(vm);
}

static void test_reset_mid_answer(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_RESET);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_REST);
    assert_error_names(&err, "GET /vm/state on ", NULL);
    assert_false(vf_rest_client_unreachable(f->client));
    vf_vm *vm = NULL;
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), VF_ERR_REST);
    assert_null(vm);
    rs_set_fault(f->server, RS_FAULT_NONE);
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
}

static void test_wrong_type(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_WRONG_TYPE);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_JSON);
    assert_error_names(&err, "GET /vm/state on ", "invalid value for 'canStop'");
}

/* A body past VF_REST_MAX_RESPONSE_BYTES is cut off, not collected. */
static void test_answer_too_large(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_HUGE);
    vf_vm *vm = NULL;
    vf_error err = {0};
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), VF_ERR_LIMIT);
    assert_null(vm);
    assert_error_names(&err, "GET /vm/inspect on ", "response larger than");
    rs_set_fault(f->server, RS_FAULT_NONE);
    assert_int_equal(vf_rest_inspect(f->client, &vm, &err), 0);
    vf_vm_free(vm);
}

/* One response header line over curl's 100 kB: a message naming the
 * request and the endpoint, not a bare "out of memory". */
static void test_huge_header(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_HUGE_HEADER);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), VF_ERR_REST);
    assert_error_names(&err, rs_uri(f->server), "header");
    assert_int_equal(strncmp(err.text, "GET /vm/state on ", 17), 0);
    assert_false(vf_rest_client_unreachable(f->client));
    rs_set_fault(f->server, RS_FAULT_NONE);
    assert_int_equal(vf_rest_get_state(f->client, &info, &err), 0);
}

/* The classes of failure from libcurl's code and the system's errno. */
static void test_failure_classes(void **state)
{
    (void)state;
    assert_int_equal(vf__rest_classify(CURLE_COULDNT_CONNECT, ECONNREFUSED),
                     VF__REST_NOT_ANSWERING);
    assert_int_equal(vf__rest_classify(CURLE_COULDNT_CONNECT, ENOENT), VF__REST_NOT_ANSWERING);
    assert_int_equal(vf__rest_classify(CURLE_COULDNT_CONNECT, EACCES), VF__REST_DENIED);
    assert_int_equal(vf__rest_classify(CURLE_COULDNT_CONNECT, EPERM), VF__REST_DENIED);
    assert_int_equal(vf__rest_classify(CURLE_COULDNT_CONNECT, EPROTOTYPE), VF__REST_OTHER);
    assert_int_equal(vf__rest_classify(CURLE_OPERATION_TIMEDOUT, 0), VF__REST_TIMEOUT);
    assert_int_equal(vf__rest_classify(CURLE_GOT_NOTHING, 0), VF__REST_PROTOCOL);
    assert_int_equal(vf__rest_classify(CURLE_WEIRD_SERVER_REPLY, 0), VF__REST_PROTOCOL);
    /* curl < 8.6: a header line too large is CURLE_OUT_OF_MEMORY */
    assert_int_equal(vf__rest_classify(CURLE_OUT_OF_MEMORY, 0), VF__REST_PROTOCOL);
}

/* In a child without root's override of file modes: the client's view of
 * a socket whose mode denies it. 0 when all holds, else the failed check. */
static int denied_child(const char *uri)
{
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return 10;
    vf_rest_client *client = rs_client(uri, 2000);
    if (client == NULL)
        return 11;
    vf_rest_state_info info;
    vf_error err = {0};
    int status = 0;
    if (vf_rest_get_state(client, &info, &err) != VF_ERR_REST)
        status = 12;
    else if (vf_rest_client_unreachable(client))
        status = 13;
    else if (strstr(err.text, uri) == NULL || strstr(err.text, "denies") == NULL ||
             strstr(err.text, "nothing answers") != NULL)
        status = 14;
    vf_stop_options opts = {.stop_timeout_ms = 100,
                            .hard_stop_timeout_ms = 100,
                            .term_timeout_ms = 100,
                            .kill_timeout_ms = 100,
                            .poll_interval_ms = 10};
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    if (status == 0 && vf_vm_stop_gracefully(client, 0, &opts, &step, &err) == 0)
        status = 15; /* "not running" while the service runs */
    if (status != 0)
        fprintf(stderr, "denied_child: check %d: %s\n", status, err.text);
    vf_rest_client_free(client);
    return status;
}

/* A socket that refuses the caller with EACCES: an error, never "nothing
 * answers", and no stop reports "not running". Root ignores file modes,
 * so the client runs in a child that is not root. */
static void test_permission_denied(void **state)
{
    fixture *f = *state;
    rs_set_fault(f->server, RS_FAULT_DENIED);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(denied_child(rs_uri(f->server)));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* A vfkit without /vm/inspect answers gin's plain-text 404. */
static void test_old_vfkit_without_inspect(void **state)
{
    (void)state;
    rs_config cfg = {.no_inspect = true};
    rs_server *srv = rs_start(&cfg);
    assert_non_null(srv);
    vf_rest_client *client = client_for(rs_uri(srv));
    vf_vm *vm = NULL;
    vf_error err = {0};
    assert_int_equal(vf_rest_inspect(client, &vm, &err), VF_ERR_REST);
    assert_error_names(&err, "GET /vm/inspect on ", "HTTP 404: \"404 page not found\"");
    assert_null(vm);
    vf_rest_client_free(client);
    rs_stop(srv);
}

/* vfkit is local: proxy settings of the environment must not apply. */
static void test_proxy_environment_ignored(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {"http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"};
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%u", closed_port());
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        setenv(names[i], proxy, 1);
    vf_rest_client *client = client_for(rs_uri(f->server));
    vf_rest_state_info info;
    vf_error err = {0};
    int rc = vf_rest_get_state(client, &info, &err);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
    vf_rest_client_free(client);
    if (rc != 0)
        fail_msg("%s", err.text);
}

/* ---- waiting for the service ------------------------------------------------ */

static void reap(pid_t pid, const char *dir)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    rs_child_cleanup(dir);
}

/* vfkit starts its service a moment after it starts: connections are refused first. */
static void test_wait_ready(void **state)
{
    (void)state;
    char uri[160], dir[64];
    rs_config cfg = {.start_delay_ms = 300, .exit_on_stopped = true};
    pid_t pid = rs_fork(&cfg, uri, sizeof uri, dir, sizeof dir);
    assert_true(pid > 0);
    vf_rest_client *client = client_for(uri);
    vf_rest_state_info info;
    vf_error err = {0};
    assert_int_equal(vf_rest_get_state(client, &info, &err), VF_ERR_REST);
    assert_true(vf_rest_client_unreachable(client));
    assert_int_equal(vf_rest_wait_ready(client, pid, 5000, &err), 0);
    assert_int_equal(vf_rest_get_state(client, &info, &err), 0);
    assert_int_equal(info.state, VF_REST_STATE_RUNNING);
    vf_rest_client_free(client);
    reap(pid, dir);
}

static void test_wait_ready_times_out(void **state)
{
    (void)state;
    vf_rest_client *client = client_for("unix:///tmp/vfconfig-rest-test-nothing-here.sock");
    vf_error err = {0};
    assert_int_equal(vf_rest_wait_ready(client, 0, 300, &err), VF_ERR_TIMEOUT);
    assert_error_names(&err, "no answer within 300 ms", "nothing answers");
    vf_rest_client_free(client);
}

/* A process that dies before it serves ends the wait at once, not reaped. */
static void test_wait_ready_process_exits(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(1);
    vf_rest_client *client = client_for("unix:///tmp/vfconfig-rest-test-nothing-here.sock");
    vf_error err = {0};
    assert_int_equal(vf_rest_wait_ready(client, pid, 5000, &err), VF_ERR_REST);
    assert_error_names(&err, "exited before its REST service answered", NULL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    vf_rest_client_free(client);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
#define ON_BOTH(t)                                          \
    cmocka_unit_test_setup_teardown(t, start_unix, finish), \
        cmocka_unit_test_setup_teardown(t, start_tcp, finish)
    const struct CMUnitTest tests[] = {
        ON_BOTH(test_get_state),
        ON_BOTH(test_pause_and_resume),
        ON_BOTH(test_refused_change),
        ON_BOTH(test_stop_and_hard_stop),
        ON_BOTH(test_inspect),
        ON_BOTH(test_many_requests),
        cmocka_unit_test(test_server_down_unix),
        cmocka_unit_test(test_server_down_tcp),
        cmocka_unit_test(test_port_out_of_range),
        ON_BOTH(test_slower_than_timeout),
        ON_BOTH(test_error_body),
        ON_BOTH(test_malformed_json),
        ON_BOTH(test_reset_mid_answer),
        ON_BOTH(test_wrong_type),
        ON_BOTH(test_answer_too_large),
        ON_BOTH(test_huge_header),
        cmocka_unit_test(test_failure_classes),
        cmocka_unit_test_setup_teardown(test_permission_denied, start_unix, finish),
        cmocka_unit_test(test_old_vfkit_without_inspect),
        ON_BOTH(test_proxy_environment_ignored),
        cmocka_unit_test(test_wait_ready),
        cmocka_unit_test(test_wait_ready_times_out),
        cmocka_unit_test(test_wait_ready_process_exits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
