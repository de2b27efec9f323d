package io.panamax.internal.loop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Process-wide signal plumbing: one {@code sun.misc.Signal} handler per signal while any loop has an event on it,
 * forwarding each delivery to every such loop through its cross-thread inbox (the JVM runs handlers on its own
 * thread). When the last event of a signal goes, the handler that was there before is put back.
 * Signal numbers come from the JVM ({@code sun.misc.Signal.getNumber()}), so no ABI number is written here.
 * {@code sun.misc} (module {@code jdk.unsupported}) is reached through method handles: javac warns about any
 * direct use of it, with no way to suppress the warning, and the build treats warnings as errors.
 * <p>
 * <b>Thread-safety:</b> thread safe (registration is synchronized; delivery reads a copy-on-write list).
 */
final class SignalHub
{
    /** Largest signal number accepted. */
    static final int MAX_SIGNAL = 64;

    private static final String[] NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS", "EMT", "INFO" };
    private static final String[] NAME_BY_NUMBER = new String[MAX_SIGNAL + 1];
    private static final Map<Integer, Registration> REGISTRATIONS = new HashMap<>();
    private static final Class<?> HANDLER_CLASS;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle GET_NUMBER;
    private static final MethodHandle HANDLE;

    static
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            HANDLER_CLASS = Class.forName("sun.misc.SignalHandler");
            final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            NEW_SIGNAL = lookup.findConstructor(signalClass, MethodType.methodType(void.class, String.class))
                .asType(MethodType.methodType(Object.class, String.class));
            GET_NUMBER = lookup.findVirtual(signalClass, "getNumber", MethodType.methodType(int.class))
                .asType(MethodType.methodType(int.class, Object.class));
            HANDLE = lookup.findStatic(signalClass, "handle", MethodType.methodType(HANDLER_CLASS, signalClass,
                HANDLER_CLASS)).asType(MethodType.methodType(Object.class, Object.class, Object.class));
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
        for (final String name : NAMES)
        {
            try
            {
                final int number = signalNumberOf(name);
                if (number > 0 && number <= MAX_SIGNAL && null == NAME_BY_NUMBER[number])
                {
                    NAME_BY_NUMBER[number] = name;
                }
            }
            catch (final IllegalArgumentException ignore)
            {
                // Not a signal on this OS.
            }
        }
    }

    private SignalHub()
    {
    }

    /**
     * @param name a signal name without "SIG" ({@code "HUP"}).
     * @return its number on this OS.
     * @throws IllegalArgumentException when unknown.
     */
    static int number(final String name)
    {
        final String bare = name.startsWith("SIG") ? name.substring(3) : name;
        return signalNumberOf(bare);
    }

    private static Object newSignal(final String name)
    {
        try
        {
            return (Object)NEW_SIGNAL.invokeExact(name);
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int signalNumberOf(final String name)
    {
        try
        {
            return (int)GET_NUMBER.invokeExact(newSignal(name));
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Object handle(final Object signal, final Object handler)
    {
        try
        {
            return (Object)HANDLE.invokeExact(signal, handler);
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param signum a signal number.
     * @return its name, or null when unknown.
     */
    static String name(final int signum)
    {
        return signum > 0 && signum <= MAX_SIGNAL ? NAME_BY_NUMBER[signum] : null;
    }

    /**
     * Deliver {@code signum} to the loop until {@link #unregister}.
     *
     * @param signum the signal.
     * @param loop   the loop.
     * @throws IllegalArgumentException when the JVM does not let Java handle it (e.g. SIGKILL, or one the JVM
     *                                  uses itself).
     */
    static synchronized void register(final int signum, final Loop loop)
    {
        Registration registration = REGISTRATIONS.get(signum);
        if (null == registration)
        {
            final String name = name(signum);
            if (null == name)
            {
                throw new IllegalArgumentException("unknown signal number " + signum);
            }
            registration = new Registration(signum);
            final Object signal = newSignal(name);
            registration.previous = handle(signal, registration.proxy);
            registration.signal = signal;
            REGISTRATIONS.put(signum, registration);
        }
        registration.loops.add(loop);
    }

    /**
     * Stop delivering to the loop (once per {@link #register}); the last one restores the previous handler.
     *
     * @param signum the signal.
     * @param loop   the loop.
     */
    static synchronized void unregister(final int signum, final Loop loop)
    {
        final Registration registration = REGISTRATIONS.get(signum);
        if (null == registration)
        {
            return;
        }
        registration.loops.remove(loop);
        if (registration.loops.isEmpty())
        {
            REGISTRATIONS.remove(signum);
            handle(registration.signal, registration.previous);
        }
    }

    private static final class Registration
    {
        final int signum;
        final CopyOnWriteArrayList<Loop> loops = new CopyOnWriteArrayList<>();
        final Object proxy;
        Object signal;
        Object previous;

        Registration(final int signum)
        {
            this.signum = signum;
            this.proxy = Proxy.newProxyInstance(SignalHub.class.getClassLoader(), new Class<?>[]{ HANDLER_CLASS },
                (self, method, args) ->
                {
                    switch (method.getName())
                    {
                        case "handle" ->
                        {
                            deliver();
                            return null;
                        }
                        case "hashCode" ->
                        {
                            return System.identityHashCode(self);
                        }
                        case "equals" ->
                        {
                            return self == args[0];
                        }
                        default ->
                        {
                            return "SignalHub.Registration(" + signum + ")";
                        }
                    }
                });
        }

        void deliver()
        {
            for (final Loop loop : loops)
            {
                loop.signalRaised(signum);
            }
        }
    }
}
