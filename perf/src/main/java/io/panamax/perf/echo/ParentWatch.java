package io.panamax.perf.echo;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a benchmark server when the harness that started it goes away: the harness holds the server's stdin
 * open, so end of file on stdin means the harness is gone (even if it was killed with SIGKILL).
 * <p>
 * <b>Thread-safety:</b> {@link #startIfAsked()} may be called from any thread, once.
 */
public final class ParentWatch
{
    /** System property that turns the watch on; the harness sets it, a user running a server by hand does not. */
    public static final String PROPERTY = "panamax.bench.watchStdin";

    private ParentWatch()
    {
    }

    /**
     * Start a daemon thread that halts the JVM at end of file on stdin, when {@link #PROPERTY} is true.
     */
    public static void startIfAsked()
    {
        if (!Boolean.getBoolean(PROPERTY))
        {
            return;
        }
        final Thread watcher = new Thread(ParentWatch::watch, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watch()
    {
        final InputStream in = System.in;
        final byte[] buf = new byte[64];
        try
        {
            while (in.read(buf) >= 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final IOException ignored)
        {
            // a broken pipe means the same as end of file
        }
        Runtime.getRuntime().halt(0);
    }
}
