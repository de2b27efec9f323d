package io.panamax.internal.loop;

import io.panamax.PanamaxException;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Agrona 2.x needs {@code jdk.internal.misc} at class initialisation and fails with an obscure
 * {@code IllegalAccessError}/{@code ExceptionInInitializerError} without it. This turns that into a message
 * naming the JVM flag, checked before any Agrona class is initialised.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
final class AgronaCheck
{
    /** The flag on the class path. */
    static final String CLASS_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** The flag on the module path. */
    static final String MODULE_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=org.agrona";

    private static volatile boolean verified;

    private AgronaCheck()
    {
    }

    /**
     * @throws PanamaxException naming the missing flag.
     */
    static void verify()
    {
        if (verified)
        {
            return;
        }
        // A class literal loads but does not initialise the class.
        final Module agrona = ManyToOneConcurrentArrayQueue.class.getModule();
        if (!Object.class.getModule().isExported("jdk.internal.misc", agrona))
        {
            throw failure(null);
        }
        verified = true;
    }

    /**
     * @param cause what Agrona threw, or null.
     * @return the exception to throw.
     */
    static PanamaxException failure(final Throwable cause)
    {
        final String message = "Panamax needs Agrona, which needs the JVM flag " + CLASS_PATH_FLAG +
            " (class path) or " + MODULE_PATH_FLAG + " (module path); start the JVM with it";
        return null == cause ? new PanamaxException(message) : new PanamaxException(message, cause);
    }
}
