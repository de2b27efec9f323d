package io.panamax.ffm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constant tables of all four platforms against an independent transcription of native-abi.md §3
 * (columns: name, Linux, macOS; "-" = the OS lacks it). Pure data: runs on any OS.
 */
class ConstantsTest
{
    /** native-abi.md §3.1 and §3.2; ESPIPE is not there (Linux asm-generic/errno-base.h, macOS sys/errno.h). */
    private static final String ERRNO_REFERENCE = """
            EAGAIN                     11           35
            EWOULDBLOCK                11           35
            EINTR                      4            4
            EINPROGRESS                115          36
            EALREADY                   114          37
            ECONNREFUSED               111          61
            ECONNRESET                 104          54
            EPIPE                      32           32
            ENOTCONN                   107          57
            EBADF                      9            9
            EINVAL                     22           22
            EMFILE                     24           24
            ENFILE                     23           23
            ENOBUFS                    105          55
            ENOMEM                     12           12
            ETIMEDOUT                  110          60
            EADDRINUSE                 98           48
            EADDRNOTAVAIL              99           49
            ENETUNREACH                101          51
            EHOSTUNREACH               113          65
            EISCONN                    106          56
            ENOENT                     2            2
            EEXIST                     17           17
            EACCES                     13           13
            EPERM                      1            1
            ESRCH                      3            3
            EIO                        5            5
            EFAULT                     14           14
            ENOTTY                     25           25
            ESPIPE                     29           29
            ENOSYS                     38           78
            ENOTSOCK                   88           38
            EDESTADDRREQ               89           39
            EMSGSIZE                   90           40
            EPROTOTYPE                 91           41
            ENOPROTOOPT                92           42
            EPROTONOSUPPORT            93           43
            ENOTSUP                    95           45
            EOPNOTSUPP                 95           102
            EAFNOSUPPORT               97           47
            ENETDOWN                   100          50
            ENETRESET                  102          52
            ECONNABORTED               103          53
            ESHUTDOWN                  108          58
            EHOSTDOWN                  112          64
            EOVERFLOW                  75           84
            ECANCELED                  125          89
            EPROTO                     71           100
            """;

    /** native-abi.md §3.3 to §3.15. */
    private static final String CONSTANT_REFERENCE = """
            AF_UNSPEC                  0            0
            AF_UNIX                    1            1
            AF_LOCAL                   1            1
            AF_INET                    2            2
            AF_INET6                   10           30
            SOCK_STREAM                1            1
            SOCK_DGRAM                 2            2
            SOCK_RAW                   3            3
            SOCK_SEQPACKET             5            5
            SOCK_NONBLOCK              2048         -
            SOCK_CLOEXEC               524288       -
            SOL_SOCKET                 1            65535
            SO_REUSEADDR               2            4
            SO_REUSEPORT               15           512
            SO_ERROR                   4            4103
            SO_KEEPALIVE               9            8
            SO_RCVBUF                  8            4098
            SO_SNDBUF                  7            4097
            SO_LINGER                  13           128
            SO_LINGER_SEC              -            4224
            SO_NOSIGPIPE               -            4130
            SO_BUSY_POLL               46           -
            SO_TYPE                    3            4104
            SO_ACCEPTCONN              30           2
            SO_BROADCAST               6            32
            SO_OOBINLINE               10           256
            SO_RCVLOWAT                18           4100
            SO_SNDLOWAT                19           4099
            SO_NREAD                   -            4128
            SO_NWRITE                  -            4132
            SO_DOMAIN                  39           -
            SO_PROTOCOL                38           -
            SO_INCOMING_CPU            49           -
            IPPROTO_IP                 0            0
            IPPROTO_TCP                6            6
            IPPROTO_UDP                17           17
            IPPROTO_IPV6               41           41
            IPV6_V6ONLY                26           27
            TCP_NODELAY                1            1
            TCP_MAXSEG                 2            2
            TCP_QUICKACK               12           -
            TCP_KEEPIDLE               4            -
            TCP_KEEPALIVE              -            16
            TCP_KEEPINTVL              5            257
            TCP_KEEPCNT                6            258
            TCP_CORK                   3            -
            TCP_NOPUSH                 -            4
            TCP_FASTOPEN               23           261
            TCP_NOTSENT_LOWAT          25           513
            TCP_USER_TIMEOUT           18           -
            TCP_CONNECTIONTIMEOUT      -            32
            MSG_OOB                    0x1          0x1
            MSG_PEEK                   0x2          0x2
            MSG_TRUNC                  0x20         0x10
            MSG_WAITALL                0x100        0x40
            MSG_DONTWAIT               0x40         0x80
            MSG_NOSIGNAL               0x4000       0x80000
            MSG_MORE                   0x8000       -
            MSG_EOF                    -            0x100
            MSG_CMSG_CLOEXEC           0x40000000   -
            F_DUPFD                    0            0
            F_GETFD                    1            1
            F_SETFD                    2            2
            F_GETFL                    3            3
            F_SETFL                    4            4
            F_DUPFD_CLOEXEC            1030         67
            F_SETNOSIGPIPE             -            73
            F_GETNOSIGPIPE             -            74
            FD_CLOEXEC                 1            1
            O_RDONLY                   0            0
            O_WRONLY                   1            1
            O_RDWR                     2            2
            O_NONBLOCK                 2048         4
            O_NDELAY                   2048         4
            O_CLOEXEC                  524288       16777216
            SHUT_RD                    0            0
            SHUT_WR                    1            1
            SHUT_RDWR                  2            2
            EPOLL_CTL_ADD              0x1          -
            EPOLL_CTL_DEL              0x2          -
            EPOLL_CTL_MOD              0x3          -
            EPOLLIN                    0x1          -
            EPOLLPRI                   0x2          -
            EPOLLOUT                   0x4          -
            EPOLLERR                   0x8          -
            EPOLLHUP                   0x10         -
            EPOLLRDHUP                 0x2000       -
            EPOLLEXCLUSIVE             0x10000000   -
            EPOLLWAKEUP                0x20000000   -
            EPOLLONESHOT               0x40000000   -
            EPOLLET                    0x80000000   -
            EPOLL_CLOEXEC              0x80000      -
            EFD_SEMAPHORE              0x1          -
            EFD_NONBLOCK               0x800        -
            EFD_CLOEXEC                0x80000      -
            EVFILT_READ                -            -1
            EVFILT_WRITE               -            -2
            EVFILT_AIO                 -            -3
            EVFILT_VNODE               -            -4
            EVFILT_PROC                -            -5
            EVFILT_SIGNAL              -            -6
            EVFILT_TIMER               -            -7
            EVFILT_MACHPORT            -            -8
            EVFILT_FS                  -            -9
            EVFILT_USER                -            -10
            EVFILT_VM                  -            -12
            EVFILT_EXCEPT              -            -15
            EV_ADD                     -            0x1
            EV_DELETE                  -            0x2
            EV_ENABLE                  -            0x4
            EV_DISABLE                 -            0x8
            EV_ONESHOT                 -            0x10
            EV_CLEAR                   -            0x20
            EV_RECEIPT                 -            0x40
            EV_DISPATCH                -            0x80
            EV_UDATA_SPECIFIC          -            0x100
            EV_DISPATCH2               -            0x180
            EV_VANISHED                -            0x200
            EV_SYSFLAGS                -            0xf000
            EV_FLAG0                   -            0x1000
            EV_FLAG1                   -            0x2000
            EV_ERROR                   -            0x4000
            EV_EOF                     -            0x8000
            EV_POLL                    -            0x1000
            EV_OOBAND                  -            0x2000
            NOTE_TRIGGER               -            0x1000000
            NOTE_FFNOP                 -            0x0
            NOTE_FFAND                 -            0x40000000
            NOTE_FFOR                  -            0x80000000
            NOTE_FFCOPY                -            0xc0000000
            NOTE_FFCTRLMASK            -            0xc0000000
            NOTE_FFLAGSMASK            -            0xffffff
            NOTE_LOWAT                 -            0x1
            NOTE_OOB                   -            0x2
            NOTE_SECONDS               -            0x1
            NOTE_USECONDS              -            0x2
            NOTE_NSECONDS              -            0x4
            NOTE_ABSOLUTE              -            0x8
            NOTE_LEEWAY                -            0x10
            NOTE_CRITICAL              -            0x20
            NOTE_BACKGROUND            -            0x40
            NOTE_MACHTIME              -            0x100
            KEVENT_FLAG_NONE           -            0x0
            KEVENT_FLAG_IMMEDIATE      -            0x1
            KEVENT_FLAG_ERROR_EVENTS   -            0x2
            IOV_MAX                    1024         1024
            SOMAXCONN                  4096         128
            INET_ADDRSTRLEN            16           16
            INET6_ADDRSTRLEN           46           46
            NI_MAXHOST                 1025         1025
            NI_MAXSERV                 32           32
            SIGHUP                     1            1
            SIGINT                     2            2
            SIGQUIT                    3            3
            SIGKILL                    9            9
            SIGPIPE                    13           13
            SIGALRM                    14           14
            SIGTERM                    15           15
            SIGUSR1                    10           30
            SIGUSR2                    12           31
            SIGCHLD                    17           20
            SIGURG                     23           16
            SIGIO                      29           23
            SIGWINCH                   28           28
            AI_PASSIVE                 0x1          0x1
            AI_CANONNAME               0x2          0x2
            AI_NUMERICHOST             0x4          0x4
            AI_V4MAPPED                0x8          0x800
            AI_ALL                     0x10         0x100
            AI_ADDRCONFIG              0x20         0x400
            AI_NUMERICSERV             0x400        0x1000
            EAI_BADFLAGS               -1           3
            EAI_NONAME                 -2           8
            EAI_AGAIN                  -3           2
            EAI_FAIL                   -4           4
            EAI_NODATA                 -5           7
            EAI_FAMILY                 -6           5
            EAI_SOCKTYPE               -7           10
            EAI_SERVICE                -8           9
            EAI_ADDRFAMILY             -9           1
            EAI_MEMORY                 -10          6
            EAI_SYSTEM                 -11          11
            EAI_OVERFLOW               -12          14
            """;

    /**
     * Not in native-abi.md: ioctl FIONREAD (Linux asm-generic/ioctls.h; macOS sys/filio.h), poll bits (same on
     * both), RLIMIT_NOFILE and RLIM_INFINITY (Linux asm-generic/resource.h; macOS sys/resource.h), TCP_DEFER_ACCEPT
     * (Linux uapi linux/tcp.h; none on macOS), lseek's SEEK_* (glibc unistd.h; macOS sys/_types/_seek_set.h).
     */
    private static final String EXTRA_REFERENCE = """
            FIONREAD                   0x541b       0x4004667f
            POLLIN                     0x1          0x1
            POLLPRI                    0x2          0x2
            POLLOUT                    0x4          0x4
            POLLERR                    0x8          0x8
            POLLHUP                    0x10         0x10
            POLLNVAL                   0x20         0x20
            RLIMIT_NOFILE              7            8
            RLIM_INFINITY              -1           0x7fffffffffffffff
            TCP_DEFER_ACCEPT           9            -
            SIG_BLOCK                  0            1
            SIG_UNBLOCK                1            2
            SIG_SETMASK                2            3
            SEEK_SET                   0            0
            SEEK_CUR                   1            1
            SEEK_END                   2            2
            """;

    @ParameterizedTest
    @EnumSource(Platform.class)
    void constantTableMatchesNativeAbiReference(final Platform platform)
    {
        assertTableMatches(platform, parse(CONSTANT_REFERENCE + EXTRA_REFERENCE), Constants.table(platform));
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void errnoTableMatchesNativeAbiReference(final Platform platform)
    {
        assertTableMatches(platform, parse(ERRNO_REFERENCE), Errno.table(platform));
    }

    @Test
    void currentPlatformFieldsTakeTheCurrentColumn()
    {
        final ConstantTable table = Constants.table(Constants.PLATFORM);
        assertEquals(table.value("AF_INET6"), Sockets.AF_INET6);
        assertEquals(table.value("SOL_SOCKET"), SocketOptions.SOL_SOCKET);
        assertEquals(table.value("SO_ERROR"), SocketOptions.SO_ERROR);
        assertEquals(table.value("MSG_NOSIGNAL"), Sockets.MSG_NOSIGNAL);
        assertEquals(table.value("O_NONBLOCK"), Libc.O_NONBLOCK);
        assertEquals(table.longValue("FIONREAD"), Libc.FIONREAD);
        assertEquals(table.longValue("RLIM_INFINITY"), Libc.RLIM_INFINITY);
        assertEquals(table.value("EAI_NONAME"), NetDb.EAI_NONAME);
        assertEquals(table.value("SIGUSR1"), Signals.SIGUSR1);
        assertEquals(table.value("EPOLLET"), Epoll.EPOLLET);
        assertEquals((short)table.value("EVFILT_USER"), Kqueue.EVFILT_USER);
        assertEquals(table.value("IOV_MAX"), IovecDescriptor.IOV_MAX);
        assertEquals(table.has("SO_NOSIGPIPE"), SocketOptions.HAS_SO_NOSIGPIPE);
        assertEquals(table.has("SOCK_NONBLOCK"), Sockets.HAS_SOCK_NONBLOCK);
        assertEquals(Errno.table(Constants.PLATFORM).value("ECONNREFUSED"), Errno.ECONNREFUSED);
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = { "LINUX_X86_64", "LINUX_AARCH64" })
    void linuxAcceptFlagsEqualOpenFlagsSoOneFlagWordServesBoth(final Platform platform)
    {
        final ConstantTable table = Constants.table(platform);
        assertEquals(table.value("O_NONBLOCK"), table.value("SOCK_NONBLOCK"));
        assertEquals(table.value("O_CLOEXEC"), table.value("SOCK_CLOEXEC"));
        assertEquals(table.value("O_CLOEXEC"), table.value("EPOLL_CLOEXEC"));
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = { "MACOS_X86_64", "MACOS_ARM64" })
    void macOsLacksLinuxOnlyConstantsAndTheyReadAsZero(final Platform platform)
    {
        final ConstantTable table = Constants.table(platform);
        assertFalse(table.has("SOCK_NONBLOCK"));
        assertEquals(0, table.value("SOCK_NONBLOCK"));
        assertFalse(table.has("EPOLLIN"));
        assertTrue(table.has("SO_NOSIGPIPE"));
        assertTrue(table.has("SO_LINGER_SEC"));
    }

    @Test
    void unknownConstantNameIsRejectedRatherThanReadAsAbsent()
    {
        final ConstantTable table = Constants.table(Platform.LINUX_X86_64);
        assertThrows(IllegalArgumentException.class, () -> table.value("SO_NO_SUCH_OPTION"));
        assertThrows(IllegalArgumentException.class, () -> table.has("SO_NO_SUCH_OPTION"));
    }

    private static void assertTableMatches(
        final Platform platform, final Map<String, String[]> reference, final ConstantTable table)
    {
        assertEquals(new TreeSet<>(reference.keySet()), new TreeSet<>(table.knownNames()),
            "the table knows exactly the reference's names");
        final int column = platform.isLinux() ? 0 : 1;
        for (final Map.Entry<String, String[]> e : reference.entrySet())
        {
            final String name = e.getKey();
            final String expected = e.getValue()[column];
            if ("-".equals(expected))
            {
                assertFalse(table.has(name), name + " must be absent on " + platform);
                assertEquals(0, table.longValue(name), name + " reads as 0 where absent");
            }
            else
            {
                assertTrue(table.has(name), name + " must exist on " + platform);
                assertEquals(decode(expected), table.longValue(name), name + " on " + platform);
            }
        }
    }

    private static long decode(final String text)
    {
        if (text.startsWith("0x"))
        {
            return Long.parseUnsignedLong(text.substring(2), 16);
        }
        return Long.parseLong(text);
    }

    private static Map<String, String[]> parse(final String reference)
    {
        final Map<String, String[]> rows = new LinkedHashMap<>();
        for (final String line : reference.strip().split("\\n"))
        {
            final String[] cells = line.strip().split("\\s+");
            assertEquals(3, cells.length, line);
            assertEquals(null, rows.put(cells[0], new String[]{ cells[1], cells[2] }), "duplicate " + cells[0]);
        }
        return rows;
    }
}
