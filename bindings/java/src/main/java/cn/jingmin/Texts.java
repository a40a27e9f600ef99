package cn.jingmin;

import java.nio.charset.StandardCharsets;

/**
 * Java strings to the library's UTF-8 and back. A Java {@code String} is UTF-16: a character outside
 * the Basic Multilingual Plane (an emoji, a rare ideograph) is two {@code char}s, a surrogate pair, but
 * one code point and four UTF-8 bytes. The library reports code point and byte offsets; {@link #utf16Map}
 * turns code point offsets into {@code String} indices.
 */
final class Texts {
    private Texts() {}

    /**
     * -1 when {@code s} has no surrogate at all (then code point offsets are String indices), 1 when it
     * has well-formed pairs only. An unpaired surrogate cannot be encoded as UTF-8: it is refused with
     * {@link Status#INVALID_UTF8} rather than silently replaced by {@code '?'} as
     * {@link String#getBytes} would do.
     */
    static int surrogates(String s, String what) {
        int n = s.length();
        int i = 0;
        while (i < n && !Character.isSurrogate(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return -1;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JingminException(
                        Status.INVALID_UTF8, what + ": unpaired surrogate at index " + i + " (not encodable as UTF-8)");
            }
        }
        return 1;
    }

    /** The UTF-8 bytes of {@code s}; refuses an unpaired surrogate. */
    static byte[] utf8(String s, String what) {
        surrogates(s, what);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** map[cp] = the String index of code point offset cp, for cp in 0..codePointCount (inclusive). */
    static int[] utf16Map(String s) {
        int n = s.length();
        int[] map = new int[s.codePointCount(0, n) + 1];
        int cp = 0;
        for (int i = 0; i < n; ) {
            map[cp++] = i;
            i += Character.isHighSurrogate(s.charAt(i)) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
        }
        map[cp] = n;
        return map;
    }
}
