package io.panamax.ffm;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryTest
{
    @Test
    @EnabledOnOs({ OS.LINUX, OS.MAC })
    void everyExpectedSymbolOfThisPlatformIsFound()
    {
        assertEquals(List.of(), NativeLibrary.missingSymbols());
    }

    @Test
    void selfTestReportsASymbolTheLookupCannotFind()
    {
        assertEquals(List.of("panamax_no_such_symbol"),
            NativeLibrary.missingSymbols(List.of("read", "panamax_no_such_symbol")));
    }

    @Test
    void expectedSymbolsFollowWhatEachOsHas()
    {
        final List<String> linux = NativeLibrary.expectedSymbols(Platform.LINUX_AARCH64);
        final List<String> mac = NativeLibrary.expectedSymbols(Platform.MACOS_X86_64);
        final List<String> linuxOnlySymbols =
            List.of("accept4", "pipe2", "eventfd", "epoll_create1", "epoll_ctl", "epoll_wait", "syscall");
        for (final String linuxOnly : linuxOnlySymbols)
        {
            assertTrue(linux.contains(linuxOnly), linuxOnly);
            assertFalse(mac.contains(linuxOnly), linuxOnly);
        }
        assertTrue(mac.contains("kqueue") && mac.contains("kevent"));
        assertFalse(linux.contains("kqueue"));
        assertTrue(linux.contains("ioctl") && mac.contains("getaddrinfo") && linux.contains("setrlimit"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void macOnlyBindingsAreNeverLinkedOnLinuxButTheirConstantsAreReadable()
    {
        assertFalse(NativeLibrary.has("kqueue"), "this Linux has no kqueue symbol to link");
        assertEquals(0, Kqueue.EV_ADD, "a macOS-only constant reads as 0");
        assertEquals(0, SocketOptions.SO_NOSIGPIPE);
        final Throwable failure = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class,
            () -> Kqueue.kqueue(java.lang.foreign.MemorySegment.NULL));
        Throwable cause = failure;
        while (null != cause.getCause())
        {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof UnsupportedOperationException && cause.getMessage().contains("kqueue"),
            "a clear message names the symbol: " + cause);
    }
}
