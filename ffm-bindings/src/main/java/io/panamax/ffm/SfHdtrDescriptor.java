package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * macOS {@code struct sf_hdtr} (native-abi.md §2.9): header and trailer iovecs for macOS {@code sendfile}.
 * Linux has no such struct; {@link #layout(Platform)} describes the macOS one for any platform argument.
 * <pre>
 *   | headers iovec* @0 | hdr_cnt int @8 | pad 4 | trailers iovec* @16 | trl_cnt int @24 | pad 4 |   LENGTH 32
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class SfHdtrDescriptor
{
    /** The layout. */
    public static final StructLayout LAYOUT = layout(Platform.MACOS_ARM64);
    /** Offset of {@code headers}. */
    public static final long HEADERS_OFFSET = LAYOUT.byteOffset(groupElement("headers"));
    /** Offset of {@code hdr_cnt}. */
    public static final long HDR_CNT_OFFSET = LAYOUT.byteOffset(groupElement("hdr_cnt"));
    /** Offset of {@code trailers}. */
    public static final long TRAILERS_OFFSET = LAYOUT.byteOffset(groupElement("trailers"));
    /** Offset of {@code trl_cnt}. */
    public static final long TRL_CNT_OFFSET = LAYOUT.byteOffset(groupElement("trl_cnt"));
    /** Size. */
    public static final long LENGTH = LAYOUT.byteSize();

    private SfHdtrDescriptor()
    {
    }

    /**
     * @param platform a platform (macOS x86_64 and arm64 agree; Linux has no {@code sf_hdtr}).
     * @return the macOS layout.
     */
    public static StructLayout layout(final Platform platform)
    {
        return MemoryLayout.structLayout(
            ADDRESS.withName("headers"), JAVA_INT.withName("hdr_cnt"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("trailers"), JAVA_INT.withName("trl_cnt"), MemoryLayout.paddingLayout(4));
    }
}
