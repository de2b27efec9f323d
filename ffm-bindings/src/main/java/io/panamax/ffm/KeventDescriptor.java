package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * macOS {@code struct kevent} (native-abi.md §2.2), identical on x86_64 and arm64; Linux has none, and
 * {@link #layout(Platform)} describes the macOS struct for any platform argument. C declares it under
 * {@code pack(4)}, which moves no field on LP64; the FFM layout's 8-byte alignment is stricter and harmless.
 * <pre>
 *   | ident u64 @0 | filter i16 @8 | flags u16 @10 | fflags u32 @12 | data i64 @16 | udata u64 @24 |   LENGTH 32
 * </pre>
 * {@code flags} is unsigned: read it as a {@code short} and test bits as ints ({@code (flags & EV_EOF) != 0});
 * {@code udata} is declared {@code long} here so any 64-bit token round-trips.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class KeventDescriptor
{
    /** The layout. */
    public static final StructLayout LAYOUT = layout(Platform.MACOS_ARM64);
    /** Offset of {@code ident}. */
    public static final long IDENT_OFFSET = LAYOUT.byteOffset(groupElement("ident"));
    /** Offset of {@code filter}. */
    public static final long FILTER_OFFSET = LAYOUT.byteOffset(groupElement("filter"));
    /** Offset of {@code flags}. */
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("flags"));
    /** Offset of {@code fflags}. */
    public static final long FFLAGS_OFFSET = LAYOUT.byteOffset(groupElement("fflags"));
    /** Offset of {@code data}. */
    public static final long DATA_OFFSET = LAYOUT.byteOffset(groupElement("data"));
    /** Offset of {@code udata}. */
    public static final long UDATA_OFFSET = LAYOUT.byteOffset(groupElement("udata"));
    /** Size and array stride. */
    public static final long LENGTH = LAYOUT.byteSize();

    private KeventDescriptor()
    {
    }

    /**
     * @param platform a platform (the macOS layout is returned for any).
     * @return {@code struct kevent}.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(
            JAVA_LONG.withName("ident"), JAVA_SHORT.withName("filter"), JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("fflags"), JAVA_LONG.withName("data"), JAVA_LONG.withName("udata"));
    }

    /**
     * Fill entry {@code index} of a {@code kevent[]} (libevent's {@code EV_SET}).
     *
     * @param events the array.
     * @param index  the entry.
     * @param ident  the fd, signal or user id.
     * @param filter an {@code EVFILT_*} value.
     * @param flags  {@code EV_*} bits.
     * @param fflags filter flags.
     * @param data   filter data.
     * @param udata  a token returned untouched.
     */
    public static void set(
        final MemorySegment events, final int index, final long ident, final short filter, final int flags,
        final int fflags, final long data, final long udata)
    {
        final long base = index * LENGTH;
        events.set(JAVA_LONG, base + IDENT_OFFSET, ident);
        events.set(JAVA_SHORT, base + FILTER_OFFSET, filter);
        events.set(JAVA_SHORT, base + FLAGS_OFFSET, (short)flags);
        events.set(JAVA_INT, base + FFLAGS_OFFSET, fflags);
        events.set(JAVA_LONG, base + DATA_OFFSET, data);
        events.set(JAVA_LONG, base + UDATA_OFFSET, udata);
    }
}
