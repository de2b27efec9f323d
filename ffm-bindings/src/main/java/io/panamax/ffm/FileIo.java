package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Calls on regular files: {@code lseek(2)}, the size of an open file found with it, and {@code pread(2)}
 * ({@code off_t} is 64-bit on every supported platform). Not critical: disks and network file systems may wait.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment. {@link #size} moves the shared
 * file offset for a moment, so no other thread may read the same descriptor by position meanwhile.
 */
public final class FileIo
{
    /** Seek to an absolute offset. */
    public static final int SEEK_SET = Constants.TABLE.value("SEEK_SET");
    /** Seek relative to the current offset. */
    public static final int SEEK_CUR = Constants.TABLE.value("SEEK_CUR");
    /** Seek relative to the end of the file. */
    public static final int SEEK_END = Constants.TABLE.value("SEEK_END");

    private static final MethodHandle LSEEK = NativeLibrary.blocking("lseek",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PREAD = NativeLibrary.blocking("pread",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));

    private FileIo()
    {
    }

    /**
     * {@code lseek(fd, offset, whence)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param offset    the offset.
     * @param whence    {@link #SEEK_SET}, {@link #SEEK_CUR} or {@link #SEEK_END}.
     * @return the resulting offset from the start of the file, or {@code -errno} (ESPIPE on a pipe or socket).
     */
    public static long lseek(final MemorySegment callState, final int fd, final long offset, final int whence)
    {
        try
        {
            final long rc = (long)LSEEK.invokeExact(callState, fd, offset, whence);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("lseek", ex);
        }
    }

    /**
     * The size of an open file: seek to its end and back to where the descriptor was (what {@code fstat}'s
     * {@code st_size} gives, without {@code struct stat}'s per-platform layout).
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @return the size in bytes, or {@code -errno} (ESPIPE when {@code fd} cannot seek, EBADF when not open).
     */
    public static long size(final MemorySegment callState, final int fd)
    {
        final long position = lseek(callState, fd, 0, SEEK_CUR);
        if (position < 0)
        {
            return position;
        }
        final long end = lseek(callState, fd, 0, SEEK_END);
        final long back = lseek(callState, fd, position, SEEK_SET);
        return end < 0 ? end : back < 0 ? back : end;
    }

    /**
     * {@code pread(fd, buf, count, offset)}: read at an absolute file offset without moving the descriptor's
     * position.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param buf       destination, at least {@code count} bytes.
     * @param count     bytes at most.
     * @param offset    where in the file.
     * @return bytes read, 0 at end of file, or {@code -errno}.
     */
    public static long pread(
        final MemorySegment callState, final int fd, final MemorySegment buf, final long count, final long offset)
    {
        if (count > buf.byteSize())
        {
            throw new IndexOutOfBoundsException("count " + count + " > buffer " + buf.byteSize());
        }
        try
        {
            final long rc = (long)PREAD.invokeExact(callState, fd, buf, count, offset);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("pread", ex);
        }
    }
}
