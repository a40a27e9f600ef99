package cn.jingmin;

import java.util.HashMap;
import java.util.Map;

/**
 * What a message does with fraud content (taxonomy §2); {@code jm_stance}.
 *
 * <p>Each constant has the stable numeric code of the C ABI ({@link #code()}), the {@code snake_case}
 * name of the JSON ({@link #jsonName()}, also {@link #toString()}) and the Chinese label ({@link #label()}).
 * Codes never change meaning once released.
 */
public enum Stance {
    /** {@code none} (无), code 0. */
    NONE(0, "none", "无"),
    /** {@code warning} (预警宣传), code 1. */
    WARNING(1, "warning", "预警宣传"),
    /** {@code inquiry} (求证咨询), code 2. */
    INQUIRY(2, "inquiry", "求证咨询"),
    /** {@code solicitation} (诈骗引流), code 3. */
    SOLICITATION(3, "solicitation", "诈骗引流"),
    /** {@code victim_report} (受害报告), code 4. */
    VICTIM_REPORT(4, "victim_report", "受害报告");

    private static final Stance[] BY_CODE = new Stance[5];
    private static final Map<String, Stance> BY_NAME = new HashMap<>();

    static {
        for (Stance v : values()) {
            BY_CODE[v.code] = v;
            BY_NAME.put(v.jsonName, v);
        }
    }

    private final int code;
    private final String jsonName;
    private final String label;

    Stance(int code, String jsonName, String label) {
        this.code = code;
        this.jsonName = jsonName;
        this.label = label;
    }

    /** The stable numeric code (the constant of {@code jingmin.h}). */
    public int code() {
        return code;
    }

    /** The stable {@code snake_case} name used in the JSON. */
    public String jsonName() {
        return jsonName;
    }

    /** The Chinese label. */
    public String label() {
        return label;
    }

    /** The {@code snake_case} name, as in the JSON. */
    @Override
    public String toString() {
        return jsonName;
    }

    /**
     * The constant with this code.
     *
     * @throws IllegalArgumentException for a code that is not one of this enum's
     */
    public static Stance fromCode(int code) {
        Stance v = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (v == null) {
            throw new IllegalArgumentException("Stance has no code " + code);
        }
        return v;
    }

    /**
     * The constant with this {@code snake_case} name.
     *
     * @throws IllegalArgumentException for a name that is not one of this enum's
     */
    public static Stance fromJsonName(String name) {
        Stance v = BY_NAME.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Stance has no name " + name);
        }
        return v;
    }
}
