package cn.jingmin;

/**
 * A failure reported by the jingmin library: the status code ({@link #status()}, {@link #code()})
 * and the library's own message ({@link #libraryMessage()}, from {@code jm_last_error}: which function,
 * which argument, what went wrong and where; it never quotes the analysed text).
 *
 * <p>Unchecked, like the exceptions of most Java libraries today. Using an engine or aggregator
 * after {@code close()} is a programming error and throws {@link IllegalStateException} instead.
 */
public class JingminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String libraryMessage;

    /** An exception for status {@code code} with the library's message. */
    public JingminException(int code, String libraryMessage) {
        this(code, libraryMessage, null);
    }

    /** An exception for status {@code code} with the library's message and a cause. */
    public JingminException(int code, String libraryMessage, Throwable cause) {
        super(format(code, libraryMessage), cause);
        this.code = code;
        this.libraryMessage = libraryMessage == null ? "" : libraryMessage;
    }

    JingminException(Status status, String libraryMessage) {
        this(status.code(), libraryMessage, null);
    }

    JingminException(Status status, String libraryMessage, Throwable cause) {
        this(status.code(), libraryMessage, cause);
    }

    private static String format(int code, String message) {
        Status s = Status.fromCode(code);
        String name = s == Status.UNKNOWN ? "unknown status" : s.cName();
        return (message == null || message.isEmpty() ? "jingmin failed" : message) + " [" + name + " = " + code + "]";
    }

    /** The status, {@link Status#UNKNOWN} for a code this binding does not know. */
    public Status status() {
        return Status.fromCode(code);
    }

    /** The numeric status code ({@code jm_status}). */
    public int code() {
        return code;
    }

    /** The library's message alone, without the status appended by {@link #getMessage()}. */
    public String libraryMessage() {
        return libraryMessage;
    }
}
