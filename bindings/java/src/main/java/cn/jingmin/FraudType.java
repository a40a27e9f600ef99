package cn.jingmin;

import java.util.HashMap;
import java.util.Map;

/**
 * A fraud type (taxonomy §2); {@code jm_fraud_type}. {@link #NONE} is only used where a code is needed for
 * "no fraud type" ({@link Summary#fraudType()}); {@link FraudAssessment#types()} never contains it.
 *
 * <p>Each constant has the stable numeric code of the C ABI ({@link #code()}), the {@code snake_case}
 * name of the JSON ({@link #jsonName()}, also {@link #toString()}) and the Chinese label ({@link #label()}).
 * Codes never change meaning once released.
 */
public enum FraudType {
    /** {@code none} (无), code 0. */
    NONE(0, "none", "无"),
    /** {@code task_rebate} (刷单返利), code 1. */
    TASK_REBATE(1, "task_rebate", "刷单返利"),
    /** {@code investment} (虚假投资理财), code 2. */
    INVESTMENT(2, "investment", "虚假投资理财"),
    /** {@code fake_loan} (虚假网络贷款), code 3. */
    FAKE_LOAN(3, "fake_loan", "虚假网络贷款"),
    /** {@code fake_customer_service} (冒充电商物流客服), code 4. */
    FAKE_CUSTOMER_SERVICE(4, "fake_customer_service", "冒充电商物流客服"),
    /** {@code impersonate_authority} (冒充公检法), code 5. */
    IMPERSONATE_AUTHORITY(5, "impersonate_authority", "冒充公检法"),
    /** {@code credit_repair} (虚假征信), code 6. */
    CREDIT_REPAIR(6, "credit_repair", "虚假征信"),
    /** {@code fake_shopping} (虚假购物服务), code 7. */
    FAKE_SHOPPING(7, "fake_shopping", "虚假购物服务"),
    /** {@code impersonate_acquaintance} (冒充领导熟人), code 8. */
    IMPERSONATE_ACQUAINTANCE(8, "impersonate_acquaintance", "冒充领导熟人"),
    /** {@code game_trade} (网络游戏虚假交易), code 9. */
    GAME_TRADE(9, "game_trade", "网络游戏虚假交易"),
    /** {@code romance} (网络婚恋交友), code 10. */
    ROMANCE(10, "romance", "网络婚恋交友"),
    /** {@code card_trafficking} (帮信/出租出售两卡), code 11. */
    CARD_TRAFFICKING(11, "card_trafficking", "帮信/出租出售两卡"),
    /** {@code predatory_loan} (套路贷), code 12. */
    PREDATORY_LOAN(12, "predatory_loan", "套路贷"),
    /** {@code illegal_fundraising} (非法集资), code 13. */
    ILLEGAL_FUNDRAISING(13, "illegal_fundraising", "非法集资"),
    /** {@code fake_prize} (虚假中奖), code 14. */
    FAKE_PRIZE(14, "fake_prize", "虚假中奖"),
    /** {@code insurance_benefit} (冒充医保社保), code 15. */
    INSURANCE_BENEFIT(15, "insurance_benefit", "冒充医保社保"),
    /** {@code impersonate_military} (冒充军警购物), code 16. */
    IMPERSONATE_MILITARY(16, "impersonate_military", "冒充军警购物"),
    /** {@code sextortion} (裸聊敲诈), code 17. */
    SEXTORTION(17, "sextortion", "裸聊敲诈"),
    /** {@code generic} (泛诈骗), code 99. */
    GENERIC(99, "generic", "泛诈骗");

    private static final FraudType[] BY_CODE = new FraudType[100];
    private static final Map<String, FraudType> BY_NAME = new HashMap<>();

    static {
        for (FraudType v : values()) {
            BY_CODE[v.code] = v;
            BY_NAME.put(v.jsonName, v);
        }
    }

    private final int code;
    private final String jsonName;
    private final String label;

    FraudType(int code, String jsonName, String label) {
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
    public static FraudType fromCode(int code) {
        FraudType v = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (v == null) {
            throw new IllegalArgumentException("FraudType has no code " + code);
        }
        return v;
    }

    /**
     * The constant with this {@code snake_case} name.
     *
     * @throws IllegalArgumentException for a name that is not one of this enum's
     */
    public static FraudType fromJsonName(String name) {
        FraudType v = BY_NAME.get(name);
        if (v == null) {
            throw new IllegalArgumentException("FraudType has no name " + name);
        }
        return v;
    }
}
