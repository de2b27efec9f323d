package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every descriptor's layout, for all four platforms, against native-abi.md §2 (and, for {@code rlimit} and
 * {@code pollfd}, which it lacks, glibc/XNU headers). Pure data: runs on any OS.
 */
class StructLayoutsTest
{
    /**
     * One struct per line: platforms (L = Linux, M = macOS, LX/LA = Linux x86_64/aarch64, * = all), name, total
     * size, then {@code field@offset} or {@code field@offset/size}.
     */
    private static final String REFERENCE = """
        LX epoll_event      12  events@0/4 data@4/8
        LA epoll_event      16  events@0/4 data@8/8
        *  kevent           32  ident@0/8 filter@8/2 flags@10/2 fflags@12/4 data@16/8 udata@24/8
        *  kevent64_s       48  ident@0/8 filter@8/2 flags@10/2 fflags@12/4 data@16/8 udata@24/8 ext@32/16
        *  iovec            16  iov_base@0/8 iov_len@8/8
        L  sockaddr_in      16  sin_family@0/2 sin_port@2/2 sin_addr@4/4 sin_zero@8/8
        M  sockaddr_in      16  sin_len@0/1 sin_family@1/1 sin_port@2/2 sin_addr@4/4 sin_zero@8/8
        L  sockaddr_in6     28  sin6_family@0/2 sin6_port@2/2 sin6_flowinfo@4/4 sin6_addr@8/16 sin6_scope_id@24/4
        M  sockaddr_in6     28  sin6_len@0/1 sin6_family@1/1 sin6_port@2/2 sin6_flowinfo@4/4 sin6_addr@8/16 \
            sin6_scope_id@24/4
        L  sockaddr_un      110 sun_family@0/2 sun_path@2/108
        M  sockaddr_un      106 sun_len@0/1 sun_family@1/1 sun_path@2/104
        L  sockaddr_storage 128 ss_family@0/2 __ss_align@120/8
        M  sockaddr_storage 128 ss_len@0/1 ss_family@1/1 __ss_align@8/8
        *  timespec         16  tv_sec@0/8 tv_nsec@8/8
        *  linger           8   l_onoff@0/4 l_linger@4/4
        L  addrinfo         48  ai_flags@0 ai_family@4 ai_socktype@8 ai_protocol@12 ai_addrlen@16 ai_addr@24 \
            ai_canonname@32 ai_next@40
        M  addrinfo         48  ai_flags@0 ai_family@4 ai_socktype@8 ai_protocol@12 ai_addrlen@16 \
            ai_canonname@24 ai_addr@32 ai_next@40
        L  msghdr           56  msg_name@0 msg_namelen@8/4 msg_iov@16 msg_iovlen@24/8 msg_control@32 \
            msg_controllen@40/8 msg_flags@48/4
        M  msghdr           48  msg_name@0 msg_namelen@8/4 msg_iov@16 msg_iovlen@24/4 msg_control@32 \
            msg_controllen@40/4 msg_flags@44/4
        *  sf_hdtr          32  headers@0/8 hdr_cnt@8/4 trailers@16/8 trl_cnt@24/4
        *  rlimit           16  rlim_cur@0/8 rlim_max@8/8
        *  pollfd           8   fd@0/4 events@4/2 revents@6/2
        """;

    private static final Map<String, Function<Platform, StructLayout>> LAYOUTS = Map.ofEntries(
        Map.entry("epoll_event", EpollEventDescriptor::layout),
        Map.entry("kevent", KeventDescriptor::layout),
        Map.entry("kevent64_s", Kevent64Descriptor::layout),
        Map.entry("iovec", IovecDescriptor::layout),
        Map.entry("sockaddr_in", SockaddrDescriptor::inLayout),
        Map.entry("sockaddr_in6", SockaddrDescriptor::in6Layout),
        Map.entry("sockaddr_un", SockaddrDescriptor::unLayout),
        Map.entry("sockaddr_storage", SockaddrDescriptor::storageLayout),
        Map.entry("timespec", TimespecDescriptor::layout),
        Map.entry("linger", LingerDescriptor::layout),
        Map.entry("addrinfo", AddrinfoDescriptor::layout),
        Map.entry("msghdr", MsghdrDescriptor::layout),
        Map.entry("sf_hdtr", SfHdtrDescriptor::layout),
        Map.entry("rlimit", RlimitDescriptor::layout),
        Map.entry("pollfd", PollfdDescriptor::layout));

    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyLayoutMatchesTheReferenceOffsetsAndSizes(final Platform platform)
    {
        final List<String> checked = new ArrayList<>();
        for (final String line : REFERENCE.strip().split("\n"))
        {
            final String[] cells = line.strip().split("\\s+");
            if (!appliesTo(cells[0], platform))
            {
                continue;
            }
            final String struct = cells[1];
            final StructLayout layout = LAYOUTS.get(struct).apply(platform);
            assertEquals(Long.parseLong(cells[2]), layout.byteSize(), struct + " size on " + platform);
            for (int i = 3; i < cells.length; i++)
            {
                final String[] field = cells[i].split("[@/]");
                final MemoryLayout.PathElement path = MemoryLayout.PathElement.groupElement(field[0]);
                assertEquals(Long.parseLong(field[1]), layout.byteOffset(path), struct + "." + field[0]);
                if (field.length > 2)
                {
                    assertEquals(Long.parseLong(field[2]), layout.select(path).byteSize(),
                        struct + "." + field[0] + " size");
                }
            }
            checked.add(struct);
        }
        assertTrue(checked.size() >= (platform.isLinux() ? 15 : 14), "structs checked: " + checked);
    }

    @Test
    void currentPlatformConstantsComeFromTheCurrentLayouts()
    {
        final Platform p = Constants.PLATFORM;
        assertEquals(SockaddrDescriptor.in6Layout(p).byteSize(), SockaddrDescriptor.IN6_LENGTH);
        assertEquals(SockaddrDescriptor.unLayout(p).byteSize() - 2, SockaddrDescriptor.UN_PATH_LENGTH);
        assertEquals(p.isMacOs() ? 1 : 0, SockaddrDescriptor.FAMILY_OFFSET);
        assertEquals(p.isMacOs() ? 24 : 32, AddrinfoDescriptor.CANONNAME_OFFSET);
        assertEquals(p.isMacOs() ? 44 : 48, MsghdrDescriptor.FLAGS_OFFSET);
        assertEquals(p.isX86() && p.isLinux() ? 12 : 16, EpollEventDescriptor.layout(p).byteSize());
        assertEquals(32, KeventDescriptor.LENGTH);
        assertEquals(8, LingerDescriptor.LENGTH);
    }

    private static boolean appliesTo(final String platforms, final Platform platform)
    {
        return switch (platforms)
        {
            case "*" -> true;
            case "L" -> platform.isLinux();
            case "M" -> platform.isMacOs();
            case "LX" -> Platform.LINUX_X86_64 == platform;
            case "LA" -> Platform.LINUX_AARCH64 == platform;
            default -> throw new IllegalArgumentException(platforms);
        };
    }
}
