package io.panamax.perf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The {@code -x value} options of the bench programs that mirror libevent's C benchmarks, parsed once in
 * {@code main} (getopt style: each option takes a value), and their common measuring loop.
 * <p>
 * <b>Thread-safety:</b> immutable after construction.
 */
final class BenchArgs
{
    private final Map<String, String> values = new HashMap<>();

    /**
     * @param args  the command line.
     * @param known the options the program accepts, such as {@code "-n"}.
     * @throws IllegalArgumentException for an unknown option or one without a value.
     */
    BenchArgs(final String[] args, final String... known)
    {
        final List<String> accepted = List.of(known);
        for (int i = 0; i < args.length; i += 2)
        {
            if (!accepted.contains(args[i]) || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options " +
                    accepted);
            }
            values.put(args[i], args[i + 1]);
        }
    }

    /**
     * @param option       an option.
     * @param defaultValue used when the option is absent.
     * @return its integer value.
     */
    int intValue(final String option, final int defaultValue)
    {
        final String value = values.get(option);
        return null == value ? defaultValue : Integer.parseInt(value);
    }

    /**
     * @param option an option.
     * @return its value, or null when absent.
     */
    String value(final String option)
    {
        return values.get(option);
    }

    /** Shortest warm-up: a run count alone leaves small workloads in C1 code when the timed runs start. */
    static final long MIN_WARMUP_NS = 3_000_000_000L;

    /**
     * Run untimed runs for the JIT (at least {@code warmup} of them and, unless {@code warmup} is 0, for at least
     * {@link #MIN_WARMUP_NS}), then {@code runs} timed ones, and print one line per run on stdout as the C programs
     * do: its wall-clock microseconds, involuntary context switches and thread CPU microseconds ({@link RunMeter}).
     * <p>
     * With {@code serve} ({@code -I 1}) the program stays alive after the warm-up for a driver that interleaves it
     * with the C program (scripts/bench-dispatch.sh): it prints {@code ready}, then runs a round of {@code runs}
     * runs for every line read on stdin and exits at end of input.
     *
     * @param run    one run; returns its microseconds, measured by {@code meter}.
     * @param meter  the meter {@code run} starts and stops around its timed section.
     * @param warmup untimed runs at least; 0 for none at all.
     * @param runs   printed runs (per round when serving).
     * @param serve  serve rounds on stdin after the warm-up instead of one batch.
     */
    static void warmUpAndPrint(
        final LongSupplier run, final RunMeter meter, final int warmup, final int runs, final boolean serve)
    {
        final long start = System.nanoTime();
        for (int i = 0; i < warmup || (warmup > 0 && System.nanoTime() - start < MIN_WARMUP_NS); i++)
        {
            run.getAsLong();
        }
        if (!serve)
        {
            printRound(run, meter, runs);
            return;
        }
        System.out.println("ready");
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try
        {
            while (null != in.readLine())
            {
                printRound(run, meter, runs);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void printRound(final LongSupplier run, final RunMeter meter, final int runs)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < runs; i++)
        {
            run.getAsLong();
            out.append(meter.line()).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }
}
