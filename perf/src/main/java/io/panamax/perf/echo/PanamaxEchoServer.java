package io.panamax.perf.echo;

import io.panamax.BevDataCallback;
import io.panamax.BevEvent;
import io.panamax.BevEventCallback;
import io.panamax.BevOpt;
import io.panamax.BufferEvent;
import io.panamax.ConnListener;
import io.panamax.Ev;
import io.panamax.EvBuffer;
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
 * {@code panamax}: the Panamax echo server of issue 6, written as a libevent user writes one: a {@link ConnListener}
 * hands each connection to a socket {@link BufferEvent} whose read callback moves the whole input buffer to the
 * output buffer ({@code addBuffer}, zero-copy), TCP_NODELAY on every connection, reads sized without FIONREAD, at
 * most 64 KiB per read and per write (as the other servers' buffers).
 * <p>
 * Usage: {@code PanamaxEchoServer PORT} (binds 127.0.0.1).
 * <p>
 * <b>Thread-safety:</b> single-threaded; everything runs on the thread that calls {@link #run()}, the base's owner.
 */
public final class PanamaxEchoServer
{
    /** Bytes per read and per write: 64 KiB, the buffer size of the C floor, jdk-nio and panamax-ffm-raw. */
    private static final long MAX_SINGLE = 64 * 1024;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
    private final BevDataCallback onRead = bev -> bev.output().addBuffer(bev.input());
    private final BevEventCallback onEvent = PanamaxEchoServer::onEvent;
    private final EventBase base;
    private final ConnListener listener;

    PanamaxEchoServer(final int port)
    {
        base = EventBase.create();
        listener = ConnListener.bind(base, this::onAccept, LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE, 1024,
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
        System.out.println("panamax: echoing on 127.0.0.1:" + args[0] + " (" + server.base.method() + ")");
        server.run();
    }

    private void onAccept(final ConnListener from, final int fd, final SocketAddress peer)
    {
        SocketOptions.setsockoptInt(callState, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, 1, scratch);
        final BufferEvent bev = BufferEvent.socket(base, fd, BevOpt.CLOSE_ON_FREE);
        // Size each read by maxSingleRead instead of asking the kernel first: one ioctl(FIONREAD) fewer per message.
        bev.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
        // libevent's default of 16 KiB per read and write made bulk take four loop turns where the floor takes one.
        bev.setMaxSingleRead(MAX_SINGLE);
        bev.setMaxSingleWrite(MAX_SINGLE);
        bev.setCallbacks(onRead, null, onEvent);
        bev.enable(Ev.READ | Ev.WRITE);
    }

    private static void onEvent(final BufferEvent bev, final int what)
    {
        if (0 != (what & (BevEvent.EOF | BevEvent.ERROR)))
        {
            bev.close();
        }
    }

    /** The loop: the engine's dispatch, with all set-up done in the constructor. */
    void run()
    {
        base.dispatch();
        listener.close();
        base.close();
    }
}
