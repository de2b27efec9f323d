package io.panamax.perf.echo;

import java.util.HashMap;
import java.util.Map;

/**
 * What one load-generator run reports: its {@code RESULT key=value ...} line, parsed.
 *
 * @param mode        pingpong, fixedrate or stream.
 * @param messages    messages echoed in the measured window (recorded round trips for latency modes).
 * @param bytes       bytes echoed in the window.
 * @param seconds     length of the window.
 * @param utimeTicks  server user CPU over the window in clock ticks, -1 when unknown.
 * @param stimeTicks  server system CPU over the window in clock ticks, -1 when unknown.
 * @param clockTicks  clock ticks per second.
 * @param sleeps      voluntary context switches of all server threads over the window (stream mode: how often the
 *                    server blocked waiting for work), -1 when unknown.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public record LoadResult(
    String mode, long messages, long bytes, double seconds, long utimeTicks, long stimeTicks, long clockTicks,
    long sleeps)
{
    /** The prefix of the line the load generator prints. */
    public static final String PREFIX = "RESULT ";

    /**
     * @param line a line starting with {@link #PREFIX}.
     * @return the parsed result.
     * @throws IllegalArgumentException if the line is not a result line or lacks a field ({@code sleeps} may be
     *     missing: the latency modes do not report it).
     */
    public static LoadResult parse(final String line)
    {
        if (!line.startsWith(PREFIX))
        {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        final Map<String, String> fields = new HashMap<>();
        for (final String pair : line.substring(PREFIX.length()).trim().split("\\s+"))
        {
            final int eq = pair.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("bad field '" + pair + "' in: " + line);
            }
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new LoadResult(
            field(fields, "mode", line),
            Long.parseLong(field(fields, "msgs", line)),
            Long.parseLong(field(fields, "bytes", line)),
            Double.parseDouble(field(fields, "seconds", line)),
            Long.parseLong(field(fields, "utime_ticks", line)),
            Long.parseLong(field(fields, "stime_ticks", line)),
            Long.parseLong(field(fields, "clk_tck", line)),
            Long.parseLong(fields.getOrDefault("sleeps", "-1")));
    }

    private static String field(final Map<String, String> fields, final String name, final String line)
    {
        final String value = fields.get(name);
        if (null == value)
        {
            throw new IllegalArgumentException("no " + name + " in: " + line);
        }
        return value;
    }

    /**
     * @return messages per second over the window.
     */
    public double messagesPerSecond()
    {
        return seconds > 0 ? messages / seconds : Double.NaN;
    }

    /**
     * @return MB (10^6 bytes) per second over the window.
     */
    public double megabytesPerSecond()
    {
        return seconds > 0 ? bytes / seconds / 1e6 : Double.NaN;
    }

    /**
     * @return server user CPU over the window in ns, -1 when unknown.
     */
    public double userNs()
    {
        return utimeTicks < 0 || clockTicks <= 0 ? -1 : utimeTicks * (1e9 / clockTicks);
    }

    /**
     * @return server user CPU ns per message, NaN when unknown.
     */
    public double userNsPerMessage()
    {
        return Stats.userNsPerMessage(utimeTicks, clockTicks, messages);
    }

    /**
     * @return times the server blocked waiting for work per 1000 messages echoed in the window, NaN when unknown.
     */
    public double sleepsPerThousandMessages()
    {
        return sleeps < 0 || messages <= 0 ? Double.NaN : sleeps * 1000.0 / messages;
    }
}
