package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest
{
    private static ResultTable threeServersTwoRounds()
    {
        final ResultTable t = new ResultTable();
        t.add("c-epoll", Metric.PING_P50, 20.0);
        t.add("c-epoll", Metric.PING_P50, 30.0);
        t.add("libevent", Metric.PING_P50, 40.0);
        t.add("libevent", Metric.PING_P50, 50.0);
        t.add("x", Metric.PING_P50, 27.0);
        t.add("x", Metric.PING_P50, 18.0);
        t.add("c-epoll", Metric.THROUGHPUT, 1500.0);
        t.add("libevent", Metric.THROUGHPUT, 1200.0);
        t.add("x", Metric.THROUGHPUT, 1800.0);
        t.add("x", Metric.THROUGHPUT, Double.NaN);
        return t;
    }

    @Test
    void ratiosAreOfMediansAgainstEachReference()
    {
        final ResultTable t = threeServersTwoRounds();
        assertEquals(22.5 / 45.0, t.ratio("x", ResultTable.LIBEVENT, Metric.PING_P50), 1e-12);
        assertEquals(22.5 / 25.0, t.ratio("x", ResultTable.C_EPOLL, Metric.PING_P50), 1e-12);
        assertEquals(1.5, t.ratio("x", ResultTable.LIBEVENT, Metric.THROUGHPUT), 1e-12);
    }

    @Test
    void missingReferenceGivesNanRatioAndDashCell()
    {
        final ResultTable t = new ResultTable();
        t.add("x", Metric.BULK, 900.0);
        assertTrue(Double.isNaN(t.ratio("x", ResultTable.LIBEVENT, Metric.BULK)));
        assertTrue(t.markdownRatios().contains("| x | – / – |"), t.markdownRatios());
    }

    @Test
    void nanValuesAreNotCounted()
    {
        final ResultTable t = threeServersTwoRounds();
        assertEquals(1, t.summary("x", Metric.THROUGHPUT).count());
        assertNull(t.summary("x", Metric.BULK));
    }

    @Test
    void figuresTableShowsMedianAndSpreadOnlyForMetricsWithValues()
    {
        final String md = threeServersTwoRounds().markdownFigures();
        assertTrue(md.startsWith("| server | ping-pong p50 µs | throughput k msgs/s |\n|---|---:|---:|\n"), md);
        assertTrue(md.contains("| c-epoll | 25.0 (20.0–30.0) | 1500 |"), md);
        assertTrue(md.contains("| x | 22.5 (18.0–27.0) | 1800 |"), md);
    }

    @Test
    void ratioTableShowsBothReferences()
    {
        final String md = threeServersTwoRounds().markdownRatios();
        assertTrue(md.contains("| x | 0.50 / 0.90 | 1.50 / 1.20 |"), md);
    }

    @Test
    void numbersKeepOneDecimalBelowAHundred()
    {
        assertEquals("27.7", ResultTable.number(27.66));
        assertEquals("1195", ResultTable.number(1195.4));
        assertEquals("–", ResultTable.cell(null));
    }

    @Test
    void userCpuIsPooledOverRoundsWithPerRoundSpread()
    {
        final ResultTable t = new ResultTable();
        // round 1: 10 ms over 1 M messages = 10 ns; round 2: 0 ticks over 1 M = 0 ns; round 3: 40 ms over 2 M = 20 ns
        t.addUserCpu("x", 10_000_000, 1_000_000);
        t.addUserCpu("x", 0, 1_000_000);
        t.addUserCpu("x", 40_000_000, 2_000_000);
        t.addUserCpu("x", -1, 1_000_000);
        final Stats.Summary s = t.summary("x", Metric.USER_NS_PER_MSG);
        assertEquals(12.5, s.median(), 1e-9);
        assertEquals(0.0, s.min());
        assertEquals(20.0, s.max());
        assertEquals(3, s.count());
    }
}
