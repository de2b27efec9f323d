package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One server, started for one round: waits until it accepts, warms a Java server up, runs each mode with the
 * load generator and records the figures; {@link #close()} kills it.
 * <p>
 * <b>Thread-safety:</b> single-threaded (the harness's main thread).
 */
final class ServerRun implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 30_000;

    private final ServerSpec spec;
    private final BenchOptions options;
    private final LoadGenerator loadGenerator;
    private final Path rawDir;
    private final Process process;
    private final Path log;
    private final int port;

    ServerRun(
        final ServerSpec spec, final BenchOptions options, final LoadGenerator loadGenerator,
        final List<String> pinPrefix, final List<String> extraJvmArgs, final Path rawDir)
        throws IOException, InterruptedException
    {
        this.spec = spec;
        this.options = options;
        this.loadGenerator = loadGenerator;
        this.rawDir = rawDir;
        this.port = freePort();
        this.log = rawDir.resolve(spec.name() + ".log");
        final List<String> command = new ArrayList<>(pinPrefix);
        command.addAll(spec.commandFor(port, extraJvmArgs));
        this.process = Processes.start(command, log);
        awaitAccepting();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    private void awaitAccepting() throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IOException(spec.name() + " exited with status " + process.exitValue() + ": " + logTail());
            }
            try (Socket probe = new Socket())
            {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        throw new IOException(spec.name() + " did not accept connections within " + START_TIMEOUT_MS + " ms");
    }

    String logTail() throws IOException
    {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    long pid()
    {
        return process.pid();
    }

    int port()
    {
        return port;
    }

    /**
     * Bring a JVM server's hot paths to compiled code: streams of both sizes, then ping-pong over two connections.
     * The ping-pong part must be long: a loop's per-iteration methods run once per message only in ping-pong (in
     * the streams one iteration serves many messages), so C2 reaches them only after tens of thousands of round
     * trips, and a compilation on the server's one CPU delays round trips by milliseconds. The second connection
     * takes the recompilations that its first connection's close and the new accept cause.
     */
    void warmUp() throws IOException, InterruptedException
    {
        final long ms = options.javaWarmupMs;
        throughput(0, ms * 3 / 4, 0);
        bulk(0, ms / 4, 0);
        final long first = options.javaPingWarmup * 9 / 10;
        for (final long count : new long[] { first, Math.max(1, options.javaPingWarmup - first) })
        {
            loadGenerator.run(port, 0, 120_000, "--mode", "pingpong", "--size", "64", "--warmup", "0",
                "--count", Long.toString(count));
        }
    }

    LoadResult throughput(final long warmupMs, final long windowMs, final long pid)
        throws IOException, InterruptedException
    {
        return loadGenerator.run(port, pid, warmupMs + windowMs + 30_000, "--mode", "stream",
            "--conns", Integer.toString(options.throughputConns), "--depth", Integer.toString(options.throughputDepth),
            "--size", "64", "--warmup", Long.toString(warmupMs), "--duration-ms", Long.toString(windowMs));
    }

    LoadResult bulk(final long warmupMs, final long windowMs, final long pid) throws IOException, InterruptedException
    {
        return loadGenerator.run(port, pid, warmupMs + windowMs + 30_000, "--mode", "stream",
            "--conns", Integer.toString(options.bulkConns), "--depth", Integer.toString(options.bulkDepth),
            "--size", "16384", "--warmup", Long.toString(warmupMs), "--duration-ms", Long.toString(windowMs));
    }

    /**
     * Run one mode and record its figures.
     *
     * @param mode       latency, fixedrate, throughput or bulk.
     * @param round      round number, for file names.
     * @param table      where figures go.
     * @param histograms per-mode merged latency histograms of this server (for the plot).
     * @return a short progress text.
     */
    String runMode(
        final String mode, final int round, final ResultTable table, final Map<String, Histogram> histograms)
        throws IOException, InterruptedException
    {
        return switch (mode)
        {
            case "latency" -> latency(round, table, histograms, false);
            case "fixedrate" -> latency(round, table, histograms, true);
            case "throughput" ->
            {
                final LoadResult r = throughput(options.streamWarmupMs, options.streamMs, pid());
                table.add(spec.name(), Metric.THROUGHPUT, r.messagesPerSecond() / 1000.0);
                table.addUserCpu(spec.name(), r.userNs(), r.messages());
                table.add(spec.name(), Metric.SLEEPS_PER_KMSG, r.sleepsPerThousandMessages());
                yield String.format("throughput %.0f k msgs/s (user %.1f ns/msg, %.1f sleeps/1k msgs)",
                    r.messagesPerSecond() / 1000.0, r.userNsPerMessage(), r.sleepsPerThousandMessages());
            }
            case "bulk" ->
            {
                final LoadResult r = bulk(options.streamWarmupMs, options.streamMs, pid());
                table.add(spec.name(), Metric.BULK, r.megabytesPerSecond());
                yield String.format("bulk %.0f MB/s", r.megabytesPerSecond());
            }
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private String latency(
        final int round, final ResultTable table, final Map<String, Histogram> histograms, final boolean fixedRate)
        throws IOException, InterruptedException
    {
        final String mode = fixedRate ? "fixedrate" : "pingpong";
        final Path out = rawDir.resolve(spec.name() + "-" + mode + "-r" + round + ".txt");
        final long warmup = fixedRate ? options.fixedWarmup : options.pingWarmup;
        final long count = fixedRate ? options.fixedCount : options.pingCount;
        final long maxMs = fixedRate ? 2_000 + 3_000 * (warmup + count) / options.fixedRate : 120_000;
        loadGenerator.run(port, 0, maxMs, "--mode", mode, "--size", "64", "--warmup", Long.toString(warmup),
            "--count", Long.toString(count), "--rate", Long.toString(options.fixedRate), "--out", out.toString());
        final Histogram h = Stats.loadLatencies(out);
        histograms.computeIfAbsent(mode, k -> new Histogram(Stats.HIGHEST_TRACKABLE_NS, 3)).add(h);
        final Stats.Percentiles p = Stats.percentiles(h);
        if (fixedRate)
        {
            table.add(spec.name(), Metric.FIXED_P50, p.p50());
            table.add(spec.name(), Metric.FIXED_P99, p.p99());
            table.add(spec.name(), Metric.FIXED_P999, p.p999());
            table.add(spec.name(), Metric.FIXED_MAX, p.max());
            return String.format("fixed-rate p50 %.1f p99.9 %.1f µs", p.p50(), p.p999());
        }
        table.add(spec.name(), Metric.PING_P50, p.p50());
        table.add(spec.name(), Metric.PING_P90, p.p90());
        table.add(spec.name(), Metric.PING_P99, p.p99());
        table.add(spec.name(), Metric.PING_P999, p.p999());
        table.add(spec.name(), Metric.PING_MAX, p.max());
        return String.format("ping-pong p50 %.1f p99.9 %.1f µs", p.p50(), p.p999());
    }

    @Override
    public void close()
    {
        Processes.kill(process);
    }
}
