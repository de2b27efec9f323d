package io.panamax.ffm;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Names and values of one platform's C constants, selected from a two-column (Linux, macOS) source.
 * <p>
 * A constant one OS lacks (e.g. {@code SO_NOSIGPIPE} on Linux, {@code SOCK_NONBLOCK} on macOS) is <em>absent</em>:
 * {@link #has(String)} is false, and the {@code static final int} fields built from the table hold 0 for it, so an
 * absent flag ORed into a flag word changes nothing. Absent option or command numbers must not be passed to the
 * kernel: each such field is documented as platform-only and paired with a {@code HAS_...} boolean.
 * <p>
 * <b>Thread-safety:</b> effectively immutable once returned by a {@code table(Platform)} method.
 */
public final class ConstantTable
{
    private final Map<String, long[]> columns = new LinkedHashMap<>();
    private final Map<String, Long> byName = new LinkedHashMap<>();
    private final Map<Long, String> byValue = new HashMap<>();
    private final Set<String> known = new HashSet<>();

    ConstantTable()
    {
    }

    /** A constant defined on both OSes (x86_64 and arm64 agree on each OS). */
    ConstantTable put(final String name, final long linux, final long macOs)
    {
        return column(name, new long[]{ 1, linux, 1, macOs });
    }

    /** A constant only Linux defines. */
    ConstantTable linuxOnly(final String name, final long linux)
    {
        return column(name, new long[]{ 1, linux, 0, 0 });
    }

    /** A constant only macOS defines. */
    ConstantTable macOnly(final String name, final long macOs)
    {
        return column(name, new long[]{ 0, 0, 1, macOs });
    }

    private ConstantTable column(final String name, final long[] presentAndValues)
    {
        if (null != columns.put(name, presentAndValues) || !known.add(name))
        {
            throw new IllegalStateException("constant defined twice: " + name);
        }
        return this;
    }

    /** Keep the column of {@code platform}; the table is read-only afterwards. */
    ConstantTable select(final Platform platform)
    {
        final int column = platform.isLinux() ? 0 : 2;
        columns.forEach((name, v) ->
        {
            if (0 != v[column])
            {
                byName.put(name, v[column + 1]);
                byValue.putIfAbsent(v[column + 1], name);
            }
        });
        columns.clear();
        return this;
    }

    /**
     * @param name a C constant name such as {@code "SO_REUSEADDR"}.
     * @return true when the table's platform defines it.
     * @throws IllegalArgumentException when the name is not in the table for any platform.
     */
    public boolean has(final String name)
    {
        checkKnown(name);
        return byName.containsKey(name);
    }

    /**
     * @param name a C constant name.
     * @return its value as a {@code long}, or 0 when the table's platform lacks it.
     * @throws IllegalArgumentException when the name is not in the table for any platform.
     */
    public long longValue(final String name)
    {
        checkKnown(name);
        final Long value = byName.get(name);
        return null == value ? 0 : value;
    }

    /**
     * @param name a C constant name whose value fits an {@code int} (bit 31 set is allowed: {@code 0x80000000}).
     * @return its value, or 0 when the table's platform lacks it.
     * @throws IllegalArgumentException when the name is not in the table for any platform.
     */
    public int value(final String name)
    {
        return (int)longValue(name);
    }

    /**
     * @param value a value.
     * @return the first name with that value in declaration order, or {@code null}.
     */
    public String name(final long value)
    {
        return byValue.get(value);
    }

    /**
     * @return every name the table knows, defined on its platform or not.
     */
    public Set<String> knownNames()
    {
        return Collections.unmodifiableSet(known);
    }

    private void checkKnown(final String name)
    {
        if (!known.contains(name))
        {
            throw new IllegalArgumentException("unknown constant: " + name);
        }
    }

    /**
     * @return every name the table's platform defines, in declaration order.
     */
    public Set<String> names()
    {
        return Collections.unmodifiableSet(byName.keySet());
    }
}
