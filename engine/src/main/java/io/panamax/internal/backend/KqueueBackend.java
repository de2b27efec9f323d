package io.panamax.internal.backend;

import io.panamax.ErrorHandler;
import io.panamax.EventBaseConfig;
import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Kqueue;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Platform;
import io.panamax.ffm.TimespecDescriptor;
import io.panamax.ffm.KeventDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * kqueue {@link Backend} (macOS), as libevent's {@code kqueue.c} drives it (native-abi.md §5–6): the changes
 * collapsed since the last wait are written into the result array and handed to the same {@code kevent()} call
 * that waits, so a dispatch costs one system call whatever changed. Read and write are separate knotes
 * ({@link KqueueTranslator}); {@link io.panamax.Ev#ET} becomes EV_CLEAR. EV_ERROR records of changes are handled
 * as libevent does (benign ones ignored, EPERM/EPIPE on an add reported readable, anything else fails the
 * dispatch); EV_EOF only reports the fd ready, its read or write then returns 0 or the error. The timeout is a
 * nanosecond {@code timespec}, so precise timers need no rounding.
 * <p>
 * The cross-thread wake-up is an {@code EVFILT_USER} knote ({@link KqueueUserEvent}, native-abi.md §5.3): registered
 * once with EV_CLEAR, fired from any thread by {@link #wake()}, delivered as a record the dispatch ignores; no fd.
 * Should its registration fail, {@link #hasUserWakeup()} says so and the loop keeps a pipe. The backend cannot be created anywhere but macOS: elsewhere its constructor throws before any
 * kqueue symbol is linked.
 * <p>
 * <b>Thread-safety:</b> confined to the loop thread of its base, {@link #close()} included.
 */
public final class KqueueBackend implements Backend
{
    /** What kqueue offers: edge triggering, O(1) dispatch, any fd type; no early close (no EPOLLRDHUP). */
    public static final int FEATURES =
        EventBaseConfig.FEATURE_ET | EventBaseConfig.FEATURE_O1 | EventBaseConfig.FEATURE_FDS;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final ChangeList changes = new ChangeList();
    private final KeventBatch batch;
    private final KeventBatch flushBatch;
    private final MemorySegment zeroTimeout;
    private final ErrorHandler errorHandler;
    private final int userKq;
    private int kq;
    private boolean closed;

    /**
     * @param errorHandler receives failed changes applied out of turn (they cannot be returned to anyone).
     * @throws PanamaxException when not on macOS, or when {@code kqueue()} fails.
     */
    public KqueueBackend(final ErrorHandler errorHandler)
    {
        if (!Platform.IS_MACOS)
        {
            throw new PanamaxException(unavailableMessage());
        }
        this.errorHandler = errorHandler;
        batch = new KeventBatch(arena, KqueueAbi.NATIVE);
        flushBatch = new KeventBatch(arena, KqueueAbi.NATIVE);
        zeroTimeout = flushBatch.timeout(0);
        final int fd = Kqueue.kqueue(callState);
        if (fd < 0)
        {
            PanamaxException.check(fd, "kqueue", "");
        }
        kq = fd;
        final int rc = Libc.setFlags(callState, kq, Libc.O_CLOEXEC);
        if (rc < 0)
        {
            close();
            PanamaxException.check(rc, "fcntl", "kqueue fd, FD_CLOEXEC");
        }
        final MemorySegment registration = flushBatch.events();
        KqueueUserEvent.writeRegistration(registration, 0, KqueueAbi.NATIVE);
        userKq = Kqueue.kevent(callState, kq, registration, 1, MemorySegment.NULL, 0, zeroTimeout) < 0 ? -1 : kq;
    }

    /**
     * @return why the backend cannot run on this platform.
     */
    public static String unavailableMessage()
    {
        return "the kqueue backend runs on macOS only (this is " + System.getProperty("os.name") + " " +
            System.getProperty("os.arch") + "); use \"epoll\" or \"poll\"";
    }

    /** {@inheritDoc} */
    @Override
    public String method()
    {
        return "kqueue";
    }

    /** {@inheritDoc} */
    @Override
    public int features()
    {
        return FEATURES;
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasUserWakeup()
    {
        return userKq >= 0;
    }

    /**
     * Fire the {@code EVFILT_USER} knote: one non-blocking {@code kevent()} with the trigger and no result room.
     * Any thread; the calling thread's scratch holds the record.
     */
    @Override
    public void wake()
    {
        final WakeScratch scratch = WakeScratch.SCRATCH.get();
        Kqueue.kevent(scratch.callState, userKq, scratch.trigger, 1, MemorySegment.NULL, 0, scratch.zeroTimeout);
    }

    /** {@inheritDoc} */
    @Override
    public void changeInterest(final int fd, final int oldInterest, final int newInterest)
    {
        changes.record(fd, oldInterest, newInterest);
    }

    /** {@inheritDoc} */
    @Override
    public void flush(final int fd)
    {
        final int index = changes.indexOf(fd);
        if (index < 0)
        {
            return;
        }
        final int n = flushBatch.buildReceipts(
            fd, changes.oldInterest(index), changes.newInterest(index), changes.removed(index));
        changes.take(index);
        if (0 == n)
        {
            return;
        }
        final MemorySegment events = flushBatch.events();
        final int returned = Kqueue.kevent(callState, kq, events, n, events, n, zeroTimeout);
        if (returned < 0)
        {
            report(fd, returned);
            return;
        }
        for (int i = 0; i < returned; i++)
        {
            final int what = flushBatch.decode(i);
            if (what < 0)
            {
                report(fd, what);
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public int dispatch(final long timeoutNs, final boolean roundDown, final ReadyHandler handler)
    {
        final KeventBatch batch = this.batch;
        final int nchanges = batch.build(changes);
        final MemorySegment events = batch.events();
        final int n = Kqueue.kevent(
            callState, kq, events, nchanges, events, batch.capacity(), batch.timeout(timeoutNs));
        if (n <= 0)
        {
            return -Errno.EINTR == n ? 0 : n;
        }
        int failure = 0;
        int reported = 0;
        for (int i = 0; i < n; i++)
        {
            final int what = batch.decode(i);
            if (what > 0)
            {
                handler.onReady(batch.fd(i), what);
                reported++;
            }
            else if (what < 0 && 0 == failure)
            {
                failure = what;
            }
        }
        batch.afterWait(n);
        return 0 != failure ? failure : reported;
    }

    /** {@inheritDoc} */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final int fd = kq;
        kq = -1;
        Backends.closeKernelFd(arena, callState, fd, "kqueue fd", errorHandler);
    }

    /** Per-thread segments of {@link #wake()}: automatic, written once. */
    private static final class WakeScratch
    {
        static final ThreadLocal<WakeScratch> SCRATCH = ThreadLocal.withInitial(WakeScratch::new);

        final MemorySegment callState;
        final MemorySegment trigger;
        final MemorySegment zeroTimeout;

        private WakeScratch()
        {
            final Arena arena = Arena.ofAuto();
            callState = Errno.allocateCallState(arena);
            trigger = arena.allocate(KeventDescriptor.LENGTH, 8);
            zeroTimeout = arena.allocate(TimespecDescriptor.LAYOUT);
            KqueueUserEvent.writeTrigger(trigger, 0, KqueueAbi.NATIVE);
        }
    }

    private void report(final int fd, final int rc)
    {
        errorHandler.onError(new PanamaxException("kevent(change of fd " + fd + "): " + Errno.describe(-rc), -rc));
    }
}
