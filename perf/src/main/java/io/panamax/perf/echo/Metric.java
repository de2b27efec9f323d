package io.panamax.perf.echo;

/**
 * One figure the echo benchmark reports per server and round.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public enum Metric
{
    /** Ping-pong round trip, median. */
    PING_P50("ping-pong p50", "µs", false),
    /** Ping-pong round trip, 90th percentile. */
    PING_P90("ping-pong p90", "µs", false),
    /** Ping-pong round trip, 99th percentile. */
    PING_P99("ping-pong p99", "µs", false),
    /** Ping-pong round trip, 99.9th percentile. */
    PING_P999("ping-pong p99.9", "µs", false),
    /** Ping-pong round trip, worst. */
    PING_MAX("ping-pong max", "µs", false),
    /** Fixed-rate round trip from the intended send time, median. */
    FIXED_P50("fixed-rate p50", "µs", false),
    /** Fixed-rate round trip from the intended send time, 99th percentile. */
    FIXED_P99("fixed-rate p99", "µs", false),
    /** Fixed-rate round trip from the intended send time, 99.9th percentile. */
    FIXED_P999("fixed-rate p99.9", "µs", false),
    /** Fixed-rate round trip from the intended send time, worst. */
    FIXED_MAX("fixed-rate max", "µs", false),
    /** 64-byte messages echoed per second, 50 connections x 16 in flight. */
    THROUGHPUT("throughput", "k msgs/s", true),
    /** Server user CPU per echoed message in the throughput window. */
    USER_NS_PER_MSG("server user CPU/msg", "ns", false),
    /**
     * Times the server blocked waiting for work per 1000 messages in the throughput window (voluntary context
     * switches of its threads): high in the rounds where it drains one connection per wait and sleeps between.
     */
    SLEEPS_PER_KMSG("server sleeps", "per 1k msgs", false),
    /** 16 KiB messages echoed, MB (10^6 bytes) per second. */
    BULK("bulk", "MB/s", true),
    /** CPU time the hypervisor gave other guests while this server's modes ran (all CPUs, {@link HostSteal}). */
    HOST_STEAL("host steal", "ms", false);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(final String label, final String unit, final boolean higherIsBetter)
    {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * @return the column heading without the unit.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the unit the values are stored and shown in.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * @return true for rates (bigger is better), false for times and costs.
     */
    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }
}
