package io.panamax.internal.backend;

import io.panamax.ffm.KeventDescriptor;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The kqueue loop's cross-thread wake-up as kevent records (native-abi.md §5.3 and §6, libevent's
 * {@code evthread_make_base_notifiable_nolock_}): one {@code EVFILT_USER} knote with ident {@link #IDENT}, registered
 * once with {@code EV_ADD | EV_CLEAR} (so a delivery resets it: nothing to drain) and fired from any thread with
 * {@code NOTE_TRIGGER} in {@code fflags} and no flags. It needs no fd. The knote's key is (ident, filter), so ident 0
 * never meets fd 0's read or write knote. The numbers come from a {@link KqueueAbi}, so the records can be checked
 * against macOS's values on any OS.
 * <p>
 * <b>Thread-safety:</b> stateless; each caller writes into its own segment.
 */
public final class KqueueUserEvent
{
    /** The wake-up knote's ident (libevent uses 0 too). */
    public static final long IDENT = 0;

    private KqueueUserEvent()
    {
    }

    /**
     * Write the registration: {@code {IDENT, EVFILT_USER, EV_ADD | EV_CLEAR, fflags 0, data 0, udata 0}}.
     *
     * @param kevents a {@code struct kevent[]}.
     * @param index   the entry to write.
     * @param abi     the kqueue numbers.
     */
    public static void writeRegistration(final MemorySegment kevents, final int index, final KqueueAbi abi)
    {
        KeventDescriptor.set(kevents, index, IDENT, abi.userFilter(), abi.add() | abi.clear(), 0, 0, 0);
    }

    /**
     * Write the trigger: {@code {IDENT, EVFILT_USER, flags 0, NOTE_TRIGGER, data 0, udata 0}}.
     *
     * @param kevents a {@code struct kevent[]}.
     * @param index   the entry to write.
     * @param abi     the kqueue numbers.
     */
    public static void writeTrigger(final MemorySegment kevents, final int index, final KqueueAbi abi)
    {
        KeventDescriptor.set(kevents, index, IDENT, abi.userFilter(), 0, abi.trigger(), 0, 0);
    }

    /**
     * @param kevents a {@code struct kevent[]} the kernel filled.
     * @param index   a result index.
     * @param abi     the kqueue numbers.
     * @return true when the record is the wake-up's delivery (the loop then only has to look at its inbox).
     */
    public static boolean isWakeup(final MemorySegment kevents, final int index, final KqueueAbi abi)
    {
        final long base = index * KeventDescriptor.LENGTH;
        return abi.userFilter() == kevents.get(JAVA_SHORT, base + KeventDescriptor.FILTER_OFFSET) &&
            IDENT == kevents.get(JAVA_LONG, base + KeventDescriptor.IDENT_OFFSET);
    }
}
