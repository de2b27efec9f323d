package io.panamax;

import io.panamax.ffm.Errno;

/**
 * A failed setup call or a misuse of the API, with the syscall, its argument and the errno name in the message,
 * e.g. {@code bind(127.0.0.1:80): EACCES (Permission denied)}.
 * <p>
 * I/O in flight never throws this: it reports counts, {@code -1} and event bits instead.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public class PanamaxException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param message what failed.
     */
    public PanamaxException(final String message)
    {
        this(message, 0);
    }

    /**
     * @param message what failed.
     * @param errno   the positive errno, or 0 when no system call failed.
     */
    public PanamaxException(final String message, final int errno)
    {
        super(message);
        this.errno = errno;
    }

    /**
     * @param message what failed.
     * @param cause   the underlying failure.
     */
    public PanamaxException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.errno = 0;
    }

    /**
     * @return the positive errno of the failed call, or 0 when none.
     */
    public int errno()
    {
        return errno;
    }

    /**
     * Throw when a binding returned {@code -errno}.
     *
     * @param rc     the binding's result.
     * @param call   the syscall's name, e.g. {@code "bind"}.
     * @param detail its argument as a user would recognise it, e.g. {@code "127.0.0.1:80"}.
     * @return {@code rc} when it is not negative.
     * @throws PanamaxException {@code call(detail): ENAME (message)} when {@code rc < 0}.
     */
    public static long check(final long rc, final String call, final String detail)
    {
        if (rc < 0)
        {
            final int errno = (int)-rc;
            throw new PanamaxException(call + "(" + detail + "): " + Errno.describe(errno), errno);
        }
        return rc;
    }
}
