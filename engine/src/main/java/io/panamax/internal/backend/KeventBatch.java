package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.KeventDescriptor;
import io.panamax.ffm.TimespecDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The arguments of one {@code kevent()} call, kernel-free (libevent's {@code kq_build_changes_list} and the
 * result half of {@code kq_dispatch}, native-abi.md §5.1 and §6): a {@code struct kevent[]} into which the
 * collapsed {@link ChangeList} is written and which then receives the results (the kernel writes result <i>k</i>
 * only after reading change <i>k</i>, so one array serves both), and the {@code struct timespec} of the wait.
 * <p>
 * Adds carry {@link #ADD_TAG} in {@code udata} so that an EV_ERROR record can be told apart from a delete's.
 * The array starts at {@link #INITIAL_CAPACITY} entries, grows while changes are written so that it always has
 * room for one result per change (an error record that finds no room would stop the kernel applying the rest),
 * and doubles after a wait that filled it, up to {@link #MAX_CAPACITY}. Nothing here allocates on the heap; the
 * array only grows in the arena it was given.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class KeventBatch implements KqueueTranslator.ChangeSink
{
    /** Entries at first (libevent's {@code NEVENT}). */
    public static final int INITIAL_CAPACITY = 64;
    /** Growth after a full wait stops here (changes may still grow it further). */
    public static final int MAX_CAPACITY = 4096;
    /** The {@code udata} of an add (libevent uses a magic value the same way). */
    public static final long ADD_TAG = 1;

    private final Arena arena;
    private final KqueueAbi abi;
    private final MemorySegment timespec;
    private MemorySegment events;
    private int capacity;
    private int count;

    /**
     * @param arena owns the arrays (closed by the owner).
     * @param abi   the kqueue numbers to write and read.
     */
    public KeventBatch(final Arena arena, final KqueueAbi abi)
    {
        this.arena = arena;
        this.abi = abi;
        this.timespec = arena.allocate(TimespecDescriptor.LAYOUT);
        this.capacity = INITIAL_CAPACITY;
        this.events = arena.allocate(KeventDescriptor.LENGTH * capacity, 8);
    }

    /**
     * Write every pending change of the list (entries taken out of turn are skipped) and clear it.
     *
     * @param changes the collapsed changes.
     * @return the number of {@code struct kevent} changes written, from index 0.
     */
    public int build(final ChangeList changes)
    {
        count = 0;
        for (int i = 0, size = changes.size(); i < size; i++)
        {
            final int fd = changes.fd(i);
            if (fd >= 0)
            {
                KqueueTranslator.translate(
                    fd, changes.oldInterest(i), changes.newInterest(i), changes.removed(i), this);
            }
        }
        changes.clear();
        return count;
    }

    /**
     * Write the changes of one fd only, each with EV_RECEIPT so the kernel answers every change with a status
     * record and collects no readiness (which an edge-triggered knote would lose), native-abi.md §5.1.
     *
     * @param fd          the fd.
     * @param oldInterest what the kernel has.
     * @param newInterest what is wanted.
     * @param removed     the interest was 0 in between ({@link ChangeList#removed}).
     * @return the number of changes written, from index 0.
     */
    public int buildReceipts(final int fd, final int oldInterest, final int newInterest, final boolean removed)
    {
        count = 0;
        KqueueTranslator.translate(fd, oldInterest, newInterest, removed, this);
        final MemorySegment events = this.events;
        for (int i = 0; i < count; i++)
        {
            final long offset = i * KeventDescriptor.LENGTH + KeventDescriptor.FLAGS_OFFSET;
            events.set(JAVA_SHORT, offset, (short)(events.get(JAVA_SHORT, offset) | abi.receipt()));
        }
        return count;
    }

    /** {@inheritDoc} */
    @Override
    public void change(final int fd, final int filter, final boolean add, final boolean clear)
    {
        if (count == capacity)
        {
            grow(capacity << 1, count);
        }
        final short kfilter = Ev.READ == filter ? abi.readFilter() : abi.writeFilter();
        final int flags = add ? abi.add() | (clear ? abi.clear() : 0) : abi.delete();
        KeventDescriptor.set(events, count++, fd, kfilter, flags, 0, 0, add ? ADD_TAG : 0);
    }

    /**
     * @return the array (changes in, results out); valid until the next {@link #build} or {@link #afterWait}.
     */
    public MemorySegment events()
    {
        return events;
    }

    /**
     * @return entries the array holds: the {@code nevents} of the call.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @param timeoutNs nanoseconds, 0 to poll, negative ({@link Backend#INFINITE}) to wait for ever.
     * @return the {@code timeout} argument: NULL for ever, else this batch's timespec holding the duration.
     */
    public MemorySegment timeout(final long timeoutNs)
    {
        if (timeoutNs < 0)
        {
            return MemorySegment.NULL;
        }
        TimespecDescriptor.set(timespec, timeoutNs);
        return timespec;
    }

    /**
     * @param index a result index.
     * @return the record's fd ({@code ident}).
     */
    public int fd(final int index)
    {
        return (int)events.get(JAVA_LONG, index * KeventDescriptor.LENGTH + KeventDescriptor.IDENT_OFFSET);
    }

    /**
     * Decode result {@code index} as libevent does (see {@link KqueueTranslator#decode}); EVFILT_USER and other
     * filters are ignored.
     *
     * @param index a result index.
     * @return {@code Ev} bits to report, {@link KqueueTranslator#IGNORE}, or {@code -errno} for an EV_ERROR
     *         record the dispatch must fail on.
     */
    public int decode(final int index)
    {
        final MemorySegment events = this.events;
        final long base = index * KeventDescriptor.LENGTH;
        final short kfilter = events.get(JAVA_SHORT, base + KeventDescriptor.FILTER_OFFSET);
        final int flags = events.get(JAVA_SHORT, base + KeventDescriptor.FLAGS_OFFSET) & 0xffff;
        final long data = events.get(JAVA_LONG, base + KeventDescriptor.DATA_OFFSET);
        final long udata = events.get(JAVA_LONG, base + KeventDescriptor.UDATA_OFFSET);
        final int filter = kfilter == abi.readFilter() ? Ev.READ : kfilter == abi.writeFilter() ? Ev.WRITE : 0;
        return KqueueTranslator.decode(
            filter, 0 != (flags & abi.error()), data, ADD_TAG == udata, 0 != (flags & abi.eof()));
    }

    /**
     * Grow the array when the last wait filled it (libevent doubles it the same way).
     *
     * @param returned what the wait returned.
     */
    public void afterWait(final int returned)
    {
        if (returned == capacity && capacity < MAX_CAPACITY)
        {
            grow(capacity << 1, 0);
        }
    }

    private void grow(final int newCapacity, final int keep)
    {
        final MemorySegment bigger = arena.allocate(KeventDescriptor.LENGTH * newCapacity, 8);
        MemorySegment.copy(events, 0, bigger, 0, KeventDescriptor.LENGTH * keep);
        events = bigger;
        capacity = newCapacity;
    }
}
