package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 100,000 analyses grow no native memory: every string the library returns is freed with
 * {@code jm_string_free}. Measured as the resident set size (/proc/self/statm) before and after.
 *
 * <p>The Java heap must not move the figure: the run uses a fixed, pre-touched heap
 * ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}, set by scripts/test-java.sh and the pom), so RSS
 * growth is native memory. A control leaks on purpose (jm_analyze_json without jm_string_free) and
 * shows that the measurement sees a leak of that size.
 */
class NativeMemoryTest {
    static final int N = 100_000;
    /** Growth allowed over 100,000 analyses: noise (JIT code, malloc arenas), far below a leak. */
    static final long BOUND = 16L << 20;

    static void assumePreTouchedHeap() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assumeTrue(args.contains("-XX:+AlwaysPreTouch"), "run with -Xms=-Xmx and -XX:+AlwaysPreTouch: " + args);
    }

    static final String[] TEXTS = {
        "【反诈提醒】网上“点赞关注就返现”“做任务日赚几百”的兼职，全部是刷单诈骗！前几单给你点甜头，等你垫付大额资金就再也提不了现。",
        "😀淘寶刷.單，一單一結，加ＶＸ：tbjob886，电话13912345678，转账3万元",
        "请问办居住证要带什么？",
    };

    @Test
    void hundredThousandAnalysesDoNotGrowNativeMemory() {
        assumePreTouchedHeap();
        try (Engine engine = new Engine()) {
            long sink = 0;
            for (int i = 0; i < 20_000; i++) { // warm up: JIT, malloc arenas, JNA
                sink += engine.analyze(TEXTS[i % TEXTS.length], Role.UNKNOWN, i % 2 == 0).fraud().risk();
            }
            System.gc();
            long before = TestSupport.rssBytes();
            for (int i = 0; i < N; i++) { // 100,000 full analyses (a JSON string each), and masks and digests
                String t = TEXTS[i % TEXTS.length];
                sink += engine.analyze(t, Role.RESIDENT, i % 2 == 0).fraud().hits().size();
                if (i % 4 == 0) {
                    sink += engine.mask(t).length() + engine.summarize(t).risk();
                }
            }
            System.gc();
            long after = TestSupport.rssBytes();
            long growth = after - before;
            System.out.printf("native memory: RSS %.1f MiB before, %.1f MiB after %d analyses (%+.2f MiB; bound %d MiB)%n",
                    before / 1048576.0, after / 1048576.0, N, growth / 1048576.0, BOUND >> 20);
            assertTrue(sink > 0);
            assertTrue(growth < BOUND, "RSS grew by " + growth + " bytes over " + N + " analyses");
        }
    }

    @Test
    void aggregatorStringsAreFreedToo() {
        assumePreTouchedHeap();
        try (Engine engine = new Engine(); Aggregator agg = new Aggregator(engine)) {
            for (int i = 0; i < 200; i++) {
                agg.add(Message.of("g" + (i % 7), Role.RESIDENT, "2024-03-01 10:00:00", TEXTS[i % 3] + i));
            }
            for (int i = 0; i < 2_000; i++) {
                agg.snapshot();
                agg.reportJson();
            }
            System.gc();
            long before = TestSupport.rssBytes();
            long bytes = 0;
            for (int i = 0; i < 10_000; i++) {
                bytes += agg.snapshot().length() + agg.reportJson().length();
            }
            System.gc();
            long growth = TestSupport.rssBytes() - before;
            System.out.printf("aggregator: %d snapshots and reports (%.0f MiB of strings), RSS %+.2f MiB%n",
                    10_000, bytes / 1048576.0, growth / 1048576.0);
            assertTrue(bytes > 4 * BOUND, "enough string traffic to see a leak");
            assertTrue(growth < BOUND, "RSS grew by " + growth + " bytes");
        }
    }

    @Test
    void theMeasurementSeesALeak() {
        assumePreTouchedHeap();
        try (Engine engine = new Engine()) {
            byte[] bytes = TEXTS[0].getBytes(StandardCharsets.UTF_8);
            Memory data = new Memory(bytes.length);
            data.write(0, bytes, 0, bytes.length);
            Memory out = new Memory(8);
            Pointer h = engine.enter();
            try {
                long before = TestSupport.rssBytes();
                long leaked = 0;
                for (int i = 0; i < 40_000; i++) {
                    assertEquals(0, Lib.jm_analyze_json(h, data, bytes.length, 0, out));
                    leaked += Lib.jm_string_len(out.getPointer(0)); // and not freed, on purpose
                }
                long growth = TestSupport.rssBytes() - before;
                System.out.printf("control: %d strings not freed (%.1f MiB), RSS %+.2f MiB%n",
                        40_000, leaked / 1048576.0, growth / 1048576.0);
                assertTrue(leaked > 2 * BOUND, "the control leaks more than twice the bound");
                assertTrue(growth > BOUND, "a leak of " + leaked + " bytes must exceed the bound; RSS grew " + growth);
            } finally {
                engine.leave();
            }
        }
    }
}
