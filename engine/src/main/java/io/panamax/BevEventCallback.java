package io.panamax;

/**
 * A {@link BufferEvent}'s event callback (libevent's {@code bufferevent_event_cb}): connected, end of file,
 * error, timeout.
 * <p>
 * <b>Thread-safety:</b> as {@link BevDataCallback}.
 */
@FunctionalInterface
public interface BevEventCallback
{
    /**
     * @param bev  the bufferevent.
     * @param what {@link BevEvent} bits: {@code READING} or {@code WRITING} with {@code EOF}, {@code ERROR} or
     *             {@code TIMEOUT}; or {@code CONNECTED}.
     */
    void onEvent(BufferEvent bev, int what);
}
