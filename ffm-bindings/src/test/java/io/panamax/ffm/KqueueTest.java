package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class KqueueTest
{
    @Test
    void keventSetWritesEveryFieldAtItsOffset()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment events = arena.allocate(KeventDescriptor.LAYOUT, 2);
            KeventDescriptor.set(events, 1, 7L, (short)-10, 0x8021, 0x1000000, 99L, 0xdeadbeefcafeL);
            final long base = KeventDescriptor.LENGTH;
            assertEquals(7L, events.get(JAVA_LONG, base + KeventDescriptor.IDENT_OFFSET));
            assertEquals((short)-10, events.get(JAVA_SHORT, base + KeventDescriptor.FILTER_OFFSET));
            assertEquals(0x8021, events.get(JAVA_SHORT, base + KeventDescriptor.FLAGS_OFFSET) & 0xffff);
            assertEquals(0x1000000, events.get(JAVA_INT, base + KeventDescriptor.FFLAGS_OFFSET));
            assertEquals(99L, events.get(JAVA_LONG, base + KeventDescriptor.DATA_OFFSET));
            assertEquals(0xdeadbeefcafeL, events.get(JAVA_LONG, base + KeventDescriptor.UDATA_OFFSET));
            assertEquals(0L, events.get(JAVA_LONG, KeventDescriptor.IDENT_OFFSET), "entry 0 untouched");
        }
    }

    @Test
    @EnabledOnOs(OS.MAC)
    void readFilterFiresOnDataAndUserEventWakesTheQueue()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int kq = f.track(Kqueue.kqueue(f.cs));
            final int[] pair = f.socketpair(true);
            final MemorySegment changes = f.arena.allocate(KeventDescriptor.LAYOUT, 2);
            final MemorySegment events = f.arena.allocate(KeventDescriptor.LAYOUT, 4);
            final MemorySegment zero = f.arena.allocate(TimespecDescriptor.LAYOUT);
            final MemorySegment second = f.arena.allocate(TimespecDescriptor.LAYOUT);
            TimespecDescriptor.set(second, 1_000_000_000L);
            KeventDescriptor.set(changes, 0, pair[1], Kqueue.EVFILT_READ, Kqueue.EV_ADD | Kqueue.EV_CLEAR, 0, 0, 5L);
            KeventDescriptor.set(changes, 1, 0, Kqueue.EVFILT_USER, Kqueue.EV_ADD | Kqueue.EV_CLEAR, 0, 0, 6L);
            assertEquals(0, Kqueue.kevent(f.cs, kq, changes, 2, events, 4, zero), "registered, nothing ready");

            assertEquals(1, Libc.write(f.cs, pair[0], f.arena.allocateFrom("k"), 1));
            assertEquals(1, Kqueue.kevent(f.cs, kq, MemorySegment.NULL, 0, events, 4, second));
            assertEquals(Kqueue.EVFILT_READ, events.get(JAVA_SHORT, KeventDescriptor.FILTER_OFFSET));
            assertEquals(5L, events.get(JAVA_LONG, KeventDescriptor.UDATA_OFFSET));
            assertEquals(1L, events.get(JAVA_LONG, KeventDescriptor.DATA_OFFSET), "one byte readable");

            KeventDescriptor.set(changes, 0, 0, Kqueue.EVFILT_USER, 0, Kqueue.NOTE_TRIGGER, 0, 0);
            assertEquals(0, Kqueue.kevent(f.cs, kq, changes, 1, MemorySegment.NULL, 0, zero));
            assertEquals(1, Kqueue.kevent(f.cs, kq, MemorySegment.NULL, 0, events, 4, second));
            assertEquals(Kqueue.EVFILT_USER, events.get(JAVA_SHORT, KeventDescriptor.FILTER_OFFSET));
            assertEquals(0, Kqueue.kevent(f.cs, kq, MemorySegment.NULL, 0, events, 4, zero), "EV_CLEAR reset it");

            KeventDescriptor.set(changes, 0, 987_654, Kqueue.EVFILT_READ, Kqueue.EV_ADD, 0, 0, 0);
            assertEquals(1, Kqueue.kevent(f.cs, kq, changes, 1, events, 4, zero), "an EV_ERROR record");
            assertNotEquals(0, events.get(JAVA_SHORT, KeventDescriptor.FLAGS_OFFSET) & Kqueue.EV_ERROR);
            assertEquals(Errno.EBADF, events.get(JAVA_LONG, KeventDescriptor.DATA_OFFSET));
        }
    }
}
