package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.Epoll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * epoll's interest and result translation (libevent's {@code epoll.c} rules), without the kernel.
 */
class EpollBackendTest
{
    @Test
    void interestMapsToEpollBitsWithEtAndRdhup()
    {
        assertEquals(0, EpollBackend.encode(0));
        assertEquals(0, EpollBackend.encode(Ev.ET));
        assertEquals(Epoll.EPOLLIN, EpollBackend.encode(Ev.READ));
        assertEquals(Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET,
            EpollBackend.encode(Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.ET));
    }

    @Test
    void errorsAndHangupWithoutRdhupBecomeReadAndWrite()
    {
        assertEquals(Ev.READ | Ev.WRITE | Ev.ET, EpollBackend.decode(Epoll.EPOLLERR));
        assertEquals(Ev.READ | Ev.WRITE | Ev.ET, EpollBackend.decode(Epoll.EPOLLHUP));
        assertEquals(Ev.READ | Ev.CLOSED | Ev.ET, EpollBackend.decode(Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLRDHUP));
        assertEquals(Ev.WRITE | Ev.ET, EpollBackend.decode(Epoll.EPOLLOUT));
    }

    @Test
    void changeListKeepsOneEntryPerFdWithTheOriginalOldInterest()
    {
        final ChangeList changes = new ChangeList();
        changes.record(5, 0, Ev.READ);
        changes.record(5, Ev.READ, Ev.READ | Ev.WRITE);
        changes.record(5, Ev.READ | Ev.WRITE, 0);
        changes.record(1000, Ev.WRITE, Ev.READ);
        assertEquals(2, changes.size());
        assertEquals(5, changes.fd(0));
        assertEquals(0, changes.oldInterest(0));
        assertEquals(0, changes.newInterest(0));
        assertEquals(1, changes.indexOf(1000));
        changes.take(1);
        assertEquals(-1, changes.fd(1));
        assertEquals(-1, changes.indexOf(1000));
        changes.clear();
        assertEquals(0, changes.size());
        assertEquals(-1, changes.indexOf(5));
    }

    @Test
    void pollResultBitsFollowLibevent()
    {
        assertEquals(Ev.READ | Ev.WRITE, PollBackend.decode(io.panamax.ffm.PollfdDescriptor.POLLNVAL));
        assertEquals(Ev.READ, PollBackend.decode(io.panamax.ffm.PollfdDescriptor.POLLIN));
    }

    @Test
    void millisecondConversionRoundsAsAsked()
    {
        assertEquals(-1, Backend.toMillis(Backend.INFINITE, true));
        assertEquals(0, Backend.toMillis(999_999, true));
        assertEquals(1, Backend.toMillis(999_999, false));
        assertEquals(1, Backend.toMillis(1_000_000, false));
        assertEquals(Integer.MAX_VALUE, Backend.toMillis(Long.MAX_VALUE, false));
    }
}
