package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binding gives the same analysis as the C ABI on every line of the dev set
 * (../shared/eval/dev.jsonl): category, confidence, evidence, fraud types, stance, risk, every hit and
 * entity with its offsets. Two references: {@code jm_analyze_json} called directly through JNA (its
 * JSON read with Jackson's tree model, independently of the binding's streaming parser), and the
 * command-line tool {@code jingmin analyze --raw} run on the file.
 */
class DevSetTest {
    static Engine engine;
    static List<TestSupport.DevLine> lines;

    @BeforeAll
    static void setUp() {
        Path p = TestSupport.devSetPath();
        assumeTrue(p != null, "set -Djingmin.devset to shared/eval/dev.jsonl: " + System.getProperty("jingmin.devset"));
        lines = TestSupport.devSet(p);
        assertTrue(lines.size() >= 100, "dev set too small: " + lines.size());
        engine = new Engine();
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Compares one analysis with the library's JSON for the same text, field by field. */
    static void assertSameAsJson(String where, String text, Analysis a, JsonNode j) {
        assertEquals(j.get("category").asText(), a.category().jsonName(), where + " category");
        assertEquals(j.get("confidence").isNull() ? Float.NaN : Float.parseFloat(j.get("confidence").asText()), a.confidence(), where + " confidence");
        JsonNode ev = j.get("evidence");
        assertEquals(ev.size(), a.evidence().size(), where + " evidence");
        for (int i = 0; i < ev.size(); i++) {
            Evidence e = a.evidence().get(i);
            assertEquals(ev.get(i).get("feature").asText(), e.feature(), where + " evidence feature");
            assertEquals(ev.get(i).get("category").asText(), e.category().jsonName(), where + " evidence category");
            assertEquals(Float.parseFloat(ev.get(i).get("weight").asText()), e.weight(), where + " evidence weight");
        }
        JsonNode f = j.get("fraud");
        List<String> types = new ArrayList<>();
        f.get("types").forEach(t -> types.add(t.asText()));
        assertEquals(types, a.fraud().types().stream().map(FraudType::jsonName).toList(), where + " types");
        assertEquals(f.get("stance").asText(), a.fraud().stance().jsonName(), where + " stance");
        assertEquals(f.get("risk").asInt(), a.fraud().risk(), where + " risk");
        JsonNode hits = f.get("hits");
        assertEquals(hits.size(), a.fraud().hits().size(), where + " hit count");
        for (int i = 0; i < hits.size(); i++) {
            JsonNode h = hits.get(i);
            Hit x = a.fraud().hits().get(i);
            String w = where + " hit " + i;
            assertEquals(h.get("type").asText(), x.type().jsonName(), w + " type");
            assertEquals(h.get("keyword").asText(), x.keyword(), w + " keyword");
            assertEquals(h.get("matched").asText(), x.matched(), w + " matched");
            assertEquals(h.get("start").asInt(), x.byteStart(), w + " start");
            assertEquals(h.get("end").asInt(), x.byteEnd(), w + " end");
            assertEquals(h.get("char_start").asInt(), x.codePointStart(), w + " char_start");
            assertEquals(h.get("char_end").asInt(), x.codePointEnd(), w + " char_end");
            assertEquals(h.path("obfuscated").asBoolean(false), x.obfuscated(), w + " obfuscated");
            assertOffsets(w, text, x.matched(), x.start(), x.end(), x.byteStart(), x.byteEnd(), x.codePointStart(), x.codePointEnd());
        }
        JsonNode ents = j.get("entities");
        assertEquals(ents.size(), a.entities().size(), where + " entity count");
        for (int i = 0; i < ents.size(); i++) {
            JsonNode e = ents.get(i);
            Entity x = a.entities().get(i);
            String w = where + " entity " + i;
            assertEquals(e.get("kind").asText(), x.kind().jsonName(), w + " kind");
            assertEquals(e.get("text").asText(), x.text(), w + " text");
            assertEquals(e.get("value").isNull() ? null : e.get("value").asDouble(), x.value(), w + " value");
            assertEquals(e.get("start").asInt(), x.byteStart(), w + " start");
            assertEquals(e.get("end").asInt(), x.byteEnd(), w + " end");
            assertEquals(e.get("char_start").asInt(), x.codePointStart(), w + " char_start");
            assertEquals(e.get("char_end").asInt(), x.codePointEnd(), w + " char_end");
            assertOffsets(w, text, null, x.start(), x.end(), x.byteStart(), x.byteEnd(), x.codePointStart(), x.codePointEnd());
        }
    }

    /** The three kinds of offsets describe the same span of the Java string. */
    static void assertOffsets(String w, String text, String matched, int start, int end, int bs, int be, int cs, int ce) {
        assertTrue(0 <= start && start <= end && end <= text.length(), w + " String indices in range");
        if (matched != null) {
            assertEquals(matched, text.substring(start, end), w + " substring(start, end) == matched");
        }
        assertEquals(cs, text.codePointCount(0, start), w + " code point start");
        assertEquals(ce, text.codePointCount(0, end), w + " code point end");
        assertEquals(bs, text.substring(0, start).getBytes(StandardCharsets.UTF_8).length, w + " byte start");
        assertEquals(be, text.substring(0, end).getBytes(StandardCharsets.UTF_8).length, w + " byte end");
    }

    @Test
    void everyLineMatchesTheCAbiJson() throws IOException {
        int hits = 0;
        for (TestSupport.DevLine l : lines) {
            for (boolean raw : new boolean[] {true, false}) {
                Analysis a = engine.analyze(l.text(), l.role(), raw);
                JsonNode j = TestSupport.MAPPER.readTree(engine.analyzeJson(l.text(), l.role(), raw));
                assertSameAsJson(l.id() + (raw ? " raw" : " masked"), l.text(), a, j);
                hits += a.fraud().hits().size();
            }
        }
        assertTrue(hits > 100, "the dev set should produce hits: " + hits);
    }

    @Test
    void everyLineMatchesTheCommandLineTool() throws Exception {
        Path cli = TestSupport.cliPath();
        assumeTrue(cli != null, "set -Djingmin.cli to target/release/jingmin: " + System.getProperty("jingmin.cli"));
        Process p = new ProcessBuilder(cli.toString(), "analyze", "--raw", TestSupport.devSetPath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().close();
        List<String> out;
        try (var r = p.inputReader(StandardCharsets.UTF_8)) {
            out = r.lines().toList();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jingmin analyze did not finish");
        assertEquals(0, p.exitValue(), "jingmin analyze exit code");
        assertEquals(lines.size(), out.size(), "one analysis per dev line");
        for (int i = 0; i < lines.size(); i++) {
            TestSupport.DevLine l = lines.get(i);
            JsonNode j = TestSupport.MAPPER.readTree(out.get(i));
            assertEquals(l.id(), j.get("id").asText(), "line " + (i + 1) + " id");
            assertSameAsJson(l.id() + " (cli)", l.text(), engine.analyze(l.text(), l.role(), true), j);
        }
    }

    @Test
    void analyzeManyAndSummariesAgree() {
        List<String> texts = lines.stream().map(TestSupport.DevLine::text).toList();
        List<Role> roles = lines.stream().map(TestSupport.DevLine::role).toList();
        List<Analysis> many = engine.analyzeMany(texts);
        List<Summary> sums = engine.summarizeMany(texts);
        List<Summary> sumsWithRoles = engine.summarizeMany(texts, roles);
        assertEquals(texts.size(), many.size());
        assertEquals(texts.size(), sums.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            Analysis one = engine.analyze(t);
            assertEquals(one, many.get(i), "analyzeMany[" + i + "]");
            assertEquals(one.summary(), sums.get(i), "summarizeMany[" + i + "]");
            assertEquals(engine.summarize(t), sums.get(i), "summarize[" + i + "]");
            Role r = roles.get(i);
            assertEquals(engine.analyze(t, r, false).summary(), sumsWithRoles.get(i), "with role [" + i + "]");
            assertEquals(engine.summarize(t, r), sumsWithRoles.get(i), "summarize with role [" + i + "]");
        }
        // The role list of analyzeMany applies to every message.
        List<Analysis> police = engine.analyzeMany(texts.subList(0, 20), Role.POLICE, true);
        for (int i = 0; i < 20; i++) {
            assertEquals(engine.analyze(texts.get(i), Role.POLICE, true), police.get(i));
        }
        assertNotNull(engine.analyzeMany(List.of()));
        assertEquals(0, engine.summarizeMany(List.of()).size());
    }
}
