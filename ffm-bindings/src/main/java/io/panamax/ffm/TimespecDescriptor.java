package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct timespec} (native-abi.md §2.6), the same on all four platforms; {@code kevent}'s timeout.
 * <pre>
 *   | tv_sec time_t @0 | tv_nsec long @8 |   LENGTH 16
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class TimespecDescriptor
{
    /** The layout on this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code tv_sec}. */
    public static final long SEC_OFFSET = LAYOUT.byteOffset(groupElement("tv_sec"));
    /** Offset of {@code tv_nsec}. */
    public static final long NSEC_OFFSET = LAYOUT.byteOffset(groupElement("tv_nsec"));
    /** Size. */
    public static final long LENGTH = LAYOUT.byteSize();

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TimespecDescriptor()
    {
    }

    /**
     * @param platform a platform.
     * @return the layout there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    }

    /**
     * Store a duration.
     *
     * @param timespec one {@code struct timespec}.
     * @param nanos    a non-negative duration in nanoseconds.
     */
    public static void set(final MemorySegment timespec, final long nanos)
    {
        timespec.set(JAVA_LONG, SEC_OFFSET, nanos / NANOS_PER_SECOND);
        timespec.set(JAVA_LONG, NSEC_OFFSET, nanos % NANOS_PER_SECOND);
    }

    /**
     * @param timespec one {@code struct timespec}, or {@link MemorySegment#NULL}.
     * @return true when it is a zero duration (a poll), false for NULL (wait for ever) or any other.
     */
    public static boolean isZero(final MemorySegment timespec)
    {
        return !MemorySegment.NULL.equals(timespec) &&
            0 == timespec.get(JAVA_LONG, SEC_OFFSET) && 0 == timespec.get(JAVA_LONG, NSEC_OFFSET);
    }
}
