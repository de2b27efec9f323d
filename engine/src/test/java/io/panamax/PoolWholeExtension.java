package io.panamax;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asserts after a test class that the calling thread's default {@link BufferPool} lends nothing: every buffer the
 * class created was closed and every chunk, chain and reference descriptor came back. Use with
 * {@code @ExtendWith(PoolWholeExtension.class)}; other modules' tests can copy it.
 */
final class PoolWholeExtension implements BeforeAllCallback, AfterAllCallback
{
    @Override
    public void beforeAll(final ExtensionContext context)
    {
        assertTrue(BufferPool.threadDefault().isWhole(),
            () -> "pool not whole before " + context.getDisplayName() + ": " + BufferPool.threadDefault());
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        assertTrue(BufferPool.threadDefault().isWhole(),
            () -> "pool not whole after " + context.getDisplayName() + ": " + BufferPool.threadDefault());
    }
}
