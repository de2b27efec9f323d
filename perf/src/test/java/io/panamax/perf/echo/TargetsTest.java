package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetsTest
{
    @Test
    void atMostTargetAllowsExactlyTheFactor()
    {
        final Targets.Target t = new Targets.Target(Metric.PING_P50, "c-epoll", 1.05, true);
        assertEquals("yes", Targets.verdict(t, 1.05));
        assertEquals("NO", Targets.verdict(t, 1.06));
        assertEquals("–", Targets.verdict(t, Double.NaN));
    }

    @Test
    void atLeastTargetNeedsTheFactor()
    {
        final Targets.Target t = new Targets.Target(Metric.BULK, "libevent", 4.0, false);
        assertEquals("yes", Targets.verdict(t, 4.2));
        assertEquals("NO", Targets.verdict(t, 3.9));
        assertEquals("bulk ≥ 4.00× libevent", t.describe());
    }

    @Test
    void panamaxIsPreferredOverTheInterimServerAndMissesAreListed()
    {
        final ResultTable table = new ResultTable();
        table.add("c-epoll", Metric.PING_P50, 20.0);
        table.add("panamax-ffm-raw", Metric.PING_P50, 20.0);
        table.add("panamax", Metric.PING_P50, 22.0);
        final String md = Targets.markdown(table);
        assertTrue(md.startsWith("## Issue 6 targets for `panamax`"), md);
        assertTrue(md.contains("| ping-pong p50 ≤ 1.05× c-epoll | 1.10 | NO |"), md);
        assertTrue(md.contains("| ping-pong p50 ≤ libevent | – | – |"), md);
        assertEquals(List.of("ping-pong p50 ≤ 1.05× c-epoll"), Targets.missed(table));
    }

    @Test
    void noSectionWithoutAPanamaxServer()
    {
        final ResultTable table = new ResultTable();
        table.add("c-epoll", Metric.PING_P50, 20.0);
        assertEquals("", Targets.markdown(table));
    }
}
