package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExtrasTest
{
    @Test
    void straceSummaryGivesCallsPerSyscallWithoutTheTotal()
    {
        final List<String> out = List.of(
            "% time     seconds  usecs/call     calls    errors syscall",
            "------ ----------- ----------- --------- --------- ----------------",
            " 60.00    0.060000           3     20000           write",
            " 30.00    0.030000           1     20000       100 read",
            " 10.00    0.010000           1     10000           epoll_wait",
            "------ ----------- ----------- --------- --------- ----------------",
            "100.00    0.100000           2     50000       100 total");
        final Map<String, Long> calls = Extras.parseStraceSummary(out);
        assertEquals(Map.of("write", 20_000L, "read", 20_000L, "epoll_wait", 10_000L), calls);
        assertEquals("2.50 | write 1.00, read 1.00, epoll_wait 0.50", Extras.perMessage(calls, 20_000));
    }

    @Test
    void rareSyscallsCountInTheTotalButAreNotListed()
    {
        final String cells = Extras.perMessage(Map.of("read", 1000L, "futex", 3L), 1000);
        assertEquals("1.00 | read 1.00", cells);
    }

    @Test
    void gcLogPausesAreSummedFromPauseLinesOnly()
    {
        final String log = """
            [0.012s][info][gc] Using Serial
            [5.100s][info][gc] GC(0) Pause Young (Allocation Failure) 68M->2M(247M) 1.250ms
            [9.300s][info][gc] GC(1) Pause Young (Allocation Failure) 69M->2M(247M) 0.750ms
            """;
        assertArrayEquals(new double[] {1.25, 0.75}, Extras.pauses(log), 1e-12);
    }

    @Test
    void heapUsedIsTheFirstUsedFigureOfHeapInfo()
    {
        final String info = """
            23765:
            DefNew     total 78656K, used 18260K [0x00000000f0000000, 0x00000000f5550000, 0x00000000f5550000)
             eden space 69952K,  26% used [0x00000000f0000000, 0x00000000f11d51c8, 0x00000000f4450000)
            Tenured    total 174784K, used 1166K [0x00000000f5550000, 0x0000000100000000, 0x0000000100000000)
            """;
        assertEquals(18260, Extras.usedKb(info));
        assertEquals(-1, Extras.usedKb("23765: no such command"));
    }
}
