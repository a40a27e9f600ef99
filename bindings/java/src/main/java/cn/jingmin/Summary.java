package cn.jingmin;

import java.util.Objects;

/**
 * The fixed-size digest of an analysis ({@code jm_summary}), as {@link Engine#summarize(String)} and
 * {@link Engine#summarizeMany(java.util.List)} return it and {@link Analysis#summary()} computes it.
 *
 * @param category    the primary work category
 * @param confidence  confidence in {@code category}, from 0 to 1
 * @param fraudType   the primary fraud type, {@link FraudType#NONE} when there is none
 * @param stance      the stance
 * @param risk        risk from 0 to 100
 * @param hitCount    number of fraud keyword hits
 * @param entityCount number of entities
 */
public record Summary(
        Category category,
        float confidence,
        FraudType fraudType,
        Stance stance,
        int risk,
        int hitCount,
        int entityCount) {
    /** Checks that no component is null. */
    public Summary {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(fraudType, "fraudType");
        Objects.requireNonNull(stance, "stance");
    }
}
