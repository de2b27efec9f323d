package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    }

    @Test
    void lineWithoutAFieldIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> LoadResult.parse("RESULT mode=stream msgs=1"));
        assertThrows(IllegalArgumentException.class, () -> LoadResult.parse("hello"));
    }
}
