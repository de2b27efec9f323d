package io.panamax.ffm;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class NetDbTest
{
    @Test
    void getaddrinfoOfLocalhostYieldsLoopbackAddressesWithThePort() throws Exception
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment hints = f.arena.allocate(AddrinfoDescriptor.LAYOUT);
            hints.set(JAVA_INT, AddrinfoDescriptor.SOCKTYPE_OFFSET, Sockets.SOCK_STREAM);
            hints.set(JAVA_INT, AddrinfoDescriptor.FAMILY_OFFSET, Sockets.AF_UNSPEC);
            final MemorySegment result = f.arena.allocate(ADDRESS);
            assertEquals(0, NetDb.getaddrinfo(
                f.cs, f.arena.allocateFrom("localhost"), f.arena.allocateFrom("8080"), hints, result));
            final MemorySegment list = result.get(ADDRESS, 0);
            try
            {
                final List<InetSocketAddress> addresses = NetDb.addresses(list);
                assertFalse(addresses.isEmpty());
                final InetAddress v4 = InetAddress.getByName("127.0.0.1");
                final InetAddress v6 = InetAddress.getByName("::1");
                assertTrue(addresses.stream().anyMatch(a -> a.getAddress().equals(v4) || a.getAddress().equals(v6)),
                    "127.0.0.1 or ::1 among " + addresses);
                for (final InetSocketAddress a : addresses)
                {
                    // older macOS hosts files also map localhost to fe80::1%lo0
                    final InetAddress ip = a.getAddress();
                    assertTrue(ip.isLoopbackAddress() || ip.isLinkLocalAddress(), "local: " + a);
                    assertEquals(8080, a.getPort());
                }
            }
            finally
            {
                NetDb.freeaddrinfo(list);
            }
        }
    }

    @Test
    void nonNumericHostWithNumericHostFlagFailsWithThePlatformsEaiNoname()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment hints = f.arena.allocate(AddrinfoDescriptor.LAYOUT);
            hints.set(JAVA_INT, AddrinfoDescriptor.FLAGS_OFFSET, NetDb.AI_NUMERICHOST);
            final MemorySegment result = f.arena.allocate(ADDRESS);
            final int rc = NetDb.getaddrinfo(
                f.cs, f.arena.allocateFrom("not-a-number"), MemorySegment.NULL, hints, result);
            assertEquals(NetDb.EAI_NONAME, rc);
            assertTrue(Platform.IS_LINUX ? rc < 0 : rc > 0, "EAI codes are negative on Linux, positive on macOS");
            assertEquals("EAI_NONAME", NetDb.eaiName(rc));
            assertTrue(NetDb.describe(rc).startsWith("EAI_NONAME ("), NetDb.describe(rc));
            assertFalse(NetDb.gaiStrerror(rc).isEmpty());
            assertEquals("EAI 12345", NetDb.eaiName(12345));
        }
    }
}
