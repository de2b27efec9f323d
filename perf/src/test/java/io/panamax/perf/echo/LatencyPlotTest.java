package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyPlotTest
{
    @Test
    void ninesScalePutsEachExtraNineOneUnitFurther()
    {
        assertEquals(0.0, LatencyPlot.nines(0.0), 1e-12);
        assertEquals(1.0, LatencyPlot.nines(90.0), 1e-12);
        assertEquals(3.0, LatencyPlot.nines(99.9), 1e-9);
    }

    @Test
    void labelsOnlyAtWholeNines()
    {
        assertEquals("0%", LatencyPlot.percentileLabel(0.0));
        assertEquals("99%", LatencyPlot.percentileLabel(2.0));
        assertEquals("99.99%", LatencyPlot.percentileLabel(4.0));
        assertEquals("", LatencyPlot.percentileLabel(2.5));
    }

    @Test
    void writesAPng(@TempDir final Path dir) throws IOException
    {
        final Histogram h = Stats.histogram(LongStream.rangeClosed(1, 5_000).map(i -> 20_000 + i * 10).toArray());
        final Path png = dir.resolve("plot.png");
        LatencyPlot.write(Map.of("c-epoll", Map.of("pingpong", h)), png, "test");
        final byte[] magic = new byte[4];
        System.arraycopy(Files.readAllBytes(png), 0, magic, 0, 4);
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, magic);
    }
}
