package io.panamax.perf.echo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.panamax.ffm.RawSyscalls;

/**
 * One echo server of the comparison: its name in tables, whether it runs on the JVM (and so is warmed up
 * before measuring), and how to start it on a port.
 * <p>
 * To add a Java server, write its main class in this package (port as its last argument, calling
 * {@link ParentWatch#startIfAsked()}) and add one line to {@link #catalog(Path)} with
 * {@link #java(String, String, String...)}.
 *
 * @param name        short name used in {@code --servers} and tables.
 * @param description one line for the report.
 * @param onJvm       true for Java servers.
 * @param command     the command without the port; the port is appended.
 * @param missing     null when runnable, else why not (e.g. a native binary that was not built).
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public record ServerSpec(String name, String description, boolean onJvm, List<String> command, String missing)
{
    /** Heap of every Java server: fixed, so heap sizing differs not between runs. */
    static final String HEAP = "-Xms256m";
    static final String MAX_HEAP = "-Xmx256m";
    /** The environment variable naming the class path of {@code panamax-alt}. */
    static final String ALT_CLASS_PATH = "PANAMAX_ALT_CP";

    /**
     * Every server the harness knows, in the order a round runs them.
     *
     * @param nativeDir where the C servers were built.
     * @return the catalog.
     */
    public static List<ServerSpec> catalog(final Path nativeDir)
    {
        return List.of(
            nativeServer("c-epoll", "hand-written C, level-triggered epoll, one read + one write per event",
                nativeDir.resolve("echo_epoll")),
            nativeServer("libevent", "libevent " + libeventVersion() + " in C: evconnlistener + bufferevent," +
                " evbuffer_add_buffer", nativeDir.resolve("echo_libevent")),
            java("panamax", "Panamax: ConnListener + socket BufferEvent, read callback output().addBuffer(input())," +
                " 64 KiB max single read/write", PanamaxEchoServer.class.getName()),
            java("panamax-ffm-raw", "bare FFM epoll loop on io.panamax.ffm, no engine: the JVM + FFM floor",
                FfmRawEchoServer.class.getName()),
            java("netty-epoll", "Netty 4.2.18 native epoll, 1 event loop, pooled direct buffers",
                NettyEchoServer.class.getName(), "epoll"),
            java("jdk-nio", "JDK NIO Selector, direct ByteBuffer", NioEchoServer.class.getName()),
            java("netty-nio", "Netty 4.2.18 NIO transport, 1 event loop, pooled direct buffers",
                NettyEchoServer.class.getName(), "nio"),
            nativeServer("c-threads", "C, blocking, one thread per connection", nativeDir.resolve("echo_threads")));
    }

    /**
     * Servers that run only when {@code --servers} names them: variants of a catalog server for A/B comparisons in
     * one run, after the catalog's servers in each round.
     *
     * @return the variants.
     */
    public static List<ServerSpec> variants()
    {
        final String libc = "-D" + RawSyscalls.LIBC_PROPERTY + "=true";
        final String altClassPath = System.getenv(ALT_CLASS_PATH);
        final ServerSpec alt = java("panamax-alt", "Panamax from the class path in $" + ALT_CLASS_PATH +
            " (e.g. a copy of an older benchmarks.jar): before/after A/B in one run", PanamaxEchoServer.class.getName());
        return List.of(
            java("panamax-libc", "Panamax with " + libc + ": glibc's I/O wrappers (cancellation points) instead of" +
                " syscall(2)", PanamaxEchoServer.class.getName()).withJvmFlag(libc),
            java("panamax-ffm-raw-libc", "the bare FFM epoll loop with " + libc,
                FfmRawEchoServer.class.getName()).withJvmFlag(libc),
            null == altClassPath || altClassPath.isEmpty() ?
                new ServerSpec(alt.name, alt.description, true, alt.command, "$" + ALT_CLASS_PATH + " is not set") :
                alt.withClassPath(altClassPath));
    }

    /**
     * @param classPath a class path.
     * @return this Java server started with {@code classPath} instead of the harness's.
     */
    ServerSpec withClassPath(final String classPath)
    {
        final List<String> full = new ArrayList<>(command);
        full.set(full.indexOf("-cp") + 1, classPath);
        return new ServerSpec(name, description, onJvm, List.copyOf(full), missing);
    }

    /**
     * @param flag a JVM flag.
     * @return this Java server with {@code flag} before its main class.
     */
    ServerSpec withJvmFlag(final String flag)
    {
        final List<String> full = new ArrayList<>(command);
        full.add(1, flag);
        return new ServerSpec(name, description, onJvm, List.copyOf(full), missing);
    }

    /**
     * A Java server started with the JVM and class path of the harness.
     *
     * @param name       short name.
     * @param description one line for the report.
     * @param mainClass  its main class; it takes the port as its last argument.
     * @param args       arguments before the port.
     * @return the spec.
     */
    public static ServerSpec java(final String name, final String description, final String mainClass,
        final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            HEAP, MAX_HEAP,
            "--enable-native-access=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dio.netty.leakDetection.level=disabled",
            "-D" + ParentWatch.PROPERTY + "=true",
            "-cp", System.getProperty("java.class.path"),
            mainClass));
        command.addAll(List.of(args));
        return new ServerSpec(name, description, true, List.copyOf(command), null);
    }

    private static ServerSpec nativeServer(final String name, final String description, final Path binary)
    {
        final String missing = Files.isExecutable(binary) ? null : binary + " was not built";
        return new ServerSpec(name, description, false, List.of(binary.toString()), missing);
    }

    private static String libeventVersion()
    {
        try
        {
            final Process p = new ProcessBuilder("pkg-config", "--modversion", "libevent_core")
                .redirectErrorStream(true).start();
            final String version = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !version.isEmpty() ? version : "2.1";
        }
        catch (final Exception ex)
        {
            return "2.1";
        }
    }

    /**
     * @param port the port to listen on.
     * @param extraJvmArgs flags added before the main class of a Java server (ignored for native ones).
     * @return the full command.
     */
    public List<String> commandFor(final int port, final List<String> extraJvmArgs)
    {
        final List<String> full = new ArrayList<>(command);
        if (onJvm && !extraJvmArgs.isEmpty())
        {
            full.addAll(1, extraJvmArgs);
        }
        full.add(Integer.toString(port));
        return full;
    }
}
