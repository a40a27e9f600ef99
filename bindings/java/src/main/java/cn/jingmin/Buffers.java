package cn.jingmin;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Per-thread buffers of the hot paths, so that an analysis allocates only its result: the text's UTF-8
 * is encoded into a reused array and copied into reused native memory (one copy, of its length only),
 * out-parameters live in a reused block, and the library's JSON is copied into a reused array for the
 * parser. Buffers grow as needed; past {@link #KEEP} bytes a one-off buffer is used and not kept.
 */
final class Buffers {
    /** The largest buffer kept between calls. */
    static final int KEEP = 1 << 20;

    private static final ThreadLocal<Buffers> LOCAL = ThreadLocal.withInitial(Buffers::new);

    /** Out-parameters: a pointer, a jm_summary, a jm_add_counts (64 bytes). */
    final Memory out = new Memory(64);
    private byte[] bytes = new byte[4096];
    private Memory text = new Memory(4096);
    private byte[] json = new byte[16384];
    /** A text too large to keep its buffer: released by {@link #release()}. */
    private Memory oneOff;
    /** A JSON too large to keep its buffer, until the next {@link #take}. */
    private byte[] lastBig;
    /** Whether the last {@link #encode}d string had surrogate pairs (then offsets need mapping). */
    boolean pairs;
    /** The length of the last JSON {@link #take}n, in {@link #taken()}. */
    int jsonLength;

    private Buffers() {}

    static Buffers get() {
        return LOCAL.get();
    }

    /**
     * Encodes {@code s} as UTF-8 into native memory ({@link #encoded()}) and returns its length in
     * bytes; {@link #pairs} tells whether it had surrogate pairs. An unpaired
     * surrogate cannot be encoded: it is refused with {@link Status#INVALID_UTF8} (never replaced by
     * {@code '?'} as {@link String#getBytes} would do); {@code what} names the argument.
     */
    int encode(String s, String what) {
        int n = s.length();
        long worst = 3L * n;
        byte[] b = bytes;
        if (worst > b.length) {
            b = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(worst, 2L * b.length))];
            if (b.length <= KEEP) {
                bytes = b;
            }
        }
        int j = 0;
        boolean sawPair = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[j++] = (byte) c;
            } else if (c < 0x800) {
                b[j++] = (byte) (0xC0 | (c >> 6));
                b[j++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[j++] = (byte) (0xE0 | (c >> 12));
                b[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[j++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[j++] = (byte) (0xF0 | (cp >> 18));
                b[j++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[j++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[j++] = (byte) (0x80 | (cp & 0x3F));
                sawPair = true;
            } else {
                throw new JingminException(
                        Status.INVALID_UTF8, what + ": unpaired surrogate at index " + i + " (not encodable as UTF-8)");
            }
        }
        pairs = sawPair;
        Memory m = text;
        if (j > m.size()) {
            m = new Memory(Math.max(j, 2 * m.size()));
            if (m.size() <= KEEP) {
                text.close();
                text = m;
            }
        }
        if (j > 0) {
            m.write(0, b, 0, j);
        }
        if (m != text) {
            oneOff = m;
        }
        return j;
    }

    /** The pointer to pass for the last encoded text. */
    Pointer encoded() {
        return oneOff != null ? oneOff : text;
    }

    /** Releases a one-off text buffer, if the last text needed one. */
    void release() {
        if (oneOff != null) {
            oneOff.close();
            oneOff = null;
        }
    }

    /**
     * Copies the library string {@code p} into {@link #json} (grown if needed), frees it with
     * {@code jm_string_free}, and returns its length in bytes.
     */
    int take(Pointer p) {
        try {
            long len = Lib.jm_string_len(p);
            if (len > Integer.MAX_VALUE - 8) {
                throw new JingminException(Status.TOO_LARGE, "a library string of " + len + " bytes does not fit a Java array");
            }
            int l = (int) len;
            if (l > json.length) {
                byte[] bigger = new byte[Math.max(l, 2 * json.length)];
                if (bigger.length <= KEEP) {
                    json = bigger;
                } else {
                    p.read(0, bigger, 0, l);
                    lastBig = bigger;
                    return l;
                }
            }
            lastBig = null;
            p.read(0, json, 0, l);
            return l;
        } finally {
            Lib.jm_string_free(p);
        }
    }

    /** The array {@link #take} copied into. */
    byte[] taken() {
        return lastBig != null ? lastBig : json;
    }
}
