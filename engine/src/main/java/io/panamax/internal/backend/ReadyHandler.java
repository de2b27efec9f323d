package io.panamax.internal.backend;

/**
 * Receives what a {@link Backend} found ready in one wait. It may run event callbacks only when the backend's
 * {@link Backend#callbacksDuringWalk()} says so; otherwise it must only record readiness (activate events), because
 * the backend is still walking results that callbacks could change.
 * <p>
 * <b>Thread-safety:</b> called on the loop thread, inside {@link Backend#dispatch}.
 */
@FunctionalInterface
public interface ReadyHandler
{
    /**
     * @param fd   the ready fd.
     * @param what {@code Ev.READ}, {@code Ev.WRITE}, {@code Ev.CLOSED}, plus {@code Ev.ET} when the backend is
     *             edge-triggered capable (the loop keeps ET only for events that asked for it).
     */
    void onReady(int fd, int what);
}
