package cn.jingmin;

import java.util.HashMap;
import java.util.Map;

/**
 * The kind of an entity (indicator) found in a message (taxonomy §3); {@code jm_entity_kind}.
 *
 * <p>Each constant has the stable numeric code of the C ABI ({@link #code()}), the {@code snake_case}
 * name of the JSON ({@link #jsonName()}, also {@link #toString()}) and the Chinese label ({@link #label()}).
 * Codes never change meaning once released.
 */
public enum EntityKind {
    /** {@code phone} (电话), code 1. */
    PHONE(1, "phone", "电话"),
    /** {@code url} (网址), code 2. */
    URL(2, "url", "网址"),
    /** {@code id_card} (身份证号), code 3. */
    ID_CARD(3, "id_card", "身份证号"),
    /** {@code bank_card} (银行卡号), code 4. */
    BANK_CARD(4, "bank_card", "银行卡号"),
    /** {@code money} (金额), code 5. */
    MONEY(5, "money", "金额"),
    /** {@code wechat_id} (微信号), code 6. */
    WECHAT_ID(6, "wechat_id", "微信号"),
    /** {@code qq_number} (QQ号), code 7. */
    QQ_NUMBER(7, "qq_number", "QQ号"),
    /** {@code license_plate} (车牌), code 8. */
    LICENSE_PLATE(8, "license_plate", "车牌");

    private static final EntityKind[] BY_CODE = new EntityKind[9];
    private static final Map<String, EntityKind> BY_NAME = new HashMap<>();

    static {
        for (EntityKind v : values()) {
            BY_CODE[v.code] = v;
            BY_NAME.put(v.jsonName, v);
        }
    }

    private final int code;
    private final String jsonName;
    private final String label;

    EntityKind(int code, String jsonName, String label) {
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
    public static EntityKind fromCode(int code) {
        EntityKind v = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (v == null) {
            throw new IllegalArgumentException("EntityKind has no code " + code);
        }
        return v;
    }

    /**
     * The constant with this {@code snake_case} name.
     *
     * @throws IllegalArgumentException for a name that is not one of this enum's
     */
    public static EntityKind fromJsonName(String name) {
        EntityKind v = BY_NAME.get(name);
        if (v == null) {
            throw new IllegalArgumentException("EntityKind has no name " + name);
        }
        return v;
    }
}
