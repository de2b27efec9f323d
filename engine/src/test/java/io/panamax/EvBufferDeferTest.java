package io.panamax;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code deferCallbacks}: callbacks run from the base's deferred queue with the changes gathered since. */
@ExtendWith(PoolWholeExtension.class)
class EvBufferDeferTest
{
    @Test
    void deferredCallbacksRunOnceFromTheLoopWithEveryChangeSince()
    {
        try (EventBase base = EventBase.create(); EvBuffer buf = new EvBuffer())
        {
            final List<String> calls = new ArrayList<>();
            buf.addCb((b, info) -> calls.add(info.origSize() + "/" + info.nAdded() + "/" + info.nDeleted()));
            assertEquals(0, buf.deferCallbacks(base));
            add(buf, "hello");
            add(buf, " world");
            buf.drain(3);
            assertTrue(calls.isEmpty(), "nothing runs synchronously");
            base.loop(EventBase.LOOP_NONBLOCK);
            assertEquals(List.of("0/11/3"), calls);
            base.loop(EventBase.LOOP_NONBLOCK);
            assertEquals(1, calls.size(), "queued once, run once");
            buf.drain(buf.length());
            base.loop(EventBase.LOOP_NONBLOCK);
            assertEquals(List.of("0/11/3", "8/0/8"), calls);
        }
    }

    @Test
    void changesOnAnotherThreadAreDeliveredOnTheLoopThread() throws Exception
    {
        try (EventBase base = EventBase.create(); EvBuffer buf = new EvBuffer())
        {
            buf.enableLocking();
            final List<Thread> threads = new ArrayList<>();
            buf.addCb((b, info) -> threads.add(Thread.currentThread()));
            buf.deferCallbacks(base);
            final Thread writer = new Thread(() ->
            {
                try (EvBuffer mine = new EvBuffer())
                {
                    add(mine, "from elsewhere");
                    buf.addBuffer(mine);
                }
            });
            writer.start();
            writer.join(10_000);
            for (int i = 0; i < 10 && threads.isEmpty(); i++)
            {
                base.loop(EventBase.LOOP_NONBLOCK);
            }
            assertEquals(List.of(Thread.currentThread()), threads);
            assertEquals(14, buf.length());
        }
    }

    @Test
    void closedBufferSkipsItsPendingDeferredCallbacks()
    {
        try (EventBase base = EventBase.create())
        {
            final EvBuffer buf = new EvBuffer();
            final int[] calls = new int[1];
            buf.addCb((b, info) -> calls[0]++);
            buf.deferCallbacks(base);
            add(buf, "x");
            buf.close();
            base.loop(EventBase.LOOP_NONBLOCK);
            assertEquals(0, calls[0]);
        }
    }
}
