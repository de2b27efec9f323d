package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct rlimit}, for {@link Libc#getrlimit}/{@link Libc#setrlimit}: two 64-bit {@code rlim_t} on all four
 * platforms (not in native-abi.md; glibc {@code bits/resource.h}, XNU {@code sys/resource.h}). "No limit" is
 * {@link Libc#RLIM_INFINITY}, which differs between the OSes.
 * <pre>
 *   | rlim_cur u64 @0 | rlim_max u64 @8 |   LENGTH 16
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class RlimitDescriptor
{
    /** The layout on this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code rlim_cur} (the soft limit). */
    public static final long CUR_OFFSET = LAYOUT.byteOffset(groupElement("rlim_cur"));
    /** Offset of {@code rlim_max} (the hard limit). */
    public static final long MAX_OFFSET = LAYOUT.byteOffset(groupElement("rlim_max"));
    /** Size. */
    public static final long LENGTH = LAYOUT.byteSize();

    private RlimitDescriptor()
    {
    }

    /**
     * @param platform a platform.
     * @return the layout there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"));
    }
}
