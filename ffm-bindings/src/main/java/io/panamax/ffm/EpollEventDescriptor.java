package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Linux {@code struct epoll_event}; packed on x86_64 only (native-abi.md §2.1).
 * <pre>
 *   x86_64   | events u32 @0 | data u64 @4 |              LENGTH 12
 *   aarch64  | events u32 @0 | pad 4 @4 | data u64 @8 |   LENGTH 16
 * </pre>
 * Read {@code data} with {@code JAVA_LONG_UNALIGNED}: on x86_64 it is only 4-byte aligned.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class EpollEventDescriptor
{
    /** The layout for this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code events}. */
    public static final long EVENTS_OFFSET = 0;
    /** Offset of {@code data}. */
    public static final long DATA_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));
    /** Size and array stride. */
    public static final long LENGTH = LAYOUT.byteSize();

    private EpollEventDescriptor()
    {
    }

    /**
     * @param platform a Linux platform.
     * @return the layout of {@code struct epoll_event} there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return platform.isX86() ?
            MemoryLayout.structLayout(JAVA_INT.withName("events"), JAVA_LONG_UNALIGNED.withName("data")) :
            MemoryLayout.structLayout(
                JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4), JAVA_LONG.withName("data"));
    }

    /**
     * @param index an entry of an {@code epoll_event[]}.
     * @return the byte offset of its {@code events} field.
     */
    public static long eventsOffset(final int index)
    {
        return index * LENGTH + EVENTS_OFFSET;
    }

    /**
     * @param index an entry of an {@code epoll_event[]}.
     * @return the byte offset of its {@code data} field.
     */
    public static long dataOffset(final int index)
    {
        return index * LENGTH + DATA_OFFSET;
    }
}
