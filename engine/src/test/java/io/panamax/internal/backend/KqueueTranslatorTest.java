package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.ffm.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kqueue change translation and result decoding (native-abi.md §5–6), without the kernel.
 */
class KqueueTranslatorTest
{
    private final List<String> changes = new ArrayList<>();
    private final KqueueTranslator.ChangeSink sink = (fd, filter, add, clear) ->
        changes.add(fd + (Ev.READ == filter ? " READ" : " WRITE") + (add ? " ADD" : " DELETE") + (clear ? " CLEAR" : ""));

    @Test
    void readAndWriteAreSeparateKnotes()
    {
        assertEquals(2, KqueueTranslator.translate(7, 0, Ev.READ | Ev.WRITE, sink));
        assertEquals(List.of("7 READ ADD", "7 WRITE ADD"), changes);
    }

    @Test
    void onlyTheChangedFilterIsSent()
    {
        assertEquals(1, KqueueTranslator.translate(7, Ev.READ | Ev.WRITE, Ev.READ, sink));
        assertEquals(List.of("7 WRITE DELETE"), changes);
        changes.clear();
        assertEquals(0, KqueueTranslator.translate(7, Ev.READ, Ev.READ, sink));
        assertEquals(List.of(), changes);
    }

    @Test
    void edgeTriggeredAddsCarryClearAndAnEtChangeReAdds()
    {
        KqueueTranslator.translate(3, 0, Ev.READ | Ev.ET, sink);
        KqueueTranslator.translate(3, Ev.READ | Ev.ET, Ev.READ | Ev.WRITE | Ev.ET, sink);
        assertEquals(List.of("3 READ ADD CLEAR", "3 WRITE ADD CLEAR"), changes);
    }

    @Test
    void closedHasNoFilter()
    {
        assertEquals(0, KqueueTranslator.translate(3, 0, Ev.CLOSED, sink));
    }

    @Test
    void resultsDecodeAsLibeventDoes()
    {
        assertEquals(Ev.READ | Ev.ET, KqueueTranslator.decode(Ev.READ, false, 10, false, false));
        assertEquals(Ev.WRITE | Ev.ET, KqueueTranslator.decode(Ev.WRITE, false, 0, false, true));
        assertEquals(KqueueTranslator.IGNORE, KqueueTranslator.decode(0, false, 0, false, false));
        assertEquals(KqueueTranslator.IGNORE, KqueueTranslator.decode(Ev.READ, true, Errno.ENOENT, false, false));
        assertEquals(KqueueTranslator.IGNORE, KqueueTranslator.decode(Ev.READ, true, Errno.EBADF, false, false));
        assertEquals(KqueueTranslator.IGNORE, KqueueTranslator.decode(Ev.READ, true, Errno.EINVAL, true, false));
        assertEquals(Ev.READ | Ev.ET, KqueueTranslator.decode(Ev.READ, true, Errno.EPIPE, true, false));
        assertEquals(KqueueTranslator.IGNORE, KqueueTranslator.decode(Ev.READ, true, Errno.EPERM, false, false));
        assertEquals(-Errno.ENOMEM, KqueueTranslator.decode(Ev.READ, true, Errno.ENOMEM, true, false));
    }
}
