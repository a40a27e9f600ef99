package cn.jingmin;

/** What {@link Aggregator#add(Message)} did with one message ({@code jm_added}). */
public enum Added {
    /** A message not seen before, counted. */
    NEW(0),
    /** A copy of a message already counted: only {@code messages.duplicates} grew. */
    DUPLICATE(1),
    /** Counted under {@code messages.rejected}: no {@code group}. */
    REJECTED_MISSING_GROUP(2),
    /** Counted under {@code messages.rejected}: a group but no {@code time}. */
    REJECTED_MISSING_TIME(3),
    /** Counted under {@code messages.rejected}: a {@code time} that cannot be read. */
    REJECTED_INVALID_TIME(4);

    private static final Added[] BY_CODE = values();

    private final int code;

    Added(int code) {
        this.code = code;
    }

    /** The numeric code ({@code jm_added}). */
    public int code() {
        return code;
    }

    /** Whether the message was counted under {@code messages.rejected}. */
    public boolean isRejected() {
        return code >= 2;
    }

    /**
     * The outcome with this code.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static Added fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("Added has no code " + code);
        }
        return BY_CODE[code];
    }
}
