package io.panamax.perf.echo;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report's arithmetic: medians and spreads over rounds, ratios, latency percentiles from raw samples, CPU
 * per message.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class Stats
{
    /** Largest latency a histogram tracks: 60 s in ns; larger samples are clamped to it. */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    private Stats()
    {
    }

    /**
     * Median, minimum and maximum of a set of values.
     *
     * @param median middle value (mean of the two middle values for an even count).
     * @param min    smallest.
     * @param max    largest.
     * @param count  how many values.
     */
    public record Summary(double median, double min, double max, int count)
    {
    }

    /**
     * Latency percentiles in µs.
     *
     * @param p50   median.
     * @param p90   90th percentile.
     * @param p99   99th percentile.
     * @param p999  99.9th percentile.
     * @param max   largest sample.
     * @param count samples.
     */
    public record Percentiles(double p50, double p90, double p99, double p999, double max, long count)
    {
    }

    /**
     * @param values at least one value.
     * @return their median, minimum and maximum.
     */
    public static Summary summarize(final List<Double> values)
    {
        if (values.isEmpty())
        {
            throw new IllegalArgumentException("no values");
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = sorted.length;
        final double median = (n & 1) == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * @param value     the server's figure.
     * @param reference the reference server's figure.
     * @return value / reference, or NaN when either is missing (NaN) or the reference is 0.
     */
    public static double ratio(final double value, final double reference)
    {
        if (Double.isNaN(value) || Double.isNaN(reference) || reference == 0.0)
        {
            return Double.NaN;
        }
        return value / reference;
    }

    /**
     * @param latenciesNs raw round-trip times in ns.
     * @return a histogram of them (3 significant digits).
     */
    public static Histogram histogram(final long[] latenciesNs)
    {
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        for (final long ns : latenciesNs)
        {
            histogram.recordValue(Math.min(Math.max(ns, 0), HIGHEST_TRACKABLE_NS));
        }
        return histogram;
    }

    /**
     * @param file the load generator's output: one latency in ns per line.
     * @return a histogram of the samples.
     * @throws IOException if the file cannot be read.
     */
    public static Histogram loadLatencies(final Path file) throws IOException
    {
        final long[] samples = Files.readAllLines(file).stream()
            .filter(line -> !line.isBlank())
            .mapToLong(line -> Long.parseLong(line.trim()))
            .toArray();
        return histogram(samples);
    }

    /**
     * @param histogram latencies in ns.
     * @return p50, p90, p99, p99.9 and max in µs.
     */
    public static Percentiles percentiles(final Histogram histogram)
    {
        return new Percentiles(
            micros(histogram.getValueAtPercentile(50.0)),
            micros(histogram.getValueAtPercentile(90.0)),
            micros(histogram.getValueAtPercentile(99.0)),
            micros(histogram.getValueAtPercentile(99.9)),
            micros(histogram.getMaxValue()),
            histogram.getTotalCount());
    }

    private static double micros(final long ns)
    {
        return ns / 1_000.0;
    }

    /**
     * @param utimeTicks user CPU time of the server over the window, in clock ticks.
     * @param clockTicksPerSecond {@code sysconf(_SC_CLK_TCK)}.
     * @param messages messages echoed in the window.
     * @return user CPU ns per message, NaN when unknown (negative ticks, no messages).
     */
    public static double userNsPerMessage(final long utimeTicks, final long clockTicksPerSecond, final long messages)
    {
        if (utimeTicks < 0 || clockTicksPerSecond <= 0 || messages <= 0)
        {
            return Double.NaN;
        }
        return utimeTicks * (1e9 / clockTicksPerSecond) / messages;
    }
}
