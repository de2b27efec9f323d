package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Encoding and decoding of socket addresses with each platform's layout: pure data, runs anywhere. */
class SocketAddressesTest
{
    @ParameterizedTest
    @EnumSource(Platform.class)
    void ipv4IsWrittenWithThePlatformHeadAndNetworkOrderPortAndAddress(final Platform platform) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sa = arena.allocate(128);
            sa.fill((byte)0x5a);
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.1.2.3"), 0x1f90);
            assertEquals(16, SocketAddresses.write(platform, sa, address));
            final byte[] head = platform.isMacOs() ? new byte[]{ 16, 2 } : new byte[]{ 2, 0 };
            assertArrayEquals(bytes(head[0], head[1], 0x1f, 0x90, 127, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0),
                sa.asSlice(0, 16).toArray(JAVA_BYTE));
            assertEquals(address, SocketAddresses.read(platform, sa, 16));
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void ipv6UsesThePlatformFamilyNumberAndKeepsTheScopeId(final Platform platform) throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sa = arena.allocate(128);
            final InetAddress ip = InetAddress.getByName("fe80::1%3");
            final InetSocketAddress address = new InetSocketAddress(ip, 443);
            assertEquals(28, SocketAddresses.write(platform, sa, address));
            if (platform.isMacOs())
            {
                assertEquals(28, sa.get(JAVA_BYTE, 0), "sin6_len");
                assertEquals(30, sa.get(JAVA_BYTE, 1), "AF_INET6 is 30 on macOS, one byte");
            }
            else
            {
                assertEquals(10, sa.get(JAVA_BYTE, 0), "AF_INET6 is 10 on Linux, two bytes");
                assertEquals(0, sa.get(JAVA_BYTE, 1));
            }
            assertEquals(1, sa.get(JAVA_BYTE, 2));
            assertEquals((byte)0xbb, sa.get(JAVA_BYTE, 3), "port 443 big-endian");
            assertEquals((byte)0xfe, sa.get(JAVA_BYTE, 8));
            assertEquals(address, SocketAddresses.read(platform, sa, 28));
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(platform, sa, 16),
                "too short for IPv6");
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void unixPathIsNulTerminatedAndLimitedToSunPath(final Platform platform)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sa = arena.allocate(128);
            final UnixDomainSocketAddress address = UnixDomainSocketAddress.of("/tmp/panamax.sock");
            final int len = SocketAddresses.write(platform, sa, address);
            assertEquals(2 + "/tmp/panamax.sock".length() + 1, len);
            assertEquals(platform.isMacOs() ? len : 1, sa.get(JAVA_BYTE, 0));
            assertEquals(address, SocketAddresses.read(platform, sa, len));
            final int max = platform.isMacOs() ? 103 : 107;
            SocketAddresses.write(platform, sa, UnixDomainSocketAddress.of("/" + "a".repeat(max - 1)));
            assertThrows(IllegalArgumentException.class,
                () -> SocketAddresses.write(platform, sa, UnixDomainSocketAddress.of("/" + "a".repeat(max))));
        }
    }

    @Test
    void unresolvedOrUnknownAddressesAreRejected()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sa = arena.allocate(128);
            assertThrows(IllegalArgumentException.class,
                () -> SocketAddresses.write(sa, InetSocketAddress.createUnresolved("example.invalid", 80)));
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.write(arena.allocate(8),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 80)), "segment too small");
            sa.fill((byte)0);
            sa.set(JAVA_BYTE, SockaddrDescriptor.FAMILY_OFFSET, (byte)99);
            assertThrows(IllegalArgumentException.class, () -> SocketAddresses.read(sa, 16));
            assertEquals(-1, SocketAddresses.port(sa));
        }
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }
}
