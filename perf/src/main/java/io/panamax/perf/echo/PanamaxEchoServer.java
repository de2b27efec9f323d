package io.panamax.perf.echo;

import io.panamax.BevDataCallback;
import io.panamax.BevEvent;
import io.panamax.BevEventCallback;
import io.panamax.BevOpt;
import io.panamax.BufferEvent;
import io.panamax.ConnListener;
import io.panamax.ConnListenerCallback;
import io.panamax.Ev;
import io.panamax.EventBase;
import io.panamax.LevOpt;
import io.panamax.ffm.Errno;
import io.panamax.ffm.SocketOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@code panamax}: the Panamax echo server of the harness, written as a libevent user writes one: a
 * {@link ConnListener} on 127.0.0.1, one socket {@link BufferEvent} per connection (TCP_NODELAY, closed with its
 * fd), and a read callback that moves the input to the output without copying ({@code writeBuffer}, libevent's
 * {@code evbuffer_add_buffer}). Usage: {@code PanamaxEchoServer PORT}.
 * <p>
 * Set-up happens in the constructor; {@link #run()} only calls {@link #runOnce()}, one loop pass per call, so the
 * JIT compiles the pass normally instead of by on-stack replacement.
 * <p>
 * <b>Thread-safety:</b> single-threaded; everything runs on the thread that created it.
 */
public final class PanamaxEchoServer
{
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
    private final BevDataCallback echo = bev -> bev.writeBuffer(bev.input());
    private final BevEventCallback onEvent = this::onEvent;
    private final ConnListenerCallback onAccept = this::onAccept;
    private final EventBase base;
    private final ConnListener listener;

    PanamaxEchoServer(final int port)
    {
        base = EventBase.create();
        listener = ConnListener.bind(base, onAccept, LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE, 1024,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Run the server until the process is killed.
     *
     * @param args {@code PORT}.
     */
    public static void main(final String[] args)
    {
        if (args.length != 1)
        {
            System.err.println("usage: PanamaxEchoServer PORT");
            System.exit(2);
        }
        ParentWatch.startIfAsked();
        final PanamaxEchoServer server = new PanamaxEchoServer(Integer.parseInt(args[0]));
        System.out.println("panamax: echoing on " + server.listener.localAddress() + " (" + server.base.method() +
            ")");
        server.run();
    }

    private void onAccept(final ConnListener l, final int fd, final SocketAddress peer)
    {
        SocketOptions.setsockoptInt(callState, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, 1, scratch);
        final BufferEvent bev = BufferEvent.socket(base, fd, BevOpt.CLOSE_ON_FREE);
        bev.setCallbacks(echo, null, onEvent);
        bev.enable(Ev.READ);
    }

    private void onEvent(final BufferEvent bev, final int what)
    {
        if (0 != (what & (BevEvent.EOF | BevEvent.ERROR)))
        {
            bev.close();
        }
    }

    /**
     * The loop and nothing else.
     */
    void run()
    {
        while (true)
        {
            runOnce();
        }
    }

    /** One pass: wait for readiness, run what became active. */
    void runOnce()
    {
        base.loop(EventBase.LOOP_ONCE);
    }
}
