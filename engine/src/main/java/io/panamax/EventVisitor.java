package io.panamax;

/**
 * Visits the events of a base in {@link EventBase#foreachEvent(EventVisitor)} (libevent's
 * {@code event_base_foreach_event_cb}).
 * <p>
 * <b>Thread-safety:</b> called on the base's owner thread; it must not add, delete or activate events.
 */
@FunctionalInterface
public interface EventVisitor
{
    /**
     * @param event an added or active event.
     * @return 0 to go on; anything else stops the walk and is returned by {@code foreachEvent}.
     */
    int visit(Event event);
}
