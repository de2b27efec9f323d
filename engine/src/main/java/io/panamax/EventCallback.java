package io.panamax;

/**
 * What an {@link Event} runs when its fd is ready, its signal arrives, its timeout expires or it is activated
 * (libevent's {@code event_callback_fn}).
 * <p>
 * <b>Thread-safety:</b> called only on the thread running the event's {@link EventBase} loop, never concurrently
 * with another callback of that base. It may call anything on its base and events (add, del, active, loopBreak,
 * even close its own event); it must not block, and must not call {@link EventBase#loop(int)} on its own base
 * (that returns -1). A thrown exception goes to the base's {@link ErrorHandler} and the loop carries on.
 * What C passed as {@code void *arg} is captured by the lambda; {@link EventBase#runningEvent()} gives the
 * event itself (libevent's {@code event_self_cbarg}).
 */
@FunctionalInterface
public interface EventCallback
{
    /**
     * @param fd   the event's fd, its signal number for {@link Ev#SIGNAL}, or -1 for a timer.
     * @param what the bits that fired: {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED}, {@link Ev#SIGNAL},
     *             {@link Ev#TIMEOUT}, plus {@link Ev#ET} for an edge-triggered event on an ET backend.
     */
    void onEvent(int fd, int what);
}
