package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** A non-blocking AF_UNIX stream socketpair for tests, with its own call-state segment. */
final class SocketPair implements AutoCloseable
{
    final Arena arena = Arena.ofConfined();
    final MemorySegment cs = Errno.allocateCallState(arena);
    int a;
    int b;

    SocketPair()
    {
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        PanamaxException.check(Sockets.socketpair(cs, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds), "socketpair", "");
        a = fds.getAtIndex(JAVA_INT, 0);
        b = fds.getAtIndex(JAVA_INT, 1);
        PanamaxException.check(Libc.setFlags(cs, a, Libc.O_NONBLOCK), "fcntl", "a");
        PanamaxException.check(Libc.setFlags(cs, b, Libc.O_NONBLOCK), "fcntl", "b");
    }

    void closeA()
    {
        Libc.close(cs, a);
        a = -1;
    }

    @Override
    public void close()
    {
        Libc.close(cs, a);
        Libc.close(cs, b);
        arena.close();
    }
}
