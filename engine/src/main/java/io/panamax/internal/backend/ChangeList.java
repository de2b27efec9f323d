package io.panamax.internal.backend;

import java.util.Arrays;

/**
 * Pending interest changes, one entry per fd however many changes it saw since the last apply (libevent's
 * {@code changelist-internal.h}). An entry keeps the interest the kernel has ({@link #oldInterest}) and the one
 * wanted now ({@link #newInterest}); when they are equal nothing is sent, unless the interest dropped to 0 in
 * between ({@link #removed}): the fd may have been closed and a new one opened with the same number, whose
 * registration the kernel does not have, so the backend must register it again (libevent's changelist keeps
 * the operation, not only the state, for the same reason).
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class ChangeList
{
    private int[] indexByFd = new int[64];
    private int[] fds = new int[16];
    private int[] olds = new int[16];
    private int[] news = new int[16];
    private boolean[] removeds = new boolean[16];
    private int size;

    /**
     * @param fd          the fd.
     * @param oldInterest what the kernel has now (used only if the fd has no entry yet).
     * @param newInterest what is wanted.
     */
    public void record(final int fd, final int oldInterest, final int newInterest)
    {
        if (fd >= indexByFd.length)
        {
            indexByFd = Arrays.copyOf(indexByFd, Math.max(fd + 1, indexByFd.length << 1));
        }
        final int index = indexByFd[fd] - 1;
        if (index >= 0)
        {
            news[index] = newInterest;
            removeds[index] |= 0 == newInterest;
            return;
        }
        if (size == fds.length)
        {
            fds = Arrays.copyOf(fds, size << 1);
            olds = Arrays.copyOf(olds, size << 1);
            news = Arrays.copyOf(news, size << 1);
            removeds = Arrays.copyOf(removeds, size << 1);
        }
        fds[size] = fd;
        olds[size] = oldInterest;
        news[size] = newInterest;
        removeds[size] = 0 == newInterest;
        indexByFd[fd] = ++size;
    }

    /**
     * @return entries recorded.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param index 0 ≤ index &lt; size.
     * @return the entry's fd, or -1 when the entry was taken by {@link #take}.
     */
    public int fd(final int index)
    {
        return fds[index];
    }

    /**
     * @param index an entry.
     * @return the interest the kernel had when the entry was created.
     */
    public int oldInterest(final int index)
    {
        return olds[index];
    }

    /**
     * @param index an entry.
     * @return the interest wanted now.
     */
    public int newInterest(final int index)
    {
        return news[index];
    }

    /**
     * @param index an entry.
     * @return true when the interest was 0 at some point since the entry was created: a wanted interest must be
     *         registered again even if it equals {@link #oldInterest}.
     */
    public boolean removed(final int index)
    {
        return removeds[index];
    }

    /**
     * @param fd an fd.
     * @return the entry index of that fd, or -1.
     */
    public int indexOf(final int fd)
    {
        return fd < indexByFd.length ? indexByFd[fd] - 1 : -1;
    }

    /**
     * Mark an entry applied out of turn ({@link Backend#flush}); {@link #fd} then returns -1 for it.
     *
     * @param index the entry.
     */
    public void take(final int index)
    {
        indexByFd[fds[index]] = 0;
        fds[index] = -1;
    }

    /**
     * Forget every entry (after they were applied).
     */
    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            final int fd = fds[i];
            if (fd >= 0)
            {
                indexByFd[fd] = 0;
            }
        }
        size = 0;
    }
}
