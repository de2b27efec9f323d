package io.panamax.perf.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;

/**
 * Netty 4.2 echo peer: one event loop for accepting and serving, pooled direct buffers, TCP_NODELAY; the
 * handler writes each inbound buffer back and flushes once per read batch (Netty's usual echo).
 * <p>
 * Usage: {@code NettyEchoServer epoll|nio PORT}. Exits with status 3 when the native epoll transport is
 * unavailable on this machine.
 * <p>
 * <b>Thread-safety:</b> a process entry point; everything runs on Netty's single event loop.
 */
public final class NettyEchoServer
{
    private NettyEchoServer()
    {
    }

    /**
     * Run the server until the process is killed.
     *
     * @param args {@code epoll|nio PORT}.
     * @throws InterruptedException if interrupted while waiting for the channel to close.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length != 2 || !("epoll".equals(args[0]) || "nio".equals(args[0])))
        {
            System.err.println("usage: NettyEchoServer epoll|nio PORT");
            System.exit(2);
        }
        ParentWatch.startIfAsked();
        final boolean epoll = "epoll".equals(args[0]);
        if (epoll && !Epoll.isAvailable())
        {
            System.err.println("netty-epoll: native transport unavailable: " + Epoll.unavailabilityCause());
            System.exit(3);
        }
        final int port = Integer.parseInt(args[1]);
        final IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelType =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, ioFactory);
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(EchoHandler.INSTANCE)
                .bind(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
            System.out.println("netty-" + args[0] + ": echoing on 127.0.0.1:" + port);
            channel.closeFuture().sync();
        }
        finally
        {
            group.shutdownGracefully();
        }
    }

    /** Writes every inbound buffer back; flushes when the read batch ends. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter
    {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
