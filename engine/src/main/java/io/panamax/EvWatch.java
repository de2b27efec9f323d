package io.panamax;

import io.panamax.internal.loop.Watchers;

/**
 * A prepare or check watcher (libevent 2.2's {@code evwatch}): prepare watchers run right before the backend waits,
 * check watchers right after, every iteration, in registration order. Prepare→check measures the time spent
 * polling; check→next prepare the time spent in callbacks.
 * <p>
 * <b>Thread-safety:</b> created, closed and called on the base's owner thread.
 */
public final class EvWatch implements AutoCloseable
{
    /**
     * What a watcher runs.
     * <p>
     * <b>Thread-safety:</b> called on the loop thread; it must not block. A thrown exception goes to the base's
     * {@link ErrorHandler}.
     */
    @FunctionalInterface
    public interface Callback
    {
        /**
         * @param watch     the watcher.
         * @param timeoutNs for a prepare watcher, the longest the backend will wait (libevent's
         *                  {@code evwatch_prepare_get_timeout}), -1 when it may wait for ever; -1 for a check watcher.
         */
        void onWatch(EvWatch watch, long timeoutNs);
    }

    private final EventBase base;
    private final Watchers.Watcher watcher;
    private boolean closed;

    private EvWatch(final EventBase base, final Callback callback, final boolean prepare)
    {
        this.base = base;
        this.watcher = timeoutNs -> callback.onWatch(this, timeoutNs);
        if (prepare)
        {
            base.loop().watchers().addPrepare(watcher);
        }
        else
        {
            base.loop().watchers().addCheck(watcher);
        }
    }

    /**
     * libevent's {@code evwatch_prepare_new}.
     *
     * @param base     the base.
     * @param callback run before each wait.
     * @return the watcher.
     */
    public static EvWatch prepare(final EventBase base, final Callback callback)
    {
        return new EvWatch(base, callback, true);
    }

    /**
     * libevent's {@code evwatch_check_new}.
     *
     * @param base     the base.
     * @param callback run after each wait.
     * @return the watcher.
     */
    public static EvWatch check(final EventBase base, final Callback callback)
    {
        return new EvWatch(base, callback, false);
    }

    /**
     * @return libevent's {@code evwatch_base}.
     */
    public EventBase base()
    {
        return base;
    }

    /**
     * libevent's {@code evwatch_free}: the watcher stops; idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (!base.isClosed())
            {
                base.loop().watchers().remove(watcher);
            }
        }
    }
}
