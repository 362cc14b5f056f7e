/*
 * lifecycle: start a VM's vfkit, wait until its REST service answers, ask
 * it how the VM is doing, then stop it gently: "Stop" (the guest shuts
 * down), "HardStop", SIGTERM, SIGKILL, each step only if the last did not
 * do it.
 *
 *   lifecycle [VFKIT [SOCKET]]
 *
 * VFKIT defaults to "vfkit" on the PATH; SOCKET, where vfkit serves its REST
 * API, to /tmp/vfconfig-lifecycle-<pid>.sock. In a build of libvfconfig
 * without libcurl there is no REST client: the VM is stopped with signals.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>
#include <vfconfig/rest.h>

static const char *step_names[] = {
    [VF_STOP_NOT_RUNNING] = "it was not running",
    [VF_STOP_BY_STOP] = "the guest shut down",
    [VF_STOP_BY_HARD_STOP] = "HardStop",
    [VF_STOP_BY_SIGTERM] = "SIGTERM",
    [VF_STOP_BY_SIGKILL] = "SIGKILL",
};

/* Asks the running vfkit for its state and its configuration. */
static void report(vf_rest_client *client)
{
    vf_error err;
    vf_rest_state_info info;
    if (vf_rest_get_state(client, &info, &err) == 0)
        printf("state: %s (can stop: %s, can pause: %s)\n", info.name, info.can_stop ? "yes" : "no",
               info.can_pause ? "yes" : "no");
    else
        fprintf(stderr, "lifecycle: %s\n", err.text);

    vf_vm *running = NULL;
    if (vf_rest_inspect(client, &running, &err) == 0)
        printf("vfkit runs %llu vCPUs, %llu MiB, %zu devices\n", (unsigned long long)running->vcpus,
               (unsigned long long)(running->memory_bytes >> 20), running->n_devices);
    else
        fprintf(stderr, "lifecycle: %s\n", err.text);
    vf_vm_free(running);
}

int main(int argc, char **argv)
{
    const char *vfkit = argc > 1 ? argv[1] : "vfkit";
    char restful_uri[VF_RESTFUL_URI_TEXT_MAX];
    if (argc > 2)
        snprintf(restful_uri, sizeof restful_uri, "unix://%s", argv[2]);
    else
        snprintf(restful_uri, sizeof restful_uri, "unix:///tmp/vfconfig-lifecycle-%ld.sock",
                 (long)getpid());

    /* The VM as vfkit's flags describe it; --restful-uri turns its REST API on. */
    const char *const args[] = {
        "--cpus",
        "2",
        "--memory",
        "2048",
        "--bootloader",
        "efi,variable-store=efi-variable-store,create",
        "--device",
        "virtio-rng",
        "--restful-uri",
        restful_uri,
        NULL,
    };
    vf_error err;
    vf_vm *vm = vf_vm_from_cmdline(args, &err);
    vf_restful_uri uri;
    if (vm == NULL || vf_restful_uri_parse(vm->restful_uri, &uri, &err) != 0) {
        fprintf(stderr, "lifecycle: %s\n", err.text);
        vf_vm_free(vm);
        return 1;
    }

    vf_cmd *cmd = NULL;
    pid_t pid = 0;
    int rc = vf_vm_cmd(vm, vfkit, &cmd, &err);
    if (rc == 0)
        rc = vf_cmd_spawn(cmd, NULL, &pid, &err);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
    if (rc != 0) {
        fprintf(stderr, "lifecycle: %s\n", err.text);
        return 1;
    }
    printf("started %s, pid %ld, REST API on %s\n", vfkit, (long)pid, restful_uri);

    /* NULL in a build without libcurl: the stop below then uses signals only. */
    vf_rest_client *client = vf_rest_client_new(&uri, &err);
    if (client == NULL) {
        fprintf(stderr, "lifecycle: %s\n", err.text);
    } else if (vf_rest_wait_ready(client, pid, 30000, &err) != 0) {
        fprintf(stderr, "lifecycle: %s\n", err.text);
    } else {
        printf("vfkit answers\n");
        report(client);
    }

    vf_stop_options options = {.stop_timeout_ms = 30000}; /* the rest: defaults */
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    rc = vf_vm_stop_gracefully(client, pid, &options, &step, &err);
    vf_rest_client_free(client);
    if (rc != 0)
        fprintf(stderr, "lifecycle: %s\n", err.text);
    else
        printf("stopped: %s\n", step_names[step]);

    /* The library never reaps the process: that is ours to do. */
    int status = 0;
    if (waitpid(pid, &status, 0) == pid) {
        if (WIFEXITED(status))
            printf("vfkit exited with status %d\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
            printf("vfkit ended by signal %d\n", WTERMSIG(status));
    }
    return rc == 0 ? 0 : 1;
}
