package cn.jingmin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the analysis JSON of {@code jm_analyze_json} (taxonomy §5) with Jackson's streaming parser
 * straight into the records: no tree, no reflection, no intermediate {@code String} of the document.
 *
 * <p>The library writes the fields of an object in a fixed order; each field name is first compared
 * with the one expected next ({@link JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)},
 * a byte comparison), and any other name, order or unknown field is still read (unknown ones are
 * skipped: a newer library may add some). A hit's {@code matched} is the span of the text the offsets
 * give (what the library's {@code matched} is by definition; the tests check that they are equal), so
 * it is not decoded twice.
 */
final class AnalysisParser {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final SerializedString[] TOP = names("category", "confidence", "evidence", "fraud", "entities");
    private static final SerializedString[] EVIDENCE = names("feature", "category", "weight");
    private static final SerializedString[] FRAUD = names("types", "stance", "risk", "hits");
    private static final SerializedString[] HIT =
            names("type", "keyword", "matched", "start", "end", "char_start", "char_end", "obfuscated");
    private static final SerializedString[] ENTITY =
            names("kind", "text", "value", "start", "end", "char_start", "char_end");

    private static SerializedString[] names(String... names) {
        SerializedString[] out = new SerializedString[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = new SerializedString(names[i]);
        }
        return out;
    }

    /**
     * The next field's name, null at the end of the object. {@code k} is the field's position: the
     * name expected there is checked first.
     */
    private static String nextName(JsonParser p, SerializedString[] order, int k) throws IOException {
        if (k < order.length) {
            if (p.nextFieldName(order[k])) {
                return order[k].getValue();
            }
            return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
        }
        return p.nextFieldName();
    }

    private AnalysisParser() {}

    /**
     * The analysis in the first {@code len} bytes of {@code json} (UTF-8) of {@code text}; {@code pairs}:
     * whether the text has surrogate pairs (else code point offsets are String indices).
     */
    static Analysis parse(byte[] json, int len, String text, boolean pairs) {
        int[] map = pairs ? Texts.utf16Map(text) : null;
        try (JsonParser p = FACTORY.createParser(json, 0, len)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            Category category = null;
            float confidence = Float.NaN;
            List<Evidence> evidence = List.of();
            FraudAssessment fraud = null;
            List<Entity> entities = List.of();
            String name;
            for (int k = 0; (name = nextName(p, TOP, k)) != null; k++) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "category" -> category = Category.fromJsonName(p.getText());
                    case "confidence" -> confidence = t == JsonToken.VALUE_NULL ? Float.NaN : Float.parseFloat(p.getText());
                    case "evidence" -> evidence = evidence(p);
                    case "fraud" -> fraud = fraud(p, map, text);
                    case "entities" -> entities = entities(p, map);
                    default -> p.skipChildren();
                }
            }
            if (category == null || fraud == null) {
                throw new JingminException(Status.INVALID_JSON, "analysis JSON without category or fraud");
            }
            return new Analysis(category, confidence, evidence, fraud, entities);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new JingminException(Status.INVALID_JSON, "cannot read the library's analysis JSON: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new JingminException(
                    Status.INVALID_JSON, "analysis JSON: expected " + want + ", got " + got + " at " + p.getCurrentLocation());
        }
    }

    private static int utf16(int[] map, int cp) {
        return map == null ? cp : map[cp];
    }

    private static List<Evidence> evidence(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<Evidence> out = new ArrayList<>(4);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String feature = null;
            Category category = null;
            float weight = 0f;
            String name;
            for (int k = 0; (name = nextName(p, EVIDENCE, k)) != null; k++) {
                p.nextToken();
                switch (name) {
                    case "feature" -> feature = p.getText();
                    case "category" -> category = Category.fromJsonName(p.getText());
                    case "weight" -> weight = Float.parseFloat(p.getText());
                    default -> p.skipChildren();
                }
            }
            out.add(new Evidence(feature, category, weight));
        }
        return List.copyOf(out);
    }

    private static FraudAssessment fraud(JsonParser p, int[] map, String text) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT);
        List<FraudType> types = List.of();
        Stance stance = Stance.NONE;
        int risk = 0;
        List<Hit> hits = List.of();
        String name;
        for (int k = 0; (name = nextName(p, FRAUD, k)) != null; k++) {
            p.nextToken();
            switch (name) {
                case "types" -> {
                    List<FraudType> ts = new ArrayList<>(2);
                    String v;
                    while ((v = p.nextTextValue()) != null) {
                        ts.add(FraudType.fromJsonName(v));
                    }
                    types = List.copyOf(ts);
                }
                case "stance" -> stance = Stance.fromJsonName(p.getText());
                case "risk" -> risk = p.getIntValue();
                case "hits" -> hits = hits(p, map, text);
                default -> p.skipChildren();
            }
        }
        return new FraudAssessment(types, stance, risk, hits);
    }

    private static List<Hit> hits(JsonParser p, int[] map, String text) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return List.of();
        }
        List<Hit> out = new ArrayList<>(8);
        do {
            FraudType type = null;
            String keyword = null;
            int start = 0, end = 0, cs = 0, ce = 0;
            boolean obfuscated = false;
            String name;
            for (int k = 0; (name = nextName(p, HIT, k)) != null; k++) {
                p.nextToken();
                switch (name) {
                    case "type" -> type = FraudType.fromJsonName(p.getText());
                    case "keyword" -> keyword = p.getText();
                    case "matched" -> { } // the span of the text, below (not decoded: skipped)
                    case "start" -> start = p.getIntValue();
                    case "end" -> end = p.getIntValue();
                    case "char_start" -> cs = p.getIntValue();
                    case "char_end" -> ce = p.getIntValue();
                    case "obfuscated" -> obfuscated = p.getBooleanValue();
                    default -> p.skipChildren();
                }
            }
            int us = utf16(map, cs);
            int ue = utf16(map, ce);
            if (ue > text.length() || us > ue) {
                throw new JingminException(Status.INVALID_JSON, "analysis JSON: hit span " + cs + ".." + ce + " outside the text");
            }
            out.add(new Hit(type, keyword, text.substring(us, ue), us, ue, start, end, cs, ce, obfuscated));
        } while (p.nextToken() == JsonToken.START_OBJECT);
        return List.copyOf(out);
    }

    private static List<Entity> entities(JsonParser p, int[] map) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return List.of();
        }
        List<Entity> out = new ArrayList<>(4);
        do {
            EntityKind kind = null;
            String text = null;
            Double value = null;
            int start = 0, end = 0, cs = 0, ce = 0;
            String name;
            for (int k = 0; (name = nextName(p, ENTITY, k)) != null; k++) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "kind" -> kind = EntityKind.fromJsonName(p.getText());
                    case "text" -> text = p.getText();
                    case "value" -> value = t == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                    case "start" -> start = p.getIntValue();
                    case "end" -> end = p.getIntValue();
                    case "char_start" -> cs = p.getIntValue();
                    case "char_end" -> ce = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            out.add(new Entity(kind, text, value, utf16(map, cs), utf16(map, ce), start, end, cs, ce));
        } while (p.nextToken() == JsonToken.START_OBJECT);
        return List.copyOf(out);
    }
}
