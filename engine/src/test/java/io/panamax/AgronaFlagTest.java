package io.panamax;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without Agrona's {@code --add-exports} flag the first EventBase creation names the flag, in a child JVM.
 */
class AgronaFlagTest
{
    /** Entry point of the child JVM: prints what {@code EventBase.create()} threw. */
    public static void main(final String[] args)
    {
        try (EventBase base = EventBase.create())
        {
            System.out.println("CREATED " + base.method());
        }
        catch (final Throwable t)
        {
            System.out.println("THROWN " + t.getClass().getName() + ": " + t.getMessage());
        }
    }

    @Test
    void firstBaseCreationWithoutTheFlagFailsNamingIt() throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final String classPath = System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")).replace(File.pathSeparatorChar == ':' ? ";" : ":",
            File.pathSeparator);
        final Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
            AgronaFlagTest.class.getName())).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("THROWN " + PanamaxException.class.getName()), out);
        assertTrue(out.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), out);
        assertTrue(out.contains("--add-exports java.base/jdk.internal.misc=org.agrona"), out);
    }
}
