package io.panamax.ffm;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The injectable syscall seam for tests: make chosen calls fail with a chosen errno, or transfer fewer bytes than
 * asked, for the next N calls or until cleared.
 * <p>
 * Off unless the JVM starts with {@code -Dpanamax.syscall.faults=true} ({@link #PROPERTY}). Every wrapper's check
 * is guarded by the {@code static final} {@link #ENABLED}, so when the seam is off the JIT folds the check away and
 * it costs nothing. The test JVMs of ffm-bindings and engine turn it on (their poms' {@code panamax.test.extraArgs}).
 * <p>
 * An injected failure does not make the call at all: the wrapper stores the errno in the caller's call-state
 * segment and returns {@code -errno}, as a real failure would ({@code getaddrinfo} returns {@code EAI_SYSTEM} with
 * the errno). A short count makes the real call with a smaller length: {@code read}, {@code write}, {@code send},
 * {@code recv} with {@code min(count, maxBytes)}; {@code readv}/{@code writev}/{@code sendmsg} with the iovec array
 * cut at {@code maxBytes} (the entry where the cut falls is shortened for the call and restored after it).
 * <p>
 * Every wrapper of this module that can fail passes through the seam, one {@link Call} per wrapper family; only
 * {@code strerror}, {@code gai_strerror} and {@code freeaddrinfo}, which cannot fail, do not. Helpers built on
 * wrappers ({@link Libc#setFlags}, {@link Sockets#socketNonBlocking}, the int and linger option helpers) fail
 * where the wrapper they call does.
 * <p>
 * <b>Thread-safety:</b> arm and clear from any thread; an armed fault fires on whichever thread makes the next
 * matching call (e.g. the event loop's), each arming firing exactly its count of times.
 */
public final class SyscallFaults
{
    /** The system property that turns the seam on. */
    public static final String PROPERTY = "panamax.syscall.faults";
    /** True when the JVM started with {@code -Dpanamax.syscall.faults=true}; fixed for the JVM's life. */
    public static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    /** A count meaning "every call until {@link #clear(Call)}". */
    public static final int UNTIL_CLEARED = Integer.MAX_VALUE;

    /**
     * The calls a fault can be armed for: one per wrapper family of this module.
     * <p>
     * <b>Thread-safety:</b> immutable.
     */
    public enum Call
    {
        /** {@link Libc#read} and {@link Libc#readToAddress}. */
        READ,
        /** {@link Libc#write}. */
        WRITE,
        /** {@link Libc#readv}. */
        READV,
        /** {@link Libc#writev}. */
        WRITEV,
        /** {@link Sockets#send} and {@link Sockets#sendFromAddress}. */
        SEND,
        /** {@link Sockets#recv}. */
        RECV,
        /** {@link Sockets#sendmsg}. */
        SENDMSG,
        /** {@link SendFile}. */
        SENDFILE,
        /** {@link Sockets#socket} and {@link Sockets#socketNonBlocking}. */
        SOCKET,
        /** {@link Sockets#socketpair}. */
        SOCKETPAIR,
        /** {@link Sockets#bind}. */
        BIND,
        /** {@link Sockets#listen}. */
        LISTEN,
        /** {@link Sockets#accept}. */
        ACCEPT,
        /** {@link Sockets#connect}. */
        CONNECT,
        /** {@link SocketOptions} getters. */
        GETSOCKOPT,
        /** {@link SocketOptions} setters. */
        SETSOCKOPT,
        /** {@link Sockets#getsockname}. */
        GETSOCKNAME,
        /** {@link Sockets#getpeername}. */
        GETPEERNAME,
        /** {@link Sockets#shutdown}. */
        SHUTDOWN,
        /** {@link Libc#close}. */
        CLOSE,
        /** {@link Libc#open}. */
        OPEN,
        /** {@link Libc#pipe2}. */
        PIPE,
        /** {@link Libc#fcntl}. */
        FCNTL,
        /** {@link Libc#ioctlFionread}. */
        IOCTL,
        /** {@link Libc#poll}. */
        POLL,
        /** {@link Epoll#epollCreate1}. */
        EPOLL_CREATE,
        /** {@link Epoll#epollCtl}. */
        EPOLL_CTL,
        /** {@link Epoll#epollWait}. */
        EPOLL_WAIT,
        /** {@link EventFd#eventfd}. */
        EVENTFD,
        /** {@link Kqueue#kqueue}. */
        KQUEUE,
        /** {@link Kqueue#kevent}. */
        KEVENT,
        /** {@link NetDb#getaddrinfo}. */
        GETADDRINFO,
        /** {@link Libc#getrlimit}. */
        GETRLIMIT,
        /** {@link Libc#setrlimit}. */
        SETRLIMIT,
        /** {@link Signals#pthreadSigmask}, {@link Signals#sigpending} and {@link Signals#sigwait}. */
        SIGMASK,
        /** {@link Libc#dup} and {@link Libc#dup2}. */
        DUP
    }

    private static final AtomicReferenceArray<Fault> FAULTS = new AtomicReferenceArray<>(Call.values().length);

    private SyscallFaults()
    {
    }

    /**
     * Make the next {@code times} calls of {@code call} fail with {@code errno} without reaching the kernel.
     *
     * @param call  the call.
     * @param errno a positive errno of this platform, e.g. {@link Errno#EINTR}.
     * @param times how many calls, or {@link #UNTIL_CLEARED}.
     * @throws IllegalStateException when the seam is off.
     */
    public static void failNext(final Call call, final int errno, final int times)
    {
        if (errno <= 0)
        {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        arm(call, new Fault(errno, -1, times));
    }

    /**
     * Make the next {@code times} calls of {@code call} transfer at most {@code maxBytes} (for real).
     *
     * @param call     {@link Call#READ}, {@link Call#WRITE}, {@link Call#READV}, {@link Call#WRITEV},
     *                 {@link Call#SEND}, {@link Call#RECV} or {@link Call#SENDMSG}.
     * @param maxBytes the most bytes each of those calls may move; at least 1.
     * @param times    how many calls, or {@link #UNTIL_CLEARED}.
     * @throws IllegalStateException when the seam is off.
     */
    public static void shortenNext(final Call call, final long maxBytes, final int times)
    {
        if (maxBytes < 1)
        {
            throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
        }
        switch (call)
        {
            case READ, WRITE, READV, WRITEV, SEND, RECV, SENDMSG -> arm(call, new Fault(0, maxBytes, times));
            default -> throw new IllegalArgumentException(call + " has no byte count to shorten");
        }
    }

    /**
     * Remove any fault armed for {@code call}: its next call is real again.
     *
     * @param call the call.
     */
    public static void clear(final Call call)
    {
        FAULTS.set(call.ordinal(), null);
    }

    /**
     * Remove every armed fault.
     */
    public static void clearAll()
    {
        for (int i = 0; i < FAULTS.length(); i++)
        {
            FAULTS.set(i, null);
        }
    }

    /**
     * @param call the call.
     * @return how many more calls the fault armed for {@code call} affects (0 when none is armed).
     */
    public static int pending(final Call call)
    {
        final Fault fault = FAULTS.get(call.ordinal());
        return null == fault ? 0 : Math.max(0, fault.remaining.get());
    }

    private static void arm(final Call call, final Fault fault)
    {
        if (!ENABLED)
        {
            throw new IllegalStateException(
                "the syscall fault seam is off: start the JVM with -D" + PROPERTY + "=true");
        }
        if (fault.remaining.get() < 1)
        {
            throw new IllegalArgumentException("times must be at least 1: " + fault.remaining.get());
        }
        FAULTS.set(call.ordinal(), fault);
    }

    /**
     * Called by wrappers (only when {@link #ENABLED}): consume an errno fault armed for {@code call}.
     *
     * @return true when the call must fail; the errno is then in {@code callState}.
     */
    static boolean fail(final Call call, final MemorySegment callState)
    {
        final Fault fault = FAULTS.get(call.ordinal());
        if (null == fault || 0 == fault.errno || !consume(call, fault))
        {
            return false;
        }
        Errno.errno(callState, fault.errno);
        return true;
    }

    /**
     * Called by wrappers (only when {@link #ENABLED}): consume a short-count fault armed for {@code call}.
     *
     * @return the most bytes the call may move, or -1 when it is not shortened.
     */
    static long shortCount(final Call call)
    {
        final Fault fault = FAULTS.get(call.ordinal());
        if (null == fault || fault.maxBytes < 0 || !consume(call, fault))
        {
            return -1;
        }
        return fault.maxBytes;
    }

    private static boolean consume(final Call call, final Fault fault)
    {
        final AtomicInteger remaining = fault.remaining;
        while (true)
        {
            final int left = remaining.get();
            if (UNTIL_CLEARED == left)
            {
                return true;
            }
            if (left <= 0)
            {
                FAULTS.compareAndSet(call.ordinal(), fault, null);
                return false;
            }
            if (remaining.compareAndSet(left, left - 1))
            {
                if (1 == left)
                {
                    FAULTS.compareAndSet(call.ordinal(), fault, null);
                }
                return true;
            }
        }
    }

    private static final class Fault
    {
        private final int errno;
        private final long maxBytes;
        private final AtomicInteger remaining;

        private Fault(final int errno, final long maxBytes, final int times)
        {
            this.errno = errno;
            this.maxBytes = maxBytes;
            this.remaining = new AtomicInteger(times);
        }
    }
}
