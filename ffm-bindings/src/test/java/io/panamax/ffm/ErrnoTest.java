package io.panamax.ffm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrnoTest
{
    @Test
    @EnabledOnOs({ OS.LINUX, OS.MAC })
    void describeGivesNameAndTheCLibrarysMessage()
    {
        assertEquals("EACCES (Permission denied)", Errno.describe(Errno.EACCES));
        assertEquals("ECONNREFUSED (Connection refused)", Errno.describe(Errno.ECONNREFUSED));
        assertEquals("EBADF (Bad file descriptor)", Errno.describe(Errno.EBADF));
    }

    @Test
    void nameOfSharedValuePrefersTheCommonNameAndUnknownValuesAreNumbered()
    {
        assertEquals("EAGAIN", Errno.name(Errno.EWOULDBLOCK));
        assertEquals("EINPROGRESS", Errno.name(Errno.EINPROGRESS));
        assertEquals("errno 4242", Errno.name(4242));
    }

    @Test
    void tablesPickEachOsNumbering()
    {
        assertEquals(111, Errno.table(Platform.LINUX_AARCH64).value("ECONNREFUSED"));
        assertEquals(61, Errno.table(Platform.MACOS_ARM64).value("ECONNREFUSED"));
        assertEquals("EOPNOTSUPP", Errno.table(Platform.MACOS_X86_64).name(102));
        assertEquals("ENOTSUP", Errno.table(Platform.MACOS_X86_64).name(45));
    }
}
