package io.panamax.perf.jmh;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuTimeProfilerTest
{
    @Test
    void parseTicksReadsUtimeAndStimeAfterACommandNameWithSpacesAndParentheses()
    {
        final String line = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 12345 0 7 0 321 54 0 0 20 0 30 0 " +
            "100 0 0 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertArrayEquals(new long[]{ 321, 54 }, CpuTimeProfiler.parseTicks(line));
    }

    @Test
    void ticksOfThisProcessGrowWithWork()
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux /proc");
        final long[] before = CpuTimeProfiler.ticks();
        assertNotNull(before, "/proc/self/stat parsed");
        long sink = 0;
        final long end = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < end)
        {
            sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        }
        final long[] after = CpuTimeProfiler.ticks();
        assertTrue(after[0] + after[1] > before[0] + before[1], "200 ms of spinning shows up in the ticks " + sink);
    }
}
