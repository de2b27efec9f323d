package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.ConstantTable;
import io.panamax.ffm.Errno;
import io.panamax.ffm.KeventDescriptor;
import io.panamax.ffm.Kqueue;
import io.panamax.ffm.Platform;
import io.panamax.ffm.TimespecDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kevent array of a kqueue dispatch, built and decoded without the kernel against macOS's numbers
 * (native-abi.md §2.2, §3.10–3.11, §5–6).
 */
class KeventBatchTest
{
    private static final ConstantTable MAC = Kqueue.table(Platform.MACOS_ARM64);
    private static final KqueueAbi ABI = KqueueAbi.of(MAC);

    private final Arena arena = Arena.ofConfined();
    private final KeventBatch batch = new KeventBatch(arena, ABI);

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void abiIsTakenFromTheMacColumnByName()
    {
        assertEquals(MAC.value("EVFILT_READ"), ABI.readFilter());
        assertEquals(MAC.value("EVFILT_WRITE"), ABI.writeFilter());
        assertEquals(MAC.value("EVFILT_USER"), ABI.userFilter());
        assertEquals(MAC.value("EV_EOF"), ABI.eof());
        assertTrue(ABI.readFilter() < 0 && ABI.writeFilter() < 0 && ABI.readFilter() != ABI.writeFilter());
    }

    @Test
    void changeListBecomesOneKeventPerFilterChangeInOrder()
    {
        final ChangeList changes = new ChangeList();
        changes.record(5, 0, Ev.READ | Ev.WRITE | Ev.ET);
        changes.record(6, Ev.READ, 0);
        changes.record(7, Ev.READ, Ev.READ);
        changes.record(8, 0, Ev.WRITE);
        changes.record(8, 0, Ev.READ);

        assertEquals(4, batch.build(changes));
        assertEquals(0, changes.size());
        final int addClear = MAC.value("EV_ADD") | MAC.value("EV_CLEAR");
        assertEntry(0, 5, MAC.value("EVFILT_READ"), addClear, KeventBatch.ADD_TAG);
        assertEntry(1, 5, MAC.value("EVFILT_WRITE"), addClear, KeventBatch.ADD_TAG);
        assertEntry(2, 6, MAC.value("EVFILT_READ"), MAC.value("EV_DELETE"), 0);
        assertEntry(3, 8, MAC.value("EVFILT_READ"), MAC.value("EV_ADD"), KeventBatch.ADD_TAG);
    }

    @Test
    void aDeleteThenReAddOfTheSameInterestIsSentAsAnAddBecauseTheFdMayBeNew()
    {
        final ChangeList changes = new ChangeList();
        changes.record(5, Ev.READ, 0);
        changes.record(5, Ev.READ, Ev.READ);
        changes.record(6, Ev.READ, Ev.READ | Ev.WRITE);
        assertEquals(2, batch.build(changes));
        assertEntry(0, 5, MAC.value("EVFILT_READ"), MAC.value("EV_ADD"), KeventBatch.ADD_TAG);
        assertEntry(1, 6, MAC.value("EVFILT_WRITE"), MAC.value("EV_ADD"), KeventBatch.ADD_TAG);
    }

    @Test
    void entriesTakenOutOfTurnAreNotSentAgain()
    {
        final ChangeList changes = new ChangeList();
        changes.record(3, 0, Ev.READ);
        changes.record(4, 0, Ev.READ);
        changes.take(changes.indexOf(3));
        assertEquals(1, batch.build(changes));
        assertEquals(4, batch.fd(0));
    }

    @Test
    void arrayGrowsSoEveryChangeHasRoomForItsResult()
    {
        final ChangeList changes = new ChangeList();
        final int fds = KeventBatch.INITIAL_CAPACITY * 3;
        for (int fd = 0; fd < fds; fd++)
        {
            changes.record(fd, 0, Ev.READ | Ev.WRITE);
        }
        final int n = batch.build(changes);
        assertEquals(2 * fds, n);
        assertTrue(batch.capacity() >= n);
        assertTrue(batch.events().byteSize() >= n * KeventDescriptor.LENGTH);
        for (int i = 0; i < n; i++)
        {
            assertEntry(i, i / 2, MAC.value(0 == i % 2 ? "EVFILT_READ" : "EVFILT_WRITE"), MAC.value("EV_ADD"),
                KeventBatch.ADD_TAG);
        }
    }

    @Test
    void aFullWaitDoublesTheArrayUpToTheMaximum()
    {
        batch.afterWait(KeventBatch.INITIAL_CAPACITY - 1);
        assertEquals(KeventBatch.INITIAL_CAPACITY, batch.capacity());
        batch.afterWait(KeventBatch.INITIAL_CAPACITY);
        assertEquals(2 * KeventBatch.INITIAL_CAPACITY, batch.capacity());
        while (batch.capacity() < KeventBatch.MAX_CAPACITY)
        {
            batch.afterWait(batch.capacity());
        }
        batch.afterWait(batch.capacity());
        assertEquals(KeventBatch.MAX_CAPACITY, batch.capacity());
    }

    @Test
    void receiptsMarkEveryChangeOfAFlush()
    {
        assertEquals(2, batch.buildReceipts(9, Ev.READ | Ev.WRITE, 0, false));
        final int deleteReceipt = MAC.value("EV_DELETE") | MAC.value("EV_RECEIPT");
        assertEntry(0, 9, MAC.value("EVFILT_READ"), deleteReceipt, 0);
        assertEntry(1, 9, MAC.value("EVFILT_WRITE"), deleteReceipt, 0);
    }

    @Test
    void readinessRecordsDecodeToTheFilterWithEtAndEofOnlyReportsReadiness()
    {
        result(0, 11, MAC.value("EVFILT_READ"), 0, 0, 100, 0);
        result(1, 12, MAC.value("EVFILT_WRITE"), MAC.value("EV_EOF"), 61, 0, 0);
        result(2, 13, MAC.value("EVFILT_READ"), MAC.value("EV_EOF") | MAC.value("EV_CLEAR"), 54, 3, 0);
        assertEquals(Ev.READ | Ev.ET, batch.decode(0));
        assertEquals(11, batch.fd(0));
        assertEquals(Ev.WRITE | Ev.ET, batch.decode(1));
        assertEquals(12, batch.fd(1));
        assertEquals(Ev.READ | Ev.ET, batch.decode(2));
    }

    @Test
    void userFilterWakeUpIsIgnored()
    {
        result(0, 0, MAC.value("EVFILT_USER"), MAC.value("EV_CLEAR"), MAC.value("NOTE_TRIGGER"), 0, 0);
        assertEquals(KqueueTranslator.IGNORE, batch.decode(0));
    }

    @Test
    void errorRecordsAreHandledAsLibeventDoes()
    {
        final int error = MAC.value("EV_ERROR");
        final int read = MAC.value("EVFILT_READ");
        result(0, 3, read, error, 0, Errno.ENOENT, 0);
        result(1, 3, read, error, 0, Errno.EBADF, KeventBatch.ADD_TAG);
        result(2, 3, read, error, 0, Errno.EINVAL, 0);
        result(3, 4, read, error, 0, Errno.EPIPE, KeventBatch.ADD_TAG);
        result(4, 4, read, error, 0, Errno.EPERM, KeventBatch.ADD_TAG);
        result(5, 4, read, error, 0, Errno.EPIPE, 0);
        result(6, 5, read, error, 0, Errno.ENOMEM, KeventBatch.ADD_TAG);
        result(7, 5, read, error, 0, 0, KeventBatch.ADD_TAG);
        assertEquals(KqueueTranslator.IGNORE, batch.decode(0));
        assertEquals(KqueueTranslator.IGNORE, batch.decode(1));
        assertEquals(KqueueTranslator.IGNORE, batch.decode(2));
        assertEquals(Ev.READ | Ev.ET, batch.decode(3));
        assertEquals(Ev.READ | Ev.ET, batch.decode(4));
        assertEquals(KqueueTranslator.IGNORE, batch.decode(5));
        assertEquals(-Errno.ENOMEM, batch.decode(6));
        assertEquals(KqueueTranslator.IGNORE, batch.decode(7), "a receipt with data 0 is success");
    }

    @Test
    void timeoutBecomesATimespecOrNullForEver()
    {
        assertEquals(MemorySegment.NULL, batch.timeout(Backend.INFINITE));
        final MemorySegment zero = batch.timeout(0);
        assertTrue(TimespecDescriptor.isZero(zero));
        final MemorySegment ts = batch.timeout(2_500_000_123L);
        assertEquals(2, ts.get(JAVA_LONG, TimespecDescriptor.SEC_OFFSET));
        assertEquals(500_000_123L, ts.get(JAVA_LONG, TimespecDescriptor.NSEC_OFFSET));
        final MemorySegment sub = batch.timeout(750);
        assertEquals(0, sub.get(JAVA_LONG, TimespecDescriptor.SEC_OFFSET));
        assertEquals(750, sub.get(JAVA_LONG, TimespecDescriptor.NSEC_OFFSET), "no rounding to milliseconds");
    }

    private void assertEntry(final int index, final int fd, final int filter, final int flags, final long udata)
    {
        final MemorySegment events = batch.events();
        final long base = index * KeventDescriptor.LENGTH;
        assertEquals(fd, events.get(JAVA_LONG, base + KeventDescriptor.IDENT_OFFSET), "ident of " + index);
        assertEquals((short)filter, events.get(JAVA_SHORT, base + KeventDescriptor.FILTER_OFFSET), "filter");
        assertEquals(flags, events.get(JAVA_SHORT, base + KeventDescriptor.FLAGS_OFFSET) & 0xffff, "flags");
        assertEquals(0, events.get(JAVA_INT, base + KeventDescriptor.FFLAGS_OFFSET), "fflags");
        assertEquals(0, events.get(JAVA_LONG, base + KeventDescriptor.DATA_OFFSET), "data");
        assertEquals(udata, events.get(JAVA_LONG, base + KeventDescriptor.UDATA_OFFSET), "udata");
    }

    private void result(
        final int index, final long ident, final int filter, final int flags, final int fflags, final long data,
        final long udata)
    {
        KeventDescriptor.set(batch.events(), index, ident, (short)filter, flags, fflags, data, udata);
    }
}
