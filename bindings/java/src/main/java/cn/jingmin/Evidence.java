package cn.jingmin;

import java.util.Objects;

/**
 * A feature of the text that counted toward a category.
 *
 * @param feature  what was found (a cue phrase, or a named feature such as {@code stance_warning})
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
