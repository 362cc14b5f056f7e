/*
 * lifecycle [VFKIT [DIR]]: start a VM as podman's StartGenericAppleVM does,
 * stop it as minikube does. In DIR (default: a new /tmp/vfconfig-lc-XXXXXX): the ready socket
 * (vsock 1025), Ignition's (vsock 1024), vfkit's REST socket, its pidfile.
 * SIGINT and SIGTERM are passed on to vfkit. The stop is "Stop", SIGTERM,
 * SIGKILL: no HardStop, as minikube (vfkit issue 277). VFKIT defaults to
 * "vfkit" on the PATH. Without libcurl the stop uses signals only.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>

static const char *const step_names[] = {"not running", "Stop", "HardStop", "SIGTERM", "SIGKILL"};

int main(int argc, char **argv)
{
    const char *vfkit = argc > 1 ? argv[1] : "vfkit";
    char dir[64] = "/tmp/vfconfig-lc-XXXXXX", ready_sock[96], ign_sock[96], ign_file[96];
    char api[112], pidfile[96];
    if (argc > 2)
        snprintf(dir, sizeof dir, "%s", argv[2]);
    else if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(ready_sock, sizeof ready_sock, "%s/ready.sock", dir);
    snprintf(ign_sock, sizeof ign_sock, "%s/ignition.sock", dir);
    snprintf(ign_file, sizeof ign_file, "%s/config.ign", dir);
    snprintf(api, sizeof api, "unix://%s/api.sock", dir);
    snprintf(pidfile, sizeof pidfile, "%s/vfkit.pid", dir);
    FILE *f = fopen(ign_file, "w"); /* podman generates the machine's config here */
    if (f == NULL || fputs("{\"ignition\":{\"version\":\"3.4.0\"}}\n", f) < 0 || fclose(f) != 0)
        return 1;

    vf_error err;
    vf_vm *vm = vf_vm_new(2, 2048, (vf_bootloader *)vf_efi_bootloader_new("efi-store", true));
    vf_ready *ready = NULL;
    vf_ignition_server *ignition = NULL;
    vf_cmd *cmd = NULL;
    vf_process *proc = NULL;
    vf_restful_uri uri;
    int rc = vm == NULL || (vm->restful_uri = strdup(api)) == NULL ? VF_ERR_NOMEM : 0;
    if (rc == 0)
        rc = vf_vm_add_device(vm, (vf_device *)vf_virtio_rng_new(), &err);
    /* The sockets exist before vfkit starts: the guest may be quick. */
    if (rc == 0)
        rc = vf_ready_listen(vm, VF_READY_VSOCK_PORT, ready_sock, &ready, &err);
    if (rc == 0)
        rc = vf_ignition_server_new(vm, ign_file, ign_sock, &ignition, &err);
    if (rc == 0)
        rc = vf_restful_uri_parse(vm->restful_uri, &uri, &err);
    if (rc == 0)
        rc = vf_vm_cmd(vm, vfkit, &cmd, &err);
    if (rc == 0)
        rc = vf_process_spawn(cmd, NULL, &proc, &err);
    if (rc == 0)
        rc = vf_process_write_pidfile(proc, pidfile, &err);
    if (rc == 0)
        rc = vf_process_forward_signals(proc, &err);
    if (rc == 0) {
        printf("started %s, pid %ld\n", vfkit, (long)vf_process_pid(proc));
        /* Serves Ignition meanwhile; ends at once if vfkit exits. */
        rc = vf_ready_wait(ready, proc, ignition, 120000, &err);
    }
    if (rc == 0)
        printf("the guest is ready (Ignition %s)\n",
               vf_ignition_server_served(ignition) ? "served" : "not fetched");
    else
        fprintf(stderr, "lifecycle: %s\n", err.text);

    vf_rest_client *client = proc != NULL ? vf_rest_client_new(&uri, NULL) : NULL;
    vf_rest_state_info info;
    if (client != NULL && vf_rest_wait_ready(client, vf_process_pid(proc), 30000, &err) == 0 &&
        vf_rest_get_state(client, &info, &err) == 0)
        printf("state: %s\n", info.name);

    if (proc != NULL) {
        vf_stop_policy policy = VF_STOP_POLICY_INIT;
        policy.hard_stop.enabled = false;
        vf_stop_step step = VF_STOP_NOT_RUNNING;
        vf_exit_status status;
        char how[96];
        if (vf_process_stop(proc, client, &policy, &step, &err) == 0) {
            printf("stopped: %s\n", step_names[step]);
        } else {
            fprintf(stderr, "lifecycle: %s\n", err.text);
            rc = 1;
        }
        vf_process_wait(proc, VF_WAIT_FOREVER, &status, NULL);
        vf_exit_status_format(&status, how, sizeof how);
        printf("vfkit %s\n", how);
        vf_process_forward_signals_stop();
        unlink(pidfile);
    }
    vf_rest_client_free(client);
    vf_process_free(proc);
    vf_cmd_free(cmd);
    vf_ignition_server_free(ignition);
    vf_ready_free(ready);
    vf_vm_free(vm);
    unlink(ign_file);
    rmdir(dir); /* when empty */
    return rc == 0 ? 0 : 1;
}
