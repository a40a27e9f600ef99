package cn.jingmin;

import java.util.HashMap;
import java.util.Map;

/**
 * The work category of a message (taxonomy §1): one primary per message; {@code jm_category}.
 *
 * <p>Each constant has the stable numeric code of the C ABI ({@link #code()}), the {@code snake_case}
 * name of the JSON ({@link #jsonName()}, also {@link #toString()}) and the Chinese label ({@link #label()}).
 * Codes never change meaning once released.
 */
public enum Category {
    /** {@code other} (其他), code 0. */
    OTHER(0, "other", "其他"),
    /** {@code legal_publicity} (法治宣传), code 1. */
    LEGAL_PUBLICITY(1, "legal_publicity", "法治宣传"),
    /** {@code reminder} (提醒告知), code 2. */
    REMINDER(2, "reminder", "提醒告知"),
    /** {@code dispute} (化解矛盾), code 3. */
    DISPUTE(3, "dispute", "化解矛盾"),
    /** {@code safety} (安全防范), code 4. */
    SAFETY(4, "safety", "安全防范"),
    /** {@code service} (便民服务), code 5. */
    SERVICE(5, "service", "便民服务"),
    /** {@code anomaly} (异常报告), code 6. */
    ANOMALY(6, "anomaly", "异常报告"),
    /** {@code praise} (弘扬正气), code 7. */
    PRAISE(7, "praise", "弘扬正气");

    private static final Category[] BY_CODE = new Category[8];
    private static final Map<String, Category> BY_NAME = new HashMap<>();

    static {
        for (Category v : values()) {
            BY_CODE[v.code] = v;
            BY_NAME.put(v.jsonName, v);
        }
    }

    private final int code;
    private final String jsonName;
    private final String label;

    Category(int code, String jsonName, String label) {
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
    public static Category fromCode(int code) {
        Category v = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (v == null) {
            throw new IllegalArgumentException("Category has no code " + code);
        }
        return v;
    }

    /**
     * The constant with this {@code snake_case} name.
     *
     * @throws IllegalArgumentException for a name that is not one of this enum's
     */
    public static Category fromJsonName(String name) {
        Category v = BY_NAME.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Category has no name " + name);
        }
        return v;
    }
}
