/*
 * --restful-uri as vfkit reads it: pkg/rest's parseRestfulURI and
 * toRestScheme (rest_test.go's TestParseRestfulURI and TestToRestScheme),
 * the url.ParseRequestURI rules under them (net/url's url_test.go
 * parseRequestURLTests, written with vfkit's schemes), and printing back
 * as Endpoint.ToCmdLine does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>

#include <vfconfig/vfconfig.h>
#include <vfconfig/rest.h>

static vf_restful_uri parse_ok(const char *text)
{
    vf_restful_uri uri;
    vf_error err = {0};
    memset(&uri, 0x55, sizeof uri);
    int rc = vf_restful_uri_parse(text, &uri, &err);
    if (rc != 0)
        fail_msg("%s: %s", text ? text : "(null)", err.text);
    return uri;
}

/* Refused with code, and the message says why and names the value. */
static void assert_refused(const char *text, int code, const char *why)
{
    vf_restful_uri uri;
    vf_error err = {0};
    memset(&uri, 0x55, sizeof uri);
    vf_restful_uri before = uri;
    assert_int_equal(vf_restful_uri_parse(text, &uri, &err), code);
    assert_int_equal(err.code, code);
    if (strstr(err.text, why) == NULL || strstr(err.text, "--restful-uri") == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", text, err.text, why);
    assert_memory_equal(&uri, &before, sizeof uri); /* untouched on error */
    assert_int_equal(vf_restful_uri_parse(text, &uri, NULL), code);
}

static void assert_formats(const vf_restful_uri *uri, const char *want)
{
    char buf[VF_RESTFUL_URI_TEXT_MAX];
    assert_int_equal(vf_restful_uri_format(uri, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, want);
}

/* rest_test.go TestParseRestfulURI */
static void test_go_parse_restful_uri(void **state)
{
    (void)state;
    vf_restful_uri uri = parse_ok("tcp://localhost:8080");
    assert_int_equal(uri.scheme, VF_REST_SCHEME_TCP);
    assert_string_equal(uri.host, "localhost:8080");
    assert_string_equal(uri.path, "");

    uri = parse_ok("unix:///var/tmp/socket.sock");
    assert_int_equal(uri.scheme, VF_REST_SCHEME_UNIX);
    assert_string_equal(uri.host, "");
    assert_string_equal(uri.path, "/var/tmp/socket.sock");

    assert_refused("tcp://", VF_ERR_INVALID, "invalid TCP uri: missing host");
    assert_refused("tcp:///some/path", VF_ERR_INVALID, "invalid TCP uri: missing host");
    assert_refused("tcp://localhost", VF_ERR_INVALID, "invalid TCP uri: missing port");
    assert_refused("unix://", VF_ERR_INVALID, "invalid unix uri: missing path");
    assert_refused("unix://host", VF_ERR_INVALID, "invalid unix uri: missing path");
    assert_refused("unix://host/and/path", VF_ERR_INVALID, "invalid unix uri: host is forbidden");
}

/* rest_test.go TestToRestScheme, through whole URIs; "http" is TCP too. */
static void test_go_schemes(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("none://").scheme, VF_REST_SCHEME_NONE);
    assert_int_equal(parse_ok("unix:///tmp/a.sock").scheme, VF_REST_SCHEME_UNIX);
    assert_int_equal(parse_ok("tcp://localhost:8081").scheme, VF_REST_SCHEME_TCP);
    vf_restful_uri uri = parse_ok("http://localhost:8081");
    assert_int_equal(uri.scheme, VF_REST_SCHEME_TCP);
    assert_string_equal(uri.host, "localhost:8081");
    assert_refused("foobar://localhost", VF_ERR_INVALID,
                   "invalid scheme foobar: \"foobar://localhost\"");
    assert_refused("https://localhost:8081", VF_ERR_INVALID, "invalid scheme https");
    /* Go lower-cases the scheme before comparing it. */
    assert_int_equal(parse_ok("UNIX:///tmp/a.sock").scheme, VF_REST_SCHEME_UNIX);
    assert_int_equal(parse_ok("Tcp://localhost:1").scheme, VF_REST_SCHEME_TCP);
    assert_refused("FooBar://x", VF_ERR_INVALID, "invalid scheme foobar");
}

/* vfkit's default; NULL reads as it, "" is refused as vfkit refuses it. */
static void test_default_and_empty(void **state)
{
    (void)state;
    vf_restful_uri uri = parse_ok(NULL);
    assert_int_equal(uri.scheme, VF_REST_SCHEME_NONE);
    assert_string_equal(uri.host, "");
    assert_string_equal(uri.path, "");
    assert_formats(&uri, VF_RESTFUL_URI_DEFAULT);
    /* none:// ignores whatever follows */
    assert_int_equal(parse_ok("none://anything/at/all").scheme, VF_REST_SCHEME_NONE);
    assert_int_equal(parse_ok("none:").scheme, VF_REST_SCHEME_NONE);
    assert_refused("", VF_ERR_INVALID, "empty url");
}

/* The unix socket path: at most 103 bytes (macOS's sun_path less the NUL). */
static void test_unix_path_limit(void **state)
{
    (void)state;
    char text[256] = "unix://";
    size_t prefix = strlen(text);
    text[prefix] = '/';
    memset(text + prefix + 1, 'a', VF_RESTFUL_UNIX_PATH_MAX - 1);
    text[prefix + VF_RESTFUL_UNIX_PATH_MAX] = '\0';
    vf_restful_uri uri = parse_ok(text);
    assert_int_equal(strlen(uri.path), 103);
    assert_formats(&uri, text);

    strcat(text, "a");
    assert_refused(text, VF_ERR_INVALID,
                   "invalid unix uri: socket path length exceeds macOS limits");
    /* The limit counts the decoded path: "%61" is one byte. */
    text[strlen(text) - 2] = '\0';
    strcat(text, "%61");
    assert_int_equal(strlen(parse_ok(text).path), 103);
    strcat(text, "%61");
    assert_refused(text, VF_ERR_INVALID, "socket path length exceeds macOS limits");
}

/* TCP: a host and a port, no path, not even "/". */
static void test_tcp_rules(void **state)
{
    (void)state;
    assert_refused("tcp://localhost:8080/", VF_ERR_INVALID, "invalid TCP uri: path is forbidden");
    assert_refused("tcp://localhost:8080/vm", VF_ERR_INVALID, "invalid TCP uri: path is forbidden");
    assert_refused("tcp://localhost:", VF_ERR_INVALID, "invalid TCP uri: missing port");
    assert_refused("tcp://[::1]", VF_ERR_INVALID, "invalid TCP uri: missing port");
    assert_refused("tcp:localhost:8080", VF_ERR_INVALID,
                   "invalid TCP uri: missing host"); /* opaque */
    assert_refused("tcp://user@:8080/x", VF_ERR_INVALID, "invalid TCP uri: path is forbidden");
    assert_refused("tcp://localhost:80x", VF_ERR_INVALID, "invalid port \":80x\" after host");
    assert_refused("tcp://[::1]x:80", VF_ERR_INVALID, "invalid port \"x:80\" after host");
    assert_refused("tcp://[::1:80", VF_ERR_INVALID, "missing ']' in host");

    vf_restful_uri uri = parse_ok("tcp://[::1]:8081");
    assert_string_equal(uri.host, "[::1]:8081");
    uri = parse_ok("tcp://:8081"); /* gin listens on every interface */
    assert_string_equal(uri.host, ":8081");
    uri = parse_ok("tcp://user:secret@localhost:8081");
    assert_string_equal(uri.host, "localhost:8081");
    assert_formats(&uri, "tcp://localhost:8081");
    uri = parse_ok("tcp://localhost:8081?debug=1"); /* the query is cut off */
    assert_string_equal(uri.host, "localhost:8081");
}

/* The TCP port: vfkit's parseRestfulURI takes whatever digits Go's
 * url.ParseRequestURI takes, and its server listens with net.Listen,
 * which refuses a port over 65535 when the VM starts (so the library
 * refuses it when reading) and takes port 0 as "any free port" (so the
 * library takes it too). Leading zeros are the same number. */
static void test_tcp_port_range(void **state)
{
    (void)state;
    static const char *const over[] = {
        "tcp://127.0.0.1:99999", "tcp://127.0.0.1:65536", "http://[::1]:99999",
        "tcp://localhost:000000000000000065536", "tcp://:18446744073709551616"};
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        vf_restful_uri uri;
        vf_error err = {0};
        assert_refused(over[i], VF_ERR_INVALID, "invalid TCP uri: port out of range");
        assert_int_equal(vf_restful_uri_parse(over[i], &uri, &err), VF_ERR_INVALID);
        assert_string_equal(err.location, "--restful-uri");
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\"", over[i]);
        assert_non_null(strstr(err.text, quoted));
    }
    assert_string_equal(parse_ok("tcp://127.0.0.1:65535").host, "127.0.0.1:65535");
    assert_string_equal(parse_ok("tcp://127.0.0.1:0").host, "127.0.0.1:0");
    assert_string_equal(parse_ok("http://[::1]:00080").host, "[::1]:00080");
    assert_string_equal(parse_ok("tcp://localhost:000000000000000065535").host,
                        "localhost:000000000000000065535");

    /* Read from a command line: refused, naming the flag and the value. */
    const char *const line[] = {"--bootloader", "efi,variable-store=/x", "--restful-uri",
                                "tcp://127.0.0.1:99999", NULL};
    vf_error err = {0};
    assert_null(vf_vm_from_cmdline(line, &err));
    assert_string_equal(err.location, "--restful-uri");
    assert_non_null(strstr(err.text, "port out of range"));
    assert_non_null(strstr(err.text, "\"tcp://127.0.0.1:99999\""));
    /* Set on a VM, or read from JSON (whose reader does not look at launch
     * flags) and then printed or made a command: refused at 'restfulURI'. */
    vf_vm *vm = vf_vm_from_json("{\"vcpus\": 1, \"memoryBytes\": 536870912, \"bootloader\": "
                                "{\"kind\": \"efiBootloader\", \"efiVariableStorePath\": \"/x\"}, "
                                "\"restfulURI\": \"tcp://127.0.0.1:99999\"}",
                                &err);
    assert_non_null(vm);
    assert_null(vf_vm_to_cmdline(vm, &err));
    assert_string_equal(err.location, "restfulURI");
    assert_non_null(strstr(err.text, "'restfulURI'"));
    assert_non_null(strstr(err.text, "\"tcp://127.0.0.1:99999\""));
    vf_cmd *cmd = NULL;
    vf_error cmd_err = {0};
    assert_int_equal(vf_vm_cmd(vm, "/usr/bin/vfkit", &cmd, &cmd_err), VF_ERR_INVALID);
    assert_null(cmd);
    assert_string_equal(cmd_err.location, "restfulURI");
    assert_non_null(strstr(cmd_err.text, "port out of range"));
    vf_error set_err = {0};
    assert_int_equal(vf_vm_set_restful_uri(vm, "tcp://localhost:65536", &set_err), VF_ERR_INVALID);
    assert_string_equal(set_err.location, "restfulURI");
    assert_string_equal(vm->restful_uri, "tcp://127.0.0.1:99999"); /* unchanged */
    /* Port 0, as vfkit: printed and made a command. */
    assert_int_equal(vf_vm_set_restful_uri(vm, "tcp://127.0.0.1:0", &set_err), 0);
    assert_int_equal(vf_vm_cmd(vm, "/usr/bin/vfkit", &cmd, &cmd_err), 0);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
}

/* Unix: a path, no host; "unix:/path" has no authority at all. */
static void test_unix_rules(void **state)
{
    (void)state;
    vf_restful_uri uri = parse_ok("unix:/tmp/vf.sock");
    assert_string_equal(uri.path, "/tmp/vf.sock");
    assert_formats(&uri, "unix:///tmp/vf.sock");
    uri = parse_ok("unix:///tmp/vf.sock?x=1");
    assert_string_equal(uri.path, "/tmp/vf.sock");
    uri = parse_ok("unix://user@/tmp/vf.sock"); /* Go's Host is empty here */
    assert_string_equal(uri.path, "/tmp/vf.sock");
    assert_refused("unix:tmp/vf.sock", VF_ERR_INVALID, "invalid unix uri: missing path");
    assert_refused("unix://localhost/tmp/vf.sock", VF_ERR_INVALID, "host is forbidden");
}

/* url_test.go parseRequestURLTests, with vfkit's schemes and a port. */
static void test_go_parse_request_uri(void **state)
{
    (void)state;
    static const char *const valid[] = {
        "tcp://192.168.0.1:8080",     "tcp://[fe80::1]:8080",
        "tcp://[fe80::1%25en0]:8080", "tcp://[fe80::1%25%65%6e%301-._~]:8080",
        "unix:///just/a/path",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
        parse_ok(valid[i]);

    assert_refused("foo.html", VF_ERR_INVALID, "invalid URI for request");
    assert_refused("../dir/", VF_ERR_INVALID, "invalid URI for request");
    assert_refused(" tcp://foo.com:80", VF_ERR_INVALID, "invalid URI for request");
    assert_refused("tcp://192.168.0.%31:8080", VF_ERR_INVALID, "invalid URL escape \"%31\"");
    assert_refused("tcp://[fe80::%31]:8080", VF_ERR_INVALID, "invalid URL escape \"%31\"");
    assert_refused("tcp://[fe80::%31%25en0]:8080", VF_ERR_INVALID, "invalid URL escape \"%31\"");
    assert_refused("tcp://[fe80::1%en0]:8080", VF_ERR_INVALID, "invalid URL escape \"%en\"");
    /* A path is absolute but has no scheme: ParseRequestURI takes it, vfkit does not. */
    assert_refused("/var/run/vf.sock", VF_ERR_INVALID, "invalid scheme :");
    assert_refused("*", VF_ERR_INVALID, "invalid scheme :");
    assert_refused(":8080", VF_ERR_INVALID, "missing protocol scheme");
    assert_refused("tcp://local\nhost:80", VF_ERR_INVALID,
                   "net/url: invalid control character in URL");
    assert_refused("unix:///tmp/a\x7f", VF_ERR_INVALID, "invalid control character");
    assert_refused("tcp://a b:80", VF_ERR_INVALID, "invalid character \" \" in host name");
    assert_refused("tcp://a%2:80", VF_ERR_INVALID, "invalid URL escape \"%2:\"");
    assert_refused("unix:///tmp/a%zzb", VF_ERR_INVALID, "invalid URL escape \"%zz\"");
    assert_refused("unix:///tmp/a%", VF_ERR_INVALID, "invalid URL escape \"%\"");
    assert_refused("tcp://us er@localhost:80", VF_ERR_INVALID, "net/url: invalid userinfo");
    assert_refused("tcp://a%zz:b@localhost:80", VF_ERR_INVALID, "invalid URL escape \"%zz\"");
}

/* Decoded parts, and printing that reads back as the same URI. */
static void test_escapes_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *path_or_host;
        const char *printed;
    } cases[] = {
        {"unix:///tmp/my%20vm.sock", "/tmp/my vm.sock", "unix:///tmp/my vm.sock"},
        {"unix:///tmp/a%3Fb", "/tmp/a?b", "unix:///tmp/a%3Fb"},
        {"unix:///tmp/100%25", "/tmp/100%", "unix:///tmp/100%25"},
        {"unix:///tmp/a%0Ab", "/tmp/a\nb", "unix:///tmp/a%0Ab"},
        {"unix:///tmp/d%C3%A9j%C3%A0", "/tmp/d\xc3\xa9j\xc3\xa0", "unix:///tmp/d\xc3\xa9j\xc3\xa0"},
        {"tcp://[fe80::1%25en0]:8080", "[fe80::1%en0]:8080", "tcp://[fe80::1%25en0]:8080"},
        {"tcp://d%C3%A9j%C3%A0:1", "d\xc3\xa9j\xc3\xa0:1", "tcp://d\xc3\xa9j\xc3\xa0:1"},
        {"http://localhost:8081", "localhost:8081", "tcp://localhost:8081"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vf_restful_uri uri = parse_ok(cases[i].in);
        assert_string_equal(uri.scheme == VF_REST_SCHEME_UNIX ? uri.path : uri.host,
                            cases[i].path_or_host);
        assert_formats(&uri, cases[i].printed);
        vf_restful_uri again = parse_ok(cases[i].printed);
        assert_memory_equal(&again, &uri, sizeof uri);
    }
}

/* Like snprintf: the length of the whole text, whatever fits is written. */
static void test_format_is_snprintf_like(void **state)
{
    (void)state;
    vf_restful_uri uri = parse_ok("unix:///tmp/vf.sock");
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(vf_restful_uri_format(&uri, small, sizeof small),
                     strlen("unix:///tmp/vf.sock"));
    assert_string_equal(small, "unix://");
    assert_int_equal(vf_restful_uri_format(&uri, NULL, 0), strlen("unix:///tmp/vf.sock"));
    assert_int_equal(vf_restful_uri_format(NULL, small, sizeof small), strlen("none://"));
    assert_string_equal(small, "none://");

    /* The longest text fits VF_RESTFUL_URI_TEXT_MAX. */
    vf_restful_uri worst;
    memset(&worst, 0, sizeof worst);
    worst.scheme = VF_REST_SCHEME_TCP;
    memset(worst.host, '%', VF_RESTFUL_HOST_MAX);
    assert_true(vf_restful_uri_format(&worst, NULL, 0) < VF_RESTFUL_URI_TEXT_MAX);
    worst.scheme = VF_REST_SCHEME_UNIX;
    memset(worst.path, '?', VF_RESTFUL_UNIX_PATH_MAX);
    assert_true(vf_restful_uri_format(&worst, NULL, 0) < VF_RESTFUL_URI_TEXT_MAX);
}

/* A host:port over the library's fixed room is refused, not cut. */
static void test_host_limit(void **state)
{
    (void)state;
    char text[400] = "tcp://";
    memset(text + 6, 'h', VF_RESTFUL_HOST_MAX - 5);
    strcpy(text + 6 + VF_RESTFUL_HOST_MAX - 5, ":8080");
    assert_int_equal(strlen(parse_ok(text).host), VF_RESTFUL_HOST_MAX);
    memmove(text + 7, text + 6, strlen(text + 6) + 1);
    assert_refused(text, VF_ERR_LIMIT, "longer than 255 bytes");
}

/* The state and state-change names vfkit uses on the wire. */
static void test_state_names(void **state)
{
    (void)state;
    assert_string_equal(vf_rest_state_name(VF_REST_STATE_RUNNING), "VirtualMachineStateRunning");
    assert_string_equal(vf_rest_state_name(VF_REST_STATE_STOPPED), "VirtualMachineStateStopped");
    assert_string_equal(vf_rest_state_name(VF_REST_STATE_RESTORING),
                        "VirtualMachineStateRestoring");
    assert_null(vf_rest_state_name(VF_REST_STATE_UNKNOWN));
    assert_null(vf_rest_state_name((vf_rest_state)99));
    for (int s = VF_REST_STATE_STOPPED; s <= VF_REST_STATE_RESTORING; s++)
        assert_int_equal(vf_rest_state_from_name(vf_rest_state_name((vf_rest_state)s)), s);
    assert_int_equal(vf_rest_state_from_name("VirtualMachineStateSleeping"), VF_REST_STATE_UNKNOWN);
    assert_int_equal(vf_rest_state_from_name("virtualmachinestaterunning"), VF_REST_STATE_UNKNOWN);
    assert_int_equal(vf_rest_state_from_name(NULL), VF_REST_STATE_UNKNOWN);
    assert_string_equal(vf_rest_state_change_name(VF_REST_CHANGE_PAUSE), "Pause");
    assert_string_equal(vf_rest_state_change_name(VF_REST_CHANGE_RESUME), "Resume");
    assert_string_equal(vf_rest_state_change_name(VF_REST_CHANGE_STOP), "Stop");
    assert_string_equal(vf_rest_state_change_name(VF_REST_CHANGE_HARD_STOP), "HardStop");
    assert_null(vf_rest_state_change_name((vf_rest_state_change)4));
}

/* The VM keeps --restful-uri as written, prints it back and carries it in
 * JSON; a value vfkit would refuse at start is refused when read. */
static void test_vm_launch_flag(void **state)
{
    (void)state;
    const char *const good[] = {"--bootloader", "efi,variable-store=/x", "--restful-uri",
                                "http://localhost:8081", NULL};
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline(good, &err);
    assert_non_null(vm);
    assert_string_equal(vm->restful_uri, "http://localhost:8081");
    char **argv = vf_vm_to_cmdline(vm, &err);
    assert_non_null(argv);
    size_t n = vf_strv_length(argv);
    assert_true(n >= 2);
    assert_string_equal(argv[n - 2], "--restful-uri");
    assert_string_equal(argv[n - 1], "http://localhost:8081");
    char *json = vf_vm_to_json(vm, &err);
    assert_non_null(json);
    vf_vm *back = vf_vm_from_json(json, &err);
    assert_non_null(back);
    assert_string_equal(back->restful_uri, "http://localhost:8081");
    vf_restful_uri uri = parse_ok(back->restful_uri);
    assert_int_equal(uri.scheme, VF_REST_SCHEME_TCP);
    vf_vm_free(back);
    free(json);
    vf_strv_free(argv);
    vf_vm_free(vm);

    const char *const bad[] = {"--bootloader", "efi,variable-store=/x", "--restful-uri",
                               "tcp://localhost", NULL};
    assert_null(vf_vm_from_cmdline(bad, &err));
    assert_non_null(
        strstr(err.text, "--restful-uri: invalid TCP uri: missing port: \"tcp://localhost\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_go_parse_restful_uri),
        cmocka_unit_test(test_go_schemes),
        cmocka_unit_test(test_default_and_empty),
        cmocka_unit_test(test_unix_path_limit),
        cmocka_unit_test(test_tcp_rules),
        cmocka_unit_test(test_tcp_port_range),
        cmocka_unit_test(test_unix_rules),
        cmocka_unit_test(test_go_parse_request_uri),
        cmocka_unit_test(test_escapes_round_trip),
        cmocka_unit_test(test_format_is_snprintf_like),
        cmocka_unit_test(test_host_limit),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_vm_launch_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
