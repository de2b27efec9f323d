package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtrasSyscountTest
{
    @Test
    void perfStatCsvGivesNonZeroCallsPerSyscall()
    {
        final List<String> out = List.of(
            "# started on Sat Nov 28 07:03:05 2026",
            "",
            "0,,syscalls:sys_enter_read,2577975991,100.00,,",
            "250001,,syscalls:sys_enter_readv,2578019558,100.00,,",
            "250000,,syscalls:sys_enter_sendmsg,2578135215,100.00,,",
            "<not counted>,,syscalls:sys_enter_recvfrom,0,0.00,,",
            "32683,,syscalls:sys_enter_epoll_wait,2578253011,100.00,,",
            "101,,syscalls:sys_enter_epoll_ctl,2578345570,100.00,,");
        assertEquals(Map.of("readv", 250_001L, "sendmsg", 250_000L, "epoll_wait", 32_683L, "epoll_ctl", 101L),
            Extras.parsePerfStat(out));
    }

    @Test
    void bulkCellsGiveCallsPerMegabyteAndBytesPerReadAndWrite()
    {
        final Map<String, Long> calls = Map.of("readv", 10_000L, "sendmsg", 5_000L, "epoll_wait", 2_000L,
            "epoll_ctl", 20L);
        final long bytes = 327_680_000L;
        assertEquals("51.9 | readv 30.5, sendmsg 15.3, epoll_wait 6.1", Extras.perMegabyte(calls, bytes));
        assertEquals("32768", Extras.bytesPerCall(calls, List.of("read", "readv"), bytes));
        assertEquals("65536", Extras.bytesPerCall(calls, List.of("write", "sendmsg"), bytes));
        assertEquals("–", Extras.bytesPerCall(calls, List.of("recvfrom"), bytes));
    }

    @Test
    void syscountIsAnOptionOffByDefaultAndCountsEveryWayServersReadWriteAndWait()
    {
        assertTrue(BenchOptions.parse("--syscount").syscount);
        assertEquals(false, BenchOptions.parse().syscount);
        assertTrue(Extras.SYSCOUNT_CALLS.containsAll(List.of("readv", "sendmsg", "recvfrom", "sendto", "epoll_wait")));
    }
}
