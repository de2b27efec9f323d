package io.panamax.perf.echo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the benchmark's child processes and makes sure none outlives the harness: every child is
 * registered, and a shutdown hook (normal exit, error, Ctrl-C, SIGTERM) kills what is still running.
 * Children also watch for the harness themselves (C: parent-death signal; Java: end of file on stdin,
 * which this class keeps open), so even SIGKILL of the harness leaves nothing behind.
 * <p>
 * <b>Thread-safety:</b> thread-safe.
 */
public final class Processes
{
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static
    {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::killAll, "kill-children"));
    }

    private Processes()
    {
    }

    /**
     * Start a child with its stdin a pipe held open, stdout and stderr appended to a log file.
     *
     * @param command the command.
     * @param log     file for its output.
     * @return the running process.
     * @throws IOException if it cannot start.
     */
    public static Process start(final List<String> command, final Path log) throws IOException
    {
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        LIVE.add(process);
        return process;
    }

    /**
     * Start a child whose stdout the caller reads; stderr goes to a log file.
     *
     * @param command the command.
     * @param errorLog file for its stderr.
     * @return the running process.
     * @throws IOException if it cannot start.
     */
    public static Process startPiped(final List<String> command, final Path errorLog) throws IOException
    {
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile()))
            .start();
        LIVE.add(process);
        return process;
    }

    /**
     * Kill a child (and its descendants) and wait up to 5 s for it to go.
     *
     * @param process the child.
     */
    public static void kill(final Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** Forget a child that ended by itself. */
    static void forget(final Process process)
    {
        LIVE.remove(process);
    }

    private static void killAll()
    {
        for (final Process process : LIVE)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
