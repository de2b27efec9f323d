package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.Errno;

/**
 * The kernel-independent half of a kqueue backend, written to native-abi.md §5–6 (libevent's {@code kqueue.c}):
 * how a collapsed interest change becomes kevent changes, and how a returned kevent becomes readiness. It speaks
 * an abstract record (fd, {@link Ev#READ} or {@link Ev#WRITE} for the filter, add/delete, clear) so that no kqueue
 * ABI number is written in the engine; {@link KeventBatch} maps the record onto
 * {@code EVFILT_READ}/{@code EVFILT_WRITE}, {@code EV_ADD}/{@code EV_DELETE} and {@code EV_CLEAR} with the
 * constants of ffm-bindings' {@code Kqueue} ({@link KqueueAbi}).
 * <p>
 * Rules: read and write are separate knotes; an add is sent when the filter is newly wanted or its ET-ness changed
 * (EV_ADD on an existing knote modifies it), a delete when it is no longer wanted; {@link Ev#CLOSED} has no
 * filter (kqueue lacks FEATURE_EARLY_CLOSE). Error records: ENOENT, EINVAL and EBADF are ignored (deletes of knotes
 * a close already removed); EPERM and EPIPE on an <em>add</em> make the fd readable, so the user's read sees the
 * error; anything else fails the wait.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class KqueueTranslator
{
    /** Decoding result: ignore the record. */
    public static final int IGNORE = 0;

    /**
     * Receives the kevent changes of one interest change.
     * <p>
     * <b>Thread-safety:</b> called on the thread that translates.
     */
    @FunctionalInterface
    public interface ChangeSink
    {
        /**
         * @param fd     the fd (the kevent {@code ident}).
         * @param filter {@link Ev#READ} (EVFILT_READ) or {@link Ev#WRITE} (EVFILT_WRITE).
         * @param add    EV_ADD when true, EV_DELETE when false.
         * @param clear  EV_CLEAR (edge-triggered); only with {@code add}.
         */
        void change(int fd, int filter, boolean add, boolean clear);
    }

    private KqueueTranslator()
    {
    }

    /**
     * @param fd          the fd.
     * @param oldInterest what the kernel has.
     * @param newInterest what is wanted.
     * @param sink        receives 0, 1 or 2 changes.
     * @return the number of changes emitted.
     */
    public static int translate(final int fd, final int oldInterest, final int newInterest, final ChangeSink sink)
    {
        return translate(fd, oldInterest, newInterest, false, sink);
    }

    /**
     * @param fd          the fd.
     * @param oldInterest what the kernel has.
     * @param newInterest what is wanted.
     * @param removed     the interest was 0 in between ({@link ChangeList#removed}): every wanted filter is added
     *                    again, since the fd may be a new one with the same number.
     * @param sink        receives 0, 1 or 2 changes.
     * @return the number of changes emitted.
     */
    public static int translate(
        final int fd, final int oldInterest, final int newInterest, final boolean removed, final ChangeSink sink)
    {
        return translateFilter(fd, Ev.READ, oldInterest, newInterest, removed, sink) +
            translateFilter(fd, Ev.WRITE, oldInterest, newInterest, removed, sink);
    }

    private static int translateFilter(
        final int fd, final int filter, final int oldInterest, final int newInterest, final boolean removed,
        final ChangeSink sink)
    {
        final boolean had = 0 != (oldInterest & filter);
        final boolean wants = 0 != (newInterest & filter);
        final boolean oldClear = 0 != (oldInterest & Ev.ET);
        final boolean newClear = 0 != (newInterest & Ev.ET);
        if (wants && (!had || removed || oldClear != newClear))
        {
            sink.change(fd, filter, true, newClear);
            return 1;
        }
        if (had && !wants)
        {
            sink.change(fd, filter, false, false);
            return 1;
        }
        return 0;
    }

    /**
     * Decode one returned record.
     *
     * @param filter  {@link Ev#READ} or {@link Ev#WRITE} for EVFILT_READ/EVFILT_WRITE; anything else (the wake-up's
     *                EVFILT_USER) is ignored.
     * @param error   EV_ERROR was set.
     * @param data    the record's {@code data}: an errno when {@code error}.
     * @param wasAdd  the change was an add (libevent tags adds through {@code udata}).
     * @param eof     EV_EOF was set (peer closed or socket error; like libevent, only the readiness is reported,
     *                the read/write itself returns 0 or the error).
     * @return {@code Ev} bits to report, {@link #IGNORE}, or {@code -errno} when the dispatch must fail.
     */
    public static int decode(final int filter, final boolean error, final long data, final boolean wasAdd,
        final boolean eof)
    {
        if (error)
        {
            final int errno = (int)data;
            if (errno == Errno.ENOENT || errno == Errno.EINVAL || errno == Errno.EBADF)
            {
                return IGNORE;
            }
            if (errno == Errno.EPERM || errno == Errno.EPIPE)
            {
                return wasAdd ? Ev.READ | Ev.ET : IGNORE;
            }
            return 0 == errno ? IGNORE : -errno;
        }
        if (Ev.READ == filter || Ev.WRITE == filter)
        {
            return filter | Ev.ET;
        }
        return IGNORE;
    }
}
