package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadResultTest
{
    @Test
    void resultLineParsesIntoRatesAndCpuPerMessage()
    {
        final LoadResult r = LoadResult.parse("RESULT mode=stream msgs=3000000 bytes=192000000 seconds=2.000000 " +
            "utime_ticks=6 stime_ticks=190 clk_tck=100");
        assertEquals("stream", r.mode());
        assertEquals(1_500_000.0, r.messagesPerSecond(), 1e-6);
        assertEquals(96.0, r.megabytesPerSecond(), 1e-9);
        assertEquals(20.0, r.userNsPerMessage(), 1e-9);
        assertEquals(190, r.stimeTicks());
        assertTrue(Double.isNaN(r.sleepsPerThousandMessages()), "a line without sleeps= has no sleep rate");
    }

    @Test
    void streamLineCarriesTheServersSleepsPerThousandMessages()
    {
        final LoadResult r = LoadResult.parse("RESULT mode=stream msgs=4000000 bytes=256000000 seconds=2.000000 " +
            "utime_ticks=6 stime_ticks=190 clk_tck=100 sleeps=12000");
        assertEquals(12000, r.sleeps());
        assertEquals(3.0, r.sleepsPerThousandMessages(), 1e-9);
        final LoadResult unknown = LoadResult.parse("RESULT mode=stream msgs=4000000 bytes=256000000 " +
            "seconds=2.000000 utime_ticks=6 stime_ticks=190 clk_tck=100 sleeps=-1");
        assertTrue(Double.isNaN(unknown.sleepsPerThousandMessages()), "-1 means the loadgen could not read /proc");
    }

    @Test
    void lineWithoutAFieldIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> LoadResult.parse("RESULT mode=stream msgs=1"));
        assertThrows(IllegalArgumentException.class, () -> LoadResult.parse("hello"));
    }
}
