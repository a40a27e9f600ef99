package cn.jingmin;

import java.util.HashMap;
import java.util.Map;

/**
 * Who sent a message (taxonomy §4); {@code jm_role}.
 *
 * <p>Each constant has the stable numeric code of the C ABI ({@link #code()}), the {@code snake_case}
 * name of the JSON ({@link #jsonName()}, also {@link #toString()}) and the Chinese label ({@link #label()}).
 * Codes never change meaning once released.
 */
public enum Role {
    /** {@code unknown} (未知), code 0. */
    UNKNOWN(0, "unknown", "未知"),
    /** {@code police} (民警), code 1. */
    POLICE(1, "police", "民警"),
    /** {@code resident} (群众), code 2. */
    RESIDENT(2, "resident", "群众");

    private static final Role[] BY_CODE = new Role[3];
    private static final Map<String, Role> BY_NAME = new HashMap<>();

    static {
        for (Role v : values()) {
            BY_CODE[v.code] = v;
            BY_NAME.put(v.jsonName, v);
        }
    }

    private final int code;
    private final String jsonName;
    private final String label;

    Role(int code, String jsonName, String label) {
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
    public static Role fromCode(int code) {
        Role v = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (v == null) {
            throw new IllegalArgumentException("Role has no code " + code);
        }
        return v;
    }

    /**
     * The constant with this {@code snake_case} name.
     *
     * @throws IllegalArgumentException for a name that is not one of this enum's
     */
    public static Role fromJsonName(String name) {
        Role v = BY_NAME.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Role has no name " + name);
        }
        return v;
    }
}
