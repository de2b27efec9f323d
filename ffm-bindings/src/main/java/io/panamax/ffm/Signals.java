package io.panamax.ffm;

/**
 * Signal numbers (native-abi.md §3.14), for {@code EVFILT_SIGNAL} and the engine's signal events.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public final class Signals
{
    /** Hang-up. */
    public static final int SIGHUP = Constants.TABLE.value("SIGHUP");
    /** Interrupt. */
    public static final int SIGINT = Constants.TABLE.value("SIGINT");
    /** Quit. */
    public static final int SIGQUIT = Constants.TABLE.value("SIGQUIT");
    /** Kill (cannot be caught). */
    public static final int SIGKILL = Constants.TABLE.value("SIGKILL");
    /** Write to a broken pipe or socket (the JVM ignores it). */
    public static final int SIGPIPE = Constants.TABLE.value("SIGPIPE");
    /** Alarm clock. */
    public static final int SIGALRM = Constants.TABLE.value("SIGALRM");
    /** Termination. */
    public static final int SIGTERM = Constants.TABLE.value("SIGTERM");
    /** User signal 1 (10 Linux, 30 macOS). */
    public static final int SIGUSR1 = Constants.TABLE.value("SIGUSR1");
    /** User signal 2 (12 Linux, 31 macOS). */
    public static final int SIGUSR2 = Constants.TABLE.value("SIGUSR2");
    /** Child status changed (17 Linux, 20 macOS). */
    public static final int SIGCHLD = Constants.TABLE.value("SIGCHLD");
    /** Urgent socket data (23 Linux, 16 macOS). */
    public static final int SIGURG = Constants.TABLE.value("SIGURG");
    /** I/O possible (29 Linux, 23 macOS). */
    public static final int SIGIO = Constants.TABLE.value("SIGIO");
    /** Window size change. */
    public static final int SIGWINCH = Constants.TABLE.value("SIGWINCH");

    private Signals()
    {
    }

    /**
     * @param signal a signal number of this platform.
     * @return its name ({@code "SIGINT"}), or {@code "signal N"} when it is not one of the above.
     */
    public static String name(final int signal)
    {
        for (final String name : Constants.TABLE.names())
        {
            if (name.startsWith("SIG") && Constants.TABLE.value(name) == signal)
            {
                return name;
            }
        }
        return "signal " + signal;
    }
}
