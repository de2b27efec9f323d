package io.panamax;

/**
 * The bits a {@link BufferEvent}'s event callback receives, with libevent's names ({@code BEV_EVENT_*}) and values
 * ({@code include/event2/bufferevent.h}). With deferred callbacks the bits of several events are OR-ed together.
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class BevEvent
{
    /** The event happened while reading. */
    public static final int READING = 0x01;
    /** The event happened while writing. */
    public static final int WRITING = 0x02;
    /** The peer closed the connection (end of file). */
    public static final int EOF = 0x10;
    /** An unrecoverable error; {@link BufferEvent#socketError()} gives the errno. */
    public static final int ERROR = 0x20;
    /** An idle timeout expired ({@link BufferEvent#setTimeouts}). */
    public static final int TIMEOUT = 0x40;
    /** A connect finished ({@link BufferEvent#connect}). */
    public static final int CONNECTED = 0x80;

    private BevEvent()
    {
    }
}
