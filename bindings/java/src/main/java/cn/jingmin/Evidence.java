package cn.jingmin;

import java.util.Objects;

/**
 * A feature of the text that counted toward a category.
 *
 * @param feature  what was found: a cue as the lexicon writes it, the words of a combo of cues joined by {@code +} (a fraud stance by its Chinese name, {@code 预警宣传}), or a phrase the category model read, in quotes
 * @param category the category it counted toward
 * @param weight   its weight
 */
public record Evidence(String feature, Category category, float weight) {
    /** Checks that no component is null. */
    public Evidence {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(category, "category");
    }
}
