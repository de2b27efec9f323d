package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec}, the same on all four platforms.
 * <pre>
 *   | iov_base ptr @0 | iov_len size_t @8 |   LENGTH 16
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class IovecDescriptor
{
    /** The layout. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code iov_base}. */
    public static final long BASE_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("iov_base"));
    /** Offset of {@code iov_len}. */
    public static final long LEN_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("iov_len"));
    /** Size and array stride. */
    public static final long LENGTH = LAYOUT.byteSize();
    /** {@code IOV_MAX} (1024 on Linux and macOS): the most entries one readv/writev accepts. */
    public static final int IOV_MAX = Constants.TABLE.value("IOV_MAX");

    private IovecDescriptor()
    {
    }

    /**
     * @param platform a platform (all four agree).
     * @return {@code struct iovec} there.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    }

    /**
     * Fill entry {@code index} of an iovec array.
     *
     * @param iov   the array.
     * @param index the entry.
     * @param base  the memory the entry points at (its address is taken; it must stay alive for the call).
     * @param len   bytes in the entry.
     */
    public static void set(final MemorySegment iov, final int index, final MemorySegment base, final long len)
    {
        final long offset = index * LENGTH;
        iov.set(ADDRESS, offset + BASE_OFFSET, base);
        iov.set(JAVA_LONG, offset + LEN_OFFSET, len);
    }

    /**
     * Fill entry {@code index} of an iovec array from a raw address.
     *
     * @param iov     the array.
     * @param index   the entry.
     * @param address the native address of the first byte.
     * @param len     bytes in the entry.
     */
    public static void set(final MemorySegment iov, final int index, final long address, final long len)
    {
        final long offset = index * LENGTH;
        iov.set(JAVA_LONG, offset + BASE_OFFSET, address);
        iov.set(JAVA_LONG, offset + LEN_OFFSET, len);
    }
}
