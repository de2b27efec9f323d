package io.panamax.internal.backend;

import io.panamax.EventBase;
import io.panamax.EventBaseConfig;
import io.panamax.PanamaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the kqueue backend off macOS: its feature bits, its selection, and that asking for it on
 * Linux fails with a clear exception before any kqueue symbol is linked.
 */
class KqueueBackendTest
{
    @Test
    void featuresAreEtO1AndFdsButNotEarlyClose()
    {
        assertEquals(EventBaseConfig.FEATURE_ET | EventBaseConfig.FEATURE_O1 | EventBaseConfig.FEATURE_FDS,
            KqueueBackend.FEATURES);
        assertEquals(0, KqueueBackend.FEATURES & EventBaseConfig.FEATURE_EARLY_CLOSE);
        assertEquals(KqueueBackend.FEATURES, Backends.features("kqueue"));
    }

    @Test
    @EnabledOnOs(OS.MAC)
    void macOsPrefersKqueue()
    {
        assertEquals("kqueue", Backends.supportedMethods().get(0));
        try (EventBase base = EventBase.create())
        {
            assertEquals("kqueue", base.method());
            assertEquals(KqueueBackend.FEATURES, base.features());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxNeverOffersKqueue()
    {
        assertFalse(Backends.supportedMethods().contains("kqueue"));
        assertEquals("epoll", Backends.choose(EventBaseConfig.create()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void selectingKqueueOnLinuxFailsWithAClearMessage()
    {
        final PanamaxException chosen = assertThrows(PanamaxException.class,
            () -> Backends.choose(EventBaseConfig.create().method("kqueue")));
        assertTrue(chosen.getMessage().contains("kqueue backend runs on macOS only"), chosen.getMessage());

        final PanamaxException created = assertThrows(PanamaxException.class,
            () -> Backends.create("kqueue", ex -> { }));
        assertTrue(created.getMessage().contains("macOS only"), created.getMessage());

        final PanamaxException direct = assertThrows(PanamaxException.class, () -> new KqueueBackend(ex -> { }));
        assertTrue(direct.getMessage().contains("macOS only"), direct.getMessage());

        final PanamaxException base = assertThrows(PanamaxException.class,
            () -> EventBase.create(EventBaseConfig.create().method("kqueue")));
        assertTrue(base.getMessage().contains("macOS only"), base.getMessage());
    }
}
