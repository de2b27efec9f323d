package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rate limit allocates nothing once warm: capped reads and writes, the bucket arithmetic, suspending on
 * a spent bucket and the refill timer every tick reuse what {@link BufferEvent#setRateLimit} created. Counted with
 * the loop thread's allocated-bytes counter (not timed).
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventRateLimitAllocationTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    /**
     * The rate limit's own hot path, driven directly on the loop thread: budgets, taking bytes, running dry
     * (suspend reading and writing, arm the refill timer), refilling by hand (resume, disarm) and the lazy
     * per-tick refill. The loop's own wait (a blocking epoll_wait) is not part of this.
     */
    @Test
    void budgetsSuspensionsAndRefillTimerChurnAllocateNothing()
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        try (EventBase base = TestFds.base(EventBase.supportedMethods().get(0)))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.enable(Ev.READ);
                bev.setRateLimit(EvTokenBucketCfg.create(3000, 6000, 3000, 6000, 1, TimeUnit.MILLISECONDS));
                final BevRateLimit rl = bev.rateLimit;
                long sum = cycle(bev, rl, 200_000);
                final long overhead = AllocationCounter.overhead();
                long best = Long.MAX_VALUE;
                final long start = System.nanoTime();
                for (int attempt = 0; AllocationCounter.tryAgain(attempt, best, start, 40, 8_000_000_000L); attempt++)
                {
                    final long before = AllocationCounter.bytes();
                    sum += cycle(bev, rl, 10_000);
                    best = Math.min(best, AllocationCounter.bytes() - before - overhead);
                }
                assertTrue(sum > 0);
                assertEquals(0, best, "bytes allocated by 10,000 warm cycles");
            }
        }
    }

    private static long cycle(final BufferEvent bev, final BevRateLimit rl, final int rounds)
    {
        long sum = 0;
        for (int i = 0; i < rounds; i++)
        {
            sum += drainAndRefill(bev, rl, true) + drainAndRefill(bev, rl, false);
            sum += bev.readLimit() + bev.maxToWrite();
        }
        return sum;
    }

    /**
     * Take a whole budget and one byte more (suspends, arms the timer), then give it back by hand (resumes, disarms).
     * Nothing refills the bucket between the two steps (only a budget or a limit lookup does), so a tick boundary
     * cannot change the outcome.
     */
    private static long drainAndRefill(final BufferEvent bev, final BevRateLimit rl, final boolean read)
    {
        final long budget = read ? rl.readBudget(BufferEvent.MAX_SINGLE_DEFAULT) :
            rl.writeBudget(BufferEvent.MAX_SINGLE_DEFAULT);
        if (read)
        {
            rl.readDone(budget + 1);
        }
        else
        {
            rl.writeDone(budget + 1);
        }
        final int suspended = read ? bev.readSuspended : bev.writeSuspended;
        if (0 == (suspended & BufferEvent.SUSPEND_BW) || !rl.refillArmed())
        {
            throw new AssertionError("a dry bucket must suspend and arm the refill timer");
        }
        if (read)
        {
            bev.decrementReadLimit(-(budget + 2));
        }
        else
        {
            bev.decrementWriteLimit(-(budget + 2));
        }
        if (0 != ((bev.readSuspended | bev.writeSuspended) & BufferEvent.SUSPEND_BW) || rl.refillArmed())
        {
            throw new AssertionError("a refilled bucket must resume and disarm");
        }
        return budget;
    }
}
