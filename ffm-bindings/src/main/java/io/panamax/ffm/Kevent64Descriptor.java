package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * macOS {@code struct kevent64_s} (native-abi.md §2.3), for {@code kevent64()}; identical on x86_64 and arm64.
 * <pre>
 *   | ident u64 @0 | filter i16 @8 | flags u16 @10 | fflags u32 @12 | data i64 @16 | udata u64 @24 |
 *   | ext[2] u64 @32 |   LENGTH 48
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class Kevent64Descriptor
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
    /** Offset of {@code ext[0]}. */
    public static final long EXT_OFFSET = LAYOUT.byteOffset(groupElement("ext"));
    /** Size and array stride. */
    public static final long LENGTH = LAYOUT.byteSize();

    private Kevent64Descriptor()
    {
    }

    /**
     * @param platform a platform (the macOS layout is returned for any).
     * @return {@code struct kevent64_s}.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(
            JAVA_LONG.withName("ident"), JAVA_SHORT.withName("filter"), JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("fflags"), JAVA_LONG.withName("data"), JAVA_LONG.withName("udata"),
            MemoryLayout.sequenceLayout(2, JAVA_LONG).withName("ext"));
    }
}
