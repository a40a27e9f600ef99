package cn.jingmin;

import java.util.List;
import java.util.Objects;

/**
 * The full analysis of one message (taxonomy §5), as {@link Engine#analyze(String)} returns it.
 * Immutable: the lists are unmodifiable.
 *
 * @param category   the primary work category
 * @param confidence confidence in {@code category}, from 0 to 1 (NaN if the library gave none)
 * @param evidence   the features that counted toward categories
 * @param fraud      the fraud assessment
 * @param entities   the entities (indicators), in text order
 */
public record Analysis(
        Category category,
        float confidence,
        List<Evidence> evidence,
        FraudAssessment fraud,
        List<Entity> entities) {
    /** Copies the lists (unmodifiable) and checks that no component is null. */
    public Analysis {
        Objects.requireNonNull(category, "category");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(fraud, "fraud");
        entities = List.copyOf(entities);
    }

    /** The digest of this analysis: equal to what {@link Engine#summarize(String)} returns. */
    public Summary summary() {
        return new Summary(
                category,
                confidence,
                fraud.primaryType(),
                fraud.stance(),
                fraud.risk(),
                fraud.hits().size(),
                entities.size());
    }
}
