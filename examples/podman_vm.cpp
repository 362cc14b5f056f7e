/*
 * examples/podman_vm.c in C++17 with <vfconfig/vfconfig.hpp>: the VM
 * `podman machine` sets up on macOS (EFI with a variable store, a raw disk,
 * entropy, a serial log, a vsock port, gvproxy's network, two shares,
 * Rosetta, the REST API). Every object has one owner and is freed on every
 * path; errors are exceptions carrying the library's message; no cast.
 * Prints vfkit's arguments, one a line, or with --json the VM as JSON.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <cstdio>
#include <string>
#include <string_view>

#include <vfconfig/vfconfig.hpp>

namespace
{

constexpr std::string_view machine_dir = "/Users/me/.local/share/containers/podman/machine/applehv";
constexpr std::string_view runtime_dir = "/var/folders/k7/T/podman";

std::string in(std::string_view dir, std::string_view name)
{
    return std::string(dir) + "/" + std::string(name);
}

vfconfig::vm podman_machine()
{
    vfconfig::vm vm = vfconfig::vm::create(
        4, 2048,
        vfconfig::efi_bootloader_new(in(machine_dir, "efi-bl-podman-machine-default"), true));

    vm.add(vfconfig::virtio_blk_new(in(machine_dir, "podman-machine-default-arm64.raw")));
    vm.add(vfconfig::virtio_rng_new());
    vm.add(vfconfig::virtio_serial_new(in(machine_dir, "podman-machine-default.log")));
    // The guest connects to vsock port 1025 when it is up; podman listens on the socket.
    vm.add(vfconfig::virtio_vsock_new(1025, in(runtime_dir, "podman-machine-default.sock"), true));

    // gvproxy provides the network; vfkit sends it the magic datagram first.
    vfconfig::virtio_net net = vfconfig::virtio_net_new("5a:94:ef:e4:0c:ee");
    vfconfig::set_unix_socket_path(net, in(runtime_dir, "podman-machine-default-gvproxy.sock"));
    vm.add(std::move(net));

    // Shared folders; podman mounts them in the guest by these tags.
    vm.add(vfconfig::virtio_fs_new("/Users", "a2a0ee2c717462feb1de2f5afd59de5fd2d8"));
    vm.add(vfconfig::virtio_fs_new("/private", "71708eb255bc230cd7c91dd26f7667a7b938"));

    // Rosetta runs x86_64 binaries; carry on without it on an Intel Mac.
    vfconfig::rosetta_share rosetta = vfconfig::rosetta_share_new("rosetta");
    rosetta->ignore_if_missing = true;
    vm.add(std::move(rosetta));

    // podman talks to vfkit's REST API to stop the VM.
    vfconfig::set_string(vm->restful_uri, "tcp://localhost:49231");
    return vm;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        const vfconfig::vm vm = podman_machine();
        if (argc > 1 && std::string_view(argv[1]) == "--json") {
            std::puts(vm.to_json(VF_JSON_PRETTY).c_str());
        } else {
            for (const std::string &arg : vm.to_cmdline())
                std::puts(arg.c_str());
        }
        // Read-only access to the devices, typed, without a cast.
        for (const vf_virtio_fs *fs : vm.devices_of<vf_virtio_fs>())
            std::fprintf(stderr, "share %s as %s\n", fs->shared_dir, fs->sharing.mount_tag);
    } catch (const vfconfig::error &e) {
        std::fprintf(stderr, "podman_vm: %s\n", e.what());
        return 1;
    }
    return 0;
}
