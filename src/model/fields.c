/*
 * libvfconfig - the Go package's struct fields as data.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each table lists a component's JSON keys in the order Go's encoding/json
 * writes them (embedded structs inlined where they are embedded), with the
 * `omitempty` rule of each. JSON reading and writing, freeing and cloning
 * all walk these tables instead of repeating a switch per type.
 */
#include <stddef.h>

#include "vfconfig/vfconfig.h"
#include "model/fields.h"
#include "util/alloc.h"
#include "util/macros.h"

#define FIELD(type_, member, name, t, flags) \
    { name, t, offsetof(type_, member), flags }
#define OMIT VF__FIELD_OMITEMPTY

/* ---- bootloaders ---- */
const vf__field vf__linux_bootloader_fields[] = {
    FIELD(vf_linux_bootloader, vmlinuz_path, "vmlinuzPath", VF__FIELD_STRING, 0),
    FIELD(vf_linux_bootloader, kernel_cmdline, "kernelCmdLine", VF__FIELD_STRING, 0),
    FIELD(vf_linux_bootloader, initrd_path, "initrdPath", VF__FIELD_STRING, 0),
};
const size_t vf__n_linux_bootloader_fields = VF__COUNT(vf__linux_bootloader_fields);

const vf__field vf__efi_bootloader_fields[] = {
    FIELD(vf_efi_bootloader, efi_variable_store_path, "efiVariableStorePath", VF__FIELD_STRING, 0),
    FIELD(vf_efi_bootloader, create_variable_store, "createVariableStore", VF__FIELD_BOOL, 0),
};
const size_t vf__n_efi_bootloader_fields = VF__COUNT(vf__efi_bootloader_fields);

const vf__field vf__macos_bootloader_fields[] = {
    FIELD(vf_macos_bootloader, machine_identifier_path, "machineIdentifierPath", VF__FIELD_STRING, 0),
    FIELD(vf_macos_bootloader, hardware_model_path, "hardwareModelPath", VF__FIELD_STRING, 0),
    FIELD(vf_macos_bootloader, aux_image_path, "auxImagePath", VF__FIELD_STRING, 0),
};
const size_t vf__n_macos_bootloader_fields = VF__COUNT(vf__macos_bootloader_fields);

/* ---- small VM components ---- */
const vf__field vf__timesync_fields[] = {
    FIELD(vf_timesync, vsock_port, "vsockPort", VF__FIELD_U32, 0),
};
const size_t vf__n_timesync_fields = VF__COUNT(vf__timesync_fields);

const vf__field vf__ignition_fields[] = {
    FIELD(vf_ignition, config_path, "configPath", VF__FIELD_STRING, 0),
    FIELD(vf_ignition, socket_path, "socketPath", VF__FIELD_STRING, OMIT),
};
const size_t vf__n_ignition_fields = VF__COUNT(vf__ignition_fields);

/* ---- devices (referenced from the kind table in devices.c) ---- */
#define STORAGE(type_, outer)                                                               \
    FIELD(type_, outer.storage.dev_name, "devName", VF__FIELD_STRING, 0),                    \
        FIELD(type_, outer.storage.read_only, "readOnly", VF__FIELD_BOOL, OMIT)
#define DISK(type_)                                                                         \
    STORAGE(type_, disk), FIELD(type_, disk.image_path, "imagePath", VF__FIELD_STRING, OMIT), \
        FIELD(type_, disk.type, "type", VF__FIELD_STRING, OMIT)

const vf__field vf__virtio_blk_fields[] = {
    DISK(vf_virtio_blk),
    FIELD(vf_virtio_blk, device_identifier, "deviceIdentifier", VF__FIELD_STRING, OMIT),
};
const size_t vf__n_virtio_blk_fields = VF__COUNT(vf__virtio_blk_fields);

const vf__field vf__nvme_fields[] = {DISK(vf_nvm_express_controller)};
const size_t vf__n_nvme_fields = VF__COUNT(vf__nvme_fields);

const vf__field vf__usb_mass_storage_fields[] = {DISK(vf_usb_mass_storage)};
const size_t vf__n_usb_mass_storage_fields = VF__COUNT(vf__usb_mass_storage_fields);

/* NBD's own fields carry no json tag in Go: their keys are the Go names. */
const vf__field vf__nbd_fields[] = {
    STORAGE(vf_network_block_device, network),
    FIELD(vf_network_block_device, network.uri, "uri", VF__FIELD_STRING, OMIT),
    FIELD(vf_network_block_device, device_identifier, "DeviceIdentifier", VF__FIELD_STRING, 0),
    FIELD(vf_network_block_device, timeout_ns, "Timeout", VF__FIELD_DURATION, 0),
    FIELD(vf_network_block_device, synchronization_mode, "SynchronizationMode", VF__FIELD_STRING, 0),
};
const size_t vf__n_nbd_fields = VF__COUNT(vf__nbd_fields);

const vf__field vf__virtio_fs_fields[] = {
    FIELD(vf_virtio_fs, sharing.mount_tag, "mountTag", VF__FIELD_STRING, 0),
    FIELD(vf_virtio_fs, shared_dir, "sharedDir", VF__FIELD_STRING, 0),
};
const size_t vf__n_virtio_fs_fields = VF__COUNT(vf__virtio_fs_fields);

const vf__field vf__rosetta_fields[] = {
    FIELD(vf_rosetta_share, sharing.mount_tag, "mountTag", VF__FIELD_STRING, 0),
    FIELD(vf_rosetta_share, install_rosetta, "installRosetta", VF__FIELD_BOOL, 0),
    FIELD(vf_rosetta_share, ignore_if_missing, "ignoreIfMissing", VF__FIELD_BOOL, 0),
};
const size_t vf__n_rosetta_fields = VF__COUNT(vf__rosetta_fields);

/* Go writes `"socket":{}` for a descriptor, which nothing can read back;
 * the library writes the number under "fd" instead (DESIGN.md, difference
 * 6) and refuses "socket" when reading. */
const vf__field vf__virtio_net_fields[] = {
    FIELD(vf_virtio_net, nat, "nat", VF__FIELD_BOOL, 0),
    FIELD(vf_virtio_net, socket_fd, "fd", VF__FIELD_FD, OMIT),
    FIELD(vf_virtio_net, unix_socket_path, "unixSocketPath", VF__FIELD_STRING, OMIT),
    FIELD(vf_virtio_net, vfkit_magic, "vfkitMagic", VF__FIELD_BOOL, OMIT),
    FIELD(vf_virtio_net, mac_address, "macAddress", VF__FIELD_MAC, OMIT),
};
const size_t vf__n_virtio_net_fields = VF__COUNT(vf__virtio_net_fields);

const vf__field vf__virtio_serial_fields[] = {
    FIELD(vf_virtio_serial, log_file, "logFile", VF__FIELD_STRING, OMIT),
    FIELD(vf_virtio_serial, uses_stdio, "usesStdio", VF__FIELD_BOOL, OMIT),
    FIELD(vf_virtio_serial, uses_pty, "usesPty", VF__FIELD_BOOL, OMIT),
    FIELD(vf_virtio_serial, pty_name, "ptyName", VF__FIELD_STRING, OMIT),
};
const size_t vf__n_virtio_serial_fields = VF__COUNT(vf__virtio_serial_fields);

const vf__field vf__virtio_vsock_fields[] = {
    FIELD(vf_virtio_vsock, port, "port", VF__FIELD_U32, 0),
    FIELD(vf_virtio_vsock, socket_url, "socketURL", VF__FIELD_STRING, 0),
    FIELD(vf_virtio_vsock, listen, "listen", VF__FIELD_BOOL, OMIT),
};
const size_t vf__n_virtio_vsock_fields = VF__COUNT(vf__virtio_vsock_fields);

const vf__field vf__virtio_input_fields[] = {
    FIELD(vf_virtio_input, input_type, "inputType", VF__FIELD_STRING, 0),
};
const size_t vf__n_virtio_input_fields = VF__COUNT(vf__virtio_input_fields);

const vf__field vf__virtio_gpu_fields[] = {
    FIELD(vf_virtio_gpu, uses_gui, "usesGUI", VF__FIELD_BOOL, 0),
    FIELD(vf_virtio_gpu, width, "width", VF__FIELD_INT, 0),
    FIELD(vf_virtio_gpu, height, "height", VF__FIELD_INT, 0),
};
const size_t vf__n_virtio_gpu_fields = VF__COUNT(vf__virtio_gpu_fields);

/* ---- generic walks ---- */
void vf__fields_release(void *obj, const vf__field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fields[i].type != VF__FIELD_STRING)
            continue;
        char **slot = (char **)(void *)((char *)obj + fields[i].offset);
        vf__free(*slot);
        *slot = NULL;
    }
}

int vf__fields_clone_strings(void *dst, const void *src, const vf__field *fields, size_t n)
{
    int rc = VF_OK;
    for (size_t i = 0; i < n; i++) {
        if (fields[i].type != VF__FIELD_STRING)
            continue;
        char **to = (char **)(void *)((char *)dst + fields[i].offset);
        const char *from = *(char *const *)(const void *)((const char *)src + fields[i].offset);
        *to = NULL;
        if (rc == VF_OK && from != NULL) {
            *to = vf__strdup(from);
            if (*to == NULL)
                rc = VF_ERR_NOMEM;
        }
    }
    return rc;
}
