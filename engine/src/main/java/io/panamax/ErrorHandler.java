package io.panamax;

/**
 * Receives exceptions thrown by callbacks, and failures the loop cannot return to anyone (a failed close of an
 * internal fd). The loop goes on after it returns.
 * <p>
 * <b>Thread-safety:</b> called on the loop thread of the base it was given to; it must not throw (what it
 * throws is dropped) and should not block.
 */
@FunctionalInterface
public interface ErrorHandler
{
    /**
     * @param error what was thrown or what failed.
     */
    void onError(Throwable error);
}
