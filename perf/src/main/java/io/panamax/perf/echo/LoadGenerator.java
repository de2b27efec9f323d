package io.panamax.perf.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the C load generator ({@code perf/native/loadgen.c}), the same binary for every server, pinned to its own
 * CPU when the harness pins.
 * <p>
 * <b>Thread-safety:</b> immutable; each run is its own process.
 */
public final class LoadGenerator
{
    /** Exit status of a latency run that hit its time limit before its count; its result is still printed. */
    private static final int CUT_SHORT = 3;

    private final Path binary;
    private final List<String> pinPrefix;
    private final Path errorLog;

    /**
     * @param binary    the loadgen executable.
     * @param pinPrefix e.g. {@code taskset -c 1}, or empty.
     * @param errorLog  file its stderr is appended to.
     */
    public LoadGenerator(final Path binary, final List<String> pinPrefix, final Path errorLog)
    {
        this.binary = binary;
        this.pinPrefix = List.copyOf(pinPrefix);
        this.errorLog = errorLog;
    }

    /**
     * Run once and wait for its result line.
     *
     * @param port     server port.
     * @param serverPid server pid, for its CPU time; 0 for none.
     * @param maxMs    hard bound on the run, passed to the generator; the harness waits 10 s more at most.
     * @param args     mode arguments ({@code --mode ...}).
     * @return the parsed result.
     * @throws IOException if it fails, times out or prints no result.
     * @throws InterruptedException if interrupted while waiting.
     */
    public LoadResult run(final int port, final long serverPid, final long maxMs, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(pinPrefix);
        command.addAll(List.of(binary.toString(), "--port", Integer.toString(port), "--max-ms", Long.toString(maxMs)));
        if (serverPid > 0)
        {
            command.addAll(List.of("--pid", Long.toString(serverPid)));
        }
        command.addAll(List.of(args));
        final long errorsBefore = Files.exists(errorLog) ? Files.size(errorLog) : 0;
        final Process process = Processes.startPiped(command, errorLog);
        String result = null;
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line = out.readLine(); null != line; line = out.readLine())
            {
                if (line.startsWith(LoadResult.PREFIX))
                {
                    result = line;
                }
            }
        }
        if (!process.waitFor(maxMs + 10_000, TimeUnit.MILLISECONDS))
        {
            Processes.kill(process);
            throw new IOException("load generator did not finish in " + (maxMs + 10_000) + " ms");
        }
        Processes.forget(process);
        if (process.exitValue() == CUT_SHORT && null != result)
        {
            System.out.println("bench: warning: the time limit cut a run short (machine overloaded?): " + result);
        }
        else if (process.exitValue() != 0 || null == result)
        {
            throw new IOException("load generator exit " + process.exitValue() + ": " + newErrors(errorsBefore));
        }
        return LoadResult.parse(result);
    }

    private String newErrors(final long from) throws IOException
    {
        final byte[] all = Files.readAllBytes(errorLog);
        final int start = (int)Math.min(from, all.length);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8).trim();
    }
}
