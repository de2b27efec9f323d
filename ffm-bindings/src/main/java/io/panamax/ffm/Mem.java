package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library's {@code memchr} and {@code memcpy}, and where a Java array lies in memory. {@code memchr} scans
 * long off-heap ranges: libc's version is vectorised, many times faster than a scan in Java over a megabyte.
 * {@code memcpy} copies long runs out of Java arrays: measured at 12-16 KiB, libc's copy kept one speed wherever the
 * array lay, while the JIT's copy stub varied up to twofold with the array's placement (4 KiB aliasing, unaligned
 * 64-byte loads) and was 20-30 % slower at 16 KiB. {@code memset(array, 0, 0)} reports an array's address, so a
 * caller can choose where its copy lands. Both take the array as a segment view that the caller keeps and reuses: a
 * view made per call is removed only when the JIT inlines the whole downcall, which one compilation in many did not
 * (40 B per call). All are linked critical (they cannot block) without errno capture (they
 * set none); {@code memcpy} and {@code memset} with heap access, so the array is passed in place. Off-heap pointers
 * travel as 64-bit integers, so a call allocates no segment: every supported platform is LP64 and passes a pointer
 * and a {@code long} in the same register.
 * <p>
 * <b>Thread-safety:</b> stateless; safe from any thread.
 */
@SuppressWarnings("restricted")
public final class Mem
{
    private static final MethodHandle MEMCHR = NativeLibrary.LINKER.downcallHandle(NativeLibrary.find("memchr"),
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG), Linker.Option.critical(false));
    private static final MethodHandle MEMCPY_FROM_HEAP = NativeLibrary.LINKER.downcallHandle(
        NativeLibrary.find("memcpy"), FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS, JAVA_LONG),
        Linker.Option.critical(true));
    /** {@code memset(s, 0, 0)}: writes nothing and returns {@code s}, so it tells where a heap array lies. */
    private static final MethodHandle MEMSET_ON_HEAP = NativeLibrary.LINKER.downcallHandle(
        NativeLibrary.find("memset"), FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG),
        Linker.Option.critical(true));

    private Mem()
    {
    }

    /**
     * {@code memchr(address, value, length)}. The caller guarantees that {@code [address, address + length)} is
     * live off-heap memory (e.g. the address of a live native segment plus an in-bounds offset).
     *
     * @param address the first byte.
     * @param value   the byte to find.
     * @param length  bytes to look at, not negative.
     * @return the address of the first byte equal to {@code value}, or 0.
     */
    public static long memchr(final long address, final byte value, final long length)
    {
        try
        {
            return (long)MEMCHR.invokeExact(address, value & 0xFF, length);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("memchr", ex);
        }
    }

    /**
     * {@code memcpy(address, source, length)}: copy the first {@code length} bytes of a segment, typically a view of a
     * Java array (passed in place: the call is critical with heap access), to off-heap memory. The caller guarantees
     * that {@code [address, address + length)} is live off-heap memory that no other thread frees during the call
     * (e.g. a chunk of a pool, which frees nothing it lends); the source range is checked here. Nothing is allocated:
     * the caller brings the view, so whether the JIT could remove one made per call does not matter.
     *
     * @param source  the bytes, from its first one: a heap or native segment.
     * @param address where to copy to.
     * @param length  bytes.
     * @throws IndexOutOfBoundsException when {@code length} is negative or beyond the source.
     */
    public static void copy(final MemorySegment source, final long address, final long length)
    {
        Objects.checkFromIndexSize(0, length, source.byteSize());
        try
        {
            MEMCPY_FROM_HEAP.invokeExact(address, source, length);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("memcpy", ex);
        }
    }

    /**
     * Where a segment's first byte is at the moment of the call, learnt from {@code memset(segment, 0, 0)} (which
     * writes nothing and returns its pointer) through a critical downcall with heap access: a few ns, nothing
     * allocated (the result is a {@code long}). For a view of a Java array the garbage collector may move the array
     * at any later safepoint, so the value is only a hint (e.g. to choose where a copy of the array should land); it
     * must never be used to read or write the array.
     *
     * @param segment a heap segment (a view of an array) or a native one.
     * @return where its first byte was during the call.
     */
    public static long address(final MemorySegment segment)
    {
        try
        {
            return (long)MEMSET_ON_HEAP.invokeExact(segment, 0, 0L);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("memset", ex);
        }
    }
}
