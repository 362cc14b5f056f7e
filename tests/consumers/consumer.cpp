/*
 * A C++17 program outside the project, built against an installed
 * libvfconfig with <vfconfig/vfconfig.hpp> (find_package or pkg-config):
 * the same checks as consumer.c, through the C++ layer, without a cast.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <cstdio>
#include <string>
#include <vector>

#include <vfconfig/vfconfig.hpp>

int main()
{
    const std::vector<std::string> expected = {
        "--cpus",       "2",
        "--memory",     "1024",
        "--bootloader", "efi,variable-store=/vm/efi,create",
        "--device",     "virtio-rng",
        "--device",     "virtio-fs,sharedDir=/Users/me,mountTag=home",
    };
    try {
        vfconfig::vm vm =
            vfconfig::vm::create(2, 1024, vfconfig::efi_bootloader_new("/vm/efi", true));
        vm.add(vfconfig::virtio_rng_new());
        vm.add(vfconfig::virtio_fs_new("/Users/me", "home"));
        if (vm.to_cmdline() != expected ||
            vfconfig::vm::from_json(vm.to_json()).to_cmdline() != expected) {
            std::fprintf(stderr, "consumer (C++17 layer): unexpected command line\n");
            return 1;
        }
#if VF_HAVE_REST
        vfconfig::rest_client client = vfconfig::rest_client::create("tcp://localhost:8081");
#endif
        std::printf("consumer (C++17 layer): libvfconfig %s, %zu arguments, JSON round trip ok,"
                    " REST client %s\n",
                    vf_version_string(), expected.size(), VF_HAVE_REST ? "ok" : "not built");
    } catch (const vfconfig::error &e) {
        std::fprintf(stderr, "consumer (C++17 layer): %s\n", e.what());
        return 1;
    }
    return 0;
}
