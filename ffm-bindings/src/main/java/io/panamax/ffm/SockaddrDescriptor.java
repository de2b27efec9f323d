package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Socket address structs (native-abi.md §2.5): {@code sockaddr_in}, {@code sockaddr_in6}, {@code sockaddr_un},
 * {@code sockaddr_storage}. macOS starts each with a 1-byte length and a 1-byte family where Linux has a 2-byte
 * family; everything after the family sits at the same offset on both. Ports and IPv4 addresses are in network
 * byte order ({@link #NET_SHORT}, {@link #NET_INT}); {@code sin6_scope_id} is in host order.
 * <pre>
 *   Linux  | family u16 @0 | ...                      sockaddr_in 16, in6 28, un 110 (path 108), storage 128
 *   macOS  | len u8 @0 | family u8 @1 | ...           sockaddr_in 16, in6 28, un 106 (path 104), storage 128
 *   in:   port @2, addr @4, zero[8] @8
 *   in6:  port @2, flowinfo @4, addr[16] @8, scope_id @24
 *   un:   path @2
 * </pre>
 * {@link SocketAddresses} writes and reads these for {@code InetSocketAddress} and Unix paths.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class SockaddrDescriptor
{
    /** {@code in_port_t}: 2 bytes, network order. */
    public static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    /** {@code in_addr_t}, {@code sin6_flowinfo}: 4 bytes, network order. */
    public static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    /** {@code sockaddr_in} on this platform. */
    public static final StructLayout IN_LAYOUT = inLayout(Constants.PLATFORM);
    /** {@code sockaddr_in6} on this platform. */
    public static final StructLayout IN6_LAYOUT = in6Layout(Constants.PLATFORM);
    /** {@code sockaddr_un} on this platform. */
    public static final StructLayout UN_LAYOUT = unLayout(Constants.PLATFORM);
    /** {@code sockaddr_storage} on this platform: big enough and aligned for any address. */
    public static final StructLayout STORAGE_LAYOUT = storageLayout(Constants.PLATFORM);

    /** True where the address starts with a 1-byte length ({@code sin_len}; macOS). */
    public static final boolean HAS_LEN = hasLen(Constants.PLATFORM);
    /** Offset of the 1-byte length (macOS only; see {@link #HAS_LEN}). */
    public static final long LEN_OFFSET = 0;
    /** Offset of the family: 0 on Linux (2 bytes), 1 on macOS (1 byte). */
    public static final long FAMILY_OFFSET = familyOffset(Constants.PLATFORM);
    /** Size of {@code sockaddr_in}. */
    public static final long IN_LENGTH = IN_LAYOUT.byteSize();
    /** Offset of {@code sin_port}. */
    public static final long IN_PORT_OFFSET = IN_LAYOUT.byteOffset(groupElement("sin_port"));
    /** Offset of {@code sin_addr}. */
    public static final long IN_ADDR_OFFSET = IN_LAYOUT.byteOffset(groupElement("sin_addr"));
    /** Size of {@code sockaddr_in6}. */
    public static final long IN6_LENGTH = IN6_LAYOUT.byteSize();
    /** Offset of {@code sin6_port}. */
    public static final long IN6_PORT_OFFSET = IN6_LAYOUT.byteOffset(groupElement("sin6_port"));
    /** Offset of {@code sin6_flowinfo}. */
    public static final long IN6_FLOWINFO_OFFSET = IN6_LAYOUT.byteOffset(groupElement("sin6_flowinfo"));
    /** Offset of {@code sin6_addr}. */
    public static final long IN6_ADDR_OFFSET = IN6_LAYOUT.byteOffset(groupElement("sin6_addr"));
    /** Offset of {@code sin6_scope_id}. */
    public static final long IN6_SCOPE_ID_OFFSET = IN6_LAYOUT.byteOffset(groupElement("sin6_scope_id"));
    /** Size of {@code sockaddr_un}. */
    public static final long UN_LENGTH = UN_LAYOUT.byteSize();
    /** Offset of {@code sun_path}. */
    public static final long UN_PATH_OFFSET = UN_LAYOUT.byteOffset(groupElement("sun_path"));
    /** Bytes of {@code sun_path}, the terminating NUL included (108 Linux, 104 macOS). */
    public static final long UN_PATH_LENGTH = UN_LENGTH - UN_PATH_OFFSET;
    /** Size of {@code sockaddr_storage} (128). */
    public static final long STORAGE_LENGTH = STORAGE_LAYOUT.byteSize();

    private SockaddrDescriptor()
    {
    }

    /**
     * @param platform a platform.
     * @return true where addresses start with a 1-byte length (macOS).
     */
    public static boolean hasLen(final Platform platform)
    {
        return platform.isMacOs();
    }

    /**
     * @param platform a platform.
     * @return the offset of the family field there.
     */
    public static long familyOffset(final Platform platform)
    {
        return platform.isMacOs() ? 1 : 0;
    }

    /**
     * @param platform a platform.
     * @return {@code struct sockaddr_in} there (16 bytes).
     */
    public static StructLayout inLayout(final Platform platform)
    {
        return withHead(platform, "sin", NET_SHORT.withName("sin_port"), NET_INT.withName("sin_addr"),
            sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));
    }

    /**
     * @param platform a platform.
     * @return {@code struct sockaddr_in6} there (28 bytes).
     */
    public static StructLayout in6Layout(final Platform platform)
    {
        return withHead(platform, "sin6", NET_SHORT.withName("sin6_port"),
            NET_INT.withName("sin6_flowinfo"), sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));
    }

    /**
     * @param platform a platform.
     * @return {@code struct sockaddr_un} there (110 bytes on Linux, 106 on macOS).
     */
    public static StructLayout unLayout(final Platform platform)
    {
        final long pathLength = platform.isMacOs() ? 104 : 108;
        return withHead(platform, "sun", sequenceLayout(pathLength, JAVA_BYTE).withName("sun_path"));
    }

    /**
     * @param platform a platform.
     * @return {@code struct sockaddr_storage} there (128 bytes, 8-byte aligned).
     */
    public static StructLayout storageLayout(final Platform platform)
    {
        return platform.isMacOs() ?
            structLayout(JAVA_BYTE.withName("ss_len"), JAVA_BYTE.withName("ss_family"), paddingLayout(6),
                JAVA_LONG.withName("__ss_align"), paddingLayout(112)) :
            structLayout(JAVA_SHORT.withName("ss_family"), paddingLayout(118), JAVA_LONG.withName("__ss_align"));
    }

    /** {@code prefix_len} + {@code prefix_family} (1 byte each) on macOS, a 2-byte {@code prefix_family} on Linux. */
    private static StructLayout withHead(final Platform platform, final String prefix, final MemoryLayout... rest)
    {
        final MemoryLayout[] head = platform.isMacOs() ?
            new MemoryLayout[]{ JAVA_BYTE.withName(prefix + "_len"), JAVA_BYTE.withName(prefix + "_family") } :
            new MemoryLayout[]{ JAVA_SHORT.withName(prefix + "_family") };
        final MemoryLayout[] all = new MemoryLayout[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return structLayout(all);
    }
}
