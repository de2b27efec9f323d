package io.panamax.perf.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a program of this module's test classes in a JVM of its own, with JIT flags the caller chooses and without the
 * engine tests' syscall fault seam, for the allocation tests that must not depend on how the JIT compiled the path.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param main     the program.
     * @param argument its one argument.
     * @param jitFlags JVM flags.
     * @return what the program printed; it has ended with status 0 within 30 s.
     */
    static String run(final Class<?> main, final String argument, final String... jitFlags)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.addAll(List.of(jitFlags));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.add(argument);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try
        {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child ends: " + output);
        }
        finally
        {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /**
     * @param output what a program printed.
     * @return N of its last {@code allocated N} line.
     */
    static long allocated(final String output)
    {
        final int at = output.lastIndexOf("allocated ");
        assertTrue(at >= 0, output);
        return Long.parseLong(output.substring(at + "allocated ".length()).strip());
    }
}
