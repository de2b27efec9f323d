package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Name resolution: {@code getaddrinfo}, {@code freeaddrinfo}, {@code gai_strerror} and their constants
 * (native-abi.md §2.7, §3.15). {@code EAI_*} codes are <b>negative on Linux and positive on macOS</b>: compare only
 * with the constants here, and never negate them.
 * <p>
 * {@code getaddrinfo} may block for a long time (DNS), so it is not critical; call it off the event loop.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
@SuppressWarnings("restricted")
public final class NetDb
{
    /** Addresses for bind (wildcard when node is NULL). */
    public static final int AI_PASSIVE = Constants.TABLE.value("AI_PASSIVE");
    /** Fill ai_canonname. */
    public static final int AI_CANONNAME = Constants.TABLE.value("AI_CANONNAME");
    /** node is numeric: no DNS. */
    public static final int AI_NUMERICHOST = Constants.TABLE.value("AI_NUMERICHOST");
    /** IPv4-mapped IPv6 results (0x8 Linux, 0x800 macOS). */
    public static final int AI_V4MAPPED = Constants.TABLE.value("AI_V4MAPPED");
    /** With AI_V4MAPPED: both kinds (0x10 Linux, 0x100 macOS). */
    public static final int AI_ALL = Constants.TABLE.value("AI_ALL");
    /** Only families configured on this host (0x20 Linux, 0x400 macOS). */
    public static final int AI_ADDRCONFIG = Constants.TABLE.value("AI_ADDRCONFIG");
    /** service is numeric (0x400 Linux, 0x1000 macOS). */
    public static final int AI_NUMERICSERV = Constants.TABLE.value("AI_NUMERICSERV");
    /** Bad ai_flags. */
    public static final int EAI_BADFLAGS = Constants.TABLE.value("EAI_BADFLAGS");
    /** Name or service not known. */
    public static final int EAI_NONAME = Constants.TABLE.value("EAI_NONAME");
    /** Temporary failure in name resolution. */
    public static final int EAI_AGAIN = Constants.TABLE.value("EAI_AGAIN");
    /** Non-recoverable failure. */
    public static final int EAI_FAIL = Constants.TABLE.value("EAI_FAIL");
    /** No address for the name. */
    public static final int EAI_NODATA = Constants.TABLE.value("EAI_NODATA");
    /** ai_family not supported. */
    public static final int EAI_FAMILY = Constants.TABLE.value("EAI_FAMILY");
    /** ai_socktype not supported. */
    public static final int EAI_SOCKTYPE = Constants.TABLE.value("EAI_SOCKTYPE");
    /** Service not supported for the socket type. */
    public static final int EAI_SERVICE = Constants.TABLE.value("EAI_SERVICE");
    /** No address in the requested family. */
    public static final int EAI_ADDRFAMILY = Constants.TABLE.value("EAI_ADDRFAMILY");
    /** Out of memory. */
    public static final int EAI_MEMORY = Constants.TABLE.value("EAI_MEMORY");
    /** System error: see errno. */
    public static final int EAI_SYSTEM = Constants.TABLE.value("EAI_SYSTEM");
    /** Argument buffer overflow. */
    public static final int EAI_OVERFLOW = Constants.TABLE.value("EAI_OVERFLOW");
    /** Host-name buffer size for getnameinfo. */
    public static final int NI_MAXHOST = Constants.TABLE.value("NI_MAXHOST");
    /** Service-name buffer size for getnameinfo. */
    public static final int NI_MAXSERV = Constants.TABLE.value("NI_MAXSERV");

    private static final MethodHandle GETADDRINFO = NativeLibrary.blocking("getaddrinfo",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREEADDRINFO = NativeLibrary.plain("freeaddrinfo",
        FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle GAI_STRERROR = NativeLibrary.plain("gai_strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private NetDb()
    {
    }

    /**
     * {@code getaddrinfo(3)}.
     *
     * @param callState the caller's call-state segment (holds errno after {@link #EAI_SYSTEM}).
     * @param node      a NUL-terminated host name or numeric address, or {@link MemorySegment#NULL}.
     * @param service   a NUL-terminated service name or port, or NULL.
     * @param hints     one {@code struct addrinfo} ({@link AddrinfoDescriptor}) or NULL.
     * @param result    one pointer, set to the result list on success; free it with {@link #freeaddrinfo}.
     * @return 0, or an {@code EAI_*} code of this platform (not an errno, not negated).
     */
    public static int getaddrinfo(
        final MemorySegment callState, final MemorySegment node, final MemorySegment service,
        final MemorySegment hints, final MemorySegment result)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETADDRINFO, callState))
        {
            return EAI_SYSTEM;
        }
        try
        {
            return (int)GETADDRINFO.invokeExact(callState, node, service, hints, result);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getaddrinfo", ex);
        }
    }

    /**
     * {@code freeaddrinfo(3)}.
     *
     * @param list the list {@link #getaddrinfo} returned (the pointer stored in its {@code result}).
     */
    public static void freeaddrinfo(final MemorySegment list)
    {
        try
        {
            FREEADDRINFO.invokeExact(list);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("freeaddrinfo", ex);
        }
    }

    /**
     * {@code gai_strerror(3)} (setup path; allocates).
     *
     * @param code an {@code EAI_*} code of this platform.
     * @return the C library's message.
     */
    public static String gaiStrerror(final int code)
    {
        try
        {
            return NativeLibrary.cString((MemorySegment)GAI_STRERROR.invokeExact(code), "EAI " + code);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("gai_strerror", ex);
        }
    }

    /**
     * @param code an {@code EAI_*} code of this platform.
     * @return its name, e.g. {@code "EAI_NONAME"}, or {@code "EAI N"} for an unknown code.
     */
    public static String eaiName(final int code)
    {
        for (final String name : Constants.TABLE.names())
        {
            if (name.startsWith("EAI_") && Constants.TABLE.value(name) == code)
            {
                return name;
            }
        }
        return "EAI " + code;
    }

    /**
     * @param code an {@code EAI_*} code of this platform.
     * @return name and message for an exception, e.g. {@code "EAI_NONAME (Name or service not known)"}.
     */
    public static String describe(final int code)
    {
        return eaiName(code) + " (" + gaiStrerror(code) + ")";
    }

    /**
     * Walk a result list and read every IPv4/IPv6 address in it (setup path; allocates).
     *
     * @param list the list {@link #getaddrinfo} returned.
     * @return the addresses in the list's order (entries of other families are skipped).
     */
    public static List<InetSocketAddress> addresses(final MemorySegment list)
    {
        final List<InetSocketAddress> out = new ArrayList<>();
        MemorySegment entry = list;
        while (!MemorySegment.NULL.equals(entry))
        {
            final MemorySegment ai = entry.reinterpret(AddrinfoDescriptor.LENGTH);
            final int family = ai.get(JAVA_INT, AddrinfoDescriptor.FAMILY_OFFSET);
            final int length = ai.get(JAVA_INT, AddrinfoDescriptor.ADDRLEN_OFFSET);
            final MemorySegment addr = ai.get(ADDRESS, AddrinfoDescriptor.ADDR_OFFSET);
            if ((Sockets.AF_INET == family || Sockets.AF_INET6 == family) && !MemorySegment.NULL.equals(addr))
            {
                final SocketAddress address = SocketAddresses.read(addr.reinterpret(length), length);
                out.add((InetSocketAddress)address);
            }
            entry = ai.get(ADDRESS, AddrinfoDescriptor.NEXT_OFFSET);
        }
        return out;
    }
}
