package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest
{
    @Test
    void quickIsOneShortRoundWhateverItsPosition()
    {
        final BenchOptions o = BenchOptions.parse("--servers", "c-epoll", "--quick");
        assertTrue(o.quick);
        assertEquals(1, o.rounds());
        assertEquals(700, o.streamMs);
        assertEquals(List.of("c-epoll"), o.servers());
    }

    @Test
    void explicitRoundsOverrideQuick()
    {
        assertEquals(3, BenchOptions.parse("--quick", "--rounds", "3").rounds());
    }

    @Test
    void modesKeepRoundOrderAndRejectUnknownOnes()
    {
        assertEquals(List.of("latency", "bulk"), List.copyOf(BenchOptions.parse("--modes", "bulk,latency").modes()));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--modes", "latency,speed"));
    }

    @Test
    void badValuesAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds", "0"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--pin", "maybe"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--fast"));
    }
}
