package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate-limit groups and the per-connection rate of libevent's {@code test-ratelim} on real socketpairs, on every
 * backend. Upper bounds come from the bucket (it cannot hand out more than it was given, plus one overdraw of at
 * most a share); lower bounds are generous enough for a loaded machine.
 */
@ExtendWith(PoolWholeExtension.class)
class BevRateLimitGroupTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    private static boolean suspendedRead(final BufferEvent bev)
    {
        return 0 != (bev.readSuspended & BufferEvent.SUSPEND_BW_GROUP);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void groupAccessorsMinShareMembershipAndClose(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final EvTokenBucketCfg cfg = EvTokenBucketCfg.create(2000, 4000, 3000, 5000, 10, TimeUnit.SECONDS);
            final BevRateLimitGroup group = BevRateLimitGroup.create(base, cfg);
            assertSame(cfg, group.cfg());
            assertEquals(BevRateLimitGroup.DEFAULT_MIN_SHARE, group.minShare());
            group.minShare(10_000);
            assertEquals(2000, group.minShare(), "capped at the smaller rate");
            group.minShare(BevRateLimitGroup.DEFAULT_MIN_SHARE);
            assertEquals(2000, group.readLimit(), "starts at one tick's worth");
            assertEquals(3000, group.writeLimit());
            group.cfg(EvTokenBucketCfg.create(100, 500, 100, 5000, 10, TimeUnit.SECONDS));
            assertEquals(500, group.readLimit(), "clipped down to the new burst");
            assertEquals(3000, group.writeLimit());
            assertThrows(IllegalArgumentException.class, () -> group.minShare(-1));

            final int[] pair = fds.pair();
            final BufferEvent a = BufferEvent.socket(base, pair[0], 0);
            final BufferEvent b = BufferEvent.socket(base, pair[1], 0);
            assertEquals(0, a.addToRateLimitGroup(group));
            assertEquals(0, a.addToRateLimitGroup(group), "joining twice is a no-op");
            b.addToRateLimitGroup(group);
            assertSame(group, a.rateLimitGroup());
            assertEquals(2, group.members());
            assertEquals(250, a.maxToRead(), "the share is groupLimit / members");
            assertNull(a.tokenBucketCfg(), "a group member has no limit of its own");
            assertThrows(IllegalStateException.class, group::close, "members remain");
            a.removeFromRateLimitGroup();
            assertNull(a.rateLimitGroup());
            assertEquals(1, group.members());
            assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, a.maxToRead());
            b.close();
            assertEquals(0, group.members(), "closing a member leaves the group");
            a.close();
            group.close();
            group.close();
            assertThrows(IllegalStateException.class, () -> group.decrementRead(1));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void groupDecrementSuspendsEveryMemberAndANegativeOneResumesThem(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final BevRateLimitGroup group = BevRateLimitGroup.create(base,
                EvTokenBucketCfg.create(1000, 1000, 1000, 1000, 10, TimeUnit.SECONDS));
            final int[] p1 = fds.pair();
            final int[] p2 = fds.pair();
            final int[] got = new int[1];
            try (BufferEvent a = BufferEvent.socket(base, p1[0], 0);
                BufferEvent b = BufferEvent.socket(base, p2[0], BevOpt.THREADSAFE))
            {
                for (final BufferEvent bev : new BufferEvent[] { a, b })
                {
                    bev.setCallbacks(x ->
                    {
                        got[0] += (int)x.input().length();
                        x.input().drain(x.input().length());
                    }, null, null);
                    bev.enable(Ev.READ);
                    bev.addToRateLimitGroup(group);
                }
                group.decrementRead(1000);
                assertEquals(0, group.readLimit());
                assertTrue(suspendedRead(a) && suspendedRead(b));
                assertEquals(0, a.maxToRead());
                assertEquals(2, fds.write(p1[1], "ab"));
                assertEquals(3, fds.write(p2[1], "cde"));
                Loops.runUntil(base, () -> false, 50);
                assertEquals(0, got[0], "no member reads while the group is spent");
                group.decrementRead(-500);
                assertTrue(!suspendedRead(a) && !suspendedRead(b), "crossing zero upwards resumes every member");
                assertTrue(Loops.runUntil(base, () -> got[0] == 5, 2000));
                assertEquals(5, group.totalRead());
                assertEquals(495, group.readLimit());
                group.resetTotals();
                assertEquals(0, group.totalRead());
                a.removeFromRateLimitGroup();
                b.removeFromRateLimitGroup();
            }
            group.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void groupCapsTheAggregateReadRateOfItsMembers(final String method)
    {
        final int members = 4;
        final int each = 6000;
        final long rate = 1000;
        final long tickMs = 20;
        try (EventBase base = TestFds.base(method))
        {
            final BevRateLimitGroup group = BevRateLimitGroup.create(base,
                EvTokenBucketCfg.create(rate, rate, rate, rate, tickMs, TimeUnit.MILLISECONDS));
            final BufferEvent[] bevs = new BufferEvent[members];
            final int[] got = new int[members];
            final long[] largest = new long[1];
            for (int i = 0; i < members; i++)
            {
                final int[] pair = fds.pair();
                assertEquals(each, fds.write(pair[1], BufferEventTest.pattern(each)));
                final int k = i;
                bevs[i] = BufferEvent.socket(base, pair[0], 0);
                bevs[i].setCallbacks(x ->
                {
                    final long len = x.input().length();
                    largest[0] = Math.max(largest[0], len);
                    got[k] += (int)len;
                    x.input().drain(len);
                }, null, null);
                bevs[i].addToRateLimitGroup(group);
            }
            final long start = System.nanoTime();
            for (final BufferEvent bev : bevs)
            {
                bev.enable(Ev.READ);
            }
            final long total = (long)members * each;
            assertTrue(Loops.runUntil(base, () -> group.totalRead() >= total, 5000), "read " + group.totalRead());
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (int i = 0; i < members; i++)
            {
                assertEquals(each, got[i], "member " + i);
                bevs[i].close();
            }
            assertTrue(largest[0] <= rate, "no read above the group's level: " + largest[0]);
            final long minTicks = (total - rate - group.minShare()) / rate - 1;
            assertTrue(elapsedMs >= minTicks * tickMs, elapsedMs + " ms < " + minTicks + " ticks");
            group.close();
        }
    }

    /** A small test-ratelim: 5 connections at 20 KB/s each (1000 B per 50 ms tick) for about a second. */
    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void eachConnectionKeepsToItsOwnRate(final String method)
    {
        final int connections = 5;
        final long rate = 1000;
        final long tickMs = 50;
        try (EventBase base = TestFds.base(method))
        {
            final BufferEvent[] bevs = new BufferEvent[connections];
            final long[] got = new long[connections];
            final EvTokenBucketCfg cfg = EvTokenBucketCfg.create(rate, rate, rate, rate, tickMs, TimeUnit.MILLISECONDS);
            for (int i = 0; i < connections; i++)
            {
                final int[] pair = fds.pair();
                assertEquals(40_000, fds.write(pair[1], BufferEventTest.pattern(40_000)));
                final int k = i;
                bevs[i] = BufferEvent.socket(base, pair[0], 0);
                bevs[i].setRateLimit(cfg);
                bevs[i].setCallbacks(x ->
                {
                    got[k] += x.input().length();
                    x.input().drain(x.input().length());
                }, null, null);
            }
            final long start = System.nanoTime();
            for (final BufferEvent bev : bevs)
            {
                bev.enable(Ev.READ);
            }
            Loops.runUntil(base, () -> false, 1000);
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final long allowed = rate * (elapsedMs / tickMs + 2);
            long best = 0;
            for (final long n : got)
            {
                best = Math.max(best, n);
            }
            // A stall of the machine costs every connection alike (the bucket holds one tick), so the lower bounds
            // are relative to the best connection, not to the clock.
            for (int i = 0; i < connections; i++)
            {
                assertTrue(got[i] <= allowed, "connection " + i + ": " + got[i] + " > " + allowed);
                assertTrue(got[i] >= 2 * rate && got[i] >= best / 2, "connection " + i + " starved: " + got[i] +
                    " (best " + best + ")");
                bevs[i].close();
            }
        }
    }
}
