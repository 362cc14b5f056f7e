/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file network.h
 * @brief `virtio-net`: NAT, a connected datagram socket, or a unix socket path.
 */
#ifndef VFCONFIG_NETWORK_H
#define VFCONFIG_NETWORK_H

#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest hardware address (IPoIB), in bytes. */
#define VF_MAC_MAX_BYTES 20

/** A hardware address of 6, 8 or 20 bytes; `length` 0 means none. */
typedef struct vf_mac_address {
    uint8_t bytes[VF_MAC_MAX_BYTES]; /**< The address, first byte first. */
    size_t length;                   /**< Bytes used: 0, 6, 8 or 20. */
} vf_mac_address;

/**
 * Parses a hardware address as Go's net.ParseMAC does: colon
 * (`00:00:5e:00:53:01`), hyphen (`00-00-5e-00-53-01`) or dot
 * (`0000.5e00.5301`) form, 6, 8 or 20 bytes. 0 or ::VF_ERR_INVALID.
 */
VF_EXTERN int vf_mac_address_parse(const char *text, vf_mac_address *out, vf_error *err);

/**
 * Writes @p mac lower-case with colons into @p buf (at least 60 bytes for
 * 20 bytes of address); "" when the address is empty. Returns @p buf.
 */
VF_EXTERN char *vf_mac_address_format(const vf_mac_address *mac, char *buf, size_t size);

/** `virtio-net` (Go: VirtioNet). Exactly one of nat, socket_fd, unix_socket_path is used. */
typedef struct vf_virtio_net {
    vf_device base;             /**< Common head; `kind` is `VF_DEVICE_VIRTIO_NET`. */
    bool nat;                   /**< Use the Virtualization framework's NAT. */
    vf_mac_address mac_address; /**< `mac`: the guest's address; length 0 lets vfkit choose. */
    /**
     * A connected datagram (SOCK_DGRAM) socket, or -1. Never closed by the
     * library; vf_vm_cmd() hands it to vfkit as fd 3+i.
     */
    int socket_fd;
    /**
     * A unixgram socket to connect to (gvproxy, vmnet-helper). Printed only
     * when at most ::VF_RESTFUL_UNIX_PATH_MAX bytes (macOS's `sun_path`).
     */
    char *unix_socket_path;
    /**
     * Send vfkit's magic datagram on connect (gvproxy expects it). Printed as
     * `unixSocketPath=` when on, `type=unixgram,path=...,vfkitMagic=off` when off.
     */
    bool vfkit_magic;
    /**
     * The socket (path or descriptor) is a stream socket: krunkit's
     * `type=unixstream` (passt, socket_vmnet); vfkit has datagrams only.
     * JSON "krunkitUnixStream", which the Go package ignores.
     */
    bool unix_stream;
    /**
     * Checksum and segmentation offloading between guest and host: krunkit's
     * `offloading=on` (vfkit only has it off). JSON "krunkitOffloading".
     */
    bool offloading;
} vf_virtio_net;

/**
 * New NAT network device; @p mac_address may be NULL or "" for none.
 * NULL on a bad address (::VF_ERR_INVALID) or allocation failure.
 */
VF_EXTERN vf_virtio_net *vf_virtio_net_new(const char *mac_address, vf_error *err);

/**
 * Uses the connected datagram socket @p fd (not owned) and turns NAT off,
 * without looking at @p fd: vf_vm_cmd() refuses it later if it is not an
 * open datagram socket. vf_virtio_net_set_socket_checked() checks now.
 */
VF_EXTERN void vf_virtio_net_set_socket(vf_virtio_net *net, int fd);

/**
 * As vf_virtio_net_set_socket(), once @p fd is checked to be an open
 * datagram socket (vfkit reads one Ethernet frame per datagram). 0, or
 * ::VF_ERR_INVALID naming what @p fd is instead (a regular file, a stream
 * socket, not open), and @p net is left as it was.
 */
VF_EXTERN int vf_virtio_net_set_socket_checked(vf_virtio_net *net, int fd, vf_error *err);

/** Uses the unixgram socket at @p path (copied), turns NAT off and vfkit magic on.
 * 0, ::VF_ERR_INVALID for a NULL device, or ::VF_ERR_NOMEM. */
VF_EXTERN int vf_virtio_net_set_unix_socket_path(vf_virtio_net *net, const char *path);
/** krunkit: the socket is a stream socket (vf_virtio_net::unix_stream). */
VF_EXTERN void vf_virtio_net_set_unix_stream(vf_virtio_net *net, bool unix_stream);
/** krunkit: turns offloading on or off (vf_virtio_net::offloading). */
VF_EXTERN void vf_virtio_net_set_offloading(vf_virtio_net *net, bool offloading);

#ifdef __cplusplus
}
#endif

#endif /* VFCONFIG_NETWORK_H */
