/*
 * libvfconfig - usb-mass-storage: a USB disk on an image.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "vfconfig/vfconfig.h"
#include "launcher/krunkit.h"
#include "launcher/launcher.h"
#include "model/device_ops.h"
#include "model/devices/disk.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/str.h"

vf_usb_mass_storage *vf_usb_mass_storage_new(const char *image_path)
{
    return VF__DEVICE_AS(vf_usb_mass_storage, vf__disk_new(VF_DEVICE_USB_MASS_STORAGE, image_path));
}

void vf_usb_mass_storage_set_read_only(vf_usb_mass_storage *usb, bool read_only)
{
    if (usb != NULL)
        usb->disk.storage.read_only = read_only;
}

static const vf__field fields[] = {VF__DISK_FIELDS(vf_usb_mass_storage)};

/* vfkit: 'readonly' arrived in v0.6.0, 'type' in v0.6.2. */
static const vf__since vfkit_since[] = {
    {"readonly", VF__RELEASE(0, 6, 0)},
    {"type", VF__RELEASE(0, 6, 2)},
};

const vf__device_ops vf__usb_mass_storage_ops = VF__DEVICE_OPS(
    VF_DEVICE_USB_MASS_STORAGE, "usb-mass-storage", "usbmassstorage", vf_usb_mass_storage,
    vf__disk_init, vf__disk_apply_options, vf__disk_write_cmdline, fields,
    VF__LAUNCHERS(VF__SINCE(vfkit_since), VF__SINCE_NONE, NULL, NULL));
