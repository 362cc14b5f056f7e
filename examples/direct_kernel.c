/*
 * A Linux VM booted straight from a kernel and initrd, whose network card
 * is one end of a datagram socketpair: this program keeps the other end,
 * where a user-space network stack would read and write the guest's
 * Ethernet frames. vf_vm_cmd() numbers the socket for vfkit (fd=3) and
 * vf_cmd_spawn() starts vfkit with exactly stdin, stdout, stderr and it.
 *
 * Usage: direct_kernel VFKIT [KERNEL INITRD]
 * Prints the command, waits for the first frame from the guest, then for
 * vfkit to exit. (examples/vfkit-stand-in.sh plays vfkit where there is none.)
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vfconfig/vfconfig.h>

static void die(const char *what, const vf_error *err)
{
    fprintf(stderr, "direct_kernel: %s: %s\n", what, err != NULL ? err->text : "out of memory");
    exit(1);
}

static vf_vm *linux_vm(const char *kernel, const char *initrd, int net_fd)
{
    vf_error err;
    vf_linux_bootloader *boot =
        vf_linux_bootloader_new(kernel, "console=hvc0 root=/dev/vda", initrd);
    if (boot == NULL)
        die("bootloader", NULL);
    vf_vm *vm = vf_vm_new(2, 1024, &boot->base);
    if (vm == NULL)
        die("new VM", NULL);

    /* The guest's console on vfkit's standard input and output. */
    if (vf_vm_add_device(vm, (vf_device *)vf_virtio_serial_new_stdio(), &err) != 0)
        die("serial", &err);

    vf_virtio_net *net = vf_virtio_net_new("52:54:00:12:34:56", &err);
    if (net == NULL)
        die("virtio-net", &err);
    vf_virtio_net_set_socket(net, net_fd); /* borrowed: the VM never closes it */
    if (vf_vm_add_device(vm, &net->base, &err) != 0)
        die("virtio-net", &err);
    return vm;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: direct_kernel VFKIT [KERNEL INITRD]\n");
        return 2;
    }
    const char *kernel = argc == 4 ? argv[2] : "/Users/me/vm/vmlinuz";
    const char *initrd = argc == 4 ? argv[3] : "/Users/me/vm/initrd.img";

    /* vfkit wants a connected datagram socket: one frame per datagram. */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) {
        perror("direct_kernel: socketpair");
        return 1;
    }
    vf_vm *vm = linux_vm(kernel, initrd, sv[1]);

    vf_error err;
    vf_cmd *cmd;
    if (vf_vm_cmd(vm, argv[1], &cmd, &err) != 0)
        die("command", &err);
    for (size_t i = 0; cmd->argv[i] != NULL; i++)
        puts(cmd->argv[i]);
    for (size_t i = 0; i < cmd->n_fds; i++)
        printf("(our fd %d is fd %zu in vfkit)\n", cmd->fds[i], 3 + i);
    fflush(stdout); /* before the child writes to the same stdout */

    pid_t pid;
    if (vf_cmd_spawn(cmd, NULL, &pid, &err) != 0)
        die("spawn", &err);
    vf_cmd_free(cmd);
    vf_vm_free(vm);
    close(sv[1]); /* vfkit has its own copy now */

    char frame[65536];
    ssize_t n = recv(sv[0], frame, sizeof frame, 0);
    if (n < 0) {
        perror("direct_kernel: recv");
        return 1;
    }
    printf("first frame from the guest: %zd bytes\n", n);
    close(sv[0]);

    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("direct_kernel: waitpid");
        return 1;
    }
    printf("vfkit exited with status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
