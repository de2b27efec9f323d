package io.panamax.perf.echo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of the echo benchmark, with defaults sized for about 5 minutes on 2 cores.
 * <p>
 * <b>Thread-safety:</b> mutable while parsing, then only read.
 */
public final class BenchOptions
{
    /** Every mode, in the order a round runs them. */
    public static final List<String> ALL_MODES = List.of("latency", "fixedrate", "throughput", "bulk");

    List<String> servers = new ArrayList<>();
    Set<String> modes = new LinkedHashSet<>(ALL_MODES);
    int rounds = 4;
    boolean quick;
    long pingWarmup = 5_000;
    long pingCount = 20_000;
    long fixedRate = 5_000;
    long fixedWarmup = 2_500;
    long fixedCount = 7_500;
    long streamWarmupMs = 500;
    long streamMs = 2_000;
    long javaWarmupMs = 2_000;
    long javaPingWarmup = 60_000;
    int throughputConns = 50;
    int throughputDepth = 16;
    int bulkConns = 10;
    int bulkDepth = 4;
    boolean strace;
    boolean syscount;
    long gcCheckSeconds;
    String pin = "auto";
    Path nativeDir = Path.of("perf/native/build");
    Path resultsDir = Path.of("perf/results");

    /** Usage text for {@code scripts/bench --help}. */
    public static final String USAGE = """
        usage: scripts/bench [options]
          --servers a,b,...   servers to run (default: all available): %s
          --modes a,b,...     latency,fixedrate,throughput,bulk (default: all)
          --rounds N          interleaved rounds (default 4; differences under ~20%% need 5+)
          --quick             1 round of short runs (under a minute): a functional check, not a measurement
          --seconds S         measured window of the throughput and bulk runs (default 2)
          --pingpong-count N  round trips recorded per ping-pong run (default 20000)
          --rate R            fixed-rate messages per second (default 5000)
          --java-warmup-pingpong N
                              ping-pong round trips of every Java server's warm-up (default 60000)
          --strace            also count syscalls per echoed message (strace -c -f, fixed message count)
          --syscount          also count syscalls with perf stat (no strace slowdown): per throughput message,
                              per bulk MB and bytes per read and per write call
          --gc-check S        also run each Java server S seconds at full load after warm-up, GC logged
          --pin auto|on|off   taskset: server on CPU 0, load generator on CPU 1 (auto: when 2+ CPUs)
          --results DIR       where echo-latest.md and echo-latency.png go (default perf/results)
        """;

    /**
     * @param args command-line arguments.
     * @return the options.
     * @throws IllegalArgumentException on an unknown option or bad value.
     */
    public static BenchOptions parse(final String... args)
    {
        final BenchOptions o = new BenchOptions();
        final List<String> list = Arrays.asList(args);
        if (list.contains("--quick"))
        {
            o.applyQuick();
        }
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            switch (a)
            {
                case "--quick" -> o.quick = true;
                case "--strace" -> o.strace = true;
                case "--syscount" -> o.syscount = true;
                case "--servers" -> o.servers = split(value(args, ++i, a));
                case "--modes" -> o.modes = modes(value(args, ++i, a));
                case "--rounds" -> o.rounds = positive(value(args, ++i, a), a);
                case "--seconds" -> o.streamMs = 1000L * positive(value(args, ++i, a), a);
                case "--pingpong-count" -> o.pingCount = positive(value(args, ++i, a), a);
                case "--rate" -> o.fixedRate = positive(value(args, ++i, a), a);
                case "--java-warmup-pingpong" -> o.javaPingWarmup = positive(value(args, ++i, a), a);
                case "--gc-check" -> o.gcCheckSeconds = positive(value(args, ++i, a), a);
                case "--pin" -> o.pin = pin(value(args, ++i, a));
                case "--native-dir" -> o.nativeDir = Path.of(value(args, ++i, a));
                case "--results" -> o.resultsDir = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        return o;
    }

    private void applyQuick()
    {
        quick = true;
        rounds = 1;
        pingWarmup = 2_000;
        pingCount = 5_000;
        fixedWarmup = 500;
        fixedCount = 2_000;
        streamWarmupMs = 200;
        streamMs = 700;
        javaWarmupMs = 1_000;
        javaPingWarmup = 10_000;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(final String value, final String option)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n > 0)
            {
                return n;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive integer, not '" + value + "'");
    }

    private static List<String> split(final String value)
    {
        final List<String> names = new ArrayList<>();
        for (final String name : value.split(","))
        {
            if (!name.isBlank())
            {
                names.add(name.trim());
            }
        }
        return names;
    }

    private static Set<String> modes(final String value)
    {
        final Set<String> chosen = new LinkedHashSet<>();
        for (final String mode : split(value))
        {
            if (!ALL_MODES.contains(mode))
            {
                throw new IllegalArgumentException("unknown mode '" + mode + "'; modes: " + ALL_MODES);
            }
            chosen.add(mode);
        }
        final Set<String> ordered = new LinkedHashSet<>(ALL_MODES);
        ordered.retainAll(chosen);
        return ordered;
    }

    private static String pin(final String value)
    {
        if (!List.of("auto", "on", "off").contains(value))
        {
            throw new IllegalArgumentException("--pin takes auto, on or off");
        }
        return value;
    }

    /**
     * @return the server names asked for; empty means all.
     */
    public List<String> servers()
    {
        return servers;
    }

    /**
     * @return the modes to run, in round order.
     */
    public Set<String> modes()
    {
        return modes;
    }

    /**
     * @return rounds to run.
     */
    public int rounds()
    {
        return rounds;
    }
}
