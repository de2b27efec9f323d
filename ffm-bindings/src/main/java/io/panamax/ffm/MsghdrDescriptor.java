package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct msghdr} (native-abi.md §2.8), for {@code sendmsg}: {@code msg_iovlen} and {@code msg_controllen}
 * are {@code size_t} on Linux and {@code int}/{@code socklen_t} on macOS, so {@code msg_flags} moves.
 * <pre>
 *   | msg_name @0 | msg_namelen @8 | pad 4 | msg_iov @16 |
 *   Linux: msg_iovlen u64 @24 | msg_control @32 | msg_controllen u64 @40 | msg_flags @48 | pad 4   LENGTH 56
 *   macOS: msg_iovlen int @24 | pad 4 | msg_control @32 | msg_controllen u32 @40 | msg_flags @44   LENGTH 48
 * </pre>
 * Write {@code msg_iovlen} and {@code msg_controllen} with {@link #IOVLEN_IS_LONG} in mind ({@link #iovlen(MemorySegment,
 * int)} does).
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class MsghdrDescriptor
{
    /** The layout on this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** True where {@code msg_iovlen} and {@code msg_controllen} are 8 bytes (Linux). */
    public static final boolean IOVLEN_IS_LONG = Constants.PLATFORM.isLinux();
    /** Offset of {@code msg_name}. */
    public static final long NAME_OFFSET = LAYOUT.byteOffset(groupElement("msg_name"));
    /** Offset of {@code msg_namelen}. */
    public static final long NAMELEN_OFFSET = LAYOUT.byteOffset(groupElement("msg_namelen"));
    /** Offset of {@code msg_iov}. */
    public static final long IOV_OFFSET = LAYOUT.byteOffset(groupElement("msg_iov"));
    /** Offset of {@code msg_iovlen}. */
    public static final long IOVLEN_OFFSET = LAYOUT.byteOffset(groupElement("msg_iovlen"));
    /** Offset of {@code msg_control}. */
    public static final long CONTROL_OFFSET = LAYOUT.byteOffset(groupElement("msg_control"));
    /** Offset of {@code msg_controllen}. */
    public static final long CONTROLLEN_OFFSET = LAYOUT.byteOffset(groupElement("msg_controllen"));
    /** Offset of {@code msg_flags} (48 Linux, 44 macOS). */
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("msg_flags"));
    /** Size (56 Linux, 48 macOS). */
    public static final long LENGTH = LAYOUT.byteSize();

    private MsghdrDescriptor()
    {
    }

    /**
     * Point a (zeroed) {@code msghdr} at an iovec array: {@code msg_iov} and {@code msg_iovlen}; the other fields
     * are left as they are (zero: no address, no control data). Never allocates.
     *
     * @param msghdr an off-heap {@code msghdr} of {@link #LENGTH} bytes.
     * @param iov    an off-heap {@code struct iovec[]} ({@link IovecDescriptor}).
     * @param iovlen entries used.
     */
    public static void iov(final MemorySegment msghdr, final MemorySegment iov, final int iovlen)
    {
        msghdr.set(ADDRESS, IOV_OFFSET, iov);
        iovlen(msghdr, iovlen);
    }

    /**
     * Set {@code msg_iovlen} (a {@code size_t} on Linux, an {@code int} on macOS).
     *
     * @param msghdr an off-heap {@code msghdr}.
     * @param iovlen entries used.
     */
    public static void iovlen(final MemorySegment msghdr, final int iovlen)
    {
        if (IOVLEN_IS_LONG)
        {
            msghdr.set(JAVA_LONG, IOVLEN_OFFSET, iovlen);
        }
        else
        {
            msghdr.set(JAVA_INT, IOVLEN_OFFSET, iovlen);
        }
    }

    /**
     * @param msghdr an off-heap {@code msghdr}.
     * @return its {@code msg_iovlen}.
     */
    public static int iovlen(final MemorySegment msghdr)
    {
        return IOVLEN_IS_LONG ? (int)msghdr.get(JAVA_LONG, IOVLEN_OFFSET) : msghdr.get(JAVA_INT, IOVLEN_OFFSET);
    }

    /**
     * @param platform a platform.
     * @return the layout there.
     */
    public static StructLayout layout(final Platform platform)
    {
        if (platform.isLinux())
        {
            return MemoryLayout.structLayout(
                ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
                ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
                ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
                JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
        }
        return MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_INT.withName("msg_iovlen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_control"), JAVA_INT.withName("msg_controllen"), JAVA_INT.withName("msg_flags"));
    }
}
