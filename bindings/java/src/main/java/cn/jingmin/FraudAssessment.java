package cn.jingmin;

import java.util.List;
import java.util.Objects;

/**
 * The fraud assessment of a message (taxonomy §2).
 *
 * @param types  the fraud types the content is about, primary first; empty when there is none
 * @param stance what the message does with fraud content ({@link Stance#NONE} when there is none)
 * @param risk   risk from 0 to 100
 * @param hits   the keyword hits, in text order
 */
public record FraudAssessment(List<FraudType> types, Stance stance, int risk, List<Hit> hits) {
    /** Copies the lists (unmodifiable) and checks that no component is null. */
    public FraudAssessment {
        types = List.copyOf(types);
        Objects.requireNonNull(stance, "stance");
        hits = List.copyOf(hits);
    }

    /** The primary fraud type, {@link FraudType#NONE} when there is none. */
    public FraudType primaryType() {
        return types.isEmpty() ? FraudType.NONE : types.get(0);
    }
}
