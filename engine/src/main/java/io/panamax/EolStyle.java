package io.panamax;

/**
 * How {@link EvBuffer#readLine} and {@link EvBuffer#searchEol} recognise the end of a line (libevent's
 * {@code enum evbuffer_eol_style}, same order).
 * <p>
 * <b>Thread-safety:</b> immutable.
 */
public enum EolStyle
{
    /** Any run of CR and LF characters, in any order and number, is one end of line. */
    ANY,
    /** An LF, optionally preceded by a CR. */
    CRLF,
    /** Exactly CR LF. */
    CRLF_STRICT,
    /** A single LF. */
    LF,
    /** A single NUL byte. */
    NUL
}
