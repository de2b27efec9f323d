package io.panamax.internal.net;

import io.panamax.ffm.AddrinfoDescriptor;
import io.panamax.ffm.NetDb;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Name resolution off the event loop: {@code getaddrinfo} on a small pool of daemon threads, the result handed to
 * a callback on that thread (which passes it to the loop).
 * <p>
 * <b>Thread-safety:</b> {@link #resolve} from any thread; the callback runs on a resolver thread.
 */
public final class Resolver
{
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task ->
    {
        final Thread thread = new Thread(task, "panamax-resolver");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Receives a lookup's outcome.
     * <p>
     * <b>Thread-safety:</b> called on a resolver thread.
     */
    @FunctionalInterface
    public interface Done
    {
        /**
         * @param addresses the addresses found (empty on failure).
         * @param eaiCode   0, or the {@code EAI_*} code of the failure.
         */
        void onResolved(List<InetSocketAddress> addresses, int eaiCode);
    }

    private Resolver()
    {
    }

    /**
     * @return the {@code EAI_NONAME} code of this platform.
     */
    public static int noName()
    {
        return NetDb.EAI_NONAME;
    }

    /**
     * @param code an {@code EAI_*} code.
     * @return its name and message.
     */
    public static String describe(final int code)
    {
        return NetDb.describe(code);
    }

    /**
     * Resolve {@code host}:{@code port} for stream sockets on a resolver thread.
     *
     * @param host   the host name or numeric address.
     * @param port   the port.
     * @param family INET, INET6 or null for either.
     * @param done   receives the outcome.
     */
    public static void resolve(final String host, final int port, final ProtocolFamily family, final Done done)
    {
        THREADS.execute(() ->
        {
            List<InetSocketAddress> found = List.of();
            int code;
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment callState = io.panamax.ffm.Errno.allocateCallState(arena);
                final MemorySegment hints = arena.allocate(AddrinfoDescriptor.LAYOUT);
                hints.set(ValueLayout.JAVA_INT, AddrinfoDescriptor.FAMILY_OFFSET,
                    StandardProtocolFamily.INET == family ? Sockets.AF_INET :
                    StandardProtocolFamily.INET6 == family ? Sockets.AF_INET6 : Sockets.AF_UNSPEC);
                hints.set(ValueLayout.JAVA_INT, AddrinfoDescriptor.SOCKTYPE_OFFSET, Sockets.SOCK_STREAM);
                final MemorySegment result = arena.allocate(ValueLayout.ADDRESS);
                code = NetDb.getaddrinfo(callState, arena.allocateFrom(host), arena.allocateFrom(Integer.toString(port)),
                    hints, result);
                if (0 == code)
                {
                    final MemorySegment list = result.get(ValueLayout.ADDRESS, 0);
                    try
                    {
                        found = NetDb.addresses(list);
                    }
                    finally
                    {
                        NetDb.freeaddrinfo(list);
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                code = NetDb.EAI_FAIL;
            }
            done.onResolved(found, code);
        });
    }
}
