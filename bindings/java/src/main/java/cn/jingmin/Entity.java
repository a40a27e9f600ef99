package cn.jingmin;

import java.util.Objects;

/**
 * An entity (indicator) found in the text: a phone number, URL, ID or bank card number, amount of
 * money, WeChat or QQ id, licence plate. Offsets as in {@link Hit}: {@link #start()}/{@link #end()}
 * index the Java {@code String}, the others are UTF-8 byte and code point offsets.
 *
 * @param kind           what it is
 * @param text           the entity as written; phone, ID-card and bank-card numbers are masked
 *                       ({@code 139****5678}) unless the analysis was asked for raw output
 * @param value          the normalised value where one exists (yuan for {@link EntityKind#MONEY}), else null
 * @param start          start, as a Java {@code String} index (inclusive)
 * @param end            end, as a Java {@code String} index (exclusive)
 * @param byteStart      start, as a UTF-8 byte offset
 * @param byteEnd        end, as a UTF-8 byte offset
 * @param codePointStart start, as a code point offset
 * @param codePointEnd   end, as a code point offset
 */
public record Entity(
        EntityKind kind,
        String text,
        Double value,
        int start,
        int end,
        int byteStart,
        int byteEnd,
        int codePointStart,
        int codePointEnd) {
    /** Checks that {@code kind} and {@code text} are not null. */
    public Entity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
