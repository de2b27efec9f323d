package io.panamax;

import java.lang.foreign.MemorySegment;

import io.panamax.ffm.Libc;
import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChunkPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buffer side of an echo (read, move input to output, write) over a real socketpair, as the pool sees it. */
@ExtendWith(PoolWholeExtension.class)
@EnabledOnOs({ OS.LINUX, OS.MAC })
class EvBufferEchoPoolTest extends SocketPairTestBase
{
    private static final int MESSAGE = 1024;
    private static final long MAX_READ = 64 * 1024;

    private MemorySegment message;
    private MemorySegment echoed;
    private BufferPool pool;
    private ChunkPool chunks;
    private EvBuffer input;
    private EvBuffer output;

    @BeforeEach
    void openPoolAndBuffers()
    {
        message = arena.allocate(MESSAGE);
        echoed = arena.allocate(MESSAGE);
        pool = BufferPool.create();
        chunks = pool.chunkPool();
        input = new EvBuffer(pool);
        output = new EvBuffer(pool);
    }

    @AfterEach
    void closeBuffersThenThePool()
    {
        input.close();
        output.close();
        assertTrue(pool.isWhole(), pool::toString);
        pool.close();
    }

    /** The peer sends a message of {@code round}'s bytes. */
    private void send(final int round)
    {
        message.fill((byte)round);
        assertEquals(MESSAGE, Libc.write(cs, b, message, MESSAGE));
    }

    /** The peer reads the echo and finds its message. */
    private void receive(final int round)
    {
        assertEquals(MESSAGE, Libc.read(cs, b, echoed, MESSAGE));
        assertEquals(-1L, message.mismatch(echoed), "round " + round);
    }

    @Test
    void eachEchoReadTakesTheChunkTheLastWriteDrainedWithoutTheFreeLists()
    {
        input.setFlags(EvBuffer.FLAG_NO_FIONREAD);
        input.setMaxRead(MAX_READ);
        Chain drained = null;
        for (int round = 0; round < 100; round++)
        {
            send(round);
            assertEquals(MESSAGE, input.read(a, MAX_READ));
            final Chain read = input.chains().first;
            if (null != drained)
            {
                assertSame(drained, read, "round " + round + ": the read reuses the drained chain and chunk");
                assertNull(chunks.hot(), "taken, not left behind");
            }
            assertEquals(0, output.addBuffer(input));
            assertEquals(MESSAGE, output.writeAtmost(a, -1));
            assertEquals(0, output.length());
            assertSame(read, chunks.hot(), "a 64 KiB chunk is no spare: the write's drain hands it to the pool");
            assertEquals(0, read.off);
            assertNull(read.next);
            assertNotNull(read.chunk, "still attached to its chunk");
            drained = read;
            receive(round);
        }
        assertNotNull(chunks.hot());
        assertEquals(0, pool.lentChunks(), "no buffer holds a chunk: the hot one is counted back once read");
        assertNull(chunks.hot(), "reading the accounting took the hot chain back");
    }

    @Test
    void trimmedEchoReadsTakeTheSmallChunkTheOutputHandedBackAndTheBigOneFromThePoolSlot()
    {
        input.setMaxRead(16 * 1024);
        for (int round = 0; round < 100; round++)
        {
            send(round);
            final Chain handed = input.chains().spare();
            assertEquals(MESSAGE, input.read(a, -1));
            final Chain read = input.chains().first;
            assertEquals(MESSAGE, read.bufferLen, "trimmed to libevent's reservation");
            if (round >= 2)
            {
                assertSame(handed, read, "round " + round + ": the trim's 1 KiB chunk is the input's spare");
                assertNotNull(chunks.hot(), "the 16 KiB reservation went back to the pool's slot");
            }
            assertEquals(0, output.addBuffer(input));
            if (round >= 1)
            {
                assertNotNull(input.chains().spare(), "the output handed its spare to the emptied input");
            }
            assertEquals(MESSAGE, output.writeAtmost(a, -1));
            assertSame(read, output.chains().spare(), "the output's drain keeps the 1 KiB chunk");
            receive(round);
            input.validate();
            output.validate();
        }
        assertEquals(2, pool.lentChunks(), "one spare each, nothing else lent");
    }
}
