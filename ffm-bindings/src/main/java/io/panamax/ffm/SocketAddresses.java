package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static io.panamax.ffm.SockaddrDescriptor.NET_INT;
import static io.panamax.ffm.SockaddrDescriptor.NET_SHORT;

/**
 * Setup-path helpers that write a Java socket address into a native {@code sockaddr} (for {@code bind},
 * {@code connect}) and read one back (from {@code accept}, {@code getsockname}, {@code getpeername},
 * {@code getaddrinfo}), with each platform's layout ({@link SockaddrDescriptor}). They validate eagerly, throw
 * {@link IllegalArgumentException} for what cannot be encoded, and allocate: not for the hot path.
 * <p>
 * Give them a segment of {@link SockaddrDescriptor#STORAGE_LENGTH} bytes ({@code sockaddr_storage}), which fits
 * every family.
 * <p>
 * <b>Thread-safety:</b> stateless; the segments passed belong to the caller.
 */
public final class SocketAddresses
{
    private static final int IPV4_BYTES = 4;
    private static final int IPV6_BYTES = 16;

    private SocketAddresses()
    {
    }

    /**
     * Write an IPv4 or IPv6 address and port.
     *
     * @param sa      the destination, at least {@code sockaddr_in6}'s 28 bytes for IPv6.
     * @param address a resolved address.
     * @return the length to pass as {@code socklen_t} (16 or 28).
     * @throws IllegalArgumentException when the address is unresolved or the segment too small.
     */
    public static int write(final MemorySegment sa, final InetSocketAddress address)
    {
        return write(Constants.PLATFORM, sa, address);
    }

    /**
     * Write a Unix-domain path (NUL-terminated; the Linux abstract namespace is not supported).
     *
     * @param sa      the destination, at least {@code sockaddr_un}'s size.
     * @param address the path.
     * @return the length to pass as {@code socklen_t}: path offset + path bytes + 1.
     * @throws IllegalArgumentException when the path is empty or does not fit {@code sun_path}.
     */
    public static int write(final MemorySegment sa, final UnixDomainSocketAddress address)
    {
        return write(Constants.PLATFORM, sa, address);
    }

    /**
     * Read an address the kernel wrote.
     *
     * @param sa     the {@code sockaddr}.
     * @param length the length the kernel reported ({@code socklen_t} out-parameter).
     * @return an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress} (empty path for an unnamed socket).
     * @throws IllegalArgumentException for another family or a length too short for the family.
     */
    public static SocketAddress read(final MemorySegment sa, final int length)
    {
        return read(Constants.PLATFORM, sa, length);
    }

    /**
     * @param sa a {@code sockaddr}.
     * @return its family ({@link Sockets#AF_INET}, {@link Sockets#AF_INET6}, {@link Sockets#AF_UNIX}, ...).
     */
    public static int family(final MemorySegment sa)
    {
        return family(Constants.PLATFORM, sa);
    }

    /**
     * The port of an IPv4 or IPv6 address, without allocating.
     *
     * @param sa a {@code sockaddr_in} or {@code sockaddr_in6}.
     * @return the port (0–65535), or -1 for another family.
     */
    public static int port(final MemorySegment sa)
    {
        final int family = family(sa);
        if (family == Sockets.AF_INET)
        {
            return Short.toUnsignedInt(sa.get(NET_SHORT, SockaddrDescriptor.IN_PORT_OFFSET));
        }
        return family == Sockets.AF_INET6 ?
            Short.toUnsignedInt(sa.get(NET_SHORT, SockaddrDescriptor.IN6_PORT_OFFSET)) : -1;
    }

    static int write(final Platform platform, final MemorySegment sa, final InetSocketAddress address)
    {
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        final ConstantTable table = table(platform);
        final InetAddress ip = address.getAddress();
        final boolean v6 = ip instanceof Inet6Address;
        final StructLayout layout = v6 ? SockaddrDescriptor.in6Layout(platform) : SockaddrDescriptor.inLayout(platform);
        final int length = (int)layout.byteSize();
        head(platform, sa, length, table.value(v6 ? "AF_INET6" : "AF_INET"));
        sa.set(NET_SHORT, offset(layout, v6 ? "sin6_port" : "sin_port"), (short)address.getPort());
        if (v6)
        {
            MemorySegment.copy(ip.getAddress(), 0, sa, JAVA_BYTE, offset(layout, "sin6_addr"), IPV6_BYTES);
            sa.set(JAVA_INT, offset(layout, "sin6_scope_id"), ((Inet6Address)ip).getScopeId());
        }
        else
        {
            sa.set(NET_INT, offset(layout, "sin_addr"), ipv4(ip));
        }
        return length;
    }

    static int write(final Platform platform, final MemorySegment sa, final UnixDomainSocketAddress address)
    {
        final byte[] path = address.getPath().toString().getBytes(StandardCharsets.UTF_8);
        final long pathOffset = familyEnd(platform);
        final long capacity = SockaddrDescriptor.unLayout(platform).byteSize() - pathOffset;
        if (0 == path.length || path.length >= capacity)
        {
            throw new IllegalArgumentException(
                "Unix socket path must be 1.." + (capacity - 1) + " bytes: \"" + address.getPath() + "\"");
        }
        final int length = (int)(pathOffset + path.length + 1);
        head(platform, sa, length, table(platform).value("AF_UNIX"));
        MemorySegment.copy(path, 0, sa, JAVA_BYTE, pathOffset, path.length);
        return length;
    }

    static SocketAddress read(final Platform platform, final MemorySegment sa, final int length)
    {
        final ConstantTable table = table(platform);
        final int family = family(platform, sa);
        if (family == table.value("AF_INET") || family == table.value("AF_INET6"))
        {
            final boolean v6 = family == table.value("AF_INET6");
            final StructLayout layout =
                v6 ? SockaddrDescriptor.in6Layout(platform) : SockaddrDescriptor.inLayout(platform);
            if (length < layout.byteSize())
            {
                throw new IllegalArgumentException("address length " + length + " too short for family " + family);
            }
            final int port = Short.toUnsignedInt(sa.get(NET_SHORT, offset(layout, v6 ? "sin6_port" : "sin_port")));
            try
            {
                final InetAddress ip = v6 ?
                    Inet6Address.getByAddress(null,
                        sa.asSlice(offset(layout, "sin6_addr"), IPV6_BYTES).toArray(JAVA_BYTE),
                        sa.get(JAVA_INT, offset(layout, "sin6_scope_id"))) :
                    InetAddress.getByAddress(sa.asSlice(offset(layout, "sin_addr"), IPV4_BYTES).toArray(JAVA_BYTE));
                return new InetSocketAddress(ip, port);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalArgumentException("malformed address of family " + family, ex);
            }
        }
        if (family == table.value("AF_UNIX"))
        {
            final long pathOffset = familyEnd(platform);
            final byte[] raw = sa.asSlice(pathOffset, Math.max(0, length - pathOffset)).toArray(JAVA_BYTE);
            if (raw.length > 0 && 0 == raw[0] && raw.length > 1)
            {
                throw new IllegalArgumentException("Linux abstract-namespace Unix addresses are not supported");
            }
            int n = 0;
            while (n < raw.length && 0 != raw[n])
            {
                n++;
            }
            return UnixDomainSocketAddress.of(new String(raw, 0, n, StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    static int family(final Platform platform, final MemorySegment sa)
    {
        return SockaddrDescriptor.hasLen(platform) ?
            Byte.toUnsignedInt(sa.get(JAVA_BYTE, SockaddrDescriptor.familyOffset(platform))) :
            Short.toUnsignedInt(sa.get(JAVA_SHORT, SockaddrDescriptor.familyOffset(platform)));
    }

    private static void head(final Platform platform, final MemorySegment sa, final int length, final int family)
    {
        if (sa.byteSize() < length)
        {
            throw new IllegalArgumentException("sockaddr segment of " + sa.byteSize() + " bytes, need " + length);
        }
        sa.asSlice(0, length).fill((byte)0);
        if (SockaddrDescriptor.hasLen(platform))
        {
            sa.set(JAVA_BYTE, SockaddrDescriptor.LEN_OFFSET, (byte)length);
            sa.set(JAVA_BYTE, SockaddrDescriptor.familyOffset(platform), (byte)family);
        }
        else
        {
            sa.set(JAVA_SHORT, SockaddrDescriptor.familyOffset(platform), (short)family);
        }
    }

    private static long familyEnd(final Platform platform)
    {
        return offset(SockaddrDescriptor.unLayout(platform), "sun_path");
    }

    private static long offset(final StructLayout layout, final String field)
    {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    private static int ipv4(final InetAddress ip)
    {
        if (!(ip instanceof Inet4Address))
        {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        final byte[] b = ip.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    private static ConstantTable table(final Platform platform)
    {
        return platform == Constants.PLATFORM ? Constants.TABLE : Constants.table(platform);
    }
}
