package io.panamax;

/**
 * What a {@link ConnListener} runs when {@code accept} fails for a reason other than "try again"
 * (libevent's {@code evconnlistener_errorcb}), e.g. EMFILE.
 * <p>
 * <b>Thread-safety:</b> runs on the thread of the listener's base loop; it may disable or close the listener.
 */
@FunctionalInterface
public interface ConnListenerErrorCallback
{
    /**
     * @param listener the listener.
     * @param errno    the errno of the failed accept.
     */
    void onError(ConnListener listener, int errno);
}
