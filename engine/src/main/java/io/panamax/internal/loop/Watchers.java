package io.panamax.internal.loop;

import java.util.Arrays;

/**
 * Prepare and check watchers of a loop (libevent 2.2's {@code evwatch}): prepare ones run right before the
 * backend waits, check ones right after, in registration order, every iteration.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class Watchers
{
    /**
     * One watcher.
     * <p>
     * <b>Thread-safety:</b> called on the loop thread.
     */
    @FunctionalInterface
    public interface Watcher
    {
        /**
         * @param timeoutNs for prepare watchers, how long the backend will wait at most (-1 = no limit); -1 for
         *                  check watchers.
         */
        void onWatch(long timeoutNs);
    }

    private final Loop loop;
    private Watcher[] prepare = new Watcher[0];
    private Watcher[] check = new Watcher[0];

    Watchers(final Loop loop)
    {
        this.loop = loop;
    }

    /**
     * @param watcher run before each wait.
     */
    public void addPrepare(final Watcher watcher)
    {
        loop.checkOwner();
        prepare = append(prepare, watcher);
    }

    /**
     * @param watcher run after each wait.
     */
    public void addCheck(final Watcher watcher)
    {
        loop.checkOwner();
        check = append(check, watcher);
    }

    /**
     * @param watcher a watcher added before; unknown ones are ignored.
     */
    public void remove(final Watcher watcher)
    {
        loop.checkOwner();
        prepare = without(prepare, watcher);
        check = without(check, watcher);
    }

    void runPrepare(final long timeoutNs)
    {
        final Watcher[] watchers = prepare;
        for (final Watcher watcher : watchers)
        {
            run(watcher, timeoutNs);
        }
    }

    /**
     * @return true when check watchers are registered (they run between the wait and the callbacks).
     */
    boolean hasCheck()
    {
        return check.length > 0;
    }

    void runCheck()
    {
        final Watcher[] watchers = check;
        for (final Watcher watcher : watchers)
        {
            run(watcher, -1);
        }
    }

    private void run(final Watcher watcher, final long timeoutNs)
    {
        try
        {
            watcher.onWatch(timeoutNs);
        }
        catch (final Throwable ex)
        {
            loop.reportError(ex);
        }
    }

    private static Watcher[] append(final Watcher[] array, final Watcher watcher)
    {
        final Watcher[] copy = Arrays.copyOf(array, array.length + 1);
        copy[array.length] = watcher;
        return copy;
    }

    private static Watcher[] without(final Watcher[] array, final Watcher watcher)
    {
        for (int i = 0; i < array.length; i++)
        {
            if (array[i] == watcher)
            {
                final Watcher[] copy = new Watcher[array.length - 1];
                System.arraycopy(array, 0, copy, 0, i);
                System.arraycopy(array, i + 1, copy, i, array.length - i - 1);
                return copy;
            }
        }
        return array;
    }
}
