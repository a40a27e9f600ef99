package cn.jingmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Eight threads share one engine and get exactly the single-threaded results. */
class ThreadsTest {
    static List<String> texts() {
        Path dev = TestSupport.devSetPath();
        List<String> t = new ArrayList<>(TestSupport.SAMPLES);
        if (dev != null) {
            TestSupport.devSet(dev).forEach(l -> t.add(l.text()));
        }
        t.add("😀😀淘寶刷.單，一單一結，加ＶＸ：tbjob886");
        return t;
    }

    @Test
    void eightThreadsShareOneEngine() throws Exception {
        List<String> texts = texts();
        try (Engine engine = new Engine()) {
            List<Analysis> expected = texts.stream().map(engine::analyze).toList();
            List<Summary> expectedSums = texts.stream().map(engine::summarize).toList();
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int seed = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 3; round++) {
                        for (int k = 0; k < texts.size(); k++) {
                            int i = (k * 7 + seed * 13 + round) % texts.size(); // a different order per thread
                            assertEquals(expected.get(i), engine.analyze(texts.get(i)), "thread " + seed + " text " + i);
                            assertEquals(expectedSums.get(i), engine.summarize(texts.get(i)));
                            checked++;
                        }
                        assertEquals(expected, engine.analyzeMany(texts));
                        assertEquals(expectedSums, engine.summarizeMany(texts));
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertEquals(threads * 3 * texts.size(), total);
        }
    }

    @Test
    void closeWhileOtherThreadsAnalyze() throws Exception {
        List<String> texts = texts();
        Engine engine = new Engine();
        Analysis first = engine.analyze(texts.get(0));
        int threads = 8;
        CountDownLatch running = new CountDownLatch(threads);
        AtomicInteger closedSeen = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                running.countDown();
                try {
                    for (int i = 0; ; i++) {
                        Analysis a = engine.analyze(texts.get(i % texts.size()));
                        if (i % texts.size() == 0) {
                            assertEquals(first, a);
                        }
                    }
                } catch (IllegalStateException e) {
                    closedSeen.incrementAndGet(); // the clean failure after close()
                } catch (Throwable e) {
                    unexpected.set(e);
                }
            });
            th.start();
            ts.add(th);
        }
        running.await();
        Thread.sleep(200);
        engine.close(); // calls in progress finish; the last one frees the engine
        engine.close();
        for (Thread th : ts) {
            th.join(60_000);
        }
        if (unexpected.get() != null) {
            throw new AssertionError(unexpected.get());
        }
        assertEquals(threads, closedSeen.get(), "every thread stopped with IllegalStateException");
        assertTrue(engine.isClosed());
        assertThrows(IllegalStateException.class, () -> engine.analyze("收到"));
    }
}
