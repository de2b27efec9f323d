package io.panamax.ffm;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalsTest
{
    @Test
    void sigsetBitsFollowTheHeaders()
    {
        final MemorySegment set = MemorySegment.ofArray(new byte[(int)Signals.SIGSET_LENGTH]);
        Signals.sigsetClear(set);
        Signals.sigsetAdd(set, Signals.SIGPIPE);
        Signals.sigsetAdd(set, 1);
        assertTrue(Signals.sigsetHas(set, Signals.SIGPIPE));
        assertTrue(Signals.sigsetHas(set, 1));
        assertFalse(Signals.sigsetHas(set, Signals.SIGALRM));
        assertEquals(0x01, set.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "signal 1 is bit 0");
        assertEquals(0x10, set.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1), "SIGPIPE (13) is bit 12");
        assertThrows(IllegalArgumentException.class, () -> Signals.sigsetAdd(set, 0));
        assertEquals("SIGHUP", Signals.name(1), "SIG_UNBLOCK (1 on Linux) is no signal name");
    }

    @Test
    @EnabledOnOs({ OS.LINUX, OS.MAC })
    void blockedSigpipeFromAWriteToAClosedPeerStaysPendingUntilSigwaitTakesIt()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment pipeSet = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            final MemorySegment old = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            final MemorySegment now = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            Signals.sigsetAdd(pipeSet, Signals.SIGPIPE);
            assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_BLOCK, pipeSet, old));
            try
            {
                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_BLOCK, MemorySegment.NULL, now));
                assertTrue(Signals.sigsetHas(now, Signals.SIGPIPE), "blocked");
                assertEquals(0, Signals.sigpending(f.cs, now));
                assertFalse(Signals.sigsetHas(now, Signals.SIGPIPE), "nothing pending yet");

                final int[] pair = f.socketpair(true);
                f.close(pair[1]);
                assertEquals(-Errno.EPIPE, Libc.write(f.cs, pair[0], f.arena.allocateFrom("x"), 1));
                assertEquals(0, Signals.sigpending(f.cs, now));
                assertTrue(Signals.sigsetHas(now, Signals.SIGPIPE), "write raised SIGPIPE, held pending");

                final MemorySegment taken = f.arena.allocate(JAVA_INT);
                assertEquals(0, Signals.sigwait(f.cs, pipeSet, taken));
                assertEquals(Signals.SIGPIPE, taken.get(JAVA_INT, 0));
                assertEquals(0, Signals.sigpending(f.cs, now));
                assertFalse(Signals.sigsetHas(now, Signals.SIGPIPE), "taken");
            }
            finally
            {
                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_SETMASK, old, MemorySegment.NULL));
            }
            assertEquals(-Errno.EINVAL, Signals.pthreadSigmask(f.cs, 99, pipeSet, MemorySegment.NULL));
        }
    }
}
