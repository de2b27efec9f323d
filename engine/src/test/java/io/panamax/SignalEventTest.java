package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libevent's signal/* contracts (libevent-contracts.md §2.3) with JVM-safe signals sent by {@code kill(1)}.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class SignalEventTest
{
    private final List<EventBase> bases = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        bases.forEach(EventBase::close);
    }

    private EventBase base(final String method)
    {
        final EventBase base = TestFds.base(method);
        bases.add(base);
        return base;
    }

    /**
     * Skip when the process inherited the signal as ignored (e.g. SIGHUP under {@code nohup}): the JVM then installs
     * no handler for HUP, INT or TERM and the signal is never delivered. Linux only ({@code /proc/self/status}).
     */
    static void assumeNotIgnored(final String name) throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status))
        {
            return;
        }
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("SigIgn:"))
            {
                final long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                assumeTrue(0 == (ignored & (1L << (Event.signalNumber(name) - 1))),
                    "SIG" + name + " is ignored by this process (started under nohup?): the JVM will not deliver it");
            }
        }
    }

    static void raise(final String name)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(ProcessHandle.current().pid()))
                .inheritIO().start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && 0 == kill.exitValue(), "kill -" + name);
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void signalEventCatchesSignalOnLoopThread(final String method)
    {
        final EventBase base = base(method);
        final List<String> got = new ArrayList<>();
        final Event ev = Event.signal(base, "USR2", (fd, what) ->
        {
            got.add(fd + ":" + what + ":" + Thread.currentThread().getName());
            base.loopBreak();
        });
        ev.add();
        base.loopExit(5, TimeUnit.SECONDS);
        raise("USR2");
        base.dispatch();
        assertEquals(List.of(Event.signalNumber("SIGUSR2") + ":" + Ev.SIGNAL + ":" + Thread.currentThread().getName()),
            got);
        ev.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void twoEventsOnOneSignalBothFire(final String method) throws IOException
    {
        assumeNotIgnored("HUP");
        final EventBase base = base(method);
        final int[] calls = new int[2];
        final Event a = Event.signal(base, "HUP", (fd, what) -> calls[0]++);
        final Event b = Event.signal(base, "HUP", (fd, what) -> calls[1]++);
        a.add();
        b.add();
        raise("HUP");
        base.loopExit(5, TimeUnit.SECONDS);
        while (0 == calls[0] + calls[1] && !base.gotExit())
        {
            base.loop(EventBase.LOOP_ONCE);
        }
        assertEquals(1, calls[0]);
        assertEquals(1, calls[1]);
        a.close();
        b.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void signalRaisedBeforeTheLoopRunsIsNotLost(final String method) throws Exception
    {
        final EventBase base = base(method);
        final int[] calls = { 0 };
        final Event ev = Event.signal(base, "USR2", (fd, what) -> calls[0]++);
        ev.add();
        raise("USR2");
        Thread.sleep(200);
        base.loop(EventBase.LOOP_NONBLOCK);
        assertEquals(1, calls[0]);
        ev.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void signalEventWithShortTimeoutFiresByTimeout(final String method)
    {
        final EventBase base = base(method);
        final int[] what = { 0 };
        final Event ev = Event.create(base, Event.signalNumber("HUP"), Ev.SIGNAL, (fd, w) -> what[0] = w);
        ev.add(10, TimeUnit.MICROSECONDS);
        base.loop(EventBase.LOOP_ONCE);
        assertEquals(Ev.TIMEOUT, what[0]);
        ev.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closingSignalEventInItsCallbackRunsItOnce(final String method) throws Exception
    {
        final EventBase base = base(method);
        final int[] calls = { 0 };
        final Event[] self = new Event[1];
        self[0] = Event.signal(base, "USR2", (fd, what) ->
        {
            calls[0]++;
            self[0].close();
        });
        self[0].add();
        raise("USR2");
        raise("USR2");
        Thread.sleep(200);
        base.loop(EventBase.LOOP_NONBLOCK);
        assertEquals(1, calls[0]);
    }

    @Test
    void unknownSignalNamesAreRejected()
    {
        try (EventBase base = EventBase.create())
        {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Event.signal(base, "NOSUCHSIGNAL", (fd, what) -> { }));
        }
    }
}
