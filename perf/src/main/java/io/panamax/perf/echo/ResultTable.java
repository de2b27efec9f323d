package io.panamax.perf.echo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures per server, metric and round, and their Markdown rendering: medians with min–max spreads, and each
 * server's ratio to libevent and to the C epoll floor.
 * <p>
 * <b>Thread-safety:</b> not thread-safe; filled and read by the harness's main thread.
 */
public final class ResultTable
{
    /** The first reference of the ratio table. */
    public static final String LIBEVENT = "libevent";
    /** The second reference: the C epoll floor. */
    public static final String C_EPOLL = "c-epoll";

    /** Metrics of the main table, in column order. */
    static final List<Metric> MAIN = List.of(Metric.PING_P50, Metric.PING_P90, Metric.PING_P99, Metric.PING_P999,
        Metric.PING_MAX, Metric.FIXED_P50, Metric.FIXED_P999, Metric.THROUGHPUT, Metric.USER_NS_PER_MSG,
        Metric.SLEEPS_PER_KMSG, Metric.BULK, Metric.HOST_STEAL);
    /** Metrics of the ratio table. */
    static final List<Metric> RATIOS = List.of(Metric.PING_P50, Metric.PING_P999, Metric.FIXED_P999,
        Metric.THROUGHPUT, Metric.USER_NS_PER_MSG, Metric.BULK);

    private final Map<String, Map<Metric, List<Double>>> values = new LinkedHashMap<>();
    private final Map<String, double[]> cpuTotals = new LinkedHashMap<>();

    /**
     * @param server the server's name; rows appear in the order servers are first added.
     * @param metric the figure.
     * @param value  its value in the metric's unit; NaN is ignored.
     */
    public void add(final String server, final Metric metric, final double value)
    {
        final Map<Metric, List<Double>> row = values.computeIfAbsent(server, k -> new EnumMap<>(Metric.class));
        if (!Double.isNaN(value))
        {
            row.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
        }
    }

    /**
     * Record one round's server user CPU over a throughput window. The kernel samples user versus system time
     * at each tick and reports it in 10 ms units, so one round's figure is coarse; the table shows the pooled
     * figure over all rounds (total user ns / total messages), with the per-round values as its spread.
     *
     * @param server   the server.
     * @param userNs   user CPU over the window, ns; negative when unknown (ignored).
     * @param messages messages echoed in the window.
     */
    public void addUserCpu(final String server, final double userNs, final long messages)
    {
        if (userNs < 0 || messages <= 0)
        {
            return;
        }
        add(server, Metric.USER_NS_PER_MSG, userNs / messages);
        final double[] totals = cpuTotals.computeIfAbsent(server, k -> new double[2]);
        totals[0] += userNs;
        totals[1] += messages;
    }

    /**
     * @param server the server.
     * @param metric the figure.
     * @return its summary over rounds, or null when it has none; for {@link Metric#USER_NS_PER_MSG} the
     *     "median" is the pooled figure of {@link #addUserCpu}.
     */
    public Stats.Summary summary(final String server, final Metric metric)
    {
        final Map<Metric, List<Double>> row = values.get(server);
        final List<Double> list = null == row ? null : row.get(metric);
        if (null == list || list.isEmpty())
        {
            return null;
        }
        final Stats.Summary s = Stats.summarize(list);
        final double[] totals = cpuTotals.get(server);
        if (Metric.USER_NS_PER_MSG == metric && null != totals)
        {
            return new Stats.Summary(totals[0] / totals[1], s.min(), s.max(), s.count());
        }
        return s;
    }

    /**
     * @param server    the server.
     * @param reference the reference server.
     * @param metric    the figure.
     * @return median(server) / median(reference), NaN when either is missing.
     */
    public double ratio(final String server, final String reference, final Metric metric)
    {
        final Stats.Summary s = summary(server, metric);
        final Stats.Summary r = summary(reference, metric);
        return Stats.ratio(null == s ? Double.NaN : s.median(), null == r ? Double.NaN : r.median());
    }

    /**
     * @return server names in row order.
     */
    public List<String> servers()
    {
        return List.copyOf(values.keySet());
    }

    /**
     * @return the main table: one row per server, "median (min–max)" per metric that has values.
     */
    public String markdownFigures()
    {
        final List<Metric> columns = MAIN.stream().filter(this::hasAny).toList();
        final StringBuilder sb = new StringBuilder("| server |");
        columns.forEach(m -> sb.append(' ').append(m.label()).append(' ').append(m.unit()).append(" |"));
        sb.append("\n|---|");
        columns.forEach(m -> sb.append("---:|"));
        sb.append('\n');
        for (final String server : values.keySet())
        {
            sb.append("| ").append(server).append(" |");
            for (final Metric m : columns)
            {
                sb.append(' ').append(cell(summary(server, m))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * @return the ratio table: median / median of libevent and of the C epoll floor per metric.
     */
    public String markdownRatios()
    {
        final List<Metric> columns = RATIOS.stream().filter(this::hasAny).toList();
        final StringBuilder sb = new StringBuilder("| server |");
        columns.forEach(m -> sb.append(' ').append(m.label()).append(" |"));
        sb.append("\n|---|");
        columns.forEach(m -> sb.append("---:|"));
        sb.append('\n');
        for (final String server : values.keySet())
        {
            sb.append("| ").append(server).append(" |");
            for (final Metric m : columns)
            {
                sb.append(' ').append(ratioText(ratio(server, LIBEVENT, m))).append(" / ")
                    .append(ratioText(ratio(server, C_EPOLL, m))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private boolean hasAny(final Metric metric)
    {
        return values.keySet().stream().anyMatch(s -> null != summary(s, metric));
    }

    /**
     * @param s a summary, or null.
     * @return "median (min–max)", just the median for one value, "–" for none.
     */
    static String cell(final Stats.Summary s)
    {
        if (null == s)
        {
            return "–";
        }
        if (s.count() == 1)
        {
            return number(s.median());
        }
        return number(s.median()) + " (" + number(s.min()) + "–" + number(s.max()) + ")";
    }

    /**
     * @param value a figure.
     * @return 1 decimal below 100, none from 100 up.
     */
    static String number(final double value)
    {
        return Math.abs(value) < 100 ? String.format(Locale.ROOT, "%.1f", value) :
            String.format(Locale.ROOT, "%.0f", value);
    }

    /**
     * @param ratio a ratio or NaN.
     * @return "1.03" or "–".
     */
    static String ratioText(final double ratio)
    {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
