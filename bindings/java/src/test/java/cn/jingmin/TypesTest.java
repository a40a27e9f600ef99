package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The enums carry the library's codes and names (checked against jm_*_name) and the Chinese labels. */
class TypesTest {
    static {
        Loader.library();
    }

    private static void assertNames(Enum<?>[] values, IntFunction<String> libraryName, int probeTo) {
        for (Enum<?> v : values) {
            int code;
            String json;
            if (v instanceof Category c) {
                code = c.code();
                json = c.jsonName();
            } else if (v instanceof FraudType c) {
                code = c.code();
                json = c.jsonName();
            } else if (v instanceof Stance c) {
                code = c.code();
                json = c.jsonName();
            } else if (v instanceof EntityKind c) {
                code = c.code();
                json = c.jsonName();
            } else {
                Role c = (Role) v;
                code = c.code();
                json = c.jsonName();
            }
            assertEquals(libraryName.apply(code), json, v + " code " + code);
            assertEquals(json, v.toString());
        }
        int known = 0;
        for (int code = 0; code <= probeTo; code++) {
            if (libraryName.apply(code) != null) {
                known++;
            }
        }
        assertEquals(values.length, known, "the library knows as many codes as the enum has");
    }

    @Test
    void codesAndNamesMatchTheLibrary() {
        assertNames(Category.values(), c -> Lib.staticString(Lib.jm_category_name(c)), 200);
        assertNames(FraudType.values(), c -> Lib.staticString(Lib.jm_fraud_type_name(c)), 200);
        assertNames(Stance.values(), c -> Lib.staticString(Lib.jm_stance_name(c)), 200);
        assertNames(EntityKind.values(), c -> Lib.staticString(Lib.jm_entity_kind_name(c)), 200);
        assertNames(Role.values(), c -> Lib.staticString(Lib.jm_role_name(c)), 200);
        assertNull(Lib.staticString(Lib.jm_category_name(8)));
    }

    @Test
    void stableCodesAndLabels() {
        assertEquals(4, Category.SAFETY.code());
        assertEquals("安全防范", Category.SAFETY.label());
        assertEquals("弘扬正气", Category.PRAISE.label());
        assertEquals(99, FraudType.GENERIC.code());
        assertEquals("泛诈骗", FraudType.GENERIC.label());
        assertEquals("刷单返利", FraudType.TASK_REBATE.label());
        assertEquals(17, FraudType.SEXTORTION.code());
        assertEquals("诈骗引流", Stance.SOLICITATION.label());
        assertEquals(4, Stance.VICTIM_REPORT.code());
        assertEquals("车牌", EntityKind.LICENSE_PLATE.label());
        assertEquals(8, EntityKind.LICENSE_PLATE.code());
        assertEquals("民警", Role.POLICE.label());
        assertEquals(2, Role.RESIDENT.code());
        assertEquals(FraudType.GENERIC, FraudType.fromCode(99));
        assertEquals(Category.PRAISE, Category.fromJsonName("praise"));
        assertThrows(IllegalArgumentException.class, () -> FraudType.fromCode(18));
        assertThrows(IllegalArgumentException.class, () -> EntityKind.fromCode(0));
        assertThrows(IllegalArgumentException.class, () -> Category.fromCode(-1));
        assertThrows(IllegalArgumentException.class, () -> Role.fromJsonName("chief"));
        for (FraudType t : FraudType.values()) {
            assertFalse(t.label().isEmpty());
        }
        assertEquals(Added.REJECTED_INVALID_TIME, Added.fromCode(4));
        assertTrue(Added.REJECTED_MISSING_GROUP.isRejected());
        assertFalse(Added.DUPLICATE.isRejected());
    }

    @Test
    void resultsAreImmutable() {
        try (Engine engine = new Engine()) {
            Analysis a = engine.analyze("淘寶刷.單，一單一結，加ＶＸ：tbjob886");
            assertThrows(UnsupportedOperationException.class, () -> a.fraud().hits().clear());
            assertThrows(UnsupportedOperationException.class, () -> a.fraud().types().add(FraudType.GENERIC));
            assertThrows(UnsupportedOperationException.class, () -> a.entities().clear());
            assertThrows(UnsupportedOperationException.class, () -> a.evidence().clear());
            assertThrows(UnsupportedOperationException.class, () -> engine.analyzeMany(List.of("x")).clear());
            assertThrows(UnsupportedOperationException.class, () -> engine.summarizeMany(List.of("x")).clear());
            assertEquals(a, engine.analyze("淘寶刷.單，一單一結，加ＶＸ：tbjob886"));
            assertEquals(a.hashCode(), engine.analyze("淘寶刷.單，一單一結，加ＶＸ：tbjob886").hashCode());
        }
    }

    @Test
    void theLibraryIsLoaded() {
        assertEquals(0, Jingmin.abiVersion());
        assertTrue(Jingmin.version().matches("\\d+\\.\\d+\\.\\d+.*"), Jingmin.version());
        String where = Jingmin.libraryLocation();
        System.out.println("library: " + where);
        if (where.startsWith("jar:")) {
            assertTrue(where.endsWith("!/linux-x86-64/libjingmin.so"), where);
        } else {
            assertTrue(new File(where).isFile(), where);
        }
        String expect = System.getProperty("jingmin.expect.library", "");
        if (!expect.isEmpty()) {
            assertTrue(where.contains(expect), where + " should contain " + expect);
        }
    }

    @Test
    void maskAndExample() {
        try (Engine engine = new Engine()) {
            assertEquals("电话139****5678", engine.mask("电话13912345678"));
            Summary s = engine.summarize("淘寶刷.單，一單一結，加ＶＸ：tbjob886", Role.RESIDENT);
            assertEquals(FraudType.TASK_REBATE, s.fraudType());
            assertEquals(Stance.SOLICITATION, s.stance());
            assertTrue(s.risk() >= 70);
            Analysis raw = engine.analyze("电话13912345678", Role.UNKNOWN, true);
            Analysis masked = engine.analyze("电话13912345678");
            assertEquals("13912345678", raw.entities().get(0).text());
            assertEquals("139****5678", masked.entities().get(0).text());
        }
    }
}
