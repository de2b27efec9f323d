package io.panamax.perf.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 6's targets, checked against one run: each compares the subject server (Panamax, or the bare FFM loop
 * {@code panamax-ffm-raw} when Panamax did not run) with the peers of the same run, on medians.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
final class Targets
{
    /** The Panamax BufferEvent server's name, once it is in the catalog. */
    static final String PANAMAX = "panamax";
    /** The stand-in when {@link #PANAMAX} did not run: the bare FFM loop. */
    static final String FFM_FLOOR = "panamax-ffm-raw";

    private Targets()
    {
    }

    /**
     * One target: subject's figure compared with {@code factor} x the reference's.
     *
     * @param metric    the figure.
     * @param reference the peer.
     * @param factor    multiple of the peer's figure.
     * @param atMost    true: subject must be at most factor x reference; false: at least.
     */
    record Target(Metric metric, String reference, double factor, boolean atMost)
    {
        String describe()
        {
            final String bound = factor == 1.0 ? "" : String.format(Locale.ROOT, "%.2f× ", factor);
            return metric.label() + (atMost ? " ≤ " : " ≥ ") + bound + reference;
        }
    }

    /** Issue 6's list, in its order. */
    static final List<Target> ALL = List.of(
        new Target(Metric.PING_P50, ResultTable.C_EPOLL, 1.05, true),
        new Target(Metric.PING_P50, ResultTable.LIBEVENT, 1.0, true),
        new Target(Metric.PING_P50, "netty-epoll", 1.0, true),
        new Target(Metric.PING_P50, "jdk-nio", 1.0, true),
        new Target(Metric.PING_P999, ResultTable.LIBEVENT, 1.0, true),
        new Target(Metric.PING_P999, "netty-epoll", 1.0, true),
        new Target(Metric.PING_P999, "jdk-nio", 1.0, true),
        new Target(Metric.THROUGHPUT, ResultTable.C_EPOLL, 0.95, false),
        new Target(Metric.THROUGHPUT, "netty-epoll", 1.0, false),
        new Target(Metric.THROUGHPUT, "jdk-nio", 1.0, false),
        new Target(Metric.BULK, ResultTable.C_EPOLL, 0.95, false),
        new Target(Metric.BULK, "netty-epoll", 1.0, false),
        new Target(Metric.BULK, "jdk-nio", 1.0, false),
        new Target(Metric.BULK, ResultTable.LIBEVENT, 4.0, false),
        new Target(Metric.USER_NS_PER_MSG, ResultTable.LIBEVENT, 1.0, true),
        new Target(Metric.USER_NS_PER_MSG, "netty-epoll", 1.0, true),
        new Target(Metric.USER_NS_PER_MSG, ResultTable.C_EPOLL, 2.0, true));

    /**
     * @param table the run's figures.
     * @return the Markdown section, or "" when neither Panamax server ran.
     */
    static String markdown(final ResultTable table)
    {
        final String subject = table.servers().contains(PANAMAX) ? PANAMAX :
            table.servers().contains(FFM_FLOOR) ? FFM_FLOOR : null;
        if (null == subject)
        {
            return "";
        }
        final StringBuilder md = new StringBuilder("## Issue 6 targets for `").append(subject).append("`\n\n");
        if (FFM_FLOOR.equals(subject))
        {
            md.append("`panamax-ffm-raw` is the bare FFM loop, not the Panamax BufferEvent server the targets " +
                "are for (it did not run); shown to see how far the JVM + FFM floor is from them.\n\n");
        }
        md.append("| target | subject / reference | met |\n|---|---:|:---:|\n");
        for (final Target t : ALL)
        {
            final double ratio = table.ratio(subject, t.reference(), t.metric());
            md.append("| ").append(t.describe()).append(" | ").append(ResultTable.ratioText(ratio)).append(" | ")
                .append(verdict(t, ratio)).append(" |\n");
        }
        return md.append('\n').toString();
    }

    /**
     * @param target the target.
     * @param ratio  subject / reference, NaN when either is missing.
     * @return "yes", "NO" or "–" (not measured).
     */
    static String verdict(final Target target, final double ratio)
    {
        if (Double.isNaN(ratio))
        {
            return "–";
        }
        final boolean met = target.atMost() ? ratio <= target.factor() : ratio >= target.factor();
        return met ? "yes" : "NO";
    }

    /**
     * @param table the run's figures.
     * @return the targets missed, one line each, for the console.
     */
    static List<String> missed(final ResultTable table)
    {
        final List<String> lines = new ArrayList<>();
        final String subject = table.servers().contains(PANAMAX) ? PANAMAX : FFM_FLOOR;
        for (final Target t : ALL)
        {
            if ("NO".equals(verdict(t, table.ratio(subject, t.reference(), t.metric()))))
            {
                lines.add(t.describe());
            }
        }
        return lines;
    }
}
