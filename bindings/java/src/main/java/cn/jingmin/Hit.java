package cn.jingmin;

import java.util.Objects;

/**
 * A fraud keyword found in the text. The span covers the original (possibly disguised) characters.
 *
 * <p>Three kinds of offsets describe the same span:
 * <ul>
 *   <li>{@link #start()}/{@link #end()}: Java {@code String} indices (UTF-16 code units), so
 *       {@code text.substring(hit.start(), hit.end()).equals(hit.matched())}, also after an emoji or
 *       another character outside the Basic Multilingual Plane;</li>
 *   <li>{@link #byteStart()}/{@link #byteEnd()}: byte offsets into the UTF-8 text (the JSON's
 *       {@code start}/{@code end});</li>
 *   <li>{@link #codePointStart()}/{@link #codePointEnd()}: Unicode code point offsets (the JSON's
 *       {@code char_start}/{@code char_end}).</li>
 * </ul>
 *
 * @param type           the fraud type the keyword belongs to
 * @param keyword        the lexicon's keyword
 * @param matched        the text as it appears in the message
 * @param start          start, as a Java {@code String} index (inclusive)
 * @param end            end, as a Java {@code String} index (exclusive)
 * @param byteStart      start, as a UTF-8 byte offset
 * @param byteEnd        end, as a UTF-8 byte offset
 * @param codePointStart start, as a code point offset
 * @param codePointEnd   end, as a code point offset
 * @param obfuscated     whether the keyword was disguised (separators, substitutions, other scripts)
 */
public record Hit(
        FraudType type,
        String keyword,
        String matched,
        int start,
        int end,
        int byteStart,
        int byteEnd,
        int codePointStart,
        int codePointEnd,
        boolean obfuscated) {
    /** Checks that no component is null. */
    public Hit {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(matched, "matched");
    }
}
