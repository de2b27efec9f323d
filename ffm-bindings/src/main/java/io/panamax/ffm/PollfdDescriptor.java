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
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
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
    public static final short POLLIN = 0x1;
    /** Urgent data to read. */
    public static final short POLLPRI = 0x2;
    /** Writing will not block. */
    public static final short POLLOUT = 0x4;
    /** Error condition (output only). */
    public static final short POLLERR = 0x8;
    /** Hung up (output only). */
    public static final short POLLHUP = 0x10;
    /** Invalid descriptor (output only). */
    public static final short POLLNVAL = 0x20;

    private PollfdDescriptor()
    {
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
