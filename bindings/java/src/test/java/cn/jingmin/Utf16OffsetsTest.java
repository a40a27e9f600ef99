package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java strings index in UTF-16: a character outside the Basic Multilingual Plane is two {@code char}s.
 * The library counts bytes and code points; a hit or entity after (or inside) such a character must
 * still index the Java string.
 */
class Utf16OffsetsTest {
    static Engine engine;

    @BeforeAll
    static void setUp() {
        engine = new Engine();
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static void assertIndexes(String text, Analysis a) {
        for (Hit h : a.fraud().hits()) {
            DevSetTest.assertOffsets("hit " + h, text, h.matched(), h.start(), h.end(), h.byteStart(), h.byteEnd(),
                    h.codePointStart(), h.codePointEnd());
        }
        for (Entity e : a.entities()) {
            DevSetTest.assertOffsets("entity " + e, text, null, e.start(), e.end(), e.byteStart(), e.byteEnd(),
                    e.codePointStart(), e.codePointEnd());
        }
    }

    @Test
    void astralCharactersBeforeAHit() {
        String plain = "淘寶刷.單，一單一結，加ＶＸ：tbjob886，电话13912345678";
        String text = "😀😀𠀀" + plain; // two emoji and a CJK Extension B ideograph: 3 code points, 6 chars
        Analysis a = engine.analyze(text, Role.RESIDENT, true);
        Analysis b = engine.analyze(plain, Role.RESIDENT, true);
        assertFalse(a.fraud().hits().isEmpty(), "hits expected");
        assertFalse(a.entities().isEmpty(), "entities expected");
        assertIndexes(text, a);
        assertEquals(b.fraud().hits().size(), a.fraud().hits().size());
        for (int i = 0; i < a.fraud().hits().size(); i++) {
            Hit x = a.fraud().hits().get(i);
            Hit y = b.fraud().hits().get(i);
            assertEquals(y.start() + 6, x.start(), "String index shifted by 6 chars");
            assertEquals(y.codePointStart() + 3, x.codePointStart(), "code point shifted by 3");
            assertEquals(y.byteStart() + 12, x.byteStart(), "bytes shifted by 12");
            assertEquals(x.matched(), text.substring(x.start(), x.end()));
        }
        Entity phone = a.entities().stream().filter(e -> e.kind() == EntityKind.PHONE).findFirst().orElseThrow();
        assertEquals("13912345678", text.substring(phone.start(), phone.end()));
        assertEquals("13912345678", phone.text());
    }

    @Test
    void astralCharacterInsideAHit() {
        String text = "🎉兼职刷😀单，日结，加薇信 abc_123";
        Analysis a = engine.analyze(text, Role.UNKNOWN, true);
        assertIndexes(text, a);
        Hit h = a.fraud().hits().stream().filter(x -> x.matched().contains("😀")).findFirst()
                .orElseThrow(() -> new AssertionError("no hit across the emoji in " + a.fraud().hits()));
        assertEquals("刷😀单", text.substring(h.start(), h.end()));
        assertTrue(h.obfuscated());
        assertEquals(4, h.end() - h.start(), "刷 + surrogate pair + 单 = 4 chars");
        assertEquals(3, h.codePointEnd() - h.codePointStart(), "3 code points");
    }

    @Test
    void manyAstralCharactersAndAnalyzeMany() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.appendCodePoint(0x1F600 + i % 40).append('字');
        }
        String text = sb + "刷单返利，先垫付，微信 wx_88888，转账3万元";
        List<Analysis> many = engine.analyzeMany(List.of(text, "收到", text + "😀"));
        for (Analysis a : List.of(many.get(0), many.get(2))) {
            assertFalse(a.fraud().hits().isEmpty());
            assertFalse(a.entities().isEmpty());
        }
        assertIndexes(text, many.get(0));
        assertIndexes(text + "😀", many.get(2));
        assertEquals(engine.analyze(text), many.get(0));
    }

    @Test
    void withoutSurrogatesStringIndicesAreCodePoints() {
        String text = "【反诈提醒】网上“点赞关注就返现”的兼职，全部是刷单诈骗！";
        Analysis a = engine.analyze(text);
        assertFalse(a.fraud().hits().isEmpty());
        for (Hit h : a.fraud().hits()) {
            assertEquals(h.codePointStart(), h.start());
            assertEquals(h.codePointEnd(), h.end());
        }
        assertIndexes(text, a);
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        for (String bad : List.of("刷单\uD83D", "\uDE00刷单", "a\uDE00\uD83Db", "\uD800")) {
            JingminException e = assertThrows(JingminException.class, () -> engine.analyze(bad));
            assertEquals(Status.INVALID_UTF8, e.status());
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
            assertThrows(JingminException.class, () -> engine.summarize(bad));
            assertThrows(JingminException.class, () -> engine.mask(bad));
            JingminException m = assertThrows(JingminException.class, () -> engine.analyzeMany(List.of("ok", bad)));
            assertTrue(m.getMessage().contains("texts[1]"), m.getMessage());
            JingminException s = assertThrows(JingminException.class, () -> engine.summarizeMany(List.of("ok", "ok", bad)));
            assertTrue(s.getMessage().contains("texts[2]"), s.getMessage());
        }
    }

    @Test
    void emptyAndEmojiOnly() {
        for (String t : List.of("", "😀", "👍👍👍", "\u0000")) {
            Analysis a = engine.analyze(t);
            assertIndexes(t, a);
            assertEquals(a.summary(), engine.summarize(t));
        }
    }

    @Test
    void longTextsGrowTheBuffers() {
        // Past the 4 KiB initial buffers, with emoji all along: each analysis equals its JSON.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 60_000; i++) {
            sb.append(i % 3 == 0 ? "😀" : "").append("兼职刷单日结，加微信 wx_").append(1000 + i).append("，");
        }
        String text = sb.toString();
        for (String t : List.of(text, "短", text.substring(0, 5_000), "")) {
            Analysis a = engine.analyze(t, Role.UNKNOWN, true);
            assertIndexes(t, a);
            assertEquals(a, AnalysisParser.parse(engine.analyzeJson(t, Role.UNKNOWN, true).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    engine.analyzeJson(t, Role.UNKNOWN, true).getBytes(java.nio.charset.StandardCharsets.UTF_8).length, t,
                    t.codePointCount(0, t.length()) != t.length()));
            assertEquals(a.summary(), engine.summarize(t));
        }
        assertTrue(engine.analyze(text).fraud().hits().size() > 100);
    }
}
