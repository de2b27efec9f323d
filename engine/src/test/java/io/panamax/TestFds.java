package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Real socketpairs for tests: non-blocking, closed by {@link #close()}.
 */
final class TestFds implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment buffer = arena.allocate(1 << 16);
    private final List<Integer> open = new ArrayList<>();

    static Stream<String> methods()
    {
        return EventBase.supportedMethods().stream();
    }

    static EventBase base(final String method)
    {
        return EventBase.create(EventBaseConfig.create().method(method));
    }

    int[] pair()
    {
        final MemorySegment fds = arena.allocate(8);
        final int rc = Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds);
        if (rc < 0)
        {
            throw new IllegalStateException("socketpair: " + Errno.describe(-rc));
        }
        final int[] pair = { fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1) };
        for (final int fd : pair)
        {
            Libc.setFlags(callState, fd, Libc.O_NONBLOCK);
            open.add(fd);
        }
        return pair;
    }

    long write(final int fd, final byte[] bytes)
    {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buffer, 0, bytes.length);
        return Libc.write(callState, fd, buffer, bytes.length);
    }

    long write(final int fd, final String text)
    {
        return write(fd, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** @return bytes read, 0 at EOF, or -errno. */
    long read(final int fd, final int max)
    {
        return Libc.read(callState, fd, buffer, Math.min(max, (int)buffer.byteSize()));
    }

    byte[] lastRead(final int n)
    {
        return buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Fill the fd's send buffer until EAGAIN. */
    long fill(final int fd)
    {
        long total = 0;
        while (true)
        {
            final long n = Libc.write(callState, fd, buffer, buffer.byteSize());
            if (n <= 0)
            {
                return total;
            }
            total += n;
        }
    }

    void close(final int fd)
    {
        if (open.remove((Integer)fd))
        {
            Libc.close(callState, fd);
        }
    }

    @Override
    public void close()
    {
        for (final int fd : open)
        {
            Libc.close(callState, fd);
        }
        open.clear();
        arena.close();
    }
}
