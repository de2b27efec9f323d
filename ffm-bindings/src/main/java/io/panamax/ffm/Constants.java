package io.panamax.ffm;

/**
 * The platform whose column every per-platform constant of this module takes.
 * <p>
 * On an unsupported platform the Linux x86_64 column is taken so that class initialisation never fails; the first
 * native call then fails in {@link NativeLibrary} with {@link Platform#current()}'s message.
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
final class Constants
{
    static final Platform PLATFORM = Platform.isSupported() ? Platform.current() : Platform.LINUX_X86_64;

    private Constants()
    {
    }
}
