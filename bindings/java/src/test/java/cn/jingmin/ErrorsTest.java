package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures are JingminExceptions with the status code and the library's message. */
class ErrorsTest {
    static final String LEXICON =
            "{\"entries\":[{\"pattern\":\"跑腿代办\",\"kind\":\"fraud\",\"type\":\"fake_shopping\",\"weight\":2}]}";

    @Test
    void badLexiconGivesAClearException() {
        JingminException e = assertThrows(JingminException.class, () -> Engine.withLexicon("{not json"));
        assertEquals(Status.INVALID_LEXICON, e.status());
        assertEquals(4, e.code());
        assertTrue(e.libraryMessage().startsWith("jm_engine_new_from_lexicon: "), e.libraryMessage());
        assertTrue(e.libraryMessage().contains("not well-formed JSON"), e.libraryMessage());
        assertTrue(e.getMessage().endsWith("[JM_ERR_INVALID_LEXICON = 4]"), e.getMessage());

        String badType = LEXICON.replace("fake_shopping", "no_such_type");
        e = assertThrows(JingminException.class, () -> Engine.withLexicon(badType, false));
        assertEquals(Status.INVALID_LEXICON, e.status());
        assertTrue(e.getMessage().contains("entry 0") && e.getMessage().contains("no_such_type"), e.getMessage());

        e = assertThrows(JingminException.class, () -> Engine.withLexicon(LEXICON.replace("跑腿代办", "")));
        assertEquals(Status.INVALID_LEXICON, e.status());
        assertTrue(e.getMessage().contains("pattern"), e.getMessage());
    }

    @Test
    void lexiconFiles(@TempDir Path dir) throws Exception {
        JingminException e = assertThrows(JingminException.class, () -> Engine.withLexicon(dir.resolve("missing.json")));
        assertEquals(Status.IO, e.status());
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());

        Path bad = dir.resolve("bad.json");
        Files.write(bad, new byte[] {'{', '"', (byte) 0xff, '"', '}'});
        e = assertThrows(JingminException.class, () -> Engine.withLexicon(bad));
        assertEquals(Status.INVALID_UTF8, e.status());

        Path good = dir.resolve("lexicon.json");
        Files.writeString(good, LEXICON, StandardCharsets.UTF_8);
        String text = "有人找我跑腿代办，要先付定金";
        for (boolean layer : new boolean[] {true, false}) {
            try (Engine fromString = Engine.withLexicon(LEXICON, layer); Engine fromFile = Engine.withLexicon(good, layer)) {
                Analysis a = fromString.analyze(text);
                assertEquals(a, fromFile.analyze(text));
                assertTrue(a.fraud().hits().stream().anyMatch(h -> h.keyword().equals("跑腿代办")), a.toString());
            }
        }
        try (Engine layered = Engine.withLexicon(good); Engine alone = Engine.withLexicon(good, false)) {
            String other = "做任务日赚几百，刷单返利";
            assertFalse(layered.analyze(other).fraud().hits().isEmpty(), "the defaults are still there");
            assertTrue(alone.analyze(other).fraud().hits().isEmpty(), "only the user lexicon");
        }
    }

    @Test
    void tooLargeText() {
        try (Engine engine = new Engine()) {
            long max = engine.maxMessageBytes();
            assertTrue(max >= 1 << 20, "max " + max);
            String big = "a".repeat((int) max + 1);
            JingminException e = assertThrows(JingminException.class, () -> engine.analyze(big));
            assertEquals(Status.TOO_LARGE, e.status());
            assertTrue(e.libraryMessage().contains("jm_analyze_json"), e.libraryMessage());
            e = assertThrows(JingminException.class, () -> engine.analyzeMany(List.of("ok", big)));
            assertEquals(Status.TOO_LARGE, e.status());
            assertTrue(e.getMessage().contains("texts[1]"), e.getMessage());
            e = assertThrows(JingminException.class, () -> engine.summarizeMany(List.of("ok", "ok", big)));
            assertEquals(Status.TOO_LARGE, e.status());
            assertTrue(e.getMessage().contains("texts[2]"), e.getMessage());
            // Three bytes per character: the limit is in UTF-8 bytes.
            assertEquals(Status.TOO_LARGE, assertThrows(JingminException.class,
                    () -> engine.mask("啊".repeat((int) (max / 3) + 1))).status());
            engine.summarize("a".repeat((int) max)); // exactly the limit is fine
        }
    }

    @Test
    void aggregatorErrors() {
        try (Engine engine = new Engine(); Aggregator agg = new Aggregator(engine)) {
            JingminException e = assertThrows(JingminException.class, () -> agg.addJson("{\"group\":\"g\",\"text\":5}"));
            assertEquals(Status.INVALID_JSON, e.status());
            assertTrue(e.getMessage().contains("jm_aggregator_add_json"), e.getMessage());
            e = assertThrows(JingminException.class, () -> agg.addJson("{\"group\":\"13912345678\"}"));
            assertFalse(e.getMessage().contains("139"), "messages never quote the input: " + e.getMessage());

            e = assertThrows(JingminException.class, () -> Aggregator.restore("{\"format\":\"other\"}", engine));
            assertEquals(Status.INVALID_SNAPSHOT, e.status());
            String snap = agg.snapshot();
            e = assertThrows(JingminException.class, () -> Aggregator.restore(snap.replace("\"version\":2", "\"version\":99"), engine));
            assertEquals(Status.INVALID_SNAPSHOT, e.status());
            assertTrue(e.getMessage().contains("99"), e.getMessage());

            e = assertThrows(JingminException.class, () -> new Aggregator(engine, AggregatorConfig.DEFAULT.withAnswerWindowSeconds(0)));
            assertEquals(Status.INVALID_CONFIG, e.status());
            assertTrue(e.getMessage().contains("answer_window_seconds"), e.getMessage());

            e = assertThrows(JingminException.class, () -> agg.merge(agg));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
            try (Aggregator utc = new Aggregator(engine, AggregatorConfig.DEFAULT.withUtcOffsetSeconds(0))) {
                e = assertThrows(JingminException.class, () -> agg.merge(utc));
                assertEquals(Status.INVALID_CONFIG, e.status());
            }
            e = assertThrows(JingminException.class,
                    () -> agg.add(Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "a\uD800b")));
            assertEquals(Status.INVALID_UTF8, e.status());
            assertTrue(e.getMessage().contains("message.text"), e.getMessage());
        }
    }

    @Test
    void rolesOfSummarizeManyMustMatch() {
        try (Engine engine = new Engine()) {
            JingminException e = assertThrows(JingminException.class,
                    () -> engine.summarizeMany(List.of("a", "b"), List.of(Role.POLICE)));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
        }
    }

    @Test
    void statusCodes() {
        for (Status s : Status.values()) {
            if (s != Status.UNKNOWN) {
                assertEquals(s, Status.fromCode(s.code()));
            }
        }
        assertEquals(Status.INVALID_CONFIG, Status.fromCode(11));
        assertEquals(Status.UNKNOWN, Status.fromCode(42));
        JingminException e = new JingminException(42, "future");
        assertEquals(42, e.code());
        assertEquals(Status.UNKNOWN, e.status());
        assertTrue(e.getMessage().contains("42"));
    }
}
