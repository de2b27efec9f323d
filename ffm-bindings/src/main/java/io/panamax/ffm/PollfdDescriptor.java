package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct pollfd} and the {@code poll(2)} event bits.
 * <pre>
 *   | fd int @0 | events short @4 | revents short @6 |   LENGTH 8 (all four platforms)
 * </pre>
 * {@code nfds_t} is {@code unsigned long} (8 bytes) in glibc and {@code unsigned int} (4 bytes) on macOS.
 * The event bits below are the same on Linux and macOS ({@code <poll.h>} / {@code <sys/poll.h>}).
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class PollfdDescriptor
{
    /** The layout. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code fd}. */
    public static final long FD_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("fd"));
    /** Offset of {@code events}. */
    public static final long EVENTS_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("events"));
    /** Offset of {@code revents}. */
    public static final long REVENTS_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("revents"));
    /** Size and array stride. */
    public static final long LENGTH = LAYOUT.byteSize();
    /** True where {@code nfds_t} is 8 bytes (Linux). */
    public static final boolean NFDS_IS_LONG = nfdsIsLong(Constants.PLATFORM);

    /** Data to read. */
    public static final short POLLIN = (short)Constants.TABLE.value("POLLIN");
    /** Urgent data to read. */
    public static final short POLLPRI = (short)Constants.TABLE.value("POLLPRI");
    /** Writing will not block. */
    public static final short POLLOUT = (short)Constants.TABLE.value("POLLOUT");
    /** Error condition (output only). */
    public static final short POLLERR = (short)Constants.TABLE.value("POLLERR");
    /** Hung up (output only). */
    public static final short POLLHUP = (short)Constants.TABLE.value("POLLHUP");
    /** Invalid descriptor (output only). */
    public static final short POLLNVAL = (short)Constants.TABLE.value("POLLNVAL");

    private PollfdDescriptor()
    {
    }

    /**
     * @param platform a platform (all four agree).
     * @return {@code struct pollfd} there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    }

    /**
     * @param platform a platform.
     * @return true where {@code nfds_t} is 8 bytes.
     */
    public static boolean nfdsIsLong(final Platform platform)
    {
        return platform.isLinux();
    }
}
