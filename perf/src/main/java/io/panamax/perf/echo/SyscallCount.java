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
 * {@code --syscount}: exact syscall counts of each server over a fixed number of messages of the throughput and of
 * the bulk stream, from the kernel's syscall tracepoints counted by {@code perf stat} (all threads of the server).
 * Unlike {@code strace} this barely slows the server, so messages gather per read as in a measured run; the bulk
 * columns give bytes per read-type and per write-type call, which shows whether a server moves bigger blocks.
 * <p>
 * <b>Thread-safety:</b> single-threaded (the harness's main thread).
 */
final class SyscallCount
{
    /** The calls counted: every way our servers and their peers read, write and wait. */
    static final List<String> CALLS = List.of("read", "readv", "recvfrom", "recvmsg", "write", "writev", "sendto",
        "sendmsg", "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "ioctl");
    private static final List<String> READS = List.of("read", "readv", "recvfrom", "recvmsg");
    private static final List<String> WRITES = List.of("write", "writev", "sendto", "sendmsg");
    private static final long THROUGHPUT_MESSAGES = 2_000_000;
    private static final long BULK_MESSAGES = 20_000;
    private static final int BULK_SIZE = 16 * 1024;

    private final BenchOptions options;
    private final LoadGenerator loadGenerator;
    private final List<String> serverPin;
    private final Path rawDir;

    SyscallCount(final BenchOptions options, final LoadGenerator loadGenerator, final List<String> serverPin,
        final Path rawDir)
    {
        this.options = options;
        this.loadGenerator = loadGenerator;
        this.serverPin = serverPin;
        this.rawDir = rawDir;
    }

    String table(final List<ServerSpec> servers) throws InterruptedException
    {
        final StringBuilder md = new StringBuilder("## Syscalls without strace (perf stat, syscall tracepoints)\n\n")
            .append("Throughput: exactly ").append(THROUGHPUT_MESSAGES).append(" messages of 64 B over ")
            .append(options.throughputConns).append(" connections; bulk: exactly ").append(BULK_MESSAGES)
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
                    "--total", Long.toString(THROUGHPUT_MESSAGES));
                final Counted bulk = counted(run, spec.name() + "-syscount-bulk.csv", "--mode", "stream",
                    "--conns", Integer.toString(options.bulkConns), "--depth", Integer.toString(options.bulkDepth),
                    "--size", Integer.toString(BULK_SIZE), "--warmup", "0", "--total", Long.toString(BULK_MESSAGES));
                md.append("| ").append(spec.name()).append(" | ")
                    .append(Extras.perMessage(small.calls, small.messages)).append(" | ")
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
        for (final String call : CALLS)
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
