/*
 * libvfconfig - describe a vfkit virtual machine in C.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * @file vfconfig.hpp
 * @brief A header-only C++17 layer over the C API: owning types, strings
 * and vectors, exceptions.
 *
 * Every C object is held by a vfconfig::owned<T> (one owner, movable, freed
 * with the C library's `_free` function): vfconfig::vm, vfconfig::cmd,
 * vfconfig::rest_client, one alias per device kind (vfconfig::virtio_blk is
 * `owned<vf_virtio_blk>`, ...) and per bootloader (vfconfig::efi_bootloader,
 * ...). An owned device or bootloader converts to `owned<vf_device>` /
 * `owned<vf_bootloader>` by moving, NULL staying NULL. Strings go in as
 * `std::string_view` and come out as `std::string` or
 * `std::vector<std::string>`.
 *
 * Each operation exists twice: one throws vfconfig::error (code, location
 * and text of the C ::vf_error), the other takes a `vf_error &` as its last
 * argument, throws nothing of its own and reports failure by its result
 * (false, or an empty object). Without exceptions (`-fno-exceptions`) only
 * the second kind is declared. Allocation failures of the C library are
 * ::VF_ERR_NOMEM errors; the standard containers may still throw
 * `std::bad_alloc` as usual.
 *
 * Checked access without casts: vfconfig::as<vf_virtio_net>(dev) gives the
 * typed device (or nullptr) for a `vf_device *` or a `const vf_device *`,
 * keeping constness; vfconfig::set_string() stores a string field the way
 * the library frees it.
 */
#ifndef VFCONFIG_VFCONFIG_HPP
#define VFCONFIG_VFCONFIG_HPP

#if !defined(__cplusplus) || __cplusplus < 201703L
#error "vfconfig.hpp needs C++17 or later; C programs include vfconfig.h"
#endif

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vfconfig.h"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
/** 1 when the throwing functions are declared (exceptions are enabled). */
#define VFCONFIG_HPP_EXCEPTIONS 1
#include <stdexcept>
#else
#define VFCONFIG_HPP_EXCEPTIONS 0
#endif

/** The C++ layer of libvfconfig. */
namespace vfconfig
{

/** @cond INTERNAL */
namespace detail
{

/* The location field of vf_error (e.g. "devices[2].sharedDir"), in the
 * library versions that have one; "" otherwise. */
template <class E> auto error_location(const E &e, int) -> decltype(std::string(e.location))
{
    return std::string(e.location);
}
template <class E> std::string error_location(const E &, long)
{
    return std::string();
}

inline void set_error(vf_error &err, int code, const char *what) noexcept
{
    err = vf_error{};
    err.code = static_cast<vf_status>(code);
    std::size_t n = std::strlen(what);
    if (n >= sizeof err.text)
        n = sizeof err.text - 1;
    std::memcpy(err.text, what, n);
    err.text[n] = '\0';
}

inline bool nomem(vf_error &err, const char *what) noexcept
{
    set_error(err, VF_ERR_NOMEM, what);
    return false;
}

/* A NUL-terminated copy of a view, for the C calls. */
class cstring
{
  public:
    explicit cstring(std::string_view s) : s_(s) {}
    const char *get() const noexcept { return s_.c_str(); }
    /* NULL for an empty view: the C API's "none". */
    const char *or_null() const noexcept { return s_.empty() ? nullptr : s_.c_str(); }

  private:
    std::string s_;
};

inline std::vector<std::string> take_strv(char **v)
{
    std::vector<std::string> out;
    for (char **p = v; p != nullptr && *p != nullptr; ++p)
        out.emplace_back(*p);
    vf_strv_free(v);
    return out;
}

inline std::string take_string(char *s)
{
    std::string out(s != nullptr ? s : "");
    std::free(s);
    return out;
}

/* The C strings of a vector, NULL-terminated. */
inline std::vector<const char *> c_strv(const std::vector<std::string> &v)
{
    std::vector<const char *> out;
    out.reserve(v.size() + 1);
    for (const std::string &s : v)
        out.push_back(s.c_str());
    out.push_back(nullptr);
    return out;
}

template <class T> struct deleter;
template <> struct deleter<vf_vm> {
    static void free(vf_vm *p) noexcept { vf_vm_free(p); }
};
template <> struct deleter<vf_device> {
    static void free(vf_device *p) noexcept { vf_device_free(p); }
};
template <> struct deleter<vf_bootloader> {
    static void free(vf_bootloader *p) noexcept { vf_bootloader_free(p); }
};
template <> struct deleter<vf_timesync> {
    static void free(vf_timesync *p) noexcept { vf_timesync_free(p); }
};
template <> struct deleter<vf_ignition> {
    static void free(vf_ignition *p) noexcept { vf_ignition_free(p); }
};
template <> struct deleter<vf_cmd> {
    static void free(vf_cmd *p) noexcept { vf_cmd_free(p); }
};
template <> struct deleter<vf_rest_client> {
    static void free(vf_rest_client *p) noexcept { vf_rest_client_free(p); }
};
template <> struct deleter<vf_process> {
    static void free(vf_process *p) noexcept { vf_process_free(p); }
};

/* What the typed device structs have in common. */
template <class T> struct device_traits;
#define VFCONFIG_HPP_DEVICE_TRAITS(K, T)                                           \
    template <> struct device_traits<vf_##T> {                                     \
        static constexpr vf_device_kind kind = VF_DEVICE_##K;                      \
        static vf_##T *cast(vf_device *d) noexcept { return vf_device_as_##T(d); } \
        static const vf_##T *cast(const vf_device *d) noexcept                     \
        {                                                                          \
            return vf_device_as_##T##_const(d);                                    \
        }                                                                          \
    };                                                                             \
    template <> struct deleter<vf_##T> {                                           \
        static void free(vf_##T *p) noexcept                                       \
        {                                                                          \
            vf_device_free(p != nullptr ? &p->base : nullptr);                     \
        }                                                                          \
    };
VF_DEVICE_KIND_MAP(VFCONFIG_HPP_DEVICE_TRAITS)
#undef VFCONFIG_HPP_DEVICE_TRAITS

template <class T> struct bootloader_traits;
#define VFCONFIG_HPP_BOOTLOADER_TRAITS(K, T)                                    \
    template <> struct bootloader_traits<vf_##T##_bootloader> {                 \
        static constexpr vf_bootloader_kind kind = VF_BOOTLOADER_##K;           \
        static vf_##T##_bootloader *cast(vf_bootloader *b) noexcept             \
        {                                                                       \
            return vf_bootloader_as_##T(b);                                     \
        }                                                                       \
        static const vf_##T##_bootloader *cast(const vf_bootloader *b) noexcept \
        {                                                                       \
            return vf_bootloader_as_##T##_const(b);                             \
        }                                                                       \
    };                                                                          \
    template <> struct deleter<vf_##T##_bootloader> {                           \
        static void free(vf_##T##_bootloader *p) noexcept                       \
        {                                                                       \
            vf_bootloader_free(p != nullptr ? &p->base : nullptr);              \
        }                                                                       \
    };
VF_BOOTLOADER_KIND_MAP(VFCONFIG_HPP_BOOTLOADER_TRAITS)
#undef VFCONFIG_HPP_BOOTLOADER_TRAITS

/* U has a `base` member that converts to T* by address. */
template <class T, class U, class = void> struct has_base : std::false_type {
};
template <class T, class U>
struct has_base<T, U, std::void_t<decltype(static_cast<T *>(&std::declval<U &>().base))>>
    : std::true_type {
};

} // namespace detail
/** @endcond */

#if VFCONFIG_HPP_EXCEPTIONS
/** A failed call: the C library's ::vf_error as an exception. */
class error : public std::runtime_error
{
  public:
    /** From a filled ::vf_error. */
    explicit error(const vf_error &err)
        : std::runtime_error(err.text), err_(err), location_(detail::error_location(err, 0))
    {
    }
    /** The negative ::vf_status (::VF_ERR_INVALID, ...). */
    int code() const noexcept { return err_.code; }
    /** Where the failing field or key is (e.g. `devices[2].sharedDir`), or "". */
    const std::string &location() const noexcept { return location_; }
    /** The C error record. */
    const vf_error &c_error() const noexcept { return err_; }

  private:
    vf_error err_;
    std::string location_;
};

/** @cond INTERNAL */
namespace detail
{
inline void check(bool ok, const vf_error &err)
{
    if (!ok)
        throw error(err);
}
} // namespace detail
/** @endcond */
#endif

/**
 * Sole owner of a C object of the library, freed with its `_free` function.
 * Movable, not copyable (use the clone functions); empty after a move.
 */
template <class T> class owned
{
  public:
    /** Empty. */
    owned() noexcept = default;
    /** Takes ownership of @p p (may be nullptr). */
    explicit owned(T *p) noexcept : p_(p) {}
    /** Takes @p other's object. */
    owned(owned &&other) noexcept : p_(other.release()) {}
    /** From a typed device or bootloader: its `base`, nullptr staying nullptr. */
    template <class U, class = std::enable_if_t<detail::has_base<T, U>::value>>
    owned(owned<U> &&other) noexcept // NOLINT: implicit, as a pointer upcast
        : p_(nullptr)
    {
        U *u = other.release();
        p_ = u != nullptr ? &u->base : nullptr;
    }
    /** Frees the held object, takes @p other's. */
    owned &operator=(owned &&other) noexcept
    {
        reset(other.release());
        return *this;
    }
    owned(const owned &) = delete;
    owned &operator=(const owned &) = delete;
    ~owned() { reset(); }

    /** The object (nullptr when empty); still owned. */
    T *get() noexcept { return p_; }
    /** The object, read-only. */
    const T *get() const noexcept { return p_; }
    /** Gives up ownership: the caller frees the result. */
    T *release() noexcept
    {
        T *p = p_;
        p_ = nullptr;
        return p;
    }
    /** Frees the held object and holds @p p instead. */
    void reset(T *p = nullptr) noexcept
    {
        T *old = p_;
        p_ = p;
        if (old != nullptr)
            detail::deleter<T>::free(old);
    }
    /** Field access. */
    T *operator->() noexcept { return p_; }
    /** Field access, read-only. */
    const T *operator->() const noexcept { return p_; }
    /** The object. */
    T &operator*() noexcept { return *p_; }
    /** The object, read-only. */
    const T &operator*() const noexcept { return *p_; }
    /** true when an object is held. */
    explicit operator bool() const noexcept { return p_ != nullptr; }

  private:
    T *p_ = nullptr;
};

/** Any device, as the VM holds them. */
using device = owned<vf_device>;
/** Any bootloader. */
using bootloader = owned<vf_bootloader>;
/** A timesync (`--timesync`). */
using timesync = owned<vf_timesync>;
/** An Ignition config (`--ignition`). */
using ignition = owned<vf_ignition>;

/** @name Typed devices and bootloaders: virtio_blk, virtio_net, efi_bootloader, ... @{ */
#define VFCONFIG_HPP_DEVICE_ALIAS(K, T) using T = owned<vf_##T>;
VF_DEVICE_KIND_MAP(VFCONFIG_HPP_DEVICE_ALIAS)
#undef VFCONFIG_HPP_DEVICE_ALIAS
#define VFCONFIG_HPP_BOOTLOADER_ALIAS(K, T) using T##_bootloader = owned<vf_##T##_bootloader>;
VF_BOOTLOADER_KIND_MAP(VFCONFIG_HPP_BOOTLOADER_ALIAS)
#undef VFCONFIG_HPP_BOOTLOADER_ALIAS
/** @} */

/**
 * The device as its struct `D` (vf_virtio_blk, ...) when it is one, nullptr
 * otherwise (nullptr included); a const device gives a const struct.
 */
template <class D> D *as(vf_device *dev) noexcept
{
    return detail::device_traits<D>::cast(dev);
}
/** @copydoc as(vf_device *) */
template <class D> const D *as(const vf_device *dev) noexcept
{
    return detail::device_traits<D>::cast(dev);
}
/** The bootloader as its struct `B` (vf_efi_bootloader, ...), or nullptr. */
template <class B> B *as_bootloader(vf_bootloader *bl) noexcept
{
    return detail::bootloader_traits<B>::cast(bl);
}
/** @copydoc as_bootloader(vf_bootloader *) */
template <class B> const B *as_bootloader(const vf_bootloader *bl) noexcept
{
    return detail::bootloader_traits<B>::cast(bl);
}

/** A C string field as a std::string ("" for NULL). */
inline std::string str(const char *s)
{
    return std::string(s != nullptr ? s : "");
}

/**
 * Stores a copy of @p value in the string field @p field (allocated with
 * malloc, as the library frees it), freeing the old value; an empty view
 * stores NULL. false (with ::VF_ERR_NOMEM in @p err) when the copy fails,
 * the field then unchanged.
 */
inline bool set_string(char *&field, std::string_view value, vf_error &err) noexcept
{
    char *copy = nullptr;
    if (!value.empty()) {
        copy = static_cast<char *>(std::malloc(value.size() + 1));
        if (copy == nullptr)
            return detail::nomem(err, "out of memory copying a string field");
        std::memcpy(copy, value.data(), value.size());
        copy[value.size()] = '\0';
    }
    std::free(field);
    field = copy;
    return true;
}

/** The command that starts vfkit: argv and the descriptors the child gets. */
class cmd : public owned<vf_cmd>
{
  public:
    using owned<vf_cmd>::owned;
    /** argv, vfkit's path first. */
    std::vector<std::string> argv() const
    {
        std::vector<std::string> out;
        if (get() != nullptr)
            for (char **p = get()->argv; p != nullptr && *p != nullptr; ++p)
                out.emplace_back(*p);
        return out;
    }
    /** The parent's descriptors; the i-th becomes 3+i in the child. */
    std::vector<int> fds() const
    {
        if (get() == nullptr || get()->fds == nullptr)
            return {};
        return std::vector<int>(get()->fds, get()->fds + get()->n_fds);
    }
    /** Starts vfkit (vf_cmd_spawn()); @p options may be nullptr. false on failure. */
    bool spawn(const vf_spawn_options *options, pid_t &pid, vf_error &err) const noexcept
    {
        return vf_cmd_spawn(get(), options, &pid, &err) == 0;
    }
#if VFCONFIG_HPP_EXCEPTIONS
    /** Starts vfkit and returns its process id; throws on failure. */
    pid_t spawn(const vf_spawn_options *options = nullptr) const
    {
        vf_error err{};
        pid_t pid = 0;
        detail::check(spawn(options, pid, err), err);
        return pid;
    }
#endif
};

/** A virtual machine: CPUs, memory, a bootloader, devices. */
class vm : public owned<vf_vm>
{
  public:
    using owned<vf_vm>::owned;

    /** A VM with @p vcpus, @p memory_mib MiB and @p bl (may be empty). Empty on failure. */
    static vm create(unsigned vcpus, std::uint64_t memory_mib, bootloader bl,
                     vf_error &err) noexcept
    {
        vm v(vf_vm_new(vcpus, memory_mib, bl.release()));
        if (!v)
            detail::nomem(err, "out of memory creating a VM");
        return v;
    }
    /** Reads a JSON VM (vf_vm_from_json_buffer()). Empty on failure. */
    static vm from_json(std::string_view json, vf_error &err) noexcept
    {
        return vm(vf_vm_from_json_buffer(json.data(), json.size(), &err));
    }
    /** Reads a vfkit command line, without the program name. Empty on failure. */
    static vm from_cmdline(const std::vector<std::string> &args, vf_error &err)
    {
        return vm(vf_vm_from_cmdline(detail::c_strv(args).data(), &err));
    }
    /** A deep copy. Empty on failure. */
    vm clone(vf_error &err) const noexcept
    {
        vm v(vf_vm_clone(get()));
        if (!v)
            detail::nomem(err, "out of memory copying a VM");
        return v;
    }
    /** Replaces the bootloader (the old one is freed). */
    void set_bootloader(bootloader bl) noexcept { vf_vm_set_bootloader(get(), bl.release()); }
    /** Replaces the timesync (empty removes it). */
    void set_timesync(timesync ts) noexcept { vf_vm_set_timesync(get(), ts.release()); }
    /** Replaces the Ignition config (empty removes it). */
    void set_ignition(ignition ign) noexcept { vf_vm_set_ignition(get(), ign.release()); }
    /** Adds a device (owned by the VM from now on, also on failure). */
    bool add(device dev, vf_error &err) noexcept
    {
        return vf_vm_add_device(get(), dev.release(), &err) == 0;
    }
    /** Parses `--device` values and adds the devices. */
    bool add_from_cmdline(const std::vector<std::string> &values, vf_error &err)
    {
        std::vector<const char *> v = detail::c_strv(values);
        return vf_vm_add_devices_from_cmdline(get(), v.data(), values.size(), &err) == 0;
    }
    /** The devices, in command-line order (still owned by the VM). */
    std::vector<vf_device *> devices()
    {
        if (get() == nullptr)
            return {};
        return std::vector<vf_device *>(get()->devices, get()->devices + get()->n_devices);
    }
    /** The devices, read-only. */
    std::vector<const vf_device *> devices() const
    {
        if (get() == nullptr)
            return {};
        return std::vector<const vf_device *>(get()->devices, get()->devices + get()->n_devices);
    }
    /** The devices of struct type `D` (vf_virtio_fs, ...), typed. */
    template <class D> std::vector<D *> devices_of()
    {
        std::vector<D *> out;
        for (vf_device *d : devices())
            if (D *t = as<D>(d))
                out.push_back(t);
        return out;
    }
    /** The devices of struct type `D`, read-only. */
    template <class D> std::vector<const D *> devices_of() const
    {
        std::vector<const D *> out;
        for (const vf_device *d : devices())
            if (const D *t = as<D>(d))
                out.push_back(t);
        return out;
    }
    /** vfkit's arguments (without the program name). false on failure. */
    bool to_cmdline(std::vector<std::string> &out, vf_error &err) const
    {
        char **v = vf_vm_to_cmdline(get(), &err);
        if (v == nullptr)
            return false;
        out = detail::take_strv(v);
        return true;
    }
    /** The JSON (::VF_JSON_COMPACT or ::VF_JSON_PRETTY). false on failure. */
    bool to_json(std::string &out, vf_error &err, unsigned flags = VF_JSON_COMPACT) const
    {
        char *s = vf_vm_to_json_ex(get(), flags, &err);
        if (s == nullptr)
            return false;
        out = detail::take_string(s);
        return true;
    }
    /** The command starting @p vfkit_path for this VM. Empty on failure. */
    cmd command(std::string_view vfkit_path, vf_error &err) const
    {
        vf_cmd *c = nullptr;
        if (vf_vm_cmd(get(), detail::cstring(vfkit_path).get(), &c, &err) != 0)
            return cmd();
        return cmd(c);
    }

#if VFCONFIG_HPP_EXCEPTIONS
    /** A VM with @p vcpus, @p memory_mib MiB and @p bl; throws on failure. */
    static vm create(unsigned vcpus, std::uint64_t memory_mib, bootloader bl = bootloader())
    {
        vf_error err{};
        vm v = create(vcpus, memory_mib, std::move(bl), err);
        detail::check(static_cast<bool>(v), err);
        return v;
    }
    /** Reads a JSON VM; throws on failure. */
    static vm from_json(std::string_view json)
    {
        vf_error err{};
        vm v = from_json(json, err);
        detail::check(static_cast<bool>(v), err);
        return v;
    }
    /** Reads a vfkit command line; throws on failure. */
    static vm from_cmdline(const std::vector<std::string> &args)
    {
        vf_error err{};
        vm v = from_cmdline(args, err);
        detail::check(static_cast<bool>(v), err);
        return v;
    }
    /** A deep copy; throws on failure. */
    vm clone() const
    {
        vf_error err{};
        vm v = clone(err);
        detail::check(static_cast<bool>(v), err);
        return v;
    }
    /** Adds a device (owned by the VM, also on failure); throws on failure. */
    void add(device dev)
    {
        vf_error err{};
        detail::check(add(std::move(dev), err), err);
    }
    /** Parses `--device` values and adds the devices; throws on failure. */
    void add_from_cmdline(const std::vector<std::string> &values)
    {
        vf_error err{};
        detail::check(add_from_cmdline(values, err), err);
    }
    /** vfkit's arguments; throws on failure. */
    std::vector<std::string> to_cmdline() const
    {
        vf_error err{};
        std::vector<std::string> out;
        detail::check(to_cmdline(out, err), err);
        return out;
    }
    /** The JSON; throws on failure. */
    std::string to_json(unsigned flags = VF_JSON_COMPACT) const
    {
        vf_error err{};
        std::string out;
        detail::check(to_json(out, err, flags), err);
        return out;
    }
    /** The command starting @p vfkit_path; throws on failure. */
    cmd command(std::string_view vfkit_path) const
    {
        vf_error err{};
        cmd c = command(vfkit_path, err);
        detail::check(static_cast<bool>(c), err);
        return c;
    }
#endif
};

/** @cond INTERNAL */
namespace detail
{
/* The result of a C constructor that fails only when out of memory. */
template <class T> owned<T> made(T *p, vf_error &err, const char *what) noexcept
{
    if (p == nullptr)
        nomem(err, what);
    return owned<T>(p);
}
#if VFCONFIG_HPP_EXCEPTIONS
template <class T> T checked(T v, const vf_error &err)
{
    check(static_cast<bool>(v), err);
    return v;
}
#endif
} // namespace detail
/** @endcond */

/*
 * Constructors. Each has a non-throwing form taking `vf_error &` (empty
 * result on failure) and, with exceptions, a throwing one. An empty view
 * passes NULL where the C function takes NULL for "none".
 */
#if VFCONFIG_HPP_EXCEPTIONS
/** @cond INTERNAL */
#define VFCONFIG_HPP_THROWING(type, name, params, args) \
    inline type name params                             \
    {                                                   \
        vf_error err{};                                 \
        return detail::checked(name args, err);         \
    }
/** @endcond */
#else
#define VFCONFIG_HPP_THROWING(type, name, params, args)
#endif

/** `virtio-blk` on an image (vf_virtio_blk_new()). */
inline virtio_blk virtio_blk_new(std::string_view image_path, vf_error &err)
{
    return detail::made(vf_virtio_blk_new(detail::cstring(image_path).get()), err,
                        "out of memory creating a virtio-blk");
}
VFCONFIG_HPP_THROWING(virtio_blk, virtio_blk_new, (std::string_view image_path), (image_path, err))

/** `nvme` on an image. */
inline nvm_express_controller nvm_express_controller_new(std::string_view image_path, vf_error &err)
{
    return detail::made(vf_nvm_express_controller_new(detail::cstring(image_path).get()), err,
                        "out of memory creating an nvme");
}
VFCONFIG_HPP_THROWING(nvm_express_controller, nvm_express_controller_new,
                      (std::string_view image_path), (image_path, err))

/** `usb-mass-storage` on an image. */
inline usb_mass_storage usb_mass_storage_new(std::string_view image_path, vf_error &err)
{
    return detail::made(vf_usb_mass_storage_new(detail::cstring(image_path).get()), err,
                        "out of memory creating a usb-mass-storage");
}
VFCONFIG_HPP_THROWING(usb_mass_storage, usb_mass_storage_new, (std::string_view image_path),
                      (image_path, err))

/** `nbd` on @p uri, @p timeout_ms (0: none), @p sync_mode (empty: the default). */
inline network_block_device network_block_device_new(std::string_view uri, std::uint32_t timeout_ms,
                                                     std::string_view sync_mode, vf_error &err)
{
    return detail::made(vf_network_block_device_new(detail::cstring(uri).get(), timeout_ms,
                                                    detail::cstring(sync_mode).or_null()),
                        err, "out of memory creating an nbd");
}
VFCONFIG_HPP_THROWING(network_block_device, network_block_device_new,
                      (std::string_view uri, std::uint32_t timeout_ms, std::string_view sync_mode),
                      (uri, timeout_ms, sync_mode, err))

/** `virtio-fs` sharing @p shared_dir under @p mount_tag. */
inline virtio_fs virtio_fs_new(std::string_view shared_dir, std::string_view mount_tag,
                               vf_error &err)
{
    return detail::made(
        vf_virtio_fs_new(detail::cstring(shared_dir).get(), detail::cstring(mount_tag).get()), err,
        "out of memory creating a virtio-fs");
}
VFCONFIG_HPP_THROWING(virtio_fs, virtio_fs_new,
                      (std::string_view shared_dir, std::string_view mount_tag),
                      (shared_dir, mount_tag, err))

/** `rosetta` under @p mount_tag. */
inline rosetta_share rosetta_share_new(std::string_view mount_tag, vf_error &err)
{
    return detail::made(vf_rosetta_share_new(detail::cstring(mount_tag).get()), err,
                        "out of memory creating a rosetta share");
}
VFCONFIG_HPP_THROWING(rosetta_share, rosetta_share_new, (std::string_view mount_tag),
                      (mount_tag, err))

/** `virtio-net` with NAT and @p mac_address (empty: vfkit chooses). */
inline virtio_net virtio_net_new(std::string_view mac_address, vf_error &err)
{
    return virtio_net(vf_virtio_net_new(detail::cstring(mac_address).or_null(), &err));
}
VFCONFIG_HPP_THROWING(virtio_net, virtio_net_new, (std::string_view mac_address = {}),
                      (mac_address, err))

/** `virtio-rng`. */
inline virtio_rng virtio_rng_new(vf_error &err)
{
    return detail::made(vf_virtio_rng_new(), err, "out of memory creating a virtio-rng");
}
VFCONFIG_HPP_THROWING(virtio_rng, virtio_rng_new, (), (err))

/** `virtio-balloon`. */
inline virtio_balloon virtio_balloon_new(vf_error &err)
{
    return detail::made(vf_virtio_balloon_new(), err, "out of memory creating a virtio-balloon");
}
VFCONFIG_HPP_THROWING(virtio_balloon, virtio_balloon_new, (), (err))

/** `virtio-serial` writing to @p log_file_path. */
inline virtio_serial virtio_serial_new(std::string_view log_file_path, vf_error &err)
{
    return detail::made(vf_virtio_serial_new(detail::cstring(log_file_path).get()), err,
                        "out of memory creating a virtio-serial");
}
VFCONFIG_HPP_THROWING(virtio_serial, virtio_serial_new, (std::string_view log_file_path),
                      (log_file_path, err))

/** `virtio-vsock`: guest @p port bridged to the unix socket @p socket_url. */
inline virtio_vsock virtio_vsock_new(std::uint32_t port, std::string_view socket_url, bool listen,
                                     vf_error &err)
{
    return detail::made(vf_virtio_vsock_new(port, detail::cstring(socket_url).get(), listen), err,
                        "out of memory creating a virtio-vsock");
}
VFCONFIG_HPP_THROWING(virtio_vsock, virtio_vsock_new,
                      (std::uint32_t port, std::string_view socket_url, bool listen),
                      (port, socket_url, listen, err))

/** `virtio-input` of @p input_type (::VF_VIRTIO_INPUT_KEYBOARD or ::VF_VIRTIO_INPUT_POINTING). */
inline virtio_input virtio_input_new(std::string_view input_type, vf_error &err)
{
    return virtio_input(vf_virtio_input_new(detail::cstring(input_type).get(), &err));
}
VFCONFIG_HPP_THROWING(virtio_input, virtio_input_new, (std::string_view input_type),
                      (input_type, err))

/** `virtio-gpu` at the default size. */
inline virtio_gpu virtio_gpu_new(vf_error &err)
{
    return detail::made(vf_virtio_gpu_new(), err, "out of memory creating a virtio-gpu");
}
VFCONFIG_HPP_THROWING(virtio_gpu, virtio_gpu_new, (), (err))

/** Any device from one `--device` value ("virtio-blk,path=disk.img"). */
inline device device_from_cmdline(std::string_view value, vf_error &err)
{
    return device(vf_device_from_cmdline(detail::cstring(value).get(), &err));
}
VFCONFIG_HPP_THROWING(device, device_from_cmdline, (std::string_view value), (value, err))

/** Direct kernel boot; @p kernel_cmdline and @p initrd_path may be empty. */
inline linux_bootloader linux_bootloader_new(std::string_view vmlinuz_path,
                                             std::string_view kernel_cmdline,
                                             std::string_view initrd_path, vf_error &err)
{
    return detail::made(vf_linux_bootloader_new(detail::cstring(vmlinuz_path).get(),
                                                detail::cstring(kernel_cmdline).or_null(),
                                                detail::cstring(initrd_path).or_null()),
                        err, "out of memory creating a Linux bootloader");
}
VFCONFIG_HPP_THROWING(linux_bootloader, linux_bootloader_new,
                      (std::string_view vmlinuz_path, std::string_view kernel_cmdline = {},
                       std::string_view initrd_path = {}),
                      (vmlinuz_path, kernel_cmdline, initrd_path, err))

/** EFI boot with the variable store @p store_path (created when @p create). */
inline efi_bootloader efi_bootloader_new(std::string_view store_path, bool create, vf_error &err)
{
    return detail::made(vf_efi_bootloader_new(detail::cstring(store_path).get(), create), err,
                        "out of memory creating an EFI bootloader");
}
VFCONFIG_HPP_THROWING(efi_bootloader, efi_bootloader_new,
                      (std::string_view store_path, bool create), (store_path, create, err))

/** macOS boot from its three files. */
inline macos_bootloader macos_bootloader_new(std::string_view machine_identifier_path,
                                             std::string_view hardware_model_path,
                                             std::string_view aux_image_path, vf_error &err)
{
    return detail::made(vf_macos_bootloader_new(detail::cstring(machine_identifier_path).get(),
                                                detail::cstring(hardware_model_path).get(),
                                                detail::cstring(aux_image_path).get()),
                        err, "out of memory creating a macOS bootloader");
}
VFCONFIG_HPP_THROWING(macos_bootloader, macos_bootloader_new,
                      (std::string_view machine_identifier_path,
                       std::string_view hardware_model_path, std::string_view aux_image_path),
                      (machine_identifier_path, hardware_model_path, aux_image_path, err))

/** A bootloader from a `--bootloader` value ("efi,variable-store=...,create"). */
inline bootloader bootloader_from_cmdline(std::string_view value, vf_error &err)
{
    return bootloader(vf_bootloader_from_cmdline(detail::cstring(value).get(), &err));
}
VFCONFIG_HPP_THROWING(bootloader, bootloader_from_cmdline, (std::string_view value), (value, err))

/** `--timesync vsockPort=N`. */
inline timesync timesync_new(std::uint32_t vsock_port, vf_error &err)
{
    return detail::made(vf_timesync_new(vsock_port), err, "out of memory creating a timesync");
}
VFCONFIG_HPP_THROWING(timesync, timesync_new, (std::uint32_t vsock_port), (vsock_port, err))

/** `--ignition` from @p config_path. */
inline ignition ignition_new(std::string_view config_path, vf_error &err)
{
    return ignition(vf_ignition_new(detail::cstring(config_path).get(), nullptr, &err));
}
VFCONFIG_HPP_THROWING(ignition, ignition_new, (std::string_view config_path), (config_path, err))

/** The unix socket of a socket-backed `virtio-net` (gvproxy, vmnet-helper). */
inline bool set_unix_socket_path(virtio_net &net, std::string_view path, vf_error &err)
{
    if (vf_virtio_net_set_unix_socket_path(net.get(), detail::cstring(path).get()) == 0)
        return true;
    return detail::nomem(err, "out of memory setting virtio-net's unixSocketPath");
}
#if VFCONFIG_HPP_EXCEPTIONS
/** @copydoc set_unix_socket_path(virtio_net &, std::string_view, vf_error &) Throws on failure. */
inline void set_unix_socket_path(virtio_net &net, std::string_view path)
{
    vf_error err{};
    detail::check(set_unix_socket_path(net, path, err), err);
}
/** Stores a string field (see set_string(char *&, std::string_view, vf_error &)); throws on failure. */
inline void set_string(char *&field, std::string_view value)
{
    vf_error err{};
    detail::check(set_string(field, value, err), err);
}
#endif

/** A client of vfkit's REST API (rest.h). */
class rest_client : public owned<vf_rest_client>
{
  public:
    using owned<vf_rest_client>::owned;
    /** A client for a `--restful-uri` (`unix:///path`, `tcp://host:port`). Empty on failure. */
    static rest_client create(std::string_view uri, vf_error &err)
    {
        vf_restful_uri parsed;
        if (vf_restful_uri_parse(detail::cstring(uri).get(), &parsed, &err) != 0)
            return rest_client();
        return rest_client(vf_rest_client_new(&parsed, &err));
    }
    /** Timeout of each request. */
    void set_timeout(unsigned timeout_ms) noexcept
    {
        vf_rest_client_set_timeout(get(), timeout_ms);
    }
    /** `GET /vm/state`. */
    bool state(vf_rest_state_info &out, vf_error &err) noexcept
    {
        return vf_rest_get_state(get(), &out, &err) == 0;
    }
    /** `POST /vm/state`. */
    bool set_state(vf_rest_state_change change, vf_error &err) noexcept
    {
        return vf_rest_set_state(get(), change, &err) == 0;
    }
    /** `GET /vm/inspect`: the running VM. Empty on failure. */
    vm inspect(vf_error &err) noexcept
    {
        vf_vm *v = nullptr;
        if (vf_rest_inspect(get(), &v, &err) != 0)
            return vm();
        return vm(v);
    }
    /** Waits until vfkit (process @p pid) answers. */
    bool wait_ready(pid_t pid, unsigned timeout_ms, vf_error &err) noexcept
    {
        return vf_rest_wait_ready(get(), pid, timeout_ms, &err) == 0;
    }
#if VFCONFIG_HPP_EXCEPTIONS
    /** A client for a `--restful-uri`; throws on failure. */
    static rest_client create(std::string_view uri)
    {
        vf_error err{};
        return detail::checked(create(uri, err), err);
    }
    /** `GET /vm/state`; throws on failure. */
    vf_rest_state_info state()
    {
        vf_error err{};
        vf_rest_state_info info{};
        detail::check(state(info, err), err);
        return info;
    }
    /** `POST /vm/state`; throws on failure. */
    void set_state(vf_rest_state_change change)
    {
        vf_error err{};
        detail::check(set_state(change, err), err);
    }
    /** `GET /vm/inspect`; throws on failure. */
    vm inspect()
    {
        vf_error err{};
        return detail::checked(inspect(err), err);
    }
    /** Waits until vfkit answers; throws on failure or timeout. */
    void wait_ready(pid_t pid, unsigned timeout_ms)
    {
        vf_error err{};
        detail::check(wait_ready(pid, timeout_ms, err), err);
    }
#endif
};

/**
 * Stops vfkit process @p pid: "Stop", then "HardStop", SIGTERM, SIGKILL
 * (vf_vm_stop_gracefully()). @p client may be empty (signals only),
 * @p options nullptr (the defaults).
 */
inline bool stop_gracefully(rest_client &client, pid_t pid, const vf_stop_options *options,
                            vf_stop_step &step, vf_error &err) noexcept
{
    return vf_vm_stop_gracefully(client.get(), pid, options, &step, &err) == 0;
}
#if VFCONFIG_HPP_EXCEPTIONS
/** Stops vfkit process @p pid and says which step did it; throws on failure. */
inline vf_stop_step stop_gracefully(rest_client &client, pid_t pid,
                                    const vf_stop_options *options = nullptr)
{
    vf_error err{};
    vf_stop_step step = VF_STOP_NOT_RUNNING;
    detail::check(stop_gracefully(client, pid, options, step, err), err);
    return step;
}
#endif

/**
 * A launcher process (process.h, lifecycle.h): one this program started,
 * or one it attached to by pid. Freeing the handle neither stops nor reaps
 * the process.
 */
class process : public owned<vf_process>
{
  public:
    using owned<vf_process>::owned;
    /** Starts @p c (vf_process_spawn()); @p options may be nullptr. Empty on failure. */
    static process spawn(const cmd &c, const vf_spawn_options *options, vf_error &err) noexcept
    {
        vf_process *p = nullptr;
        if (vf_process_spawn(c.get(), options, &p, &err) != 0)
            return process();
        return process(p);
    }
    /** A handle for process @p pid running @p launcher (vf_process_attach()). Empty on failure. */
    static process attach(pid_t pid, std::string_view launcher, vf_error &err)
    {
        vf_process *p = nullptr;
        if (vf_process_attach(pid, detail::cstring(launcher).get(), &p, &err) != 0)
            return process();
        return process(p);
    }
    /** Its process id. */
    pid_t pid() const noexcept { return vf_process_pid(get()); }
    /** Whether it still runs; when it has ended, how, into @p status (may be nullptr). */
    bool running(vf_exit_status *status = nullptr) noexcept
    {
        return vf_process_running(get(), status);
    }
    /** Waits up to @p timeout_ms for it to end (vf_process_wait()); false on timeout or error. */
    bool wait(unsigned timeout_ms, vf_exit_status &status, vf_error &err) noexcept
    {
        return vf_process_wait(get(), timeout_ms, &status, &err) == 0;
    }
    /** Sends @p signo (vf_process_signal()). */
    bool signal(int signo, vf_error &err) noexcept
    {
        return vf_process_signal(get(), signo, &err) == 0;
    }
    /**
     * Stops it with @p policy (nullptr: ::VF_STOP_POLICY_INIT), over
     * @p client's REST API when @p client is not empty (vf_process_stop());
     * @p step says after which step it ended.
     */
    bool stop(rest_client &client, const vf_stop_policy *policy, vf_stop_step &step,
              vf_error &err) noexcept
    {
        return vf_process_stop(get(), client.get(), policy, &step, &err) == 0;
    }
#if VFCONFIG_HPP_EXCEPTIONS
    /** Starts @p c; throws on failure. */
    static process spawn(const cmd &c, const vf_spawn_options *options = nullptr)
    {
        vf_error err{};
        return detail::checked(spawn(c, options, err), err);
    }
    /** Attaches to process @p pid running @p launcher; throws on failure. */
    static process attach(pid_t pid, std::string_view launcher)
    {
        vf_error err{};
        return detail::checked(attach(pid, launcher, err), err);
    }
    /** Waits up to @p timeout_ms for it to end and says how; throws on timeout or error. */
    vf_exit_status wait(unsigned timeout_ms)
    {
        vf_error err{};
        vf_exit_status status{};
        detail::check(wait(timeout_ms, status, err), err);
        return status;
    }
    /** Stops it and says after which step; throws on failure. */
    vf_stop_step stop(rest_client &client, const vf_stop_policy *policy = nullptr)
    {
        vf_error err{};
        vf_stop_step step = VF_STOP_NOT_RUNNING;
        detail::check(stop(client, policy, step, err), err);
        return step;
    }
#endif
};

#undef VFCONFIG_HPP_THROWING

} // namespace vfconfig

#endif /* VFCONFIG_VFCONFIG_HPP */
