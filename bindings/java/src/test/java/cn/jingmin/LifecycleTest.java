package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Use after close fails cleanly (IllegalStateException, no crash), double close is harmless. */
class LifecycleTest {
    private static void assertClosed(Executable e) {
        IllegalStateException x = assertThrows(IllegalStateException.class, e);
        assertTrue(x.getMessage().contains("closed"), x.getMessage());
    }

    @Test
    void engineUseAfterClose() {
        Engine engine = new Engine();
        assertFalse(engine.isClosed());
        assertEquals(Category.OTHER, engine.analyze("收到").category());
        engine.close();
        assertTrue(engine.isClosed());
        assertClosed(() -> engine.analyze("收到"));
        assertClosed(() -> engine.analyze("收到", Role.POLICE, true));
        assertClosed(() -> engine.analyzeMany(List.of("收到")));
        assertClosed(() -> engine.analyzeJson("收到", Role.UNKNOWN, false));
        assertClosed(() -> engine.summarize("收到"));
        assertClosed(() -> engine.summarizeMany(List.of("收到")));
        assertClosed(() -> engine.mask("13912345678"));
        assertClosed(engine::maxMessageBytes);
        assertClosed(() -> new Aggregator(engine).add(Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "x")));
        assertTrue(engine.toString().contains("closed"));
    }

    @Test
    @SuppressWarnings("try") // close() inside try-with-resources on purpose
    void doubleCloseIsHarmless() {
        Engine engine = new Engine();
        engine.close();
        assertDoesNotThrow(engine::close);
        assertDoesNotThrow(engine::close);
        Aggregator agg = new Aggregator(new Engine());
        agg.close();
        assertDoesNotThrow(agg::close);
        try (Engine e = new Engine(); Aggregator a = new Aggregator(e)) {
            a.close(); // closed inside try-with-resources, then again by it
            e.close();
        }
    }

    @Test
    void aggregatorUseAfterClose() {
        try (Engine engine = new Engine()) {
            Aggregator agg = new Aggregator(engine);
            Aggregator other = new Aggregator(engine);
            agg.add(Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "请问办居住证要带什么？"));
            String snap = agg.snapshot();
            agg.close();
            assertTrue(agg.isClosed());
            Message m = Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "x");
            assertClosed(() -> agg.add(m));
            assertClosed(() -> agg.addJson("{\"text\":\"x\"}"));
            assertClosed(() -> agg.addAll(List.of(m)));
            assertClosed(agg::snapshot);
            assertClosed(agg::report);
            assertClosed(agg::reportJson);
            assertClosed(() -> agg.merge(other));
            assertClosed(() -> other.merge(agg));
            // The engine is not closed with the aggregator.
            assertFalse(engine.isClosed());
            try (Aggregator back = Aggregator.restore(snap, engine)) {
                assertEquals(snap, back.snapshot());
            }
            other.close();
        }
    }

    @Test
    void unclosedObjectsAreReleasedByTheCleaner() throws Exception {
        // Not a substitute for close(): just no crash when the garbage collector releases them.
        for (int i = 0; i < 50; i++) {
            Engine e = new Engine();
            e.summarize("收到");
            new Aggregator(e).add(Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "x"));
        }
        System.gc();
        Thread.sleep(100);
        try (Engine e = new Engine()) {
            assertEquals(Category.OTHER, e.summarize("收到").category());
        }
    }
}
