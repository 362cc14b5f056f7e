/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file peripherals.h
 * @brief The other devices: rng, balloon, serial, vsock, input and gpu.
 */
#ifndef VFCONFIG_PERIPHERALS_H
#define VFCONFIG_PERIPHERALS_H

#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Input types for vf_virtio_input::input_type. */
#define VF_VIRTIO_INPUT_POINTING "pointing" /**< virtio-input: a pointing device (mouse, tablet). */
#define VF_VIRTIO_INPUT_KEYBOARD "keyboard" /**< virtio-input: a keyboard. */

/* Default virtio-gpu resolution. */
#define VF_VIRTIO_GPU_DEFAULT_WIDTH 800  /**< virtio-gpu width when none is given, in pixels. */
#define VF_VIRTIO_GPU_DEFAULT_HEIGHT 600 /**< virtio-gpu height when none is given, in pixels. */

/** `virtio-rng` (Go: VirtioRng): feeds entropy to the guest. */
typedef struct vf_virtio_rng {
    vf_device base; /**< Common head; `kind` is `VF_DEVICE_VIRTIO_RNG`. */
} vf_virtio_rng;

/** `virtio-balloon` (Go: VirtioBalloon): lets the host reclaim guest memory. */
typedef struct vf_virtio_balloon {
    vf_device base; /**< Common head; `kind` is `VF_DEVICE_VIRTIO_BALLOON`. */
} vf_virtio_balloon;

/** `virtio-serial` (Go: VirtioSerial): exactly one of log_file, uses_stdio, uses_pty. */
typedef struct vf_virtio_serial {
    vf_device base;  /**< Common head; `kind` is `VF_DEVICE_VIRTIO_SERIAL`. */
    char *log_file;  /**< `logFilePath`: write the guest's output to this file. */
    bool uses_stdio; /**< `stdio`: connect to vfkit's standard input and output. */
    bool uses_pty;   /**< `pty`: create a pseudo-terminal. */
    char *pty_name;  /**< Set by vfkit at start (read back from /vm/inspect); never printed. */
} vf_virtio_serial;

/** `virtio-vsock` (Go: VirtioVsock). */
typedef struct vf_virtio_vsock {
    vf_device base; /**< Common head; `kind` is `VF_DEVICE_VIRTIO_VSOCK`. */
    uint32_t port;  /**< vsock port in the guest. */
    /** Unix socket path on the host; printed only when at most ::VF_RESTFUL_UNIX_PATH_MAX bytes. */
    char *socket_url;
    /** true: the host listens on socket_url (`listen`); false: vfkit connects to it (`connect`). */
    bool listen;
} vf_virtio_vsock;

/** `virtio-input` (Go: VirtioInput). */
typedef struct vf_virtio_input {
    vf_device base; /**< Common head; `kind` is `VF_DEVICE_VIRTIO_INPUT`. */
    /** ::VF_VIRTIO_INPUT_KEYBOARD or ::VF_VIRTIO_INPUT_POINTING. */
    char *input_type;
} vf_virtio_input;

/** `virtio-gpu` (Go: VirtioGPU). */
typedef struct vf_virtio_gpu {
    vf_device base; /**< Common head; `kind` is `VF_DEVICE_VIRTIO_GPU`. */
    bool uses_gui;  /**< Show a window: vf_vm_to_cmdline() then prints `--gui`. */
    int64_t width;  /**< `width` of the display, in pixels. */
    int64_t height; /**< `height` of the display, in pixels. */
} vf_virtio_gpu;

/** New entropy device. NULL on allocation failure. */
VF_EXTERN vf_virtio_rng *vf_virtio_rng_new(void);
/** New memory balloon. NULL on allocation failure. */
VF_EXTERN vf_virtio_balloon *vf_virtio_balloon_new(void);

/** New serial port logging to @p log_file_path (copied). NULL on allocation failure. */
VF_EXTERN vf_virtio_serial *vf_virtio_serial_new(const char *log_file_path);
/** New serial port on vfkit's stdin/stdout. NULL on allocation failure. */
VF_EXTERN vf_virtio_serial *vf_virtio_serial_new_stdio(void);
/** New serial port on a pseudo-terminal. NULL on allocation failure. */
VF_EXTERN vf_virtio_serial *vf_virtio_serial_new_pty(void);

/**
 * New vsock device bridging guest @p port to the unix socket @p socket_url
 * (copied); @p listen as in vf_virtio_vsock::listen. NULL on allocation failure.
 */
VF_EXTERN vf_virtio_vsock *vf_virtio_vsock_new(uint32_t port, const char *socket_url, bool listen);

/**
 * New input device of @p input_type (::VF_VIRTIO_INPUT_KEYBOARD or
 * ::VF_VIRTIO_INPUT_POINTING). NULL on another type (::VF_ERR_INVALID) or
 * allocation failure.
 */
VF_EXTERN vf_virtio_input *vf_virtio_input_new(const char *input_type, vf_error *err);

/** New 800x600 GPU without a window. NULL on allocation failure. */
VF_EXTERN vf_virtio_gpu *vf_virtio_gpu_new(void);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_PERIPHERALS_H */
