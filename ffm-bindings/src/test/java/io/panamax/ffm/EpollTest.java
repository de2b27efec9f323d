package io.panamax.ffm;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@EnabledOnOs(OS.LINUX)
class EpollTest
{
    private static final int MAX = 8;

    @Test
    void levelTriggeredReadinessRepeatsUntilDrainedThenModAndDelChangeIt()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int ep = f.track(Epoll.epollCreate1(f.cs, Epoll.EPOLL_CLOEXEC));
            final int[] pair = f.socketpair(true);
            final MemorySegment ev = f.arena.allocate(EpollEventDescriptor.LAYOUT);
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, MAX);
            set(ev, Epoll.EPOLLIN, 42L);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));
            assertEquals(-Errno.EEXIST, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));
            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 0), "nothing to read yet");

            assertEquals(2, Libc.write(f.cs, pair[0], f.arena.allocateFrom("hi"), 2));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 1_000));
            assertEquals(Epoll.EPOLLIN, events.get(JAVA_INT, EpollEventDescriptor.eventsOffset(0)));
            assertEquals(42L, events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(0)));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 0), "level-triggered: still ready");

            set(ev, Epoll.EPOLLOUT, 43L);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_MOD, pair[1], ev));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 0));
            assertEquals(Epoll.EPOLLOUT, events.get(JAVA_INT, EpollEventDescriptor.eventsOffset(0)));
            assertEquals(43L, events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(0)));

            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_DEL, pair[1], ev));
            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 0), "deleted: no events");
            assertEquals(-Errno.ENOENT, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_DEL, pair[1], ev));
            assertEquals(-Errno.ENOENT, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_MOD, pair[1], ev));
        }
    }

    @Test
    void edgeTriggeredReadinessFiresOnceUntilNewDataArrives()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int ep = f.track(Epoll.epollCreate1(f.cs, 0));
            final int[] pair = f.socketpair(true);
            final MemorySegment ev = f.arena.allocate(EpollEventDescriptor.LAYOUT);
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, MAX);
            set(ev, Epoll.EPOLLIN | Epoll.EPOLLET, 7L);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));

            assertEquals(3, Libc.write(f.cs, pair[0], f.arena.allocateFrom("abc"), 3));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 1_000));
            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 0), "edge-triggered: reported once");
            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 20), "not again, data still unread");

            assertEquals(1, Libc.write(f.cs, pair[0], f.arena.allocateFrom("d"), 1));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 1_000), "new data: a new edge");
            assertEquals(7L, events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(0)));
        }
    }

    @Test
    void peerCloseIsReportedAsRdhupAndAClosedEpollFdGivesEbadf()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int ep = f.track(Epoll.epollCreate1(f.cs, Epoll.EPOLL_CLOEXEC));
            final int[] pair = f.socketpair(true);
            final MemorySegment ev = f.arena.allocate(EpollEventDescriptor.LAYOUT);
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, MAX);
            set(ev, Epoll.EPOLLIN | Epoll.EPOLLRDHUP, 1L);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));
            f.close(pair[0]);
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 1_000));
            assertNotEquals(0, events.get(JAVA_INT, EpollEventDescriptor.eventsOffset(0)) & Epoll.EPOLLRDHUP);
            f.close(ep);
            assertEquals(-Errno.EBADF, Epoll.epollWait(f.cs, ep, events, MAX, 0));
            // The blocking handle captures no errno: its failure is reported through the zero-timeout retry.
            f.cs.fill((byte)0);
            assertEquals(-Errno.EBADF, Epoll.epollWait(f.cs, ep, events, MAX, 1_000), "blocking wait on a closed fd");
            assertEquals(-Errno.EINVAL, Epoll.epollWait(f.cs, pair[1], events, MAX, -1),
                "blocking wait on a non-epoll fd");
            assertEquals(-Errno.EBADF, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));
        }
    }

    private static void set(final MemorySegment ev, final int events, final long data)
    {
        ev.set(JAVA_INT, EpollEventDescriptor.EVENTS_OFFSET, events);
        ev.set(JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, data);
    }
}
