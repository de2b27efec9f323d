package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * errno: the call-state segment every binding captures into, the per-platform values, and their names.
 * <p>
 * Values are chosen per platform from {@link #table(Platform)}; nothing else in Panamax writes an errno number.
 * Bindings return {@code -errno} on failure, so engine code compares with {@code -Errno.EAGAIN}.
 * <p>
 * <b>Thread-safety:</b> the constants and lookups are immutable; a call-state segment belongs to one thread.
 */
public final class Errno
{
    /** Layout of the segment {@code captureCallState("errno")} writes. */
    public static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
        CALL_STATE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final ConstantTable TABLE = table(Constants.PLATFORM);

    /** Operation not permitted. */
    public static final int EPERM = TABLE.value("EPERM");
    /** No such file or directory. */
    public static final int ENOENT = TABLE.value("ENOENT");
    /** Interrupted system call. */
    public static final int EINTR = TABLE.value("EINTR");
    /** Input/output error. */
    public static final int EIO = TABLE.value("EIO");
    /** Bad file descriptor. */
    public static final int EBADF = TABLE.value("EBADF");
    /** Resource temporarily unavailable (= EWOULDBLOCK on both OSes). */
    public static final int EAGAIN = TABLE.value("EAGAIN");
    /** Cannot allocate memory. */
    public static final int ENOMEM = TABLE.value("ENOMEM");
    /** Permission denied. */
    public static final int EACCES = TABLE.value("EACCES");
    /** Bad address. */
    public static final int EFAULT = TABLE.value("EFAULT");
    /** File exists. */
    public static final int EEXIST = TABLE.value("EEXIST");
    /** Invalid argument. */
    public static final int EINVAL = TABLE.value("EINVAL");
    /** Too many open files in system. */
    public static final int ENFILE = TABLE.value("ENFILE");
    /** Too many open files. */
    public static final int EMFILE = TABLE.value("EMFILE");
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = TABLE.value("ENOTTY");
    /** Illegal seek (lseek on a pipe or socket). */
    public static final int ESPIPE = TABLE.value("ESPIPE");
    /** Broken pipe. */
    public static final int EPIPE = TABLE.value("EPIPE");
    /** Function not implemented. */
    public static final int ENOSYS = TABLE.value("ENOSYS");
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK = TABLE.value("ENOTSOCK");
    /** Protocol not available. */
    public static final int ENOPROTOOPT = TABLE.value("ENOPROTOOPT");
    /** Operation not supported. */
    public static final int EOPNOTSUPP = TABLE.value("EOPNOTSUPP");
    /** Address family not supported by protocol. */
    public static final int EAFNOSUPPORT = TABLE.value("EAFNOSUPPORT");
    /** Address already in use. */
    public static final int EADDRINUSE = TABLE.value("EADDRINUSE");
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = TABLE.value("EADDRNOTAVAIL");
    /** Network is unreachable. */
    public static final int ENETUNREACH = TABLE.value("ENETUNREACH");
    /** Software caused connection abort. */
    public static final int ECONNABORTED = TABLE.value("ECONNABORTED");
    /** Connection reset by peer. */
    public static final int ECONNRESET = TABLE.value("ECONNRESET");
    /** No buffer space available. */
    public static final int ENOBUFS = TABLE.value("ENOBUFS");
    /** Transport endpoint is already connected. */
    public static final int EISCONN = TABLE.value("EISCONN");
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = TABLE.value("ENOTCONN");
    /** Connection timed out. */
    public static final int ETIMEDOUT = TABLE.value("ETIMEDOUT");
    /** Connection refused. */
    public static final int ECONNREFUSED = TABLE.value("ECONNREFUSED");
    /** No route to host. */
    public static final int EHOSTUNREACH = TABLE.value("EHOSTUNREACH");
    /** Operation already in progress. */
    public static final int EALREADY = TABLE.value("EALREADY");
    /** Operation now in progress. */
    public static final int EINPROGRESS = TABLE.value("EINPROGRESS");

    /** No such process. */
    public static final int ESRCH = TABLE.value("ESRCH");
    /** Operation would block (= EAGAIN). */
    public static final int EWOULDBLOCK = TABLE.value("EWOULDBLOCK");
    /** Destination address required. */
    public static final int EDESTADDRREQ = TABLE.value("EDESTADDRREQ");
    /** Message too long. */
    public static final int EMSGSIZE = TABLE.value("EMSGSIZE");
    /** Protocol wrong type for socket. */
    public static final int EPROTOTYPE = TABLE.value("EPROTOTYPE");
    /** Protocol not supported. */
    public static final int EPROTONOSUPPORT = TABLE.value("EPROTONOSUPPORT");
    /** Operation not supported (Linux: = EOPNOTSUPP; macOS: distinct). */
    public static final int ENOTSUP = TABLE.value("ENOTSUP");
    /** Network is down. */
    public static final int ENETDOWN = TABLE.value("ENETDOWN");
    /** Network dropped connection on reset. */
    public static final int ENETRESET = TABLE.value("ENETRESET");
    /** Cannot send after transport endpoint shutdown. */
    public static final int ESHUTDOWN = TABLE.value("ESHUTDOWN");
    /** Host is down. */
    public static final int EHOSTDOWN = TABLE.value("EHOSTDOWN");
    /** Value too large for defined data type. */
    public static final int EOVERFLOW = TABLE.value("EOVERFLOW");
    /** Operation canceled. */
    public static final int ECANCELED = TABLE.value("ECANCELED");
    /** Protocol error. */
    public static final int EPROTO = TABLE.value("EPROTO");

    private Errno()
    {
    }

    /**
     * Allocate a call-state segment; allocate one per thread (or per loop) and reuse it for every call.
     *
     * @param arena the owner of the segment.
     * @return a zeroed call-state segment.
     */
    public static MemorySegment allocateCallState(final Arena arena)
    {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    /**
     * @param callState a segment a binding captured into.
     * @return errno as captured right after the last call that used the segment.
     */
    public static int errno(final MemorySegment callState)
    {
        return callState.get(JAVA_INT, ERRNO_OFFSET);
    }

    /**
     * Store an errno in a call-state segment as a failed call would (the syscall fault seam uses it).
     *
     * @param callState the segment.
     * @param errno     the value.
     */
    static void errno(final MemorySegment callState, final int errno)
    {
        callState.set(JAVA_INT, ERRNO_OFFSET, errno);
    }

    /**
     * @param errno a positive errno value of this platform.
     * @return its symbolic name ({@code "EAGAIN"}), or {@code "errno N"} when it is not in the table.
     */
    public static String name(final int errno)
    {
        final String name = TABLE.name(errno);
        return null != name ? name : "errno " + errno;
    }

    /**
     * @param errno a positive errno value of this platform.
     * @return name and message, e.g. {@code "EACCES (Permission denied)"}, for exception messages (setup path only).
     */
    public static String describe(final int errno)
    {
        return name(errno) + " (" + Libc.strerror(errno) + ")";
    }

    /**
     * The errno table of a platform (reference: native-abi.md §3.1 and §3.2).
     *
     * @param platform the platform.
     * @return its names and values.
     */
    public static ConstantTable table(final Platform platform)
    {
        final ConstantTable t = new ConstantTable();
        t.put("EPERM", 1, 1).put("ENOENT", 2, 2).put("ESRCH", 3, 3).put("EINTR", 4, 4).put("EIO", 5, 5)
            .put("EBADF", 9, 9).put("ENOMEM", 12, 12).put("EACCES", 13, 13).put("EFAULT", 14, 14)
            .put("EEXIST", 17, 17).put("EINVAL", 22, 22).put("ENFILE", 23, 23).put("EMFILE", 24, 24)
            .put("ENOTTY", 25, 25).put("ESPIPE", 29, 29).put("EPIPE", 32, 32)
            .put("EAGAIN", 11, 35).put("EWOULDBLOCK", 11, 35).put("EINPROGRESS", 115, 36).put("EALREADY", 114, 37)
            .put("ENOTSOCK", 88, 38).put("EDESTADDRREQ", 89, 39).put("EMSGSIZE", 90, 40)
            .put("EPROTOTYPE", 91, 41).put("ENOPROTOOPT", 92, 42).put("EPROTONOSUPPORT", 93, 43)
            .put("EOPNOTSUPP", 95, 102).put("ENOTSUP", 95, 45).put("EAFNOSUPPORT", 97, 47)
            .put("EADDRINUSE", 98, 48).put("EADDRNOTAVAIL", 99, 49).put("ENETDOWN", 100, 50)
            .put("ENETUNREACH", 101, 51).put("ENETRESET", 102, 52).put("ECONNABORTED", 103, 53)
            .put("ECONNRESET", 104, 54).put("ENOBUFS", 105, 55).put("EISCONN", 106, 56)
            .put("ENOTCONN", 107, 57).put("ESHUTDOWN", 108, 58).put("ETIMEDOUT", 110, 60)
            .put("ECONNREFUSED", 111, 61).put("EHOSTDOWN", 112, 64).put("EHOSTUNREACH", 113, 65)
            .put("ENOSYS", 38, 78).put("EOVERFLOW", 75, 84).put("ECANCELED", 125, 89).put("EPROTO", 71, 100);
        return t.select(platform);
    }
}
