/*
 * The C++ layer (include/vfconfig/vfconfig.hpp): ownership and moves, typed
 * constructors and checked access, strings in and out, errors thrown and
 * returned. Built as C++17 and C++20 (warnings as errors, -Wold-style-cast
 * -Wconversion) and once with -fno-exceptions, where only the
 * non-throwing functions exist. Expected command lines are vfkit's syntax
 * (the Go package's ToCmdLine).
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <vfconfig/vfconfig.hpp>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include <cerrno>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace
{

int failures = 0;

#define CHECK(cond)                                                                             \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, __func__, \
                         #cond);                                                                \
            failures++;                                                                         \
        }                                                                                       \
    } while (0)

const std::vector<std::string> expected_args = {
    "--cpus",       "4",
    "--memory",     "2048",
    "--bootloader", "efi,variable-store=/vm/efi-store,create",
    "--device",     "virtio-blk,path=/vm/disk.raw",
    "--device",     "virtio-rng",
    "--device",     "virtio-fs,sharedDir=/Users/me,mountTag=home",
    "--device",     "virtio-net,unixSocketPath=/tmp/gvproxy.sock,mac=5a:94:ef:e4:0c:ee",
};

static_assert(!std::is_copy_constructible<vfconfig::vm>::value, "one owner");
static_assert(std::is_nothrow_move_constructible<vfconfig::vm>::value, "movable");
static_assert(std::is_nothrow_move_assignable<vfconfig::virtio_blk>::value, "movable");
static_assert(std::is_convertible<vfconfig::virtio_net &&, vfconfig::device>::value,
              "a typed device moves into a device");
static_assert(!std::is_convertible<vfconfig::device &&, vfconfig::virtio_net>::value,
              "no unchecked downcast");

// The README's VM, without exceptions.
vfconfig::vm build_nothrow(vf_error &err)
{
    vfconfig::vm vm = vfconfig::vm::create(
        4, 2048, vfconfig::efi_bootloader_new("/vm/efi-store", true, err), err);
    if (!vm)
        return vm;
    vfconfig::virtio_net net = vfconfig::virtio_net_new("5a:94:ef:e4:0c:ee", err);
    if (!net || !vfconfig::set_unix_socket_path(net, "/tmp/gvproxy.sock", err))
        return vfconfig::vm();
    if (!vm.add(vfconfig::virtio_blk_new("/vm/disk.raw", err), err) ||
        !vm.add(vfconfig::virtio_rng_new(err), err) ||
        !vm.add(vfconfig::virtio_fs_new("/Users/me", "home", err), err) ||
        !vm.add(std::move(net), err))
        return vfconfig::vm();
    return vm;
}

void test_nothrow()
{
    vf_error err{};
    vfconfig::vm vm = build_nothrow(err);
    CHECK(vm);
    CHECK(err.code == 0);
    std::vector<std::string> args;
    CHECK(vm.to_cmdline(args, err));
    CHECK(args == expected_args);

    std::string json;
    CHECK(vm.to_json(json, err));
    vfconfig::vm again = vfconfig::vm::from_json(json, err);
    CHECK(again);
    std::vector<std::string> args_again;
    CHECK(again.to_cmdline(args_again, err));
    CHECK(args_again == expected_args);

    // Errors come back in err, with the option and value named.
    vfconfig::device bad = vfconfig::device_from_cmdline("virtio-vsock,port=abc", err);
    CHECK(!bad);
    CHECK(err.code == VF_ERR_INVALID);
    CHECK(std::strstr(err.text, "port") != nullptr && std::strstr(err.text, "abc") != nullptr);

    err = vf_error{};
    CHECK(!vfconfig::vm::from_json("{\"vcpus\": \"four\"}", err));
    CHECK(err.code == VF_ERR_JSON);

    // An empty device (a failed allocation) is refused, not dereferenced.
    err = vf_error{};
    CHECK(!vm.add(vfconfig::virtio_rng(), err));
    CHECK(err.code < 0);
}

void test_moves_and_access()
{
    vf_error err{};
    vfconfig::virtio_blk blk = vfconfig::virtio_blk_new("/vm/disk.raw", err);
    CHECK(blk);
    vf_virtio_blk *raw = blk.get();
    vfconfig::virtio_blk moved = std::move(blk);
    CHECK(!blk);
    CHECK(moved.get() == raw);

    // The upcast keeps the object; an empty one stays empty.
    vfconfig::device dev = std::move(moved);
    CHECK(!moved);
    CHECK(dev.get() == &raw->base);
    vfconfig::device none = vfconfig::virtio_blk();
    CHECK(!none);

    // Checked access, const kept; the wrong kind and nullptr give nullptr.
    CHECK(vfconfig::as<vf_virtio_blk>(dev.get()) == raw);
    const vfconfig::device &cdev = dev;
    const vf_virtio_blk *cblk = vfconfig::as<vf_virtio_blk>(cdev.get());
    CHECK(cblk == raw);
    CHECK(vfconfig::as<vf_virtio_net>(dev.get()) == nullptr);
    CHECK(vfconfig::as<vf_virtio_net>(static_cast<vf_device *>(nullptr)) == nullptr);
    CHECK(vfconfig::str(cblk->disk.image_path) == "/vm/disk.raw");

    // String fields: copied with malloc, freed by the library.
    CHECK(vfconfig::set_string(raw->device_identifier, "serial-1", err));
    vfconfig::vm vm = vfconfig::vm::create(1, 512, vfconfig::bootloader(), err);
    CHECK(vm.add(std::move(dev), err));
    CHECK(vm.add(vfconfig::virtio_fs_new("/a", "tag-a", err), err));
    CHECK(vm.add(vfconfig::virtio_fs_new("/b", "tag-b", err), err));
    const vfconfig::vm &cvm = vm;
    std::vector<const vf_virtio_fs *> shares = cvm.devices_of<vf_virtio_fs>();
    CHECK(shares.size() == 2);
    CHECK(shares.size() == 2 && vfconfig::str(shares[1]->sharing.mount_tag) == "tag-b");
    CHECK(vm.devices_of<vf_virtio_blk>().size() == 1);
    CHECK(cvm.devices().size() == 3);

    vfconfig::bootloader bl =
        vfconfig::linux_bootloader_new("/vm/vmlinuz", "console=hvc0", "/vm/initrd", err);
    CHECK(vfconfig::as_bootloader<vf_efi_bootloader>(bl.get()) == nullptr);
    const vf_linux_bootloader *lin =
        vfconfig::as_bootloader<vf_linux_bootloader>(static_cast<const vf_bootloader *>(bl.get()));
    CHECK(lin != nullptr && vfconfig::str(lin->kernel_cmdline) == "console=hvc0");
    vm.set_bootloader(std::move(bl));
    CHECK(!bl);

    std::vector<std::string> args;
    CHECK(vm.to_cmdline(args, err));
    const std::vector<std::string> want = {
        "--cpus",           "1",
        "--memory",         "512",
        "--kernel",         "/vm/vmlinuz",
        "--initrd",         "/vm/initrd",
        "--kernel-cmdline", "console=hvc0",
        "--device",         "virtio-blk,path=/vm/disk.raw,deviceId=serial-1",
        "--device",         "virtio-fs,sharedDir=/a,mountTag=tag-a",
        "--device",         "virtio-fs,sharedDir=/b,mountTag=tag-b",
    };
    CHECK(args == want);

    // The command: vfkit's path first, then the same arguments.
    vfconfig::cmd cmd = vm.command("/usr/local/bin/vfkit", err);
    CHECK(cmd);
    std::vector<std::string> argv = cmd.argv();
    CHECK(!argv.empty() && argv[0] == "/usr/local/bin/vfkit");
    CHECK(argv.size() == want.size() + 1);
    CHECK(cmd.fds().empty());

    vfconfig::vm copy = vm.clone(err);
    std::vector<std::string> copy_args;
    CHECK(copy && copy.to_cmdline(copy_args, err) && copy_args == want);
}

// The graceful stop without a REST client: SIGTERM ends a process that
// does not catch it.
void test_stop_by_signal()
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sleep", "sleep", "30", static_cast<char *>(nullptr));
        _exit(127);
    }
    CHECK(pid > 0);
    vfconfig::rest_client none;
    vf_stop_options options{};
    options.term_timeout_ms = 5000;
    options.kill_timeout_ms = 5000;
    options.poll_interval_ms = 10;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    vf_error err{};
    CHECK(vfconfig::stop_gracefully(none, pid, &options, step, err));
    CHECK(step == VF_STOP_BY_SIGTERM);
}

// A child that has run exec: the pipe's write end closes on exec, so the
// read returns once the child runs @p path (or has failed to).
pid_t run_after_exec(const char *path, const char *arg)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);
        execl(path, path, arg, static_cast<char *>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    char byte;
    while (pid > 0 && read(fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    close(fds[0]);
    return pid;
}

// The process handle: attached to a running child it sees it run and
// stops it by SIGTERM without a REST client; spawned from a command it
// reports the exit code.
void test_process()
{
    pid_t pid = run_after_exec("/bin/sleep", "30");
    CHECK(pid > 0);
    vf_error err{};
    vfconfig::process sleeper = vfconfig::process::attach(pid, "sleep", err);
    CHECK(sleeper && sleeper.pid() == pid && sleeper.running());
    vfconfig::process other = vfconfig::process::attach(pid, "vfkit", err);
    CHECK(!other && err.code == VF_ERR_EXITED);
    vfconfig::rest_client none;
    vf_stop_policy policy = VF_STOP_POLICY_INIT;
    policy.poll_interval_ms = 10;
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    CHECK(sleeper.stop(none, &policy, step, err) && step == VF_STOP_BY_SIGTERM);
    CHECK(!sleeper.running());
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);

    vfconfig::vm vm =
        vfconfig::vm::create(1, 512, vfconfig::efi_bootloader_new("/vm/efi-store", true, err), err);
    vfconfig::cmd cmd = vm.command("/usr/bin/false", err);
    vfconfig::process quick = vfconfig::process::spawn(cmd, nullptr, err);
    CHECK(quick && quick.pid() > 0);
    vf_exit_status exit{};
    CHECK(quick.wait(5000, exit, err) && exit.kind == VF_EXIT_CODE && exit.value == 1);
}

#if VFCONFIG_HPP_EXCEPTIONS
void test_throwing()
{
    vfconfig::vm vm =
        vfconfig::vm::create(4, 2048, vfconfig::efi_bootloader_new("/vm/efi-store", true));
    vfconfig::virtio_net net = vfconfig::virtio_net_new("5a:94:ef:e4:0c:ee");
    vfconfig::set_unix_socket_path(net, "/tmp/gvproxy.sock");
    vm.add(vfconfig::virtio_blk_new("/vm/disk.raw"));
    vm.add(vfconfig::virtio_rng_new());
    vm.add(vfconfig::virtio_fs_new("/Users/me", "home"));
    vm.add(std::move(net));
    CHECK(vm.to_cmdline() == expected_args);
    CHECK(vfconfig::vm::from_json(vm.to_json(VF_JSON_PRETTY)).to_cmdline() == expected_args);
    // Reading a command line opens virtio-blk images: one without a disk.
    const std::vector<std::string> no_disk = {
        "--cpus",       "2",
        "--memory",     "512",
        "--bootloader", "efi,variable-store=/vm/efi,create",
        "--device",     "virtio-rng",
    };
    CHECK(vfconfig::vm::from_cmdline(no_disk).to_cmdline() == no_disk);

    bool thrown = false;
    try {
        vm.add(vfconfig::device_from_cmdline("virtio-vsock,port=abc"));
    } catch (const vfconfig::error &e) {
        thrown = true;
        CHECK(e.code() == VF_ERR_INVALID);
        CHECK(std::strstr(e.what(), "abc") != nullptr);
        CHECK(e.c_error().code == VF_ERR_INVALID);
    }
    CHECK(thrown);

    thrown = false;
    try {
        vfconfig::vm::from_cmdline({"--cpus", "2", "--memory", "512", "--device", "virtio-rng"});
    } catch (const vfconfig::error &e) {
        thrown = true;
        CHECK(std::strstr(e.what(), "bootloader") != nullptr);
    }
    CHECK(thrown);

    thrown = false;
    try {
        vfconfig::rest_client::create("ftp://host");
    } catch (const vfconfig::error &e) {
        thrown = true;
        CHECK(e.code() == VF_ERR_INVALID);
    }
    CHECK(thrown);

    // A failure names where it is when the library says so.
    thrown = false;
    try {
        vfconfig::vm::from_json("{\"devices\":[{\"kind\":\"virtiofs\",\"sharedDir\":\"/a,b\","
                                "\"mountTag\":\"t\"}],\"bootloader\":{\"kind\":\"efiBootloader\","
                                "\"efiVariableStorePath\":\"/e\",\"createVariableStore\":true}}")
            .to_cmdline();
    } catch (const vfconfig::error &e) {
        thrown = true;
        CHECK(e.code() == VF_ERR_AMBIGUOUS);
        CHECK(std::strstr(e.what(), "sharedDir") != nullptr);
    }
    CHECK(thrown);
}
#endif

} // namespace

int main()
{
    test_nothrow();
    test_moves_and_access();
    test_stop_by_signal();
    test_process();
#if VFCONFIG_HPP_EXCEPTIONS
    test_throwing();
    std::printf("vfconfig.hpp (C++%ld, exceptions): %s\n", (__cplusplus / 100) % 100,
                failures == 0 ? "ok" : "FAILED");
#else
    std::printf("vfconfig.hpp (C++%ld, no exceptions): %s\n", (__cplusplus / 100) % 100,
                failures == 0 ? "ok" : "FAILED");
#endif
    return failures == 0 ? 0 : 1;
}
