package io.panamax.internal.backend;

import io.panamax.ffm.ConstantTable;
import io.panamax.ffm.Kqueue;

/**
 * The kqueue numbers a {@link KeventBatch} writes and reads, taken by name from ffm-bindings (no number is
 * written in the engine). {@link #NATIVE} holds this platform's values (0 on Linux, where kqueue is never called);
 * {@link #of(ConstantTable)} builds the set of any platform, so the translation can be tested on Linux against
 * macOS's numbers.
 * <p>
 * <b>Thread-safety:</b> immutable.
 *
 * @param readFilter  {@code EVFILT_READ}.
 * @param writeFilter {@code EVFILT_WRITE}.
 * @param userFilter  {@code EVFILT_USER}.
 * @param add         {@code EV_ADD}.
 * @param delete      {@code EV_DELETE}.
 * @param clear       {@code EV_CLEAR}.
 * @param receipt     {@code EV_RECEIPT}.
 * @param error       {@code EV_ERROR}.
 * @param eof         {@code EV_EOF}.
 * @param trigger     {@code NOTE_TRIGGER} (EVFILT_USER's fflags that fire the event).
 */
public record KqueueAbi(
    short readFilter, short writeFilter, short userFilter, int add, int delete, int clear, int receipt, int error,
    int eof, int trigger)
{
    /** This platform's values. */
    public static final KqueueAbi NATIVE = new KqueueAbi(
        Kqueue.EVFILT_READ, Kqueue.EVFILT_WRITE, Kqueue.EVFILT_USER, Kqueue.EV_ADD, Kqueue.EV_DELETE,
        Kqueue.EV_CLEAR, Kqueue.EV_RECEIPT, Kqueue.EV_ERROR, Kqueue.EV_EOF, Kqueue.NOTE_TRIGGER);

    /**
     * @param table a platform's constants ({@link Kqueue#table}).
     * @return that platform's kqueue numbers.
     */
    public static KqueueAbi of(final ConstantTable table)
    {
        return new KqueueAbi(
            (short)table.value("EVFILT_READ"), (short)table.value("EVFILT_WRITE"), (short)table.value("EVFILT_USER"),
            table.value("EV_ADD"), table.value("EV_DELETE"), table.value("EV_CLEAR"), table.value("EV_RECEIPT"),
            table.value("EV_ERROR"), table.value("EV_EOF"), table.value("NOTE_TRIGGER"));
    }
}
