/**
 * Raw libc downcalls, struct layouts and per-platform constants for Panamax.
 * <p>
 * The only module of Panamax that uses {@code Linker}; it is exported to the engine alone.
 */
module io.panamax.ffm
{
    exports io.panamax.ffm to io.panamax.engine;
}
