package io.panamax.perf.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Plain JDK NIO echo peer: one {@link Selector}, one shared direct {@link ByteBuffer} for reads, TCP_NODELAY.
 * Bytes a socket does not take are copied to the connection's own direct buffer (the key's attachment), and
 * reading that connection pauses until they are written.
 * <p>
 * Usage: {@code NioEchoServer PORT}.
 * <p>
 * <b>Thread-safety:</b> single-threaded; all work happens on the thread that calls {@link #run()}.
 */
public final class NioEchoServer
{
    private final Selector selector;
    private final ServerSocketChannel server;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

    NioEchoServer(final int port) throws IOException
    {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /**
     * Run the server until the process is killed.
     *
     * @param args {@code PORT}.
     * @throws IOException if the selector or listening socket fails.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: NioEchoServer PORT");
            System.exit(2);
        }
        ParentWatch.startIfAsked();
        final NioEchoServer echo = new NioEchoServer(Integer.parseInt(args[0]));
        System.out.println("jdk-nio: echoing on 127.0.0.1:" + args[0]);
        echo.run();
    }

    /** The loop: set-up stays in the constructor and each iteration is its own method, compiled early. */
    void run() throws IOException
    {
        while (selector.isOpen())
        {
            runOnce();
        }
    }

    /** One select and the work it reports. */
    void runOnce() throws IOException
    {
        selector.select();
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            if (!key.isValid())
            {
                continue;
            }
            if (key.isAcceptable())
            {
                accept();
            }
            else if (key.isWritable())
            {
                flushPending(key);
            }
            else if (key.isReadable())
            {
                echo(key);
            }
        }
    }

    private void accept() throws IOException
    {
        for (SocketChannel ch = server.accept(); null != ch; ch = server.accept())
        {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(BUFFER_SIZE));
        }
    }

    private void echo(final SelectionKey key)
    {
        final SocketChannel ch = (SocketChannel)key.channel();
        final ByteBuffer buf = buffer;
        buf.clear();
        try
        {
            if (ch.read(buf) < 0)
            {
                close(key);
                return;
            }
            buf.flip();
            ch.write(buf);
            if (buf.hasRemaining())
            {
                final ByteBuffer pending = (ByteBuffer)key.attachment();
                pending.clear();
                pending.put(buf).flip();
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }
        catch (final IOException ex)
        {
            close(key);
        }
    }

    private void flushPending(final SelectionKey key)
    {
        final ByteBuffer pending = (ByteBuffer)key.attachment();
        try
        {
            ((SocketChannel)key.channel()).write(pending);
            if (!pending.hasRemaining())
            {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        catch (final IOException ex)
        {
            close(key);
        }
    }

    private static void close(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException ignored)
        {
            // closing a broken connection: nothing more to do
        }
    }
}
