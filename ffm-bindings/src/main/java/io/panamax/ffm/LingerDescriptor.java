package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct linger} (native-abi.md §2.6), the same on all four platforms; set it with
 * {@link SocketOptions#setLinger}, which picks {@code SO_LINGER_SEC} on macOS so the unit is seconds everywhere.
 * <pre>
 *   | l_onoff int @0 | l_linger int @4 |   LENGTH 8
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class LingerDescriptor
{
    /** The layout on this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code l_onoff}. */
    public static final long ONOFF_OFFSET = LAYOUT.byteOffset(groupElement("l_onoff"));
    /** Offset of {@code l_linger}. */
    public static final long LINGER_OFFSET = LAYOUT.byteOffset(groupElement("l_linger"));
    /** Size. */
    public static final long LENGTH = LAYOUT.byteSize();

    private LingerDescriptor()
    {
    }

    /**
     * @param platform a platform.
     * @return the layout there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(JAVA_INT.withName("l_onoff"), JAVA_INT.withName("l_linger"));
    }
}
