package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest
{
    @Test
    void medianOfOddCountIsMiddleValueWhateverTheOrder()
    {
        final Stats.Summary s = Stats.summarize(List.of(9.0, 1.0, 5.0, 3.0, 7.0));
        assertEquals(5.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(9.0, s.max());
        assertEquals(5, s.count());
    }

    @Test
    void medianOfEvenCountIsMeanOfTheTwoMiddleValues()
    {
        final Stats.Summary s = Stats.summarize(List.of(4.0, 1.0, 3.0, 10.0));
        assertEquals(3.5, s.median());
        assertEquals(1.0, s.min());
        assertEquals(10.0, s.max());
    }

    @Test
    void summaryOfNothingIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Stats.summarize(List.of()));
    }

    @Test
    void ratioDividesAndIsNanWhenAFigureIsMissingOrTheReferenceIsZero()
    {
        assertEquals(1.25, Stats.ratio(50.0, 40.0), 1e-12);
        assertTrue(Double.isNaN(Stats.ratio(Double.NaN, 40.0)));
        assertTrue(Double.isNaN(Stats.ratio(50.0, Double.NaN)));
        assertTrue(Double.isNaN(Stats.ratio(50.0, 0.0)));
    }

    @Test
    void percentilesOfOneToTenThousandMicrosecondsAreWithinHistogramPrecision()
    {
        // 1 µs, 2 µs, ... 10000 µs: p50 = 5000 µs, p90 = 9000 µs, p99 = 9900 µs, p99.9 = 9990 µs, max 10000 µs
        final long[] ns = LongStream.rangeClosed(1, 10_000).map(i -> i * 1_000).toArray();
        final Stats.Percentiles p = Stats.percentiles(Stats.histogram(ns));
        assertEquals(5_000, p.p50(), 5_000 * 1e-3);
        assertEquals(9_000, p.p90(), 9_000 * 1e-3);
        assertEquals(9_900, p.p99(), 9_900 * 1e-3);
        assertEquals(9_990, p.p999(), 9_990 * 1e-3);
        assertEquals(10_000, p.max(), 10_000 * 1e-3);
        assertEquals(10_000, p.count());
    }

    @Test
    void oneOutlierShowsAtTheMaxButNotAtTheMedian()
    {
        final long[] ns = new long[1000];
        java.util.Arrays.fill(ns, 25_000);
        ns[999] = 4_000_000;
        final Stats.Percentiles p = Stats.percentiles(Stats.histogram(ns));
        assertEquals(25.0, p.p50(), 0.05);
        assertEquals(25.0, p.p99(), 0.05);
        assertEquals(4_000.0, p.max(), 4.0);
    }

    @Test
    void latencyFileOfOneValuePerLineLoadsEverySample(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("lat.txt");
        Files.writeString(file, LongStream.of(30_000, 10_000, 20_000).mapToObj(Long::toString)
            .collect(Collectors.joining("\n", "", "\n")));
        final Histogram h = Stats.loadLatencies(file);
        assertEquals(3, h.getTotalCount());
        assertEquals(20.0, Stats.percentiles(h).p50(), 0.02);
        assertEquals(30.0, Stats.percentiles(h).max(), 0.03);
    }

    @Test
    void userNsPerMessageConvertsClockTicks()
    {
        // 5 ticks at 100 Hz = 50 ms of user time over 2 million messages = 25 ns each
        assertEquals(25.0, Stats.userNsPerMessage(5, 100, 2_000_000), 1e-9);
        assertTrue(Double.isNaN(Stats.userNsPerMessage(-1, 100, 2_000_000)));
        assertTrue(Double.isNaN(Stats.userNsPerMessage(5, 100, 0)));
    }
}
