package io.panamax;

/**
 * A {@link BufferEvent}'s read or write callback (libevent's {@code bufferevent_data_cb}).
 * <p>
 * <b>Thread-safety:</b> runs on the thread of the bufferevent's base loop, either from inside the I/O handling
 * or, with {@link BevOpt#DEFER_CALLBACKS}, from the base's deferred queue; with {@link BevOpt#THREADSAFE} the
 * bufferevent's lock is held unless {@link BevOpt#UNLOCK_CALLBACKS}. It may call anything on the bufferevent,
 * including {@link BufferEvent#close()}. A thrown exception goes to the base's {@link ErrorHandler}.
 */
@FunctionalInterface
public interface BevDataCallback
{
    /**
     * @param bev the bufferevent.
     */
    void onData(BufferEvent bev);
}
