package io.panamax.perf.echo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.panamax.ffm.RawSyscalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison stays fair: every Java server starts with one JVM command line, and every server's source sets
 * TCP_NODELAY on its connections.
 */
class ServerSpecTest
{
    private static final Path NATIVE_BUILD = Path.of("native/build");

    @Test
    void javaServersShareOneJvmCommandLineUpToTheirMainClass()
    {
        List<String> common = null;
        for (final ServerSpec spec : ServerSpec.catalog(NATIVE_BUILD))
        {
            if (!spec.onJvm())
            {
                continue;
            }
            final List<String> command = spec.command();
            final int main = command.indexOf("-cp") + 2;
            assertTrue(main > 1 && main < command.size(), spec.name() + ": " + command);
            final List<String> jvm = command.subList(0, main);
            if (null == common)
            {
                common = jvm;
            }
            assertEquals(common, jvm, spec.name() + " starts with other JVM flags");
        }
        assertTrue(null != common && common.contains(ServerSpec.HEAP) && common.contains(ServerSpec.MAX_HEAP));
    }

    @Test
    void everyServerSourceSetsTcpNoDelay() throws IOException
    {
        for (final ServerSpec spec : ServerSpec.catalog(NATIVE_BUILD))
        {
            final Path source = sourceOf(spec);
            assertTrue(Files.isRegularFile(source), spec.name() + ": no source at " + source.toAbsolutePath());
            assertTrue(Files.readString(source).contains("TCP_NODELAY"), spec.name() + ": " + source +
                " does not set TCP_NODELAY");
        }
    }

    @Test
    void theBareServersReadAndThePanamaxServerReadsAndWritesUpTo64KiB() throws IOException
    {
        for (final String name : List.of("native/echo_epoll.c", "native/echo_threads.c"))
        {
            assertTrue(Files.readString(Path.of(name)).contains("#define BUF_SIZE (64 * 1024)"), name);
        }
        for (final Class<?> server : List.of(NioEchoServer.class, FfmRawEchoServer.class))
        {
            assertTrue(Files.readString(javaSource(server.getName())).contains("BUFFER_SIZE = 64 * 1024"),
                server.getName());
        }
        final String panamax = Files.readString(javaSource(PanamaxEchoServer.class.getName()));
        assertTrue(panamax.contains("MAX_SINGLE = 64 * 1024") && panamax.contains("setMaxSingleRead(MAX_SINGLE)") &&
            panamax.contains("setMaxSingleWrite(MAX_SINGLE)"));
    }

    @Test
    void libcVariantsRunTheirBaseServerWithTheLibcFlagBeforeTheMainClass()
    {
        final List<ServerSpec> catalog = ServerSpec.catalog(NATIVE_BUILD);
        final String flag = "-D" + RawSyscalls.LIBC_PROPERTY + "=true";
        for (final ServerSpec variant : ServerSpec.variants())
        {
            assertFalse(catalog.stream().anyMatch(s -> s.name().equals(variant.name())), "not run by default");
            if (!variant.name().endsWith("-libc"))
            {
                continue;
            }
            final String base = variant.name().substring(0, variant.name().length() - "-libc".length());
            final ServerSpec original = catalog.stream().filter(s -> s.name().equals(base)).findFirst().orElseThrow();
            final List<String> command = variant.commandFor(7, List.of());
            final String mainClass = original.command().get(original.command().size() - 1);
            assertTrue(command.indexOf(flag) > 0 && command.indexOf(flag) < command.indexOf(mainClass), command::toString);
            assertEquals(original.command().size() + 2, command.size(), "the flag and the port added");
            assertFalse(original.command().contains(flag));
        }
        assertEquals(2, ServerSpec.variants().stream().filter(v -> v.name().endsWith("-libc")).count());
    }

    @Test
    void altVariantRunsPanamaxFromTheClassPathItIsGiven()
    {
        final ServerSpec alt = ServerSpec.variants().stream().filter(v -> v.name().equals("panamax-alt"))
            .findFirst().orElseThrow();
        final String mainClass = PanamaxEchoServer.class.getName();
        assertEquals(mainClass, alt.command().get(alt.command().size() - 1));
        final String altCp = System.getenv(ServerSpec.ALT_CLASS_PATH);
        assertEquals(null == altCp || altCp.isEmpty(), null != alt.missing(), "runnable only with $PANAMAX_ALT_CP");
        final List<String> command = alt.withClassPath("/tmp/before.jar").commandFor(7, List.of());
        assertEquals("/tmp/before.jar", command.get(command.indexOf("-cp") + 1));
        assertEquals(alt.command().size() + 1, command.size(), "only the class path replaced, the port added");
    }

    private static Path sourceOf(final ServerSpec spec)
    {
        if (!spec.onJvm())
        {
            return Path.of("native", Path.of(spec.command().get(0)).getFileName() + ".c");
        }
        final List<String> command = spec.command();
        return javaSource(command.get(command.indexOf("-cp") + 2));
    }

    private static Path javaSource(final String className)
    {
        return Path.of("src/main/java", className.replace('.', '/') + ".java");
    }
}
