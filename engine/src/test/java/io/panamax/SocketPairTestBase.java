package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh non-blocking socketpair ({@link #a}, {@link #b}) per test, closed after it. */
abstract class SocketPairTestBase
{
    SocketPair pair;
    Arena arena;
    MemorySegment cs;
    int a;
    int b;

    @BeforeEach
    void openSocketPair()
    {
        pair = new SocketPair();
        arena = pair.arena;
        cs = pair.cs;
        a = pair.a;
        b = pair.b;
    }

    @AfterEach
    void closeSocketPair()
    {
        pair.a = a;
        pair.close();
    }
}
