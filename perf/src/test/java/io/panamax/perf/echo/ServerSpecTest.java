package io.panamax.perf.echo;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.panamax.ffm.RawSyscalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSpecTest
{
    @Test
    void libcVariantsRunTheirBaseServerWithTheLibcFlagBeforeTheMainClass()
    {
        final List<ServerSpec> catalog = ServerSpec.catalog(Path.of("."));
        final String flag = "-D" + RawSyscalls.LIBC_PROPERTY + "=true";
        for (final ServerSpec variant : ServerSpec.variants())
        {
            assertFalse(catalog.stream().anyMatch(s -> s.name().equals(variant.name())), "not run by default");
            final String base = variant.name().substring(0, variant.name().length() - "-libc".length());
            final ServerSpec original = catalog.stream().filter(s -> s.name().equals(base)).findFirst().orElseThrow();
            final List<String> command = variant.commandFor(7, List.of());
            final String mainClass = original.command().get(original.command().size() - 1);
            assertTrue(command.indexOf(flag) > 0 && command.indexOf(flag) < command.indexOf(mainClass), command::toString);
            assertEquals(original.command().size() + 2, command.size(), "the flag and the port added");
            assertFalse(original.command().contains(flag));
        }
        assertEquals(2, ServerSpec.variants().size());
    }
}
