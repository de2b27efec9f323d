package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;
import io.panamax.ffm.SyscallFaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * epoll_ctl's retries on the real kernel (libevent's {@code epoll.c}, the dup'd-fd cases of libevent-contracts.md):
 * an ADD the kernel already has (EEXIST) is sent again as MOD and a MOD of an fd it does not have (ENOENT) as ADD,
 * so the wanted interest is in force either way and nothing is reported; other failures reach the error handler,
 * and a DEL of an fd that is gone is not an error. The backend is told a wrong "old interest" on purpose: that is
 * exactly what the loop believes after an fd was closed, dup'd or reopened behind its back.
 */
@EnabledOnOs(OS.LINUX)
class EpollCtlRetryTest
{
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment one = arena.allocateFrom("x");
    private final List<Throwable> errors = new ArrayList<>();
    private final EpollBackend backend = new EpollBackend(errors::add);
    private final Map<Integer, Integer> ready = new HashMap<>();
    private final List<Integer> open = new ArrayList<>();

    @AfterEach
    void close()
    {
        SyscallFaults.clearAll();
        backend.close();
        for (final int fd : open)
        {
            Libc.close(callState, fd);
        }
        arena.close();
    }

    @Test
    void addThatFindsTheFdRegisteredIsRetriedAsModAndTheNewInterestHolds()
    {
        final int[] pair = pair();
        backend.changeInterest(pair[0], 0, Ev.READ);
        assertEquals(0, poll());
        backend.changeInterest(pair[0], 0, Ev.READ | Ev.WRITE);
        assertEquals(1, poll(), "ADD → EEXIST → MOD with EPOLLOUT");
        assertEquals(Ev.WRITE, ready.get(pair[0]) & (Ev.READ | Ev.WRITE));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void modOfAnFdTheKernelDoesNotHaveIsRetriedAsAdd()
    {
        final int[] pair = pair();
        assertEquals(1, Libc.write(callState, pair[1], one, 1));
        backend.changeInterest(pair[0], Ev.WRITE, Ev.READ);
        assertEquals(1, poll(), "MOD → ENOENT → ADD with EPOLLIN");
        assertEquals(Ev.READ, ready.get(pair[0]) & (Ev.READ | Ev.WRITE));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void modAfterTheFdWasClosedAndItsNumberReusedForAnotherSocketBecomesAnAdd()
    {
        final int[] first = pair();
        backend.changeInterest(first[0], 0, Ev.READ);
        assertEquals(0, poll());
        final int[] second = pair();
        // first[0] now names second's socket: the kernel dropped first[0]'s registration with its last reference.
        assertEquals(first[0], Libc.dup2(callState, second[0], first[0]));
        assertEquals(1, Libc.write(callState, second[1], one, 1));
        backend.changeInterest(first[0], Ev.READ, Ev.READ | Ev.WRITE);
        assertEquals(1, poll());
        assertEquals(Ev.READ | Ev.WRITE, ready.get(first[0]) & (Ev.READ | Ev.WRITE));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void addFailingOtherwiseIsReportedWithTheOperationAndFd()
    {
        final int[] pair = pair();
        SyscallFaults.failNext(SyscallFaults.Call.EPOLL_CTL, Errno.ENOMEM, 1);
        backend.changeInterest(pair[0], 0, Ev.READ);
        assertEquals(0, poll());
        assertEquals(1, errors.size());
        final String message = errors.get(0).getMessage();
        assertTrue(message.contains("EPOLL_CTL_ADD") && message.contains("fd " + pair[0]) &&
            message.contains("ENOMEM"), message);
        assertEquals(Errno.ENOMEM, ((PanamaxException)errors.get(0)).errno());
    }

    @Test
    void deleteOfAnFdThatIsGoneIsNotAnError()
    {
        final int[] pair = pair();
        backend.changeInterest(pair[0], 0, Ev.READ);
        assertEquals(0, poll());
        backend.changeInterest(pair[0], Ev.READ, 0);
        closeNow(pair[0]);
        assertEquals(0, poll(), "DEL → EBADF, ignored");
        for (final int errno : new int[]{ Errno.ENOENT, Errno.EPERM })
        {
            SyscallFaults.failNext(SyscallFaults.Call.EPOLL_CTL, errno, 1);
            backend.changeInterest(pair[1], Ev.READ, 0);
            assertEquals(0, poll());
        }
        assertTrue(errors.isEmpty(), errors::toString);
    }

    private int poll()
    {
        ready.clear();
        return backend.dispatch(0, true, (fd, what) -> ready.merge(fd, what, (a, b) -> a | b));
    }

    private int[] pair()
    {
        final MemorySegment fds = arena.allocate(8);
        assertEquals(0, Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds));
        final int[] pair = { fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1) };
        for (final int fd : pair)
        {
            assertEquals(0, Libc.setFlags(callState, fd, Libc.O_NONBLOCK));
            open.add(fd);
        }
        return pair;
    }

    private void closeNow(final int fd)
    {
        open.remove((Integer)fd);
        assertEquals(0, Libc.close(callState, fd));
    }
}
