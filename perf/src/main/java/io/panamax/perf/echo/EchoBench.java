package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The echo benchmark ({@code scripts/bench}): every server in its own process, pinned to CPU 0, driven by one C
 * load generator on CPU 1, in interleaved rounds (A B C … A B C …); then the Markdown table and the latency
 * plot under the results folder.
 * <p>
 * <b>Thread-safety:</b> a process entry point; single-threaded.
 */
public final class EchoBench
{
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final BenchOptions options;
    private final List<ServerSpec> servers;
    private final LoadGenerator loadGenerator;
    private final List<String> serverPin;
    private final Path rawDir;
    private final ResultTable table = new ResultTable();
    private final Map<String, Map<String, Histogram>> histograms = new LinkedHashMap<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final String loadAtStart = ReportHeader.loadAverage();

    EchoBench(final BenchOptions options, final List<ServerSpec> servers, final boolean pin, final Path rawDir)
    {
        this.options = options;
        this.servers = servers;
        this.serverPin = pin ? List.of("taskset", "-c", "0") : List.of();
        this.rawDir = rawDir;
        this.loadGenerator = new LoadGenerator(options.nativeDir.resolve("loadgen"),
            pin ? List.of("taskset", "-c", "1") : List.of(), rawDir.resolve("loadgen.log"));
    }

    /**
     * Run the comparison.
     *
     * @param args see {@link BenchOptions#USAGE}.
     * @throws Exception when the harness itself fails (a failing server is reported and skipped).
     */
    public static void main(final String[] args) throws Exception
    {
        if (List.of(args).contains("--help") || List.of(args).contains("-h"))
        {
            System.out.printf(BenchOptions.USAGE, serverNames());
            return;
        }
        final BenchOptions options;
        try
        {
            options = BenchOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("bench: " + ex.getMessage());
            System.err.printf(BenchOptions.USAGE, serverNames());
            System.exit(2);
            return;
        }
        final List<ServerSpec> chosen = choose(options);
        if (chosen.isEmpty())
        {
            System.err.println("bench: no server to run");
            System.exit(2);
        }
        final boolean pin = pinning(options.pin);
        final Path rawDir = options.resultsDir.resolve("tmp").resolve(STAMP.format(Instant.now()));
        Files.createDirectories(rawDir);
        final EchoBench bench = new EchoBench(options, chosen, pin, rawDir);
        System.out.printf("bench: %d server(s) x %d round(s), modes %s, %s; raw data in %s%n", chosen.size(),
            options.rounds(), options.modes(), pin ? "servers on CPU 0, load generator on CPU 1" : "not pinned",
            rawDir);
        bench.runRounds();
        final Extras extras = new Extras(options, bench.loadGenerator, bench.serverPin, rawDir);
        final String syscalls = (options.strace ? extras.syscallTable(bench.runnable()) : "") +
            (options.syscount ? extras.syscountTable(bench.runnable()) : "");
        final String gc = options.gcCheckSeconds > 0 ? extras.gcTable(bench.runnable()) : "";
        bench.writeReport(syscalls, gc);
    }

    private static String serverNames()
    {
        return names(ServerSpec.catalog(Path.of("."))) + "\n                      only when named: " +
            names(ServerSpec.variants());
    }

    private static String names(final List<ServerSpec> specs)
    {
        return String.join(",", specs.stream().map(ServerSpec::name).toList());
    }

    private static List<ServerSpec> choose(final BenchOptions options)
    {
        final List<ServerSpec> catalog = new ArrayList<>(ServerSpec.catalog(options.nativeDir));
        for (final ServerSpec variant : ServerSpec.variants())
        {
            if (options.servers().contains(variant.name()))
            {
                catalog.add(variant);
            }
        }
        for (final String name : options.servers())
        {
            if (catalog.stream().noneMatch(s -> s.name().equals(name)))
            {
                throw new IllegalArgumentException("unknown server '" + name + "'; servers: " + serverNames());
            }
        }
        final List<ServerSpec> chosen = new ArrayList<>();
        for (final ServerSpec spec : catalog)
        {
            if (!options.servers().isEmpty() && !options.servers().contains(spec.name()))
            {
                continue;
            }
            if (null != spec.missing())
            {
                System.out.println("bench: skipping " + spec.name() + ": " + spec.missing());
                continue;
            }
            chosen.add(spec);
        }
        return chosen;
    }

    private static boolean pinning(final String pin)
    {
        final boolean possible = Runtime.getRuntime().availableProcessors() >= 2 && onPath("taskset");
        if ("on".equals(pin) && !possible)
        {
            throw new IllegalStateException("--pin on needs 2+ CPUs and taskset");
        }
        return !"off".equals(pin) && possible;
    }

    private static boolean onPath(final String tool)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }

    List<ServerSpec> runnable()
    {
        return servers.stream().filter(s -> !failed.contains(s.name())).toList();
    }

    void runRounds() throws InterruptedException
    {
        for (int round = 1; round <= options.rounds(); round++)
        {
            for (final ServerSpec spec : runnable())
            {
                runOne(spec, round);
            }
        }
    }

    private void runOne(final ServerSpec spec, final int round) throws InterruptedException
    {
        final String tag = String.format("[round %d/%d] %-16s", round, options.rounds(), spec.name());
        final long started = System.nanoTime();
        final Map<String, Histogram> own = histograms.computeIfAbsent(spec.name(), k -> new LinkedHashMap<>());
        try (ServerRun run = new ServerRun(spec, options, loadGenerator, serverPin, List.of(), rawDir))
        {
            if (spec.onJvm())
            {
                System.out.println(tag + " warming up (" + options.javaWarmupMs + " ms + " + options.javaPingWarmup +
                    " round trips)");
                run.warmUp();
            }
            final List<String> parts = new ArrayList<>();
            final long stealBefore = HostSteal.readMs();
            for (final String mode : options.modes())
            {
                parts.add(run.runMode(mode, round, table, own));
            }
            final double steal = HostSteal.between(stealBefore, HostSteal.readMs());
            table.add(spec.name(), Metric.HOST_STEAL, steal);
            if (steal > 0)
            {
                parts.add(String.format("host steal %.0f ms", steal));
            }
            System.out.printf("%s %s  [%.1f s]%n", tag, String.join(" · ", parts),
                (System.nanoTime() - started) / 1e9);
        }
        catch (final IOException ex)
        {
            failed.add(spec.name());
            System.out.println(tag + " FAILED, dropped from later rounds: " + ex.getMessage());
        }
    }

    void writeReport(final String syscalls, final String gc) throws IOException
    {
        Files.createDirectories(options.resultsDir);
        final String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
            .format(Instant.now());
        final Path png = options.resultsDir.resolve("echo-latency.png");
        LatencyPlot.write(histograms, png, date + ", " + options.rounds() + " round(s)");
        final StringBuilder md = new StringBuilder();
        md.append("# Echo benchmark: latest run\n\n")
            .append(ReportHeader.describe(options, date, !serverPin.isEmpty(), loadAtStart)).append('\n')
            .append("## Figures: median (min–max) over rounds\n\n").append(table.markdownFigures()).append('\n')
            .append("## Ratios of medians: vs libevent / vs the C epoll floor\n\n")
            .append("Below 1 is better for times and CPU, above 1 for throughput and bulk.\n\n")
            .append(table.markdownRatios()).append('\n')
            .append("## Servers\n\n");
        for (final ServerSpec spec : servers)
        {
            md.append("- `").append(spec.name()).append("`: ").append(spec.description())
                .append(failed.contains(spec.name()) ? " (FAILED in this run)" : "").append('\n');
        }
        md.append('\n').append(Targets.markdown(table)).append(syscalls).append(gc)
            .append("![latency percentiles](echo-latency.png)\n");
        final Path report = options.resultsDir.resolve("echo-latest.md");
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table.markdownFigures());
        System.out.println("ratios (vs libevent / vs c-epoll):");
        System.out.println(table.markdownRatios());
        if (!Targets.markdown(table).isEmpty())
        {
            final List<String> missed = Targets.missed(table);
            System.out.println("issue 6 targets missed" + (table.servers().contains(Targets.PANAMAX) ? "" :
                " (by " + Targets.FFM_FLOOR + ", Panamax did not run)") + ": " + (missed.isEmpty() ? "none" : missed));
        }
        System.out.println("bench: wrote " + report + " and " + png);
    }
}
