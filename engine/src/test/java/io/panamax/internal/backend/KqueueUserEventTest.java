package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.ConstantTable;
import io.panamax.ffm.KeventDescriptor;
import io.panamax.ffm.Kqueue;
import io.panamax.ffm.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kqueue loop's {@code EVFILT_USER} wake-up as the kernel sees it, checked without the kernel against macOS's
 * numbers, taken by name (native-abi.md §3.10–3.11, §5.3, §6): the registration, the trigger another thread submits, and the
 * delivered record that the dispatch must neither report as readiness nor treat as a failure.
 */
class KqueueUserEventTest
{
    private static final ConstantTable MAC = Kqueue.table(Platform.MACOS_ARM64);
    private static final KqueueAbi ABI = KqueueAbi.of(MAC);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment kevents = arena.allocate(KeventDescriptor.LENGTH * 4, 8);

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void registrationIsOneUserKnoteWithAddAndClearSoADeliveryResetsIt()
    {
        KqueueUserEvent.writeRegistration(kevents, 1, ABI);
        assertRecord(1, 0, (short)MAC.value("EVFILT_USER"), MAC.value("EV_ADD") | MAC.value("EV_CLEAR"), 0);
    }

    @Test
    void triggerCarriesNoteTriggerAndNoFlags()
    {
        KqueueUserEvent.writeTrigger(kevents, 0, ABI);
        assertRecord(0, 0, (short)MAC.value("EVFILT_USER"), 0, MAC.value("NOTE_TRIGGER"));
        assertTrue(MAC.value("NOTE_TRIGGER") != 0 && MAC.value("EVFILT_USER") < 0);
    }

    @Test
    void deliveredWakeUpIsRecognisedAndIgnoredWhileReadinessOfFdZeroIsReported()
    {
        final KeventBatch batch = new KeventBatch(arena, ABI);
        final MemorySegment results = batch.events();
        KeventDescriptor.set(results, 0, 0, ABI.userFilter(), ABI.add() | ABI.clear(), ABI.trigger(), 0, 0);
        KeventDescriptor.set(results, 1, 0, ABI.readFilter(), 0, 0, 5, 0);
        assertTrue(KqueueUserEvent.isWakeup(results, 0, ABI));
        assertEquals(KqueueTranslator.IGNORE, batch.decode(0), "a wake-up is not readiness and not an error");
        assertFalse(KqueueUserEvent.isWakeup(results, 1, ABI), "fd 0's read knote is another (ident, filter)");
        assertEquals(Ev.READ | Ev.ET, batch.decode(1));
        assertEquals(0, batch.fd(1));
    }

    @Test
    void linuxNumbersAreZeroSoTheNativeAbiIsNeverUsedHere()
    {
        if (Platform.IS_LINUX)
        {
            assertEquals(0, KqueueAbi.NATIVE.trigger());
            assertEquals(0, KqueueAbi.NATIVE.userFilter());
        }
        else
        {
            assertEquals(ABI.trigger(), KqueueAbi.NATIVE.trigger());
        }
    }

    private void assertRecord(final int index, final long ident, final short filter, final int flags, final int fflags)
    {
        final long base = index * KeventDescriptor.LENGTH;
        assertEquals(ident, kevents.get(JAVA_LONG, base + KeventDescriptor.IDENT_OFFSET), "ident");
        assertEquals(filter, kevents.get(JAVA_SHORT, base + KeventDescriptor.FILTER_OFFSET), "filter");
        assertEquals(flags, kevents.get(JAVA_SHORT, base + KeventDescriptor.FLAGS_OFFSET) & 0xffff, "flags");
        assertEquals(fflags, kevents.get(JAVA_INT, base + KeventDescriptor.FFLAGS_OFFSET), "fflags");
        assertEquals(0, kevents.get(JAVA_LONG, base + KeventDescriptor.DATA_OFFSET), "data");
        assertEquals(0, kevents.get(JAVA_LONG, base + KeventDescriptor.UDATA_OFFSET), "udata");
    }
}
