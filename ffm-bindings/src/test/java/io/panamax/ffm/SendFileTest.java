package io.panamax.ffm;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class SendFileTest
{
    @Test
    void sendfileSendsTheAskedRangeOfAFileToAStreamSocket(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("data.txt"), "0123456789abcdef", StandardCharsets.US_ASCII);
        try (NativeFixture f = new NativeFixture())
        {
            final int[] tcp = f.tcpPair();
            final MemorySegment path = f.arena.allocateFrom(file.toString());
            final int fileFd = f.track(Libc.open(f.cs, path, Libc.O_RDONLY | Libc.O_CLOEXEC));
            final MemorySegment scratch = f.arena.allocate(SendFile.SCRATCH_LENGTH, 8);
            assertEquals(6, SendFile.sendfile(f.cs, tcp[0], fileFd, 4, 6, scratch));
            assertTrue(f.waitFor(tcp[1], PollfdDescriptor.POLLIN, 5_000));
            final MemorySegment in = f.arena.allocate(32);
            assertEquals(6, Sockets.recv(f.cs, tcp[1], in, 32, 0));
            assertEquals("456789", new String(in.asSlice(0, 6).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
            assertEquals(-Errno.EBADF, SendFile.sendfile(f.cs, tcp[0], -1, 0, 6, scratch));
            assertEquals(-Errno.ENOENT, Libc.open(f.cs, f.arena.allocateFrom(dir.resolve("none").toString()),
                Libc.O_RDONLY));
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "the control needs Linux's sendfile to an AF_UNIX socket")
    void sendfileNoSigpipeLeavesNoSigpipeAndKeepsTheMaskAndAnEarlierPendingOne(@TempDir final Path dir)
        throws Exception
    {
        final Path file = Files.write(dir.resolve("data.bin"), new byte[4096]);
        try (NativeFixture f = new NativeFixture())
        {
            final int fileFd = f.track(Libc.open(f.cs, f.arena.allocateFrom(file.toString()), Libc.O_RDONLY));
            final MemorySegment scratch = f.arena.allocate(SendFile.NOSIGPIPE_SCRATCH_LENGTH, 16);
            final MemorySegment pipe = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            final MemorySegment old = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            final MemorySegment now = f.arena.allocate(Signals.SIGSET_LENGTH, 8);
            Signals.sigsetAdd(pipe, Signals.SIGPIPE);
            assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_UNBLOCK, pipe, old));
            try
            {
                final int[] unblocked = f.socketpair(true);
                f.close(unblocked[1]);
                assertEquals(-Errno.EPIPE, SendFile.sendfileNoSigpipe(f.cs, unblocked[0], fileFd, 0, 4096, scratch));
                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_BLOCK, MemorySegment.NULL, now));
                assertFalse(Signals.sigsetHas(now, Signals.SIGPIPE), "the mask is restored: SIGPIPE unblocked");

                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_BLOCK, pipe, MemorySegment.NULL));
                final int[] control = f.socketpair(true);
                f.close(control[1]);
                assertEquals(-Errno.EPIPE, SendFile.sendfile(f.cs, control[0], fileFd, 0, 4096, scratch));
                assertTrue(pending(f, now), "control: plain sendfile to a gone peer raises SIGPIPE");
                final MemorySegment taken = f.arena.allocate(Integer.BYTES);
                assertEquals(0, Signals.sigwait(f.cs, pipe, taken));

                final int[] blocked = f.socketpair(true);
                f.close(blocked[1]);
                assertEquals(-Errno.EPIPE, SendFile.sendfileNoSigpipe(f.cs, blocked[0], fileFd, 0, 4096, scratch));
                assertFalse(pending(f, now), "the SIGPIPE it raised was taken");
                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_BLOCK, MemorySegment.NULL, now));
                assertTrue(Signals.sigsetHas(now, Signals.SIGPIPE), "still blocked, as the caller had it");

                assertEquals(-Errno.EPIPE, SendFile.sendfile(f.cs, control[0], fileFd, 0, 4096, scratch));
                assertTrue(pending(f, now));
                assertEquals(-Errno.EPIPE, SendFile.sendfileNoSigpipe(f.cs, blocked[0], fileFd, 0, 4096, scratch));
                assertTrue(pending(f, now), "a SIGPIPE pending before the call is not taken");
                assertEquals(0, Signals.sigwait(f.cs, pipe, taken));
            }
            finally
            {
                assertEquals(0, Signals.pthreadSigmask(f.cs, Signals.SIG_SETMASK, old, MemorySegment.NULL));
            }
        }
    }

    private static boolean pending(final NativeFixture f, final MemorySegment set)
    {
        assertEquals(0, Signals.sigpending(f.cs, set));
        return Signals.sigsetHas(set, Signals.SIGPIPE);
    }
}
