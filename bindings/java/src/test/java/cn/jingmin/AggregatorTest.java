package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    static Engine engine;

    @BeforeAll
    static void setUp() {
        engine = new Engine();
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    static final long DAY0 = 1_709_258_400L; // 2024-03-01 10:00:00 +08:00

    /** A log: questions from residents, answers from the officer, fraud, chat, over a few days and groups. */
    static List<Message> log(int n) {
        String[] resident = {"请问办居住证要带什么？", "有人拉我进群，说刷单返利日结，这是不是骗人的？", "我被骗了5000元怎么办", "楼上装修太吵了", "收到"};
        String[] police = {"带身份证来就行", "这是刷单诈骗，不要相信", "请马上报警并保留证据", "我来协调一下", "【反诈提醒】不要点击陌生链接"};
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean q = i % 2 == 0;
            String text = q ? resident[(i / 2) % resident.length] : police[(i / 2) % police.length];
            String time = Long.toString(DAY0 + (i / 2) * 3_600L + (q ? 0 : 300));
            out.add(new Message("m" + i, "警民群" + (i / 2) % 3, q ? "居民" + i % 7 : "民警魏某", q ? Role.RESIDENT : Role.POLICE, time, text));
        }
        return out;
    }

    /** assertEquals for long JSON texts: a failure shows where they differ, not both documents. */
    static void assertSameJson(String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 60);
        throw new AssertionError("JSON differs at " + i + ":\n expected …" + expected.substring(from, Math.min(expected.length(), i + 60))
                + "\n actual   …" + actual.substring(from, Math.min(actual.length(), i + 60)));
    }

    @Test
    void theDocumentedExample() {
        try (Aggregator a = new Aggregator(engine); Aggregator b = new Aggregator(engine)) {
            assertEquals(Added.NEW, a.add(new Message("1", "警民群", null, Role.RESIDENT, "2024-03-01 10:00:00", "请问办居住证要带什么？")));
            assertEquals(Added.NEW, b.addJson("{\"id\":\"2\",\"group\":\"警民群\",\"role\":\"police\",\"time\":\"2024-03-01 10:05:00\",\"text\":\"带身份证来就行\"}"));
            a.merge(b);
            try (Aggregator back = Aggregator.restore(a.snapshot(), engine)) {
                JsonNode cases = back.report().path("cases");
                assertEquals(1, cases.path("opened").asInt());
                assertEquals(1, cases.path("answered").asInt());
                assertEquals(300, cases.path("first_response_seconds").path("p50").asInt());
                assertSameJson(a.reportJson(), back.reportJson());
            }
        }
    }

    @Test
    void outcomes() {
        try (Aggregator a = new Aggregator(engine)) {
            Message m = Message.of("g", Role.RESIDENT, "2024-03-01 10:00:00", "请问办居住证要带什么？").withId("x1");
            assertEquals(Added.NEW, a.add(m));
            assertEquals(Added.DUPLICATE, a.add(m));
            assertEquals(Added.REJECTED_MISSING_GROUP, a.add(Message.of(null, Role.RESIDENT, "2024-03-01 10:00:00", "x")));
            assertEquals(Added.REJECTED_MISSING_TIME, a.add(Message.of("g", Role.RESIDENT, null, "x")));
            assertEquals(Added.REJECTED_INVALID_TIME, a.add(Message.of("g", Role.RESIDENT, "yesterday", "x")));
            JsonNode messages = a.report().path("messages");
            assertEquals(1, messages.path("duplicates").asInt(), messages.toString());
            assertEquals(3, messages.path("rejected").path("total").asInt(), messages.toString());
        }
    }

    @Test
    void addAllEqualsAddOneByOne() {
        List<Message> log = log(3_000);
        try (Aggregator one = new Aggregator(engine); Aggregator all = new Aggregator(engine)) {
            List<Message> twice = new ArrayList<>(log);
            twice.addAll(log.subList(0, 100)); // copies count once
            long added = 0, duplicates = 0;
            for (Message m : twice) {
                switch (one.add(m)) {
                    case NEW -> added++;
                    case DUPLICATE -> duplicates++;
                    default -> throw new AssertionError("rejected: " + m);
                }
            }
            assertEquals(100, duplicates);
            AddCounts c = all.addAll(twice); // 3,100 messages: a batch of 4,096
            assertEquals(new AddCounts(added, 100, 0), c);
            assertEquals(twice.size(), c.total());
            assertSameJson(one.reportJson(), all.reportJson());
            assertSameJson(one.snapshot(), all.snapshot());
            try (Aggregator small = new Aggregator(engine)) {
                List<Message> many = log(9_000); // three batches
                assertEquals(9_000, small.addAll(many).added());
                assertEquals(9_000, small.report().path("messages").path("total").asInt());
            }
            assertEquals(new AddCounts(0, 0, 0), all.addAll(List.of()));
        }
    }

    @Test
    void partsMergeIntoTheWhole() {
        List<Message> log = log(2_000);
        List<Message> shuffled = new ArrayList<>(log);
        Collections.shuffle(shuffled, new Random(7));
        try (Aggregator whole = new Aggregator(engine)) {
            whole.addAll(log);
            List<Aggregator> parts = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                parts.add(new Aggregator(engine));
            }
            for (int i = 0; i < shuffled.size(); i++) {
                parts.get(i % 4).add(shuffled.get(i));
            }
            // A tree of merges, through a snapshot for one of them.
            parts.get(0).merge(parts.get(1));
            try (Aggregator restored = Aggregator.restore(parts.get(3).snapshot(), engine)) {
                parts.get(2).merge(restored);
            }
            parts.get(2).merge(parts.get(0));
            assertSameJson(whole.reportJson(), parts.get(2).reportJson());
            assertSameJson(whole.snapshot(), parts.get(2).snapshot());
            parts.forEach(Aggregator::close);
        }
    }

    @Test
    void snapshotRestoreKeepsCounting() {
        List<Message> log = log(400);
        try (Aggregator a = new Aggregator(engine)) {
            a.addAll(log.subList(0, 200));
            String snap = a.snapshot();
            assertTrue(snap.startsWith("{\"format\":\"jingmin-aggregator\""), snap.substring(0, 40));
            try (Aggregator b = Aggregator.restore(snap, engine)) {
                assertSameJson(a.reportJson(), b.reportJson());
                a.addAll(log.subList(200, 400));
                b.addAll(log.subList(200, 400));
                assertSameJson(a.snapshot(), b.snapshot());
                assertNotEquals(snap, b.snapshot());
            }
        }
    }

    @Test
    void threadsFeedingOneAggregator() throws Exception {
        List<Message> log = log(4_000);
        try (Aggregator shared = new Aggregator(engine); Aggregator alone = new Aggregator(engine)) {
            alone.addAll(log);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int k = t;
                fs.add(pool.submit(() -> {
                    for (int i = k; i < log.size(); i += 4) {
                        if (i % 10 == 0) {
                            shared.addAll(List.of(log.get(i)));
                        } else {
                            shared.add(log.get(i));
                        }
                        if (i % 500 == 0) {
                            shared.report();
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            assertSameJson(alone.reportJson(), shared.reportJson());
        }
    }

    @Test
    void mergeBothWaysOnTwoThreadsDoesNotDeadlock() throws Exception {
        try (Aggregator a = new Aggregator(engine); Aggregator b = new Aggregator(engine)) {
            a.addAll(log(50));
            b.addAll(log(80).subList(50, 80));
            Thread t1 = new Thread(() -> { for (int i = 0; i < 300; i++) a.merge(b); });
            Thread t2 = new Thread(() -> { for (int i = 0; i < 300; i++) b.merge(a); });
            t1.start();
            t2.start();
            t1.join(60_000);
            t2.join(60_000);
            assertTrue(!t1.isAlive() && !t2.isAlive(), "deadlock");
        }
    }

    @Test
    void messageJsonAndTimes() {
        try (Aggregator a = new Aggregator(engine); Aggregator b = new Aggregator(engine)) {
            String text = "引号\"反斜杠\\换行\n制表\t😀 emoji \u0001 控制符";
            Instant t = Instant.ofEpochSecond(DAY0);
            a.add(new Message("q", "组\"1\"", "张三", Role.RESIDENT, Message.time(t), text));
            b.add(new Message("q", "组\"1\"", "张三", Role.RESIDENT, Message.time(OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(8))), text));
            assertEquals("2024-03-01T02:00:00Z", Message.time(t));
            assertEquals("2024-03-01T10:00:00+08:00", Message.time(OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(8))));
            assertEquals(a.reportJson(), b.reportJson(), "the same instant written two ways");
            assertEquals(1, a.report().path("messages").path("total").asInt());
            assertEquals(Added.DUPLICATE, a.add(new Message("q", "组\"1\"", "张三", Role.RESIDENT, Long.toString(DAY0), text)));
            assertThrows(NullPointerException.class, () -> Message.of("g", Role.RESIDENT, null, null));
        }
    }
}
