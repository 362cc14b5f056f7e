/*
 * A fake vfkit for examples/lifecycle: reads vfkit's flags with the library,
 * serves vfkit's REST API on the --restful-uri (a unix socket) a moment
 * after it starts, and exits once its VM has stopped. /vm/inspect answers
 * the VM its flags describe. SIGTERM ends it at once, socket removed.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>
#include <vfconfig/rest.h>

#include "rest_server.h"

static char socket_path[VF_RESTFUL_UNIX_PATH_MAX + 1];

static void on_sigterm(int signo)
{
    (void)signo;
    unlink(socket_path); /* async-signal-safe, as _exit */
    _exit(0);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc < 1)
        return 2;
    vf_error err = {0};
    vf_vm *vm = vf_vm_from_cmdline((const char *const *)argv + 1, &err);
    vf_restful_uri uri;
    if (vm == NULL || vf_restful_uri_parse(vm->restful_uri, &uri, &err) != 0 ||
        uri.scheme != VF_REST_SCHEME_UNIX) {
        fprintf(stderr, "fake vfkit: %s\n",
                vm ? (err.text[0] ? err.text : "no unix --restful-uri") : err.text);
        vf_vm_free(vm);
        return 2;
    }
    memcpy(socket_path, uri.path, sizeof socket_path);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigterm;
    sigaction(SIGTERM, &sa, NULL);

    /* Without the REST-only fields: vfkit's configuration has none of them. */
    free(vm->restful_uri);
    vm->restful_uri = NULL;
    char *json = vf_vm_to_json(vm, &err);
    rs_config cfg = {.inspect_json = json, .exit_on_stopped = true, .start_delay_ms = 200};
    int rc = json ? rs_serve_path(socket_path, &cfg) : 1;
    free(json);
    vf_vm_free(vm);
    return rc;
}
