package io.panamax.perf.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Optional checks after the rounds: syscalls per echoed message under {@code strace -c -f} on a fixed number of
 * messages ({@code --strace}), and GC pauses of each Java server during S seconds at full load after warm-up
 * ({@code --gc-check S}).
 * <p>
 * <b>Thread-safety:</b> single-threaded (the harness's main thread).
 */
final class Extras
{
    private static final long PING_MESSAGES = 10_000;
    private static final long STREAM_MESSAGES = 200_000;

    private final BenchOptions options;
    private final LoadGenerator loadGenerator;
    private final List<String> serverPin;
    private final Path rawDir;

    Extras(final BenchOptions options, final LoadGenerator loadGenerator, final List<String> serverPin,
        final Path rawDir)
    {
        this.options = options;
        this.loadGenerator = loadGenerator;
        this.serverPin = serverPin;
        this.rawDir = rawDir;
    }

    String syscallTable(final List<ServerSpec> servers) throws InterruptedException
    {
        final StringBuilder md = new StringBuilder("## Syscalls per echoed message (strace -c -f)\n\n")
            .append("Ping-pong: ").append(PING_MESSAGES).append(" round trips; throughput: exactly ")
            .append(STREAM_MESSAGES).append(" messages of 64 B over ").append(options.throughputConns)
            .append(" connections. All threads of the server, connection set-up included. strace slows every")
            .append(" syscall, so more messages gather per read in the throughput run than without it: its")
            .append(" per-message counts are lower bounds; the ping-pong counts (one message per wake-up) are")
            .append(" exact.\n\n")
            .append("| server | ping-pong total/msg | ping-pong by call ")
            .append("| throughput total/msg | throughput by call |\n")
            .append("|---|---:|---|---:|---|\n");
        for (final ServerSpec spec : servers)
        {
            System.out.println("[strace] " + spec.name());
            try (ServerRun run = new ServerRun(spec, options, loadGenerator, serverPin, List.of(), rawDir))
            {
                if (spec.onJvm())
                {
                    run.warmUp();
                }
                final String ping = traced(run, spec.name() + "-strace-pingpong.txt", "--mode", "pingpong",
                    "--size", "64", "--warmup", "0", "--count", Long.toString(PING_MESSAGES));
                final String stream = traced(run, spec.name() + "-strace-stream.txt", "--mode", "stream",
                    "--conns", Integer.toString(options.throughputConns),
                    "--depth", Integer.toString(options.throughputDepth), "--size", "64", "--warmup", "0",
                    "--total", Long.toString(STREAM_MESSAGES));
                md.append("| ").append(spec.name()).append(" | ").append(ping).append(" | ").append(stream)
                    .append(" |\n");
            }
            catch (final IOException ex)
            {
                md.append("| ").append(spec.name()).append(" | failed: ").append(ex.getMessage()).append(" | | | |\n");
            }
        }
        return md.append('\n').toString();
    }

    private String traced(final ServerRun run, final String file, final String... args)
        throws IOException, InterruptedException
    {
        final Path out = rawDir.resolve(file);
        final Process strace = Processes.start(List.of("strace", "-c", "-f", "-q", "-o", out.toString(),
            "-p", Long.toString(run.pid())), rawDir.resolve("strace.log"));
        Thread.sleep(1_000);
        final LoadResult r = loadGenerator.run(run.port(), 0, 120_000, args);
        strace.destroy();
        if (!strace.waitFor(10, TimeUnit.SECONDS))
        {
            Processes.kill(strace);
        }
        Processes.forget(strace);
        final Map<String, Long> calls = parseStraceSummary(Files.readAllLines(out, StandardCharsets.UTF_8));
        return perMessage(calls, r.messages());
    }

    /**
     * @param lines the output of {@code strace -c}.
     * @return calls per syscall name, in the order strace lists them (most time first), without the total.
     */
    static Map<String, Long> parseStraceSummary(final List<String> lines)
    {
        final Map<String, Long> calls = new LinkedHashMap<>();
        for (final String line : lines)
        {
            final String[] t = line.trim().split("\\s+");
            if (t.length < 5 || !t[0].matches("[0-9.]+") || "total".equals(t[t.length - 1]))
            {
                continue;
            }
            calls.merge(t[t.length - 1], Long.parseLong(t[3]), Long::sum);
        }
        return calls;
    }

    /**
     * @param calls    calls per syscall.
     * @param messages messages echoed.
     * @return two cells: "total" and "name n.nn, ..." for calls made at least 0.01 times per message.
     */
    static String perMessage(final Map<String, Long> calls, final long messages)
    {
        final long total = calls.values().stream().mapToLong(Long::longValue).sum();
        final List<String> parts = new ArrayList<>();
        calls.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .filter(e -> e.getValue() >= messages / 100.0)
            .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                e.getValue() / (double)messages)));
        return String.format(Locale.ROOT, "%.2f", total / (double)messages) + " | " + String.join(", ", parts);
    }

    String gcTable(final List<ServerSpec> servers) throws InterruptedException
    {
        final StringBuilder md = new StringBuilder("## GC during ").append(options.gcCheckSeconds)
            .append(" s at full load after warm-up (-Xlog:gc)\n\n")
            .append("Full load: the throughput stream (").append(options.throughputConns).append(" connections x ")
            .append(options.throughputDepth).append(" x 64 B in flight). Heap allocated: the growth of the first")
            .append(" heap figure of `jcmd PID GC.heap_info` (the young generation of the 1-CPU default Serial GC)")
            .append(" from the start to the end of the window, valid when no GC ran in it; it includes the few")
            .append(" KB that the two jcmd attaches themselves cost.\n\n")
            .append("| server | GC pauses | pause total ms | heap allocated KB | bytes/msg | throughput k msgs/s |\n")
            .append("|---|---:|---:|---:|---:|---:|\n");
        for (final ServerSpec spec : servers)
        {
            if (!spec.onJvm())
            {
                continue;
            }
            System.out.println("[gc-check] " + spec.name() + ": " + options.gcCheckSeconds + " s");
            final Path log = rawDir.resolve(spec.name() + "-gc.log");
            try (ServerRun run = new ServerRun(spec, options, loadGenerator, serverPin,
                List.of("-Xlog:gc:file=" + log), rawDir))
            {
                run.warmUp();
                final long from = Files.size(log);
                final long usedBefore = heapUsedKb(run.pid());
                final LoadResult r = run.throughput(0, options.gcCheckSeconds * 1000, run.pid());
                final long usedAfter = heapUsedKb(run.pid());
                final String window = Files.readString(log, StandardCharsets.UTF_8).substring((int)from);
                final double[] pauses = pauses(window);
                final boolean known = usedBefore >= 0 && usedAfter >= 0 && 0 == pauses.length;
                final long allocatedKb = usedAfter - usedBefore;
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %.0f |%n", spec.name(),
                    pauses.length, java.util.Arrays.stream(pauses).sum(), known ? Long.toString(allocatedKb) : "–",
                    known ? String.format(Locale.ROOT, "%.4f", allocatedKb * 1024.0 / Math.max(1, r.messages())) :
                    "–", r.messagesPerSecond() / 1000.0));
            }
            catch (final IOException ex)
            {
                md.append("| ").append(spec.name()).append(" | failed: ").append(ex.getMessage()).append(" | | |\n");
            }
        }
        return md.append('\n').toString();
    }

    /**
     * @param pid a JVM's process id.
     * @return the first "used NNNK" figure of {@code jcmd PID GC.heap_info} in KB, or -1 when jcmd is missing or
     *         fails.
     */
    private long heapUsedKb(final long pid) throws InterruptedException
    {
        final Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        final Path jcmd = java.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd))
        {
            return -1;
        }
        try
        {
            final Path out = rawDir.resolve("jcmd-heap-info.txt");
            Files.deleteIfExists(out);
            final Process p = Processes.start(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"), out);
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                Processes.kill(p);
                return -1;
            }
            Processes.forget(p);
            return 0 == p.exitValue() ? usedKb(Files.readString(out, StandardCharsets.UTF_8)) : -1;
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * @param heapInfo the output of {@code jcmd PID GC.heap_info}.
     * @return the first "used NNNK" figure, or -1 when there is none.
     */
    static long usedKb(final String heapInfo)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * @param gcLog lines of {@code -Xlog:gc} output.
     * @return the duration in ms of every pause line.
     */
    static double[] pauses(final String gcLog)
    {
        return gcLog.lines()
            .filter(line -> line.contains("Pause"))
            .mapToDouble(line ->
            {
                final String last = line.substring(line.lastIndexOf(' ') + 1);
                return last.endsWith("ms") ? Double.parseDouble(last.substring(0, last.length() - 2)) : 0.0;
            })
            .toArray();
    }
}
