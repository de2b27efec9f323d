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
 * messages ({@code --strace}); exact syscall counts over a fixed number of throughput and bulk messages from
 * the kernel's syscall tracepoints counted by {@code perf stat}, which barely slows the server, with bytes per read
 * and per write call in bulk ({@code --syscount}); and GC pauses of each Java server during S seconds at full load
 * after warm-up ({@code --gc-check S}).
 * <p>
 * <b>Thread-safety:</b> single-threaded (the harness's main thread).
 */
final class Extras
{
    private static final long PING_MESSAGES = 10_000;
    private static final long STREAM_MESSAGES = 200_000;
    /** The calls {@code --syscount} counts: every way our servers and their peers read, write and wait. */
    static final List<String> SYSCOUNT_CALLS = List.of("read", "readv", "recvfrom", "recvmsg", "write", "writev",
        "sendto", "sendmsg", "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "ioctl");
    private static final List<String> READS = List.of("read", "readv", "recvfrom", "recvmsg");
    private static final List<String> WRITES = List.of("write", "writev", "sendto", "sendmsg");
    private static final long SYSCOUNT_THROUGHPUT_MESSAGES = 2_000_000;
    private static final long SYSCOUNT_BULK_MESSAGES = 20_000;
    private static final int BULK_SIZE = 16 * 1024;

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

    String syscountTable(final List<ServerSpec> servers) throws InterruptedException
    {
        final StringBuilder md = new StringBuilder("## Syscalls without strace (perf stat, syscall tracepoints)\n\n")
            .append("Throughput: exactly ").append(SYSCOUNT_THROUGHPUT_MESSAGES).append(" messages of 64 B over ")
            .append(options.throughputConns).append(" connections; bulk: exactly ").append(SYSCOUNT_BULK_MESSAGES)
            .append(" messages of 16 KiB over ").append(options.bulkConns).append(" connections, after the")
            .append(" warm-up. All threads of the server. Bytes per call: the bytes echoed divided by the read-type")
            .append(" (read, readv, recvfrom, recvmsg) and write-type (write, writev, sendto, sendmsg) calls.\n\n")
            .append("| server | throughput calls/msg | by call | bulk calls/MB | by call | bulk bytes/read | ")
            .append("bulk bytes/write |\n|---|---:|---|---:|---|---:|---:|\n");
        for (final ServerSpec spec : servers)
        {
            System.out.println("[syscount] " + spec.name());
            try (ServerRun run = new ServerRun(spec, options, loadGenerator, serverPin, List.of(), rawDir))
            {
                if (spec.onJvm())
                {
                    run.warmUp();
                }
                final Counted small = counted(run, spec.name() + "-syscount-throughput.csv", "--mode", "stream",
                    "--conns", Integer.toString(options.throughputConns),
                    "--depth", Integer.toString(options.throughputDepth), "--size", "64", "--warmup", "0",
                    "--total", Long.toString(SYSCOUNT_THROUGHPUT_MESSAGES));
                final Counted bulk = counted(run, spec.name() + "-syscount-bulk.csv", "--mode", "stream",
                    "--conns", Integer.toString(options.bulkConns), "--depth", Integer.toString(options.bulkDepth),
                    "--size", Integer.toString(BULK_SIZE), "--warmup", "0",
                    "--total", Long.toString(SYSCOUNT_BULK_MESSAGES));
                md.append("| ").append(spec.name()).append(" | ")
                    .append(perMessage(small.calls, small.messages)).append(" | ")
                    .append(perMegabyte(bulk.calls, bulk.bytes)).append(" | ")
                    .append(bytesPerCall(bulk.calls, READS, bulk.bytes)).append(" | ")
                    .append(bytesPerCall(bulk.calls, WRITES, bulk.bytes)).append(" |\n");
            }
            catch (final IOException ex)
            {
                md.append("| ").append(spec.name()).append(" | failed: ").append(ex.getMessage())
                    .append(" | | | | | |\n");
            }
        }
        return md.append('\n').toString();
    }

    private record Counted(Map<String, Long> calls, long messages, long bytes)
    {
    }

    private Counted counted(final ServerRun run, final String file, final String... args)
        throws IOException, InterruptedException
    {
        final Path out = rawDir.resolve(file);
        final List<String> command = new ArrayList<>(List.of("perf", "stat", "-x,", "-o", out.toString()));
        for (final String call : SYSCOUNT_CALLS)
        {
            command.addAll(List.of("-e", "syscalls:sys_enter_" + call));
        }
        command.addAll(List.of("-p", Long.toString(run.pid())));
        final Process perf = Processes.start(command, rawDir.resolve("perf-stat.log"));
        Thread.sleep(500);
        final LoadResult r = loadGenerator.run(run.port(), 0, 120_000, args);
        // perf stat prints its counts when interrupted; SIGTERM would end it silently.
        new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!perf.waitFor(10, TimeUnit.SECONDS))
        {
            Processes.kill(perf);
        }
        Processes.forget(perf);
        final Map<String, Long> calls = parsePerfStat(Files.readAllLines(out, StandardCharsets.UTF_8));
        if (calls.isEmpty())
        {
            throw new IOException("perf stat counted nothing (syscall tracepoints need root or " +
                "kernel.perf_event_paranoid <= -1): see " + rawDir.resolve("perf-stat.log"));
        }
        return new Counted(calls, r.messages(), r.bytes());
    }

    /**
     * @param lines the CSV output of {@code perf stat -x,} over syscall tracepoints.
     * @return calls per syscall name (counts of zero and uncounted events left out), in the order listed.
     */
    static Map<String, Long> parsePerfStat(final List<String> lines)
    {
        final Map<String, Long> calls = new LinkedHashMap<>();
        for (final String line : lines)
        {
            final String[] t = line.split(",");
            final int at = t.length > 2 ? t[2].indexOf("sys_enter_") : -1;
            if (at < 0 || !t[0].matches("[0-9]+"))
            {
                continue;
            }
            final long n = Long.parseLong(t[0]);
            if (n > 0)
            {
                calls.merge(t[2].substring(at + "sys_enter_".length()), n, Long::sum);
            }
        }
        return calls;
    }

    /**
     * @param calls calls per syscall.
     * @param bytes bytes echoed.
     * @return two cells: the total per MB (10^6 bytes) and "name n.n, ..." for calls made at least 0.1 times per MB.
     */
    static String perMegabyte(final Map<String, Long> calls, final long bytes)
    {
        final double mb = bytes / 1e6;
        final long total = calls.values().stream().mapToLong(Long::longValue).sum();
        final List<String> parts = new ArrayList<>();
        calls.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .filter(e -> e.getValue() >= mb / 10)
            .forEach(e -> parts.add(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / mb)));
        return String.format(Locale.ROOT, "%.1f", total / mb) + " | " + String.join(", ", parts);
    }

    /**
     * @param calls calls per syscall.
     * @param kind  the names of one kind of call (reads or writes).
     * @param bytes bytes echoed (each byte is read once and written once).
     * @return bytes per call of that kind, or "–" when none was made.
     */
    static String bytesPerCall(final Map<String, Long> calls, final List<String> kind, final long bytes)
    {
        final long n = kind.stream().mapToLong(name -> calls.getOrDefault(name, 0L)).sum();
        return 0 == n ? "–" : Long.toString(bytes / n);
    }
}
