package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;

@EnabledOnOs(OS.LINUX)
class EventFdTest
{
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void writeFromAnotherThreadWakesABlockedEpollWaitAndReadDrainsTheCount() throws Exception
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int efd = f.track(EventFd.eventfd(f.cs, 0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC));
            final int ep = f.track(Epoll.epollCreate1(f.cs, Epoll.EPOLL_CLOEXEC));
            final MemorySegment ev = f.arena.allocate(EpollEventDescriptor.LAYOUT);
            ev.set(JAVA_INT, EpollEventDescriptor.EVENTS_OFFSET, Epoll.EPOLLIN);
            ev.set(JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, efd);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, efd, ev));

            final MemorySegment value = f.arena.allocate(JAVA_LONG);
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, efd, value, EventFd.VALUE_LENGTH), "nothing signalled");

            final Thread waker = new Thread(() ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment cs = Errno.allocateCallState(arena);
                    final MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
                    sleepQuietly(50);
                    Libc.write(cs, efd, one, EventFd.VALUE_LENGTH);
                    Libc.write(cs, efd, one, EventFd.VALUE_LENGTH);
                }
            });
            waker.start();
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, 4);
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, 4, 5_000), "woken by the other thread");
            waker.join(5_000);
            assertEquals(efd, events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(0)));
            assertEquals(EventFd.VALUE_LENGTH, Libc.read(f.cs, efd, value, EventFd.VALUE_LENGTH));
            assertEquals(2L, value.get(JAVA_LONG, 0), "both writes add up");
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, efd, value, EventFd.VALUE_LENGTH), "drained");
        }
    }

    @Test
    void semaphoreModeReadsOneAtATime()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int efd = f.track(EventFd.eventfd(f.cs, 2, EventFd.EFD_SEMAPHORE | EventFd.EFD_NONBLOCK));
            final MemorySegment value = f.arena.allocate(JAVA_LONG);
            assertEquals(8, Libc.read(f.cs, efd, value, 8));
            assertEquals(1L, value.get(JAVA_LONG, 0));
            assertEquals(8, Libc.read(f.cs, efd, value, 8));
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, efd, value, 8));
            assertEquals(-Errno.EINVAL, EventFd.eventfd(f.cs, 0, -1), "unknown flags are rejected");
        }
    }

    private static void sleepQuietly(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
