package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostStealTest
{
    @Test
    void stealIsTheEighthNumberOfTheAggregateCpuLineInTicksOfTenMs()
    {
        final List<String> stat = List.of(
            "cpu  2988754 0 658903 1438259 1182 0 130536 49527 0 0",
            "cpu0 1496860 0 323877 722909 321 0 67180 24215 0 0",
            "cpu1 1491893 0 335025 715350 861 0 63355 25312 0 0",
            "intr 1 2 3");
        assertEquals(495_270, HostSteal.parseMs(stat));
    }

    @Test
    void oldKernelsWithoutAStealColumnAndMissingLinesGiveMinusOne()
    {
        assertEquals(-1, HostSteal.parseMs(List.of("cpu  1 2 3 4 5 6 7")));
        assertEquals(-1, HostSteal.parseMs(List.of("cpu0 1 2 3 4 5 6 7 8 9", "intr 1")));
    }

    @Test
    void differenceIsNanWhenEitherReadingFailed()
    {
        assertEquals(30.0, HostSteal.between(470, 500));
        assertTrue(Double.isNaN(HostSteal.between(-1, 500)));
        assertTrue(Double.isNaN(HostSteal.between(470, -1)));
    }

    @Test
    void thisLinuxMachineReportsANonDecreasingCount()
    {
        final long first = HostSteal.readMs();
        final long second = HostSteal.readMs();
        if (System.getProperty("os.name").startsWith("Linux"))
        {
            assertTrue(first >= 0, "Linux has /proc/stat with a steal column since 2.6.11");
            assertTrue(second >= first, first + " then " + second);
        }
        else
        {
            assertEquals(-1, first);
        }
    }
}
