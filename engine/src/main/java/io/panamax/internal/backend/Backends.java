package io.panamax.internal.backend;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import io.panamax.ErrorHandler;
import io.panamax.EventBaseConfig;
import io.panamax.PanamaxException;
import io.panamax.ffm.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks and creates a {@link Backend} from an {@link EventBaseConfig}, as libevent's
 * {@code event_base_new_with_config} walks its {@code eventops} table: in the platform's order of preference,
 * skipping forced-out, avoided ({@code avoidMethod}, or {@code EVENT_NO<METHOD>} in the environment unless
 * {@code FLAG_IGNORE_ENV}) and under-featured backends.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class Backends
{
    private Backends()
    {
    }

    /**
     * @return the backends that can run here, best first (libevent's {@code event_get_supported_methods}).
     */
    public static List<String> supportedMethods()
    {
        if (Platform.IS_LINUX)
        {
            return List.of("epoll", "poll");
        }
        return Platform.IS_MACOS ? List.of("kqueue", "poll") : List.of("poll");
    }

    /**
     * @param method a backend name.
     * @return its {@code FEATURE_*} bits, or -1 when unknown.
     */
    public static int features(final String method)
    {
        return switch (method)
        {
            case "epoll" -> EventBaseConfig.FEATURE_ET | EventBaseConfig.FEATURE_O1 |
                EventBaseConfig.FEATURE_EARLY_CLOSE;
            case "kqueue" -> KqueueBackend.FEATURES;
            case "poll" -> EventBaseConfig.FEATURE_FDS;
            default -> -1;
        };
    }

    /**
     * @param config the configuration.
     * @return the name of the backend the configuration selects.
     * @throws PanamaxException when none qualifies.
     */
    public static String choose(final EventBaseConfig config)
    {
        final boolean useEnv = 0 == (config.flags() & EventBaseConfig.FLAG_IGNORE_ENV);
        if (null != config.method() && !supportedMethods().contains(config.method()))
        {
            throw new PanamaxException("kqueue".equals(config.method()) ? KqueueBackend.unavailableMessage() :
                "backend " + config.method() + " is not available here; supported " + supportedMethods());
        }
        final List<String> rejected = new ArrayList<>();
        for (final String method : supportedMethods())
        {
            if (null != config.method() && !config.method().equals(method))
            {
                continue;
            }
            if (config.avoidedMethods().contains(method))
            {
                rejected.add(method + " (avoided)");
                continue;
            }
            if (useEnv && null != System.getenv("EVENT_NO" + method.toUpperCase(Locale.ROOT)))
            {
                rejected.add(method + " (EVENT_NO" + method.toUpperCase(Locale.ROOT) + ")");
                continue;
            }
            if ((features(method) & config.requiredFeatures()) != config.requiredFeatures())
            {
                rejected.add(method + " (lacks features 0x" +
                    Integer.toHexString(config.requiredFeatures() & ~features(method)) + ")");
                continue;
            }
            return method;
        }
        throw new PanamaxException("no event backend fits the configuration" +
            (null != config.method() ? " (method " + config.method() + " requested)" : "") +
            "; supported " + supportedMethods() + ", rejected " + rejected);
    }

    /**
     * @param method       a name from {@link #choose}.
     * @param errorHandler receives failures the backend cannot return.
     * @return a new backend.
     * @throws PanamaxException when the backend cannot run here (kqueue off macOS, epoll off Linux), before
     *                          any of its symbols is linked.
     */
    public static Backend create(final String method, final ErrorHandler errorHandler)
    {
        if (!supportedMethods().contains(method))
        {
            throw new PanamaxException("kqueue".equals(method) ? KqueueBackend.unavailableMessage() :
                "backend not available on this platform: " + method + "; supported " + supportedMethods());
        }
        return switch (method)
        {
            case "epoll" -> new EpollBackend(errorHandler);
            case "kqueue" -> new KqueueBackend(errorHandler);
            case "poll" -> new PollBackend();
            default -> throw new PanamaxException("backend not available on this platform: " + method);
        };
    }

    /**
     * Close a backend's kernel fd, reporting a failure to the error handler, then its scratch arena (which holds the
     * call state the close used) whatever the close returned. A failed close is reported like every failure inside a
     * loop, never thrown.
     *
     * @param arena        the backend's scratch arena, closed last.
     * @param callState    the backend's call-state segment (from that arena).
     * @param fd           the descriptor.
     * @param what         its name in the report, e.g. {@code "epoll fd"}.
     * @param errorHandler where a failed close(2) is reported.
     */
    static void closeKernelFd(
        final Arena arena, final MemorySegment callState, final int fd, final String what,
        final ErrorHandler errorHandler)
    {
        try
        {
            final int rc = Libc.close(callState, fd);
            if (rc < 0)
            {
                errorHandler.onError(
                    new PanamaxException("close(" + what + " " + fd + "): " + Errno.describe(-rc), -rc));
            }
        }
        finally
        {
            arena.close();
        }
    }
}
