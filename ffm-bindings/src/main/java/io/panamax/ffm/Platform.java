package io.panamax.ffm;

import java.util.Locale;

/**
 * The four platforms Panamax runs on, and which one this JVM is.
 * <p>
 * Every per-platform number in this module is chosen by a {@code Platform}; the tables take the platform as an
 * argument so they can be checked for all four on any machine, and the {@code static final} values pick
 * {@link #current()}'s column once.
 * <p>
 * <b>Thread-safety:</b> immutable; safe from any thread.
 */
public enum Platform
{
    /** Linux on x86_64 (amd64). */
    LINUX_X86_64(true, true),
    /** Linux on aarch64 (arm64). */
    LINUX_AARCH64(true, false),
    /** macOS on x86_64. */
    MACOS_X86_64(false, true),
    /** macOS on arm64 (Apple silicon). */
    MACOS_ARM64(false, false);

    private static final String OS_NAME = System.getProperty("os.name", "");
    private static final String OS_ARCH = System.getProperty("os.arch", "");
    private static final Platform DETECTED = detect(OS_NAME, OS_ARCH);

    /** True on Linux; false on macOS and on an unsupported platform. */
    public static final boolean IS_LINUX = null != DETECTED && DETECTED.linux;
    /** True on macOS; false on Linux and on an unsupported platform. */
    public static final boolean IS_MACOS = null != DETECTED && !DETECTED.linux;
    /** True on x86_64 (Linux or macOS). */
    public static final boolean IS_X86_64 = null != DETECTED && DETECTED.x86;

    private final boolean linux;
    private final boolean x86;

    Platform(final boolean linux, final boolean x86)
    {
        this.linux = linux;
        this.x86 = x86;
    }

    /**
     * @return true for the two Linux platforms.
     */
    public boolean isLinux()
    {
        return linux;
    }

    /**
     * @return true for the two macOS platforms.
     */
    public boolean isMacOs()
    {
        return !linux;
    }

    /**
     * @return true for the two x86_64 platforms.
     */
    public boolean isX86()
    {
        return x86;
    }

    /**
     * Pick the Linux or the macOS value of a constant for this platform.
     *
     * @param linux value on Linux (x86_64 and aarch64 agree for every constant Panamax uses).
     * @param macOs value on macOS (x86_64 and arm64 agree likewise).
     * @return the value for this platform.
     */
    public int pick(final int linux, final int macOs)
    {
        return this.linux ? linux : macOs;
    }

    /**
     * The platform this JVM runs on.
     *
     * @return the platform.
     * @throws UnsupportedOperationException naming the OS and architecture when they are not one of the four.
     */
    public static Platform current()
    {
        if (null == DETECTED)
        {
            throw new UnsupportedOperationException(unsupportedMessage(OS_NAME, OS_ARCH));
        }
        return DETECTED;
    }

    /**
     * @return true when {@link #current()} would return a platform rather than throw.
     */
    public static boolean isSupported()
    {
        return null != DETECTED;
    }

    /**
     * Map the JVM's {@code os.name} and {@code os.arch} to a platform.
     *
     * @param osName the {@code os.name} system property.
     * @param osArch the {@code os.arch} system property.
     * @return the platform, or null when unsupported.
     */
    public static Platform detect(final String osName, final String osArch)
    {
        final String os = osName.toLowerCase(Locale.ROOT);
        final String arch = osArch.toLowerCase(Locale.ROOT);
        final boolean x86 = "amd64".equals(arch) || "x86_64".equals(arch);
        final boolean arm = "aarch64".equals(arch) || "arm64".equals(arch);
        if (os.startsWith("linux"))
        {
            return x86 ? LINUX_X86_64 : arm ? LINUX_AARCH64 : null;
        }
        if (os.startsWith("mac") || os.startsWith("darwin"))
        {
            return x86 ? MACOS_X86_64 : arm ? MACOS_ARM64 : null;
        }
        return null;
    }

    static String unsupportedMessage(final String osName, final String osArch)
    {
        return "Panamax supports Linux (x86_64, aarch64) and macOS (x86_64, arm64); this JVM reports os.name=" +
            osName + ", os.arch=" + osArch;
    }
}
