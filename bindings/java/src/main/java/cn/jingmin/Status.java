package cn.jingmin;

/**
 * The status codes of the C ABI ({@code jm_status} in {@code jingmin.h}). Every failure of the library
 * reaches Java as a {@link JingminException} carrying one of these.
 */
public enum Status {
    /** Success (never carried by an exception). */
    OK(0, "JM_OK"),
    /** A required argument was missing. */
    NULL_ARGUMENT(1, "JM_ERR_NULL_ARGUMENT"),
    /** Text was not valid UTF-8, or a Java string held an unpaired surrogate. */
    INVALID_UTF8(2, "JM_ERR_INVALID_UTF8"),
    /** A JSON document could not be parsed. */
    INVALID_JSON(3, "JM_ERR_INVALID_JSON"),
    /** A lexicon is malformed (bad entry, unknown type, empty pattern…). */
    INVALID_LEXICON(4, "JM_ERR_INVALID_LEXICON"),
    /** A snapshot could not be restored. */
    INVALID_SNAPSHOT(5, "JM_ERR_INVALID_SNAPSHOT"),
    /** The input is larger than the engine's maximum message size. */
    TOO_LARGE(6, "JM_ERR_TOO_LARGE"),
    /** Reading a file failed, or the shared library could not be loaded. */
    IO(7, "JM_ERR_IO"),
    /** An internal error (a Rust panic) was caught at the boundary; the engine stays usable. */
    PANIC(8, "JM_ERR_PANIC"),
    /** A timestamp could not be read. */
    INVALID_TIME(9, "JM_ERR_INVALID_TIME"),
    /** An argument is out of range (unknown role code, merging an aggregator into itself…). */
    INVALID_ARGUMENT(10, "JM_ERR_INVALID_ARGUMENT"),
    /** An aggregator configuration is malformed, or aggregators configured differently were merged. */
    INVALID_CONFIG(11, "JM_ERR_INVALID_CONFIG"),
    /** A code this binding does not know (a newer library). */
    UNKNOWN(-1, "JM_ERR_UNKNOWN");

    private static final Status[] BY_CODE = new Status[12];

    static {
        for (Status s : values()) {
            if (s.code >= 0) {
                BY_CODE[s.code] = s;
            }
        }
    }

    private final int code;
    private final String cName;

    Status(int code, String cName) {
        this.code = code;
        this.cName = cName;
    }

    /** The numeric code ({@code jm_status}). */
    public int code() {
        return code;
    }

    /** The constant's name in {@code jingmin.h}, e.g. {@code JM_ERR_INVALID_LEXICON}. */
    public String cName() {
        return cName;
    }

    /** The status with this code; {@link #UNKNOWN} for a code this binding does not know. */
    public static Status fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
