package io.panamax;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * libevent's {@code ev_token_bucket_cfg_new} contracts: {@code bufferevent_ratelimit_div_by_zero},
 * {@code bufferevent_ratelimit_overflow} and the rate/burst checks.
 */
class EvTokenBucketCfgTest
{
    @Test
    void tickOfZeroIsRejectedLikeLibeventsDivByZeroContract()
    {
        assertThrows(IllegalArgumentException.class,
            () -> EvTokenBucketCfg.create(1, 1, 1, 1, 0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class,
            () -> EvTokenBucketCfg.create(1, 1, 1, 1, 999, TimeUnit.MICROSECONDS), "below 1 ms is 0 ms");
    }

    @Test
    void tickSecondsAboveIntMaxOver1000AreRejectedLikeLibeventsOverflowContract()
    {
        for (final long seconds : new long[] { Long.MAX_VALUE, 0xFFFF_FFFFL - 1, Integer.MAX_VALUE,
            Integer.MAX_VALUE / 1000 + 1 })
        {
            assertThrows(IllegalArgumentException.class,
                () -> EvTokenBucketCfg.create(1, 1, 1, 1, seconds, TimeUnit.SECONDS), "tick " + seconds + " s");
        }
        final EvTokenBucketCfg max = EvTokenBucketCfg.create(1, 1, 1, 1, Integer.MAX_VALUE / 1000, TimeUnit.SECONDS);
        assertEquals((Integer.MAX_VALUE / 1000) * 1000L, max.tickMs());
        final EvTokenBucketCfg belowMax =
            EvTokenBucketCfg.create(1, 1, 1, 1, Integer.MAX_VALUE / 1000 - 1, TimeUnit.SECONDS);
        assertEquals((Integer.MAX_VALUE / 1000 - 1) * 1000L, belowMax.tickMs());
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(1, 1, 1, 1, -1, TimeUnit.SECONDS));
    }

    @Test
    void rateAboveBurstOrBelowOneIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(2, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(1, 1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(-1, 5, 1, 1),
            "a size_t above EV_RATE_LIMIT_MAX");
        assertThrows(IllegalArgumentException.class, () -> EvTokenBucketCfg.create(1, -1, 1, 1),
            "a burst above EV_RATE_LIMIT_MAX");
        assertThrows(NullPointerException.class, () -> EvTokenBucketCfg.create(1, 1, 1, 1, 1, null));
    }

    @Test
    void accessorsReturnWhatWasGivenWithMillisecondTicks()
    {
        final EvTokenBucketCfg cfg = EvTokenBucketCfg.create(10, 20, 30, 40);
        assertEquals(10, cfg.readRate());
        assertEquals(20, cfg.readBurst());
        assertEquals(30, cfg.writeRate());
        assertEquals(40, cfg.writeBurst());
        assertEquals(1000, cfg.tickMs(), "the default tick is one second");
        final EvTokenBucketCfg fine = EvTokenBucketCfg.create(1, 1, 1, 1, 2_500_700, TimeUnit.NANOSECONDS);
        assertEquals(2, fine.tickMs(), "fractions of a millisecond are dropped");
        final EvTokenBucketCfg huge = EvTokenBucketCfg.create(EvTokenBucketCfg.RATE_LIMIT_MAX,
            EvTokenBucketCfg.RATE_LIMIT_MAX, 1, EvTokenBucketCfg.RATE_LIMIT_MAX);
        assertEquals(Long.MAX_VALUE, huge.readBurst());
    }

    @Test
    void bucketRefillIsCappedAtBurstWithoutOverflow()
    {
        assertEquals(30, EvTokenBucket.refill(0, 10, 100, 3));
        assertEquals(100, EvTokenBucket.refill(95, 10, 100, 1));
        assertEquals(100, EvTokenBucket.refill(500, 10, 100, 1), "a hand refill above the burst drops to it");
        assertEquals(Long.MAX_VALUE - 5, EvTokenBucket.refill(-5, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, EvTokenBucket.refill(5, Long.MAX_VALUE, Long.MAX_VALUE, 2), "no overflow");
        assertEquals(-90, EvTokenBucket.refill(-100, 10, 100, 1), "a deficit is paid back first");
        assertEquals(Long.MAX_VALUE, EvTokenBucket.minus(10, Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE + 1, EvTokenBucket.minus(-10, Long.MAX_VALUE));
    }
}
