package io.panamax.ffm;

/**
 * The one table of C constants (other than errno, which {@link Errno#table(Platform)} holds) and the platform
 * whose column every {@code static final} constant of this module takes.
 * <p>
 * Numbers are transcribed from {@code native-abi.md} §3.3–§3.15; the few it does not list ({@code POLL*},
 * {@code FIONREAD}, {@code RLIMIT_NOFILE}, {@code RLIM_INFINITY}, {@code SIG_BLOCK}...) are marked where they are
 * put. Linux x86_64 and
 * aarch64 agree on every value here, as do macOS x86_64 and arm64, so the table has one column per OS. A constant
 * one OS lacks is absent there ({@link ConstantTable}).
 * <p>
 * On an unsupported platform the Linux x86_64 column is taken so that class initialisation never fails; the first
 * native call then fails in {@link NativeLibrary} with {@link Platform#current()}'s message.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
final class Constants
{
    static final Platform PLATFORM = Platform.isSupported() ? Platform.current() : Platform.LINUX_X86_64;
    static final ConstantTable TABLE = table(PLATFORM);

    private Constants()
    {
    }

    /**
     * @param platform a platform.
     * @return every non-errno constant of that platform.
     */
    static ConstantTable table(final Platform platform)
    {
        final ConstantTable t = new ConstantTable();
        socketTypes(t);
        socketOptions(t);
        ipOptions(t);
        messageFlags(t);
        fileControl(t);
        epoll(t);
        kqueue(t);
        limitsAndSignals(t);
        addrInfo(t);
        return t.select(platform);
    }

    /** §3.3 address families, socket types; §3.8 shutdown. */
    private static void socketTypes(final ConstantTable t)
    {
        t.put("AF_UNSPEC", 0, 0).put("AF_UNIX", 1, 1).put("AF_LOCAL", 1, 1).put("AF_INET", 2, 2)
            .put("AF_INET6", 10, 30)
            .put("SOCK_STREAM", 1, 1).put("SOCK_DGRAM", 2, 2).put("SOCK_RAW", 3, 3).put("SOCK_SEQPACKET", 5, 5)
            .linuxOnly("SOCK_NONBLOCK", 0x800).linuxOnly("SOCK_CLOEXEC", 0x80000)
            .put("SHUT_RD", 0, 0).put("SHUT_WR", 1, 1).put("SHUT_RDWR", 2, 2);
    }

    /** §3.4 SOL_SOCKET options. */
    private static void socketOptions(final ConstantTable t)
    {
        t.put("SOL_SOCKET", 1, 0xffff).put("SO_REUSEADDR", 2, 4).put("SO_REUSEPORT", 15, 0x200)
            .put("SO_ERROR", 4, 0x1007).put("SO_KEEPALIVE", 9, 8).put("SO_RCVBUF", 8, 0x1002)
            .put("SO_SNDBUF", 7, 0x1001).put("SO_LINGER", 13, 0x80).macOnly("SO_LINGER_SEC", 0x1080)
            .macOnly("SO_NOSIGPIPE", 0x1022).linuxOnly("SO_BUSY_POLL", 46).put("SO_TYPE", 3, 0x1008)
            .put("SO_ACCEPTCONN", 30, 2).put("SO_BROADCAST", 6, 0x20).put("SO_OOBINLINE", 10, 0x100)
            .put("SO_RCVLOWAT", 18, 0x1004).put("SO_SNDLOWAT", 19, 0x1003).macOnly("SO_NREAD", 0x1020)
            .macOnly("SO_NWRITE", 0x1024).linuxOnly("SO_DOMAIN", 39).linuxOnly("SO_PROTOCOL", 38)
            .linuxOnly("SO_INCOMING_CPU", 49);
    }

    /** §3.5 IP and TCP options. */
    private static void ipOptions(final ConstantTable t)
    {
        t.put("IPPROTO_IP", 0, 0).put("IPPROTO_TCP", 6, 6).put("IPPROTO_UDP", 17, 17).put("IPPROTO_IPV6", 41, 41)
            .put("IPV6_V6ONLY", 26, 27).put("TCP_NODELAY", 1, 1).put("TCP_MAXSEG", 2, 2)
            .linuxOnly("TCP_QUICKACK", 12).linuxOnly("TCP_KEEPIDLE", 4).macOnly("TCP_KEEPALIVE", 0x10)
            .put("TCP_KEEPINTVL", 5, 0x101).put("TCP_KEEPCNT", 6, 0x102).linuxOnly("TCP_CORK", 3)
            .macOnly("TCP_NOPUSH", 4).put("TCP_FASTOPEN", 23, 0x105).put("TCP_NOTSENT_LOWAT", 25, 0x201)
            .linuxOnly("TCP_USER_TIMEOUT", 18).macOnly("TCP_CONNECTIONTIMEOUT", 0x20)
            // Not in native-abi.md: Linux uapi linux/tcp.h; macOS has no such option.
            .linuxOnly("TCP_DEFER_ACCEPT", 9);
    }

    /** §3.6 send/recv flags. */
    private static void messageFlags(final ConstantTable t)
    {
        t.put("MSG_OOB", 0x1, 0x1).put("MSG_PEEK", 0x2, 0x2).put("MSG_TRUNC", 0x20, 0x10)
            .put("MSG_WAITALL", 0x100, 0x40).put("MSG_DONTWAIT", 0x40, 0x80).put("MSG_NOSIGNAL", 0x4000, 0x80000)
            .linuxOnly("MSG_MORE", 0x8000).macOnly("MSG_EOF", 0x100).linuxOnly("MSG_CMSG_CLOEXEC", 0x40000000);
    }

    /** §3.7 fcntl and open flags; ioctl FIONREAD, poll bits and RLIMIT_NOFILE (not in native-abi.md). */
    private static void fileControl(final ConstantTable t)
    {
        t.put("F_DUPFD", 0, 0).put("F_GETFD", 1, 1).put("F_SETFD", 2, 2).put("F_GETFL", 3, 3).put("F_SETFL", 4, 4)
            .put("F_DUPFD_CLOEXEC", 0x406, 0x43).macOnly("F_SETNOSIGPIPE", 0x49).macOnly("F_GETNOSIGPIPE", 0x4a)
            .put("FD_CLOEXEC", 1, 1).put("O_RDONLY", 0, 0).put("O_WRONLY", 1, 1).put("O_RDWR", 2, 2)
            .put("O_NONBLOCK", 0x800, 0x4).put("O_NDELAY", 0x800, 0x4).put("O_CLOEXEC", 0x80000, 0x1000000);
        // Not in native-abi.md. FIONREAD: Linux asm-generic/ioctls.h (x86 and arm64 share it); macOS
        // sys/filio.h _IOR('f', 127, int). poll bits: Linux asm-generic/poll.h, macOS sys/poll.h.
        // RLIMIT_NOFILE and RLIM_INFINITY: Linux asm-generic/resource.h (~0UL), macOS sys/resource.h ((1 << 63) - 1).
        t.put("FIONREAD", 0x541b, 0x4004667fL)
            .put("POLLIN", 0x1, 0x1).put("POLLPRI", 0x2, 0x2).put("POLLOUT", 0x4, 0x4).put("POLLERR", 0x8, 0x8)
            .put("POLLHUP", 0x10, 0x10).put("POLLNVAL", 0x20, 0x20)
            .put("RLIMIT_NOFILE", 7, 8).put("RLIM_INFINITY", -1L, Long.MAX_VALUE);
        // Not in native-abi.md. lseek whence: glibc bits/stdio.h / unistd.h, macOS sys/_types/_seek_set.h.
        t.put("SEEK_SET", 0, 0).put("SEEK_CUR", 1, 1).put("SEEK_END", 2, 2);
    }

    /** §3.9 epoll and eventfd: Linux only. */
    private static void epoll(final ConstantTable t)
    {
        t.linuxOnly("EPOLL_CTL_ADD", 1).linuxOnly("EPOLL_CTL_DEL", 2).linuxOnly("EPOLL_CTL_MOD", 3)
            .linuxOnly("EPOLLIN", 0x1).linuxOnly("EPOLLPRI", 0x2).linuxOnly("EPOLLOUT", 0x4)
            .linuxOnly("EPOLLERR", 0x8).linuxOnly("EPOLLHUP", 0x10).linuxOnly("EPOLLRDHUP", 0x2000)
            .linuxOnly("EPOLLEXCLUSIVE", 0x10000000).linuxOnly("EPOLLWAKEUP", 0x20000000)
            .linuxOnly("EPOLLONESHOT", 0x40000000).linuxOnly("EPOLLET", 0x80000000L)
            .linuxOnly("EPOLL_CLOEXEC", 0x80000)
            .linuxOnly("EFD_SEMAPHORE", 0x1).linuxOnly("EFD_NONBLOCK", 0x800).linuxOnly("EFD_CLOEXEC", 0x80000);
    }

    /** §3.10–§3.12 kqueue filters, flags and fflags: macOS only. */
    private static void kqueue(final ConstantTable t)
    {
        t.macOnly("EVFILT_READ", -1).macOnly("EVFILT_WRITE", -2).macOnly("EVFILT_AIO", -3)
            .macOnly("EVFILT_VNODE", -4).macOnly("EVFILT_PROC", -5).macOnly("EVFILT_SIGNAL", -6)
            .macOnly("EVFILT_TIMER", -7).macOnly("EVFILT_MACHPORT", -8).macOnly("EVFILT_FS", -9)
            .macOnly("EVFILT_USER", -10).macOnly("EVFILT_VM", -12).macOnly("EVFILT_EXCEPT", -15);
        t.macOnly("EV_ADD", 0x1).macOnly("EV_DELETE", 0x2).macOnly("EV_ENABLE", 0x4).macOnly("EV_DISABLE", 0x8)
            .macOnly("EV_ONESHOT", 0x10).macOnly("EV_CLEAR", 0x20).macOnly("EV_RECEIPT", 0x40)
            .macOnly("EV_DISPATCH", 0x80).macOnly("EV_UDATA_SPECIFIC", 0x100).macOnly("EV_DISPATCH2", 0x180)
            .macOnly("EV_VANISHED", 0x200).macOnly("EV_SYSFLAGS", 0xf000).macOnly("EV_FLAG0", 0x1000)
            .macOnly("EV_FLAG1", 0x2000).macOnly("EV_ERROR", 0x4000).macOnly("EV_EOF", 0x8000)
            .macOnly("EV_POLL", 0x1000).macOnly("EV_OOBAND", 0x2000);
        t.macOnly("NOTE_TRIGGER", 0x1000000).macOnly("NOTE_FFNOP", 0).macOnly("NOTE_FFAND", 0x40000000)
            .macOnly("NOTE_FFOR", 0x80000000L).macOnly("NOTE_FFCOPY", 0xc0000000L)
            .macOnly("NOTE_FFCTRLMASK", 0xc0000000L).macOnly("NOTE_FFLAGSMASK", 0xffffff)
            .macOnly("NOTE_LOWAT", 0x1).macOnly("NOTE_OOB", 0x2).macOnly("NOTE_SECONDS", 0x1)
            .macOnly("NOTE_USECONDS", 0x2).macOnly("NOTE_NSECONDS", 0x4).macOnly("NOTE_ABSOLUTE", 0x8)
            .macOnly("NOTE_LEEWAY", 0x10).macOnly("NOTE_CRITICAL", 0x20).macOnly("NOTE_BACKGROUND", 0x40)
            .macOnly("NOTE_MACHTIME", 0x100).macOnly("KEVENT_FLAG_NONE", 0).macOnly("KEVENT_FLAG_IMMEDIATE", 0x1)
            .macOnly("KEVENT_FLAG_ERROR_EVENTS", 0x2);
    }

    /** §3.13 limits and §3.14 signals. */
    private static void limitsAndSignals(final ConstantTable t)
    {
        t.put("IOV_MAX", 1024, 1024).put("SOMAXCONN", 4096, 128).put("INET_ADDRSTRLEN", 16, 16)
            .put("INET6_ADDRSTRLEN", 46, 46).put("NI_MAXHOST", 1025, 1025).put("NI_MAXSERV", 32, 32);
        t.put("SIGHUP", 1, 1).put("SIGINT", 2, 2).put("SIGQUIT", 3, 3).put("SIGKILL", 9, 9).put("SIGPIPE", 13, 13)
            .put("SIGALRM", 14, 14).put("SIGTERM", 15, 15).put("SIGUSR1", 10, 30).put("SIGUSR2", 12, 31)
            .put("SIGCHLD", 17, 20).put("SIGURG", 23, 16).put("SIGIO", 29, 23).put("SIGWINCH", 28, 28);
        // Not in native-abi.md: pthread_sigmask's "how". Linux glibc sysdeps/unix/sysv/linux/bits/sigaction.h
        // (0, 1, 2; the kernel's asm-generic/signal-defs.h agrees); macOS XNU bsd/sys/signal.h (1, 2, 3).
        t.put("SIG_BLOCK", 0, 1).put("SIG_UNBLOCK", 1, 2).put("SIG_SETMASK", 2, 3);
    }

    /** §3.15 getaddrinfo flags and error codes (negative on Linux, positive on macOS). */
    private static void addrInfo(final ConstantTable t)
    {
        t.put("AI_PASSIVE", 0x1, 0x1).put("AI_CANONNAME", 0x2, 0x2).put("AI_NUMERICHOST", 0x4, 0x4)
            .put("AI_V4MAPPED", 0x8, 0x800).put("AI_ALL", 0x10, 0x100).put("AI_ADDRCONFIG", 0x20, 0x400)
            .put("AI_NUMERICSERV", 0x400, 0x1000);
        t.put("EAI_BADFLAGS", -1, 3).put("EAI_NONAME", -2, 8).put("EAI_AGAIN", -3, 2).put("EAI_FAIL", -4, 4)
            .put("EAI_NODATA", -5, 7).put("EAI_FAMILY", -6, 5).put("EAI_SOCKTYPE", -7, 10)
            .put("EAI_SERVICE", -8, 9).put("EAI_ADDRFAMILY", -9, 1).put("EAI_MEMORY", -10, 6)
            .put("EAI_SYSTEM", -11, 11).put("EAI_OVERFLOW", -12, 14);
    }
}
