package io.panamax.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct addrinfo} (native-abi.md §2.7): Linux puts {@code ai_addr} before {@code ai_canonname}, macOS the
 * other way round.
 * <pre>
 *   | ai_flags @0 | ai_family @4 | ai_socktype @8 | ai_protocol @12 | ai_addrlen @16 | pad 4 |
 *   Linux:  ai_addr @24 | ai_canonname @32 | ai_next @40          LENGTH 48
 *   macOS:  ai_canonname @24 | ai_addr @32 | ai_next @40          LENGTH 48
 * </pre>
 * <b>Thread-safety:</b> stateless.
 */
public final class AddrinfoDescriptor
{
    /** The layout on this platform. */
    public static final StructLayout LAYOUT = layout(Constants.PLATFORM);
    /** Offset of {@code ai_flags}. */
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("ai_flags"));
    /** Offset of {@code ai_family}. */
    public static final long FAMILY_OFFSET = LAYOUT.byteOffset(groupElement("ai_family"));
    /** Offset of {@code ai_socktype}. */
    public static final long SOCKTYPE_OFFSET = LAYOUT.byteOffset(groupElement("ai_socktype"));
    /** Offset of {@code ai_protocol}. */
    public static final long PROTOCOL_OFFSET = LAYOUT.byteOffset(groupElement("ai_protocol"));
    /** Offset of {@code ai_addrlen}. */
    public static final long ADDRLEN_OFFSET = LAYOUT.byteOffset(groupElement("ai_addrlen"));
    /** Offset of {@code ai_addr} (24 Linux, 32 macOS). */
    public static final long ADDR_OFFSET = LAYOUT.byteOffset(groupElement("ai_addr"));
    /** Offset of {@code ai_canonname} (32 Linux, 24 macOS). */
    public static final long CANONNAME_OFFSET = LAYOUT.byteOffset(groupElement("ai_canonname"));
    /** Offset of {@code ai_next}. */
    public static final long NEXT_OFFSET = LAYOUT.byteOffset(groupElement("ai_next"));
    /** Size. */
    public static final long LENGTH = LAYOUT.byteSize();

    private AddrinfoDescriptor()
    {
    }

    /**
     * @param platform a platform.
     * @return the layout there.
     */
    public static StructLayout layout(final Platform platform)
    {
        final MemoryLayout addr = ADDRESS.withName("ai_addr");
        final MemoryLayout canonName = ADDRESS.withName("ai_canonname");
        return MemoryLayout.structLayout(
            JAVA_INT.withName("ai_flags"), JAVA_INT.withName("ai_family"), JAVA_INT.withName("ai_socktype"),
            JAVA_INT.withName("ai_protocol"), JAVA_INT.withName("ai_addrlen"), MemoryLayout.paddingLayout(4),
            platform.isMacOs() ? canonName : addr, platform.isMacOs() ? addr : canonName,
            ADDRESS.withName("ai_next"));
    }
}
